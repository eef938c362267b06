"""A case as one spreadsheet row, with personal data left out.

The export leaves the server by e-mail and USB stick, so it carries no Telegram ids,
no contact phones, and no phone numbers a resident typed into the report text (PIPL:
minimum necessary). Times are the city's wall clock, as the street office reads them.
"""

from __future__ import annotations

import re
from datetime import datetime, tzinfo

from bot.admin.case_facts import CaseFacts
from config.schema import CityConfig

HEADERS: tuple[str, ...] = (
    "number",
    "kind",
    "case_type",
    "case_type_zh",
    "case_type_en",
    "status",
    "priority",
    "grid",
    "community",
    "created",
    "accepted",
    "resolved",
    "closed",
    "due",
    "overdue",
    "rating",
    "reporters",
    "text",
)
Cell = str | int | datetime | None

PHONE_PLACEHOLDER = "[phone removed]"
# Mobile (+86 138 1234 5678), landline (0769-22880001), or any run of 7+ digits (a
# local number, a Telegram id). Case numbers (GD-2026-000123) and dates stay readable.
_PHONE = re.compile(
    r"(?<!\d)(?:"
    r"(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}"
    r"|0\d{2,3}[\s-]?\d{7,8}"
    r"|\d{7,}"
    r")(?!\d)"
)


def redact_phones(text: str) -> str:
    return _PHONE.sub(PHONE_PLACEHOLDER, text)


def local_time(moment: datetime | None, timezone: tzinfo) -> datetime | None:
    """Naive local time: what a spreadsheet shows, without a zone suffix to confuse it."""
    return moment.astimezone(timezone).replace(tzinfo=None) if moment else None


def export_row(facts: CaseFacts, city: CityConfig, now: datetime) -> tuple[Cell, ...]:
    """Values in `HEADERS` order; times as naive local datetimes, absent ones None."""
    case_type = city.case_types.get(facts.case_type)
    tz = city.timezone
    return (
        facts.number,
        facts.kind,
        facts.case_type,
        case_type.name.zh if case_type else None,
        case_type.name.en if case_type else None,
        facts.status,
        facts.priority,
        facts.grid_id,
        facts.community_id,
        local_time(facts.created_at, tz),
        local_time(facts.accepted_at, tz),
        local_time(facts.resolved_at, tz),
        local_time(facts.closed_at, tz),
        local_time(facts.due_at, tz),
        "yes" if facts.overdue(now) else "no",
        facts.rating,
        facts.reporter_count,
        redact_phones(facts.text),
    )
