"""Answers to questions about community services, from the knowledge base in config."""

from __future__ import annotations

from bot.runtime import Runtime
from handlers.replies import Replies


def answer(runtime: Runtime, lang: str, topic_id: str, out: Replies) -> None:
    t = runtime.catalog.t
    topic = runtime.city.faq.get(topic_id)
    if topic is None:
        out.say(t(lang, "faq.unknown"))
        return
    lines = [f"{topic.title.get(lang)}", "", topic.answer.get(lang).strip()]
    for station_id in topic.station_ids:
        station = runtime.city.stations.get(station_id)
        if station is not None:
            lines.append(
                t(
                    lang,
                    "faq.station_line",
                    name=station.name.get(lang),
                    address=station.address.get(lang),
                    phone=station.phone,
                )
            )
    lines.append(t(lang, "faq.last_checked", date=topic.last_checked.isoformat()))
    out.say("\n".join(lines))
