"""Outbox dispatch rate against a stand-in that enforces Telegram's limits over real HTTP.

Fills the outbox with N messages to distinct chats and lets the dispatcher production wires up
send them all: the Application built by ``bot.app.build_application`` with a token set (so no
local mode), its HTTP pool, the send limits from the default settings (30/s per bot, 1/s per
chat, 20/min per group) and no second limiter in the Bot. The local Bot API enforces the same
limits over HTTP (answering 429 past them). Prints what arrived. The aim: at least 98 % of the
configured rate, no 429 and no duplicate.

    .venv/bin/python -m bench.outbox [--messages 1500] [--rate 30] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import build_application, build_runtime
from bot.background import background_of
from bot.clock import SystemClock
from bot.settings import load_settings
from devtools.local_api import ApiCall, LocalBotApi, RateLimits, serve_http
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


def peak_per_second(calls: list[ApiCall]) -> int:
    """Most deliveries the server saw in any one-second window."""
    times = sorted(call.at for call in calls)
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


async def run(database_url: str, messages: int, rate: float) -> None:
    clock = SystemClock()
    api = LocalBotApi(limits=RateLimits(per_second_global=30, per_chat_per_second=1))
    server = await serve_http(api)
    settings = load_settings(
        database_url=database_url,
        telegram_token=TOKEN,
        telegram_base_url=server.base_url,
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
        await server.close()
        await db.dispose()
    sends = [call for call in api.calls if call.method == "sendMessage"]
    ok = [call for call in sends if call.ok]
    seen = Counter((call.params["chat_id"], call.params["text"]) for call in ok)
    duplicates = sum(count - 1 for count in seen.values())
    refused = sum(1 for call in sends if call.status == 429)
    achieved = len(ok) / elapsed
    totals = dispatcher.totals
    print(
        f"{database_url.split(':', 1)[0]:20} delivered={len(seen)}/{messages} "
        f"duplicates={duplicates} 429s={refused} flood_waits={totals.flood_waits} "
        f"failed={totals.failed} backlog={backlog} "
        f"elapsed={elapsed:.2f}s rate={achieved:.2f}/s ratio={achieved / rate:.3f} "
        f"peak_1s_window={peak_per_second(ok)}"
    )


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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        await run(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", args.messages, args.rate)
    if args.postgres:
        async with throwaway_postgres(args.postgres) as url:
            await run(url, args.messages, args.rate)
    else:
        print("postgresql: skipped (set GRIDDESK_TEST_POSTGRES_URL or pass --postgres URL)")


if __name__ == "__main__":
    asyncio.run(main())
