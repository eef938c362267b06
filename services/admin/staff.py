"""Who works the grids, and taking someone off duty.

Disabling never unassigns: a case moved silently would lose its history and its
worker's notes. The open cases are returned so a supervisor can reassign each one
with the bot, where the move is recorded as an event and the resident is told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.lifecycle import OPEN_STATUSES
from services.admin.errors import AdminInputError
from services.staff import STAFF_ROLES
from storage.models import Case, User

_OPEN = tuple(sorted(status.value for status in OPEN_STATUSES))
VISIBLE_DIGITS = 4
MAX_ROW_ID = 2**31 - 1  # users.id is a 32-bit integer on PostgreSQL


def mask_telegram_id(telegram_id: int) -> str:
    """Enough to tell two staff apart on screen; the whole id stays in the database."""
    return "****" + str(telegram_id)[-VISIBLE_DIGITS:]


@dataclass(frozen=True)
class StaffMember:
    """One staff member as `staff list` shows it; the Telegram id masked."""

    staff_id: int  # what `staff disable` takes: the row id, not the Telegram id
    masked_id: str
    role: str
    scope: str  # a worker's grid, a supervisor's community, or "city"
    active: bool
    open_cases: int
    name: str | None = None  # the display name they gave when joining


@dataclass(frozen=True)
class OpenCase:
    """A case still assigned to someone taken off duty; `due_at` aware UTC."""

    number: str
    status: str
    case_type: str
    grid_id: str | None
    due_at: datetime


@dataclass(frozen=True)
class DisabledStaff:
    """Who was taken off duty, whether they were on before, and their open cases by due time."""

    masked_id: str
    role: str
    was_active: bool
    open_cases: list[OpenCase]


def _scope(user: User) -> str:
    return user.grid_id or user.community_id or "city"


async def list_staff(session: AsyncSession) -> list[StaffMember]:
    """Every worker and supervisor with their open case count: workers first, then
    supervisors, city-wide before community ones."""
    open_counts = (
        select(Case.assignee_id, func.count().label("n"))
        .where(Case.status.in_(_OPEN))
        .group_by(Case.assignee_id)
        .subquery()
    )
    rows = await session.execute(
        select(User, func.coalesce(open_counts.c.n, 0))
        .outerjoin(open_counts, open_counts.c.assignee_id == User.id)
        .where(User.role.in_(STAFF_ROLES))
        # Workers first, then supervisors, city-wide ones before community ones; the same
        # order on both databases (they sort NULL differently).
        .order_by(User.role.desc(), func.coalesce(User.grid_id, User.community_id, ""), User.id)
    )
    return [
        StaffMember(
            user.id,
            mask_telegram_id(user.telegram_id),
            user.role,
            _scope(user),
            user.active,
            n,
            user.display_name,
        )
        for user, n in rows
    ]


async def disable_staff(
    session: AsyncSession, staff_id: int, *, by_telegram_id: bool = False
) -> DisabledStaff:
    """Set `active` False (idempotent) and list the cases still assigned to them.

    `staff_id` is the id `staff list` shows; with `by_telegram_id`, a full Telegram id.

    Raises:
        AdminInputError: no such user, an id out of range, or the user is not staff.
    """
    kind = "Telegram id" if by_telegram_id else "staff id"
    if not by_telegram_id and not 0 < staff_id <= MAX_ROW_ID:
        raise AdminInputError(
            f"no user with staff id {staff_id}: see `griddesk staff list` (a Telegram id "
            "needs --telegram-id)"
        )
    key = User.telegram_id if by_telegram_id else User.id
    user = (await session.execute(select(User).where(key == staff_id))).scalar_one_or_none()
    if user is None:
        raise AdminInputError(f"no user with {kind} {staff_id}: see `griddesk staff list`")
    masked = mask_telegram_id(user.telegram_id)
    if user.role not in STAFF_ROLES:
        raise AdminInputError(f"user {staff_id} is a {user.role}, not staff; nothing to disable")
    was_active, user.active = user.active, False
    cases = await session.execute(
        select(Case)
        .where(Case.assignee_id == user.id, Case.status.in_(_OPEN))
        .order_by(Case.due_at, Case.id)
    )
    return DisabledStaff(
        masked,
        user.role,
        was_active,
        [OpenCase(c.number, c.status, c.case_type, c.grid_id, c.due_at) for c in cases.scalars()],
    )
