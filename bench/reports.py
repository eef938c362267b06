"""Completed resident reports per second through the real Application.

Each simulated resident sends a report text, confirms the case type, shares a
location inside a demo grid and presses Submit: four updates through
python-telegram-bot's Application, the handlers and the store, with only the
Telegram network replaced by the in-process stand-in.

    .venv/bin/python -m bench.reports [--reports 2000] [--concurrency 16] [--postgres URL]
                                      [--profile]

Each store's line is followed by the cost of one update at concurrency 1 against the floor
(bench/floor.py: the Application, one ORM write, one reply); --profile shows where
GridDesk's time goes beyond it: by area, by function and by phase of the handler edge.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import os
import pstats
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

import handlers.edge as edge_module
from bench.floor import floor_ms_per_update
from bot.settings import load_settings
from devtools.local_api.calls import buttons, reply_buttons
from handlers.replies import Replies
from nlu.embedded import EmbeddedBackend, load_or_train
from storage.db import Database
from storage.models import Case
from tests.harness import BotHarness

# Where a profiled function lives, by a piece of its file path (first match wins).
PROFILE_AREAS = (
    ("/telegram/", "python-telegram-bot"),
    ("/sqlalchemy/", "SQLAlchemy"),
    ("/aiosqlite/", "aiosqlite (thread hand-offs)"),
    ("sqlite3", "sqlite3"),
    ("/asyncpg/", "asyncpg"),
    ("/sklearn/", "NLU (scikit-learn)"),
    ("/numpy/", "NLU (numpy)"),
    ("/scipy/", "NLU (scipy)"),
    ("/nlu/", "NLU (GridDesk)"),
    ("/devtools/", "Bot API stand-in"),
    ("/handlers/", "GridDesk handlers"),
    ("/bot/", "GridDesk services"),
    ("/storage/", "GridDesk storage"),
    ("/config/", "GridDesk config"),
    ("json", "json"),
)
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
    data = next(d for label, d in buttons(call) if d.startswith(("rep:ok:", "rep:type:")))
    await timed(api.callback_update(user_id, int(call.result["message_id"]), data))
    await timed(api.location_update(user_id, *point))
    submit = next(b for b in reply_buttons(api.sent_to(user_id)[-1]) if "✅" in b.text)
    await timed(api.text_update(user_id, submit.text))
    offer = api.sent_to(user_id)[-1]
    file_new = [d for _, d in buttons(offer) if d.startswith("rep:new:")]
    if file_new:  # a similar open case exists nearby: file this one separately
        await timed(api.callback_update(user_id, int(offer.result["message_id"]), file_new[0]))


async def run(
    database_url: str,
    reports: int,
    concurrency: int,
    nlu: EmbeddedBackend,
    profiler: cProfile.Profile | None = None,
    *,
    quiet: bool = False,
    on_measure: Callable[[bool], None] | None = None,
) -> list[float]:
    """Print the store's line (unless `quiet`); return the latencies (ms) of every update.
    `on_measure` is told when the measured reports start (True) and end (False)."""
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
            if profiler is not None:  # the reports only, not start-up
                profiler.enable()
            if on_measure is not None:
                on_measure(True)
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            if profiler is not None:
                profiler.disable()
            if on_measure is not None:
                on_measure(False)
            elapsed = time.perf_counter() - started
            async with bot.runtime.db.transaction() as session:
                stored = (await session.execute(select(func.count(Case.id)))).scalar_one()
    ordered = sorted(latencies)
    p99 = ordered[int(0.99 * (len(ordered) - 1))]
    kind = database_url.split(":", 1)[0]
    if quiet:
        return latencies
    print(
        f"{kind:24} reports={reports} concurrency={concurrency} stored={stored - 1} "
        f"reports/s={reports / elapsed:7.1f} updates/s={len(latencies) / elapsed:7.1f} "
        f"p50={statistics.median(latencies):6.2f}ms p99={p99:6.2f}ms"
    )
    return latencies


# Rounds of floor-then-GridDesk: the machine's speed drifts between runs (other work on
# the cores), so each ratio compares neighbours and the median round is printed.
FLOOR_ROUNDS = 3


async def against_floor(nlu: EmbeddedBackend, reports: int) -> None:
    """GridDesk's mean cost per update at concurrency 1 on SQLite, as a multiple of the
    floor's."""
    rounds: list[tuple[float, float]] = []
    for _ in range(FLOOR_ROUNDS):
        with tempfile.TemporaryDirectory() as tmp:
            floor = await floor_ms_per_update(
                f"sqlite+aiosqlite:///{tmp}/floor.sqlite3", reports * 4
            )
            latencies = await run(
                f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", reports, 1, nlu, quiet=True
            )
        rounds.append((statistics.mean(latencies), floor))
    ours, floor = sorted(rounds, key=lambda pair: pair[0] / pair[1])[len(rounds) // 2]
    spread = ", ".join(f"{o / f:4.2f}x" for o, f in rounds)
    print(
        f"{'':24} per update at concurrency 1: griddesk {ours:6.2f} ms, floor {floor:6.2f} ms,"
        f" ratio {ours / floor:4.2f}x (goal 1.5x; median of rounds {spread})"
    )


def profile_areas(stats: pstats.Stats, top: int = 12) -> None:
    """Own time by area (python-telegram-bot, SQLAlchemy, the drivers, GridDesk, NLU...)."""
    areas: dict[str, float] = {}
    functions: list[tuple[float, str]] = []
    for (path, line, name), row in stats.stats.items():  # type: ignore[attr-defined]
        own = row[2]
        area = next((a for key, a in PROFILE_AREAS if key in path), "other (asyncio, stdlib)")
        areas[area] = areas.get(area, 0.0) + own
        functions.append((own, f"{Path(path).name}:{line} {name}"))
    total = sum(areas.values()) or 1.0
    print("where the time goes (own time by area):")
    for area, own in sorted(areas.items(), key=lambda kv: -kv[1]):
        print(f"  {area:34} {100 * own / total:5.1f} %")
    print("busiest functions:")
    for own, where in sorted(functions, reverse=True)[:top]:
        print(f"  {100 * own / total:5.1f} %  {where}")


# The edge's parts timed per update (handlers.edge looks them up when it runs), with the
# transaction's commit: where GridDesk's cost beyond the floor sits.
EDGE_PHASES = (
    ("understand", "NLU (before the transaction)"),
    ("load_caller", "loading the caller"),
    ("remember_shown", "remembering the buttons shown"),
)


@contextlib.contextmanager
def timed_phases(spent: dict[str, float]) -> Iterator[None]:
    """While inside, add each phase's seconds to `spent` (wall clock, as the ratio line)."""

    def timing(label: str, function: Any) -> Any:
        async def timed_call(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - started

        return timed_call

    originals = {name: getattr(edge_module, name) for name, _ in EDGE_PHASES}
    send, transaction = Replies.send, Database.transaction

    @contextlib.asynccontextmanager
    async def timed_transaction(self: Database) -> AsyncIterator[Any]:
        async with transaction(self) as session:
            yield session
            started = time.perf_counter()  # the step is over: what follows is the commit
        label = "commit (and closing the session)"
        spent[label] = spent.get(label, 0.0) + time.perf_counter() - started

    for name, label in EDGE_PHASES:
        setattr(edge_module, name, timing(label, originals[name]))
    Replies.send = timing("sending the replies", send)  # type: ignore[method-assign]
    Database.transaction = timed_transaction  # type: ignore[method-assign]
    try:
        yield
    finally:
        for name, function in originals.items():
            setattr(edge_module, name, function)
        Replies.send, Database.transaction = send, transaction  # type: ignore[method-assign]


async def profile_phases(nlu: EmbeddedBackend, reports: int) -> None:
    """Mean milliseconds per update in each phase, at concurrency 1 on SQLite."""
    spent: dict[str, float] = {}
    measured: dict[str, float] = {}  # the reports' own, without start-up and warm-up

    def on_measure(started: bool) -> None:
        if started:
            spent.clear()
        else:
            measured.update(spent)

    with tempfile.TemporaryDirectory() as tmp, timed_phases(spent):
        latencies = await run(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", reports, 1, nlu,
                              quiet=True, on_measure=on_measure)  # fmt: skip
    updates, total = len(latencies), statistics.mean(latencies)
    print(f"where an update's {total:.2f} ms go (ms per update, concurrency 1, SQLite):")
    for label, seconds in measured.items():
        print(f"  {label:34} {1000 * seconds / updates:6.3f}")
    rest = total - 1000 * sum(measured.values()) / updates
    print(f"  {'the step and the rest':34} {rest:6.3f}  (handlers; the Application's dispatch)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--postgres", default=os.environ.get("GRIDDESK_TEST_POSTGRES_URL"))
    parser.add_argument("--profile", action="store_true", help="profile GridDesk on SQLite")
    args = parser.parse_args()
    nlu = EmbeddedBackend(load_or_train(Path.home() / ".cache" / "griddesk" / "nlu"))
    floor_reports = max(50, args.reports // 10)
    with tempfile.TemporaryDirectory() as tmp:
        await run(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", args.reports, args.concurrency, nlu)
    await against_floor(nlu, floor_reports)
    if args.profile:
        with tempfile.TemporaryDirectory() as tmp:
            profiler = cProfile.Profile()
            await run(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", floor_reports, 1, nlu, profiler)
        profile_areas(pstats.Stats(profiler))
        await profile_phases(nlu, floor_reports)
    if args.postgres:
        from tests.conftest import create_postgres_database, drop_postgres_database

        url = await create_postgres_database(args.postgres)
        try:
            await run(url, args.reports, args.concurrency, nlu)
        finally:
            await drop_postgres_database(args.postgres, url)
        url = await create_postgres_database(args.postgres)
        floor_url = await create_postgres_database(args.postgres)
        try:
            floor = await floor_ms_per_update(floor_url, floor_reports * 4)
            ours = statistics.mean(await run(url, floor_reports, 1, nlu))
            print(
                f"{'':24} per update at concurrency 1: griddesk {ours:6.2f} ms,"
                f" floor {floor:6.2f} ms, ratio {ours / floor:4.2f}x (goal 1.5x)"
            )
        finally:
            await drop_postgres_database(args.postgres, floor_url)
            await drop_postgres_database(args.postgres, url)
    else:
        print("postgresql: skipped (set GRIDDESK_TEST_POSTGRES_URL or pass --postgres URL)")


if __name__ == "__main__":
    asyncio.run(main())
