"""The working calendar (domain/calendar.py) on a hand-built calendar and fixed moments.

The office: Mon-Fri 08:30-12:00 and 14:00-17:30 in Shanghai. National Day 2025 (Wed 1 Oct to
Tue 7 Oct) is off; Sun 28 Sep and Sat 11 Oct are make-up working days (调休). Every expected
moment below is counted by hand in the comments.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import ManualClock
from domain.calendar import (
    ROUND_THE_CLOCK,
    OfficeHours,
    SlaSpan,
    SlaUnit,
    WorkingCalendar,
    case_deadlines,
    clock_span,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NATIONAL_DAY = frozenset(date(2025, 10, d) for d in range(1, 8))
MAKE_UP = frozenset({date(2025, 9, 28), date(2025, 10, 11)})
OFFICE = WorkingCalendar(
    timezone=SHANGHAI,
    working_week=frozenset(range(5)),
    hours=(OfficeHours(8 * 60 + 30, 12 * 60), OfficeHours(14 * 60, 17 * 60 + 30)),
    days_off=NATIONAL_DAY,
    extra_working_days=MAKE_UP,
    holidays_known_until=date(2025, 12, 31),
)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=SHANGHAI)


def span(text: str) -> SlaSpan:
    unit = SlaUnit(text.lstrip("0123456789"))
    return SlaSpan(int(text[: len(text) - len(unit.value)]), unit)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 9, 26), True),  # a Friday
        (date(2025, 9, 27), False),  # an ordinary Saturday
        (date(2025, 9, 28), True),  # a Sunday, but a make-up day
        (date(2025, 10, 1), False),  # National Day, a Wednesday
        (date(2025, 10, 7), False),  # the holiday's last day, a Tuesday
        (date(2025, 10, 8), True),  # back to work
        (date(2025, 10, 11), True),  # a make-up Saturday
        (date(2025, 10, 12), False),  # an ordinary Sunday
    ],
)
def test_working_days(day: date, working: bool) -> None:
    assert OFFICE.is_working_day(day) is working
    assert bool(OFFICE.office_periods(day)) is working


def test_office_periods_are_local_and_skip_lunch() -> None:
    assert OFFICE.office_periods(date(2025, 9, 29)) == [
        (at(9, 29, 8, 30), at(9, 29, 12)),
        (at(9, 29, 14), at(9, 29, 17, 30)),
    ]


WORKING_TIME = [
    # (start, office hours to add, end)
    (at(9, 29, 11), 2, at(9, 29, 15)),  # 1 h before lunch, 1 h after
    (at(9, 29, 7), 1, at(9, 29, 9, 30)),  # the time before opening does not count
    (at(9, 29, 18), 1, at(9, 30, 9, 30)),  # after closing: the next morning
    (at(9, 29, 9), 3, at(9, 29, 12)),  # exactly the rest of the morning
    (at(9, 19, 16), 4, at(9, 22, 11)),  # across a weekend: 1.5 h Fri, 2.5 h Mon
    (at(9, 30, 16), 3, at(10, 8, 10)),  # across National Day: 1.5 h Tue, 1.5 h Wed 8 Oct
    (at(9, 26, 17), 2, at(9, 28, 10)),  # Sat off, the make-up Sunday counts: 0.5 h + 1.5 h
    (at(10, 10, 17), 1, at(10, 11, 9)),  # Fri, then the make-up Saturday
]


@pytest.mark.parametrize(("start", "hours", "end"), WORKING_TIME)
def test_add_working_hours(start: datetime, hours: int, end: datetime) -> None:
    assert OFFICE.add_working_time(start, timedelta(hours=hours)) == end
    assert OFFICE.deadline(start, SlaSpan(hours, SlaUnit.WORKING_HOURS)) == end
    # and back: the office time between the two is what was added
    assert OFFICE.working_time_between(start, end) == timedelta(hours=hours)


WORKING_DAYS = [
    # the day of filing does not count; a working-day SLA ends at closing time
    (at(9, 19, 10), 1, at(9, 22, 17, 30)),  # Friday -> Monday
    (at(9, 27, 9), 1, at(9, 28, 17, 30)),  # filed on a Saturday -> the make-up Sunday
    (at(9, 30, 10), 1, at(10, 8, 17, 30)),  # before National Day -> after it
    (at(9, 30, 10), 3, at(10, 10, 17, 30)),  # Wed 8, Thu 9, Fri 10
    (at(9, 30, 10), 4, at(10, 11, 17, 30)),  # ... and the make-up Saturday
    (at(9, 30, 10), 5, at(10, 13, 17, 30)),  # Sunday 12 is off: Monday 13
    (at(10, 3, 23), 1, at(10, 8, 17, 30)),  # filed during the holiday
]


@pytest.mark.parametrize(("start", "days", "end"), WORKING_DAYS)
def test_add_working_days(start: datetime, days: int, end: datetime) -> None:
    assert OFFICE.close_of_working_day(start, days) == end
    assert OFFICE.deadline(start, SlaSpan(days, SlaUnit.WORKING_DAYS)) == end


@pytest.mark.parametrize(
    ("start", "sla", "end"),
    [
        (at(9, 19, 23), "1h", at(9, 20, 0)),  # clock units run through the night
        (at(9, 30, 16), "1d", at(10, 1, 16)),  # ... and through holidays
        (at(9, 27, 23, 50), "30m", at(9, 28, 0, 20)),
    ],
)
def test_clock_units_ignore_the_calendar(start: datetime, sla: str, end: datetime) -> None:
    assert OFFICE.deadline(start, span(sla)) == end


def test_a_utc_start_is_read_on_the_city_s_wall_clock() -> None:
    # Mon 29 Sep 02:00 UTC is 10:00 in Shanghai: 2 office hours end at noon there.
    start = datetime(2025, 9, 29, 2, 0, tzinfo=UTC)
    assert OFFICE.add_working_time(start, timedelta(hours=2)) == at(9, 29, 12)
    # Sun 28 Sep 23:00 UTC is already Monday 07:00 locally: Monday is not "the day of filing"
    # counted away twice; one working day ends on Tuesday.
    late = datetime(2025, 9, 28, 23, 0, tzinfo=UTC)
    assert OFFICE.close_of_working_day(late, 1) == at(9, 30, 17, 30)


def test_working_time_between_is_zero_backwards_and_skips_closed_hours() -> None:
    assert OFFICE.working_time_between(at(9, 30, 12), at(10, 8, 8, 30)) == timedelta(hours=3.5)
    assert OFFICE.working_time_between(at(9, 30, 12), at(9, 30, 11)) == timedelta(0)


def test_deadlines_of_a_case_remind_at_80_percent_of_office_time() -> None:
    # Mon 10:00 to Tue 17:30 holds 5.5 + 7 = 12.5 office hours; 80 % is 10 h: 5.5 on Monday,
    # 3.5 on Tuesday morning, 1 after lunch -> Tue 15:00.
    deadlines = case_deadlines(OFFICE, at(9, 29, 10), span("2wh"), span("1wd"))
    assert deadlines.accept_due_at == at(9, 29, 12)
    assert deadlines.due_at == at(9, 30, 17, 30)
    assert deadlines.remind_at == at(9, 30, 15)


def test_an_urgent_case_runs_on_the_clock() -> None:
    friday_night = at(9, 26, 22)
    urgent = case_deadlines(OFFICE, friday_night, span("2wh"), span("1wd"), urgent=True)
    assert urgent.accept_due_at == at(9, 27, 0)
    assert urgent.due_at == at(9, 27, 22)
    assert urgent.remind_at == friday_night + timedelta(hours=24 * 0.8)
    normal = case_deadlines(OFFICE, friday_night, span("2wh"), span("1wd"))
    assert normal.accept_due_at == at(9, 28, 10, 30)  # the make-up Sunday


def test_time_left_on_a_frozen_clock() -> None:
    # A case filed on Friday 16:00 with 4 working hours; the clock stands still over the weekend.
    clock = ManualClock(at(9, 19, 16))
    due = OFFICE.deadline(clock.now(), span("4wh"))
    clock.advance(timedelta(hours=62))  # Monday 06:00: nothing of the SLA has been used since 17:30
    assert clock.now() == at(9, 22, 6)
    assert OFFICE.working_time_between(clock.now(), due) == timedelta(hours=2.5)
    clock.set(at(9, 22, 10))
    assert OFFICE.working_time_between(clock.now(), due) == timedelta(hours=1)


def test_round_the_clock_counts_every_minute() -> None:
    start = datetime(2025, 9, 27, 23, 0, tzinfo=UTC)  # a Saturday night
    assert ROUND_THE_CLOCK.deadline(start, span("2wh")) == start + timedelta(hours=2)
    assert ROUND_THE_CLOCK.is_working_day(date(2025, 10, 1))


def test_spans_order_print_and_go_on_the_clock() -> None:
    assert span("2wh") < span("1wd") < span("3wd")
    assert str(span("3wd")) == "3wd" and span("4wh").unit.working
    assert not span("1h").unit.working
    assert clock_span(span("3wd")) == SlaSpan(3, SlaUnit.DAYS)
    assert clock_span(span("2wh")) == SlaSpan(2, SlaUnit.HOURS)
    assert clock_span(span("30m")) == span("30m")


def test_holiday_data_running_out() -> None:
    assert OFFICE.holiday_data_runs_out(date(2025, 11, 15))  # within 60 days of Dec 31
    assert not OFFICE.holiday_data_runs_out(date(2025, 6, 1))
    assert not ROUND_THE_CLOCK.holiday_data_runs_out(date(2025, 12, 30))  # no source: no end


@pytest.mark.parametrize(
    "build",
    [
        lambda: OfficeHours(600, 500),
        lambda: OfficeHours(0, 24 * 60 + 1),
        lambda: WorkingCalendar(
            timezone=SHANGHAI,
            working_week=frozenset({0}),
            hours=(OfficeHours(600, 720), OfficeHours(700, 800)),  # overlapping
        ),
        lambda: WorkingCalendar(
            timezone=SHANGHAI, working_week=frozenset(), hours=(OfficeHours(0, 60),)
        ),
    ],
    ids=["closes-before-opening", "past-midnight", "overlapping", "no-working-day"],
)
def test_impossible_calendars_are_refused(build: object) -> None:
    with pytest.raises(ValueError):
        build()  # type: ignore[operator]


def test_a_calendar_with_no_office_time_ahead_says_so() -> None:
    mondays = frozenset(date(2025, 1, 6) + timedelta(weeks=w) for w in range(120))
    never = WorkingCalendar(
        timezone=SHANGHAI,
        working_week=frozenset({0}),
        hours=(OfficeHours(600, 720),),
        days_off=mondays,
    )
    with pytest.raises(ValueError, match="no office time"):
        never.add_working_time(at(1, 1, 9), timedelta(hours=1))
    with pytest.raises(ValueError, match="working days"):
        never.close_of_working_day(at(1, 1, 9), 1)
