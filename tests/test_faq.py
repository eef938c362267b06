"""Questions: held-out phrasings answered through the Application, consultations, the finder."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from storage.models import Case
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import enrol

HOLDOUT = Path(__file__).resolve().parent.parent / "nlu" / "eval" / "parts"
RESIDENT, SUPERVISOR = 4001, 4002


def held_out_questions() -> list[dict[str, str]]:
    rows = []
    for path in sorted(HOLDOUT.glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r.get("intent") == "faq"]


async def test_every_topic_is_answered_in_both_languages(bot: BotHarness) -> None:
    answered: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for n, row in enumerate(held_out_questions()):
        user = 50_000 + n
        topic = bot.runtime.city.faq[row["topic"]]
        await bot.send(user, row["text"], language_code="en" if row["lang"] == "en" else "zh")
        replies = bot.calls(user)  # the answer, then "not what you asked? ask staff"
        text = "\n".join(str(reply.params.get("text", "")) for reply in replies)
        offered = [label for reply in replies for label, _ in bot.api.buttons(reply)]
        title = topic.title.get(row["lang"])
        # Answered outright, or offered among the top choices (never silently wrong).
        answered[(row["topic"], row["lang"])].append(title in text or title in offered)
    assert len(answered) == 24  # 12 topics x 2 languages
    for (topic, lang), results in answered.items():
        assert sum(results) / len(results) >= 0.5, (topic, lang, results)
    for lang in ("zh", "en"):
        flat = [ok for (_, la), rs in answered.items() if la == lang for ok in rs]
        assert sum(flat) / len(flat) >= 0.9, lang


async def test_unknown_question_reaches_staff_and_the_answer_comes_back(bot: BotHarness) -> None:
    await enrol(bot, SUPERVISOR, "supervisor", community_id="hongmian")
    await bot.send(RESIDENT, "what's the bitcoin price today", language_code="en")
    await bot.press(RESIDENT, "Ask staff")
    assert "Which community" in bot.last_text(RESIDENT)
    await bot.press(RESIDENT, "Hongmian")
    assert "passed it to community staff" in bot.last_text(RESIDENT)
    async with bot.runtime.db.transaction() as session:
        case = (await session.execute(select(Case))).scalars().one()
    assert (case.kind, case.community_id, case.status) == ("consultation", "hongmian", "new")
    await deliver_outbox(bot)
    assert case.number in bot.last_text(SUPERVISOR)
    await bot.press(SUPERVISOR, "Answer")
    await bot.send(
        SUPERVISOR, "We do not give investment advice; the bank on Renmin Road can help."
    )
    assert "sent to the resident" in bot.last_text(SUPERVISOR)
    await deliver_outbox(bot)
    assert "bank on Renmin Road" in bot.last_text(RESIDENT)
    async with bot.runtime.db.transaction() as session:
        stored = await session.get(Case, case.id)
    assert stored is not None and stored.status == "closed"


@pytest.mark.parametrize(
    ("lang", "question", "title", "not_this", "community", "handed"),
    [
        ("zh", "请问结婚登记要带什么材料", None, "不是您要问的", "红棉", "转给社区工作人员"),
        ("zh", "请问居委会几点下班", "办事时间", "不是您要问的", "红棉", "转给社区工作人员"),
        ("en", "what time does the community office close?", "Opening hours", "Not what you asked",
         "Hongmian", "passed it to community staff"),
    ],
)  # fmt: skip
async def test_an_answer_read_from_free_text_still_offers_staff(
    bot: BotHarness,
    lang: str,
    question: str,
    title: str | None,
    not_this: str,
    community: str,
    handed: str,
) -> None:
    """The model may match a question to the nearest topic (a marriage's registration to a
    rental's): after any FAQ answer the question is kept and a person offered."""
    await enrol(bot, SUPERVISOR, "supervisor", community_id="hongmian")
    await bot.send(RESIDENT, question, language_code=lang)
    texts = bot.texts(RESIDENT)
    if title is not None:
        assert any(title in text for text in texts), texts
    if title is not None:  # answered: the offer follows the answer
        assert not_this in texts[-1], texts
    await bot.press(RESIDENT, "🙋")  # the offer's, or staff offered outright (no topic)
    await bot.press(RESIDENT, community)
    assert handed in bot.last_text(RESIDENT)
    async with bot.runtime.db.transaction() as session:
        case = (await session.execute(select(Case))).scalars().one()
    assert (case.kind, case.text) == ("consultation", question)


async def test_finder_picks_the_nearest_station_with_local_hours(bot: BotHarness) -> None:
    station = bot.runtime.city.stations["st_xinji"]
    clock = bot.clock
    assert isinstance(clock, ManualClock)
    # Friday 16:30 UTC is already Saturday 00:30 in the city: Saturday's hours apply.
    clock.set(datetime(2026, 11, 27, 16, 30, tzinfo=UTC))
    await bot.share_location(RESIDENT, station.lat, station.lon)
    first = bot.last_text(RESIDENT).splitlines()[1:4]
    assert station.name.en in first[0] or station.name.zh in first[0]
    assert "0 m" in first[0]
    saturday = ", ".join(str(r) for r in station.hours[5])
    assert saturday and saturday in first[2]
    assert "现在没开门" in first[0] or "closed now" in first[0]
    clock.set(datetime(2026, 11, 28, 1, 30, tzinfo=UTC))  # Saturday 09:30 local
    await bot.share_location(RESIDENT, station.lat, station.lon)
    assert (
        "现在开门" in bot.last_text(RESIDENT).splitlines()[1]
        or "open now" in bot.last_text(RESIDENT).splitlines()[1]
    )
