"""The one function that moves a case between statuses, leaving an event row."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from domain.lifecycle import CaseStatus, check_transition
from storage.models import Case, CaseEvent


def record_creation(session: AsyncSession, case: Case, actor_id: int | None, now: datetime) -> None:
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


def transition(
    session: AsyncSession,
    case: Case,
    target: CaseStatus,
    actor_id: int | None,
    now: datetime,
    note: str | None = None,
) -> CaseEvent:
    """Refuse illegal moves (IllegalTransition); otherwise change the case and log the event."""
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
