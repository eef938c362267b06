"""Date ranges typed by an admin, read as whole days on the city's wall clock.

A street office thinks in local days: "November" means 1 Nov 00:00 to 30 Nov 24:00
in Asia/Shanghai, not in UTC, or cases filed before 8 a.m. would land in the wrong month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from services.admin.errors import AdminInputError

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC; either side None means open-ended."""

    start: datetime | None = None
    end: datetime | None = None
    label: str = "all time"


def parse_day(value: str, option: str) -> date:
    """A YYYY-MM-DD day typed for `option` (named in the error).

    Raises:
        AdminInputError: not a valid date in that form.
    """
    text = value.strip()
    try:
        if _DAY.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise AdminInputError(f"{option}: {value!r} is not a date like 2026-11-01 (YYYY-MM-DD)")


def local_midnight(day: date, timezone: tzinfo) -> datetime:
    """The start of local `day` in `timezone`, as an aware UTC datetime."""
    return datetime.combine(day, time(), tzinfo=timezone).astimezone(UTC)


def parse_period(first: str | None, last: str | None, timezone: tzinfo) -> Period:
    """Both days inclusive local days; `--to 2026-11-30` takes in the whole of the 30th.
    Returns [start, end) as aware UTC datetimes; None for a day not given (open-ended).

    Raises:
        AdminInputError: a day is not YYYY-MM-DD, or --from is after --to.
    """
    first_day = parse_day(first, "--from") if first is not None else None
    last_day = parse_day(last, "--to") if last is not None else None
    if first_day and last_day and first_day > last_day:
        raise AdminInputError(f"--from {first_day} is after --to {last_day}")
    start = local_midnight(first_day, timezone) if first_day else None
    end = local_midnight(last_day + timedelta(days=1), timezone) if last_day else None
    label = f"{first_day or '…'} to {last_day or '…'}" if first_day or last_day else "all time"
    return Period(start, end, label)
