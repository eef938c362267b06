"""Check-in, hours and points: the record that turns a call-out into recognised work.

Hours are credited at check-in, from the later of check-in and start to the scheduled end,
rounded to the quarter hour: volunteers should not have to remember to check out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from config import geo
from services.volunteers.desk import VolunteerDesk, VolunteerError
from storage.models import User
from storage.volunteers import CallOut, CallOutResponse

BUTTON, LOCATION = "button", "location"


@dataclass(frozen=True)
class CheckIn:
    """A check-in's credit: hours (quarter hours), points, and whether it was already done."""

    hours: float
    points: int
    already: bool


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points given latitude first
    (config.geo.distance_m): plenty for "is the volunteer at the place"."""
    return geo.distance_m((lon1, lat1), (lon2, lat2))


def hours_for(callout: CallOut, at: datetime) -> float:
    """Hours credited for checking in at aware `at`: from the later of `at` and the start to
    the scheduled end, rounded to the quarter hour; 0.0 at or after the end."""
    served = callout.ends_at - max(at, callout.starts_at)
    return max(0.0, round(served / timedelta(hours=1) * 4) / 4)


def check_in_opens(desk: VolunteerDesk, callout: CallOut) -> datetime:
    """When check-in opens (aware UTC): the configured time before the start."""
    return callout.starts_at - desk.config.check_in_opens_before


async def check_in(
    desk: VolunteerDesk, callout: CallOut, user: User, method: str = BUTTON
) -> CheckIn:
    """Record attendance once at `desk.now`; refuse outside the window or for someone not on
    the roster. `method` is BUTTON or LOCATION. A second check-in returns the first's credit
    with `already` set. No flush.

    Raises:
        VolunteerError: not on the roster, call-out cancelled, too early (the opening time in
            the city's local time fills the text), or too late.
    """
    entry = (
        await desk.session.execute(
            select(CallOutResponse).where(
                CallOutResponse.callout_id == callout.id, CallOutResponse.user_id == user.id
            )
        )
    ).scalar_one_or_none()
    if entry is None or entry.status != "joined":
        raise VolunteerError("checkin.not_on_roster", title=callout.title)
    if entry.checked_in_at is not None:
        return CheckIn(entry.hours or 0.0, entry.points or 0, already=True)
    if callout.status != "active":
        raise VolunteerError("callout.was_cancelled", title=callout.title)
    opens = check_in_opens(desk, callout)
    if desk.now < opens:
        local = opens.astimezone(desk.city.timezone)
        raise VolunteerError("checkin.too_early", title=callout.title, opens=f"{local:%H:%M}")
    if desk.now >= callout.ends_at:
        raise VolunteerError("checkin.too_late", title=callout.title)
    hours = hours_for(callout, desk.now)
    points = desk.config.points_per_check_in + round(hours * desk.config.points_per_hour)
    entry.checked_in_at, entry.check_in_method = desk.now, method
    entry.hours, entry.points = hours, points
    callout.roster_changed_at = desk.now
    return CheckIn(hours, points, already=False)


@dataclass(frozen=True)
class Nearby:
    """A call-out open for check-in and its distance in metres from the shared location."""

    callout: CallOut
    distance_m: float


async def open_for_check_in(desk: VolunteerDesk, user: User) -> list[CallOut]:
    """Call-outs the user is rostered on whose check-in window is open at `desk.now` and that
    have a pin, earliest start first."""
    now = desk.now
    rows = await desk.session.execute(
        select(CallOut)
        .join(CallOutResponse, CallOutResponse.callout_id == CallOut.id)
        .where(
            CallOutResponse.user_id == user.id,
            CallOutResponse.status == "joined",
            CallOut.status == "active",
            CallOut.starts_at <= now + desk.config.check_in_opens_before,
            CallOut.ends_at > now,
            CallOut.latitude.is_not(None),
        )
        .order_by(CallOut.starts_at)
    )
    return list(rows.scalars())


async def by_location(desk: VolunteerDesk, user: User, lat: float, lon: float) -> list[Nearby]:
    """Open call-outs and how far the shared location (WGS84 degrees) is from each pin, in
    metres, nearest first."""
    found = []
    for callout in await open_for_check_in(desk, user):
        assert callout.latitude is not None and callout.longitude is not None
        found.append(Nearby(callout, distance_m(lat, lon, callout.latitude, callout.longitude)))
    return sorted(found, key=lambda n: n.distance_m)


@dataclass(frozen=True)
class Served:
    """A volunteer's record: call-outs checked in to, hours, points."""

    callouts: int
    hours: float
    points: int


async def served(session: AsyncSession, user_id: int, since: datetime | None = None) -> Served:
    """Totals over the user's check-ins, since aware `since` (None: ever); zeros for none."""
    query = select(
        func.count(CallOutResponse.id),
        func.coalesce(func.sum(CallOutResponse.hours), 0.0),
        func.coalesce(func.sum(CallOutResponse.points), 0),
    ).where(CallOutResponse.user_id == user_id, CallOutResponse.checked_in_at.is_not(None))
    if since is not None:
        query = query.where(CallOutResponse.checked_in_at >= since)
    n, hours, points = (await session.execute(query)).one()
    return Served(int(n), float(hours or 0), int(points or 0))


async def recent_service(
    session: AsyncSession, user_id: int, limit: int = 5
) -> list[tuple[CallOut, CallOutResponse]]:
    """The user's latest `limit` checked-in call-outs with their answers, newest first."""
    rows = await session.execute(
        select(CallOut, CallOutResponse)
        .join(CallOutResponse, CallOutResponse.callout_id == CallOut.id)
        .where(CallOutResponse.user_id == user_id, CallOutResponse.checked_in_at.is_not(None))
        .order_by(CallOutResponse.checked_in_at.desc())
        .limit(limit)
    )
    return [(c, r) for c, r in rows]
