"""A volunteer answering a call-out: join, can't make it, map, drop out, check in; /myhours.

Buttons carry `co:<action>:<call-out id>`; the call-out must have been meant for the caller
and the caller must be a registered volunteer, both checked here from the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.runtime import Runtime
from bot.volunteer_words import CallOutWindow, button, card_values, pin, rostered_buttons
from handlers.common import Caller
from handlers.replies import Replies, inline
from handlers.volunteer_common import desk_for, pressed_callout, say_error, stale, vbuttons, vt
from services.volunteers.attendance import (
    LOCATION,
    by_location,
    check_in,
    recent_service,
    served,
)
from services.volunteers.callouts import eligible, may_coordinate
from services.volunteers.desk import VolunteerDesk, VolunteerError
from services.volunteers.profiles import active_volunteer, profile_of
from services.volunteers.roster import JOINED, WAITLISTED, decline, drop, join
from storage.volunteers import CallOut


async def on_button(
    session: AsyncSession, rt: Runtime, caller: Caller, data: str, out: Replies
) -> None:
    """`co:j|n|map|drop|in:<id>`."""
    desk = desk_for(session, rt)
    pressed = await pressed_callout(session, data, frozenset({"j", "n", "drop"}))
    if pressed is None:
        stale(desk, caller, out)
        return
    action, callout, _ = pressed
    try:
        if action == "map":
            # The place and pin only to whom the call-out was meant for, or its coordinator.
            if not await _may_see_place(desk, caller, callout):
                raise VolunteerError("answer.not_for_you")
            out.pin(pin(callout))
            out.say(vt(desk, caller.lang, "answer.map", place=callout.place))
        else:
            await _answer(desk, caller, callout, action, out)
    except VolunteerError as error:
        say_error(desk, caller, error, out)


async def _may_see_place(desk: VolunteerDesk, caller: Caller, callout: CallOut) -> bool:
    if may_coordinate(caller.user, callout):
        return True
    volunteer = await active_volunteer(desk.session, caller.user)
    if volunteer is None:
        return False
    profile = await profile_of(desk.session, caller.user)
    return eligible(desk.city, callout, volunteer, profile.skills if profile else [])


async def _answer(
    desk: VolunteerDesk, caller: Caller, callout: CallOut, action: str, out: Replies
) -> None:
    lang, user = caller.lang, caller.user
    volunteer = await active_volunteer(desk.session, user)
    if volunteer is None:
        raise VolunteerError("answer.not_volunteer")
    profile = await profile_of(desk.session, user)
    skills = profile.skills if profile else []
    values = card_values(callout, desk.config.skills)
    if action == "j":
        if not eligible(desk.city, callout, volunteer, skills):
            raise VolunteerError("answer.not_for_you")
        result = await join(desk, callout, user, volunteer)
        if result.status == JOINED:
            key = "answer.already_joined" if result.already else "answer.joined"
            out.say(
                vt(desk, lang, key, **values),
                inline(vbuttons(desk, lang, rostered_buttons(callout.id))),
            )
            out.pin(pin(callout))
        else:
            key = "answer.already_waitlisted" if result.already else "answer.waitlisted"
            drop_row = vbuttons(desk, lang, [[button("leave_waitlist", "drop", callout.id)]])
            out.say(vt(desk, lang, key, position=result.position, **values), inline(drop_row))
    elif action in ("n", "drop"):
        if action == "n":
            left = await decline(desk, callout, user)
        else:
            left = await drop(desk, callout, user)
        key = {
            JOINED: "answer.dropped",
            WAITLISTED: "answer.left_waitlist",
            None: "answer.declined" if action == "n" else "answer.not_on_roster",
        }[left]
        out.say(vt(desk, lang, key, **values))
    elif action == "in":
        await _check_in_button(desk, caller, callout, out)
    else:
        raise VolunteerError("answer.unknown")


async def _check_in_button(
    desk: VolunteerDesk, caller: Caller, callout: CallOut, out: Replies
) -> None:
    lang = caller.lang
    done = await check_in(desk, callout, caller.user)
    key = "checkin.already" if done.already else "checkin.done"
    out.say(vt(desk, lang, key, title=callout.title, hours=f"{done.hours:g}", points=done.points))


async def on_location(
    session: AsyncSession,
    rt: Runtime,
    caller: Caller,
    lat: float,
    lon: float,
    out: Replies,
) -> bool:
    """Check-in by a shared location near the pin during the window. False when the user
    has no call-out open for check-in (the location is then someone else's business)."""
    desk = desk_for(session, rt)
    nearby = await by_location(desk, caller.user, lat, lon)
    if not nearby:
        return False
    closest = nearby[0]
    lang = caller.lang
    if closest.distance_m > desk.config.check_in_radius_m:
        out.say(
            vt(
                desk,
                lang,
                "checkin.too_far",
                title=closest.callout.title,
                distance=round(closest.distance_m),
            ),
            inline(vbuttons(desk, lang, [[button("check_in", "in", closest.callout.id)]])),
        )
        return True
    try:
        done = await check_in(desk, closest.callout, caller.user, LOCATION)
    except VolunteerError as error:
        say_error(desk, caller, error, out)
        return True
    key = "checkin.already" if done.already else "checkin.done"
    out.say(
        vt(
            desk,
            lang,
            key,
            title=closest.callout.title,
            hours=f"{done.hours:g}",
            points=done.points,
        )
    )
    return True


async def my_hours(session: AsyncSession, rt: Runtime, caller: Caller, out: Replies) -> None:
    """/myhours: all-time and this month's hours and points, and the latest call-outs served."""
    desk = desk_for(session, rt)
    lang, user = caller.lang, caller.user
    if await profile_of(session, user) is None:
        out.say(vt(desk, lang, "hours.not_volunteer"))
        return
    total = await served(session, user.id)
    month = await served(session, user.id, since=_month_start(desk))
    lines = [
        vt(
            desk,
            lang,
            "hours.summary",
            hours=f"{total.hours:g}",
            points=total.points,
            callouts=total.callouts,
            month_hours=f"{month.hours:g}",
            month_points=month.points,
        )
    ]
    for callout, entry in await recent_service(session, user.id):
        lines.append(
            vt(
                desk,
                lang,
                "hours.line",
                title=callout.title,
                when=CallOutWindow(callout.starts_at, callout.ends_at),
                hours=f"{entry.hours or 0:g}",
                points=entry.points or 0,
            )
        )
    out.say("\n".join(lines))


def _month_start(desk: VolunteerDesk) -> datetime:
    local = desk.now.astimezone(desk.city.timezone)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
