"""Where updates enter the volunteer desk: commands, `vol:`/`co:` buttons, and the hooks
`handlers.registry` calls for typed answers, shared locations and the signup intent.

The hooks run inside the caller's transaction (one session per update), like the worker's.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.callback_data import CallbackData
from bot.runtime import Runtime
from handlers import callout, callout_answer, callout_manage, volunteer
from handlers.common import Caller
from handlers.edge import Turn, edge
from handlers.replies import Replies

_MANAGE = ("ros", "prog", "chg", "cw", "x", "xx")


async def on_volunteer(turn: Turn) -> None:
    await volunteer.start(turn.session, turn.runtime, turn.caller, turn.out)


async def on_myhours(turn: Turn) -> None:
    await callout_answer.my_hours(turn.session, turn.runtime, turn.caller, turn.out)


async def on_callout(turn: Turn) -> None:
    await callout.start(turn.session, turn.runtime, turn.caller, turn.out)


async def on_callouts(turn: Turn) -> None:
    await callout_manage.list_callouts(turn.session, turn.runtime, turn.caller, turn.out)


async def on_volunteer_button(turn: Turn) -> None:
    incoming = turn.incoming
    await volunteer.on_button(
        turn.session, turn.runtime, turn.caller, incoming.data, turn.out, typed=incoming.text
    )


async def on_callout_button(turn: Turn) -> None:
    """`co:w:` is the wizard, `co:ros|prog|chg|cw|x|xx:` the coordinator, the rest volunteers."""
    data = turn.incoming.data
    action = CallbackData.decode(data).action
    args = (turn.session, turn.runtime, turn.caller, data, turn.out)
    if action == "w":
        await callout.on_button(*args)
    elif action in _MANAGE:
        await callout_manage.on_button(*args)
    else:
        await callout_answer.on_button(*args)


def build_volunteer_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("volunteer", edge(on_volunteer), filters=private),
        CommandHandler("myhours", edge(on_myhours), filters=private),
        CommandHandler("callout", edge(on_callout), filters=private),
        CommandHandler("callouts", edge(on_callouts), filters=private),
    ]


# -- hooks for handlers.registry ---------------------------------------------------------


async def on_text(
    session: AsyncSession, runtime: Runtime, caller: Caller, text: str, out: Replies
) -> bool:
    """A typed answer the call-out wizard or a call-out change is waiting for.

    Both are supervisors' conversations, so a resident's message costs no lookup here.
    """
    if caller.user.role != "supervisor":
        return False
    if await callout.on_text(session, runtime, caller, text, out):
        return True
    return await callout_manage.on_text(session, runtime, caller, text, out)


async def on_location(
    session: AsyncSession, runtime: Runtime, caller: Caller, lat: float, lon: float, out: Replies
) -> bool:
    """A map pin for the wizard or a change, else a check-in near an open call-out."""
    if caller.user.role == "supervisor" and (
        await callout.on_location(session, runtime, caller, lat, lon, out)
        or await callout_manage.on_location(session, runtime, caller, lat, lon, out)
    ):
        return True
    return await callout_answer.on_location(session, runtime, caller, lat, lon, out)


async def start_signup(
    session: AsyncSession, runtime: Runtime, caller: Caller, out: Replies
) -> None:
    """The `volunteer_signup` intent: same as /volunteer."""
    await volunteer.start(session, runtime, caller, out)


async def cancel(session: AsyncSession, runtime: Runtime, caller: Caller, out: Replies) -> bool:
    """/cancel: closes an open registration, wizard or change. False when none was open."""
    if await volunteer.cancel(session, runtime, caller, out):
        return True
    return await callout.cancel(session, runtime, caller, out)
