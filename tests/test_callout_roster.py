"""A call-out end to end on SQLite and PostgreSQL: roster and waitlist, reminders, check-in.

Everything through the Application and the real outbox dispatcher; only Telegram is faked.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from entrypoints.volunteer_jobs import run_broadcast_watch, run_callout_reminders
from storage.models import User
from storage.volunteers import CallOutResponse
from tests.harness import BotHarness, deliver_outbox
from tests.support.callouts import (
    COORDINATOR,
    V1,
    V2,
    V3,
    V4,
    V5,
    five_volunteers_and_a_callout_for_three,
    roster_of_three,
)
from tests.support.cases import centre_of
from tests.volunteer_helpers import (
    advance_to,
    statuses,
)

METRES_PER_DEGREE_LAT = 111_195


async def test_three_on_the_roster_two_waiting_a_dropout_promotes_the_first(
    bot: BotHarness,
) -> None:
    callout = await roster_of_three(bot)
    for volunteer in (V1, V2, V3):
        assert "You're on the roster" in bot.last_text(volunteer)
        assert bot.calls(volunteer)[-1].method == "sendLocation"  # the map pin
    assert "number 1 on the waitlist" in bot.last_text(V4)
    assert "number 2 on the waitlist" in bot.last_text(V5)
    await deliver_outbox(bot)
    assert any("The roster is full" in t for t in bot.texts(COORDINATOR))

    await bot.press(V2, "I can't come after all")
    assert "You're off the roster" in bot.last_text(V2)
    await deliver_outbox(bot)
    assert "A place opened up" in bot.last_text(V4)
    assert not any("dropped out" in t for t in bot.texts(COORDINATOR))  # still full
    assert await statuses(bot, callout.id) == {
        V1: "joined",
        V2: "dropped",
        V3: "joined",
        V4: "joined",
        V5: "waitlisted",
    }

    await bot.press(V5, "Join")  # again: nothing changes, and V5 is told where they stand
    assert "already on the waitlist (number 1)" in bot.last_text(V5)

    await bot.press(COORDINATOR, "Roster")
    assert "roster 3/3, waitlist 1" in bot.last_text(COORDINATOR)

    bot.clock.advance(timedelta(minutes=5))  # type: ignore[attr-defined]
    await run_broadcast_watch(bot.runtime)
    await deliver_outbox(bot)
    coordinator_texts = bot.texts(COORDINATOR)
    assert any(
        "broadcast finished: delivered 5/5, blocked the bot 0" in t for t in coordinator_texts
    )
    assert any("roster: 3/3, waitlist 1" in t for t in coordinator_texts)


async def test_reminders_the_day_before_and_an_hour_before_once_each(bot: BotHarness) -> None:
    callout = await roster_of_three(bot)
    start = callout.starts_at

    async def remind_at(delta: timedelta) -> tuple[int, int]:
        advance_to(bot, start, delta)
        done = await run_callout_reminders(bot.runtime)
        again = await run_callout_reminders(bot.runtime)  # idempotent
        assert (again.day, again.hour) == (0, 0)
        await deliver_outbox(bot)
        return done.day, done.hour

    assert await remind_at(-timedelta(hours=24, minutes=1)) == (0, 0)
    assert await remind_at(-timedelta(hours=23, minutes=59)) == (3, 0)
    for volunteer in (V1, V2, V3):
        assert "Tomorrow: Flu jabs" in bot.last_text(volunteer)
    assert "Tomorrow" not in bot.last_text(V4)  # waitlisted: nothing to remind
    assert await remind_at(-timedelta(hours=1, minutes=1)) == (0, 0)
    assert await remind_at(-timedelta(minutes=59)) == (0, 3)
    for volunteer in (V1, V2, V3):
        assert "Starting in an hour" in bot.last_text(volunteer)
        assert bot.calls(volunteer)[-1].method == "sendLocation"
    assert await remind_at(timedelta(minutes=30)) == (0, 0)


async def test_a_promotion_after_the_day_before_gets_only_the_hour_reminder(
    bot: BotHarness,
) -> None:
    callout = await roster_of_three(bot)
    advance_to(bot, callout.starts_at, -timedelta(hours=5))
    await bot.press(V1, "I can't come after all")
    await deliver_outbox(bot)
    assert "A place opened up" in bot.last_text(V4)
    day_and_hour = await run_callout_reminders(bot.runtime)
    assert (day_and_hour.day, day_and_hour.hour) == (2, 0)  # V2 and V3; V4 just heard
    advance_to(bot, callout.starts_at, -timedelta(minutes=50))
    assert (await run_callout_reminders(bot.runtime)).hour == 3


async def test_check_in_by_button_and_by_location_records_hours_and_points(
    bot: BotHarness,
) -> None:
    callout = await roster_of_three(bot)
    lat, lon = centre_of(bot, "xinji-02")
    start = callout.starts_at

    advance_to(bot, start, -timedelta(minutes=40))
    await bot.press(V1, "Check in")
    assert "opens at 08:30" in bot.last_text(V1)

    advance_to(bot, start, timedelta(minutes=5))
    await bot.press(V1, "Check in")
    assert "3 hours recorded, 35 points" in bot.last_text(V1)
    await bot.press(V1, "Check in")
    assert "already checked in" in bot.last_text(V1)

    advance_to(bot, start, timedelta(minutes=20))
    await bot.share_location(V2, lat + 100 / METRES_PER_DEGREE_LAT, lon)  # 100 m away
    assert "2.75 hours recorded, 33 points" in bot.last_text(V2)
    await bot.share_location(V3, lat + 2000 / METRES_PER_DEGREE_LAT, lon)  # 2 km away
    assert "about 2000 m" in bot.last_text(V3)
    # Waitlisted, so V4 has no Check in button; a forged press is refused all the same.
    last = bot.calls(V4)[-1]
    await bot.feed(
        bot.api.callback_update(V4, int(last.result["message_id"]), f"co:in:{callout.id}")
    )
    assert "not on the roster" in bot.last_text(V4)

    async with bot.runtime.db.transaction() as session:
        rows = await session.execute(
            select(User.telegram_id, CallOutResponse.hours, CallOutResponse.check_in_method)
            .join(User, User.id == CallOutResponse.user_id)
            .where(CallOutResponse.checked_in_at.is_not(None))
        )
        recorded = {tid: (hours, method) for tid, hours, method in rows}
    assert recorded == {V1: (3.0, "button"), V2: (2.75, "location")}

    await bot.send(V1, "/myhours", language_code="en")
    assert "3 hours, 35 points, 1 call-outs" in bot.last_text(V1)
    assert "This month: 3 hours" in bot.last_text(V1)


async def test_an_erased_volunteer_frees_the_seat_and_the_waitlist_moves_up(
    bot: BotHarness,
) -> None:
    # /forgetme removes the profile; a seat held by it would be a hidden, unfillable place.
    callout = await roster_of_three(bot)
    await bot.send(V2, "/forgetme")
    await bot.press(V2, "Erase")
    await deliver_outbox(bot)
    assert "A place opened up" in bot.last_text(V4)
    left = await statuses(bot, callout.id)
    assert sorted(status for tid, status in left.items() if tid < 0) == ["dropped"]  # V2, erased
    assert {tid: left[tid] for tid in (V1, V3, V4, V5)} == {
        V1: "joined",
        V3: "joined",
        V4: "joined",
        V5: "waitlisted",
    }
    await bot.press(COORDINATOR, "Roster")
    assert "roster 3/3, waitlist 1" in bot.last_text(COORDINATOR)


async def test_typed_join_answers_the_broadcast(bot: BotHarness) -> None:
    # The call-out came through the outbox; typing its button's label is pressing it.
    callout = await five_volunteers_and_a_callout_for_three(bot)
    await bot.send(V1, "join")
    await bot.send(V2, "✋ Join")
    left = await statuses(bot, callout.id)
    assert (left.get(V1), left.get(V2)) == ("joined", "joined")
    assert any("You're on the roster" in text for text in bot.texts(V1)[-2:])
