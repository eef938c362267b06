"""Due times through the bot, in both languages, with a frozen clock: a report filed on a
Friday afternoon counts working days past the weekend, and every reader sees the city's
wall clock as people say it."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from entrypoints.app import build_runtime
from nlu.embedded import EmbeddedBackend
from services.staff import create_invite
from storage.models import Case
from tests.conftest import make_settings
from tests.harness import BotHarness, deliver_outbox

RESIDENT = 515151
WORKER = 626262
SHANGHAI = ZoneInfo("Asia/Shanghai")
FRIDAY_AFTERNOON = datetime(2026, 11, 27, 16, 0, tzinfo=SHANGHAI)


async def enrol_worker(bot: BotHarness, grid_id: str, language_code: str) -> None:
    async with bot.runtime.db.transaction() as session:
        made = await create_invite(
            session, bot.runtime.city, "worker", bot.clock.now(), grid_id=grid_id
        )
    await bot.send(WORKER, f"/join {made.code}", language_code=language_code)


async def only_case(bot: BotHarness) -> Case:
    async with bot.runtime.db.transaction() as session:
        (case,) = (await session.execute(select(Case))).scalars().all()
        return case


async def test_chinese_report_on_friday_is_due_three_working_days_later(bot: BotHarness) -> None:
    bot.clock.set(FRIDAY_AFTERNOON)  # type: ignore[attr-defined]
    await enrol_worker(bot, "xinji-02", "zh")
    await bot.send(RESIDENT, "路灯坏了，3栋门口黑漆漆的")
    await bot.press(RESIDENT, "对")
    await bot.share_location(RESIDENT, *bot.runtime.city.grids["xinji-02"].centre())
    await bot.press_keyboard(RESIDENT, "提交")
    # Mon, Tue, Wed are the three working days (the Friday of filing does not count).
    assert "预计3个工作日内（12月2日 周三 17:30 前）处理完" in bot.last_text(RESIDENT)
    case = await only_case(bot)
    assert case.due_at == datetime(2026, 12, 2, 17, 30, tzinfo=SHANGHAI)
    # a street-light case waits 2 working hours to be accepted: 1.5 h on Friday, 0.5 h Monday
    assert case.accept_due_at == datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)
    await deliver_outbox(bot)
    ping = next(text for text in bot.texts(WORKER) if case.number in text)
    assert "12月2日 周三 17:30" in ping
    assert "2026-12" not in ping  # no machine-format dates


async def test_english_report_on_friday_is_due_three_working_days_later(
    bot: BotHarness,
) -> None:
    bot.clock.set(FRIDAY_AFTERNOON)  # type: ignore[attr-defined]
    await enrol_worker(bot, "xinji-02", "en")
    await bot.send(
        RESIDENT, "the street light outside building 3 is broken, it's pitch dark", "en"
    )
    await bot.press(RESIDENT, "Yes")
    await bot.share_location(RESIDENT, *bot.runtime.city.grids["xinji-02"].centre())
    await bot.press_keyboard(RESIDENT, "Submit")
    assert "Expected to be handled within 3 working days (by Wed 2 Dec, 17:30)." in (
        bot.last_text(RESIDENT)
    )
    await deliver_outbox(bot)
    case = await only_case(bot)
    ping = next(text for text in bot.texts(WORKER) if case.number in text)
    assert "Wed 2 Dec, 17:30" in ping


async def test_a_report_before_national_day_waits_for_the_holiday(bot: BotHarness) -> None:
    # Filed on 30 September: 1-7 October are off, Saturday 10 October is a make-up day.
    bot.clock.set(datetime(2026, 9, 30, 16, 0, tzinfo=SHANGHAI))  # type: ignore[attr-defined]
    await bot.send(RESIDENT, "路灯坏了，3栋门口黑漆漆的")
    await bot.press(RESIDENT, "对")
    await bot.share_location(RESIDENT, *bot.runtime.city.grids["xinji-02"].centre())
    await bot.press_keyboard(RESIDENT, "提交")
    assert "3个工作日内（10月10日 周六 17:30 前）" in bot.last_text(RESIDENT)


async def test_the_accept_reminder_counts_office_time_too(bot: BotHarness) -> None:
    # Friday 16:00, 2 working hours to accept: due Monday 09:00; the reminder at 80 % of the
    # office time (1 h 36 min) comes on Monday at 08:36, not on Friday night or the weekend.
    bot.clock.set(FRIDAY_AFTERNOON)  # type: ignore[attr-defined]
    await enrol_worker(bot, "xinji-02", "zh")
    await bot.send(RESIDENT, "路灯坏了，3栋门口黑漆漆的")
    await bot.press(RESIDENT, "对")
    await bot.share_location(RESIDENT, *bot.runtime.city.grids["xinji-02"].centre())
    await bot.press_keyboard(RESIDENT, "提交")
    case = await only_case(bot)
    assert case.accept_due_at == datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI)
    assert case.accept_remind_at == datetime(2026, 11, 30, 8, 36, tzinfo=SHANGHAI)


def test_start_up_warns_when_the_holiday_data_runs_out(
    tmp_path: Path, embedded_nlu: EmbeddedBackend, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}", tmp_path)
    with caplog.at_level(logging.WARNING, logger="entrypoints.app"):
        build_runtime(settings, clock=ManualClock(FRIDAY_AFTERNOON), nlu=embedded_nlu)
    assert "the holiday data ends 2026-12-31" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="entrypoints.app"):
        june = datetime(2026, 6, 1, 9, 0, tzinfo=SHANGHAI)
        build_runtime(settings, clock=ManualClock(june), nlu=embedded_nlu)
    assert "holiday data" not in caplog.text
