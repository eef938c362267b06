"""The working calendar: SLAs in working hours and days across lunch, weekends, public
holidays and make-up working days (调休), with a frozen clock; and how due times are said."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.due_text import say_due, say_moment
from bot.i18n import Catalog
from config import CityConfig
from domain.calendar import SlaSpan, SlaUnit, case_deadlines

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


# (filed at, SLA, due) in the shipped calendar: Mon-Fri 08:30-12:00 and 14:00-17:30.
# 2026-10-01..07 is National Day; Sat 2026-10-10 is a make-up working day; 2027-01-01 is a day
# off from config/holidays.yaml (the package's data ends with 2026).
DEADLINES = [
    # a working-day SLA ends at closing time; the day of filing does not count
    (local(2026, 11, 30, 10, 0), "3wd", local(2026, 12, 3, 17, 30)),
    (local(2026, 11, 30, 18, 45), "1wd", local(2026, 12, 1, 17, 30)),
    # filed on a Saturday: Monday is the first working day
    (local(2026, 11, 28, 9, 0), "1wd", local(2026, 11, 30, 17, 30)),
    # across the weekend: 1.5 h on Friday, 2.5 h on Monday
    (local(2026, 11, 27, 16, 0), "4wh", local(2026, 11, 30, 11, 0)),
    # the lunch break does not count, nor does the time before opening
    (local(2026, 11, 30, 11, 0), "2wh", local(2026, 11, 30, 15, 0)),
    (local(2026, 11, 30, 12, 30), "1wh", local(2026, 11, 30, 15, 0)),
    (local(2026, 11, 30, 7, 0), "1wh", local(2026, 11, 30, 9, 30)),
    # National Day week off, then Thursday, Friday and the make-up Saturday
    (local(2026, 9, 30, 16, 0), "3wd", local(2026, 10, 10, 17, 30)),
    (local(2026, 9, 30, 16, 0), "2wh", local(2026, 10, 8, 9, 0)),
    # the local override file: New Year's Day 2027, then the weekend
    (local(2026, 12, 31, 16, 0), "1wd", local(2027, 1, 4, 17, 30)),
    # clock units run through nights and weekends
    (local(2026, 11, 28, 23, 0), "1h", local(2026, 11, 29, 0, 0)),
    (local(2026, 9, 30, 16, 0), "1d", local(2026, 10, 1, 16, 0)),
    (local(2026, 11, 28, 23, 50), "30m", local(2026, 11, 29, 0, 20)),
]


def span(text: str) -> SlaSpan:
    unit = SlaUnit(text.lstrip("0123456789"))
    return SlaSpan(int(text[: len(text) - len(unit.value)]), unit)


@pytest.mark.parametrize(("filed", "sla", "due"), DEADLINES)
def test_deadline(city: CityConfig, filed: datetime, sla: str, due: datetime) -> None:
    assert city.calendar.deadline(filed, span(sla)) == due


def test_reminder_comes_at_80_percent_of_office_time(city: CityConfig) -> None:
    # Mon 10:00 to Thu 17:30 holds 5.5 + 3 x 7 = 26.5 office hours; 80 % is 21 h 12 min,
    # which runs out on Thursday at 10:12 (not on a night or a weekend).
    deadlines = case_deadlines(city.calendar, local(2026, 11, 30, 10, 0), span("2wh"), span("3wd"))
    assert deadlines.accept_due_at == local(2026, 11, 30, 12, 0)  # the morning's end
    assert deadlines.due_at == local(2026, 12, 3, 17, 30)
    assert deadlines.remind_at == local(2026, 12, 3, 10, 12)


def test_an_emergency_does_not_wait_for_monday(city: CityConfig) -> None:
    friday_night = local(2026, 11, 27, 22, 0)
    urgent = case_deadlines(city.calendar, friday_night, span("2wh"), span("1wd"), urgent=True)
    assert urgent.accept_due_at == local(2026, 11, 28, 0, 0)
    assert urgent.due_at == local(2026, 11, 28, 22, 0)
    normal = case_deadlines(city.calendar, friday_night, span("2wh"), span("1wd"))
    assert normal.accept_due_at == local(2026, 11, 30, 10, 30)


def test_shipped_calendar_knows_holidays_and_make_up_days(city: CityConfig) -> None:
    calendar = city.calendar
    assert not calendar.is_working_day(local(2026, 10, 1).date())  # National Day
    assert calendar.is_working_day(local(2026, 10, 10).date())  # a Saturday, 调休
    assert not calendar.is_working_day(local(2026, 11, 28).date())  # an ordinary Saturday
    assert not calendar.is_working_day(local(2027, 1, 1).date())  # holidays.yaml


SAID = [
    ("zh", local(2026, 11, 30, 10, 0), "3wd", "3个工作日内（12月3日 周四 17:30 前）"),
    ("en", local(2026, 11, 30, 10, 0), "3wd", "within 3 working days (by Thu 3 Dec, 17:30)"),
    ("en", local(2026, 11, 30, 18, 45), "1wd", "within 1 working day (by Tue 1 Dec, 17:30)"),
    ("zh", local(2026, 11, 27, 16, 0), "4wh", "4个工作小时内（11月30日 周一 11:00 前）"),
    ("en", local(2026, 11, 27, 16, 0), "1h", "within 1 hour (by Fri 27 Nov, 17:00)"),
    # another year is named
    ("zh", local(2026, 12, 31, 16, 0), "1wd", "1个工作日内（2027年1月4日 周一 17:30 前）"),
    ("en", local(2026, 12, 31, 16, 0), "1wd", "within 1 working day (by Mon 4 Jan 2027, 17:30)"),
]


@pytest.mark.parametrize(("lang", "filed", "sla", "said"), SAID)
def test_due_as_people_say_it(
    city: CityConfig, catalog: Catalog, lang: str, filed: datetime, sla: str, said: str
) -> None:
    due = city.calendar.deadline(filed, span(sla))
    assert say_due(catalog, lang, due, span(sla), city.timezone, filed) == said


def test_a_utc_moment_is_said_in_the_city_s_time_zone(city: CityConfig, catalog: Catalog) -> None:
    moment = datetime.fromisoformat("2026-12-02T21:25:00+00:00")  # 05:25 on Thursday in Shanghai
    assert say_moment(catalog, "zh", moment, city.timezone, moment) == "12月3日 周四 5:25"
    assert say_moment(catalog, "en", moment, city.timezone, moment) == "Thu 3 Dec, 5:25"


def test_the_end_of_the_holiday_data_is_known(city: CityConfig) -> None:
    calendar = city.calendar
    assert calendar.holidays_known_until == local(2026, 12, 31).date()
    assert calendar.holiday_data_runs_out(local(2026, 11, 30).date())  # December: time to update
    assert not calendar.holiday_data_runs_out(local(2026, 6, 1).date())
