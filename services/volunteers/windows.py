"""Reading a call-out's time window as a coordinator types it on a phone.

A day, then one time or two:
- days: "2026-11-25", "11-25", "11月25日", "today"/"tomorrow"/"day after tomorrow",
  "今天"/"明天"/"后天", weekdays ("Saturday", "sat", "next Saturday", "周六", "星期六",
  "礼拜六", "下周六", "这周六"); no day means today (tomorrow once the time has passed);
- times: "9:00-11:30", "9-11:30", "2-4pm", "9am to 11:30am", "上午9点到11点半",
  "下午3点", "下午三点到五点", "晚上8点一刻"; an end without 上午/下午 or am/pm takes the
  start's, and one time alone is a window of `SINGLE_TIME_LENGTH`.
Full-width digits and colons are fine. Times are the city's wall clock; an end before the
start runs past midnight. A weekday is the next one to come (today if the time is still
ahead); "next Saturday"/"下周六" is the one in next week.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

SINGLE_TIME_LENGTH = timedelta(hours=2)
_RELATIVE = {
    "day after tomorrow": 2,
    "today": 0,
    "tomorrow": 1,
    "今天": 0,
    "明天": 1,
    "后天": 2,
}
_DATE = re.compile(r"(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?")
_ZH_WEEKDAY = re.compile(r"(?P<which>下个?|本|这个?)?(?:周|星期|礼拜)(?P<day>[一二三四五六日天])")
_EN_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EN_WEEKDAY = re.compile(
    r"(?:(?P<which>next|this)\s+)?(?P<day>mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?(?![a-z])"
)
_ZH_DAY_INDEX = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ZH_NUMBER = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9, "十": 10}  # fmt: skip
_ONE_TIME = (
    r"(?P<{p}period>上午|早上|早晨|中午|下午|晚上|傍晚|凌晨)?\s*"
    r"(?P<{p}h>\d{{1,2}}|[零一二两三四五六七八九十]{{1,3}})\s*"
    r"(?:[:：](?P<{p}m>\d{{2}})|(?:点|时)\s*(?:(?P<{p}half>半)|(?P<{p}quarter>一刻|三刻)"
    r"|(?P<{p}mm>\d{{1,2}})\s*分?)?)?\s*"
    r"(?P<{p}ampm>a\.?m\.?|p\.?m\.?)?"
)
_TIMES = re.compile(
    _ONE_TIME.format(p="s")
    + r"(?:\s*(?:-|–|—|~|到|至|to|until|till)\s*"
    + _ONE_TIME.format(p="e")
    + r")?"
)
_AFTERNOON = ("下午", "晚上", "傍晚")


class BadWindow(ValueError):
    """The text is not a time window this parser reads."""


@dataclass(frozen=True)
class _Clock:
    hour: int
    minute: int
    marked: bool  # said 上午/下午 or am/pm, so it is not to be shifted


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _ZH_NUMBER[text]
    tens, _, ones = text.partition("十")  # 十一, 二十
    return (_ZH_NUMBER[tens] if tens else 1) * 10 + (_ZH_NUMBER[ones] if ones else 0)


def _clock(match: re.Match[str], p: str, inherited: str | None) -> _Clock | None:
    if match[f"{p}h"] is None:
        return None
    hour = _number(match[f"{p}h"])
    minute = 0
    if match[f"{p}m"] or match[f"{p}mm"]:
        minute = int(match[f"{p}m"] or match[f"{p}mm"])
    elif match[f"{p}half"]:
        minute = 30
    elif match[f"{p}quarter"]:
        minute = 15 if match[f"{p}quarter"] == "一刻" else 45
    marker = match[f"{p}period"] or match[f"{p}ampm"] or inherited
    if marker in _AFTERNOON or (marker and marker.startswith("p")):
        hour += 12 if hour < 12 else 0
    elif marker == "中午" and hour < 3:
        hour += 12
    elif marker and marker.startswith("a") and hour == 12:
        hour = 0
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        raise BadWindow(match.string)
    return _Clock(hour, minute, marker is not None)


def _times(text: str) -> tuple[_Clock, _Clock | None]:
    match = _TIMES.fullmatch(text)
    if match is None:
        raise BadWindow(text)
    start = _clock(match, "s", None)
    assert start is not None  # the start's hour is not optional in the pattern
    end = _clock(match, "e", None)
    if end is None:
        return start, None
    if not start.marked and end.marked and start.hour + 12 <= end.hour:
        start = _Clock(start.hour + 12, start.minute, True)  # "2-4pm"
    if end.marked or _minutes(end) > _minutes(start):
        return start, end
    # An end said without 上午/下午: first as the start's half of the day ("下午3点到5点"),
    # else in the afternoon if that follows the start ("11点到1点"), else past midnight.
    inherited = _clock(match, "e", match["speriod"] or match["sampm"])
    assert inherited is not None
    if _minutes(inherited) > _minutes(start):
        return start, inherited
    if end.hour < 12 and (end.hour + 12) * 60 + end.minute > _minutes(start):
        return start, _Clock(end.hour + 12, end.minute, True)
    return start, end


def _minutes(clock: _Clock) -> int:
    return clock.hour * 60 + clock.minute


def _day(text: str, today: date) -> tuple[date | None, bool, str]:
    """(the date at the start of `text` or None, whether it is a plain weekday that may move
    on a week, the rest of the text)."""
    for word, offset in _RELATIVE.items():
        if text.startswith(word):
            return today + timedelta(days=offset), False, text[len(word) :]
    for pattern, index in ((_ZH_WEEKDAY, _ZH_DAY_INDEX), (_EN_WEEKDAY, None)):
        match = pattern.match(text)
        if match:
            day = match["day"]
            weekday = index[day] if index else _EN_DAYS.index(day)
            which = match["which"] or ""
            if which.startswith(("下", "next")):
                monday = today - timedelta(days=today.weekday())
                return monday + timedelta(days=7 + weekday), False, text[match.end() :]
            ahead = (weekday - today.weekday()) % 7
            return today + timedelta(days=ahead), True, text[match.end() :]
    match = _DATE.match(text)
    if match is None:
        return None, False, text
    year = int(match[1]) if match[1] else today.year
    try:
        day = date(year, int(match[2]), int(match[3]))
    except ValueError as exc:
        raise BadWindow(text) from exc
    if not match[1] and day < today:
        day = day.replace(year=year + 1)  # "01-05" typed in December means next January
    return day, False, text[match.end() :]


def parse_window(text: str, now: datetime, timezone: tzinfo) -> tuple[datetime, datetime]:
    """(start, end) as aware UTC datetimes; raises `BadWindow`."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    today = now.astimezone(timezone).date()
    day, movable, rest = _day(cleaned, today)
    rest = rest.strip(" ,，的").strip()
    start_clock, end_clock = _times(rest)
    when = day or today
    start = _at(when, start_clock, timezone)
    if start <= now and (day is None or movable):
        # no day said, or a plain weekday: the next time it comes round
        when += timedelta(days=1 if day is None else 7)
        start = _at(when, start_clock, timezone)
    end = _at(when, end_clock, timezone) if end_clock else start + SINGLE_TIME_LENGTH
    if end <= start:
        end += timedelta(days=1)
    return start.astimezone(UTC), end.astimezone(UTC)


def _at(day: date, clock: _Clock, timezone: tzinfo) -> datetime:
    if clock.hour == 24:
        return datetime.combine(day + timedelta(days=1), time(0, clock.minute), tzinfo=timezone)
    return datetime.combine(day, time(clock.hour, clock.minute), tzinfo=timezone)
