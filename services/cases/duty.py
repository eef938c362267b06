"""Who hears of a case when its grid worker cannot: the duty chain (DESIGN "Delivery guarantees").

A grid without a reachable worker routes to its community's supervisors, then the city-wide
supervisors, then the configured duty chat (``GRIDDESK_DUTY_CHAT_ID``). For an emergency whose
place is unknown or outside every grid, any reachable supervisor comes before the duty chat, so
the deploy guide's smallest set-up (one worker, one community supervisor) still reaches a person.

"Reachable" is a staff member switched on (``active``) whose chat has not refused us
(``unreachable_at``, cleared by their next message).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from config.schema import CityConfig
from domain.lifecycle import OPEN_STATUS_VALUES
from storage.models import Case, User


class Link(StrEnum):
    """Which link of the duty chain a recipient was found on, nearest first."""

    WORKER = "worker"
    COMMUNITY_SUPERVISOR = "community_supervisor"
    CITY_SUPERVISOR = "city_supervisor"
    ANY_SUPERVISOR = "any_supervisor"
    DUTY_CHAT = "duty_chat"


@dataclass(frozen=True)
class Recipient:
    """A chat the chain reached: a staff member (``user``) or the duty chat (no user)."""

    chat_id: int
    link: Link
    user: User | None = None

    @property
    def is_staff_user(self) -> bool:
        """True for a staff member, False for the duty chat."""
        return self.user is not None


def is_reachable(user: User) -> bool:
    """Switched on and no refused delivery since their last message."""
    return user.active and user.unreachable_at is None


def _reachable() -> ColumnElement[bool]:
    return and_(User.active.is_(True), User.unreachable_at.is_(None))


def community_of(case: Case, city: CityConfig) -> str | None:
    """The grid's community id, else the case's own (a consultation has no grid); None when
    neither is known."""
    grid = city.grids.get(case.grid_id) if case.grid_id else None
    return grid.community_id if grid is not None else case.community_id


async def reachable_worker(session: AsyncSession, grid_id: str | None) -> User | None:
    """The grid's reachable worker with the fewest open cases (lowest id on a tie); None when
    the grid has none or `grid_id` is None."""
    if grid_id is None:
        return None
    open_count = (
        select(func.count(Case.id))
        .where(Case.assignee_id == User.id, Case.status.in_(OPEN_STATUS_VALUES))
        .scalar_subquery()
    )
    result = await session.execute(
        select(User)
        .where(User.role == "worker", User.grid_id == grid_id, _reachable())
        .order_by(open_count, User.id)
        .limit(1)
    )
    return result.scalar_one_or_none()


async def has_unreachable_worker(session: AsyncSession, grid_id: str | None) -> bool:
    """The grid has a worker switched on whose chat refuses us (blocked the bot)."""
    if grid_id is None:
        return False
    found = await session.execute(
        select(User.id)
        .where(
            User.role == "worker",
            User.grid_id == grid_id,
            User.active.is_(True),
            User.unreachable_at.is_not(None),
        )
        .limit(1)
    )
    return found.first() is not None


async def supervisors_chain(
    session: AsyncSession,
    city: CityConfig,
    community_id: str | None,
    duty_chat: int | None,
    *,
    emergency: bool = False,
    exclude: frozenset[int] = frozenset(),
) -> list[Recipient]:
    """The first link of the chain that has someone reachable; [] when the chain is empty.

    ``exclude``: user ids not to count (the staff member whose message just failed).
    """

    async def supervisors(scope: ColumnElement[bool] | None, link: Link) -> list[Recipient]:
        query = select(User).where(User.role == "supervisor", _reachable())
        if scope is not None:
            query = query.where(scope)
        users = (await session.execute(query.order_by(User.id))).scalars()
        return [Recipient(u.telegram_id, link, u) for u in users if u.id not in exclude]

    if community_id is not None:
        found = await supervisors(User.community_id == community_id, Link.COMMUNITY_SUPERVISOR)
        if found:
            return found
    found = await supervisors(User.community_id.is_(None), Link.CITY_SUPERVISOR)
    if found:
        return found
    if emergency and community_id is None:
        found = await supervisors(None, Link.ANY_SUPERVISOR)
        if found:
            return found
    if duty_chat is not None:
        return [Recipient(duty_chat, Link.DUTY_CHAT)]
    return []
