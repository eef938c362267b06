"""The one function that moves a case between statuses, leaving an event row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.lifecycle import CaseStatus, check_transition
from storage.models import Case, CaseEvent


def record_creation(session: AsyncSession, case: Case, actor_id: int | None, now: datetime) -> None:
    """Add the first event row (None -> new) for a freshly flushed case; `now` is aware UTC.

    `actor_id` is the filer's user id, None for the system. Adds to the session, no flush.
    """
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_id=actor_id,
            at=now,
            from_status=None,
            to_status=CaseStatus.NEW.value,
            note=None,
        )
    )


def record_note(
    session: AsyncSession, case: Case, actor_id: int | None, now: datetime, note: str
) -> None:
    """Add an event row that keeps the status (a note, a word from the resident, a deadline
    moved): the case's history without a transition. `now` is aware UTC; no flush."""
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_id=actor_id,
            at=now,
            from_status=case.status,
            to_status=case.status,
            note=note,
        )
    )


def transition(
    session: AsyncSession,
    case: Case,
    target: CaseStatus,
    actor_id: int | None,
    now: datetime,
    note: str | None = None,
) -> CaseEvent:
    """Change the case's status and add the event row (no flush); returns that event.

    `now` is aware UTC and also stamps updated_at (and resolved_at / closed_at).

    Raises:
        IllegalTransition: the lifecycle forbids the step; the case is left unchanged.
    """
    current = CaseStatus(case.status)
    check_transition(current, target)
    case.status = target.value
    case.updated_at = now
    if target is CaseStatus.RESOLVED:
        case.resolved_at = now
    elif target is CaseStatus.CLOSED:
        case.closed_at = now
    event = CaseEvent(
        case_id=case.id,
        actor_id=actor_id,
        at=now,
        from_status=current.value,
        to_status=target.value,
        note=note,
    )
    session.add(event)
    return event
