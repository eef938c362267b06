"""A location shared outside a report: the nearest service stations."""

from __future__ import annotations

from bot.runtime import Runtime
from handlers.common import Caller
from handlers.replies import REMOVE_KEYBOARD, Replies
from services.stations import format_distance, nearby_stations


def answer_nearby(runtime: Runtime, caller: Caller, lat: float, lon: float, out: Replies) -> None:
    t, lang = runtime.catalog.t, caller.lang
    lines = [t(lang, "stations.header")]
    for nearby in nearby_stations(runtime.city, lat, lon, runtime.clock.now()):
        station = nearby.station
        lines.append(
            t(
                lang,
                "stations.line",
                name=station.name.get(lang),
                distance=format_distance(nearby.metres),
                address=station.address.get(lang),
                phone=station.phone,
                hours=nearby.hours_today or t(lang, "stations.closed_today"),
                state=t(lang, "stations.open_now" if nearby.open_now else "stations.closed_now"),
            )
        )
    lines.append(t(lang, "stations.report_hint"))
    out.say("\n".join(lines), REMOVE_KEYBOARD)
