"""The coordinator's side of a live call-out: roster, progress, change, cancel, /callouts.

Buttons carry `co:<action>:<call-out id>`; whether the caller may act on that call-out is
decided on the server (`may_coordinate`), never from the button.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callback_data import button_data
from bot.runtime import Runtime
from bot.volunteer_words import VolunteerLabel, button, coordinator_buttons, when_examples
from handlers.callout import people_count
from handlers.common import Caller
from handlers.edge import Turn
from handlers.inputs import InputKind
from handlers.replies import Replies, inline
from handlers.volunteer_common import (
    card_text,
    desk_for,
    is_cancel,
    pressed_callout,
    say_error,
    stale,
    vbuttons,
    vt,
)
from services.volunteers.batch import batch_progress
from services.volunteers.callouts import MAX_NEEDED, load_callout, may_coordinate
from services.volunteers.changes import CallOutChange, cancel_callout, change_callout
from services.volunteers.desk import VolunteerDesk, VolunteerError
from services.volunteers.roster import JOINED, roster
from services.volunteers.watch import progress_values
from services.volunteers.windows import BadWindow, parse_window
from storage.conversations import ConversationRepository
from storage.volunteers import CallOut

CONVERSATION = "callout_change"
FIELDS = ("when", "place", "pin", "needed")
LIST_LIMIT = 10


async def list_callouts(session: AsyncSession, rt: Runtime, caller: Caller, out: Replies) -> None:
    """/callouts: the live call-outs this supervisor may manage, soonest first."""
    desk = desk_for(session, rt)
    lang = caller.lang
    if caller.user.role != "supervisor" or not caller.user.active:
        out.say(vt(desk, lang, "callout.not_supervisor"))
        return
    live = (
        await session.execute(
            select(CallOut)
            .where(CallOut.status == "active", CallOut.ends_at > desk.now)
            .order_by(CallOut.starts_at)
        )
    ).scalars()
    mine = [c for c in live if may_coordinate(caller.user, c)][:LIST_LIMIT]
    if not mine:
        out.say(vt(desk, lang, "manage.none"))
    for callout in mine:
        out.say(
            card_text(desk, lang, callout),
            inline(vbuttons(desk, lang, coordinator_buttons(callout))),
        )


async def on_button(
    session: AsyncSession, rt: Runtime, caller: Caller, data: str, out: Replies
) -> None:
    """`co:ros|prog|chg|x|xx:<id>` and `co:cw:<id>:<field>`."""
    desk = desk_for(session, rt)
    pressed = await pressed_callout(session, data, frozenset({"xx"}))
    if pressed is None:
        stale(desk, caller, out)
        return
    action, callout, rest = pressed
    if not may_coordinate(caller.user, callout):
        out.callback_notice = desk.catalog.t(caller.lang, "error.not_allowed")
        out.say(vt(desk, caller.lang, "manage.not_yours"))
        return
    lang = caller.lang
    try:
        if action == "ros":
            await _show_roster(desk, lang, callout, out)
        elif action == "prog":
            progress = await batch_progress(session, callout.batch_key or "", desk.now)
            out.say(
                vt(
                    desk,
                    lang,
                    "coordinator.progress",
                    title=callout.title,
                    **progress_values(progress),
                )
            )
        elif action == "chg":
            _ensure_live(desk, callout)
            rows = [
                [(vt(desk, lang, f"button.change_{f}"), button_data("co", "cw", callout.id, f))]
                for f in FIELDS
            ]
            out.say(vt(desk, lang, "manage.what_to_change", title=callout.title), inline(rows))
        elif action == "cw" and rest and rest[0] in FIELDS:
            _ensure_live(desk, callout)
            await ConversationRepository(session).save(
                caller.telegram_id, CONVERSATION, rest[0], {"callout_id": callout.id}, desk.now
            )
            examples = when_examples(desk.catalog, lang, desk.now, desk.city.timezone)
            out.say(vt(desk, lang, f"manage.ask_{rest[0]}", examples=examples))
        elif action == "x":
            _ensure_live(desk, callout)
            out.say(
                vt(desk, lang, "manage.confirm_cancel", title=callout.title),
                inline(vbuttons(desk, lang, [[button("cancel_yes", "xx", callout.id)]])),
            )
        elif action == "xx":
            done = await cancel_callout(desk, callout)
            out.say(
                vt(
                    desk,
                    lang,
                    "manage.cancelled",
                    title=callout.title,
                    stopped=done.stopped,
                    told=done.told,
                )
            )
        else:
            stale(desk, caller, out)
    except VolunteerError as error:
        say_error(desk, caller, error, out)


def _ensure_live(desk: VolunteerDesk, callout: CallOut) -> None:
    if callout.status != "active":
        raise VolunteerError("callout.was_cancelled", title=callout.title)
    if desk.now >= callout.ends_at:
        raise VolunteerError("callout.over", title=callout.title)


async def _show_roster(desk: VolunteerDesk, lang: str, callout: CallOut, out: Replies) -> None:
    lines = await roster(desk.session, callout.id)
    on_roster = [line for line in lines if line.status == JOINED]
    waiting = [line for line in lines if line.status != JOINED]
    text = [
        vt(
            desk,
            lang,
            "manage.roster_header",
            title=callout.title,
            joined=len(on_roster),
            needed=callout.needed,
            waitlisted=len(waiting),
        )
    ]
    for i, line in enumerate(on_roster, start=1):
        grid = desk.city.grids.get(line.grid_id or "")
        key = "manage.roster_line_in" if line.checked_in else "manage.roster_line"
        text.append(
            vt(
                desk,
                lang,
                key,
                n=i,
                volunteer=VolunteerLabel(line.volunteer_id, line.display_name),
                grid=grid.name.get(lang) if grid else "-",
                hours=f"{line.hours or 0:g}",
            )
        )
    if waiting:
        text.append(vt(desk, lang, "manage.waitlist_header"))
        text += [
            vt(
                desk,
                lang,
                "manage.waitlist_line",
                n=i,
                volunteer=VolunteerLabel(line.volunteer_id, line.display_name),
            )
            for i, line in enumerate(waiting, start=1)
        ]
    out.say("\n".join(text), inline(vbuttons(desk, lang, coordinator_buttons(callout))))


async def on_text(
    session: AsyncSession, rt: Runtime, caller: Caller, text: str, out: Replies
) -> bool:
    """The new value the coordinator was asked for. False when none was asked."""
    conversations = ConversationRepository(session)
    row = await conversations.load(caller.telegram_id, CONVERSATION)
    if row is None or row.state == "pin":
        return False
    desk, lang, value = desk_for(session, rt), caller.lang, text.strip()
    if is_cancel(desk, value):
        await conversations.clear(caller.telegram_id, CONVERSATION)
        out.say(vt(desk, lang, "manage.change_dropped"))
        return True
    if row.state == "when":
        try:
            start, end = parse_window(value, desk.now, desk.city.timezone)
        except BadWindow:
            examples = when_examples(desk.catalog, lang, desk.now, desk.city.timezone)
            out.say(vt(desk, lang, "wizard.bad_when", examples=examples))
            return True
        change = CallOutChange(starts_at=start, ends_at=end)
    elif row.state == "place":
        change = CallOutChange(place=value)
    else:
        needed = people_count(value)  # "3", "3人", "三个人", "3 people": as the wizard reads it
        if needed is None or not 1 <= needed <= MAX_NEEDED:
            out.say(vt(desk, lang, "callout.bad_needed", limit=MAX_NEEDED))
            return True
        change = CallOutChange(needed=needed)
    await _apply(desk, caller, int(row.data.get("callout_id", 0)), change, out)
    return True


async def on_location(
    session: AsyncSession,
    rt: Runtime,
    caller: Caller,
    lat: float,
    lon: float,
    out: Replies,
) -> bool:
    """A new map pin for a call-out. False when none was asked for."""
    row = await ConversationRepository(session).load(caller.telegram_id, CONVERSATION)
    if row is None or row.state != "pin":
        return False
    desk = desk_for(session, rt)
    change = CallOutChange(latitude=lat, longitude=lon)
    await _apply(desk, caller, int(row.data.get("callout_id", 0)), change, out)
    return True


async def _apply(
    desk: VolunteerDesk,
    caller: Caller,
    callout_id: int,
    change: CallOutChange,
    out: Replies,
) -> None:
    """Re-checks the caller: the conversation row only remembers which call-out was meant."""
    lang = caller.lang
    try:
        callout = await load_callout(desk.session, callout_id, lock=True)
        if not may_coordinate(caller.user, callout):
            raise VolunteerError("manage.not_yours")
        told = await change_callout(desk, callout, change)
    except VolunteerError as error:
        say_error(desk, caller, error, out)
        if error.key in (
            "callout.needed_below_roster",
            "callout.time_past",
            "callout.bad_window",
            "callout.bad_place",
        ):
            return  # let them type another value
        await ConversationRepository(desk.session).clear(caller.telegram_id, CONVERSATION)
        return
    await ConversationRepository(desk.session).clear(caller.telegram_id, CONVERSATION)
    out.say(
        vt(desk, lang, "manage.changed", title=callout.title, told=told)
        + "\n\n"
        + card_text(desk, lang, callout),
        inline(vbuttons(desk, lang, coordinator_buttons(callout))),
    )


async def take(turn: Turn, state: str) -> bool:
    """A typed answer or a map pin this conversation is waiting for."""
    incoming, args = turn.incoming, (turn.session, turn.runtime, turn.caller)
    if incoming.kind is InputKind.LOCATION:
        return await on_location(
            *args, incoming.latitude or 0.0, incoming.longitude or 0.0, turn.out
        )
    return await on_text(*args, incoming.text, turn.out)
