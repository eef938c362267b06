"""Times as people say them, in the city's time zone: `12月3日 周四 17:30` / `Thu 3 Dec, 17:30`,
and due times with their SLA: `3个工作日内（12月3日 周四 17:30 前）` /
`within 3 working days (by Thu 3 Dec, 17:30)`.

Every reply, ping, digest, invite and export that shows a moment goes through here, so no
one reads UTC or a bare `2026-12-03 05:25` again.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot.i18n import Catalog
from config.schema import CaseType
from domain.calendar import SlaSpan, clock_span


def say_moment(
    catalog: Catalog, lang: str, moment: datetime, timezone: tzinfo, now: datetime | None = None
) -> str:
    """Day, weekday and time of aware `moment` in `timezone` (the city's), in `lang`; the year
    only when it is not the year of `now` (default: the moment's own)."""
    local = moment.astimezone(timezone)
    this_year = (now or moment).astimezone(timezone).year
    key = "when.moment" if local.year == this_year else "when.moment_year"
    return catalog.t(
        lang,
        key,
        year=local.year,
        month=catalog.t(lang, f"when.month.{local.month}"),
        day=local.day,
        weekday=catalog.t(lang, f"when.weekday.{local.weekday()}"),
        time=f"{local.hour}:{local.minute:02d}",
    )


def say_span(catalog: Catalog, lang: str, span: SlaSpan) -> str:
    """`3个工作日` / `3 working days`; `1 working day`, not `1 working days`."""
    form = "one" if span.amount == 1 else "other"
    return catalog.t(lang, f"when.span.{span.unit.value}.{form}", n=span.amount)


def say_due(
    catalog: Catalog,
    lang: str,
    due: datetime,
    span: SlaSpan,
    timezone: tzinfo,
    now: datetime | None = None,
) -> str:
    """The SLA and the moment it ends (aware `due`, shown in the city's `timezone`), as the
    office says it to a resident in `lang`."""
    return catalog.t(
        lang,
        "when.due",
        span=say_span(catalog, lang, span),
        moment=say_moment(catalog, lang, due, timezone, now),
    )


def resolve_span(case_type: CaseType, urgent: bool) -> SlaSpan:
    """The time to resolve that a case's due time was computed from (urgent: on the clock)."""
    return clock_span(case_type.sla_resolve) if urgent else case_type.sla_resolve


URGENT_MARK = "🚨 "


def marked_if_urgent(priority: str, text: str) -> str:
    """A list's line or card of a case, with 🚨 first when the case is urgent."""
    return URGENT_MARK + text if priority == "urgent" else text


_WAITING_FOR_ACCEPT = ("new", "assigned")


def pressing_due(priority: str, status: str, due_at: datetime, accept_due_at: datetime) -> datetime:
    """The deadline a list shows for a case: an urgent case nobody has accepted yet is due
    to be accepted (minutes away), not resolved (days away)."""
    if priority == "urgent" and status in _WAITING_FOR_ACCEPT:
        return min(due_at, accept_due_at)
    return due_at
