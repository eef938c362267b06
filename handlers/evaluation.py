"""12345 evaluation through the bot: the resident grades 满意 / 基本满意 / 不满意 and may add a
comment; a supervisor records the 回访 (call-back) an unsatisfied grade opened.

Buttons: `ev:g:<case>:<s|b|u>` grade, `ev:c:<evaluation>` write a comment, `ev:n:<evaluation>`
no comment; `rv:<evaluation>` the supervisor's "record the call-back". The comment and the
outcome are the next text, held by the conversations COMMENT and REVISIT.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.callback_data import CallbackData, button_data
from bot.due_text import say_due
from bot.i18n import Catalog
from handlers.common import Caller
from handlers.edge import Turn
from handlers.replies import inline
from services.cases.actions import NotAllowed, in_supervisor_scope, load_case
from services.cases.evaluation import (
    REVISIT_SLA,
    AlreadyEvaluated,
    add_comment,
    evaluate,
    record_revisit,
)
from services.statistics.kpi import BASICALLY_SATISFIED, SATISFIED, UNSATISFIED
from storage.conversations import ConversationRepository
from storage.models import Case, Evaluation

COMMENT = "evaluation"  # conversation: the resident's comment
REVISIT = "revisit"  # conversation: the supervisor's call-back outcome
WAITING = "waiting"
SHORT = {"s": SATISFIED, "b": BASICALLY_SATISFIED, "u": UNSATISFIED}


def grade_buttons(catalog: Catalog, lang: str, case_id: int) -> list[list[tuple[str, str]]]:
    """The three 12345 grades, one row each so the long English labels fit a phone."""
    return [
        [
            (
                catalog.t(lang, f"office.evaluation.button.{grade}"),
                button_data("ev", "g", case_id, short),
            )
        ]
        for short, grade in SHORT.items()
    ]


def is_supervisor(caller: Caller) -> bool:
    return caller.user.role == "supervisor"


async def on_evaluation_button(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    pressed = CallbackData.decode(turn.incoming.data)
    now = runtime.clock.now()
    try:
        if pressed.action == "g":
            case, evaluation = await evaluate(
                session, caller.user, pressed.int_arg(0), SHORT[pressed.arg(1)], runtime.city,
                runtime.catalog, now, runtime.settings.duty_chat_id,
            )  # fmt: skip
            grade = turn.t(f"evaluation.grade.{evaluation.grade}")
            lines = [turn.t("office.evaluation.thanks", number=case.number, grade=grade)]
            if evaluation.revisit_due_at is not None:
                due = say_due(runtime.catalog, turn.lang, evaluation.revisit_due_at,
                              REVISIT_SLA, runtime.city.timezone, now)  # fmt: skip
                # a call-back by phone only where the case has a number; else here in the chat
                key = "revisit_promised" if case.contact_phone else "revisit_promised_chat"
                lines.append(turn.t(f"office.evaluation.{key}", due=due))
            lines.append(turn.t("office.evaluation.offer_comment"))
            rows = [[
                (
                    turn.t("office.evaluation.comment_button"),
                    button_data("ev", "c", evaluation.id),
                ),
                (
                    turn.t("office.evaluation.no_comment_button"),
                    button_data("ev", "n", evaluation.id),
                ),
            ]]  # fmt: skip
            out.say("\n".join(lines), inline(rows))
            # Words typed next are the comment, as after "add a comment" ("no comment" ends it).
            await ConversationRepository(session).save(
                caller.telegram_id, COMMENT, WAITING, {"evaluation": evaluation.id}, now
            )
        elif pressed.action == "c":
            await ConversationRepository(session).save(
                caller.telegram_id, COMMENT, WAITING, {"evaluation": pressed.int_arg(0)}, now
            )
            out.say(turn.t("office.evaluation.ask_comment"))
        elif pressed.action == "n":
            await ConversationRepository(session).clear(caller.telegram_id, COMMENT)
            out.say(turn.t("office.evaluation.no_comment_thanks"))
        else:
            raise NotAllowed(pressed.action)
        out.new_markup = InlineKeyboardMarkup([])  # each answer once
    except AlreadyEvaluated:
        out.new_markup = InlineKeyboardMarkup([])
        out.callback_notice = turn.t("office.evaluation.already")
    except (NotAllowed, ValueError, IndexError, KeyError):
        out.callback_notice = turn.t("error.stale_button")
        out.say(turn.t("error.stale_button_hint"))


async def take_comment(turn: Turn, state: str) -> bool:
    """The resident's comment: the next text after "add a comment"."""
    session, runtime, caller = turn.session, turn.runtime, turn.caller
    conversations = ConversationRepository(session)
    row = await conversations.load(caller.telegram_id, COMMENT)
    text = turn.incoming.text.strip()
    if row is None or not text:
        return False
    await conversations.clear(caller.telegram_id, COMMENT)
    try:
        case, _ = await add_comment(
            session, caller.user, int(row.data["evaluation"]), text, runtime.city,
            runtime.catalog, runtime.clock.now(), runtime.settings.duty_chat_id,
        )  # fmt: skip
    except AlreadyEvaluated:
        turn.out.say(turn.t("office.evaluation.already"))
        return True
    except (NotAllowed, KeyError, ValueError):
        return False
    turn.out.say(turn.t("office.evaluation.comment_saved", number=case.number))
    return True


async def on_revisit_button(turn: Turn) -> None:
    """A supervisor's "record the call-back": the next text is the outcome."""
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    try:
        evaluation_id = int(CallbackData.decode(turn.incoming.data).action)  # rv:<id>
        case = await _revisit_case(turn, evaluation_id)
    except (NotAllowed, ValueError, IndexError):
        out.callback_notice = turn.t("error.stale_button")
        out.say(turn.t("error.stale_button_hint"))
        return
    await ConversationRepository(session).save(
        caller.telegram_id, REVISIT, WAITING, {"evaluation": evaluation_id}, runtime.clock.now()
    )
    out.say(turn.t("office.revisit.ask_outcome", number=case.number))


async def _revisit_case(turn: Turn, evaluation_id: int) -> Case:
    evaluation = await turn.session.get(Evaluation, evaluation_id)
    if evaluation is None or not is_supervisor(turn.caller):
        raise NotAllowed("no such 回访")
    case = await load_case(turn.session, evaluation.case_id)
    if not in_supervisor_scope(turn.caller.user, case, turn.runtime.city):
        raise NotAllowed("outside the supervisor's scope")
    return case


async def take_outcome(turn: Turn, state: str) -> bool:
    """The supervisor's call-back outcome, relayed to the resident."""
    session, runtime, caller = turn.session, turn.runtime, turn.caller
    conversations = ConversationRepository(session)
    row = await conversations.load(caller.telegram_id, REVISIT)
    text = turn.incoming.text.strip()
    if row is None or not text:
        return False
    await conversations.clear(caller.telegram_id, REVISIT)
    try:
        case, _ = await record_revisit(
            session, caller.user, int(row.data["evaluation"]), text, runtime.city,
            runtime.catalog, runtime.clock.now(),
        )  # fmt: skip
    except AlreadyEvaluated:
        turn.out.say(turn.t("office.revisit.already_done"))
        return True
    except (NotAllowed, KeyError, ValueError):
        return False
    turn.out.say(turn.t("office.revisit.outcome_saved", number=case.number))
    return True
