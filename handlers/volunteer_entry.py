"""Where updates enter the volunteer desk: commands, `vol:`/`co:` buttons, and the hooks
`handlers.messages` calls for typed answers, shared locations and the signup intent.

The hooks run inside the caller's transaction (one session per update), like the worker's.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.runtime import Runtime
from handlers import callout, callout_answer, callout_manage, volunteer
from handlers.common import Caller, Context, load_caller, rt
from handlers.replies import Replies
from handlers.volunteer_common import VolunteerReplies

Step = Callable[[AsyncSession, Runtime, Caller, Replies], Awaitable[object]]
_MANAGE = ("ros", "prog", "chg", "cw", "x", "xx")


async def _run(update: Update, context: Context, step: Step) -> None:
    runtime, out = rt(context), VolunteerReplies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
        await step(session, runtime, caller, out)
    await out.send(update)


async def on_volunteer(update: Update, context: Context) -> None:
    await _run(update, context, volunteer.start)


async def on_myhours(update: Update, context: Context) -> None:
    await _run(update, context, callout_answer.my_hours)


async def on_callout(update: Update, context: Context) -> None:
    await _run(update, context, callout.start)


async def on_callouts(update: Update, context: Context) -> None:
    await _run(update, context, callout_manage.list_callouts)


async def on_volunteer_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    runtime, out = rt(context), VolunteerReplies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
        await volunteer.on_button(session, runtime, caller, query.data or "", out)
    await out.send(update)


async def on_callout_button(update: Update, context: Context) -> None:
    """`co:w:` is the wizard, `co:ros|prog|chg|cw|x|xx:` the coordinator, the rest volunteers."""
    query = update.callback_query
    assert query is not None
    data = query.data or ""
    action = data.split(":")[1] if data.count(":") else ""
    runtime, out = rt(context), VolunteerReplies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
        if action == "w":
            await callout.on_button(session, runtime, caller, data, out)
        elif action in _MANAGE:
            await callout_manage.on_button(session, runtime, caller, data, out)
        else:
            await callout_answer.on_button(session, runtime, caller, data, out)
    await out.send(update)


def build_volunteer_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("volunteer", on_volunteer, filters=private),
        CommandHandler("myhours", on_myhours, filters=private),
        CommandHandler("callout", on_callout, filters=private),
        CommandHandler("callouts", on_callouts, filters=private),
        CallbackQueryHandler(on_volunteer_button, pattern=r"^vol:"),
        CallbackQueryHandler(on_callout_button, pattern=r"^co:"),
    ]


# -- hooks for handlers.messages ---------------------------------------------------------


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
