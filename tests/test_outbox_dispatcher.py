"""The outbox dispatcher against the local Bot API stand-in, on a real SQLite file and PostgreSQL.

What a recipient sees is read from the stand-in's recorded calls; what the store holds is read
back from the outbox table.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Bot
from telegram.error import TimedOut
from telegram.request import HTTPXRequest

from bot.clock import ManualClock, SystemClock
from bot.outbox import OutboxDispatcher, SendLimits
from devtools.local_api import LocalBotApi, LocalBotApiRequest, RateLimits, serve_http
from devtools.local_api.calls import ApiCall
from storage.db import Database
from storage.migrate import upgrade
from storage.models import OutboxMessage
from storage.repositories import OutboxRepository

TOKEN = "0:test"
LEASE = timedelta(seconds=60)
# Functional tests are not about pacing: limits high enough never to wait.
UNHURRIED = SendLimits(per_second=10_000, per_chat_per_second=1_000, per_group_per_minute=60_000)
ACCEPT = [
    [{"text": "接单 Accept", "data": "case:7:accept"}, {"text": "退回", "data": "case:7:back"}]
]


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
    async with Bot(token=TOKEN, request=LocalBotApiRequest(api)) as bot:
        yield bot


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


async def add_rows(
    db: Database, clock: ManualClock | SystemClock, rows: list[tuple[int, dict[str, Any]]]
) -> list[int]:
    async with db.transaction() as session:
        outbox = OutboxRepository(session)
        added = [outbox.add(chat_id, "status", payload, clock.now()) for chat_id, payload in rows]
        await session.flush()
        return [row.id for row in added]


async def stored(db: Database) -> dict[int, OutboxMessage]:
    async with db.transaction() as session:
        rows = (await session.scalars(select(OutboxMessage))).all()
    return {row.id: row for row in rows}


def delivered(api: LocalBotApi) -> Counter[tuple[int, str]]:
    """(chat, text) of every delivered message, counted: a 2 is a duplicate a person saw."""
    return Counter(
        (call.params["chat_id"], call.params["text"])
        for call in api.calls
        if call.method == "sendMessage" and call.ok
    )


def methods(calls: list[ApiCall]) -> list[str]:
    return [call.method for call in calls]


async def test_rows_go_out_in_order_as_the_right_calls_and_are_marked_sent(
    db: Database, api: LocalBotApi, telegram_bot: Bot, clock: ManualClock
) -> None:
    photo = "AgAD-streetlight-photo"
    api.photo_update(5555, file_id=photo)  # a photo a resident sent earlier
    ids = await add_rows(
        db,
        clock,
        [
            (101, {"text": "新案件 2026-0007 分派给您", "buttons": ACCEPT, "parse_mode": None}),
            (102, {"text": "Streetlight out at block 3", "photo": photo, "buttons": ACCEPT}),
            (103, {"text": "Meet at the east gate", "location": [22.5431, 113.9507]}),
            (101, {"text": "案件 2026-0007 已办结"}),
        ],
    )
    dispatcher = OutboxDispatcher(db, telegram_bot, clock, UNHURRIED)
    assert await dispatcher.backlog() == 4

    result = await dispatcher.run_once()

    assert (result.claimed, result.sent, result.failed, result.retried) == (4, 4, 0, 0)
    worker = api.sent_to(101)
    assert methods(worker) == ["sendMessage", "sendMessage"]
    assert [c.params["text"] for c in worker] == [
        "新案件 2026-0007 分派给您",
        "案件 2026-0007 已办结",
    ]
    assert api.buttons(worker[0]) == [("接单 Accept", "case:7:accept"), ("退回", "case:7:back")]
    (photo_call,) = api.sent_to(102)
    assert photo_call.method == "sendPhoto"
    assert photo_call.params["photo"] == photo
    assert photo_call.params["caption"] == "Streetlight out at block 3"
    assert api.buttons(photo_call) == [("接单 Accept", "case:7:accept"), ("退回", "case:7:back")]
    text_call, location_call = api.sent_to(103)
    assert (text_call.method, text_call.params["text"]) == ("sendMessage", "Meet at the east gate")
    assert location_call.method == "sendLocation"
    assert (location_call.params["latitude"], location_call.params["longitude"]) == (
        22.5431,
        113.9507,
    )
    rows = await stored(db)
    assert [rows[i].status for i in ids] == ["sent"] * 4
    assert all(rows[i].sent_at == clock.now() and rows[i].claimed_until is None for i in ids)
    assert await dispatcher.backlog() == 0
    assert dispatcher.totals.sent == 4

    calls_before = len(api.calls)
    again = await dispatcher.run_once()
    assert (again.claimed, again.sent) == (0, 0)
    assert len(api.calls) == calls_before


async def test_a_crash_between_send_and_mark_resends_once_after_the_lease(
    database_url: str, db: Database, api: LocalBotApi, telegram_bot: Bot, clock: ManualClock
) -> None:
    """The at-least-once window: Telegram accepted the row, the process died before marking it
    sent. After the lease the row goes out once more, and that is the only duplicate."""
    marked_id, crashed_id = await add_rows(
        db, clock, [(201, {"text": "已分派 assigned"}), (202, {"text": "志愿者召集 call-out"})]
    )
    doomed_db = Database(database_url)  # the first process, with its own connections
    doomed = OutboxDispatcher(doomed_db, telegram_bot, clock, UNHURRIED, lease=LEASE)
    marked, crashed = await doomed.claim()
    await doomed.record(marked, await doomed.send(marked))
    await doomed.send(crashed)  # delivered ... and the process is gone before record()
    await doomed_db.dispose()

    rows = await stored(db)
    assert rows[marked_id].status == "sent"
    assert rows[crashed_id].status == "sending"
    assert rows[crashed_id].claimed_until == clock.now() + LEASE

    survivor = OutboxDispatcher(db, telegram_bot, clock, UNHURRIED, lease=LEASE)
    assert (await survivor.run_once()).claimed == 0  # the lease still holds
    clock.advance(LEASE + timedelta(seconds=1))
    result = await survivor.run_once()
    assert (result.claimed, result.sent) == (1, 1)
    assert (await survivor.run_once()).claimed == 0

    rows = await stored(db)
    assert rows[crashed_id].status == "sent"
    assert delivered(api) == {(201, "已分派 assigned"): 1, (202, "志愿者召集 call-out"): 2}


class HeldSleep:
    """A sleep the test releases, so a flood-control pause can be observed while it lasts."""

    def __init__(self) -> None:
        self.requested: list[float] = []
        self.started = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        self.requested.append(seconds)
        self.started.set()
        await self.release.wait()


async def test_retry_after_pauses_every_send_then_delivers_everything(
    db: Database, api: LocalBotApi, telegram_bot: Bot, clock: ManualClock
) -> None:
    ids = await add_rows(db, clock, [(300 + n, {"text": f"notice {n}"}) for n in range(5)])
    api.fail_next("sendMessage", 429, "Too Many Requests: retry after 2", retry_after=2)
    sleep = HeldSleep()
    dispatcher = OutboxDispatcher(db, telegram_bot, clock, UNHURRIED, sleep=sleep)

    run = asyncio.create_task(dispatcher.run_once())
    await asyncio.wait_for(sleep.started.wait(), 5)
    calls_at_pause = len(api.calls)
    await asyncio.sleep(0.2)
    assert len(api.calls) == calls_at_pause  # no chat is sent to while the bot is paused
    sleep.release.set()
    result = await asyncio.wait_for(run, 5)

    assert sleep.requested == [2.0]
    assert (result.sent, result.retried, result.failed, result.flood_waits) == (5, 0, 0, 1)
    assert sorted(delivered(api).values()) == [1] * 5
    assert [c.status for c in api.calls if c.method == "sendMessage"].count(429) == 1
    rows = await stored(db)
    assert [(rows[i].status, rows[i].attempts) for i in ids] == [("sent", 0)] * 5


async def test_server_errors_back_off_exponentially_then_fail_with_the_reason(
    db: Database, api: LocalBotApi, telegram_bot: Bot, clock: ManualClock
) -> None:
    (row_id,) = await add_rows(db, clock, [(401, {"text": "SLA reminder"})])
    api.fail_next("sendMessage", 500, "Internal Server Error: try later", times=4)
    dispatcher = OutboxDispatcher(db, telegram_bot, clock, UNHURRIED, max_attempts=4)

    for attempt, wait in enumerate([1, 2, 4], start=1):
        result = await dispatcher.run_once()
        assert (result.retried, result.failed) == (1, 0)
        row = (await stored(db))[row_id]
        assert (row.status, row.attempts) == ("pending", attempt)
        assert row.not_before == clock.now() + timedelta(seconds=wait)
        assert row.error == "NetworkError: Internal Server Error: try later"
        clock.advance(timedelta(seconds=wait) - timedelta(milliseconds=1))
        assert (await dispatcher.run_once()).claimed == 0  # not before its time
        clock.advance(timedelta(milliseconds=1))

    result = await dispatcher.run_once()
    assert (result.retried, result.failed) == (0, 1)
    row = (await stored(db))[row_id]
    assert (row.status, row.attempts) == ("failed", 4)
    assert row.error == "NetworkError: Internal Server Error: try later"
    assert api.sent_to(401) == []


class TimingOutRequest(LocalBotApiRequest):
    """The network edge timing out on the next ``times`` sends, as a flaky uplink would."""

    def __init__(self, api: LocalBotApi, times: int) -> None:
        super().__init__(api)
        self.times = times

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> Any:
        if "/send" in url and self.times:
            self.times -= 1
            raise TimedOut("Timed out")
        return await super().do_request(url, method, *args, **kwargs)


async def test_timeouts_are_retried_with_backoff_until_delivered(
    db: Database, api: LocalBotApi, clock: ManualClock
) -> None:
    (row_id,) = await add_rows(db, clock, [(402, {"text": "您的报修已受理"})])
    async with Bot(token=TOKEN, request=TimingOutRequest(api, times=2)) as flaky_bot:
        dispatcher = OutboxDispatcher(db, flaky_bot, clock, UNHURRIED)
        assert (await dispatcher.run_once()).retried == 1
        clock.advance(timedelta(seconds=1))
        assert (await dispatcher.run_once()).retried == 1
        clock.advance(timedelta(seconds=2))
        assert (await dispatcher.run_once()).sent == 1
    row = (await stored(db))[row_id]
    assert (row.status, row.attempts, row.error) == ("sent", 2, None)
    assert delivered(api) == {(402, "您的报修已受理"): 1}


async def test_a_failed_location_is_retried_without_repeating_the_text(
    db: Database, api: LocalBotApi, telegram_bot: Bot, clock: ManualClock
) -> None:
    (row_id,) = await add_rows(
        db, clock, [(403, {"text": "Check-in point", "location": [22.54, 113.95]})]
    )
    api.fail_next("sendLocation", 502, "Bad Gateway")
    dispatcher = OutboxDispatcher(db, telegram_bot, clock, UNHURRIED)
    assert (await dispatcher.run_once()).retried == 1
    clock.advance(timedelta(seconds=1))
    assert (await dispatcher.run_once()).sent == 1
    assert methods(api.sent_to(403)) == ["sendMessage", "sendLocation"]
    assert (await stored(db))[row_id].status == "sent"


@pytest.mark.parametrize(
    ("refuse", "error", "reported_blocked"),
    [
        (lambda api: api.block(501), "blocked", [501]),
        (
            lambda api: api.fail_next("sendMessage", 400, "Bad Request: chat not found"),
            "BadRequest: Chat not found",  # PTB capitalises Telegram's description
            [],
        ),
    ],
    ids=["blocked", "bad_request"],
)
async def test_refusals_fail_at_once_with_the_reason(
    db: Database,
    api: LocalBotApi,
    telegram_bot: Bot,
    clock: ManualClock,
    refuse: Callable[[LocalBotApi], None],
    error: str,
    reported_blocked: list[int],
) -> None:
    failing_id, fine_id = await add_rows(
        db, clock, [(501, {"text": "call-out: elderly visits"}), (502, {"text": "call-out"})]
    )
    refuse(api)
    blocked: list[int] = []

    async def on_blocked(chat_id: int) -> None:
        blocked.append(chat_id)

    dispatcher = OutboxDispatcher(db, telegram_bot, clock, UNHURRIED, on_blocked=on_blocked)
    result = await dispatcher.run_once()

    assert result.sent == 1 and result.retried == 0
    assert (result.blocked, result.failed) == ((1, 0) if reported_blocked else (0, 1))
    rows = await stored(db)
    assert (rows[failing_id].status, rows[failing_id].error) == ("failed", error)
    assert rows[fine_id].status == "sent"
    assert blocked == reported_blocked
    assert (await dispatcher.run_once()).claimed == 0  # never tried again


async def test_two_dispatchers_send_every_row_exactly_once(
    database_url: str, db: Database, api: LocalBotApi, clock: ManualClock
) -> None:
    ids = await add_rows(
        db, clock, [(600 + n % 50, {"text": f"broadcast {n}"}) for n in range(500)]
    )

    async def drain() -> int:
        """One dispatcher process: its own connections and its own Bot."""
        process_db = Database(database_url)
        try:
            async with Bot(token=TOKEN, request=LocalBotApiRequest(api)) as bot:
                dispatcher = OutboxDispatcher(process_db, bot, clock, UNHURRIED, batch_size=20)
                while (await dispatcher.run_once()).claimed:
                    pass
                return dispatcher.totals.sent
        finally:
            await process_db.dispose()

    first, second = await asyncio.gather(drain(), drain())

    assert first + second == 500
    assert first > 0 and second > 0  # both really took part
    counts = delivered(api)
    assert len(counts) == 500 and set(counts.values()) == {1}
    rows = await stored(db)
    assert {rows[i].status for i in ids} == {"sent"}
    for chat in range(600, 650):  # each chat's rows in id order
        texts = [call.params["text"] for call in api.sent_to(chat)]
        assert texts == sorted(texts, key=lambda text: int(text.split()[1]))


async def test_own_limiter_keeps_under_telegrams_rate_over_http(db: Database) -> None:
    api = LocalBotApi(limits=RateLimits(per_second_global=30))
    server = await serve_http(api)
    clock = SystemClock()
    await add_rows(db, clock, [(700 + n, {"text": f"call-out {n}"}) for n in range(90)])
    request = HTTPXRequest(connection_pool_size=16)
    try:
        async with Bot(token=TOKEN, base_url=server.base_url, request=request) as bot:
            dispatcher = OutboxDispatcher(db, bot, clock, SendLimits(per_second=30))
            started = time.monotonic()
            while (await dispatcher.run_once()).claimed:
                pass
            elapsed = time.monotonic() - started
    finally:
        await server.close()

    assert [call.status for call in api.calls if call.status == 429] == []
    assert dispatcher.totals.flood_waits == 0
    assert len(delivered(api)) == 90
    assert elapsed >= 2.0  # 30 now, 30 a second later, 30 a second after that
