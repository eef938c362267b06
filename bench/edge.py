"""Another resident's reply time while one resident's NLU call stalls (the handler edge).

The NLU runs before the update's database transaction opens (handlers.edge), so a Rasa call
that hangs for its whole timeout (1.5 s by default) for resident A must not delay resident B.
This prints B's reply time alone, and with A's stalled call in flight, on SQLite (and
PostgreSQL when GRIDDESK_TEST_POSTGRES_URL or --postgres is given).

    .venv/bin/python -m bench.edge [--stall 1.5] [--rounds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from bot.settings import load_settings
from nlu.embedded import EmbeddedBackend, load_or_train
from nlu.types import NluBackend, Prediction
from tests.harness import BotHarness

STALLED_TEXT = "楼下垃圾桶满了好几天没人清"
OTHER_TEXT = "路灯坏了，3栋门口黑漆漆的"


class StallingNlu:
    """The real model, except that one resident's text hangs as a slow Rasa call would."""

    def __init__(self, inner: NluBackend, stall: float) -> None:
        self.inner, self.stall = inner, stall

    async def parse(self, text: str) -> Prediction:
        if text.startswith(STALLED_TEXT):
            await asyncio.sleep(self.stall)
        return await self.inner.parse(text)


async def _timed(bot: BotHarness, update: dict[str, object]) -> float:
    started = time.perf_counter()
    await bot.feed(update)
    return (time.perf_counter() - started) * 1000


async def run(database_url: str, stall: float, rounds: int, nlu: EmbeddedBackend) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(database_url=database_url, cache_dir=Path(tmp))
        async with BotHarness.start(settings, nlu=StallingNlu(nlu, stall)) as bot:  # type: ignore[arg-type]
            api = bot.api
            await bot.feed(api.text_update(1, OTHER_TEXT))  # warm-up
            alone, beside = [], []
            for n in range(rounds):
                b = 20_000 + n
                alone.append(await _timed(bot, api.text_update(b, f"{OTHER_TEXT} {n}")))
            for n in range(rounds):
                a, b = 10_000 + n, 30_000 + n
                stalled = asyncio.create_task(
                    _timed(bot, api.text_update(a, f"{STALLED_TEXT} {n}"))
                )
                await asyncio.sleep(0.05)  # A's update is inside its NLU call now
                beside.append(await _timed(bot, api.text_update(b, f"{OTHER_TEXT} {n}")))
                await stalled
    kind = database_url.split(":", 1)[0]
    print(
        f"{kind:20} B alone: median {statistics.median(alone):7.1f} ms, max {max(alone):7.1f} ms"
        f" | B beside A's {stall:.1f} s stall: median {statistics.median(beside):7.1f} ms,"
        f" max {max(beside):7.1f} ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--stall", type=float, default=1.5, help="seconds A's NLU call hangs")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--postgres", default=os.environ.get("GRIDDESK_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    nlu = EmbeddedBackend(load_or_train(Path.home() / ".cache" / "griddesk" / "nlu"))
    with tempfile.TemporaryDirectory() as tmp:
        await run(f"sqlite+aiosqlite:///{tmp}/edge.sqlite3", args.stall, args.rounds, nlu)
    if args.postgres:
        from tests.conftest import create_postgres_database, drop_postgres_database

        url = await create_postgres_database(args.postgres)
        try:
            await run(url, args.stall, args.rounds, nlu)
        finally:
            await drop_postgres_database(args.postgres, url)
    else:
        print("postgresql: skipped (set GRIDDESK_TEST_POSTGRES_URL or pass --postgres URL)")


if __name__ == "__main__":
    asyncio.run(main())
