"""The case lifecycle: which status may follow which (DESIGN.md "Case lifecycle").

Pure rules with no storage, so every layer (and property tests) can ask them.
"""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    """A case's status; the value is what storage keeps and logs show."""

    NEW = "new"
    ASSIGNED = "assigned"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    ESCALATED = "escalated"
    REOPENED = "reopened"
    MERGED = "merged"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    FORWARDED = "forwarded"  # 转办: sent on to the case type's department, with its deadline


S = CaseStatus
ALLOWED: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.NEW: frozenset({S.ASSIGNED, S.ESCALATED, S.MERGED, S.CANCELLED, S.REJECTED}),
    S.ASSIGNED: frozenset(
        {S.ACCEPTED, S.ASSIGNED, S.ESCALATED, S.CANCELLED, S.REJECTED, S.MERGED, S.FORWARDED}
    ),
    S.ACCEPTED: frozenset(
        {S.IN_PROGRESS, S.RESOLVED, S.ESCALATED, S.ASSIGNED, S.CANCELLED, S.FORWARDED}
    ),
    S.IN_PROGRESS: frozenset({S.RESOLVED, S.ESCALATED, S.ASSIGNED, S.CANCELLED, S.FORWARDED}),
    S.ESCALATED: frozenset(
        {S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.RESOLVED, S.REJECTED, S.CANCELLED, S.FORWARDED}
    ),
    # The department answers (resolved), sends it back (assigned), or the supervisor takes it.
    S.FORWARDED: frozenset({S.RESOLVED, S.ASSIGNED, S.ESCALATED, S.CANCELLED, S.REJECTED}),
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    # A reopened case may be withdrawn like any open one (/forgetme withdraws before erasing).
    S.REOPENED: frozenset(
        {S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.ESCALATED, S.RESOLVED, S.CANCELLED, S.FORWARDED}
    ),
    S.CLOSED: frozenset({S.REOPENED}),
    S.MERGED: frozenset(),
    S.CANCELLED: frozenset(),
    S.REJECTED: frozenset(),
}

OPEN_STATUSES: frozenset[CaseStatus] = frozenset(
    {S.NEW, S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS, S.ESCALATED, S.REOPENED, S.FORWARDED}
)
# The same in one fixed order, for SQL that must repeat it word for word: the partial indexes
# of the SLA scan name these values, and SQLite uses such an index only for a query whose
# WHERE clause spells its predicate the same way.
OPEN_STATUS_VALUES: tuple[str, ...] = tuple(sorted(status.value for status in OPEN_STATUSES))


class IllegalTransition(Exception):
    """A status change the lifecycle forbids; `current` and `target` name the two statuses."""

    def __init__(self, current: CaseStatus, target: CaseStatus) -> None:
        super().__init__(f"a case cannot go from {current} to {target}")
        self.current = current
        self.target = target


def check_transition(current: CaseStatus, target: CaseStatus) -> None:
    """Allow `current` -> `target` if ALLOWED lists it; returns None.

    Raises:
        IllegalTransition: the lifecycle forbids the step.
    """
    if target not in ALLOWED[current]:
        raise IllegalTransition(current, target)
