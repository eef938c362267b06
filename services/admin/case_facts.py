"""One row of facts per case, read once and shared by `cases export` and `stats`.

Both reports read the same facts with the same rules, so the export's columns always
add up to the figures `stats` prints.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.lifecycle import OPEN_STATUSES, CaseStatus
from services.admin.period import Period
from services.statistics import kpi
from services.statistics.kpi import REPORT
from storage.models import Case, CaseEvent, Grid, User

# Resolved counts as disposed: the problem is fixed; closing only records the resident's word.
DISPOSED_STATUSES = frozenset({CaseStatus.RESOLVED.value, CaseStatus.CLOSED.value})
_OPEN = frozenset(status.value for status in OPEN_STATUSES)
STREAM_BATCH = 500
# Named columns, not the whole row: contact phones and reporter ids are never read here.
_CASE_COLUMNS = (
    Case.number,
    Case.kind,
    Case.case_type,
    Case.status,
    Case.priority,
    Case.grid_id,
    Case.text,
    Case.address,
    Case.assignee_id,
    Case.created_at,
    Case.accept_due_at,
    Case.resolved_at,
    Case.closed_at,
    Case.due_at,
    Case.rating,
    Case.reporter_count,
)


@dataclass(frozen=True, kw_only=True)
class CaseFacts:
    """One case as the stats and the export read it; every datetime is aware UTC."""

    number: str
    kind: str
    case_type: str
    status: str
    priority: str
    grid_id: str | None
    community_id: str | None
    text: str
    created_at: datetime
    accepted_at: datetime | None  # the first move to `accepted`
    resolved_at: datetime | None  # resolved_at, else the latest move to `resolved`
    closed_at: datetime | None
    due_at: datetime
    rating: int | None
    reporter_count: int
    address: str | None = None
    assignee_id: int | None = None
    assignee_role: str | None = None
    assignee_grid_id: str | None = None
    accept_due_at: datetime | None = None
    resolution_note: str | None = None  # the worker's note on the latest resolution
    reopened: bool = False
    grades: tuple[str, ...] = ()  # 12345 evaluations (legacy stars mapped), one per resident

    @property
    def disposed(self) -> bool:
        """Resolved or closed."""
        return self.status in DISPOSED_STATUSES

    @property
    def time_to_accept(self) -> timedelta | None:
        """Clock time from filing to the first acceptance; None if never accepted."""
        return self.accepted_at - self.created_at if self.accepted_at else None

    @property
    def time_to_resolve(self) -> timedelta | None:
        """Clock time from filing to the resolution; None if not resolved."""
        return self.resolved_at - self.created_at if self.resolved_at else None

    def responded_in_time(self, now: datetime) -> bool | None:
        """The case's part in 响应率 (see services.statistics.kpi); None: not counted."""
        if self.kind != REPORT or self.accept_due_at is None:
            return None
        responded = min(
            (t for t in (self.accepted_at, self.resolved_at) if t is not None), default=None
        )
        return kpi.responded_in_time(self.status, self.accept_due_at, responded, now)

    def resolved_on_time(self, now: datetime) -> bool | None:
        """The case's part in 按时办结率; None: not counted."""
        if self.kind != REPORT:
            return None
        return kpi.resolved_on_time(self.status, self.resolved_at, self.due_at, now)

    def overdue(self, now: datetime) -> bool:
        """Open past its due time, or disposed (resolved, else closed) after it."""
        if self.status in _OPEN:
            return now > self.due_at
        if not self.disposed:
            return False  # cancelled, rejected or merged: no SLA to miss
        done = self.resolved_at or self.closed_at
        return done is not None and done > self.due_at


def _latest_note(status: CaseStatus) -> Any:
    return (
        select(CaseEvent.note)
        .where(CaseEvent.case_id == Case.id, CaseEvent.to_status == status.value)
        .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _ever(status: CaseStatus) -> Any:
    return (
        select(func.count(CaseEvent.id))
        .where(CaseEvent.case_id == Case.id, CaseEvent.to_status == status.value)
        .scalar_subquery()
    )


def _first_event(status: CaseStatus, which: Any = func.min) -> Any:
    return (
        select(CaseEvent.case_id, which(CaseEvent.at).label("at"))
        .where(CaseEvent.to_status == status.value)
        .group_by(CaseEvent.case_id)
        .subquery()
    )


def _in_period(period: Period) -> list[ColumnElement[bool]]:
    conditions = []
    if period.start is not None:
        conditions.append(Case.created_at >= period.start)
    if period.end is not None:
        conditions.append(Case.created_at < period.end)
    return conditions


async def count_cases(session: AsyncSession, period: Period) -> int:
    """For the progress bar's length."""
    stmt = select(func.count()).select_from(Case).where(*_in_period(period))
    return int((await session.execute(stmt)).scalar_one())


async def stream_case_facts(session: AsyncSession, period: Period) -> AsyncIterator[CaseFacts]:
    """Cases filed in `period`, oldest first, fetched in batches so a year fits in memory."""
    # A case reopened and resolved again was resolved the last time.
    accepted = _first_event(CaseStatus.ACCEPTED)
    resolved = _first_event(CaseStatus.RESOLVED, func.max)
    assignee = aliased(User)
    stmt = (
        select(
            *_CASE_COLUMNS,
            func.coalesce(Case.community_id, Grid.community_id).label("community"),
            accepted.c.at.label("accepted_at"),
            resolved.c.at.label("resolved_event_at"),
            _latest_note(CaseStatus.RESOLVED).label("resolution_note"),
            _ever(CaseStatus.REOPENED).label("reopens"),
            assignee.role.label("assignee_role"),
            assignee.grid_id.label("assignee_grid_id"),
        )
        .outerjoin(Grid, Grid.id == Case.grid_id)
        .outerjoin(assignee, assignee.id == Case.assignee_id)
        .outerjoin(accepted, accepted.c.case_id == Case.id)
        .outerjoin(resolved, resolved.c.case_id == Case.id)
        .where(*_in_period(period))
        .order_by(Case.created_at, Case.id)
        .execution_options(yield_per=STREAM_BATCH)
    )
    result = await session.stream(stmt)
    async for row in result:
        yield CaseFacts(
            number=row.number,
            kind=row.kind,
            case_type=row.case_type,
            status=row.status,
            priority=row.priority,
            grid_id=row.grid_id,
            community_id=row.community,
            text=row.text,
            created_at=row.created_at,
            accepted_at=row.accepted_at,
            resolved_at=row.resolved_at or row.resolved_event_at,
            closed_at=row.closed_at,
            due_at=row.due_at,
            rating=row.rating,
            reporter_count=row.reporter_count,
            address=row.address,
            assignee_id=row.assignee_id,
            assignee_role=row.assignee_role,
            assignee_grid_id=row.assignee_grid_id,
            accept_due_at=row.accept_due_at,
            resolution_note=row.resolution_note,
            reopened=bool(row.reopens) or row.status == CaseStatus.REOPENED.value,
        )


async def read_case_facts(session: AsyncSession, period: Period) -> list[CaseFacts]:
    """stream_case_facts as one list (oldest first)."""
    return [facts async for facts in stream_case_facts(session, period)]
