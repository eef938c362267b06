"""Per grid and case type: how many cases came in, how many were disposed, and how fast.

Medians, not means, for times: one case left open over a holiday would otherwise
drown a grid's ordinary week. The total row is computed over all cases, not from
the lines, because a median of medians is not a median.

Evaluations are counted by 12345 grade (满意 / 基本满意 / 不满意), one per resident who gave
one, with 1-5 stars given before the grades mapped as services.statistics.kpi maps them; the
satisfaction share is the KPI 满意率 (满意 or 基本满意 over all grades). Those older stars
also keep their own average, so a grid's history stays readable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import fmean, median

from sqlalchemy.ext.asyncio import AsyncSession

from services.admin.case_facts import CaseFacts, stream_case_facts
from services.admin.period import Period
from services.statistics.kpi import (
    BASICALLY_SATISFIED,
    SATISFIED,
    UNSATISFIED,
    Ratio,
    grades_by_number,
)

NO_GRID = "(no grid)"  # consultations go to a community, not a grid
TOTAL = "total"


@dataclass(frozen=True)
class StatsLine:
    """One grid and case type of `griddesk stats` (or the total): counts, clock-time
    medians (None when none), evaluations by 12345 grade, and the average of the older 1-5
    star ratings (None when there are none)."""

    grid: str
    case_type: str
    received: int
    disposed: int
    overdue: int
    median_accept: timedelta | None
    median_resolve: timedelta | None
    satisfied: int  # 满意
    basically_satisfied: int  # 基本满意
    unsatisfied: int  # 不满意
    average_stars: float | None  # of the 1-5 stars residents gave before the 12345 grades

    @property
    def disposal_rate(self) -> float | None:
        """disposed / received as a fraction 0..1; None when nothing was received."""
        return self.disposed / self.received if self.received else None

    @property
    def satisfaction(self) -> Ratio:
        """满意率, as the KPI counts it: 满意 or 基本满意, of every grade given."""
        content = self.satisfied + self.basically_satisfied
        return Ratio(content, content + self.unsatisfied)


@dataclass
class _Tally:
    received: int = 0
    disposed: int = 0
    overdue: int = 0
    accept_seconds: list[float] = field(default_factory=list)
    resolve_seconds: list[float] = field(default_factory=list)
    grades: list[str] = field(default_factory=list)
    stars: list[int] = field(default_factory=list)

    def add(self, facts: CaseFacts, now: datetime, grades: Sequence[str] = ()) -> None:
        self.received += 1
        self.disposed += facts.disposed
        self.overdue += facts.overdue(now)
        if facts.time_to_accept is not None:
            self.accept_seconds.append(facts.time_to_accept.total_seconds())
        if facts.time_to_resolve is not None:
            self.resolve_seconds.append(facts.time_to_resolve.total_seconds())
        self.grades += grades
        if facts.rating is not None:
            self.stars.append(facts.rating)

    def line(self, grid: str, case_type: str) -> StatsLine:
        return StatsLine(
            grid=grid,
            case_type=case_type,
            received=self.received,
            disposed=self.disposed,
            overdue=self.overdue,
            median_accept=_median(self.accept_seconds),
            median_resolve=_median(self.resolve_seconds),
            satisfied=self.grades.count(SATISFIED),
            basically_satisfied=self.grades.count(BASICALLY_SATISFIED),
            unsatisfied=self.grades.count(UNSATISFIED),
            average_stars=fmean(self.stars) if self.stars else None,
        )


def _median(seconds: list[float]) -> timedelta | None:
    return timedelta(seconds=median(seconds)) if seconds else None


@dataclass(frozen=True)
class StatsReport:
    """The stats of a period: one line per (grid, case type), sorted, and the total."""

    period: Period
    lines: list[StatsLine]
    total: StatsLine


def tally(
    facts: Iterable[CaseFacts],
    period: Period,
    now: datetime,
    grades: Mapping[str, Sequence[str]] | None = None,
) -> StatsReport:
    """Group the cases by grid and case type; `now` (aware UTC) decides what is overdue;
    `grades` are each case's 12345 grades by case number (kpi.grades_by_number)."""
    groups: dict[tuple[str, str], _Tally] = {}
    total = _Tally()
    grades = grades or {}
    for case in facts:
        given = grades.get(case.number, ())
        key = (case.grid_id or NO_GRID, case.case_type)
        groups.setdefault(key, _Tally()).add(case, now, given)
        total.add(case, now, given)
    lines = [groups[key].line(*key) for key in sorted(groups)]
    return StatsReport(period, lines, total.line(TOTAL, ""))


def _no_progress(_: int) -> None:
    return None


async def compute_stats(
    session: AsyncSession,
    period: Period,
    now: datetime,
    on_row: Callable[[int], None] = _no_progress,
) -> StatsReport:
    """`now` decides which open cases are already past due; `on_row` drives a progress bar."""
    facts: list[CaseFacts] = []
    async for case in stream_case_facts(session, period):
        facts.append(case)
        on_row(len(facts))
    return tally(facts, period, now, await grades_by_number(session, period.start, period.end))
