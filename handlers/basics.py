"""Commands every resident has: /start, /help, /cancel, /lang, /mycases, and the rest."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.callback_data import CallbackData, button_data
from bot.runtime import Runtime
from handlers import (
    emergency,
    mycases,
    report_draft,
    report_questions,
    report_steps,
    report_submit,
    volunteer_entry,
    waiting,
)
from handlers.common import Caller
from handlers.edge import Turn, edge
from handlers.replies import Replies, inline


async def on_start(turn: Turn) -> None:
    runtime, caller, out = turn.runtime, turn.caller, turn.out
    out.say(runtime.catalog.t(caller.lang, "chat.welcome"), help_menu(runtime, caller.lang))
    out.aside = True  # the open step's question stands


async def on_help(turn: Turn) -> None:
    runtime, caller, out = turn.runtime, turn.caller, turn.out
    out.say(runtime.catalog.t(caller.lang, "chat.help"), help_menu(runtime, caller.lang))
    out.aside = True


def help_menu(runtime: Runtime, lang: str) -> InlineKeyboardMarkup:
    t = runtime.catalog.t
    return inline(
        [
            [
                (t(lang, "menu.report"), button_data("menu", "report")),
                (t(lang, "menu.mycases"), button_data("menu", "mycases")),
            ],
            [
                (t(lang, "menu.ask"), button_data("menu", "ask")),
                (t(lang, "menu.volunteer"), button_data("menu", "volunteer")),
            ],
            [(t(lang, "menu.lang"), button_data("menu", "lang"))],
        ]
    )


async def on_menu_button(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    choice = CallbackData.decode(turn.incoming.data).action
    t, lang = runtime.catalog.t, caller.lang
    if choice == "mycases":
        await list_my_cases(session, runtime, caller, out)
    elif choice == "lang":
        out.say(
            t(lang, "lang.choose"),
            inline([[("中文", button_data("lang", "zh")), ("English", button_data("lang", "en"))]]),
        )
    elif choice == "volunteer":
        await start_volunteering(session, runtime, caller, out)
    elif choice in ("report", "ask"):
        out.say(t(lang, f"menu.{choice}_hint"))
    else:
        out.callback_notice = t(lang, "error.stale_button")


async def start_volunteering(
    session: AsyncSession, runtime: Runtime, caller: Caller, out: Replies
) -> None:
    """Volunteer sign-up entry point (menu button, /volunteer, or the intent)."""
    await volunteer_entry.start_signup(session, runtime, caller, out)


async def on_cancel(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    if await volunteer_entry.cancel(session, runtime, caller, out):
        return
    if await waiting.cancel_typed_wait(turn):
        return
    opened = await report_draft.load_draft(session, caller)
    if opened is not None and opened[1].emergency:
        await emergency.on_cancel(turn, opened[1])
    else:
        await report_submit.cancel(session, runtime, caller, out)
        if opened is not None:
            await report_questions.bring_next_up(turn, opened[1])  # the other one waited


async def on_lang(turn: Turn) -> None:
    runtime, caller, out = turn.runtime, turn.caller, turn.out
    out.say(
        runtime.catalog.t(caller.lang, "lang.choose"),
        inline([[("中文", button_data("lang", "zh")), ("English", button_data("lang", "en"))]]),
    )


async def switch_language(turn: Turn, chosen: str) -> None:
    """Asked for in words ("请用中文", "English please"): as the /lang button does, and an open
    report's step is shown again in that language."""
    turn.caller.user.language = chosen
    turn.caller.lang = chosen
    turn.out.say(turn.runtime.catalog.t(chosen, "lang.set"))
    opened = await report_draft.load_draft(turn.session, turn.caller)
    if opened is not None:
        await report_steps.remind(turn, *opened)


async def on_lang_button(turn: Turn) -> None:
    runtime, caller, out = turn.runtime, turn.caller, turn.out
    choice = CallbackData.decode(turn.incoming.data).action
    if choice in ("zh", "en"):
        caller.user.language = choice
        out.say(runtime.catalog.t(choice, "lang.set"))
    else:
        out.callback_notice = runtime.catalog.t(caller.lang, "error.stale_button")


async def on_mycases(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    await list_my_cases(session, runtime, caller, out)


async def list_my_cases(
    session: AsyncSession, runtime: Runtime, caller: Caller, out: Replies
) -> None:
    """Paged, newest first, each case opening to its detail (handlers.mycases)."""
    await mycases.show_my_cases(session, runtime, caller, out)


async def on_unknown_button(turn: Turn) -> None:
    """A button this bot no longer knows (old message, forged data)."""
    runtime, caller, out = turn.runtime, turn.caller, turn.out
    out.callback_notice = runtime.catalog.t(caller.lang, "error.stale_button")
    out.say(runtime.catalog.t(caller.lang, "error.stale_button_hint"))


async def on_unknown_command(turn: Turn) -> None:
    turn.out.say(turn.t("error.unknown_command"))


def build_basic_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("start", edge(on_start), filters=private),
        CommandHandler("help", edge(on_help), filters=private),
        CommandHandler("cancel", edge(on_cancel), filters=private),
        CommandHandler(["lang", "language"], edge(on_lang), filters=private),
        CommandHandler("mycases", edge(on_mycases), filters=private),
    ]


def build_fallback_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Registered last, so they only see what nothing else took."""
    return [MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, edge(on_unknown_command))]
