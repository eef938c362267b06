"""A worker's photo that comes after the step that asked for it (the after-photo sent once
the resolve note was typed) belongs to the case they just worked on, not to a new report."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.lifecycle import OPEN_STATUS_VALUES
from storage.models import Attachment, Case, CaseEvent, User

# How long after acting on a case a worker's stray photo still belongs to it.
RECENT_ACTION = timedelta(minutes=15)


async def recent_open_case(
    session: AsyncSession, worker: User, now: datetime, within: timedelta
) -> Case | None:
    """The open case this staff member acted on last, within `within` of `now` (aware UTC);
    None when there is none."""
    case_id = await session.scalar(
        select(CaseEvent.case_id)
        .where(CaseEvent.actor_id == worker.id, CaseEvent.at >= now - within)
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )
    case = await session.get(Case, case_id) if case_id is not None else None
    return case if case is not None and case.status in OPEN_STATUS_VALUES else None


async def attach_to_recent_case(
    session: AsyncSession, worker: User, file_id: str, now: datetime
) -> Case | None:
    """Attach the photo (a Telegram file id) to the case this worker moved last within
    RECENT_ACTION of `now` (aware UTC); returns that case, or None (nothing attached) when the
    worker acted on no case lately. Adds to the session, no flush."""
    case_id = await session.scalar(
        select(CaseEvent.case_id)
        .where(CaseEvent.actor_id == worker.id, CaseEvent.at >= now - RECENT_ACTION)
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )
    case = await session.get(Case, case_id) if case_id is not None else None
    if case is None:
        return None
    session.add(
        Attachment(
            case_id=case.id,
            kind="photo",
            telegram_file_id=file_id,
            added_by_id=worker.id,
            added_at=now,
        )
    )
    return case
