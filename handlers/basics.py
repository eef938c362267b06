"""Commands every resident has: /start, /help, /cancel, /lang, /mycases, and the rest."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.runtime import Runtime
from bot.services.due_text import say_moment
from handlers import report, volunteer_entry
from handlers.common import Caller, Context, load_caller, rt
from handlers.replies import Replies, inline
from storage.repositories import CaseRepository

MY_CASES_LIMIT = 10


async def on_start(update: Update, context: Context) -> None:
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
    out.say(runtime.catalog.t(caller.lang, "chat.welcome"), help_menu(runtime, caller.lang))
    await out.send(update)


async def on_help(update: Update, context: Context) -> None:
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
    out.say(runtime.catalog.t(caller.lang, "chat.help"), help_menu(runtime, caller.lang))
    await out.send(update)


def help_menu(runtime: Runtime, lang: str) -> InlineKeyboardMarkup:
    t = runtime.catalog.t
    return inline(
        [
            [(t(lang, "menu.report"), "menu:report"), (t(lang, "menu.mycases"), "menu:mycases")],
            [(t(lang, "menu.ask"), "menu:ask"), (t(lang, "menu.volunteer"), "menu:volunteer")],
            [(t(lang, "menu.lang"), "menu:lang")],
        ]
    )


async def on_menu_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    choice = (query.data or "").removeprefix("menu:")
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
        t, lang = runtime.catalog.t, caller.lang
        if choice == "mycases":
            await list_my_cases(session, runtime, caller, out)
        elif choice == "lang":
            out.say(t(lang, "lang.choose"), inline([[("中文", "lang:zh"), ("English", "lang:en")]]))
        elif choice == "volunteer":
            await start_volunteering(session, runtime, caller, out)
        elif choice in ("report", "ask"):
            out.say(t(lang, f"menu.{choice}_hint"))
        else:
            out.callback_notice = t(lang, "error.stale_button")
    await out.send(update)


async def start_volunteering(
    session: AsyncSession, runtime: Runtime, caller: Caller, out: Replies
) -> None:
    """Volunteer sign-up entry point (menu button, /volunteer, or the intent)."""
    await volunteer_entry.start_signup(session, runtime, caller, out)


async def _simple(update: Update, context: Context, key: str) -> None:
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
    out.say(runtime.catalog.t(caller.lang, key))
    await out.send(update)


async def on_cancel(update: Update, context: Context) -> None:
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
        if not await volunteer_entry.cancel(session, runtime, caller, out):
            await report.cancel(session, runtime, caller, out)
    await out.send(update)


async def on_lang(update: Update, context: Context) -> None:
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
    out.say(
        runtime.catalog.t(caller.lang, "lang.choose"),
        inline([[("中文", "lang:zh"), ("English", "lang:en")]]),
    )
    await out.send(update)


async def on_lang_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    choice = (query.data or "").removeprefix("lang:")
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
        if choice in ("zh", "en"):
            caller.user.language = choice
            out.say(runtime.catalog.t(choice, "lang.set"))
        else:
            out.callback_notice = runtime.catalog.t(caller.lang, "error.stale_button")
    await out.send(update)


async def on_mycases(update: Update, context: Context) -> None:
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
        await list_my_cases(session, runtime, caller, out)
    await out.send(update)


async def list_my_cases(
    session: AsyncSession, runtime: Runtime, caller: Caller, out: Replies
) -> None:
    t, lang = runtime.catalog.t, caller.lang
    cases = await CaseRepository(session).for_resident(caller.user.id, MY_CASES_LIMIT)
    if not cases:
        out.say(t(lang, "mycases.none"))
        return
    lines = [t(lang, "mycases.header")]
    for case in cases:
        lines.append(
            t(
                lang,
                "mycases.line",
                number=case.number,
                case_type=runtime.city.case_type(case.case_type).name.get(lang),
                status=t(lang, f"status.{case.status}"),
                created=say_moment(
                    runtime.catalog,
                    lang,
                    case.created_at,
                    runtime.city.timezone,
                    runtime.clock.now(),
                ),
            )
        )
    out.say("\n".join(lines))


async def on_report_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
        await report.on_button(session, runtime, caller, query.data or "", out)
    await out.send(update)


async def on_unknown_button(update: Update, context: Context) -> None:
    """A button this bot no longer knows (old message, forged data)."""
    runtime, out = rt(context), Replies()
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
    out.callback_notice = runtime.catalog.t(caller.lang, "error.stale_button")
    out.say(runtime.catalog.t(caller.lang, "error.stale_button_hint"))
    await out.send(update)


async def on_unknown_command(update: Update, context: Context) -> None:
    await _simple(update, context, "error.unknown_command")


def build_basic_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("start", on_start, filters=private),
        CommandHandler("help", on_help, filters=private),
        CommandHandler("cancel", on_cancel, filters=private),
        CommandHandler("lang", on_lang, filters=private),
        CommandHandler("mycases", on_mycases, filters=private),
        CallbackQueryHandler(on_lang_button, pattern=r"^lang:"),
        CallbackQueryHandler(on_menu_button, pattern=r"^menu:"),
        CallbackQueryHandler(on_report_button, pattern=r"^rep:"),
    ]


def build_fallback_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Registered last, so they only see what nothing else took."""
    return [
        MessageHandler(filters.ChatType.PRIVATE & filters.COMMAND, on_unknown_command),
        CallbackQueryHandler(on_unknown_button),
    ]
