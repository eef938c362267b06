"""Issue 14 item 1: every text, caption, callback data and toast fits Telegram's limits where it
is built; residents' long texts are shortened in pings with the full text one tap away."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Update

from bot.telegram_limits import (
    MAX_CALLBACK_DATA,
    MAX_CAPTION,
    MAX_TEXT,
    MAX_TOAST,
    CallbackDataTooLong,
    checked_callback_data,
    excerpt,
    fit,
    fit_caption,
    fit_text,
    fit_toast,
    split_text,
    utf16_len,
)
from handlers.replies import Replies, Reply, inline
from nlu.embedded import EmbeddedBackend
from services.consultations import open_consultation
from storage.repositories import UserRepository
from tests.delivery_helpers import drain, file_case, harness, outbox_rows, staff
from tests.harness import BotHarness

WORKER, SUPERVISOR, RESIDENT = 52_001, 53_001, 51_001
LONGEST_REPORT = "路灯坏了，3栋门口黑漆漆的。" * 292 + "请尽快修好"  # 4,093 characters
EMOJI_REPORT = "🚧 井盖丢了 " * 682  # 4,092 UTF-16 units: an emoji counts two


@pytest.fixture
async def bot(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> AsyncIterator[BotHarness]:
    async for harnessed in harness(database_url, tmp_path, embedded_nlu):
        yield harnessed


@pytest.mark.parametrize(
    ("text", "limit", "fits_as_is"),
    [
        ("short", MAX_TEXT, True),
        ("x" * MAX_TEXT, MAX_TEXT, True),
        ("x" * (MAX_TEXT + 1), MAX_TEXT, False),
        ("😀" * (MAX_TEXT // 2), MAX_TEXT, True),
        ("😀" * (MAX_TEXT // 2 + 1), MAX_TEXT, False),
        ("字" * MAX_CAPTION, MAX_CAPTION, True),
        ("字" * MAX_CAPTION + "😀", MAX_CAPTION, False),
    ],
)
def test_fit_counts_utf16_units_and_never_splits_an_emoji(
    text: str, limit: int, fits_as_is: bool
) -> None:
    fitted = fit(text, limit)
    assert utf16_len(fitted) <= limit
    assert (fitted == text) is fits_as_is
    fitted.encode("utf-8")  # a half surrogate pair would not encode
    if not fits_as_is:
        assert fitted.endswith("…")


def test_each_limit_has_its_fitter() -> None:
    assert utf16_len(fit_text("a" * 10_000)) == MAX_TEXT
    assert utf16_len(fit_caption("a" * 10_000)) == MAX_CAPTION
    assert len(fit_toast("好" * 500)) == MAX_TOAST
    assert checked_callback_data("wk:acc:123") == "wk:acc:123"
    with pytest.raises(CallbackDataTooLong):
        checked_callback_data("rep:" + "案" * (MAX_CALLBACK_DATA // 3))
    assert excerpt("short") == ("short", False)
    assert excerpt(LONGEST_REPORT)[1] is True


@pytest.mark.parametrize("text", [LONGEST_REPORT * 3, EMOJI_REPORT * 2, "a\n" * 5000, ""])
def test_split_text_keeps_every_character_in_pieces_telegram_accepts(text: str) -> None:
    pieces = split_text(text)
    assert "".join(pieces) == text
    assert all(utf16_len(piece) <= MAX_TEXT for piece in pieces)


@pytest.mark.parametrize("report", [LONGEST_REPORT, EMOJI_REPORT])
async def test_a_maximum_length_report_reaches_the_worker_with_the_full_text_a_tap_away(
    bot: BotHarness, report: str
) -> None:
    await staff(bot, WORKER, "worker", grid_id="xinji-02")
    filed = await file_case(bot, RESIDENT, report)
    result = await drain(bot)
    assert result.failed == 0 and result.sent >= 2  # the worker's ping and the resident's notice
    ping = next(t for t in bot.texts(WORKER) if filed.number in t)
    assert utf16_len(ping) <= MAX_TEXT
    assert f"/case {filed.number}" in ping
    assert report[:100] in ping and report not in ping

    await bot.press(WORKER, "查看全文")
    shown = bot.texts(WORKER)
    header = max(i for i, t in enumerate(shown) if "完整内容" in t)
    assert "".join(shown[header + 1 :]) == report

    before = len(bot.texts(WORKER))
    await bot.send(WORKER, f"/case {filed.number}")
    assert "".join(bot.texts(WORKER)[before + 1 :]) == report


async def test_case_command_shows_nothing_to_someone_else(bot: BotHarness) -> None:
    await staff(bot, WORKER, "worker", grid_id="xinji-02")
    filed = await file_case(bot, RESIDENT, LONGEST_REPORT)
    await bot.send(RESIDENT + 1, f"/case {filed.number}")
    assert LONGEST_REPORT[:50] not in bot.last_text(RESIDENT + 1)
    assert filed.number in bot.last_text(RESIDENT + 1)


async def test_a_maximum_length_consultation_reaches_the_supervisor(bot: BotHarness) -> None:
    await staff(bot, SUPERVISOR, "supervisor", community_id="xinji")
    runtime, now = bot.runtime, bot.clock.now()
    question = "请问居住证怎么办理？需要带什么材料？" * 227  # 4,086 characters
    async with runtime.db.transaction() as session:
        resident = await UserRepository(session).get_or_create(RESIDENT, now)
        case, told = await open_consultation(
            session, question, "zh", resident, "xinji", runtime.city, runtime.catalog, now
        )
    assert told == 1
    result = await drain(bot)
    assert (result.sent, result.failed) == (1, 0)
    ping = bot.last_text(SUPERVISOR)
    assert case.number in ping and f"/case {case.number}" in ping
    await bot.press(SUPERVISOR, "查看全文")
    assert question.endswith(bot.last_text(SUPERVISOR))
    assert all(row.status == "sent" for row in await outbox_rows(bot))


def test_replies_are_fitted_where_they_are_built() -> None:
    out = Replies()
    out.say("字" * (MAX_TEXT + 500))
    reply = out.items[0]
    assert isinstance(reply, Reply) and utf16_len(reply.text) == MAX_TEXT
    with pytest.raises(CallbackDataTooLong):
        inline([[("OK", "x" * (MAX_CALLBACK_DATA + 1))]])


async def test_a_long_toast_is_shortened_not_refused(bot: BotHarness) -> None:
    """Telegram refuses a callback answer over 200 characters; the reply must still come."""
    await bot.send(RESIDENT, "/start")
    pressed = int(bot.calls(RESIDENT)[-1].result["message_id"])
    out = Replies(callback_notice="提示" * 150)
    out.say("ok")
    update = Update.de_json(bot.api.callback_update(RESIDENT, pressed, "x:y"), bot.app.bot)
    await out.send(update)
    answers = [c for c in bot.api.calls if c.method == "answerCallbackQuery"]
    assert answers[-1].ok and len(str(answers[-1].params["text"])) == MAX_TOAST
    assert bot.last_text(RESIDENT) == "ok"
