"""The periodic SLA scan: remind the worker at 80 %, tell supervisors at 100 %,
close resolved cases nobody answered for.

Reads the database each tick (no per-case timers). Each row is claimed with
`FOR UPDATE SKIP LOCKED` on PostgreSQL and its flag set in the same
transaction, so several instances never send one reminder twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.lifecycle import OPEN_STATUSES, CaseStatus
from bot.i18n import Catalog
from bot.services import notify
from bot.services.reporting import format_local, supervisors_for
from bot.services.transitions import transition
from config.schema import CityConfig
from storage.models import Case, User

BATCH = 500
OPEN = [s.value for s in OPEN_STATUSES]


@dataclass
class SlaScanResult:
    reminded: int = 0
    escalated: int = 0
    auto_closed: int = 0


def _claim(statement: Select[Case], session: AsyncSession) -> Select[Case]:
    if session.get_bind().dialect.name == "postgresql":
        return statement.with_for_update(skip_locked=True)
    return statement  # SQLite: one writer at a time already


async def scan_sla(
    session: AsyncSession,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    followup_timeout: timedelta,
) -> SlaScanResult:
    result = SlaScanResult()
    due_soon = _claim(
        select(Case)
        .where(
            Case.sla_reminded_at.is_(None),
            Case.remind_at <= now,
            Case.status.in_(OPEN),
            Case.assignee_id.is_not(None),
        )
        .order_by(Case.remind_at)
        .limit(BATCH),
        session,
    )
    for case in (await session.execute(due_soon)).scalars():
        case.sla_reminded_at = now
        worker = await session.get(User, case.assignee_id)
        if worker is not None and worker.active:
            _tell(session, worker, case, "staff.sla_reminder", city, catalog, now)
            result.reminded += 1
    overdue = _claim(
        select(Case)
        .where(
            Case.sla_escalated_at.is_(None),
            Case.due_at <= now,
            Case.status.in_(OPEN),
        )
        .order_by(Case.due_at)
        .limit(BATCH),
        session,
    )
    for case in (await session.execute(overdue)).scalars():
        case.sla_escalated_at = now
        for supervisor in await supervisors_for(session, city, case.grid_id):
            _tell(session, supervisor, case, "staff.sla_overdue", city, catalog, now)
        result.escalated += 1
    unanswered = _claim(
        select(Case)
        .where(
            Case.status == CaseStatus.RESOLVED.value,
            Case.resolved_at <= now - followup_timeout,
        )
        .order_by(Case.resolved_at)
        .limit(BATCH),
        session,
    )
    for case in (await session.execute(unanswered)).scalars():
        transition(session, case, CaseStatus.CLOSED, None, now, note="no answer from resident")
        await notify.tell_residents(session, case, "notify.closed", city, catalog, now)
        result.auto_closed += 1
    return result


def _tell(
    session: AsyncSession,
    user: User,
    case: Case,
    key: str,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
) -> None:
    lang = notify.language_of(user, catalog.default_language)
    text = catalog.t(
        lang,
        key,
        **notify.case_values(case, city, lang),
        due=format_local(case.due_at, city.timezone),
    )
    notify.queue(session, user, text, now, kind="sla", case=case)


async def daily_digest(
    session: AsyncSession, city: CityConfig, catalog: Catalog, now: datetime
) -> int:
    """08:00: each active worker gets their open cases by due time. Returns workers told."""
    workers = (
        (await session.execute(select(User).where(User.role == "worker", User.active.is_(True))))
        .scalars()
        .all()
    )
    told = 0
    for worker in workers:
        cases = (
            (
                await session.execute(
                    select(Case)
                    .where(Case.assignee_id == worker.id, Case.status.in_(OPEN))
                    .order_by(Case.due_at)
                    .limit(30)
                )
            )
            .scalars()
            .all()
        )
        if not cases:
            continue
        lang = notify.language_of(worker, catalog.default_language)
        lines = [catalog.t(lang, "staff.digest_header", count=len(cases))]
        lines += [
            catalog.t(
                lang,
                "staff.digest_line",
                **notify.case_values(c, city, lang),
                status=catalog.t(lang, f"status.{c.status}"),
                due=format_local(c.due_at, city.timezone),
            )
            for c in cases
        ]
        notify.queue(session, worker, "\n".join(lines), now, kind="digest")
        told += 1
    return told
