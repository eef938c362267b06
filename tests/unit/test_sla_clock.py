"""SLA deadline rules on a Case that lives in memory only (services/cases/filing.py).

`arm_accept_clock` and `restart_deadlines` only read and set attributes, so a transient
SQLAlchemy Case (never added to a session) and a stand-in city (its working calendar and the
SLA of one case type) are all they need. The office: Mon-Fri 08:30-12:00 and 14:00-17:30 in
Shanghai, National Day 2025 (1-7 Oct) off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest

from config.schema import CityConfig
from domain.calendar import OfficeHours, SlaSpan, SlaUnit, WorkingCalendar
from domain.lifecycle import CaseStatus
from services.cases.filing import URGENT, arm_accept_clock, restart_deadlines
from storage.models import Case

SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFICE = WorkingCalendar(
    timezone=SHANGHAI,
    working_week=frozenset(range(5)),
    hours=(OfficeHours(8 * 60 + 30, 12 * 60), OfficeHours(14 * 60, 17 * 60 + 30)),
    days_off=frozenset(date(2025, 10, d) for d in range(1, 8)),
)


@dataclass(frozen=True)
class StandInType:
    sla_accept: SlaSpan
    sla_resolve: SlaSpan


@dataclass
class StandInCity:
    """What the deadline rules read of a CityConfig: the calendar and a type's SLAs."""

    calendar: WorkingCalendar
    types: dict[str, StandInType]

    def case_type(self, case_type_id: str) -> StandInType:
        return self.types[case_type_id]


CITY = cast(
    CityConfig,
    StandInCity(
        OFFICE,
        {
            "public_facility": StandInType(
                SlaSpan(2, SlaUnit.WORKING_HOURS), SlaSpan(1, SlaUnit.WORKING_DAYS)
            )
        },
    ),
)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=SHANGHAI)


def case(**fields: Any) -> Case:
    """A case filed Mon 29 Sep 10:00, to be accepted by noon (2 working hours)."""
    values: dict[str, Any] = dict(
        number="GD-2025-000001",
        case_type="public_facility",
        status=CaseStatus.ASSIGNED.value,
        priority="normal",
        text="3栋门口路灯坏了",
        language="zh",
        created_at=at(9, 29, 10),
        updated_at=at(9, 29, 10),
        accept_due_at=at(9, 29, 12),
        due_at=at(9, 30, 17, 30),
    )
    values.update(fields)
    return Case(**values)


@pytest.mark.parametrize(
    ("fields", "now", "city", "due", "remind"),
    [
        # first assignment, no city: the window stays, remind at 80 % of what is left
        ({}, at(9, 29, 11), None, at(9, 29, 12), at(9, 29, 11, 48)),
        # re-assigned after a reminder, no city: a fresh window of the same length (2 h)
        ({"accept_reminded_at": at(9, 29, 11, 36)}, at(9, 29, 15), None,
         at(9, 29, 17), at(9, 29, 16, 36)),
        # first assignment with the city: 80 % of the 2 office hours left -> 11:36
        ({}, at(9, 29, 10), CITY, at(9, 29, 12), at(9, 29, 11, 36)),
        # re-assigned after an escalation at 16:00: 2 working hours again, past closing time
        # (1.5 h Mon, 0.5 h Tue -> 09:00); 80 % = 96 min -> 17:30 + 6 min on Tuesday
        ({"accept_escalated_at": at(9, 29, 12)}, at(9, 29, 16), CITY,
         at(9, 30, 9), at(9, 30, 8, 36)),
        # an urgent case does not wait for office hours: 2 clock hours from Friday 22:00
        ({"priority": URGENT, "accept_reminded_at": at(9, 26, 21)}, at(9, 26, 22), CITY,
         at(9, 27, 0), at(9, 26, 23, 36)),
    ],
)  # fmt: skip
def test_arm_accept_clock(
    fields: dict[str, Any], now: datetime, city: CityConfig | None, due: datetime, remind: datetime
) -> None:
    c = case(**fields)
    arm_accept_clock(c, now, city)
    assert (c.accept_due_at, c.accept_remind_at) == (due, remind)
    # the SLA scan watches it again
    assert c.accept_reminded_at is None and c.accept_escalated_at is None


def test_an_accept_window_past_its_start_is_not_negative() -> None:
    # A case whose accept-by was already before its filing (imported, clock skew): re-armed
    # with an empty window, not a negative one.
    c = case(accept_due_at=at(9, 29, 9), accept_reminded_at=at(9, 29, 9))
    arm_accept_clock(c, at(9, 29, 11), None)
    assert c.accept_due_at == at(9, 29, 11) == c.accept_remind_at


def test_a_reopened_case_starts_its_sla_again() -> None:
    # Reopened Tue 30 Sep 16:00, before National Day: accept 2 wh -> 1.5 h Tue + 0.5 h Wed
    # 8 Oct; resolve 1 wd -> Wed 8 Oct 17:30; remind at 80 % of 8.5 office hours = 6 h 48 min
    # -> 1.5 Tue, 3.5 Wed morning, 1 h 48 min after lunch.
    c = case(
        status=CaseStatus.REOPENED.value,
        sla_reminded_at=at(9, 30, 12),
        sla_escalated_at=at(9, 30, 15),
    )
    restart_deadlines(c, CITY, at(9, 30, 16))
    assert c.accept_due_at == at(10, 8, 9)
    assert c.due_at == at(10, 8, 17, 30)
    assert c.remind_at == at(10, 8, 15, 48)
    assert c.sla_reminded_at is None and c.sla_escalated_at is None


def test_a_reopened_urgent_case_runs_on_the_clock() -> None:
    c = case(priority=URGENT, status=CaseStatus.REOPENED.value)
    restart_deadlines(c, CITY, at(9, 30, 16))
    assert c.accept_due_at == at(9, 30, 18)
    assert c.due_at == at(10, 1, 16)
    assert c.remind_at == at(9, 30, 16) + timedelta(hours=24 * 0.8)
