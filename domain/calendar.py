"""The street office's working calendar, and the due times it gives (DESIGN.md "The street
office's rules").

Offices count SLAs in working hours and working days: weekends and public holidays do not
count, make-up working days (调休) do. Pure rules over dates and aware datetimes, no storage
and no Telegram, so every layer and every test can ask them with a frozen clock.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from functools import total_ordering

# A calendar with no working day for this long is a config fault, not a long holiday.
MAX_SEARCH_DAYS = 400
MINUTES_PER_DAY = 24 * 60


class SlaUnit(StrEnum):
    """Clock units run round the clock; working units only in office time."""

    MINUTES = "m"
    HOURS = "h"
    DAYS = "d"
    WORKING_HOURS = "wh"
    WORKING_DAYS = "wd"

    @property
    def working(self) -> bool:
        """True for working hours and working days (counted in office time only)."""
        return self in (SlaUnit.WORKING_HOURS, SlaUnit.WORKING_DAYS)


_NOMINAL = {
    SlaUnit.MINUTES: timedelta(minutes=1),
    SlaUnit.HOURS: timedelta(hours=1),
    SlaUnit.DAYS: timedelta(days=1),
    SlaUnit.WORKING_HOURS: timedelta(hours=1),
    SlaUnit.WORKING_DAYS: timedelta(days=1),
}


@total_ordering
@dataclass(frozen=True)
class SlaSpan:
    """An SLA as config states it: `2h`, `4wh` (working hours), `3wd` (working days)."""

    amount: int
    unit: SlaUnit

    @property
    def nominal(self) -> timedelta:
        """A rough length, only to order spans (accept must not outlast resolve)."""
        return self.amount * _NOMINAL[self.unit]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, SlaSpan):
            return NotImplemented
        return self.nominal < other.nominal

    def __str__(self) -> str:
        return f"{self.amount}{self.unit.value}"


@dataclass(frozen=True)
class OfficeHours:
    """One stretch of office time, minutes after local midnight, within one day."""

    opens: int
    closes: int

    def __post_init__(self) -> None:
        if not 0 <= self.opens < self.closes <= MINUTES_PER_DAY:
            raise ValueError(f"office hours must lie within one day: {self}")

    def __str__(self) -> str:
        return f"{_hhmm(self.opens)}-{_hhmm(self.closes)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, kw_only=True)
class WorkingCalendar:
    """When the office works, in the city's time zone.

    `days_off` (public holidays and their bridging days) and `extra_working_days` (make-up working
    days) override the working week; a date in both is refused at load time.
    """

    timezone: tzinfo
    working_week: frozenset[int]  # Monday 0
    hours: tuple[OfficeHours, ...]  # sorted, not overlapping
    days_off: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    # The last day the holiday source knows (its data ends each December 31st); None: no source.
    holidays_known_until: date | None = None

    def __post_init__(self) -> None:
        if not self.working_week or not self.hours:
            raise ValueError("a working calendar needs at least one working day and hours")
        for before, after in itertools.pairwise(self.hours):
            if after.opens < before.closes:
                raise ValueError(f"office hours overlap or are unsorted: {before}, {after}")

    def holiday_data_runs_out(self, today: date, ahead: timedelta = timedelta(days=60)) -> bool:
        """Whether due times may soon fall past the holiday source's data (then next year's
        holidays count as working days unless holidays.yaml lists them)."""
        known = self.holidays_known_until
        return known is not None and today + ahead > known

    def is_working_day(self, day: date) -> bool:
        """Whether `day` (a local date in the city) is a working day: make-up days count;
        holidays and weekdays outside the working week do not."""
        if day in self.extra_working_days:
            return True
        if day in self.days_off:
            return False
        return day.weekday() in self.working_week

    def office_periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The office time of `day` (a local date) as aware (start, end) pairs in the city's
        time zone, in order; [] on a day off."""
        if not self.is_working_day(day):
            return []
        return [(self._at(day, h.opens), self._at(day, h.closes)) for h in self.hours]

    def _at(self, day: date, minute: int) -> datetime:
        if minute >= MINUTES_PER_DAY:
            return datetime.combine(day + timedelta(days=1), time(), tzinfo=self.timezone)
        return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=self.timezone)

    def _periods_from(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Office periods that end after `start`, clipped to begin no earlier than it."""
        day = start.astimezone(self.timezone).date()
        for offset in range(MAX_SEARCH_DAYS):
            for opens, closes in self.office_periods(day + timedelta(days=offset)):
                if closes > start:
                    yield max(opens, start), closes
        raise ValueError(f"no office time within {MAX_SEARCH_DAYS} days of {start}")

    def add_working_time(self, start: datetime, span: timedelta) -> datetime:
        """The moment `span` of office time has passed since `start` (closed hours pause it).

        `start` is any aware datetime; the result is aware (the city's zone, or `start`'s own
        when it falls inside office time). A zero span returns the next office moment.

        Raises:
            ValueError: no office time within MAX_SEARCH_DAYS of `start` (a config fault).
        """
        left = span
        for opens, closes in self._periods_from(start):
            if closes - opens >= left:
                return opens + left
            left -= closes - opens
        raise AssertionError("unreachable: _periods_from raises when it runs out")

    def close_of_working_day(self, start: datetime, count: int) -> datetime:
        """Office close on the `count`-th working day after `start`'s own day.

        As in the administrative rule, the day a case arrives is not counted: filed on a
        Monday, "3 working days" ends on Thursday at closing time. `start` is aware (any
        zone; its local date in the city counts); the result is aware in the city's zone.

        Raises:
            ValueError: no `count` working days within MAX_SEARCH_DAYS (a config fault).
        """
        day = start.astimezone(self.timezone).date()
        for _ in range(MAX_SEARCH_DAYS):
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
                if count <= 0:
                    return self.office_periods(day)[-1][1]
        raise ValueError(f"no {count} working days within {MAX_SEARCH_DAYS} days of {start}")

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Office time inside [start, end) of two aware datetimes; zero if end <= start.

        Raises:
            ValueError: no office time within MAX_SEARCH_DAYS of `start` (a config fault).
        """
        total = timedelta()
        if end <= start:
            return total
        for opens, closes in self._periods_from(start):
            if opens >= end:
                break
            total += min(closes, end) - opens
        return total

    def deadline(self, start: datetime, span: SlaSpan) -> datetime:
        """When an SLA of `span` that starts at aware `start` runs out (aware datetime).

        Clock units add plain time; working units count office time (see add_working_time and
        close_of_working_day).

        Raises:
            ValueError: a working-unit span finds no office time within MAX_SEARCH_DAYS.
        """
        match span.unit:
            case SlaUnit.WORKING_DAYS:
                return self.close_of_working_day(start, span.amount)
            case SlaUnit.WORKING_HOURS:
                return self.add_working_time(start, timedelta(hours=span.amount))
            case _:
                return start + span.nominal

    def share_of(self, start: datetime, due: datetime, share: float, working: bool) -> datetime:
        """The moment `share` (0..1) of the way from aware `start` to aware `due`, counting
        office time only when `working`, so a reminder never lands on a Sunday for a
        working-day SLA.

        Raises:
            ValueError: `working` and no office time within MAX_SEARCH_DAYS of `start`.
        """
        if not working:
            return start + (due - start) * share
        return self.add_working_time(start, self.working_time_between(start, due) * share)


# For a city without calendar.yaml: every minute counts, as before working time existed.
ROUND_THE_CLOCK = WorkingCalendar(
    timezone=UTC,
    working_week=frozenset(range(7)),
    hours=(OfficeHours(0, MINUTES_PER_DAY),),
)


@dataclass(frozen=True)
class Deadlines:
    """A case's due times, all aware datetimes: accept by, resolve by, remind the worker at."""

    accept_due_at: datetime
    due_at: datetime
    remind_at: datetime


# The worker's reminder comes at this share of the time to resolve.
REMIND_AT_SHARE = 0.8


def case_deadlines(
    calendar: WorkingCalendar,
    start: datetime,
    accept: SlaSpan,
    resolve: SlaSpan,
    *,
    urgent: bool = False,
) -> Deadlines:
    """Accept-by, resolve-by and remind-at for a case that starts (or restarts) at `start`.

    An urgent case (an emergency) does not wait for office hours: its SLAs run on the clock.
    `start` is an aware datetime (UTC in practice); the due times are aware.

    Raises:
        ValueError: a working-unit SLA finds no office time within MAX_SEARCH_DAYS.
    """
    if urgent:
        accept, resolve = clock_span(accept), clock_span(resolve)
    due = calendar.deadline(start, resolve)
    return Deadlines(
        accept_due_at=calendar.deadline(start, accept),
        due_at=due,
        remind_at=calendar.share_of(start, due, REMIND_AT_SHARE, resolve.unit.working),
    )


def clock_span(span: SlaSpan) -> SlaSpan:
    """The same number of clock hours or days, for cases that cannot wait for Monday."""
    match span.unit:
        case SlaUnit.WORKING_HOURS:
            return SlaSpan(span.amount, SlaUnit.HOURS)
        case SlaUnit.WORKING_DAYS:
            return SlaSpan(span.amount, SlaUnit.DAYS)
        case _:
            return span
