"""After `resolved`: the resident says fixed or not fixed, then rates 1-5 (回访 · 评价)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.domain.lifecycle import IllegalTransition
from bot.services.case_actions import CaseDesk, NotAllowed
from handlers.common import Context, load_caller, rt
from handlers.replies import Replies, inline

STARS = range(1, 6)


async def on_followup_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    runtime, out = rt(context), Replies()
    parts = (query.data or "").split(":")
    async with runtime.db.transaction() as session:
        caller = await load_caller(session, update, runtime)
        t, lang = runtime.catalog.t, caller.lang
        desk = CaseDesk(session, runtime.city, runtime.catalog, runtime.clock.now())
        try:
            action, case_id = parts[1], int(parts[2])
            if action == "fixed":
                case = await desk.confirm_fixed(caller.user, case_id)
                rows = [[(f"{'⭐' * n}", f"fu:rate:{case.id}:{n}") for n in STARS]]
                out.say(t(lang, "followup.ask_rating", number=case.number), inline(rows))
            elif action == "notfixed":
                case = await desk.not_fixed(caller.user, case_id)
                out.say(t(lang, "followup.reopened", number=case.number))
            elif action == "rate":
                case = await desk.rate(caller.user, case_id, int(parts[3]))
                out.say(t(lang, "followup.thanks", number=case.number))
            else:
                raise NotAllowed(action)
        except (NotAllowed, IllegalTransition, ValueError, IndexError):
            out.callback_notice = t(lang, "error.stale_button")
            out.say(t(lang, "error.stale_button_hint"))
    await out.send(update)


def build_followup_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [CallbackQueryHandler(on_followup_button, pattern=r"^fu:")]
