"""The roster of a call-out: joins until full, then a waitlist; a dropout promotes the next.

Every change runs with the call-out row locked (`FOR UPDATE` on PostgreSQL; SQLite has one
writer anyway), so two volunteers pressing Join at once can never both take the last place.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.volunteer_words import card_values, notice, pin, rostered_buttons
from services.volunteers.callouts import load_callout
from services.volunteers.desk import VolunteerDesk, VolunteerError
from storage.models import User
from storage.volunteers import CallOut, CallOutResponse, Volunteer

JOINED, WAITLISTED, DECLINED, DROPPED = "joined", "waitlisted", "declined", "dropped"
ON_ROSTER = (JOINED, WAITLISTED)


@dataclass(frozen=True)
class JoinResult:
    """Where pressing Join put the volunteer."""

    status: str  # JOINED or WAITLISTED
    position: int  # place on the waitlist, from 1; 0 when on the roster
    already: bool  # pressed Join twice: nothing changed


async def response_of(
    session: AsyncSession, callout_id: int, user_id: int
) -> CallOutResponse | None:
    """The user's answer to the call-out; None when they never answered."""
    result = await session.execute(
        select(CallOutResponse).where(
            CallOutResponse.callout_id == callout_id, CallOutResponse.user_id == user_id
        )
    )
    return result.scalar_one_or_none()


async def count(session: AsyncSession, callout_id: int, status: str) -> int:
    """How many answers of the call-out have `status` (JOINED, WAITLISTED...)."""
    result = await session.execute(
        select(func.count()).where(
            CallOutResponse.callout_id == callout_id, CallOutResponse.status == status
        )
    )
    return int(result.scalar_one())


async def waitlist_position(session: AsyncSession, entry: CallOutResponse) -> int:
    """The waitlisted entry's place in line, from 1 (asserts it is waitlisted)."""
    assert entry.waitlisted_at is not None
    ahead = await session.execute(
        select(func.count()).where(
            CallOutResponse.callout_id == entry.callout_id,
            CallOutResponse.status == WAITLISTED,
            (CallOutResponse.waitlisted_at < entry.waitlisted_at)
            | (
                (CallOutResponse.waitlisted_at == entry.waitlisted_at)
                & (CallOutResponse.id < entry.id)
            ),
        )
    )
    return int(ahead.scalar_one()) + 1


def _check_open(desk: VolunteerDesk, callout: CallOut) -> None:
    if callout.status != "active":
        raise VolunteerError("callout.was_cancelled", title=callout.title)
    if desk.now >= callout.ends_at:
        raise VolunteerError("callout.over", title=callout.title)


async def join(
    desk: VolunteerDesk, callout: CallOut, user: User, volunteer: Volunteer
) -> JoinResult:
    """Take a place, or the end of the waitlist once the roster is full; pressing twice
    changes nothing (`already`). No flush.

    Raises:
        VolunteerError: the call-out is cancelled or over.
    """
    _check_open(desk, callout)
    session, now = desk.session, desk.now
    entry = await response_of(session, callout.id, user.id)
    if entry is not None and entry.status == JOINED:
        return JoinResult(JOINED, 0, already=True)
    if entry is not None and entry.status == WAITLISTED:
        return JoinResult(WAITLISTED, await waitlist_position(session, entry), already=True)
    if await count(session, callout.id, WAITLISTED):
        await fill_from_waitlist(desk, callout)  # places freed by a change go to those waiting
    joined = await count(session, callout.id, JOINED)
    waiting = await count(session, callout.id, WAITLISTED)
    if entry is None:
        entry = CallOutResponse(callout_id=callout.id, user_id=user.id, promoted=False)
        session.add(entry)
    entry.responded_at, entry.grid_id = now, volunteer.grid_id
    callout.roster_changed_at = now
    if joined < callout.needed:
        entry.status, entry.rostered_at, entry.waitlisted_at = JOINED, now, None
        if joined + 1 == callout.needed:
            await _tell_full(desk, callout)
        return JoinResult(JOINED, 0, already=False)
    entry.status, entry.waitlisted_at, entry.rostered_at = WAITLISTED, now, None
    return JoinResult(WAITLISTED, waiting + 1, already=False)


async def decline(desk: VolunteerDesk, callout: CallOut, user: User) -> str | None:
    """ "Can't make it". From the roster or waitlist this is a dropout: returns the status
    left (JOINED or WAITLISTED), or None when it was a plain no.

    Raises:
        VolunteerError: the call-out is cancelled or over, or (as drop) already checked in.
    """
    _check_open(desk, callout)
    entry = await response_of(desk.session, callout.id, user.id)
    if entry is not None and entry.status in ON_ROSTER:
        return await drop(desk, callout, user)
    if entry is None:
        entry = CallOutResponse(callout_id=callout.id, user_id=user.id, promoted=False)
        entry.status, entry.responded_at = DECLINED, desk.now
        desk.session.add(entry)
    else:
        entry.status, entry.responded_at = DECLINED, desk.now
    return None


async def drop(desk: VolunteerDesk, callout: CallOut, user: User) -> str | None:
    """Leave the roster or waitlist; a freed place goes to the first on the waitlist.

    Returns the status left (JOINED or WAITLISTED), None when the user was on neither.
    Flushes when a place is freed.

    Raises:
        VolunteerError: the call-out is cancelled or over, or the user already checked in.
    """
    _check_open(desk, callout)
    entry = await response_of(desk.session, callout.id, user.id)
    if entry is None or entry.status not in ON_ROSTER:
        return None
    if entry.checked_in_at is not None:
        raise VolunteerError("roster.already_checked_in", title=callout.title)
    left = entry.status
    entry.status, entry.responded_at = DROPPED, desk.now
    callout.roster_changed_at = desk.now
    if left == JOINED:
        await desk.session.flush()
        if not await fill_from_waitlist(desk, callout):
            callout.full_told_at = None
            joined = await count(desk.session, callout.id, JOINED)
            await desk.tell_coordinator(
                callout, "coordinator.dropped", joined=joined, needed=callout.needed
            )
    return left


async def fill_from_waitlist(desk: VolunteerDesk, callout: CallOut) -> list[CallOutResponse]:
    """Promote from the waitlist, first come first served, into any free places; tell them.
    Returns the promoted entries ([] when no place is free or nobody waits)."""
    session = desk.session
    free = callout.needed - await count(session, callout.id, JOINED)
    if free <= 0:
        return []
    promoted = list(
        (
            await session.execute(
                select(CallOutResponse)
                .where(
                    CallOutResponse.callout_id == callout.id,
                    CallOutResponse.status == WAITLISTED,
                )
                .order_by(CallOutResponse.waitlisted_at, CallOutResponse.id)
                .limit(free)
            )
        ).scalars()
    )
    for entry in promoted:
        entry.status, entry.rostered_at, entry.promoted = JOINED, desk.now, True
        user = await session.get(User, entry.user_id)
        if user is not None:
            promoted_notice = notice(
                "roster.promoted",
                card_values(callout, desk.config.skills),
                buttons=rostered_buttons(callout.id),
                location=pin(callout),
            )
            desk.tell(user, promoted_notice)
    if promoted:
        callout.roster_changed_at = desk.now
        if len(promoted) == free:
            await _tell_full(desk, callout)
    return promoted


async def _tell_full(desk: VolunteerDesk, callout: CallOut) -> None:
    if callout.full_told_at is None:
        callout.full_told_at = desk.now
        await desk.tell_coordinator(callout, "coordinator.full", needed=callout.needed)


async def leave_upcoming(desk: VolunteerDesk, user: User) -> int:
    """On withdrawal: off every roster and waitlist of call-outs still to come (not those
    already checked in); returns how many were left."""
    entries = (
        await desk.session.execute(
            select(CallOutResponse.callout_id)
            .join(CallOut, CallOut.id == CallOutResponse.callout_id)
            .where(
                CallOutResponse.user_id == user.id,
                CallOutResponse.status.in_(ON_ROSTER),
                CallOutResponse.checked_in_at.is_(None),
                CallOut.status == "active",
                CallOut.ends_at > desk.now,
            )
        )
    ).scalars()
    left = 0
    for callout_id in list(entries):
        callout = await load_callout(desk.session, callout_id, lock=True)
        left += await drop(desk, callout, user) is not None
    return left


@dataclass(frozen=True)
class RosterLine:
    """One line of the coordinator's roster; `hours` credited at check-in, None before."""

    volunteer_id: int
    grid_id: str | None
    status: str
    checked_in: bool
    hours: float | None
    display_name: str | None = None  # None: registered before names were asked


async def roster(session: AsyncSession, callout_id: int) -> list[RosterLine]:
    """The roster, then the waitlist in order: what the coordinator sees."""
    rows = await session.execute(
        select(CallOutResponse, Volunteer.id, Volunteer.display_name)
        .join(Volunteer, Volunteer.user_id == CallOutResponse.user_id)
        .where(CallOutResponse.callout_id == callout_id, CallOutResponse.status.in_(ON_ROSTER))
        .order_by(
            CallOutResponse.status,  # "joined" sorts before "waitlisted"
            CallOutResponse.rostered_at,
            CallOutResponse.waitlisted_at,
            CallOutResponse.id,
        )
    )
    return [
        RosterLine(
            vid, entry.grid_id, entry.status, entry.checked_in_at is not None, entry.hours, name
        )
        for entry, vid, name in rows
    ]
