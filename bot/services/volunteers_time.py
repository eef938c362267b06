"""Reading a call-out's time window as a coordinator types it on a phone.

"2026-11-25 09:00-12:00", "11-25 9:00-12:00", "11月25日 9:00到12:00", "tomorrow 9:00-12:00",
"明天 9:00-12:00"; full-width digits and colons are fine. Times are the city's wall clock;
an end before the start runs past midnight.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, tzinfo

_DASHES = re.compile(r"\s*(?:-|–|—|~|到|至)\s*")
_RELATIVE = {
    "today": 0,
    "今天": 0,
    "tomorrow": 1,
    "明天": 1,
    "day after tomorrow": 2,
    "后天": 2,
}
_DATE = re.compile(r"(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_TIMES = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})")


class BadWindow(ValueError):
    """The text is not a time window this parser reads."""


def _day(text: str, today: date) -> tuple[date, str]:
    """The date at the start of `text`, and the rest of the text."""
    for word, offset in sorted(_RELATIVE.items(), key=lambda item: -len(item[0])):
        if text.startswith(word):
            return today + timedelta(days=offset), text[len(word) :]
    match = _DATE.match(text)
    if match is None:
        raise BadWindow(text)
    year = int(match[1]) if match[1] else today.year
    try:
        day = date(year, int(match[2]), int(match[3]))
    except ValueError as exc:
        raise BadWindow(text) from exc
    if not match[1] and day < today:
        day = day.replace(year=year + 1)  # "01-05" typed in December means next January
    return day, text[match.end() :]


def parse_window(text: str, now: datetime, timezone: tzinfo) -> tuple[datetime, datetime]:
    """(start, end) as aware UTC datetimes; raises `BadWindow`."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    # Date separators stay; only the dash between the two times becomes "-".
    today = now.astimezone(timezone).date()
    day, rest = _day(cleaned, today)
    rest = _DASHES.sub("-", rest.strip())
    match = _TIMES.fullmatch(rest)
    if match is None:
        raise BadWindow(text)
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
        raise BadWindow(text)
    start = datetime.combine(day, time(h1, m1), tzinfo=timezone)
    end_day = day + timedelta(days=1) if h2 == 24 else day
    end = datetime.combine(end_day, time(h2 % 24, m2), tzinfo=timezone)
    if end <= start:
        end += timedelta(days=1)
    return start.astimezone(UTC), end.astimezone(UTC)
