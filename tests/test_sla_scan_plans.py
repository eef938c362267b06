"""The SLA scan's queries can use their partial indexes, on SQLite and PostgreSQL.

A planner uses a partial index only when it can prove the query's WHERE clause implies the
index's predicate; a status list sent as bound parameters, or in another order (SQLite), hides
that, and the scan silently falls back to walking every closed case (bench/sla_scan.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, insert, text
from sqlalchemy.engine import Connection

from bot.clock import ManualClock
from bot.i18n import Catalog
from config.loader import SHIPPED_CONFIG_DIR, load_config
from services.cases.sla import scan_sla
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Case

INDEXES = [
    "ix_cases_accept_remind_pending",
    "ix_cases_accept_escalate_pending",
    "ix_cases_remind_pending",
    "ix_cases_escalate_pending",
    "ix_cases_resolved_at",
]
CLOSED, OPEN = 2_000, 10


def case_row(n: int, status: str, filed: datetime) -> dict[str, Any]:
    return {
        "number": f"GD-2026-{n:06d}", "case_type": "sanitation", "status": status,
        "priority": "normal", "text": "x", "language": "zh", "created_at": filed,
        "updated_at": filed, "accept_due_at": filed + timedelta(hours=2),
        "due_at": filed + timedelta(days=2), "remind_at": filed + timedelta(days=1.6),
        "resolved_at": filed + timedelta(days=1) if status == "closed" else None,
    }  # fmt: skip


async def add_history(db: Database, now: datetime) -> None:
    """Mostly closed cases that never needed a reminder, a few open: what a live table holds."""
    rows = [case_row(n, "closed", now - timedelta(hours=n)) for n in range(CLOSED)]
    rows += [case_row(CLOSED + n, "in_progress", now - timedelta(hours=n)) for n in range(OPEN)]
    async with db.transaction() as session:
        await session.execute(insert(Case), rows)
    async with db.engine.connect() as conn:
        await conn.execute(text("ANALYZE"))
        await conn.commit()


async def test_each_scan_query_can_use_its_partial_index(database_url: str) -> None:
    db = Database(database_url)
    sent: list[tuple[str, Any]] = []

    def record(_c: Connection, _cur: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().startswith("SELECT") and "FROM cases" in statement:
            sent.append((statement, params))

    try:
        await upgrade(db)
        await add_history(db, ManualClock().now())
        event.listen(db.engine.sync_engine, "before_cursor_execute", record)
        async with db.sessions() as session:
            await scan_sla(
                session, load_config(SHIPPED_CONFIG_DIR), Catalog.load(), ManualClock().now(),
                timedelta(days=3),
            )  # fmt: skip
            await session.rollback()
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)
        assert len(sent) == len(INDEXES)
        for (statement, params), index in zip(sent, INDEXES, strict=True):
            async with db.engine.connect() as conn:
                if db.is_sqlite:
                    explain = "EXPLAIN QUERY PLAN "
                else:  # a small table: make the planner show which index it *could* use
                    await conn.exec_driver_sql("SET enable_seqscan = off")
                    explain = "EXPLAIN "
                rows = (await conn.exec_driver_sql(explain + statement, params)).all()
                await conn.rollback()
            plan = "\n".join(str(row[-1]) for row in rows)
            assert index in plan, f"{index} not used by:\n{statement}\n{plan}"
    finally:
        await db.dispose()
