"""A call-out to N volunteers through Telegram's limits, over HTTP, by the real dispatcher.

The call-out is created by the same service the wizard uses (`create_callout`), so its
broadcast rows are spread in time as in production. The real `OutboxDispatcher`, at the send
rates in Settings (30/s, 1/s per chat), delivers them to the HTTP stand-in, which enforces
those limits and answers 429 with retry_after when exceeded. Printed: delivered, duplicates,
429s, elapsed, rate and its ratio to 30/s (the goal: every message, no duplicate, >= 28.5/s).

    .venv/bin/python -m bench.callout [--volunteers 10000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert, select
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.clock import SystemClock
from bot.outbox import OutboxDispatcher, SendLimits
from bot.runtime import Runtime
from bot.settings import load_settings
from config.volunteers import volunteer_config
from devtools.local_api import LocalBotApi, RateLimits, serve_http
from entrypoints.app import build_runtime, prepare_database
from nlu.types import Prediction
from services.volunteers.batch import batch_progress
from services.volunteers.callouts import CallOutSpec, create_callout
from services.volunteers.desk import VolunteerDesk
from storage.models import User
from storage.volunteers import Volunteer

TELEGRAM_LIMIT = 30.0
FIRST_ID = 9_000_000
CHUNK = 2000


class _NoNlu:
    name = "none"

    async def parse(self, text: str) -> Prediction:
        raise RuntimeError("the benchmark parses no text")


async def add_volunteers(runtime: Runtime, count: int) -> None:
    now = runtime.clock.now()
    grids = list(runtime.city.grids)
    for start in range(0, count, CHUNK):
        ids = range(FIRST_ID + start, FIRST_ID + min(start + CHUNK, count))
        async with runtime.db.transaction() as session:
            await session.execute(
                insert(User),
                [
                    {
                        "telegram_id": t,
                        "role": "resident",
                        "active": True,
                        "created_at": now,
                        "language": "zh" if t % 2 else "en",
                    }
                    for t in ids
                ],
            )
            users = await session.execute(
                select(User.id, User.telegram_id).where(User.telegram_id.in_(list(ids)))
            )
            await session.execute(
                insert(Volunteer),
                [
                    {
                        "user_id": uid,
                        "grid_id": grids[tid % len(grids)],
                        "availability": [],
                        "consent_at": now,
                        "active": True,
                        "registered_at": now,
                        "updated_at": now,
                    }
                    for uid, tid in users
                ],
            )


async def create(runtime: Runtime) -> tuple[int, str]:
    now = runtime.clock.now()
    async with runtime.db.transaction() as session:
        desk = VolunteerDesk(
            session=session,
            city=runtime.city,
            catalog=runtime.catalog,
            config=volunteer_config(runtime.settings.config_dir),
            now=now,
            send_per_second=runtime.settings.send_per_second,
        )
        spec = CallOutSpec(
            title="Epidemic control: testing station volunteers",
            place="Xinji community hall",
            starts_at=now + timedelta(days=1),
            ends_at=now + timedelta(days=1, hours=4),
            needed=50,
            skills=["epidemic_control"],
        )
        callout = await create_callout(desk, spec, None, None)
        return callout.broadcast_total, callout.batch_key or ""


async def run(database_url: str, volunteers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(database_url=database_url, cache_dir=Path(tmp))
        runtime = build_runtime(settings, nlu=_NoNlu(), clock=SystemClock())
        await prepare_database(runtime)
        try:
            await add_volunteers(runtime, volunteers)
            await broadcast(runtime, volunteers)
        finally:
            await runtime.db.dispose()


async def broadcast(runtime: Runtime, volunteers: int) -> None:
    settings = runtime.settings
    api = LocalBotApi(
        limits=RateLimits(
            per_second_global=TELEGRAM_LIMIT,
            per_chat_per_second=settings.send_per_chat_per_second,
        )
    )
    server = await serve_http(api)
    limits = SendLimits(
        per_second=settings.send_per_second,
        per_chat_per_second=settings.send_per_chat_per_second,
        per_group_per_minute=settings.send_per_group_per_minute,
    )
    stop = asyncio.Event()
    try:
        request = HTTPXRequest(connection_pool_size=32)
        async with Bot("1:BENCH", base_url=server.base_url, request=request) as bot:
            dispatcher = OutboxDispatcher(runtime.db, bot, runtime.clock, limits)
            total, key = await create(runtime)
            started = time.monotonic()
            task = asyncio.create_task(dispatcher.run_forever(stop))
            last_report = started
            while await dispatcher.backlog():
                await asyncio.sleep(0.5)
                if time.monotonic() - last_report >= 30:
                    last_report = time.monotonic()
                    async with runtime.db.transaction() as session:
                        p = await batch_progress(session, key, runtime.clock.now())
                    left = p.seconds_left
                    eta = f"{left:.0f}s" if left is not None else "?"
                    print(f"  progress {p.sent}/{p.total} at {p.per_second:.1f}/s, {eta} left")
            stop.set()
            await task
    finally:
        await server.close()
    sends = [c for c in api.calls if c.method == "sendMessage"]
    ok = [c for c in sends if c.ok]
    per_chat = Counter(int(c.params["chat_id"]) for c in ok)
    refused = sum(1 for c in sends if c.status == 429)
    elapsed = max(c.at for c in ok) - started if ok else 0.0
    rate = len(per_chat) / elapsed if elapsed else 0.0
    async with runtime.db.transaction() as session:
        p = await batch_progress(session, key, runtime.clock.now())
    kind = runtime.db.url.split(":", 1)[0]
    print(
        f"{kind:18} volunteers={volunteers} queued={total} delivered={len(per_chat)} "
        f"duplicates={len(ok) - len(per_chat)} 429s={refused} elapsed={elapsed:.1f}s "
        f"rate={rate:.2f}/s ratio={rate / TELEGRAM_LIMIT:.1%} "
        f"outbox(sent={p.sent} failed={p.failed + p.blocked} waiting={p.waiting})"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--volunteers", type=int, default=10_000)
    parser.add_argument("--postgres", default=os.environ.get("GRIDDESK_TEST_POSTGRES_URL"))
    parser.add_argument("--no-sqlite", action="store_true", help="run on PostgreSQL only")
    args = parser.parse_args()
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            await run(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", args.volunteers)
    if args.postgres:
        from tests.conftest import create_postgres_database, drop_postgres_database

        url = await create_postgres_database(args.postgres)
        try:
            await run(url, args.volunteers)
        finally:
            await drop_postgres_database(args.postgres, url)
    else:
        print("postgresql: skipped (set GRIDDESK_TEST_POSTGRES_URL or pass --postgres URL)")


if __name__ == "__main__":
    asyncio.run(main())
