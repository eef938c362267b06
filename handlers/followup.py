"""After `resolved`: the resident says fixed or not fixed, then evaluates (评价: 满意 /
基本满意 / 不满意, handlers.evaluation). The answer may be a button or their own words
("修好了 谢谢", "still broken": handlers.followup_words), read while a case waits for it."""

from __future__ import annotations

from datetime import timedelta

from telegram import InlineKeyboardMarkup

from bot.callback_data import CallbackData, button_data
from domain.lifecycle import IllegalTransition
from handlers import mycases
from handlers.edge import Turn
from handlers.evaluation import grade_buttons
from handlers.followup_words import NOT_FIXED, fixed_or_not
from handlers.inputs import InputKind
from handlers.mycases import ask_why_not_fixed
from handlers.replies import inline
from services.cases.actions import (
    AlreadyHandled,
    CaseDesk,
    NotAllowed,
    ReopenWindowClosed,
)
from storage.conversations import ConversationRepository


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


async def take_typed(turn: Turn) -> bool:
    """Words that answer "fixed?" while a case of theirs waits for it and no step waits for
    their words: the answer's button, for the one case waiting (several: each is asked
    again with its buttons). A "not fixed" in words is also the reason asked after it.
    False when the words are no such answer, name an emergency, or nothing waits."""
    incoming = turn.incoming
    understanding = turn.understanding
    if incoming.kind is not InputKind.TEXT or worker_or_supervisor(turn):
        return False
    if understanding is not None and understanding.cue is not None:
        return False  # "still broken and now the wire is sparking": the alarm comes first
    answer = fixed_or_not(incoming.text)
    if answer is None or not await mycases.awaiting_word(turn):
        return False
    case_id = await mycases.ask_fixed_again(turn)
    if case_id is None:
        return True  # several wait: each was asked again with its buttons
    turn.incoming = incoming.pressed(button_data("fu", answer, case_id))
    await on_followup_button(turn)
    if answer == NOT_FIXED:
        row = await ConversationRepository(turn.session).load(
            turn.caller.telegram_id, mycases.CONVERSATION
        )
        if row is not None and row.state == mycases.WHY:  # the words say why
            turn.incoming = incoming
            await mycases.take(turn, mycases.WHY)
    return True


def worker_or_supervisor(turn: Turn) -> bool:
    """Staff words are work on cases (handlers.staff_work), never a resident's answer."""
    user = turn.caller.user
    return user.role in ("worker", "supervisor") and user.active
