"""Bad input gets a clear answer and never breaks what is stored."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import Case
from tests.harness import BotHarness
from tests.support.cases import centre_of

RESIDENT = 515151


async def count_cases(bot: BotHarness) -> int:
    async with bot.runtime.db.transaction() as session:
        return int((await session.execute(select(func.count(Case.id)))).scalar_one())


async def file_one_case(bot: BotHarness) -> None:
    await bot.send(
        RESIDENT,
        "the street light outside building 3 is broken, it's pitch dark",
        language_code="en",
    )
    await bot.press(RESIDENT, "Yes")
    await bot.send(RESIDENT, "Sunshine Garden")
    await bot.press_keyboard(RESIDENT, "Submit")
    assert "Filed as" in bot.last_text(RESIDENT)


async def test_blank_text_is_answered(bot: BotHarness) -> None:
    await bot.send(RESIDENT, "   ", language_code="en")
    assert "empty" in bot.last_text(RESIDENT)


async def test_maximum_length_message_is_accepted(bot: BotHarness) -> None:
    await file_one_case(bot)
    async with bot.runtime.db.transaction() as session:
        before = (await session.execute(select(Case.number, Case.text))).all()
    replies_before = len(bot.texts(RESIDENT))
    long_text = ("路灯坏了" * 1024)[:4096]
    await bot.send(RESIDENT, long_text)
    assert len(bot.texts(RESIDENT)) > replies_before  # answered, not crashed
    assert "系统出了点问题" not in bot.last_text(RESIDENT)
    async with bot.runtime.db.transaction() as session:
        after = (await session.execute(select(Case.number, Case.text).order_by(Case.id))).all()
    assert after[: len(before)] == before


async def test_over_long_message_is_refused_clearly(bot: BotHarness) -> None:
    await bot.send(RESIDENT, "x" * 5000, language_code="en")
    assert "too long" in bot.last_text(RESIDENT)


async def test_sticker_gets_a_clear_answer(bot: BotHarness) -> None:
    await bot.feed(bot.api.sticker_update(RESIDENT))
    assert "sticker" in bot.last_text(RESIDENT) or "贴纸" in bot.last_text(RESIDENT)


async def test_voice_is_unsupported_media(bot: BotHarness) -> None:
    await bot.feed(bot.api.voice_update(RESIDENT))
    assert "文字" in bot.last_text(RESIDENT) or "text" in bot.last_text(RESIDENT)


async def test_location_outside_every_grid(bot: BotHarness) -> None:
    await bot.send(
        RESIDENT,
        "the street light outside building 3 is broken, it's pitch dark",
        language_code="en",
    )
    await bot.press(RESIDENT, "Yes")
    await bot.share_location(RESIDENT, 39.9, 116.4)  # Beijing: far outside the demo city
    assert "outside the grids" in bot.last_text(RESIDENT)
    # The report is still open: a right location completes it.
    lat, lon = centre_of(bot, "yangguang-04")
    await bot.share_location(RESIDENT, lat, lon)
    await bot.press_keyboard(RESIDENT, "Submit")
    assert "Filed as" in bot.last_text(RESIDENT)


async def test_unknown_command(bot: BotHarness) -> None:
    await bot.send(RESIDENT, "/frobnicate", language_code="en")
    assert "/help" in bot.last_text(RESIDENT)


async def test_button_from_an_old_message_is_refused(bot: BotHarness) -> None:
    await file_one_case(bot)
    await bot.press(RESIDENT, "Yes")  # the confirm button of the report already filed
    assert "old message" in bot.last_text(RESIDENT)
    assert await count_cases(bot) == 1


async def test_forged_callback_data_is_refused(bot: BotHarness) -> None:
    await file_one_case(bot)
    sent = bot.calls(RESIDENT)[-1]
    await bot.feed(
        bot.api.callback_update(RESIDENT, int(sent.result["message_id"]), "case:accept:1")
    )
    assert "old message" in bot.last_text(RESIDENT)
    await bot.feed(
        bot.api.callback_update(RESIDENT, int(sent.result["message_id"]), "rep:type:zzzzzz:noise")
    )
    assert "old message" in bot.last_text(RESIDENT)
    assert await count_cases(bot) == 1


async def test_cancel_leaves_nothing_filed(bot: BotHarness) -> None:
    await bot.send(
        RESIDENT,
        "the street light outside building 3 is broken, it's pitch dark",
        language_code="en",
    )
    await bot.send(RESIDENT, "/cancel")
    assert "Nothing was filed" in bot.last_text(RESIDENT)
    assert await count_cases(bot) == 0
