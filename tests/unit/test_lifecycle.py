"""The case lifecycle (domain/lifecycle.py): which moves are allowed and which are refused."""

from __future__ import annotations

import itertools

import pytest

from domain.lifecycle import (
    ALLOWED,
    OPEN_STATUS_VALUES,
    OPEN_STATUSES,
    CaseStatus,
    IllegalTransition,
    check_transition,
)

S = CaseStatus

ALLOWED_MOVES = [
    (S.NEW, S.ASSIGNED),  # auto-dispatch
    (S.NEW, S.ESCALATED),  # no worker: the duty chain
    (S.NEW, S.MERGED),  # 并单
    (S.ASSIGNED, S.ACCEPTED),
    (S.ASSIGNED, S.ASSIGNED),  # reassigned to another worker
    (S.ASSIGNED, S.FORWARDED),  # 转办
    (S.ACCEPTED, S.IN_PROGRESS),
    (S.ACCEPTED, S.RESOLVED),
    (S.IN_PROGRESS, S.RESOLVED),
    (S.ESCALATED, S.ASSIGNED),
    (S.FORWARDED, S.RESOLVED),  # the department answers
    (S.FORWARDED, S.ASSIGNED),  # ... or sends it back
    (S.RESOLVED, S.CLOSED),  # the resident confirms
    (S.RESOLVED, S.REOPENED),  # "not fixed"
    (S.CLOSED, S.REOPENED),
    (S.REOPENED, S.CANCELLED),  # /forgetme withdraws a reopened case
    (S.REOPENED, S.ASSIGNED),
]

REFUSED_MOVES = [
    (S.NEW, S.RESOLVED),  # nobody has worked on it
    (S.NEW, S.CLOSED),
    (S.NEW, S.FORWARDED),  # only an assigned case is forwarded
    (S.ASSIGNED, S.RESOLVED),  # accept first
    (S.ASSIGNED, S.CLOSED),
    (S.ACCEPTED, S.MERGED),  # too late to merge
    (S.RESOLVED, S.ASSIGNED),  # reopen first
    (S.RESOLVED, S.CANCELLED),
    (S.CLOSED, S.ASSIGNED),
    (S.CLOSED, S.RESOLVED),
    (S.REOPENED, S.CLOSED),  # must be resolved again
    (S.MERGED, S.REOPENED),  # final
    (S.CANCELLED, S.ASSIGNED),  # final
    (S.REJECTED, S.REOPENED),  # final
    (S.FORWARDED, S.ACCEPTED),  # back through assigned
]


@pytest.mark.parametrize(("current", "target"), ALLOWED_MOVES)
def test_allowed_move(current: CaseStatus, target: CaseStatus) -> None:
    check_transition(current, target)  # raises if refused
    assert target in ALLOWED[current]


@pytest.mark.parametrize(("current", "target"), REFUSED_MOVES)
def test_refused_move(current: CaseStatus, target: CaseStatus) -> None:
    with pytest.raises(IllegalTransition) as refused:
        check_transition(current, target)
    assert (refused.value.current, refused.value.target) == (current, target)
    assert f"from {current} to {target}" in str(refused.value)


def test_every_status_has_a_rule_and_the_final_ones_lead_nowhere() -> None:
    assert set(ALLOWED) == set(CaseStatus)
    final = {status for status, targets in ALLOWED.items() if not targets}
    assert final == {S.MERGED, S.CANCELLED, S.REJECTED}


def test_the_check_agrees_with_the_table_for_every_pair() -> None:
    for current, target in itertools.product(CaseStatus, repeat=2):
        try:
            check_transition(current, target)
            allowed = True
        except IllegalTransition:
            allowed = False
        assert allowed == (target in ALLOWED[current]), (current, target)


def test_open_statuses() -> None:
    assert S.RESOLVED not in OPEN_STATUSES and S.CLOSED not in OPEN_STATUSES
    assert {S.NEW, S.REOPENED, S.FORWARDED} <= OPEN_STATUSES
    # One fixed order for SQL that must spell the partial indexes' predicate word for word.
    assert list(OPEN_STATUS_VALUES) == sorted(s.value for s in OPEN_STATUSES)
    # Every open case can still be withdrawn; no closed one can.
    assert all(S.CANCELLED in ALLOWED[s] for s in OPEN_STATUSES)
    assert S.CANCELLED not in ALLOWED[S.CLOSED]
