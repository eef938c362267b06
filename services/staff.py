"""Staff onboarding: one-time invite codes bound to a Telegram user by `/join CODE`.

A `department` code binds a chat instead of a person's role: `/join CODE` sent from a
department's group (or its liaison's own chat) makes that chat where 转办 cases go
(services.cases.forwarding). Staff codes work only in a private chat with the bot.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog
from bot.notices import Notice, say_case
from config.schema import CityConfig
from domain.lifecycle import CaseStatus
from services import notify
from services.cases.forwarding import bind_department_chat, departments
from services.cases.transitions import transition
from storage.models import Case, Invite, User

STAFF_ROLES = ("worker", "supervisor")
DEPARTMENT = "department"
INVITE_ROLES = (*STAFF_ROLES, DEPARTMENT)
# No 0/O or 1/I/L: codes get read aloud and typed on phones.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


class InviteError(Exception):
    """Why an invite could not be made or used; `key` names the catalog text."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(detail or key)
        self.key = key


@dataclass(frozen=True)
class InviteCode:
    """A new invite: the code to hand over, its role, its scope (a grid id, a community id or
    "city") and when it expires (aware UTC)."""

    code: str
    role: str
    scope: str
    expires_at: datetime


async def create_invite(
    session: AsyncSession,
    city: CityConfig,
    role: str,
    now: datetime,
    *,
    grid_id: str | None = None,
    community_id: str | None = None,
    department_id: str | None = None,
    valid_for: timedelta = timedelta(hours=72),
) -> InviteCode:
    """A one-time code for a worker (of `grid_id`) or a supervisor (of `community_id`, None:
    city-wide), valid for `valid_for` clock time from `now` (aware UTC). Adds the row.

    Raises:
        InviteError: unknown role, a worker without a known grid, or an unknown community.
    """
    if role not in INVITE_ROLES:
        raise InviteError("staff.bad_role", f"role must be one of {', '.join(INVITE_ROLES)}")
    if role == DEPARTMENT:
        known = departments(city)
        if department_id not in known:
            raise InviteError(
                "staff.bad_department",
                f"a department code needs a known --department, not {department_id!r}; "
                f"departments: {', '.join(known)}",
            )
        grid_id = community_id = None
    elif role == "worker":
        if grid_id not in city.grids:
            raise InviteError(
                "staff.bad_grid",
                f"a worker needs a known --grid, not {grid_id!r}; "
                f"grids: {', '.join(sorted(city.grids))}",
            )
        community_id = None
    else:
        grid_id = None
        if community_id is not None and community_id not in city.communities:
            raise InviteError(
                "staff.bad_community",
                f"unknown community {community_id!r}; "
                f"communities: {', '.join(sorted(city.communities))} (omit for city-wide)",
            )
    code = "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))
    invite = Invite(
        code=code,
        role=role,
        grid_id=grid_id,
        community_id=community_id,
        created_at=now,
        expires_at=now + valid_for,
        department_id=department_id if role == DEPARTMENT else None,
    )
    session.add(invite)
    scope = invite.department_id or grid_id or community_id or "city"
    return InviteCode(code, role, scope, invite.expires_at)


async def join(
    session: AsyncSession,
    user: User,
    code: str,
    now: datetime,
    *,
    chat_id: int | None = None,
    chat_kind: str = "private",
) -> Invite:
    """Bind the user to the invite's role and scope, or, for a department code, bind the chat
    it was sent from (`chat_id`, "private" or "group") as the department's contact chat; the
    code cannot be used again. The code is read case-blind, spaces and dashes ignored; `now`
    is aware UTC. Returns the invite.

    Raises:
        InviteError: the code is unknown, used, or expired, or a staff code was sent in a
            group (`key` says which; a refused code stays usable).
    """
    normalized = code.strip().upper().replace(" ", "").replace("-", "")
    invite = (
        await session.execute(select(Invite).where(Invite.code == normalized).with_for_update())
    ).scalar_one_or_none()
    if invite is None:
        raise InviteError("staff.join_unknown")
    if invite.used_at is not None:
        raise InviteError("staff.join_used")
    if invite.expires_at <= now:
        raise InviteError("staff.join_expired")
    if invite.role == DEPARTMENT:
        assert invite.department_id is not None
        invite.used_at, invite.used_by_id = now, user.id
        await bind_department_chat(session, invite.department_id,
                                   user.telegram_id if chat_id is None else chat_id,
                                   chat_kind, user, now)  # fmt: skip
        return invite
    if chat_kind != "private":
        raise InviteError("staff.join_private_only")
    invite.used_at, invite.used_by_id = now, user.id
    user.unreachable_at = None  # they just wrote to us
    user.role, user.grid_id, user.community_id, user.active = (
        invite.role,
        invite.grid_id,
        invite.community_id,
        True,
    )
    return invite


async def offer_waiting_cases(
    session: AsyncSession, worker: User, city: CityConfig, catalog: Catalog, now: datetime
) -> int:
    """A worker who joins a grid gets the cases that waited there with nobody to take them
    (still ``new``: filed before any worker, or while the worker could not be reached).
    Returns how many were assigned (0 for anyone but a worker with a grid). `now` is aware
    UTC; queues outbox rows, no flush."""
    from services.cases.filing import URGENT_FIRST, arm_accept_clock, ping_assignee

    if worker.role != "worker" or worker.grid_id is None:
        return 0
    waiting = (
        (
            await session.execute(
                select(Case)
                .where(
                    Case.grid_id == worker.grid_id,
                    Case.status == CaseStatus.NEW.value,
                    Case.assignee_id.is_(None),
                )
                .order_by(URGENT_FIRST, Case.id)
                .with_for_update()
            )
        )
        .scalars()
        .all()
    )
    for case in waiting:
        transition(session, case, CaseStatus.ASSIGNED, None, now, note="worker joined the grid")
        case.assignee_id = worker.id
        arm_accept_clock(case, now, city)
        await ping_assignee(session, case, worker, city, catalog, now)  # as a live one
        assigned = Notice([say_case("notify.assigned", case)])
        await notify.tell_residents(session, case, assigned, city, catalog, now)
    return len(waiting)
