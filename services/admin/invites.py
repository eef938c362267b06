"""Invite codes after they are made: which are still open, and revoking one that leaked.

A code is a key to a staff role: whoever sends `/join CODE` first becomes that worker or
supervisor. A stolen or mistyped-into-a-group code must be stoppable before it is used.
Revoking needs no new column: a revoked code expires at the instant it was made, which no
code made by `griddesk invite` does (they are valid for at least an hour).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.admin.errors import AdminInputError
from storage.models import Invite

SHOWN_CHARS = 2  # of a code in a listing: enough to tell codes apart, not to use one


@dataclass(frozen=True)
class InviteRow:
    """One invite as `invite list` shows it; times aware UTC."""

    id: int
    code: str  # masked
    role: str
    scope: str
    created_at: datetime
    expires_at: datetime
    state: str  # "open", "used", "expired" or "revoked"


def mask_code(code: str) -> str:
    """The first SHOWN_CHARS characters, the rest as stars."""
    return code[:SHOWN_CHARS] + "*" * max(len(code) - SHOWN_CHARS, 1)


def state_of(invite: Invite, now: datetime) -> str:
    """One of "open", "used", "expired" (at aware `now`) or "revoked"."""
    if invite.used_at is not None:
        return "used"
    if invite.expires_at <= invite.created_at:
        return "revoked"
    return "expired" if invite.expires_at <= now else "open"


async def list_invites(session: AsyncSession, now: datetime) -> list[InviteRow]:
    """Every code, newest first, with its state; codes masked."""
    invites = await session.execute(select(Invite).order_by(Invite.created_at.desc(), Invite.id))
    return [
        InviteRow(
            i.id,
            mask_code(i.code),
            i.role,
            i.department_id or i.grid_id or i.community_id or "city",
            i.created_at,
            i.expires_at,
            state_of(i, now),
        )
        for i in invites.scalars()
    ]


async def revoke_invite(session: AsyncSession, id_or_code: str, now: datetime) -> InviteRow:
    """Make an open code unusable, by the id `invite list` shows or by the code itself;
    an expired or revoked one is left as it is. Returns the row after the change.

    Raises:
        AdminInputError: no such invite, or it was already used.
    """
    wanted = id_or_code.strip()
    match = [Invite.code == wanted.upper()]
    if wanted.isdigit():
        match.append(Invite.id == int(wanted))
    invite = (
        await session.execute(select(Invite).where(or_(*match)).with_for_update())
    ).scalars().first()
    if invite is None:
        raise AdminInputError(f"no invite {wanted!r}: see `griddesk invite list`")
    state = state_of(invite, now)
    if state == "used":
        raise AdminInputError(
            f"invite {invite.id} was already used; take that person off duty with "
            "`griddesk staff disable`"
        )
    if state == "open":
        invite.expires_at = invite.created_at
    return InviteRow(
        invite.id, mask_code(invite.code), invite.role,
        invite.department_id or invite.grid_id or invite.community_id or "city",
        invite.created_at, invite.expires_at, state_of(invite, now),
    )
