"""Who an urgent case reached, for what the resident may be promised, and the urgent cases a
staff member missed while their chat refused us.

`reach_of` is the one reading every "staff alerted / wait for help / may be on their way"
sentence goes by (handlers.emergency): help from here is promised only for a place inside a
grid whose staff were told. A place outside every grid (a map pin outside them all, or a typed
street no grid knows) gets "outside the area our staff cover: call 110/119/120", and at most
"a supervisor was told".

`alert_missed_urgent`: a supervisor or worker coming back (their next update after blocking the
bot) is sent every urgent case of their scope that nobody has taken on yet and that never
reached them: a community supervisor's community and the emergencies with no grid, a city-wide
supervisor's whole city, a worker's own grid.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from bot.i18n import Catalog
from config.schema import CityConfig
from domain.lifecycle import CaseStatus
from services.cases.duty import Link, Recipient
from services.cases.filing import URGENT, URGENT_FIRST, knows_place, queue_ping
from storage.models import Case, OutboxMessage, User


class Reach(StrEnum):
    """How far an urgent case reached: what the resident may be promised of it."""

    LOCAL = "local"  # placed in a grid, and someone was told
    NO_PLACE = "no_place"  # someone was told; nobody knows where yet
    OUTSIDE = "outside"  # placed outside every grid (a pin, or a street no grid knows)
    NOBODY = "nobody"  # nobody at all could be told


async def reach_of(session: AsyncSession, number: str, city: CityConfig) -> Reach:
    """How far the urgent case numbered `number` reached (NOBODY when there is no such case).
    A pin outside every grid is OUTSIDE even when the case was first filed in a grid (at the
    place of a report it interrupted): nobody there can go where the pin is."""
    case = await session.scalar(select(Case).where(Case.number == number))
    if case is None or not await _anyone_told(session, case.id):
        return Reach.NOBODY
    pinned_outside = (
        case.latitude is not None
        and case.longitude is not None
        and city.grid_at(case.latitude, case.longitude) is None
    )
    if pinned_outside:
        return Reach.OUTSIDE
    if case.grid_id is not None:
        return Reach.LOCAL
    return Reach.OUTSIDE if knows_place(case) else Reach.NO_PLACE


async def _anyone_told(session: AsyncSession, case_id: int) -> bool:
    found = await session.scalar(
        select(OutboxMessage.id)
        .where(OutboxMessage.case_id == case_id, OutboxMessage.kind == "assignment")
        .limit(1)
    )
    return found is not None


# Urgent cases nobody has taken on: a returning staff member must hear of them.
_NOT_TAKEN_ON = (
    CaseStatus.NEW.value,
    CaseStatus.ASSIGNED.value,
    CaseStatus.ESCALATED.value,
    CaseStatus.REOPENED.value,
)


async def alert_missed_urgent(
    session: AsyncSession, staff: User, city: CityConfig, catalog: Catalog, now: datetime
) -> list[str]:
    """Queue an urgent alert (number, place, pin, why it comes late) to `staff` for each
    urgent case of their scope not taken on yet whose alert never reached them (none queued,
    or one that failed). Returns the case numbers, urgent first by age. `now` is aware UTC;
    queues outbox rows, no flush."""
    scope = _scope(staff, city)
    if scope is None:
        return []
    received = exists().where(
        OutboxMessage.case_id == Case.id,
        OutboxMessage.chat_id == staff.telegram_id,
        OutboxMessage.kind == "assignment",
        OutboxMessage.status != "failed",
    )
    missed = (
        await session.scalars(
            select(Case)
            .where(Case.priority == URGENT, Case.status.in_(_NOT_TAKEN_ON), scope, ~received)
            .order_by(URGENT_FIRST, Case.id)
        )
    ).all()
    link = Link.WORKER if staff.role == "worker" else Link.COMMUNITY_SUPERVISOR
    for case in missed:
        placed = knows_place(case)
        why = "delivery.urgent_missed_why" if placed else "delivery.urgent_missed_no_place"
        queue_ping(session, case, Recipient(staff.telegram_id, link, staff), city, catalog, now,
                   emergency=True, why=why)  # fmt: skip
    return [case.number for case in missed]


def _scope(staff: User, city: CityConfig) -> ColumnElement[bool] | None:
    """The cases a staff member answers for, as a condition; None for anyone else."""
    if not staff.active:
        return None
    if staff.role == "worker":
        if staff.grid_id is None:
            return None
        mine = or_(Case.assignee_id.is_(None), Case.assignee_id == staff.id)
        return and_(Case.grid_id == staff.grid_id, mine)
    if staff.role != "supervisor":
        return None
    if staff.community_id is None:
        return Case.id.is_not(None)  # city-wide: every case
    grids = [g.id for g in city.grids.values() if g.community_id == staff.community_id]
    nowhere = and_(Case.grid_id.is_(None), Case.community_id.is_(None))  # any supervisor's
    return or_(
        Case.grid_id.in_(grids),
        and_(Case.grid_id.is_(None), Case.community_id == staff.community_id),
        nowhere,
    )


async def urgent_waiting(session: AsyncSession, worker: User) -> list[str]:
    """The urgent cases waiting unassigned in a worker's grid (services.staff's
    offer_waiting_cases gives them to the worker), by age; [] for anyone else."""
    if worker.role != "worker" or worker.grid_id is None or not worker.active:
        return []
    numbers = await session.scalars(
        select(Case.number)
        .where(
            Case.priority == URGENT,
            Case.status == CaseStatus.NEW.value,
            Case.grid_id == worker.grid_id,
            Case.assignee_id.is_(None),
        )
        .order_by(Case.id)
    )
    return list(numbers)
