"""Per grid and case type: how many cases came in, how many were disposed, and how fast.

Medians, not means, for times: one case left open over a holiday would otherwise
drown a grid's ordinary week. The total row is computed over all cases, not from
the lines, because a median of medians is not a median.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import fmean, median

from sqlalchemy.ext.asyncio import AsyncSession

from services.admin.case_facts import CaseFacts, stream_case_facts
from services.admin.period import Period

NO_GRID = "(no grid)"  # consultations go to a community, not a grid
TOTAL = "total"


@dataclass(frozen=True)
class StatsLine:
    """One grid and case type of `griddesk stats` (or the total): counts, clock-time
    medians (None when none), average star rating (None when unrated)."""

    grid: str
    case_type: str
    received: int
    disposed: int
    overdue: int
    median_accept: timedelta | None
    median_resolve: timedelta | None
    average_rating: float | None

    @property
    def disposal_rate(self) -> float | None:
        """disposed / received as a fraction 0..1; None when nothing was received."""
        return self.disposed / self.received if self.received else None


@dataclass
class _Tally:
    received: int = 0
    disposed: int = 0
    overdue: int = 0
    accept_seconds: list[float] = field(default_factory=list)
    resolve_seconds: list[float] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)

    def add(self, facts: CaseFacts, now: datetime) -> None:
        self.received += 1
        self.disposed += facts.disposed
        self.overdue += facts.overdue(now)
        if facts.time_to_accept is not None:
            self.accept_seconds.append(facts.time_to_accept.total_seconds())
        if facts.time_to_resolve is not None:
            self.resolve_seconds.append(facts.time_to_resolve.total_seconds())
        if facts.rating is not None:
            self.ratings.append(facts.rating)

    def line(self, grid: str, case_type: str) -> StatsLine:
        return StatsLine(
            grid=grid,
            case_type=case_type,
            received=self.received,
            disposed=self.disposed,
            overdue=self.overdue,
            median_accept=_median(self.accept_seconds),
            median_resolve=_median(self.resolve_seconds),
            average_rating=fmean(self.ratings) if self.ratings else None,
        )


def _median(seconds: list[float]) -> timedelta | None:
    return timedelta(seconds=median(seconds)) if seconds else None


@dataclass(frozen=True)
class StatsReport:
    """The stats of a period: one line per (grid, case type), sorted, and the total."""

    period: Period
    lines: list[StatsLine]
    total: StatsLine


def tally(facts: Iterable[CaseFacts], period: Period, now: datetime) -> StatsReport:
    """Group the cases by grid and case type; `now` (aware UTC) decides what is overdue."""
    groups: dict[tuple[str, str], _Tally] = {}
    total = _Tally()
    for case in facts:
        groups.setdefault((case.grid_id or NO_GRID, case.case_type), _Tally()).add(case, now)
        total.add(case, now)
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
    return tally(facts, period, now)
