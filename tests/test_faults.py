"""Faults while the bot runs: the database restarts, Telegram refuses or times out, the process
is killed mid-conversation or mid-broadcast. Nothing stored is lost; nothing delivered twice
except within the outbox's documented at-least-once window (bot/outbox/dispatcher.py).

The bot is the real `griddesk run` long-polling the HTTP stand-in (tests/live.py), or the real
outbox dispatcher over PTB's HTTP client, as noted per test.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
from collections import Counter, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.clock import ManualClock, SystemClock
from bot.outbox import OutboxDispatcher, SendLimits
from bot.runtime import Runtime
from devtools.local_api import LocalBotApi, serve_http
from devtools.local_api.params import decode_params
from entrypoints.app import build_runtime, prepare_database
from nlu.embedded import EmbeddedBackend
from services.staff import create_invite, join
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Case, OutboxMessage
from storage.repositories import OutboxRepository, UserRepository
from tests.conftest import (
    create_postgres_database,
    drop_postgres_database,
    make_settings,
    postgres_url_or_skip,
)
from tests.live import (
    BotProcess,
    Inbox,
    Report,
    Resident,
    chat_of,
    error_texts,
    nothing,
    start_bot,
    text_of,
    wait_until_answering,
)
from tests.support.processes import _say, _start

ALLOW_RESTART_ENV = "GRIDDESK_ALLOW_PG_RESTART"
XINJI_02 = (23.036, 113.7505)  # inside grid xinji-02 of the demo city
WORKER = 9_100_001
REPLY_TIMEOUT = 60.0
NOT_FOR_PEOPLE = "1000000"  # flood limit: simulated residents answer within milliseconds
# The worker's pings at Telegram's 1/s per chat would pace the outbox waits; the stand-in has no
# flood limit here and delivery once per row does not depend on the rate.
FAST_PER_CHAT = "50"


# -- PostgreSQL restarted under a running bot ---------------------------------------------


def pg_cluster(action: str) -> None:
    """``pg_ctlcluster`` on the local server (root, Debian layout); fast shutdown on stop."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action]
    subprocess.run(command, check=True, timeout=120, capture_output=True)


async def wait_for_postgres(admin_url: str, seconds: float = 90.0) -> None:
    import asyncpg

    dsn = admin_url.replace("postgresql+asyncpg://", "postgresql://")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        try:
            conn = await asyncpg.connect(dsn, timeout=5)
        except (OSError, asyncpg.PostgresError, TimeoutError):
            if loop.time() > deadline:
                raise
            await asyncio.sleep(0.5)
            continue
        await conn.close()
        return


async def outbox_settled(db: Database, seconds: float) -> list[OutboxMessage]:
    """All outbox rows, once none is pending or being sent (bounded wait)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        async with db.transaction() as session:
            rows = list((await session.scalars(select(OutboxMessage))).all())
        if all(row.status not in ("pending", "sending") for row in rows):
            return rows
        assert loop.time() < deadline, Counter(row.status for row in rows)
        await asyncio.sleep(0.3)


async def enrol_worker(runtime: Runtime, grid_id: str) -> None:
    """A worker in the grid, so every case filed there queues pings in the outbox."""
    now = runtime.clock.now()
    async with runtime.db.transaction() as session:
        invite = await create_invite(session, runtime.city, "worker", now, grid_id=grid_id)
        worker = await UserRepository(session).get_or_create(WORKER, now)
        await join(session, worker, invite.code, now)


@pytest.mark.postgres
@pytest.mark.serial  # other tests' PostgreSQL connections would see the restart
@pytest.mark.skipif(
    os.environ.get(ALLOW_RESTART_ENV) != "1",
    reason=f"restarts the shared PostgreSQL server; set {ALLOW_RESTART_ENV}=1 to run it",
)
async def test_postgres_restart_under_a_running_bot_loses_nothing(
    tmp_path: Path, nlu_cache_dir: Path, embedded_nlu: EmbeddedBackend
) -> None:
    admin = postgres_url_or_skip()
    db_url = await create_postgres_database(admin)
    runtime = build_runtime(make_settings(db_url, tmp_path), nlu=embedded_nlu, clock=SystemClock())
    api = LocalBotApi()
    inbox = Inbox(api)
    server = await serve_http(api)
    errors = error_texts(runtime.catalog)
    stopped = False
    bot = None
    try:
        await prepare_database(runtime)
        await enrol_worker(runtime, "xinji-02")
        bot = start_bot(
            server,
            db_url,
            tmp_path,
            cache_dir=nlu_cache_dir.parent,
            rate_limit_per_minute=NOT_FOR_PEOPLE,
            send_per_chat_per_second=FAST_PER_CHAT,
        )
        await wait_until_answering(api, inbox, bot)
        people = [Resident(api, inbox, 8_100_000 + n, "zh-hans", errors) for n in range(6)]

        async def report(resident: Resident, round_: str) -> str | None:
            text = f"路灯坏了，3栋门口黑漆漆的 [{round_}]"
            return (await resident.report(text, XINJI_02, REPLY_TIMEOUT)).number

        before = await asyncio.gather(*(report(p, "before") for p in people[:4]))
        assert all(before), before
        # The last resident is mid-report when the database goes away: asked where it is.
        midway = people[-1]
        midway_report = Report("楼下垃圾桶满了好几天没人清 [midway]")
        assert await midway.begin(midway_report, REPLY_TIMEOUT)
        await outbox_settled(runtime.db, REPLY_TIMEOUT)  # nothing in flight when it goes down
        await runtime.db.dispose()

        pg_cluster("stop")
        stopped = True
        during = await asyncio.gather(
            *(
                p.send("text", api.text_update(p.user_id, "井盖不见了"), nothing, REPLY_TIMEOUT)
                for p in people[:4]
            ),
            midway.send("location", api.location_update(midway.user_id, *XINJI_02), nothing,
                        REPLY_TIMEOUT),
        )  # fmt: skip
        # Each resident is told kindly that something went wrong; the bot keeps running.
        assert [step.error for step, _ in during] == ["error.internal"] * 5
        assert bot.alive, bot.output()[-3000:]

        pg_cluster("start")
        stopped = False
        await wait_for_postgres(admin)
        # The bot reconnects by itself (pool_pre_ping): the very next updates work, and the
        # report begun before the restart goes on where it stopped.
        await midway.finish(midway_report, XINJI_02, REPLY_TIMEOUT)
        assert midway_report.number, midway_report.steps
        after = await asyncio.gather(*(report(p, "after") for p in people[:5]))
        assert all(after), after

        rows = await outbox_settled(runtime.db, 150.0)
        assert rows and all(row.status == "sent" for row in rows), Counter(r.status for r in rows)
        delivered = Counter(
            (chat_of(c), text_of(c)) for c in api.calls if c.ok and c.method == "sendMessage"
        )
        assert all(delivered[(row.chat_id, row.payload["text"])] == 1 for row in rows)
        async with runtime.db.transaction() as session:
            numbers = set((await session.scalars(select(Case.number))).all())
        told = {*before, *after, midway_report.number}
        assert numbers == told  # every case filed before and after, and nothing from "during"
        assert bot.alive, bot.output()[-3000:]
        assert await asyncio.to_thread(bot.stop) == 0, bot.output()[-3000:]
    finally:
        if stopped:
            pg_cluster("start")
            await wait_for_postgres(admin)
        if bot is not None and bot.alive:
            bot.kill()
        await server.close()
        await runtime.db.dispose()
        await drop_postgres_database(admin, db_url)


# -- Telegram refusing, failing and timing out while the dispatcher sends --------------------


class StallingBotApi(LocalBotApi):
    """The stand-in, able to hold an answer past the client's read timeout.

    ``delivered=False``: the request is lost on the way and never reaches "Telegram".
    ``delivered=True``: Telegram takes the message, but its answer comes too late, so the bot
    cannot know it arrived; chats of such messages are listed in ``late_answers``.
    """

    def __init__(self) -> None:
        super().__init__()
        self._stalls: dict[str, deque[tuple[float, bool]]] = {}
        self.late_answers: list[int] = []

    def stall_next(self, method: str, seconds: float, *, delivered: bool, times: int = 1) -> None:
        self._stalls.setdefault(method.lower(), deque()).extend([(seconds, delivered)] * times)

    async def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        queue = self._stalls.get(method.lower())
        if not queue:
            return await super().handle(method, params)
        seconds, delivered = queue.popleft()
        if not delivered:
            await asyncio.sleep(seconds)
            return 504, {"ok": False, "error_code": 504, "description": "Gateway Timeout"}
        answer = await super().handle(method, params)
        self.late_answers.append(int(decode_params(params)["chat_id"]))
        await asyncio.sleep(seconds)
        return answer


@pytest.fixture
async def outbox_db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    await upgrade(database)
    yield database
    await database.dispose()


async def test_dispatcher_rides_out_429_500_and_timeouts_over_http(outbox_db: Database) -> None:
    api = StallingBotApi()
    clock = ManualClock()
    unhurried = SendLimits(per_second=1_000, per_chat_per_second=100)
    async with http_bot(api) as bot:
        dispatcher = OutboxDispatcher(outbox_db, bot, clock, unhurried)
        # Timeouts first: their stalls must not meet the refusals queued below.
        await add_status_rows(outbox_db, clock, range(5_000_001, 5_000_013))
        api.stall_next("sendMessage", 2.0, delivered=False, times=2)
        api.stall_next("sendMessage", 2.0, delivered=True)
        await send_until_empty(dispatcher, clock)
        await add_status_rows(outbox_db, clock, range(5_000_101, 5_000_113))
        api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        api.fail_next("sendMessage", 500, "Internal Server Error", times=2)
        api.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        api.fail_next("sendMessage", 502, "Bad Gateway")
        api.fail_next("sendLocation", 500, "Internal Server Error")
        await send_until_empty(dispatcher, clock)
        calls_before = len(api.calls)
        assert (await dispatcher.run_once()).claimed == 0  # a sent row is never due again
        assert len(api.calls) == calls_before

    async with outbox_db.transaction() as session:
        stored = (await session.scalars(select(OutboxMessage))).all()
    assert len(stored) == 24 and {row.status for row in stored} == {"sent"}
    totals = dispatcher.totals
    assert totals.flood_waits == 2  # 429 waited out on the spot, not counted against the row
    assert totals.retried == 7  # 2 lost requests, 1 late answer, 500 x2, 502, sendLocation 500
    assert len(api.late_answers) == 1
    texts = Counter(
        (chat_of(c), text_of(c)) for c in api.calls if c.ok and c.method == "sendMessage"
    )
    locations = Counter(chat_of(c) for c in api.calls if c.ok and c.method == "sendLocation")
    for row in stored:
        # Delivered once; twice only where Telegram took it but its answer never came back.
        expected = 2 if row.chat_id in api.late_answers else 1
        assert texts[(row.chat_id, row.payload["text"])] == expected, row.payload["text"]
        if "location" in row.payload:
            assert locations[row.chat_id] == 1  # the text is not repeated for a failed pin


async def add_status_rows(db: Database, clock: ManualClock, chats: range) -> None:
    """A status row to every chat; the first three also carry a map pin (two calls each)."""
    async with db.transaction() as session:
        outbox = OutboxRepository(session)
        for n, chat in enumerate(chats):
            payload: dict[str, Any] = {"text": f"案件进展 #{chat}: 已接单"}
            if n < 3:
                payload["location"] = list(XINJI_02)
            outbox.add(chat, "status", payload, clock.now())


async def send_until_empty(dispatcher: OutboxDispatcher, clock: ManualClock) -> None:
    for _ in range(20):
        await dispatcher.run_once()
        if not await dispatcher.backlog():
            return
        clock.advance(timedelta(minutes=6))  # past any backoff
    raise AssertionError("the outbox never emptied")


@asynccontextmanager
async def http_bot(api: LocalBotApi) -> AsyncIterator[Bot]:
    """A PTB Bot over real HTTP to ``api``, with a short read timeout so stalls time out."""
    async with await serve_http(api) as server:
        request = HTTPXRequest(connection_pool_size=32, read_timeout=0.5)
        async with Bot("7000000001:faults", base_url=server.base_url, request=request) as bot:
            yield bot


# -- the process killed mid-conversation and mid-broadcast ---------------------------------


def test_killed_process_resumes_a_chinese_report(
    tmp_path: Path, nlu_cache_dir: Path, embedded_nlu: EmbeddedBackend
) -> None:
    cache = nlu_cache_dir.parent
    first = _start(tmp_path, cache)
    try:
        _say(first, "路灯坏了，3栋门口黑漆漆的", "对吗")
        _say(first, "/press 对", "问题在哪里")  # the console presses by label or number
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    lat, lon = XINJI_02
    second = _start(tmp_path, cache)
    try:
        _say(second, f"/loc {lat} {lon}", "位置已确认")
        out = _say(second, "✅ 提交", "已登记")
        assert "GD-" in out
    finally:
        second.send_signal(signal.SIGKILL)
        second.wait(10)
    with sqlite3.connect(tmp_path / "gd.sqlite3") as conn:
        rows = conn.execute("SELECT case_type, grid_id, language FROM cases").fetchall()
    assert rows == [("public_facility", "xinji-02", "zh")]


VOLUNTEERS = 360
FIRST_VOLUNTEER = 7_700_000
# The killed process's claim comes back when its lease runs out: the shortest lease the
# settings allow (just past the 40-s call bound) instead of the 120-s default, same proof.
LEASE_SECONDS = 45


async def queue_callout(runtime: Runtime) -> str:
    """Volunteers and one call-out to all of them, broadcast through the outbox."""
    callouts = pytest.importorskip(
        "services.volunteers.callouts", reason="volunteer call-outs not built yet"
    )
    desks = pytest.importorskip("services.volunteers.desk")
    volunteers_config = pytest.importorskip("config.volunteers")
    from storage.models import User
    from storage.volunteers import Volunteer

    now = runtime.clock.now()
    async with runtime.db.transaction() as session:
        users = [
            User(telegram_id=FIRST_VOLUNTEER + n, language="zh", created_at=now)
            for n in range(VOLUNTEERS)
        ]
        session.add_all(users)
        await session.flush()
        session.add_all(
            Volunteer(
                user_id=u.id,
                grid_id="xinji-02",
                availability=["weekends"],
                consent_at=now,
                registered_at=now,
                updated_at=now,
            )
            for u in users
        )
        await session.flush()
        desk = desks.VolunteerDesk(
            session=session,
            city=runtime.city,
            catalog=runtime.catalog,
            config=volunteers_config.volunteer_config(runtime.settings.config_dir),
            now=now,
        )
        spec = callouts.CallOutSpec(
            title="敬老院探访",
            place="新基社区敬老院",
            starts_at=now + timedelta(days=2),
            ends_at=now + timedelta(days=2, hours=3),
            needed=20,
        )
        callout = await callouts.create_callout(desk, spec, None, None)
        assert callout.broadcast_total == VOLUNTEERS
        return str(callout.batch_key)


async def broadcast_rows(db: Database, batch_key: str) -> dict[int, str]:
    async with db.transaction() as session:
        rows = await session.execute(
            select(OutboxMessage.chat_id, OutboxMessage.status).where(
                OutboxMessage.batch_key == batch_key
            )
        )
        return {chat: status for chat, status in rows}


async def test_killed_process_resumes_a_broadcast(
    tmp_path: Path, nlu_cache_dir: Path, embedded_nlu: EmbeddedBackend
) -> None:
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'gd.sqlite3'}"
    runtime = build_runtime(make_settings(db_url, tmp_path), nlu=embedded_nlu, clock=SystemClock())
    api = LocalBotApi()
    inbox = Inbox(api)
    server = await serve_http(api)
    procs: list[BotProcess] = []
    try:
        await prepare_database(runtime)
        batch_key = await queue_callout(runtime)
        lease = {"outbox_lease_seconds": str(LEASE_SECONDS)}
        first = start_bot(
            server, db_url, tmp_path, cache_dir=nlu_cache_dir.parent, log_name="first.log", **lease
        )
        procs.append(first)
        await wait_until_answering(api, inbox, first)
        volunteer_chats = range(FIRST_VOLUNTEER, FIRST_VOLUNTEER + VOLUNTEERS)

        def reached() -> int:
            return sum(bool(inbox.messages(chat)) for chat in volunteer_chats)

        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while reached() < VOLUNTEERS // 4:
            assert loop.time() < deadline and first.alive, first.output()[-3000:]
            await asyncio.sleep(0.05)
        first.kill()  # mid-broadcast: no shutdown code runs
        at_kill = await broadcast_rows(runtime.db, batch_key)
        assert "pending" in at_kill.values(), Counter(at_kill.values())

        second = start_bot(
            server, db_url, tmp_path, cache_dir=nlu_cache_dir.parent, log_name="second.log",
            **lease,
        )  # fmt: skip
        procs.append(second)
        # Rows leased by the killed process return after LEASE_SECONDS.
        deadline = loop.time() + LEASE_SECONDS + 60
        while set((await broadcast_rows(runtime.db, batch_key)).values()) != {"sent"}:
            assert loop.time() < deadline and second.alive, second.output()[-3000:]
            await asyncio.sleep(0.5)
        assert await asyncio.to_thread(second.stop) == 0, second.output()[-3000:]
    finally:
        for proc in procs:
            if proc.alive:
                proc.kill()
        await server.close()
        await runtime.db.dispose()

    received = {chat: len(inbox.messages(chat)) for chat in volunteer_chats}
    assert all(received.values())  # every volunteer got the call-out
    # At least once, and only just: a second copy only where the killed process had handed the
    # message to Telegram but not yet recorded it (the row was still `sending`).
    twice = {chat for chat, n in received.items() if n > 1}
    assert twice <= {chat for chat, status in at_kill.items() if status == "sending"}
    assert max(received.values()) <= 2
