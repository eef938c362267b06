"""The figures statistics are made of, as plain values: ratios, the street office's KPIs and a
week's figures in one scope.

Pure data (no session, no catalog), so the services that count them and the presentation in
``bot/`` that words them (``bot.weekly_words``, ``griddesk stats``) share one shape. The
counting itself is ``services.statistics.kpi`` and ``services.statistics.weekly_report``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median


@dataclass(frozen=True)
class Ratio:
    """`hit` of `of` cases (or evaluations) met the rule."""

    hit: int
    of: int

    @property
    def rate(self) -> float | None:
        """hit / of as a fraction 0..1; None when nothing counts (of == 0)."""
        return self.hit / self.of if self.of else None


@dataclass(frozen=True)
class Kpis:
    """The office KPIs over a set of reports; `median_close` is clock time from filing to
    resolution, None when nothing was resolved."""

    cases: int
    response: Ratio  # 响应率
    on_time: Ratio  # 按时办结率
    satisfaction: Ratio  # 满意率
    redo: Ratio  # 重办率
    median_close: timedelta | None


def median_span(spans: list[timedelta]) -> timedelta:
    """The median of clock spans.

    Raises:
        statistics.StatisticsError: `spans` is empty.
    """
    return timedelta(seconds=median(span.total_seconds() for span in spans))


@dataclass(frozen=True)
class WeeklyFigures:
    """Last week's figures in one scope; days are the city's local dates, spans clock time."""

    community_id: str | None  # None: the whole city
    first_day: date  # local, inclusive
    last_day: date  # local, inclusive
    received_by_type: dict[str, int]  # most first
    disposed_by_type: dict[str, int]
    resolve_times_by_type: dict[str, list[timedelta]]
    overdue_by_grid: dict[str | None, int]  # most first; None: cases without a grid
    kpis: Kpis | None = None  # over the reports filed in the week

    @property
    def received(self) -> int:
        """Cases filed in the week."""
        return sum(self.received_by_type.values())

    @property
    def disposed(self) -> int:
        """Of those, the ones resolved or closed by the time the report is made."""
        return sum(self.disposed_by_type.values())

    @property
    def disposal_rate(self) -> float | None:
        """disposed / received as a fraction 0..1; None when nothing was received."""
        return self.disposed / self.received if self.received else None

    @property
    def resolved(self) -> int:
        """Cases resolved in the week (filed whenever) and still resolved or closed."""
        return sum(len(times) for times in self.resolve_times_by_type.values())

    @property
    def median_resolve(self) -> timedelta | None:
        """Median filing-to-resolution clock time over all types; None when none resolved."""
        times = [t for per_type in self.resolve_times_by_type.values() for t in per_type]
        return median_span(times) if times else None

    @property
    def overdue(self) -> int:
        """Open cases past their due time when the report is made."""
        return sum(self.overdue_by_grid.values())
