"""A resident's data rights: /mydata sends everything held as a file, /forgetme erases it."""

from __future__ import annotations

import json

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.services.privacy import export_user_data, forget_user
from handlers.common import Context, load_caller, rt
from handlers.replies import REMOVE_KEYBOARD, Replies, inline


async def on_mydata(update: Update, context: Context) -> None:
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
        data = await export_user_data(session, caller.user)
    content = json.dumps(data, ensure_ascii=False, indent=2).encode()
    out.document(
        "griddesk-my-data.json", content, runtime.catalog.t(caller.lang, "privacy.mydata_caption")
    )
    await out.send(update)


async def on_forgetme(update: Update, context: Context) -> None:
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
    t, lang = runtime.catalog.t, caller.lang
    out.say(
        t(lang, "privacy.forget_confirm"),
        inline([[(t(lang, "button.erase"), "priv:erase"), (t(lang, "button.keep"), "priv:keep")]]),
    )
    await out.send(update)


async def on_privacy_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
        t, lang = runtime.catalog.t, caller.lang
        if query.data == "priv:erase":
            erased = await forget_user(session, caller.user, runtime.clock.now())
            out.say(t(lang, "privacy.forgotten", cases=erased.cases_anonymised), REMOVE_KEYBOARD)
        else:
            out.say(t(lang, "privacy.kept"))
    await out.send(update)


def build_privacy_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("mydata", on_mydata, filters=private),
        CommandHandler("forgetme", on_forgetme, filters=private),
        CallbackQueryHandler(on_privacy_button, pattern=r"^priv:"),
    ]
