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

from sqlalchemy import ColumnElement, and_, bindparam, func, or_, select
from sqlalchemy import case as case_when
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


# Built once: building a statement costs more than running it on SQLite (every report
# filed runs these).
_OPEN_CASES = (
    select(func.count(Case.id))
    .where(Case.assignee_id == User.id, Case.status.in_(OPEN_STATUS_VALUES))
    .scalar_subquery()
)
_GRID_WORKERS = (
    select(User)
    .where(User.role == "worker", User.grid_id == bindparam("grid_id"), User.active.is_(True))
    .order_by(_OPEN_CASES, User.id)
)
_SUPERVISORS = select(User).where(User.role == "supervisor", _reachable()).order_by(User.id)
_IN_SCOPE = or_(User.community_id == bindparam("community_id"), User.community_id.is_(None))
_SCOPED_SUPERVISORS = _SUPERVISORS.where(_IN_SCOPE)
# Both at once for a report with a grid: its workers (as _GRID_WORKERS orders them), then
# the supervisors in scope (as _SCOPED_SUPERVISORS does).
_GRID_DUTY = (
    select(User)
    .where(
        or_(
            and_(
                User.role == "worker", User.grid_id == bindparam("grid_id"), User.active.is_(True)
            ),
            and_(User.role == "supervisor", _reachable(), _IN_SCOPE),
        )
    )
    .order_by(
        User.role != "worker", case_when((User.role == "worker", _OPEN_CASES), else_=0), User.id
    )
)


@dataclass(frozen=True)
class GridWorkers:
    """A grid's workers as dispatch needs them, read in one query."""

    reachable: User | None  # the one with the fewest open cases (lowest id on a tie)
    unreachable: bool  # a worker switched on whose chat refuses us (blocked the bot)


async def grid_workers(session: AsyncSession, grid_id: str | None) -> GridWorkers:
    """The grid's reachable worker with the fewest open cases, and whether a worker switched
    on cannot be reached; nobody for `grid_id` None."""
    if grid_id is None:
        return GridWorkers(None, False)
    workers = list((await session.execute(_GRID_WORKERS, {"grid_id": grid_id})).scalars())
    return _grid_workers(workers)


def _grid_workers(workers: list[User]) -> GridWorkers:
    reachable = next((w for w in workers if w.unreachable_at is None), None)
    return GridWorkers(reachable, any(w.unreachable_at is not None for w in workers))


async def grid_duty(
    session: AsyncSession, grid_id: str, community_id: str | None, duty_chat: int | None
) -> tuple[GridWorkers, list[Recipient]]:
    """grid_workers and supervisors_chain (not for an emergency without a community) in one
    query: a report filed where no worker is reachable, or an emergency, needs both."""
    params = {"grid_id": grid_id, "community_id": community_id}
    staff = list((await session.execute(_GRID_DUTY, params)).scalars())
    workers = [u for u in staff if u.role == "worker"]
    supervisors = [u for u in staff if u.role != "worker"]
    return _grid_workers(workers), _first_link(supervisors, community_id, duty_chat, False)


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
    # One query for every link that may be needed (the nearest link with someone wins).
    anyone = emergency and community_id is None
    if anyone:
        query, params = _SUPERVISORS, {}
    else:
        query, params = _SCOPED_SUPERVISORS, {"community_id": community_id}
    users = [u for u in (await session.execute(query, params)).scalars() if u.id not in exclude]
    return _first_link(users, community_id, duty_chat, anyone)


def _first_link(
    users: list[User], community_id: str | None, duty_chat: int | None, anyone: bool
) -> list[Recipient]:
    """The nearest link of the chain with someone among `users` (reachable supervisors)."""
    links = (
        (Link.COMMUNITY_SUPERVISOR,
         [u for u in users if community_id is not None and u.community_id == community_id]),
        (Link.CITY_SUPERVISOR, [u for u in users if u.community_id is None]),
        (Link.ANY_SUPERVISOR, users if anyone else []),
    )  # fmt: skip
    for link, found in links:
        if found:
            return [Recipient(u.telegram_id, link, u) for u in found]
    if duty_chat is not None:
        return [Recipient(duty_chat, Link.DUTY_CHAT)]
    return []
