"""After `resolved`: the resident says fixed or not fixed, then evaluates (评价: 满意 /
基本满意 / 不满意, handlers.evaluation)."""

from __future__ import annotations

from datetime import timedelta

from telegram import InlineKeyboardMarkup

from bot.callback_data import CallbackData
from domain.lifecycle import IllegalTransition
from handlers.edge import Turn
from handlers.evaluation import grade_buttons
from handlers.mycases import ask_why_not_fixed
from handlers.replies import inline
from services.cases.actions import (
    AlreadyHandled,
    CaseDesk,
    NotAllowed,
    ReopenWindowClosed,
)


async def on_followup_button(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    pressed = CallbackData.decode(turn.incoming.data)
    t, lang = runtime.catalog.t, caller.lang
    desk = CaseDesk(
        session,
        runtime.city,
        runtime.catalog,
        runtime.clock.now(),
        duty_chat=runtime.settings.duty_chat_id,
    )
    try:
        action, case_id = pressed.action, pressed.int_arg(0)
        if action == "fixed":
            case = await desk.confirm_fixed(caller.user, case_id)
            # 12345 grades (handlers.evaluation); old star buttons still answer below
            rows = grade_buttons(runtime.catalog, lang, case.id)
            out.say(t(lang, "office.evaluation.ask", number=case.number), inline(rows))
        elif action == "notfixed":
            window = timedelta(days=runtime.settings.reopen_window_days)
            case = await desk.not_fixed(caller.user, case_id, window)
            # A follower's "not fixed" is noted and told to staff; the reporter's reopens.
            key = "followup.reopened" if case.status == "reopened" else "delivery.follower_noted"
            out.say(t(lang, key, number=case.number))
            if case.status == "reopened":
                await ask_why_not_fixed(turn, case.id)  # the next text or photo says why
        elif action == "rate":
            case = await desk.rate(caller.user, case_id, pressed.int_arg(1))
            out.say(t(lang, "followup.thanks", number=case.number))
        else:
            raise NotAllowed(action)
        out.new_markup = InlineKeyboardMarkup([])  # each answer once: the pressed buttons go
    except ReopenWindowClosed as late:
        # Says so and points to a new report instead of a bare "expired".
        out.new_markup = InlineKeyboardMarkup([])
        days = f"{late.window.total_seconds() / 86400:g}"
        out.say(t(lang, "privacy.reopen_too_late", number=late.case.number, days=days))
    except AlreadyHandled as stale:
        out.callback_notice = t(lang, "delivery.already_handled")
        out.new_markup = InlineKeyboardMarkup([])
        status = t(lang, f"status.{stale.case.status}")
        out.say(t(lang, "delivery.already_handled_hint", number=stale.case.number, status=status))
    except (NotAllowed, IllegalTransition, ValueError, IndexError):
        out.callback_notice = t(lang, "error.stale_button")
        out.say(t(lang, "error.stale_button_hint"))
