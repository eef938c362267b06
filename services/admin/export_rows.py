"""A case as one spreadsheet row, with personal data left out.

The export leaves the server by e-mail and USB stick, so it carries no Telegram ids,
no contact phones, and no phone numbers a resident typed into the report text (PIPL:
minimum necessary). Times are the city's wall clock, as the street office reads them.
Statuses, grades and roles are ids here; their names are ``bot.export_words``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from bot.export_words import ExportWords
from config.schema import CityConfig
from services.admin.case_facts import CaseFacts
from services.privacy.phone_redaction import redact_phone_numbers
from services.statistics.kpi import BASICALLY_SATISFIED, GRADES, SATISFIED

HEADERS: tuple[str, ...] = (
    "number",
    "kind",
    "case_type",
    "case_type_zh",
    "case_type_en",
    "department",
    "department_en",
    "status",
    "status_zh",
    "status_en",
    "priority",
    "grid",
    "grid_name",
    "community",
    "community_name",
    "address",
    "assignee",
    "created",
    "accepted",
    "resolved",
    "closed",
    "due",
    # The KPIs case by case, so the export adds up to `griddesk stats` (services.statistics.kpi).
    "responded_in_time",
    "resolved_on_time",
    "overdue",
    "reopened",
    # 12345 grades, one per resident who evaluated (older 1-5 stars mapped as the KPI maps
    # them): names in both languages, how many, and how many 满意 or 基本满意, so that
    # sum(satisfied) / sum(evaluated) over the rows is the 满意率 `griddesk stats` prints.
    "evaluation",
    "evaluation_en",
    "evaluated",
    "satisfied",
    "stars",  # the reporter's 1-5 stars, given before the 12345 grades; empty since
    "reporters",
    "text",
    "resolution_note",
)
Cell = str | int | datetime | None
CONTENT_GRADES = frozenset({SATISFIED, BASICALLY_SATISFIED})  # what 满意率 counts

PHONE_PLACEHOLDER = "[phone removed]"


def redact_phones(text: str) -> str:
    """Phone numbers however written (138.1234.5678, 138 12 34 56 78, +86 …), Telegram ids
    and other 7+ digit runs; case numbers (GD-2026-000123) and dates stay readable."""
    return redact_phone_numbers(text, PHONE_PLACEHOLDER)


def local_time(moment: datetime | None, timezone: tzinfo) -> datetime | None:
    """Naive local time: what a spreadsheet shows, without a zone suffix to confuse it."""
    return moment.astimezone(timezone).replace(tzinfo=None) if moment else None


def export_row(
    facts: CaseFacts,
    city: CityConfig,
    now: datetime,
    words: ExportWords,
    grades: Sequence[str] = (),
) -> tuple[Cell, ...]:
    """Values in `HEADERS` order; times as naive local datetimes, absent ones None; the
    status, grade and role names from `words`.

    `grades` are the case's 12345 evaluations (services.statistics.kpi grade ids)."""
    case_type = city.case_types.get(facts.case_type)
    grid = city.grids.get(facts.grid_id or "")
    tz = city.timezone
    grades = sorted(grades, key=GRADES.index)  # 满意 first, whoever evaluated first
    status_zh, status_en = words.status(facts.status)
    grades_zh, grades_en = words.grades(grades)
    return (
        facts.number,
        facts.kind,
        facts.case_type,
        case_type.name.zh if case_type else None,
        case_type.name.en if case_type else None,
        case_type.department.name.zh if case_type else None,
        case_type.department.name.en if case_type else None,
        facts.status,
        status_zh,
        status_en,
        facts.priority,
        facts.grid_id,
        grid.name.zh if grid else None,
        facts.community_id,
        _community_name(city, facts.community_id),
        redact_phones(facts.address) if facts.address else None,
        _assignee(facts, city, words),
        local_time(facts.created_at, tz),
        local_time(facts.accepted_at, tz),
        local_time(facts.resolved_at, tz),
        local_time(facts.closed_at, tz),
        local_time(facts.due_at, tz),
        _yes_no(facts.responded_in_time(now)),
        _yes_no(facts.resolved_on_time(now)),
        "yes" if facts.overdue(now) else "no",
        "yes" if facts.reopened else "no",
        grades_zh,
        grades_en,
        len(grades),
        sum(grade in CONTENT_GRADES for grade in grades),
        facts.rating,
        facts.reporter_count,
        redact_phones(facts.text),
        redact_phones(facts.resolution_note) if facts.resolution_note else None,
    )


def _community_name(city: CityConfig, community_id: str | None) -> str | None:
    community = city.communities.get(community_id or "")
    return community.name.zh if community else None


def _yes_no(value: bool | None) -> str | None:
    """None where the KPI does not count the case (no SLA due yet, or none to meet)."""
    return None if value is None else "yes" if value else "no"


def _assignee(facts: CaseFacts, city: CityConfig, words: ExportWords) -> str | None:
    """Role, internal number and grid: staff are named in the office, not by Telegram id."""
    if facts.assignee_id is None:
        return None
    grid = city.grids.get(facts.assignee_grid_id or "")
    role = words.role(facts.assignee_role)
    where = f"（{grid.name.zh}）" if grid else ""
    return f"{role} #{facts.assignee_id}{where}"
