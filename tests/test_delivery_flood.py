"""Issue 14 item 4: one limiter on the send path. Telegram's 429 ``retry_after`` (30 s here) is
waited out and counted by the outbox dispatcher itself, never inside a claim's lease: a wait
that would outlive the claim hands the row back instead, so no second dispatcher sends it too.
Production limits (30/s, 1/s per chat), a manual clock, SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from telegram import Bot

from bot.clock import ManualClock
from bot.outbox import OutboxDispatcher, SendLimits
from devtools.local_api import LocalBotApi, LocalBotApiRequest
from entrypoints.app import build_application, build_runtime
from entrypoints.background import SEND_CALL_BOUND, SEND_LEASE
from nlu.embedded import EmbeddedBackend
from storage.db import Database
from storage.migrate import upgrade
from storage.models import OutboxMessage
from storage.repositories import OutboxRepository
from tests.conftest import make_settings

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
RETRY_AFTER = 30
FLOOD = "Too Many Requests: retry after 30"


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await upgrade(database)
    yield database
    await database.dispose()


@pytest.fixture
def api() -> LocalBotApi:
    return LocalBotApi()


@pytest.fixture
async def telegram_bot(api: LocalBotApi) -> AsyncIterator[Bot]:
    async with Bot(token="0:flood", request=LocalBotApiRequest(api)) as bot:
        yield bot


def dispatcher(db: Database, bot: Bot, clock: ManualClock) -> OutboxDispatcher:
    """As production builds it (entrypoints.background), with a sleep moving the manual clock."""

    async def sleep(seconds: float) -> None:
        clock.advance(timedelta(seconds=seconds))

    return OutboxDispatcher(
        db,
        bot,
        clock,
        SendLimits(),
        lease=SEND_LEASE,
        call_time_bound=SEND_CALL_BOUND,
        sleep=sleep,
    )


async def add(db: Database, clock: ManualClock, *rows: tuple[int, str]) -> None:
    async with db.transaction() as session:
        for chat_id, text in rows:
            OutboxRepository(session).add(chat_id, "status", {"text": text}, clock.now())


def delivered(api: LocalBotApi) -> Counter[tuple[int, str]]:
    return Counter(
        (int(c.params["chat_id"]), str(c.params["text"]))
        for c in api.calls
        if c.method == "sendMessage" and c.ok
    )


async def statuses(db: Database) -> list[str]:
    async with db.transaction() as session:
        rows = await session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id))
        return list(rows)


async def test_a_30_second_retry_after_is_waited_out_and_counted_by_the_dispatcher(
    db: Database, api: LocalBotApi, telegram_bot: Bot
) -> None:
    clock = ManualClock()
    started = clock.now()
    await add(db, clock, (101, "案件 GD-2026-000001 已受理"))
    api.fail_next("sendMessage", 429, FLOOD, retry_after=RETRY_AFTER)

    result = await dispatcher(db, telegram_bot, clock).run_once()

    assert (result.sent, result.flood_waits, result.released, result.failed) == (1, 1, 0, 0)
    assert clock.now() - started >= timedelta(seconds=RETRY_AFTER)
    assert delivered(api) == {(101, "案件 GD-2026-000001 已受理"): 1}
    assert await statuses(db) == ["sent"]


async def test_a_wait_longer_than_the_lease_hands_the_row_back_and_nobody_sends_it_twice(
    db: Database, api: LocalBotApi, telegram_bot: Bot
) -> None:
    clock = ManualClock()
    started = clock.now()
    await add(db, clock, (101, "first"), (101, "second"))
    # Three 30 s waits and the longest call would reach past the 120 s claim.
    waits = 3
    assert waits * timedelta(seconds=RETRY_AFTER) + SEND_CALL_BOUND > SEND_LEASE
    api.fail_next("sendMessage", 429, FLOOD, retry_after=RETRY_AFTER, times=waits)
    first, second = dispatcher(db, telegram_bot, clock), dispatcher(db, telegram_bot, clock)

    handed_back = await first.run_once()
    assert (handed_back.sent, handed_back.flood_waits, handed_back.released) == (0, waits, 2)
    assert delivered(api) == {}
    async with db.transaction() as session:
        rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    assert [row.status for row in rows] == ["pending", "pending"]
    # Due again when Telegram allows (30 s after the last refusal), not before.
    assert rows[0].not_before == started + waits * timedelta(seconds=RETRY_AFTER)

    later = await second.run_once()
    assert (later.sent, later.flood_waits) == (2, 0)
    assert delivered(api) == {(101, "first"): 1, (101, "second"): 1}
    sent = [c.params["text"] for c in api.calls if c.ok and c.method == "sendMessage"]
    assert sent == ["first", "second"]  # in order
    assert await statuses(db) == ["sent", "sent"]


async def test_production_sends_have_no_second_limiter_inside_the_call(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> None:
    """With a token set, PTB's AIORateLimiter would wait out 429s inside the call, where the
    dispatcher can neither count them nor keep them inside its lease."""
    settings = make_settings(database_url, tmp_path, telegram_token="123456:real-token-shape")
    runtime = build_runtime(settings, nlu=embedded_nlu, clock=ManualClock())
    app = build_application(runtime, request=LocalBotApiRequest(LocalBotApi()))
    assert app.bot.rate_limiter is None
