"""Completed resident reports per second through the real Application.

Each simulated resident sends a report text, confirms the case type, shares a
location inside a demo grid and presses Submit: four updates through
python-telegram-bot's Application, the handlers and the store, with only the
Telegram network replaced by the in-process stand-in.

    .venv/bin/python -m bench.reports [--reports 2000] [--concurrency 16] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from bot.settings import load_settings
from devtools.local_api.calls import buttons, reply_buttons
from nlu.embedded import EmbeddedBackend, load_or_train
from storage.models import Case
from tests.harness import BotHarness

TEXTS = [
    "路灯坏了，3栋门口黑漆漆的",
    "the street light outside building 3 is broken, it's pitch dark",
    "楼下垃圾桶满了好几天没人清",
    "cars parked on the fire lane again at block 5",
]


async def one_report(
    bot: BotHarness, user_id: int, point: tuple[float, float], latencies: list[float]
) -> None:
    api = bot.api

    async def timed(update: dict[str, object]) -> None:
        started = time.perf_counter()
        await bot.feed(update)
        latencies.append((time.perf_counter() - started) * 1000)

    await timed(api.text_update(user_id, TEXTS[user_id % len(TEXTS)]))
    call = api.sent_to(user_id)[-1]
    data = next(d for label, d in buttons(call) if d.endswith(":ok") or ":type:" in d)
    await timed(api.callback_update(user_id, int(call.result["message_id"]), data))
    await timed(api.location_update(user_id, *point))
    submit = next(b for b in reply_buttons(api.sent_to(user_id)[-1]) if "✅" in b.text)
    await timed(api.text_update(user_id, submit.text))
    offer = api.sent_to(user_id)[-1]
    file_new = [d for _, d in buttons(offer) if d.endswith(":new")]
    if file_new:  # a similar open case exists nearby: file this one separately
        await timed(api.callback_update(user_id, int(offer.result["message_id"]), file_new[0]))


async def run(database_url: str, reports: int, concurrency: int, nlu: EmbeddedBackend) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(database_url=database_url, cache_dir=Path(tmp))
        async with BotHarness.start(settings, nlu=nlu) as bot:
            point = next(iter(bot.runtime.city.grids.values())).centre()
            latencies: list[float] = []
            queue = iter(range(1, reports + 1))

            async def worker() -> None:
                for n in queue:
                    await one_report(bot, 1_000_000 + n, point, latencies)

            await one_report(bot, 999_999, point, [])  # warm-up
            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            elapsed = time.perf_counter() - started
            async with bot.runtime.db.transaction() as session:
                stored = (await session.execute(select(func.count(Case.id)))).scalar_one()
    ordered = sorted(latencies)
    p99 = ordered[int(0.99 * (len(ordered) - 1))]
    kind = database_url.split(":", 1)[0]
    print(
        f"{kind:24} reports={reports} concurrency={concurrency} stored={stored - 1} "
        f"reports/s={reports / elapsed:7.1f} updates/s={len(latencies) / elapsed:7.1f} "
        f"p50={statistics.median(latencies):6.2f}ms p99={p99:6.2f}ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--postgres", default=os.environ.get("GRIDDESK_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    nlu = EmbeddedBackend(load_or_train(Path.home() / ".cache" / "griddesk" / "nlu"))
    with tempfile.TemporaryDirectory() as tmp:
        await run(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", args.reports, args.concurrency, nlu)
    if args.postgres:
        from tests.conftest import create_postgres_database, drop_postgres_database

        url = await create_postgres_database(args.postgres)
        try:
            await run(url, args.reports, args.concurrency, nlu)
        finally:
            await drop_postgres_database(args.postgres, url)
    else:
        print("postgresql: skipped (set GRIDDESK_TEST_POSTGRES_URL or pass --postgres URL)")


if __name__ == "__main__":
    asyncio.run(main())
