"""Changing a live call-out, and the monthly recognition, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from entrypoints.volunteer_jobs import run_callout_reminders, run_monthly_recognition
from tests.harness import BotHarness, deliver_outbox
from tests.support.callouts import COORDINATOR, V1, V2, V3, V4, V5, roster_of_three
from tests.volunteer_helpers import advance_to, statuses


async def test_a_change_tells_everyone_on_it_and_new_places_promote_the_waitlist(
    bot: BotHarness,
) -> None:
    callout = await roster_of_three(bot)
    advance_to(bot, callout.starts_at, -timedelta(hours=23))
    assert (await run_callout_reminders(bot.runtime)).day == 3
    await deliver_outbox(bot)

    await bot.send(COORDINATOR, "/callouts")
    assert "Flu jabs" in bot.last_text(COORDINATOR)
    await bot.press(COORDINATOR, "Change")
    await bot.press(COORDINATOR, "Time")
    await bot.send(COORDINATOR, "2026-11-26 14:00-17:00")
    assert "5 people were told" in bot.texts(COORDINATOR)[-1]
    await deliver_outbox(bot)
    for volunteer in (V1, V2, V3):
        assert "Call-out changed: Flu jabs" in bot.last_text(volunteer)
        assert "Thu 26 Nov 14:00–17:00" in bot.last_text(volunteer)
    assert "you are on the waitlist" in bot.last_text(V4)

    new_start = datetime(2026, 11, 26, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai
    advance_to(bot, new_start, -timedelta(hours=23))
    assert (await run_callout_reminders(bot.runtime)).day == 3  # due again at the new time

    await bot.press(COORDINATOR, "Change")
    await bot.press(COORDINATOR, "Number needed")
    await bot.send(COORDINATOR, "2")
    assert "3 people are on the roster already" in bot.last_text(COORDINATOR)
    await bot.send(COORDINATOR, "5 people")  # a count read as the wizard reads it ("5人" too)
    assert "changed" in bot.texts(COORDINATOR)[-1]
    await deliver_outbox(bot)
    assert "A place opened up" in bot.last_text(V4)
    assert "A place opened up" in bot.last_text(V5)
    assert set((await statuses(bot, callout.id)).values()) == {"joined"}
    assert any("The roster is full" in t and "5/5" in t for t in bot.texts(COORDINATOR))


async def test_the_monthly_recognition_goes_once_per_grid(bot: BotHarness) -> None:
    callout = await roster_of_three(bot)
    advance_to(bot, callout.starts_at, timedelta(minutes=5))
    await bot.press(V1, "Check in")
    await bot.press(V2, "Check in")

    bot.clock.set(datetime(2026, 11, 30, 15, 30, tzinfo=UTC))  # type: ignore[attr-defined]
    assert await run_monthly_recognition(bot.runtime) == 0  # 23:30 in Shanghai: still November
    bot.clock.set(datetime(2026, 11, 30, 16, 30, tzinfo=UTC))  # type: ignore[attr-defined]
    assert await run_monthly_recognition(bot.runtime) == 1  # Xinji Grid 2 only
    assert await run_monthly_recognition(bot.runtime) == 0
    await deliver_outbox(bot)
    for volunteer in (V1, V2):
        text = bot.last_text(volunteer)
        assert "Xinji Grid 2 volunteers, Nov 2026: 2 volunteers gave 6 hours" in text
        assert "You gave 3 hours this month, 35 points" in text
    assert "You gave" not in bot.last_text(V5)
    assert "Xinji Grid 2 volunteers, Nov 2026" in bot.last_text(V5)
    assert "Xinji Grid 2 volunteering, Nov 2026" in bot.last_text(COORDINATOR)
