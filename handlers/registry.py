"""Which conversation takes an update: declared in one place.

Every conversation names its states and, per state, the input kinds it accepts
(python-telegram-bot's `ConversationHandler(states={...})` shape); state itself lives in the
database (conversation_states), so several instances share it. For each message:

1. A typed label or yes/no that names a button shown last is that button's press (unless the
   words after the answer name an emergency outright: then 2 comes first).
2. An emergency goes first from any step (answers to the bot's questions only when the
   text itself says so; a place name alone never) — see handlers.edge.Understanding.
3. The open step that accepts this input kind takes it, conversations in the order below.
4. Only what no open step takes goes to intent routing (handlers.intents).

Buttons go by the prefix of their callback data (BUTTONS); a prefix nobody owns is stale.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot.callback_data import BadCallbackData, CallbackData
from bot.i18n import requested_language
from handlers import (
    ask,
    basics,
    callout,
    callout_manage,
    desk,
    emergency,
    emergency_calm,
    evaluation,
    followup,
    intents,
    mycases,
    privacy,
    report,
    report_draft,
    staff_work,
    supervisor,
    volunteer,
    volunteer_entry,
    worker,
)
from handlers import waiting as waiting_steps
from handlers.common import Caller
from handlers.edge import Turn, edge
from handlers.inputs import Incoming, InputKind
from handlers.resident_words import by_the_way_question
from handlers.typed import (
    AMBIGUOUS,
    LONGEST_LABEL,
    SHOWN,
    answer_of,
    exact_presses,
    leading_answers,
    shown_buttons,
    typed_press,
)
from storage.conversations import ConversationRepository
from storage.models import ConversationState
from storage.repositories import OutboxRepository

K = InputKind
TEXT_PHOTO = frozenset({K.TEXT, K.PHOTO})


@dataclass(frozen=True)
class Conversation:
    name: str  # its conversation_states.conversation key
    states: Mapping[str, frozenset[InputKind]]  # "*": every state not named
    take: Callable[[Turn, str], Awaitable[bool]]  # (turn, state) -> was the input used?
    # Its steps ask the user a question, so an answer is an emergency only when explicit.
    answers: bool = True
    may_use: Callable[[Caller], bool] = field(default=lambda caller: True)

    def accepts(self, state: str, kind: InputKind) -> bool:
        return kind in self.states.get(state, self.states.get("*", frozenset()))


def _is_staff(caller: Caller) -> bool:
    return worker.is_staff(caller)


def _is_supervisor(caller: Caller) -> bool:
    return caller.user.role == "supervisor"


# Precedence: staff notes first (a worker's reply is never a new report), then the
# supervisors' wizards, then the resident's report.
CONVERSATIONS: tuple[Conversation, ...] = (
    Conversation(
        worker.CONVERSATION, {"*": TEXT_PHOTO}, worker.take, answers=False, may_use=_is_staff
    ),
    Conversation(
        callout.CONVERSATION,
        # The pin step takes a map pin or the typed "Skip".
        {
            **{s: frozenset({K.TEXT}) for s in callout.TYPED},
            callout.PIN: frozenset({K.TEXT, K.LOCATION}),
        },
        callout.take,
        may_use=_is_supervisor,
    ),
    Conversation(
        callout_manage.CONVERSATION,
        {"pin": frozenset({K.LOCATION}), "*": frozenset({K.TEXT})},
        callout_manage.take,
        may_use=_is_supervisor,
    ),
    Conversation(
        report_draft.CONVERSATION,
        {report_draft.EMERGENCY_LOCATION: frozenset({K.TEXT, K.LOCATION, K.PHOTO})},
        emergency.take,
    ),
    Conversation(
        evaluation.REVISIT,
        {evaluation.WAITING: frozenset({K.TEXT})},
        evaluation.take_outcome,
        answers=False,
        may_use=_is_supervisor,
    ),
    Conversation(
        evaluation.COMMENT, {evaluation.WAITING: frozenset({K.TEXT})}, evaluation.take_comment
    ),
    Conversation(mycases.CONVERSATION, mycases.STATES, mycases.take),
    # a new volunteer's typed name, home ("I live in Emerald Lake Court"), skills and free
    # times ("会开车，周末有空"), at any step; the buttons still work
    Conversation(
        volunteer.CONVERSATION,
        {s: frozenset({K.TEXT}) for s in volunteer.TYPED_STATES},
        volunteer.take,
    ),
    # a department liaison's answer to a forwarded case (any user: checked against config)
    Conversation(desk.REPLY, {desk.WAITING: frozenset({K.TEXT})}, desk.take_reply, answers=False),
    Conversation(
        desk.ACTION,
        {desk.EXTEND: frozenset({K.TEXT}), desk.RESOLVE: frozenset({K.TEXT})},
        desk.take_action,
        answers=False,
        may_use=_is_supervisor,
    ),
    Conversation(report_draft.CONVERSATION, report_draft.STATES, report.take),
    # "which community?" for a question to staff: typed words answer it (handlers.ask)
    Conversation(ask.CONVERSATION, {ask.COMMUNITY: frozenset({K.TEXT})}, ask.take),
)

# Button presses by the prefix of their callback data.
BUTTONS: dict[str, Callable[[Turn], Awaitable[None]]] = {
    "rep": report.on_button,
    "em": emergency_calm.on_button,
    "wk": worker.on_worker_button,
    "sw": staff_work.on_button,
    "sv": supervisor.on_supervisor_button,
    "fu": followup.on_followup_button,
    "ev": evaluation.on_evaluation_button,
    "rv": evaluation.on_revisit_button,
    "mc": mycases.on_mycases_button,
    "fw": desk.on_forward_button,
    "dk": desk.on_desk_button,
    "faq": ask.on_ask_button,
    "priv": privacy.on_privacy_button,
    "vol": volunteer_entry.on_volunteer_button,
    "co": volunteer_entry.on_callout_button,
    "menu": basics.on_menu_button,
    "lang": basics.on_lang_button,
}


async def on_button(turn: Turn) -> None:
    try:
        prefix = CallbackData.decode(turn.incoming.data).prefix
    except BadCallbackData:
        prefix = ""
    await BUTTONS.get(prefix, basics.on_unknown_button)(turn)


async def on_message(turn: Turn) -> None:
    """Every private message that is not a command, edits included."""
    incoming = turn.incoming
    if incoming.edited:
        await intents.on_edit(turn)
        return
    if incoming.kind is K.TEXT and not await intents.acceptable_text(turn):
        return
    rows = {
        row.conversation: row
        for row in await ConversationRepository(turn.session).all_for(turn.caller.telegram_id)
    }
    step = _open_step(turn, rows)
    if await staff_work.take_typed(turn, rows):  # "接单 7", "开始处理吧", "是的" to its question
        return
    resident_step = step is None or step[0].name == report_draft.CONVERSATION
    words = incoming.text if incoming.kind is K.TEXT else None
    if resident_step and (chosen := requested_language(words)) is not None:
        await basics.switch_language(turn, chosen)  # "请用中文", "English please"
        return
    if _alarm_beside_an_answer(turn, step):
        # "对，树底下还压着一个人，一动不动": the yes must not carry the alarm away with it.
        await emergency.raise_alarm(turn)
        return
    if step is None and await followup.take_typed(turn):  # "修好了 谢谢", "still broken"
        return
    if incoming.kind is K.TEXT and not by_the_way_question(incoming.text):
        # ("对了，…要带什么材料？" is an aside, not the yes of 对了: handlers.resident_words.)
        # A step waiting for typed words owns them: only the newest keyboard's labels may
        # still press (an old wizard's "2" is not the answer to "how many people now?").
        waits = [
            c
            for c in CONVERSATIONS
            if c.name in rows and c.may_use(turn.caller) and c.accepts(rows[c.name].state, K.TEXT)
        ]
        waiting = bool(waits)
        # A step that asks a question keeps its earlier keyboards' labels (the type list
        # shown after "不对": "我是想问问题" is still the question button of that step).
        own = all(c.answers for c in waits)
        data = await _typed_button(turn, rows.get(SHOWN), newest_only=waiting, same_step=own)
        if data == WHICH_ONE:
            turn.out.say(turn.t("typed.which_one"))
            return
        if data is not None:
            turn.incoming = incoming.pressed(data)
            await on_button(turn)
            return
        if await _answer_then_words(turn, rows, waiting):
            return
    understanding = turn.understanding
    answering = step is not None and step[0].answers
    if (
        (step is None or step[0].answers)
        and understanding is not None
        and understanding.emergency(answering)
    ):
        await emergency.raise_alarm(turn)
        return
    if (step is None or step[0].name == report_draft.CONVERSATION) and (
        await emergency_calm.take_settled(turn)
    ):  # "找到了，她在邻居家", "found him, all good now": news for the open urgent case
        return
    if (
        step is not None
        and step[0].name in waiting_steps.TYPED_WAITS
        and turn.labels.means(incoming.text, "button.cancel")
    ):  # a typed "取消" / "cancel" is not the note it waited for
        await waiting_steps.cancel_typed_wait(turn)
        return
    if step is not None and await step[0].take(turn, step[1]):
        return
    await intents.route(turn)


def _open_step(turn: Turn, rows: dict[str, ConversationState]) -> tuple[Conversation, str] | None:
    """The first declared conversation with an open state that takes this input kind."""
    return next(
        (
            (c, rows[c.name].state)
            for c in CONVERSATIONS
            if c.name in rows
            and c.may_use(turn.caller)
            and c.accepts(rows[c.name].state, turn.incoming.kind)
        ),
        None,
    )


def _alarm_beside_an_answer(turn: Turn, step: tuple[Conversation, str] | None) -> bool:
    """Text that names an emergency outright (a cue) though it starts with an answer or a
    label ("对，树底下还压着一个人", "no wait, there's smoke under her door"): the alarm goes
    before the answer's button. A text that is only an answer is never read (understanding is
    None), nor a step that reads its own alarms (a staff note, the emergency's follow-up)."""
    understanding = turn.understanding
    if turn.incoming.kind is not K.TEXT or understanding is None or understanding.cue is None:
        return False
    if step is not None and (not step[0].answers or step[1] == report_draft.EMERGENCY_LOCATION):
        return False
    return understanding.emergency(answering=True)


# A typed label that several shown buttons carry (one per listed case): ask, press none.
WHICH_ONE = AMBIGUOUS


async def _answer_then_words(turn: Turn, rows: dict[str, ConversationState], waiting: bool) -> bool:
    """ "没解决，井盖还是没盖好": an answer, then more words. The answer presses its button; when
    the press opens a step that waits for words (why it is not fixed, a comment, a note), the
    rest is that step's. False (nothing pressed) when the first clause is no answer."""
    incoming = turn.incoming
    labels = turn.labels
    # The longest first words that are an answer or a label ("not fixed", not just "not").
    split = next(
        (
            (head, rest)
            for head, rest in leading_answers(incoming.text)
            if labels.is_typed_answer(head) or labels.keys_of(head) or labels.is_other_words(head)
        ),
        None,
    )
    if split is None:
        return False  # no answer or label first: no need to look at the buttons shown
    head, rest = split
    data = await _typed_button(turn, rows.get(SHOWN), newest_only=waiting, text=head)
    if data is None or data == WHICH_ONE:
        return False
    # "不对，我是想问问": the rest names another button of the same keyboard, the one meant
    # (a third choice: "no it is not fixed" is no, not the "fixed" of its last word).
    instead = None
    if answer_of(rest) is None:
        last = rows.get(SHOWN)
        instead = await _typed_button(turn, last, newest_only=True, text=rest, roleless=True)
    turn.incoming = incoming.pressed(data if instead in (None, WHICH_ONE) else str(instead))
    await on_button(turn)
    if instead not in (None, WHICH_ONE):
        return True
    opened = {
        row.conversation: row
        for row in await ConversationRepository(turn.session).all_for(turn.caller.telegram_id)
        if row.conversation in waiting_steps.TYPED_WAITS and row.conversation not in rows
    }
    step = next((c for c in CONVERSATIONS if c.name in opened), None)
    if step is not None:
        turn.incoming = Incoming(K.TEXT, text=rest, message_id=incoming.message_id)
        turn.understanding = None
        await step.take(turn, opened[step.name].state)
        return True
    # "no, property management": the rest answers the buttons the press showed (a type).
    shown, _ = shown_buttons(turn.out)
    memory = {"keyboards": shown[:1], "current": True}
    then = typed_press(labels, memory, rest) if answer_of(rest) is None else None
    if then is not None and then != WHICH_ONE:
        turn.incoming = incoming.pressed(then)
        await on_button(turn)
    return True


async def _typed_button(
    turn: Turn,
    shown: ConversationState | None,
    *,
    newest_only: bool = False,
    same_step: bool = False,
    text: str | None = None,
    roleless: bool = False,
) -> str | None:
    """The button a typed label or yes/no (`text`, else the whole message) stands for, among
    the keyboards shown lately in replies and on messages the outbox delivered (a worker's
    ping, "fixed?", a call-out), newest first whichever way they came: a label on a newer
    ping wins over an older reply's."""
    text = turn.incoming.text if text is None else text
    memory: dict[str, Any] = dict(shown.data) if shown is not None else {}
    if len(text) > LONGEST_LABEL:
        return None
    delivered = await OutboxRepository(turn.session).recent_keyboards(turn.caller.telegram_id)
    shown_at = shown.updated_at if shown is not None else None
    # At the same instant the delivered one counts as newer: the outbox sends after commit.
    newer = [buttons for at, buttons in delivered if shown_at is None or at >= shown_at]
    older = [buttons for at, buttons in delivered if shown_at is not None and at < shown_at]
    keyboards = [*newer, *memory.get("keyboards", []), *older]
    if newest_only:  # and, for a step that asks, its own earlier keyboards (same token)
        mine = _step_of(keyboards[0]) if keyboards and same_step else set()
        keyboards = keyboards[:1] + [k for k in keyboards[1:] if mine and _step_of(k) <= mine]
    if roleless:  # only buttons that are no yes or no
        keyboards = [[b for b in k if turn.labels.role_of(b[0]) is None] for k in keyboards]
    current = bool(newer) or bool(memory.get("current"))
    pressed = typed_press(turn.labels, {"keyboards": keyboards, "current": current}, text)
    if pressed is None and len(exact_presses(turn.labels, keyboards, text)) > 1:
        return WHICH_ONE
    return pressed


def _step_of(buttons: list[list[str]]) -> set[tuple[str, str]]:
    """Whose buttons these are: (prefix, first argument) of each (`rep` and the draft token)."""
    try:
        decoded = [CallbackData.decode(data) for _, data in buttons]
    except BadCallbackData:
        return set()
    return {(d.prefix, d.args[0] if d.args else "") for d in decoded}


def build_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    """The message and button handlers; commands are registered by their modules."""
    private = filters.ChatType.PRIVATE
    return [
        MessageHandler(
            private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, edge(on_message, nlu=True)
        ),
        CallbackQueryHandler(edge(on_button)),
    ]
