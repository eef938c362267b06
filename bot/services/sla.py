"""The periodic SLA scan: remind the worker at 80 %, tell supervisors at 100 %,
close resolved cases nobody answered for.

Reads the database each tick (no per-case timers). Each row is claimed with
`FOR UPDATE SKIP LOCKED` on PostgreSQL and its flag set in the same
transaction, so several instances never send one reminder twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.lifecycle import OPEN_STATUS_VALUES, OPEN_STATUSES, CaseStatus
from bot.i18n import Catalog
from bot.services import notify
from bot.services.due_text import say_moment
from bot.services.reporting import supervisors_for
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


def _is_open() -> ColumnElement[bool]:
    """``status IN ('accepted', ...)`` with the values written into the SQL, in a fixed order.

    The partial indexes of the scan (storage.models) name these statuses in their predicates;
    a planner can match a query to such an index only when it sees the same literal values
    (a bound parameter hides them: SQLite never uses the index then, nor can a generic plan
    on PostgreSQL).
    """
    values = list(OPEN_STATUS_VALUES)
    return Case.status.in_(bindparam("open", values, expanding=True, literal_execute=True))


async def scan_sla(
    session: AsyncSession,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    followup_timeout: timedelta,
) -> SlaScanResult:
    """One tick. Each step reads at most BATCH cases and a handful of other queries, not one
    per case, so a backlog after downtime is cleared in seconds."""
    result = SlaScanResult()
    due_soon = await _claimed(
        session,
        select(Case)
        .where(
            Case.sla_reminded_at.is_(None),
            Case.remind_at <= now,
            _is_open(),
            Case.assignee_id.is_not(None),
        )
        .order_by(Case.remind_at),
    )
    workers = await _users_by_id(session, {c.assignee_id for c in due_soon if c.assignee_id})
    for case in due_soon:
        case.sla_reminded_at = now
        worker = workers.get(case.assignee_id or 0)
        if worker is not None and worker.active:
            _tell(session, worker, case, "staff.sla_reminder", city, catalog, now)
            result.reminded += 1
    overdue = await _claimed(
        session,
        select(Case)
        .where(
            Case.sla_escalated_at.is_(None),
            Case.due_at <= now,
            _is_open(),
        )
        .order_by(Case.due_at),
    )
    supervisors: dict[str | None, list[User]] = {}
    for case in overdue:
        case.sla_escalated_at = now
        community = _community_of(case, city)
        if community not in supervisors:
            supervisors[community] = await supervisors_for(session, city, None, community)
        for supervisor in supervisors[community]:
            _tell(session, supervisor, case, "staff.sla_overdue", city, catalog, now)
        result.escalated += 1
    unanswered = await _claimed(
        session,
        select(Case)
        .where(
            Case.status == bindparam("resolved", CaseStatus.RESOLVED.value, literal_execute=True),
            Case.resolved_at <= now - followup_timeout,
        )
        .order_by(Case.resolved_at),
    )
    residents = await notify.residents_of_cases(session, unanswered)
    for case in unanswered:
        transition(session, case, CaseStatus.CLOSED, None, now, note="no answer from resident")
        await notify.tell_residents(
            session, case, "notify.closed", city, catalog, now, residents=residents[case.id]
        )
        result.auto_closed += 1
    return result


async def _claimed(session: AsyncSession, statement: Select[Case]) -> Sequence[Case]:
    return (await session.execute(_claim(statement.limit(BATCH), session))).scalars().all()


async def _users_by_id(session: AsyncSession, ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    users = await session.execute(select(User).where(User.id.in_(ids)))
    return {user.id: user for user in users.scalars()}


def _community_of(case: Case, city: CityConfig) -> str | None:
    """The grid's community, else the case's own (a consultation has no grid)."""
    grid = city.grids.get(case.grid_id) if case.grid_id else None
    return grid.community_id if grid is not None else case.community_id


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
        due=say_moment(catalog, lang, case.due_at, city.timezone, now),
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
                due=say_moment(catalog, lang, c.due_at, city.timezone, now),
            )
            for c in cases
        ]
        notify.queue(session, worker, "\n".join(lines), now, kind="digest")
        told += 1
    return told
