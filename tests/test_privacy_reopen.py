"""Reopening has a window: an old "not fixed" says so and points to a new report; a reopen
clears `closed_at`, so the retention purge never takes an open case for a finished one."""

from __future__ import annotations

from datetime import timedelta

from entrypoints.scheduler import run_retention_purge
from tests.harness import BotHarness
from tests.privacy_scenes import PHONE, RESIDENT, resolved_case
from tests.support.cases import case_row


async def test_not_fixed_after_the_window_says_so_and_points_to_a_new_report(
    bot: BotHarness,
) -> None:
    case = await resolved_case(bot)
    bot.clock.advance(timedelta(days=31))  # the window is 30 days (settings)
    await bot.press(RESIDENT, "没解决")
    answer = bot.last_text(RESIDENT)
    assert case.number in answer and "不能再重新打开" in answer and "重新登记" in answer
    assert (await case_row(bot, case.id)).status != "reopened"


async def test_reopen_within_the_window_clears_closed_at_and_the_purge_keeps_the_case_whole(
    bot: BotHarness,
) -> None:
    case = await resolved_case(bot)
    await bot.press(RESIDENT, "解决了")
    closed = await case_row(bot, case.id)
    assert closed.status == "closed" and closed.closed_at is not None
    bot.clock.advance(timedelta(days=20))
    await bot.press(RESIDENT, "没解决")  # the old button, still on the resident's screen
    reopened = await case_row(bot, case.id)
    assert (reopened.status, reopened.closed_at, reopened.resolved_at) == ("reopened", None, None)

    bot.clock.advance(timedelta(days=400))  # far past any retention
    await run_retention_purge(bot.runtime)
    kept = await case_row(bot, case.id)
    assert kept.contact_phone == PHONE and kept.latitude is not None
