"""Call-out times as coordinators type them, read on the city's wall clock (table-driven)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.volunteer_words import example_dates
from services.volunteers.windows import BadWindow, parse_window

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 30 November 2026, 10:00 in the city.
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)


def local(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


WINDOWS = [
    # the forms that worked before
    ("2026-12-05 09:00-12:00", local(12, 5, 9), local(12, 5, 12)),
    ("12-05 9:00-12:00", local(12, 5, 9), local(12, 5, 12)),
    ("12月5日 9:00到12:00", local(12, 5, 9), local(12, 5, 12)),
    ("tomorrow 9:00-12:00", local(12, 1, 9), local(12, 1, 12)),
    ("明天 9:00-12:00", local(12, 1, 9), local(12, 1, 12)),
    ("１２－０５　９：００－１２：００", local(12, 5, 9), local(12, 5, 12)),
    ("01-05 9:00-12:00", local(1, 5, 9, year=2027), local(1, 5, 12, year=2027)),
    ("2026-12-05 22:00-02:00", local(12, 5, 22), local(12, 6, 2)),
    # weekdays, in both languages
    ("Saturday 9:00-11:30", local(12, 5, 9), local(12, 5, 11, 30)),
    ("sat 9-11:30", local(12, 5, 9), local(12, 5, 11, 30)),
    ("next Saturday 9:00-11:30", local(12, 12, 9), local(12, 12, 11, 30)),
    ("Monday 9:00-11:00", local(12, 7, 9), local(12, 7, 11)),  # today's 9:00 has passed
    ("Monday 14:00-16:00", local(11, 30, 14), local(11, 30, 16)),  # still ahead today
    ("周六上午9点到11点半", local(12, 5, 9), local(12, 5, 11, 30)),
    ("星期六 上午9点-11点半", local(12, 5, 9), local(12, 5, 11, 30)),
    ("下周六下午2点到4点", local(12, 12, 14), local(12, 12, 16)),
    ("礼拜天 9:00-12:00", local(12, 6, 9), local(12, 6, 12)),
    # times in words; one time alone is two hours
    ("明天下午3点", local(12, 1, 15), local(12, 1, 17)),
    ("明天下午三点到五点", local(12, 1, 15), local(12, 1, 17)),
    ("后天晚上8点一刻到9点三刻", local(12, 2, 20, 15), local(12, 2, 21, 45)),
    ("周六晚上10点到2点", local(12, 5, 22), local(12, 6, 2)),
    ("周六上午11点到1点", local(12, 5, 11), local(12, 5, 13)),
    ("tomorrow 2-4pm", local(12, 1, 14), local(12, 1, 16)),
    ("tomorrow 9am to 11:30am", local(12, 1, 9), local(12, 1, 11, 30)),
    ("Sat, 3pm", local(12, 5, 15), local(12, 5, 17)),
    ("中午12点到1点半", local(11, 30, 12), local(11, 30, 13, 30)),  # no day: today
    ("9:00-10:00", local(12, 1, 9), local(12, 1, 10)),  # no day, already past: tomorrow
]


@pytest.mark.parametrize(("text", "start", "end"), WINDOWS)
def test_window(text: str, start: datetime, end: datetime) -> None:
    assert parse_window(text, NOW, SHANGHAI) == (start, end)


@pytest.mark.parametrize(
    "text", ["", "soon", "周八 9:00", "2026-02-30 9:00-10:00", "明天 25:00-26:00", "tomorrow"]
)
def test_not_a_window(text: str) -> None:
    with pytest.raises(BadWindow):
        parse_window(text, NOW, SHANGHAI)


def test_example_dates_are_in_the_future() -> None:
    saturday, later = example_dates(NOW, SHANGHAI)
    assert saturday == local(12, 5, 0).date() and later == local(12, 5, 0).date()
    on_saturday = local(12, 5, 8)
    assert example_dates(on_saturday, SHANGHAI)[0] == local(12, 12, 0).date()
