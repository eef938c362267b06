"""A resident's report end to end through the real Application, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
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


@pytest.mark.parametrize(
    ("lang", "typed", "asks_for_button"),
    [
        ("zh", "我的电话是13812345678", True),
        ("zh", "留下我的电话", True),
        ("zh", "有事打我手机 138 1234 5678", True),
        ("en", "my number is 13900001111", True),
        ("en", "leave my phone number", True),
        ("zh", "电话亭旁边的路灯也不亮", False),  # words about a place, not a number
        ("en", "the lamp cover fell off too", False),
    ],
)
async def test_a_phone_at_the_details_step_goes_by_the_button_not_into_the_words(
    bot: BotHarness, lang: str, typed: str, asks_for_button: bool
) -> None:
    code = "zh-hans" if lang == "zh" else "en"
    first = "路灯坏了，3栋门口黑漆漆的" if lang == "zh" else "The street light at building 3 is out"
    await bot.send(RESIDENT, first, language_code=code)
    await bot.press(RESIDENT, "对" if lang == "zh" else "Yes")
    await bot.share_location(RESIDENT, *centre_of(bot, "xinji-02"))
    await bot.send(RESIDENT, typed, language_code=code)
    reply = bot.last_text(RESIDENT)
    button = "留下我的电话" if lang == "zh" else "Leave my phone number"
    assert (button in reply) is asks_for_button, reply
    await bot.press_keyboard(RESIDENT, "提交" if lang == "zh" else "Submit")
    (case,) = await stored_cases(bot)
    assert (typed in case.text) is not asks_for_button  # a number never joins the words
    assert case.contact_phone is None


@pytest.mark.parametrize(
    ("lang", "words", "grid", "address"),
    [
        ("zh", "翠湖苑3栋楼下垃圾堆了好几天", "xinji-02", "翠湖苑3栋"),
        ("zh", "阳光花园2栋1203室门口有人乱扔垃圾", "yangguang-01", "阳光花园2栋1203室"),
        ("en", "The bins at Emerald Lake Court block 3 are overflowing", "xinji-02",
         "Emerald Lake Court block 3"),
    ],
)
async def test_a_place_named_in_the_report_is_not_asked_again(
    bot: BotHarness, lang: str, words: str, grid: str, address: str
) -> None:
    code = "zh-hans" if lang == "zh" else "en"
    await bot.send(RESIDENT, words, language_code=code)
    await bot.press(RESIDENT, "对" if lang == "zh" else "Yes")
    asked = " ".join(bot.texts(RESIDENT)[-2:])
    assert ("在哪里" not in asked) and ("Where is it" not in asked), asked
    await bot.press_keyboard(RESIDENT, "提交" if lang == "zh" else "Submit")
    (case,) = await stored_cases(bot)
    assert (case.grid_id, case.address, case.text) == (grid, address, words)
