"""Personal data under PIPL: minimum necessary, shown only to who handles the case,
recorded when staff see it, exported and erased on request, purged after retention.

Personal data here is: the Telegram id, a contact phone given with consent, photos
(Telegram file ids), and the free text a resident wrote. Case statistics (type, grid,
times, status, rating) are not personal and survive erasure.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Attachment,
    Case,
    CaseFollower,
    ConversationState,
    DataAccess,
    User,
)
from storage.volunteers import Volunteer, VolunteerSkill

ERASED_TEXT = "[erased at the resident's request]"
PURGED_TEXT = "[removed after the retention period]"


def mask_phone(phone: str | None) -> str:
    """138****5678: enough for a supervisor to tell numbers apart, not to call."""
    if not phone:
        return ""
    digits = phone.strip()
    return digits[:3] + "*" * max(len(digits) - 7, 1) + digits[-4:] if len(digits) > 7 else "***"


def record_access(
    session: AsyncSession, staff: User, case: Case, field: str, purpose: str, now: datetime
) -> None:
    session.add(
        DataAccess(staff_id=staff.id, case_id=case.id, field=field, purpose=purpose, at=now)
    )


async def export_user_data(session: AsyncSession, user: User) -> dict[str, Any]:
    """Everything GridDesk holds about this resident, for /mydata."""
    followed = select(CaseFollower.case_id).where(CaseFollower.user_id == user.id)
    cases = (
        (
            await session.execute(
                select(Case)
                .where(or_(Case.reporter_id == user.id, Case.id.in_(followed)))
                .order_by(Case.id)
            )
        )
        .scalars()
        .all()
    )
    photos = (
        (await session.execute(select(Attachment).where(Attachment.added_by_id == user.id)))
        .scalars()
        .all()
    )
    return {
        "telegram_id": user.telegram_id,
        "role": user.role,
        "language_chosen": user.language,
        "consent_given_at": user.consent_at.isoformat() if user.consent_at else None,
        "registered_at": user.created_at.isoformat(),
        "cases": [
            {
                "number": c.number,
                "kind": c.kind,
                "case_type": c.case_type,
                "status": c.status,
                "reported_by_you": c.reporter_id == user.id,
                "text": c.text,
                "contact_phone": c.contact_phone if c.reporter_id == user.id else None,
                "latitude": c.latitude,
                "longitude": c.longitude,
                "address": c.address,
                "grid": c.grid_id,
                "created_at": c.created_at.isoformat(),
                "rating": c.rating,
            }
            for c in cases
        ],
        "photos": [
            {
                "case_id": p.case_id,
                "telegram_file_id": p.telegram_file_id,
                "added_at": p.added_at.isoformat(),
            }
            for p in photos
        ],
    }


@dataclass(frozen=True)
class Erasure:
    cases_anonymised: int
    photos_removed: int


async def forget_user(session: AsyncSession, user: User, now: datetime) -> Erasure:
    """Erase the resident's personal data; keep what statistics need.

    The user row stays (cases point at it) but loses its Telegram id, which is
    replaced by a random negative number no Telegram account can have.
    """
    mine = select(Case.id).where(Case.reporter_id == user.id)
    photos = await session.execute(
        delete(Attachment).where(
            or_(Attachment.added_by_id == user.id, Attachment.case_id.in_(mine))
        )
    )
    cases = await session.execute(
        update(Case)
        .where(Case.reporter_id == user.id)
        .values(
            text=ERASED_TEXT,
            contact_phone=None,
            address=None,
            latitude=None,
            longitude=None,
            updated_at=now,
        )
    )
    await session.execute(delete(CaseFollower).where(CaseFollower.user_id == user.id))
    # The volunteer profile (skills, grid, availability) goes; call-out answers stay for
    # the hours statistics, tied only to the now anonymous user row.
    profile = select(Volunteer.id).where(Volunteer.user_id == user.id)
    await session.execute(delete(VolunteerSkill).where(VolunteerSkill.volunteer_id.in_(profile)))
    await session.execute(delete(Volunteer).where(Volunteer.user_id == user.id))
    await session.execute(
        delete(ConversationState).where(ConversationState.telegram_id == user.telegram_id)
    )
    user.telegram_id = -secrets.randbelow(2**62) - 1
    user.language = user.last_language = None
    user.consent_at = None
    user.active = False
    return Erasure(cases.rowcount or 0, photos.rowcount or 0)  # type: ignore[attr-defined]


async def purge_expired(session: AsyncSession, now: datetime, retention: timedelta) -> int:
    """Phones, photos and exact places of cases closed longer ago than the retention."""
    cutoff = now - retention
    expired = select(Case.id).where(
        Case.closed_at.is_not(None),
        Case.closed_at < cutoff,
        Case.contact_phone.is_not(None) | Case.latitude.is_not(None),
    )
    ids = list((await session.execute(expired)).scalars())
    if not ids:
        return 0
    await session.execute(delete(Attachment).where(Attachment.case_id.in_(ids)))
    await session.execute(
        update(Case)
        .where(Case.id.in_(ids))
        .values(contact_phone=None, latitude=None, longitude=None, address=None)
    )
    return len(ids)
