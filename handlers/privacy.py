"""A person's data rights: /mydata shows their own data (a summary and a file), /forgetme
erases it (withdrawing open cases first)."""

from __future__ import annotations

import json

from telegram.ext import BaseHandler, CommandHandler, filters

from bot.callback_data import button_data
from bot.privacy_summary import render_summary
from config.volunteers import volunteer_config
from handlers.edge import Turn, edge
from handlers.replies import REMOVE_KEYBOARD, inline
from services.privacy.erasure import (
    TOUCHED_TABLES,
    forget_user,
    is_live_emergency,
    open_reports_of,
)
from services.privacy.export import export_user_data
from storage.compaction import compact_after_commit


async def on_mydata(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    data = await export_user_data(session, caller.user)
    skills = volunteer_config(runtime.settings.config_dir)
    for message in render_summary(data, runtime.city, runtime.catalog, caller.lang, skills):
        out.say(message)
    content = json.dumps(data, ensure_ascii=False, indent=2).encode()
    out.document(
        "griddesk-my-data.json", content, runtime.catalog.t(caller.lang, "privacy.mydata_caption")
    )


async def on_forgetme(turn: Turn) -> None:
    runtime, caller, out = turn.runtime, turn.caller, turn.out
    t, lang = runtime.catalog.t, caller.lang
    reported = await open_reports_of(turn.session, caller.user)
    live = [c.number for c in reported if is_live_emergency(c)]  # stays open for responders
    open_cases = [c for c in reported if not is_live_emergency(c)]
    if open_cases:
        # Withdraw before forget: a worker may be on them, and erasing leaves nothing to act on.
        numbers = ", ".join(c.number for c in open_cases)
        text = t(lang, "privacy.forget_open_cases", count=len(open_cases), numbers=numbers)
        erase = t(lang, "privacy.button.withdraw_and_erase")
    else:
        text, erase = t(lang, "privacy.forget_confirm"), t(lang, "button.erase")
    if live:
        text = t(lang, "privacy.forget_live_urgent", numbers=", ".join(live)) + "\n\n" + text
    out.say(
        text,
        inline(
            [
                [
                    (erase, button_data("priv", "erase")),
                    (t(lang, "button.keep"), button_data("priv", "keep")),
                ]
            ]
        ),
    )


async def on_privacy_button(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    t, lang = runtime.catalog.t, caller.lang
    if turn.incoming.data == button_data("priv", "erase"):
        erased = await forget_user(
            session, caller.user, runtime.clock.now(), runtime.city, runtime.catalog,
            volunteer_config(runtime.settings.config_dir),
        )  # fmt: skip
        # The erased bytes leave the database files too, once this transaction commits.
        compact_after_commit(session, runtime.db, TOUCHED_TABLES)
        out.say(
            t(
                lang,
                "privacy.forgotten_withdrawn" if erased.cases_withdrawn else "privacy.forgotten",
                cases=erased.cases_anonymised,
                withdrawn=erased.cases_withdrawn,
            ),
            REMOVE_KEYBOARD,
        )
        if erased.live_urgent:  # what stays, and why, said after what went
            numbers = ", ".join(erased.live_urgent)
            out.say(t(lang, "privacy.forgotten_live_urgent", numbers=numbers))
    else:
        out.say(t(lang, "privacy.kept"))


def build_privacy_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("mydata", edge(on_mydata), filters=private),
        CommandHandler("forgetme", edge(on_forgetme), filters=private),
    ]
