"""/mydata: what GridDesk holds that is the caller's own, and nothing of anyone else.

Their own: the account, the cases they reported (their words, places, phone, photos), the
notes they wrote, their volunteer profile and call-out answers, every time staff were shown
their data, and an unfinished draft. Of a case they merely joined (并单) they get its number,
type, status and when they joined: its words, place and phone are the original reporter's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.cases.drafts import BUTTON_MEMORY
from storage.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseFollower,
    ConversationState,
    DataAccess,
    Evaluation,
    User,
)
from storage.volunteers import CallOut, CallOutResponse, Volunteer, VolunteerSkill

# Draft keys that are bookkeeping or point at other people's cases, not the caller's data.
_DRAFT_NOISE = frozenset({"token", "offered", "choices"})


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


async def export_user_data(session: AsyncSession, user: User) -> dict[str, Any]:
    """Everything GridDesk holds about this person, as JSON-ready values: a dict with
    "account", "reports", "joined_cases", "notes_written", "evaluations", "volunteer" (None
    when never one), "staff_reads_of_your_data", "open_drafts"; times as ISO 8601 strings
    with their UTC offset (None when unset). Reads only."""
    return {
        "account": {
            "telegram_id": user.telegram_id,
            "role": user.role,
            "language_chosen": user.language,
            # The language of their latest message with letters, used when none was chosen.
            "language_last_written": user.last_language,
            "consent_given_at": _iso(user.consent_at),
            "registered_at": _iso(user.created_at),
        },
        "reports": await _reports(session, user),
        "joined_cases": await _joined(session, user),
        "notes_written": await _notes(session, user),
        "evaluations": await _evaluations(session, user),
        "volunteer": await _volunteer(session, user),
        "staff_reads_of_your_data": await _reads(session, user),
        "open_drafts": await _drafts(session, user),
    }


async def _reports(session: AsyncSession, user: User) -> list[dict[str, Any]]:
    cases = (
        await session.execute(select(Case).where(Case.reporter_id == user.id).order_by(Case.id))
    ).scalars()
    photos: dict[int, list[str]] = {}
    rows = await session.execute(
        select(Attachment.case_id, Attachment.telegram_file_id)
        .join(Case, Case.id == Attachment.case_id)
        .where(Case.reporter_id == user.id, Attachment.added_by_id == user.id)
        .order_by(Attachment.id)
    )
    for case_id, file_id in rows:
        photos.setdefault(case_id, []).append(file_id)
    return [
        {
            "number": c.number,
            "kind": c.kind,
            "case_type": c.case_type,
            "status": c.status,
            "text": c.text,
            "contact_phone": c.contact_phone,
            "latitude": c.latitude,
            "longitude": c.longitude,
            "address": c.address,
            "grid": c.grid_id,
            "created_at": _iso(c.created_at),
            "closed_at": _iso(c.closed_at),
            "rating": c.rating,
            "photos": photos.get(c.id, []),
        }
        for c in cases
    ]


async def _joined(session: AsyncSession, user: User) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Case.number, Case.case_type, Case.status, Case.grid_id, CaseFollower.joined_at)
        .join(CaseFollower, CaseFollower.case_id == Case.id)
        .where(CaseFollower.user_id == user.id)
        .order_by(CaseFollower.joined_at)
    )
    return [
        {"number": n, "case_type": t, "status": s, "grid": g, "joined_at": _iso(at)}
        for n, t, s, g, at in rows
    ]


async def _notes(session: AsyncSession, user: User) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Case.number, CaseEvent.at, CaseEvent.note)
        .join(Case, Case.id == CaseEvent.case_id)
        .where(CaseEvent.actor_id == user.id, CaseEvent.note.is_not(None))
        .order_by(CaseEvent.id)
    )
    return [{"case": n, "at": _iso(at), "note": note} for n, at, note in rows]


async def _evaluations(session: AsyncSession, user: User) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Case.number, Evaluation)
        .join(Case, Case.id == Evaluation.case_id)
        .where(Evaluation.user_id == user.id)
        .order_by(Evaluation.id)
    )
    return [
        {
            "case": number,
            "grade": e.grade,
            "comment": e.comment,
            "at": _iso(e.at),
            "call_back_at": _iso(e.revisit_at),
            "call_back_outcome": e.revisit_note,
        }
        for number, e in rows
    ]


async def _volunteer(session: AsyncSession, user: User) -> dict[str, Any] | None:
    volunteer = (
        await session.execute(select(Volunteer).where(Volunteer.user_id == user.id))
    ).scalar_one_or_none()
    answers = await session.execute(
        select(CallOut.title, CallOut.starts_at, CallOutResponse)
        .join(CallOut, CallOut.id == CallOutResponse.callout_id)
        .where(CallOutResponse.user_id == user.id)
        .order_by(CallOutResponse.id)
    )
    callouts = [
        {
            "callout": title,
            "starts_at": _iso(starts),
            "status": r.status,
            "checked_in_at": _iso(r.checked_in_at),
            "hours": r.hours,
            "points": r.points,
        }
        for title, starts, r in answers
    ]
    if volunteer is None:
        return {"profile": None, "callouts": callouts} if callouts else None
    skills = (
        await session.execute(
            select(VolunteerSkill.skill)
            .where(VolunteerSkill.volunteer_id == volunteer.id)
            .order_by(VolunteerSkill.skill)
        )
    ).scalars()
    return {
        "profile": {
            "display_name": volunteer.display_name,
            "grid": volunteer.grid_id,
            "skills": list(skills),
            "availability": list(volunteer.availability),
            "active": volunteer.active,
            "consent_given_at": _iso(volunteer.consent_at),
            "registered_at": _iso(volunteer.registered_at),
            "withdrawn_at": _iso(volunteer.withdrawn_at),
        },
        "callouts": callouts,
    }


async def _reads(session: AsyncSession, user: User) -> list[dict[str, Any]]:
    """Each time staff were shown this person's data: which staff role, what, why, when."""
    rows = await session.execute(
        select(
            Case.number,
            User.role,
            User.grid_id,
            DataAccess.field,
            DataAccess.purpose,
            DataAccess.at,
        )
        .join(Case, Case.id == DataAccess.case_id)
        .join(User, User.id == DataAccess.staff_id)
        .where(Case.reporter_id == user.id)
        .order_by(DataAccess.at, DataAccess.id)
    )
    return [
        {"case": n, "by": role, "grid": grid, "field": f, "purpose": p, "at": _iso(at)}
        for n, role, grid, f, p, at in rows
    ]


async def _drafts(session: AsyncSession, user: User) -> list[dict[str, Any]]:
    rows = (
        await session.execute(
            select(ConversationState).where(
                ConversationState.telegram_id == user.telegram_id,
                ConversationState.conversation != BUTTON_MEMORY,  # bookkeeping, not a draft
            )
        )
    ).scalars()
    return [
        {
            "conversation": row.conversation,
            "step": row.state,
            "updated_at": _iso(row.updated_at),
            "data": {k: v for k, v in row.data.items() if k not in _DRAFT_NOISE},
        }
        for row in rows
    ]
