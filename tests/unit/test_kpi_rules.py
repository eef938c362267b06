"""The street office's KPIs over in-memory rows (services/statistics/kpi.py), by hand.

NOW = 2025-11-20 12:00 UTC; every case is filed at T and must be accepted by T + 1 h.

| # | community / type      | status      | responded  | resolved vs due      | grades   |
| 1 | xinji     sanitation  | closed      | +30m  ok   | +4h  of 48h  ok      | s        |
| 2 | xinji     sanitation  | resolved    | +90m  late | +12h of 8h  late     | u (redo) |
| 3 | xinji     noise       | in_progress | +2h   late | open, past due       |          |
| 4 | yangguang noise       | assigned    | none, accept-SLA gone by; due ahead |   |
| 5 | yangguang noise       | closed      | +20m  ok   | +3h  of 24h  ok      | b        |
| 6 | yangguang noise       | cancelled   | never accepted: no SLA              |   |
| 7 | xinji     sanitation  | closed      | +1h   ok (on the minute) | +2h of 24h ok | s   |
| 8 | hongmian  other       | new         | accept-SLA still running; due ahead |   |

响应率: of 1,2,3,4,5,7 in time 1,5,7 -> 3/6. 按时办结率: of 1,2,5,7 and the open overdue 3,
on time 1,5,7 -> 3/5. 满意率: s,u,b,s -> 3/4. 重办率: of 1,2,5,7 reopened 2 -> 1/4. Median time
to close: 2h, 3h, 4h, 12h -> 3.5h.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.statistics.kpi import (
    BASICALLY_SATISFIED,
    SATISFIED,
    UNSATISFIED,
    KpiCase,
    Kpis,
    Ratio,
    compute_kpis,
    grade_of_stars,
    kpis_by,
    resolved_on_time,
    responded_in_time,
)

NOW = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)
M = timedelta(minutes=1)
S, B, U = SATISFIED, BASICALLY_SATISFIED, UNSATISFIED


def row(
    community: str,
    case_type: str,
    status: str,
    *,
    filed: datetime,
    due: timedelta,
    responded: timedelta | None = None,
    resolved: timedelta | None = None,
    reopened: bool = False,
    grades: tuple[str, ...] = (),
) -> KpiCase:
    return KpiCase(
        case_type=case_type,
        grid_id=f"{community}-01",
        community_id=community,
        status=status,
        created_at=filed,
        accept_due_at=filed + H,
        due_at=filed + due,
        responded_at=filed + responded if responded is not None else None,
        resolved_at=filed + resolved if resolved is not None else None,
        ever_resolved=resolved is not None,
        reopened=reopened,
        grades=grades,
    )


DAY_BEFORE = NOW - 24 * H
CASES = [
    row("xinji", "sanitation", "closed", filed=NOW - 5 * 24 * H, due=48 * H,
        responded=30 * M, resolved=4 * H, grades=(S,)),
    row("xinji", "sanitation", "resolved", filed=NOW - 3 * 24 * H, due=8 * H,
        responded=90 * M, resolved=12 * H, reopened=True, grades=(U,)),
    row("xinji", "noise", "in_progress", filed=NOW - 2 * 24 * H, due=24 * H, responded=2 * H),
    row("yangguang", "noise", "assigned", filed=DAY_BEFORE, due=48 * H),
    row("yangguang", "noise", "closed", filed=DAY_BEFORE, due=24 * H,
        responded=20 * M, resolved=3 * H, grades=(B,)),
    row("yangguang", "noise", "cancelled", filed=DAY_BEFORE, due=24 * H),
    row("xinji", "sanitation", "closed", filed=DAY_BEFORE, due=24 * H,
        responded=H, resolved=2 * H, grades=(S,)),
    row("hongmian", "other", "new", filed=NOW - 30 * M, due=48 * H),
]  # fmt: skip


def test_kpis_match_the_hand_count() -> None:
    assert compute_kpis(CASES, NOW) == Kpis(
        cases=8,
        response=Ratio(3, 6),
        on_time=Ratio(3, 5),
        satisfaction=Ratio(3, 4),
        redo=Ratio(1, 4),
        median_close=timedelta(hours=3.5),
    )


def test_kpis_by_community_most_cases_first() -> None:
    by = kpis_by(CASES, NOW, "community")
    assert list(by) == ["xinji", "yangguang", "hongmian"]
    # xinji: 1, 2, 3, 7
    assert by["xinji"] == Kpis(4, Ratio(2, 4), Ratio(2, 4), Ratio(2, 3), Ratio(1, 3), 4 * H)
    # yangguang: 4, 5, 6
    assert by["yangguang"] == Kpis(3, Ratio(1, 2), Ratio(1, 1), Ratio(1, 1), Ratio(0, 1), 3 * H)
    # hongmian: a case with nothing to count yet
    assert by["hongmian"] == Kpis(1, Ratio(0, 0), Ratio(0, 0), Ratio(0, 0), Ratio(0, 0), None)


def test_kpis_by_case_type() -> None:
    by = kpis_by(CASES, NOW, "case_type")
    assert list(by) == ["noise", "sanitation", "other"]  # 4, 3, 1; ties by name
    assert by["sanitation"].on_time == Ratio(2, 3)
    assert by["noise"].response == Ratio(1, 3)


def test_rates() -> None:
    assert Ratio(3, 4).rate == 0.75
    assert Ratio(0, 0).rate is None  # nothing to count is not 0 %
    empty = compute_kpis([], NOW)
    assert (empty.cases, empty.response.rate, empty.median_close) == (0, None, None)


DUE = NOW - H
RESPONDED = [
    # (status, responded at, counted as)
    ("closed", DUE - M, True),
    ("closed", DUE, True),  # on the minute is in time
    ("assigned", DUE + M, False),
    ("assigned", None, False),  # the accept-SLA has run out
    ("cancelled", None, None),  # no SLA
    ("merged", None, None),
    ("rejected", None, None),
    ("cancelled", DUE - M, True),  # accepted, then cancelled: it counts
]


@pytest.mark.parametrize(("status", "responded", "counted"), RESPONDED)
def test_responded_in_time(status: str, responded: datetime | None, counted: bool | None) -> None:
    assert responded_in_time(status, DUE, responded, NOW) is counted


def test_a_running_accept_sla_does_not_count_yet() -> None:
    assert responded_in_time("assigned", NOW + H, None, NOW) is None


RESOLVED = [
    # (status, resolved at, due at, counted as)
    ("closed", NOW - 2 * H, NOW - H, True),
    ("resolved", NOW - H, NOW - H, True),
    ("resolved", NOW, NOW - H, False),
    ("in_progress", None, NOW - H, False),  # open past its due time
    ("reopened", None, NOW - H, False),
    ("in_progress", None, NOW + H, None),  # still has time
    ("cancelled", None, NOW - H, None),  # no longer has to be finished
    ("resolved", None, NOW - H, None),  # no resolution moment known
]


@pytest.mark.parametrize(("status", "resolved", "due", "counted"), RESOLVED)
def test_resolved_on_time(
    status: str, resolved: datetime | None, due: datetime, counted: bool | None
) -> None:
    assert resolved_on_time(status, resolved, due, NOW) is counted


@pytest.mark.parametrize(("stars", "grade"), [(5, S), (4, S), (3, B), (2, U), (1, U)])
def test_legacy_stars_as_grades(stars: int, grade: str) -> None:
    assert grade_of_stars(stars) == grade
