"""Outbox dispatch rate against a stand-in that enforces Telegram's limits over real HTTP.

Fills the outbox with N messages to distinct chats and lets the dispatcher production wires up send
them all: the Application built by ``entrypoints.app.build_application`` with a token set (so no
local mode), its HTTP pool, the send limits from the default settings (30/s per bot, 1/s per chat,
20/min per group) and no second limiter in the Bot. The local Bot API enforces the same limits over
HTTP (answering 429 past them) from a process of its own, as Telegram is not in the bot's process
either. Prints what arrived. The aim: at least 98 % of the configured rate, no 429 and no
duplicate.

    .venv/bin/python -m bench.outbox [--messages 1500] [--rate 30] [--postgres URL]

"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from bot.clock import SystemClock
from bot.settings import load_settings
from devtools.local_api import LocalBotApi, RateLimits, serve_http
from entrypoints.app import build_application, build_runtime
from entrypoints.background import background_of
from nlu.types import Prediction
from storage.db import Database
from storage.migrate import upgrade
from storage.repositories import OutboxRepository

TOKEN = "7000000001:LOCAL-bench"
FIRST_CHAT = 10_000_000


async def fill(db: Database, messages: int, clock: SystemClock) -> None:
    async with db.transaction() as session:
        outbox = OutboxRepository(session)
        for n in range(messages):
            text = f"志愿者召集 #{n}: elderly visits, Sat 9:00"
            outbox.add(FIRST_CHAT + n, "callout", {"text": text}, clock.now())


def peak_per_second(moments: list[float]) -> int:
    """Most deliveries the server saw in any one-second window."""
    times = sorted(moments)
    peak, start = 0, 0
    for end, at in enumerate(times):
        while times[start] <= at - 1.0:
            start += 1
        peak = max(peak, end - start + 1)
    return peak


class _NoNlu:
    """The bench sends; it never understands a message."""

    name = "none"

    async def parse(self, text: str) -> Prediction:
        raise NotImplementedError


@dataclass(frozen=True)
class Delivery:
    """One sendMessage as the stand-in answered it."""

    chat_id: int
    text: str
    status: int
    at: float


async def serve_api(report: Path) -> None:
    """``--serve-api``: the stand-in on a free port (printed), until stdin closes; then every
    sendMessage it answered goes to ``report`` as JSON."""
    api = LocalBotApi(limits=RateLimits(per_second_global=30, per_chat_per_second=1))
    server = await serve_http(api)
    print(server.base_url, flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await server.close()
    sends = [
        {"chat_id": c.params["chat_id"], "text": c.params["text"], "status": c.status, "at": c.at}
        for c in api.calls
        if c.method == "sendMessage"
    ]
    await asyncio.to_thread(report.write_text, json.dumps(sends, ensure_ascii=False))


@asynccontextmanager
async def remote_api(report: Path) -> AsyncIterator[str]:
    """The stand-in in its own process; yields its base URL."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.outbox", "--serve-api", str(report),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    try:
        yield (await proc.stdout.readline()).decode().strip()
    finally:
        proc.stdin.close()
        await proc.wait()


async def run(database_url: str, messages: int, rate: float) -> None:
    clock = SystemClock()
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "sends.json"
        async with remote_api(report) as base_url:
            settings = load_settings(
                database_url=database_url,
                telegram_token=TOKEN,
                telegram_base_url=base_url,
                send_per_second=rate,
            )
            runtime = build_runtime(settings, nlu=_NoNlu(), clock=clock)
            db = runtime.db
            try:
                await upgrade(db)
                await fill(db, messages, clock)
                app = build_application(runtime)  # production wiring: no request override
                async with app:
                    dispatcher = background_of(app).dispatcher
                    started = time.perf_counter()
                    while (await dispatcher.run_once()).claimed:
                        pass
                    elapsed = time.perf_counter() - started
                    backlog = await dispatcher.backlog()
            finally:
                await db.dispose()
        sends = [Delivery(**row) for row in json.loads(report.read_text())]
    ok = [send for send in sends if send.status == 200]
    seen = Counter((send.chat_id, send.text) for send in ok)
    duplicates = sum(count - 1 for count in seen.values())
    refused = sum(1 for send in sends if send.status == 429)
    achieved = len(ok) / elapsed
    totals = dispatcher.totals
    print(
        f"{database_url.split(':', 1)[0]:20} delivered={len(seen)}/{messages} "
        f"duplicates={duplicates} 429s={refused} flood_waits={totals.flood_waits} "
        f"failed={totals.failed} backlog={backlog} "
        f"elapsed={elapsed:.2f}s rate={achieved:.2f}/s ratio={achieved / rate:.3f} "
        f"peak_1s_window={peak_per_second([send.at for send in ok])} "
        f"server_side_rate={server_side_rate([send.at for send in ok]):.2f}/s"
    )


def server_side_rate(moments: list[float]) -> float:
    """Deliveries per second between the first and the last the server saw."""
    if len(moments) < 2:
        return 0.0
    return (len(moments) - 1) / (max(moments) - min(moments))


@asynccontextmanager
async def throwaway_postgres(url: str) -> AsyncIterator[str]:
    """A fresh database on the server at ``url``, dropped afterwards."""
    import asyncpg

    admin = url.replace("postgresql+asyncpg://", "postgresql://")
    name = f"griddesk_bench_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    try:
        yield f"{url.rpartition('/')[0]}/{name}"
    finally:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=1500)
    parser.add_argument("--rate", type=float, default=30.0, help="the dispatcher's per_second")
    parser.add_argument("--postgres", default=os.environ.get("GRIDDESK_TEST_POSTGRES_URL"))
    parser.add_argument("--serve-api", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_api:
        await serve_api(args.serve_api)
        return
    with tempfile.TemporaryDirectory() as tmp:
        await run(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", args.messages, args.rate)
    if args.postgres:
        async with throwaway_postgres(args.postgres) as url:
            await run(url, args.messages, args.rate)
    else:
        print("postgresql: skipped (set GRIDDESK_TEST_POSTGRES_URL or pass --postgres URL)")


if __name__ == "__main__":
    asyncio.run(main())
