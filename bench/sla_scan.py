"""One tick of the real SLA scan over a city's year of cases, with the plans of its queries.

Loads --cases cases (default 1,000,000, of which --open are open, default 100,000) into a
throwaway PostgreSQL database with COPY: a year of closed history, an open backlog (most of it
recent, some long overdue and already escalated, some orphaned without a worker), resolved cases
waiting for the resident's answer, and a few hundred cases due for a reminder, an escalation or an
auto-close right now. Then ANALYZE, and:

1. a dry run of ``scan_sla`` in a rolled-back transaction, recording the SQL it sends;
2. ``EXPLAIN (ANALYZE, BUFFERS)`` of each of its three case queries, also rolled back;
3. one real tick (scan and commit), timed, with the rows it reminded, escalated and closed;
4. the next tick, when nothing is pending (what every later minute costs).

The same at --sqlite-cases on a SQLite file for comparison (EXPLAIN QUERY PLAN there). Prints
figures; asserts nothing. The goal on PostgreSQL: one tick under 2 s.

    .venv/bin/python -m bench.sla_scan [--cases 1000000] [--open 100000] [--sqlite-cases 100000]
                                       [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, func, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

from bench.outbox import throwaway_postgres
from bot.i18n import Catalog
from config.loader import SHIPPED_CONFIG_DIR, load_config
from config.schema import CityConfig
from domain.calendar import REMIND_AT_SHARE
from domain.lifecycle import CaseStatus
from services.cases.sla import SlaScanResult, scan_sla
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Case, OutboxMessage, User
from storage.sync import sync_city

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
FOLLOWUP = timedelta(days=3)
# Work waiting for this tick: a backlog after a few minutes of downtime.
DUE_REMINDERS, DUE_ESCALATIONS, DUE_CLOSES = 300, 300, 200
RESOLVED_WAITING = 3_000  # resolved within the follow-up window: not yet to be closed
ORPHAN_SHARE = 0.01  # open cases in a grid with no worker: never reminded
FRESH_SHARE = 0.4  # open cases not yet at 80 % of their time
RESIDENTS = 20_000
SCAN_TABLE = "cases"
S = CaseStatus
WORKING = (S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.ESCALATED, S.REOPENED)
# Share of the time to resolve a case took: most before the reminder, some late.
ON_TIME_SPREAD = ((0.1, 0.8, 0.85), (0.8, 1.0, 0.08), (1.0, 2.5, 0.07))
ENDED = ((S.CLOSED, 0.93), (S.CANCELLED, 0.03), (S.REJECTED, 0.02), (S.MERGED, 0.02))
COLUMNS = (
    "id", "number", "kind", "case_type", "status", "priority", "text", "language", "grid_id",
    "reporter_id", "assignee_id", "reporter_count", "created_at", "updated_at", "accept_due_at",
    "due_at", "resolved_at", "closed_at", "remind_at", "sla_reminded_at", "sla_escalated_at",
    "rating",
)  # fmt: skip


@dataclass(frozen=True)
class Staff:
    workers: dict[str, list[int]]  # grid -> user ids; some grids left without one
    first_resident: int


class CaseMaker:
    """Rows for the cases table, each a dict keyed by column, in a seeded random spread."""

    def __init__(self, city: CityConfig, staff: Staff, seed: int = 20261123) -> None:
        self.rng = random.Random(seed)
        self.city = city
        self.staff = staff
        self.types = list(city.case_types.values())
        self.grids = list(city.grids)
        self.next_id = 1

    def row(self, status: CaseStatus, created: datetime, **fields: Any) -> dict[str, Any]:
        case_type = fields.pop("case_type", None) or self.rng.choice(self.types)
        grid = fields.pop("grid_id", None) or self.rng.choice(self.grids)
        workers = self.staff.workers.get(grid)
        case_id, self.next_id = self.next_id, self.next_id + 1
        sla = case_type.sla_resolve.nominal  # synthetic rows: clock time is enough
        row = {
            "id": case_id,
            "number": f"GD-B-{case_id:07d}",
            "kind": "report",
            "case_type": case_type.id,
            "status": status.value,
            "priority": case_type.priority,
            "text": f"bench case {case_id}: 路灯不亮 street light out",
            "language": "zh" if case_id % 3 else "en",
            "grid_id": grid,
            "reporter_id": self.staff.first_resident + self.rng.randrange(RESIDENTS),
            "assignee_id": self.rng.choice(workers) if workers else None,
            "reporter_count": 1,
            "created_at": created,
            "updated_at": created,
            "accept_due_at": created + case_type.sla_accept.nominal,
            "due_at": created + sla,
            "resolved_at": None,
            "closed_at": None,
            "remind_at": created + sla * REMIND_AT_SHARE,
            "sla_reminded_at": None,
            "sla_escalated_at": None,
            "rating": None,
        }
        row.update(fields)
        return row

    def sla_of(self, row: dict[str, Any]) -> timedelta:
        return self.city.case_types[row["case_type"]].sla_resolve.nominal

    def flags(self, row: dict[str, Any], until: datetime) -> None:
        """Set the reminder/escalation marks the scan would have set by `until`."""
        if row["remind_at"] <= until and row["assignee_id"] is not None:
            row["sla_reminded_at"] = row["remind_at"] + timedelta(seconds=self.rng.uniform(0, 60))
        if row["due_at"] <= until:
            row["sla_escalated_at"] = row["due_at"] + timedelta(seconds=self.rng.uniform(0, 60))

    def history(self) -> dict[str, Any]:
        """A case filed over the past year and ended: mostly on time, some late."""
        created = NOW - timedelta(days=3) - timedelta(seconds=self.rng.uniform(0, 362 * 86400))
        status = self.rng.choices([s for s, _ in ENDED], [w for _, w in ENDED])[0]
        row = self.row(status, created)
        low, high = self.rng.choices(ON_TIME_SPREAD, [w for _, _, w in ON_TIME_SPREAD])[0][:2]
        ended = created + self.sla_of(row) * self.rng.uniform(low, high)
        if status is S.CLOSED:
            row["resolved_at"] = ended
            answered = timedelta(seconds=self.rng.uniform(0, FOLLOWUP.total_seconds()))
            row["closed_at"] = ended + answered
            row["rating"] = self.rng.choice([None, 3, 4, 5, 5])
        row["updated_at"] = row["closed_at"] or ended
        self.flags(row, ended)
        return row

    def open_case(self) -> dict[str, Any]:
        """A case still being worked on: fresh, or long overdue and already escalated."""
        orphan = self.rng.random() < ORPHAN_SHARE
        status = S.NEW if orphan else self.rng.choice(WORKING)
        case_type = self.rng.choice(self.types)
        sla = case_type.sla_resolve.nominal  # synthetic rows: clock time is enough
        if self.rng.random() < FRESH_SHARE:  # not yet at its reminder
            created = NOW - sla * self.rng.uniform(0.01, REMIND_AT_SHARE - 0.01)
        else:  # past due, handled by earlier ticks
            created = NOW - sla - timedelta(seconds=self.rng.uniform(3600, 120 * 86400))
        row = self.row(status, created, case_type=case_type)
        if orphan:
            row["assignee_id"] = None
        self.flags(row, NOW - timedelta(minutes=1))
        return row

    def due_now(self, what: str) -> dict[str, Any]:
        """A case that crossed a line in the last hour and waits for this tick."""
        ago = timedelta(seconds=self.rng.uniform(10, 3000))
        case_type = self.rng.choice(self.types)
        sla = case_type.sla_resolve.nominal  # synthetic rows: clock time is enough
        grid = self.rng.choice([g for g in self.grids if g in self.staff.workers])
        if what == "remind":
            created = NOW - ago - sla * REMIND_AT_SHARE
            return self.row(S.ACCEPTED, created, case_type=case_type, grid_id=grid)
        if what == "escalate":
            row = self.row(S.IN_PROGRESS, NOW - ago - sla, case_type=case_type, grid_id=grid)
            row["sla_reminded_at"] = row["remind_at"]
            return row
        resolved = NOW - FOLLOWUP - ago
        row = self.row(S.RESOLVED, resolved - sla * 0.5, case_type=case_type, grid_id=grid)
        row["resolved_at"] = row["updated_at"] = resolved
        return row

    def waiting(self) -> dict[str, Any]:
        resolved = NOW - timedelta(seconds=self.rng.uniform(3600, FOLLOWUP.total_seconds() - 3600))
        row = self.row(S.RESOLVED, resolved - timedelta(hours=self.rng.uniform(1, 48)))
        row["resolved_at"] = row["updated_at"] = resolved
        return row

    def all(self, total: int, open_cases: int) -> Iterator[dict[str, Any]]:
        history = total - open_cases - DUE_CLOSES - RESOLVED_WAITING
        if history < 0 or open_cases < DUE_REMINDERS + DUE_ESCALATIONS:
            raise ValueError("too few cases for the open backlog and the work due now")
        plan = (
            ["remind"] * DUE_REMINDERS
            + ["escalate"] * DUE_ESCALATIONS
            + ["close"] * DUE_CLOSES
            + ["waiting"] * RESOLVED_WAITING
            + ["open"] * (open_cases - DUE_REMINDERS - DUE_ESCALATIONS)
            + ["history"] * history
        )
        self.rng.shuffle(plan)
        for what in plan:
            if what == "history":
                yield self.history()
            elif what == "open":
                yield self.open_case()
            elif what == "waiting":
                yield self.waiting()
            else:
                yield self.due_now(what)


async def add_staff(db: Database, city: CityConfig) -> Staff:
    """Workers for all grids but two, a supervisor per community and one city-wide, residents."""
    async with db.transaction() as session:
        await sync_city(session, city)
        await session.flush()
        workers: dict[str, list[int]] = {}
        telegram_id = 700_000_000
        for grid in list(city.grids.values())[:-2]:
            for _ in range(grid.worker_slots):
                telegram_id += 1
                user = staff_user(telegram_id, "worker", grid_id=grid.id)
                session.add(user)
                await session.flush()
                workers.setdefault(grid.id, []).append(user.id)
        for community in [*city.communities, None]:
            telegram_id += 1
            session.add(staff_user(telegram_id, "supervisor", community_id=community))
        await session.flush()
        first = int((await session.execute(select(func.max(User.id)))).scalar_one()) + 1
        await session.execute(
            insert(User),
            [
                {"id": first + n, "telegram_id": 800_000_000 + n, "role": "resident",
                 "language": "zh", "active": True, "created_at": NOW - timedelta(days=400)}
                for n in range(RESIDENTS)
            ],
        )  # fmt: skip
        if not db.is_sqlite:
            await session.execute(text("SELECT setval('users_id_seq', max(id)) FROM users"))
    return Staff(workers, first)


def staff_user(telegram_id: int, role: str, **scope: str | None) -> User:
    return User(
        telegram_id=telegram_id,
        role=role,
        language="zh" if telegram_id % 2 else "en",
        active=True,
        created_at=NOW - timedelta(days=400),
        **scope,
    )


async def load_cases(db: Database, maker: CaseMaker, total: int, open_cases: int) -> float:
    """Returns the seconds the load took (COPY on PostgreSQL, executemany on SQLite)."""
    started = time.perf_counter()
    rows = maker.all(total, open_cases)
    if db.is_sqlite:
        while chunk := [row for _, row in zip(range(20_000), rows, strict=False)]:
            async with db.transaction() as session:
                await session.execute(insert(Case), chunk)
        return time.perf_counter() - started
    async with db.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        records = (tuple(row[c] for c in COLUMNS) for row in rows)
        await driver.copy_records_to_table(SCAN_TABLE, records=records, columns=COLUMNS)
        await conn.execute(text("SELECT setval('cases_id_seq', max(id)) FROM cases"))
        await conn.commit()
    return time.perf_counter() - started


async def analyze(db: Database) -> None:
    # VACUUM cannot run inside a transaction; it also sets the visibility map, as autovacuum
    # would have long since on a live table.
    async with db.engine.connect() as conn:
        auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
        for statement in ["ANALYZE"] if db.is_sqlite else ["VACUUM ANALYZE cases", "ANALYZE"]:
            await auto.execute(text(statement))


def capture_case_queries(db: Database) -> list[tuple[str, Any]]:
    """Records each SELECT on the cases table the engine sends, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_c: Connection, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        flat = " ".join(statement.split())
        if flat.startswith("SELECT") and "FROM cases" in flat and "JOIN" not in flat:
            seen.append((statement, params))

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    return seen


async def tick(session: AsyncSession, city: CityConfig, catalog: Catalog) -> SlaScanResult:
    return await scan_sla(session, city, catalog, NOW, FOLLOWUP)


async def explain(db: Database, queries: list[tuple[str, Any]]) -> None:
    prefix = "EXPLAIN QUERY PLAN " if db.is_sqlite else "EXPLAIN (ANALYZE, BUFFERS) "
    for number, (statement, params) in enumerate(queries, 1):
        async with db.engine.connect() as conn:
            plan = (await conn.exec_driver_sql(prefix + statement, params)).all()
            await conn.rollback()
        shown = re.sub(r"^SELECT .*? FROM", "SELECT cases.* FROM", " ".join(statement.split()))
        print(f"\n-- query {number}: {shown}")
        for line in plan:
            print("   ", line[-1])


async def run(url: str, total: int, open_cases: int) -> None:
    db = Database(url)
    city = load_config(SHIPPED_CONFIG_DIR)
    catalog = Catalog.load()
    engine_name = "sqlite" if db.is_sqlite else "postgresql"
    try:
        await upgrade(db)
        staff = await add_staff(db, city)
        loaded = await load_cases(db, CaseMaker(city, staff), total, open_cases)
        started = time.perf_counter()
        await analyze(db)
        print(
            f"\n== {engine_name}: {total:,} cases ({open_cases:,} open) loaded in {loaded:.1f} s, "
            f"analyzed in {time.perf_counter() - started:.1f} s"
        )
        async with db.transaction() as session:
            counts = dict(
                (await session.execute(
                    select(Case.status, func.count()).group_by(Case.status).order_by(Case.status)
                )).all()
            )  # fmt: skip
        print("   by status:", ", ".join(f"{s}={n:,}" for s, n in counts.items()))
        await print_index_sizes(db)

        queries = capture_case_queries(db)
        async with db.sessions() as session:
            started = time.perf_counter()
            dry = await tick(session, city, catalog)
            dry_elapsed = time.perf_counter() - started
            await session.rollback()
        print(f"   dry run (rolled back): {dry_elapsed:.3f} s, {dry}")
        case_queries = list(queries[:3])
        await explain(db, case_queries)

        for label in ("tick 1 (work waiting)", "tick 2 (nothing pending)"):
            started = time.perf_counter()
            async with db.transaction() as session:
                result = await tick(session, city, catalog)
                scanned = time.perf_counter() - started
            elapsed = time.perf_counter() - started
            async with db.transaction() as session:
                queued = (await session.execute(select(func.count(OutboxMessage.id)))).scalar_one()
            print(
                f"\n   {label}: elapsed {elapsed:.3f} s (scan {scanned:.3f} s + commit), "
                f"reminded={result.reminded} escalated={result.escalated} "
                f"auto_closed={result.auto_closed}; outbox rows now {queued}"
            )
    finally:
        await db.dispose()


async def print_index_sizes(db: Database) -> None:
    if db.is_sqlite:
        return
    async with db.engine.connect() as conn:
        sizes = (
            await conn.execute(
                text(
                    "SELECT indexrelname, pg_size_pretty(pg_relation_size(indexrelid)) "
                    "FROM pg_stat_user_indexes WHERE relname = 'cases' ORDER BY indexrelname"
                )
            )
        ).all()
        table = (
            await conn.execute(text("SELECT pg_size_pretty(pg_table_size('cases'))"))
        ).scalar_one()
    print(f"   cases table {table}; indexes:", ", ".join(f"{n} {s}" for n, s in sizes))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--sqlite-cases", type=int, default=100_000, help="0: skip SQLite")
    parser.add_argument("--postgres", default=os.environ.get("GRIDDESK_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if args.postgres:
        async with throwaway_postgres(args.postgres) as url:
            await run(url, args.cases, args.open)
    else:
        print("postgresql: skipped (set GRIDDESK_TEST_POSTGRES_URL or pass --postgres URL)")
    if args.sqlite_cases:
        with tempfile.TemporaryDirectory() as tmp:
            share = args.open / args.cases
            await run(f"sqlite+aiosqlite:///{tmp}/bench.sqlite3", args.sqlite_cases,
                      max(int(args.sqlite_cases * share), DUE_REMINDERS + DUE_ESCALATIONS))


if __name__ == "__main__":
    asyncio.run(main())
