"""Residents reporting at once through the HTTP Bot API stand-in, the bot long-polling it.

The bot is the shipped ``griddesk run`` in its own process with a token, so it long-polls the
stand-in through PTB's HTTP client exactly as it would poll Telegram (and keeps to Telegram's
30 messages/s with PTB's rate limiter). Each simulated resident loops over the whole report
flow (text, confirm, share a location, submit, "file separately" when offered), waiting for
each answer before the next step. Afterwards the store is read back: every case a resident
was told about must be there, once.

Printed: updates sent, replies received, lost updates (no answer within the reply timeout),
error answers, duplicate cases (one resident's report stored twice), cases stored against
flows completed, p50/p99 reply latency and throughput. Loopback only; stops by itself.

    .venv/bin/python -m bench.load [--residents 1000] [--duration 300] [--postgres ADMIN_URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from bot.settings import SHIPPED_CONFIG_DIR
from config.loader import load_config
from devtools.local_api import LocalBotApi, serve_http
from storage.db import Database
from storage.models import Case
from tests.live import (
    REPORT_TEXTS,
    BotProcess,
    Inbox,
    Report,
    Resident,
    error_texts,
    grid_points,
    report_tag,
    start_bot,
    wait_until_answering,
)

FIRST_RESIDENT = 20_000_000


@dataclass(frozen=True)
class LoadPlan:
    residents: int = 1000
    duration: float = 300.0  # seconds during which residents start new steps
    reply_timeout: float = 120.0  # an update unanswered this long counts as lost
    ramp: float = 5.0  # residents' first messages spread over this many seconds
    admin_postgres_url: str | None = None  # a fresh database on this server; else SQLite
    # The per-user flood limit is for people; simulated residents answer within milliseconds.
    flood_limit_per_minute: int = 1_000_000


@dataclass
class LoadResult:
    plan: LoadPlan
    database: str
    elapsed: float = 0.0  # first update pushed to last answer delivered
    reports: list[Report] = field(default_factory=list)
    replies_received: int = 0
    stored_numbers: list[str] = field(default_factory=list)
    stored_texts: list[str] = field(default_factory=list)
    bot_exit_code: int | None = None
    bot_cpu_seconds: float | None = None  # over the whole run, start-up included
    bot_log_tail: str = ""

    @property
    def steps(self) -> int:
        return sum(len(r.steps) for r in self.reports)

    @property
    def lost_updates(self) -> int:
        return sum(s.lost for r in self.reports for s in r.steps)

    @property
    def error_replies(self) -> int:
        return sum(s.error is not None for r in self.reports for s in r.steps)

    @property
    def unexpected_replies(self) -> int:
        """Answered, but neither the next step nor a known error (a bug in the flow)."""
        return sum(
            not s.answered and not s.lost and s.error is None for r in self.reports for s in r.steps
        )

    @property
    def flows_completed(self) -> list[str]:
        return [r.number for r in self.reports if r.number is not None]

    @property
    def flows_abandoned(self) -> int:
        return sum(r.abandoned for r in self.reports)

    @property
    def duplicate_cases(self) -> int:
        """Cases stored more than once for one resident's one report (the text is unique)."""
        return sum(n - 1 for n in Counter(self.stored_texts).values() if n > 1)

    @property
    def told_but_missing(self) -> int:
        return len(set(self.flows_completed) - set(self.stored_numbers))

    @property
    def stored_but_not_told(self) -> int:
        """Cases whose "filed" answer never came (or came in a shape the flow did not expect)."""
        return len(set(self.stored_numbers) - set(self.flows_completed))

    def odd_steps(self, limit: int = 5) -> list[str]:
        """A few steps not answered as expected, with what came instead."""
        odd = [
            f"{r.text} / {s.name}: {s.seen or 'nothing'}"
            for r in self.reports
            for s in r.steps
            if not s.answered
        ]
        return odd[:limit]

    def latencies(self) -> list[float]:
        return sorted(
            latency for r in self.reports for s in r.steps if (latency := s.latency) is not None
        )

    def lines(self) -> list[str]:
        lat = self.latencies()

        def pct(q: float) -> str:
            return f"{lat[round(q * (len(lat) - 1))] * 1000:.0f} ms" if lat else "n/a"

        completed = len(self.flows_completed)
        cpu = "?" if self.bot_cpu_seconds is None else f"{self.bot_cpu_seconds:.0f}"
        secs = max(self.elapsed, 1e-9)
        return [
            f"GridDesk load: {self.plan.residents} residents starting steps for "
            f"{self.plan.duration:.0f} s ({self.elapsed:.0f} s from the first update to the last"
            f" answer), {self.database}, `griddesk run` long-polling the HTTP stand-in",
            f"updates sent          {self.steps}",
            f"replies received      {self.replies_received}",
            f"lost updates          {self.lost_updates}"
            f"   (no answer within {self.plan.reply_timeout:.0f} s)",
            f"error answers         {self.error_replies}",
            f"unexpected answers    {self.unexpected_replies}",
            f"flows started         {len(self.reports)}"
            f"   (completed {completed}, cut short by the end of the run {self.flows_abandoned})",
            f"cases stored          {len(self.stored_numbers)}"
            f"   vs flows completed {completed}; told but not stored {self.told_but_missing},"
            f" stored but not told {self.stored_but_not_told}",
            f"duplicate cases       {self.duplicate_cases}",
            f"reply latency         p50 {pct(0.5)}, p99 {pct(0.99)}, max {pct(1.0)}",
            f"throughput            {self.steps / secs:.1f} updates/s, "
            f"{self.replies_received / secs:.1f} replies/s, {completed / secs:.2f} reports/s",
            f"bot process           {cpu} CPU s in all, exit code {self.bot_exit_code}",
        ]


async def _create_postgres(admin_url: str) -> str:
    import asyncpg

    name = f"griddesk_load_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return f"{admin_url.rpartition('/')[0]}/{name}"


async def _drop_postgres(admin_url: str, url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.rpartition("/")[2]}" WITH (FORCE)')
    finally:
        await conn.close()


async def _stored_cases(database_url: str) -> tuple[list[str], list[str]]:
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            rows = (await session.execute(select(Case.number, Case.text))).all()
    finally:
        await db.dispose()
    return [row.number for row in rows], [row.text for row in rows]


async def _residents(
    plan: LoadPlan, api: LocalBotApi, inbox: Inbox, points: list[tuple[float, float]]
) -> list[Report]:
    loop = asyncio.get_running_loop()
    errors = error_texts()
    reports: list[Report] = []
    deadline = loop.time() + plan.ramp + plan.duration

    def keep_going() -> bool:
        return loop.time() < deadline

    async def live(n: int) -> None:
        await asyncio.sleep(plan.ramp * n / plan.residents)
        user = FIRST_RESIDENT + n
        base, language_code = REPORT_TEXTS[n % len(REPORT_TEXTS)]
        resident = Resident(api, inbox, user, language_code, errors)
        point = points[n % len(points)]
        k = 0
        while keep_going():
            k += 1
            report = await resident.report(
                f"{base} {report_tag(user, k)}", point, plan.reply_timeout, keep_going
            )
            if report.steps:
                reports.append(report)
            if any(step.lost for step in report.steps):
                return  # a late answer would be taken for the next flow's: stop this one

    await asyncio.gather(*(live(n) for n in range(plan.residents)))
    return reports


async def run_load(plan: LoadPlan, workdir: Path, cache_dir: Path | None = None) -> LoadResult:
    """Start the stand-in and the bot, let the residents loose, read back the store."""
    city = load_config(SHIPPED_CONFIG_DIR)
    points = list(grid_points(city).values())
    api = LocalBotApi()
    inbox = Inbox(api)
    server = await serve_http(api)
    admin = plan.admin_postgres_url
    url = (
        await _create_postgres(admin)
        if admin
        else f"sqlite+aiosqlite:///{workdir / 'griddesk.sqlite3'}"
    )
    result = LoadResult(plan, "PostgreSQL" if admin else "SQLite")
    bot: BotProcess | None = None
    try:
        bot = start_bot(
            server,
            url,
            workdir,
            cache_dir=cache_dir,
            rate_limit_per_minute=str(plan.flood_limit_per_minute),
        )
        await wait_until_answering(api, inbox, bot)
        started = time.monotonic()
        result.reports = await _residents(plan, api, inbox, points)
        first, last = FIRST_RESIDENT, FIRST_RESIDENT + plan.residents
        answers = [m for chat, ms in inbox.by_chat.items() if first <= chat < last for m in ms]
        result.replies_received = len(answers)
        # Not until the last resident gave up waiting: one stuck step must not dilute the rate.
        result.elapsed = max((m.at for m in answers), default=started) - started
        result.bot_cpu_seconds = bot.cpu_seconds()
        result.bot_exit_code = await asyncio.to_thread(bot.stop)
        result.bot_log_tail = bot.output()[-3000:]
        result.stored_numbers, result.stored_texts = await _stored_cases(url)
    finally:
        if bot is not None and bot.alive:
            bot.kill()
        await server.close()
        if admin:
            await _drop_postgres(admin, url)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--residents", type=int, default=LoadPlan.residents)
    parser.add_argument("--duration", type=float, default=LoadPlan.duration, help="seconds")
    parser.add_argument("--reply-timeout", type=float, default=LoadPlan.reply_timeout)
    parser.add_argument("--ramp", type=float, default=LoadPlan.ramp)
    parser.add_argument(
        "--postgres",
        metavar="ADMIN_URL",
        default=None,
        help="run on a fresh database on this server (postgresql+asyncpg://user@host/db)",
    )
    args = parser.parse_args()
    plan = LoadPlan(
        residents=args.residents,
        duration=args.duration,
        reply_timeout=args.reply_timeout,
        ramp=args.ramp,
        admin_postgres_url=args.postgres,
    )
    cache = os.environ.get("GRIDDESK_CACHE_DIR")
    with tempfile.TemporaryDirectory(prefix="griddesk-load-") as tmp:
        result = asyncio.run(run_load(plan, Path(tmp), Path(cache) if cache else None))
    print("\n".join(result.lines()))
    for line in result.odd_steps():
        print(f"  not as expected: {line}")
    if result.lost_updates or result.duplicate_cases or result.told_but_missing:
        print("\nlast lines of the bot's log:\n" + result.bot_log_tail)
        raise SystemExit(1)
    if result.unexpected_replies or result.error_replies or result.stored_but_not_told:
        print("\nlast lines of the bot's log:\n" + result.bot_log_tail)


if __name__ == "__main__":
    main()
