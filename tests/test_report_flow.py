"""A resident's report end to end through the real Application, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Case, CaseEvent
from tests.harness import BotHarness
from tests.support.cases import centre_of

RESIDENT = 424242


async def stored_cases(bot: BotHarness) -> list[Case]:
    async with bot.runtime.db.transaction() as session:
        return list((await session.execute(select(Case).order_by(Case.id))).scalars())


async def events_of(bot: BotHarness, case_id: int) -> list[CaseEvent]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.execute(select(CaseEvent).where(CaseEvent.case_id == case_id))
        return list(rows.scalars())


async def test_chinese_street_light_report_gets_a_case_number(bot: BotHarness) -> None:
    await bot.send(RESIDENT, "路灯坏了，3栋门口黑漆漆的")
    assert "市政设施" in bot.last_text(RESIDENT)
    await bot.press(RESIDENT, "对")
    assert "在哪里" in bot.last_text(RESIDENT)
    assert bot.reply_button(RESIDENT, "位置").request_location
    lat, lon = centre_of(bot, "xinji-02")
    await bot.share_location(RESIDENT, lat, lon)
    await bot.press_keyboard(RESIDENT, "提交")
    reply = bot.last_text(RESIDENT)
    assert "GD-" in reply and "市政设施" in reply

    cases = await stored_cases(bot)
    assert len(cases) == 1
    case = cases[0]
    assert case.number in reply
    assert case.case_type == "public_facility"
    assert case.grid_id == "xinji-02"
    assert case.status == "new"  # no worker registered in this grid yet
    assert case.text == "路灯坏了，3栋门口黑漆漆的"
    events = await events_of(bot, case.id)
    assert [(e.from_status, e.to_status) for e in events] == [(None, "new")]


async def test_english_report_by_typed_estate_name(bot: BotHarness) -> None:
    await bot.send(
        RESIDENT,
        "the street light outside building 3 is broken, it's pitch dark",
        language_code="en",
    )
    assert "Public facilities" in bot.last_text(RESIDENT) or "Is that right" in bot.last_text(
        RESIDENT
    )
    await bot.press(RESIDENT, "Yes")
    await bot.send(RESIDENT, "Sunshine Garden")
    assert "Location confirmed" in bot.texts(RESIDENT)[-2]
    await bot.press_keyboard(RESIDENT, "Submit")
    reply = bot.last_text(RESIDENT)
    assert "Filed as GD-" in reply
    (case,) = await stored_cases(bot)
    assert case.case_type == "public_facility"
    assert case.grid_id == bot.runtime.city.grid_by_alias("Sunshine Garden").id  # type: ignore[union-attr]
    assert case.language == "en"


async def test_emergency_numbers_come_first(bot: BotHarness) -> None:
    await bot.send(RESIDENT, "I smell gas and my neighbour fainted", language_code="en")
    first = bot.texts(RESIDENT)[0]
    for number in ("110", "119", "120"):
        assert number in first
    (case,) = await stored_cases(bot)
    assert case.priority == "urgent"
    lat, lon = centre_of(bot, "hongmian-03")
    await bot.share_location(RESIDENT, lat, lon)
    (case,) = await stored_cases(bot)
    assert case.grid_id == "hongmian-03"
    assert case.latitude == lat
