"""The street office's KPIs, computed in one place for `griddesk stats`, the weekly report
and its chart, and the export (DESIGN.md "The street office's rules"):

- 响应率 response rate: of the cases whose accept-SLA has run out or that were accepted, the
  share accepted (or resolved, if never formally accepted) by `accept_due_at`;
- 按时办结率 on-time rate: of the cases that should be finished by now (resolved or closed,
  plus those still open past their due time), the share resolved by `due_at`;
- 满意率 satisfaction rate: of the evaluations given, the share 满意 or 基本满意;
- 重办率 redo rate: of the cases ever resolved, the share reopened ("not fixed");
- median time to close: filing to resolution, over the resolved and closed cases.

Reports only: a consultation is answered, not handled, and has none of these clocks. Merged,
cancelled and rejected cases have no SLA to meet unless they were accepted first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median
from typing import Any, Literal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.lifecycle import OPEN_STATUS_VALUES, CaseStatus
from domain.statistics import Kpis as Kpis  # plain data in the domain, so bot/ can word it;
from domain.statistics import Ratio as Ratio  # named here too for the callers of the KPIs
from storage.models import Case, CaseEvent, CaseFollower, Evaluation, Grid

SATISFIED = "satisfied"
BASICALLY_SATISFIED = "basically_satisfied"
UNSATISFIED = "unsatisfied"
GRADES: tuple[str, ...] = (SATISFIED, BASICALLY_SATISFIED, UNSATISFIED)
_CONTENT = frozenset({SATISFIED, BASICALLY_SATISFIED})
_DISPOSED = frozenset({CaseStatus.RESOLVED.value, CaseStatus.CLOSED.value})
_NO_SLA = frozenset({CaseStatus.MERGED.value, CaseStatus.CANCELLED.value, "rejected"})
_OPEN = frozenset(OPEN_STATUS_VALUES)
REPORT = "report"
Dimension = Literal["grid", "community", "case_type"]


def grade_of_stars(stars: int) -> str:
    """Ratings given before the 12345 grades: 4-5 stars content, 3 basically, 1-2 not."""
    return SATISFIED if stars >= 4 else BASICALLY_SATISFIED if stars == 3 else UNSATISFIED


@dataclass(frozen=True, kw_only=True)
class KpiCase:
    """One report as the KPIs need it; every datetime is aware UTC. `grades` are GRADES
    values."""

    case_type: str
    grid_id: str | None
    community_id: str | None
    status: str
    created_at: datetime
    accept_due_at: datetime
    due_at: datetime
    responded_at: datetime | None  # the first acceptance or resolution, whichever came first
    resolved_at: datetime | None  # the latest resolution still standing
    ever_resolved: bool
    reopened: bool
    grades: tuple[str, ...] = ()  # one per resident who evaluated


def responded_in_time(
    status: str, accept_due_at: datetime, responded_at: datetime | None, now: datetime
) -> bool | None:
    """For 响应率: whether the case was responded to by `accept_due_at`; None while the case
    does not count (accept-SLA still running, or no SLA). Aware datetimes."""
    if responded_at is not None:
        return responded_at <= accept_due_at
    if status in _NO_SLA or accept_due_at > now:
        return None
    return False


def resolved_on_time(
    status: str, resolved_at: datetime | None, due_at: datetime, now: datetime
) -> bool | None:
    """For 按时办结率: whether the case was resolved by `due_at` (False when still open past
    it); None when it does not count yet. Aware datetimes."""
    if status in _DISPOSED and resolved_at is not None:
        return resolved_at <= due_at
    if status in _OPEN and due_at < now:
        return False
    return None


def compute_kpis(cases: Iterable[KpiCase], now: datetime) -> Kpis:
    """The KPIs of `cases` as of `now` (aware UTC; decides which running SLAs count yet)."""
    count = 0
    response, on_time, content, redo = [0, 0], [0, 0], [0, 0], [0, 0]
    close_seconds: list[float] = []
    for case in cases:
        count += 1
        responded = responded_in_time(case.status, case.accept_due_at, case.responded_at, now)
        if responded is not None:
            response[0] += responded
            response[1] += 1
        finished = resolved_on_time(case.status, case.resolved_at, case.due_at, now)
        if finished is not None:
            on_time[0] += finished
            on_time[1] += 1
        if case.status in _DISPOSED and case.resolved_at is not None:
            close_seconds.append((case.resolved_at - case.created_at).total_seconds())
        content[1] += len(case.grades)
        content[0] += sum(grade in _CONTENT for grade in case.grades)
        if case.ever_resolved:
            redo[1] += 1
            redo[0] += case.reopened
    return Kpis(
        cases=count,
        response=Ratio(*response),
        on_time=Ratio(*on_time),
        satisfaction=Ratio(*content),
        redo=Ratio(*redo),
        median_close=timedelta(seconds=median(close_seconds)) if close_seconds else None,
    )


_KEYS: dict[Dimension, Callable[[KpiCase], str | None]] = {
    "grid": lambda case: case.grid_id,
    "community": lambda case: case.community_id,
    "case_type": lambda case: case.case_type,
}


def kpis_by(
    cases: Sequence[KpiCase], now: datetime, dimension: Dimension
) -> dict[str | None, Kpis]:
    """KPIs per grid, community or case type id (None: cases without one), most cases first;
    `now` is aware UTC."""
    groups: dict[str | None, list[KpiCase]] = {}
    for case in cases:
        groups.setdefault(_KEYS[dimension](case), []).append(case)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0] or ""))
    return {key: compute_kpis(group, now) for key, group in ordered}


def _event_at(status: CaseStatus, which: Callable[..., Any] = func.min) -> ColumnElement[datetime]:
    return (
        select(which(CaseEvent.at))
        .where(CaseEvent.case_id == Case.id, CaseEvent.to_status == status.value)
        .scalar_subquery()
    )


async def read_kpi_cases(
    session: AsyncSession,
    start: datetime | None,
    end: datetime | None,
    community_id: str | None = None,
) -> list[KpiCase]:
    """Reports filed in [start, end) (aware UTC; None: open-ended), in one community or the
    city, in id order. Reads only."""
    community = func.coalesce(Case.community_id, Grid.community_id)
    reopened = (
        select(func.count(CaseEvent.id))
        .where(CaseEvent.case_id == Case.id, CaseEvent.to_status == CaseStatus.REOPENED.value)
        .scalar_subquery()
    )
    stmt = (
        select(
            Case.id,
            Case.case_type,
            Case.grid_id,
            community.label("community"),
            Case.status,
            Case.created_at,
            Case.accept_due_at,
            Case.due_at,
            Case.resolved_at,
            Case.rating,
            _event_at(CaseStatus.ACCEPTED).label("accepted_at"),
            _event_at(CaseStatus.RESOLVED).label("first_resolved_at"),
            _event_at(CaseStatus.RESOLVED, func.max).label("last_resolved_at"),
            reopened.label("reopens"),
        )
        .outerjoin(Grid, Grid.id == Case.grid_id)
        .where(Case.kind == REPORT)
        .order_by(Case.id)
    )
    if start is not None:
        stmt = stmt.where(Case.created_at >= start)
    if end is not None:
        stmt = stmt.where(Case.created_at < end)
    if community_id is not None:
        stmt = stmt.where(community == community_id)
    rows = (await session.execute(stmt)).all()
    grades = await _grades(session, [row.id for row in rows])
    for row in rows:
        if row.rating is not None:
            grades.setdefault(row.id, []).append(grade_of_stars(row.rating))
    return [
        KpiCase(
            case_type=row.case_type,
            grid_id=row.grid_id,
            community_id=row.community,
            status=row.status,
            created_at=row.created_at,
            accept_due_at=row.accept_due_at,
            due_at=row.due_at,
            # a case resolved was responded to, events or not (imports, older rows)
            responded_at=_earliest(row.accepted_at, row.first_resolved_at, row.resolved_at),
            # the column, else the event (older rows, imports)
            resolved_at=row.resolved_at
            or (row.last_resolved_at if row.status in _DISPOSED else None),
            ever_resolved=row.first_resolved_at is not None or row.resolved_at is not None,
            reopened=bool(row.reopens) or row.status == CaseStatus.REOPENED.value,
            grades=tuple(grades.get(row.id, ())),
        )
        for row in rows
    ]


async def grades_by_number(
    session: AsyncSession, start: datetime | None, end: datetime | None
) -> dict[str, list[str]]:
    """Each case's grades (evaluations, and legacy stars of reporter and followers) by case
    number, for cases filed in [start, end) (aware UTC; None: open-ended): the export's
    evaluation column. Cases without a grade are left out."""
    stmt = select(Case.id, Case.number, Case.rating)
    if start is not None:
        stmt = stmt.where(Case.created_at >= start)
    if end is not None:
        stmt = stmt.where(Case.created_at < end)
    rows = (await session.execute(stmt)).all()
    by_id = await _grades(session, [row.id for row in rows])
    found: dict[str, list[str]] = {}
    for row in rows:
        grades = by_id.get(row.id, [])
        if row.rating is not None:
            grades.append(grade_of_stars(row.rating))
        if grades:
            found[row.number] = grades
    return found


def _earliest(*moments: datetime | None) -> datetime | None:
    known = [moment for moment in moments if moment is not None]
    return min(known) if known else None


async def _grades(session: AsyncSession, case_ids: list[int]) -> dict[int, list[str]]:
    """Evaluations, plus followers' legacy star ratings, by case."""
    found: dict[int, list[str]] = {}
    for chunk in (case_ids[i : i + 500] for i in range(0, len(case_ids), 500)):
        for case_id, grade in await session.execute(
            select(Evaluation.case_id, Evaluation.grade).where(Evaluation.case_id.in_(chunk))
        ):
            found.setdefault(case_id, []).append(grade)
        for case_id, stars in await session.execute(
            select(CaseFollower.case_id, CaseFollower.rating).where(
                CaseFollower.case_id.in_(chunk), CaseFollower.rating.is_not(None)
            )
        ):
            if stars is not None:
                found.setdefault(case_id, []).append(grade_of_stars(stars))
    return found
