"""The broadcast engine: cancelling mid-broadcast, volunteers who blocked the bot, and
Telegram's 429 over HTTP — on SQLite and PostgreSQL, with the real outbox dispatcher."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.clock import SystemClock
from bot.outbox import OutboxDispatcher, SendLimits
from devtools.local_api import LocalBotApi, RateLimits, serve_http
from entrypoints.volunteer_jobs import run_broadcast_watch
from services.volunteers.callouts import CallOutSpec, create_callout
from storage.models import User
from storage.volunteers import Volunteer
from tests.harness import BotHarness, deliver_outbox
from tests.volunteer_helpers import (
    add_volunteers,
    create_by_wizard,
    desk_at,
    enrol_coordinator,
    outbox_counts,
)

COORDINATOR = 7001
CROWD = range(710_000, 710_150)  # more than one dispatcher batch (100 rows)
TITLE = "Flu jabs for elderly residents"


def callout_texts(bot: BotHarness, chat_id: int) -> list[str]:
    return [t for t in bot.texts(chat_id) if TITLE in t]


async def test_cancelling_mid_broadcast_stops_the_rest_and_tells_those_reached(
    bot: BotHarness,
) -> None:
    await enrol_coordinator(bot, COORDINATOR)
    await add_volunteers(bot, CROWD)
    callout = await create_by_wizard(bot, COORDINATOR, needed="10")
    key = callout.batch_key or ""
    assert callout.broadcast_total == len(CROWD)

    await deliver_outbox(bot)  # one batch of the dispatcher: the rest is still in the outbox
    reached = [tid for tid in CROWD if callout_texts(bot, tid)]
    unsent = len(CROWD) - len(reached)
    assert reached and unsent
    await bot.press(reached[0], "Join")
    assert "You're on the roster" in bot.last_text(reached[0])

    await bot.press(COORDINATOR, "Cancel call-out")
    await bot.press(COORDINATOR, "Yes, cancel it")
    told = f"{unsent} unsent messages stopped, {len(reached)} people told"
    assert told in bot.last_text(COORDINATOR)
    assert await outbox_counts(bot, key) == {"sent": len(reached), "cancelled": unsent}

    bot.clock.advance(timedelta(minutes=10))  # type: ignore[attr-defined]
    while await deliver_outbox(bot):
        pass
    for tid in CROWD:
        texts = callout_texts(bot, tid)
        if tid in reached:
            assert len([t for t in texts if "Volunteers needed" in t]) == 1
            assert "Call-out cancelled" in texts[-1]
        else:
            assert texts == []  # never sent: neither the call-out nor its cancellation
    await bot.press(reached[1], "Join")
    assert "was cancelled" in bot.last_text(reached[1])

    await run_broadcast_watch(bot.runtime)
    await deliver_outbox(bot)
    report = f"delivered {len(reached)}/{len(CROWD)}, blocked the bot 0, failed 0, cancelled"
    assert f"{report} {unsent}" in bot.last_text(COORDINATOR)


async def test_volunteers_who_blocked_the_bot_are_counted_and_left_out_next_time(
    bot: BotHarness,
) -> None:
    await enrol_coordinator(bot, COORDINATOR)
    people = range(720_000, 720_006)
    await add_volunteers(bot, people)
    for blocked in (people[1], people[4]):
        bot.api.block(blocked)
    await create_by_wizard(bot, COORDINATOR)
    await deliver_outbox(bot)
    bot.clock.advance(timedelta(seconds=30))  # type: ignore[attr-defined]
    await run_broadcast_watch(bot.runtime)
    await deliver_outbox(bot)
    assert "delivered 4/6, blocked the bot 2, failed 0" in bot.last_text(COORDINATOR)

    async with bot.runtime.db.transaction() as session:
        rows = await session.execute(
            select(User.telegram_id, Volunteer.active, Volunteer.blocked_at).join(
                Volunteer, Volunteer.user_id == User.id
            )
        )
        inactive = {tid for tid, active, blocked_at in rows if not active and blocked_at}
    assert inactive == {people[1], people[4]}

    second = await create_by_wizard(bot, COORDINATOR, title="Clean-up on Saturday")
    assert second.broadcast_total == 4

    bot.api.unblock(people[1])  # they come back and write to the bot: reachable again
    await bot.send(people[1], "/volunteer", language_code="en")
    async with bot.runtime.db.transaction() as session:
        user = (
            await session.execute(select(User).where(User.telegram_id == people[1]))
        ).scalar_one()
        volunteer = (
            await session.execute(select(Volunteer).where(Volunteer.user_id == user.id))
        ).scalar_one()
    assert volunteer.active and volunteer.blocked_at is None


async def test_a_broadcast_over_http_obeys_429_and_loses_nothing(bot: BotHarness) -> None:
    """The stand-in allows 10/s; the dispatcher believes 30/s, meets 429 and waits it out."""
    people = range(730_000, 730_040)
    await add_volunteers(bot, people)
    clock = SystemClock()
    async with bot.runtime.db.transaction() as session:
        desk = desk_at(bot, session)
        desk.now = clock.now()
        start = datetime(2030, 1, 5, 1, 0, tzinfo=UTC)
        spec = CallOutSpec(TITLE, "Xinji hall", start, start + timedelta(hours=3), needed=5)
        callout = await create_callout(desk, spec, None, None)
    api = LocalBotApi(limits=RateLimits(per_second_global=10, per_chat_per_second=1))
    server = await serve_http(api)
    try:
        request = HTTPXRequest(connection_pool_size=16)
        async with Bot(token="1:T", base_url=server.base_url, request=request) as http_bot:
            dispatcher = OutboxDispatcher(
                bot.runtime.db, http_bot, clock, SendLimits(per_second=30)
            )
            deadline = clock.now() + timedelta(seconds=60)
            while await dispatcher.backlog() and clock.now() < deadline:
                await dispatcher.run_once()
    finally:
        await server.close()
    delivered = Counter(
        c.params["chat_id"] for c in api.calls if c.method == "sendMessage" and c.ok
    )
    assert sorted(delivered) == list(people) and set(delivered.values()) == {1}
    assert any(c.status == 429 for c in api.calls)  # it was pushed back, and obeyed
    assert dispatcher.totals.flood_waits > 0
    assert await outbox_counts(bot, callout.batch_key or "") == {"sent": len(people)}
