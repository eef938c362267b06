"""A grid worker's typed words are read as work on their cases first (trial 9, items 7-8).

- A typed action ("接单", "开始处理吧", "办结", "add note: …", "收到马上过去") with a case number
  ("接单 7", "接GD-2026-000007", "accept GD-7", "办结 7 换了灯泡") acts on that case, if it is
  theirs (the number in the text is untrusted: only cases assigned to them are looked at, and
  the action goes through the same checks as the wk: buttons). Without a number it acts on the
  only case of theirs it fits; when several fit it asks which, urgent cases first (🚨), and
  never picks one (the newest ping) silently.
- Other words from a worker with open cases ("明天上午带电工过来换灯") are asked about as a note
  for the case they are on (the one they acted on last, else their only one; several: which),
  never begun as a resident's report. Typed "是的" / "yes" (or a case number) answers that
  question, "不是" / "no" drops it.
- A worker reports a problem as a resident when they say so: "反映：…" / "report: …" (the rule
  is said in the question), or the "📣 当新问题反映" button under it.

Greetings, thanks, questions the FAQ answers and the like are not read here (intents answers
them); nor are words a step waits for (a resolution note, an escalation reason).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.callback_data import BadCallbackData, CallbackData, button_data
from domain.lifecycle import OPEN_STATUS_VALUES, CaseStatus
from handlers import report_questions, report_steps, staff_case, worker
from handlers.edge import Turn
from handlers.inputs import InputKind
from handlers.replies import inline
from handlers.staff_words import (
    CaseRef,
    Command,
    asks,
    only_confirms,
    read_command,
    read_ref,
    says_report,
)
from handlers.typed import SHOWN, answer_of, leading_answers
from handlers.waiting import TYPED_WAITS
from services.cases.filing import URGENT, URGENT_FIRST
from services.cases.staff_photos import recent_open_case
from storage.conversations import ConversationRepository
from storage.models import Case, ConversationState

CONVERSATION = "staff_work"  # the question asked: "which" (case for an action) or "note"
PENDING = timedelta(minutes=30)  # how long a typed yes / case number still answers it
NOTE_WINDOW = timedelta(hours=12)  # the case acted on last is "the case they are on"
MAX_LISTED = 8
S = CaseStatus
# Which of their cases an action fits, by status.
FITS: dict[str, frozenset[str]] = {
    "acc": frozenset({S.ASSIGNED.value}),
    "start": frozenset({S.ACCEPTED.value, S.REOPENED.value}),
    "res": frozenset({S.ACCEPTED.value, S.REOPENED.value, S.IN_PROGRESS.value}),
    "note": frozenset(OPEN_STATUS_VALUES),
}
# Intents that are no work on a case ("hi I'm back", "谢谢", a question the FAQ answers).
NOT_WORK = frozenset({"greet", "thanks", "faq", "check_status", "cancel", "volunteer_signup"})


def is_worker(turn: Turn) -> bool:
    user = turn.caller.user
    return user.role == "worker" and user.active


async def own_open_cases(turn: Turn) -> list[Case]:
    """The worker's open cases, urgent first, then by due time."""
    found = await turn.session.scalars(
        select(Case)
        .where(Case.assignee_id == turn.caller.user.id, Case.status.in_(OPEN_STATUS_VALUES))
        .order_by(URGENT_FIRST, Case.due_at, Case.id)
    )
    return list(found)


async def take_typed(turn: Turn, rows: dict[str, ConversationState]) -> bool:
    """Before typed labels are read as presses (registry rule 1): the answer to this module's
    question, or a typed action. False for anything else, for non-workers, and while a step
    waits for the worker's words (a resolution note "处理好了" is that note)."""
    if turn.incoming.kind is not InputKind.TEXT or not worker.is_staff(turn.caller):
        return False
    if any(name in TYPED_WAITS for name in rows):
        return False
    # Another step open (a call-out wizard's "10", a report's "7栋"): its words, not a case's.
    elsewhere = bool(set(rows) - {SHOWN, CONVERSATION})
    if not is_worker(turn):  # a supervisor: "17", "case 17", "done 17" (handlers.staff_case)
        return not elsewhere and await staff_case.take_supervisor(turn)
    asked = rows.get(CONVERSATION)
    asked = asked if asked is not None and _still_asked(turn, asked, rows.get(SHOWN)) else None
    if asked is not None and await _answer(turn, asked):
        return True
    command = read_command(turn.incoming.text)
    if command is None:
        ref = read_ref(turn.incoming.text)  # "17", "case 17", "#17", "17号": show it
        if ref is None or elsewhere:
            return False
        await staff_case.show_typed(turn, ref)
        return True
    cases = await own_open_cases(turn)
    if command.ack and not any(c.status in FITS["acc"] for c in cases):
        return False  # "收到" with nothing to accept: other words
    await _clear(turn)
    await _do(turn, command, cases)
    return True


async def take_free_text(turn: Turn) -> bool:
    """What no step took from a worker (intents): "反映：…" begins a report as a resident;
    other words, while they have open cases, are asked about as a note. False otherwise."""
    if not is_worker(turn) or turn.understanding is None:
        return False
    text = turn.incoming.text
    prediction = turn.understanding.prediction
    reported = says_report(text)
    if reported is not None:  # the worker said it is a report: as any resident's
        await _clear(turn)
        rt = turn.runtime
        await report_steps.begin(turn.session, rt, turn.caller, reported, prediction, turn.out,
                                 message_id=turn.incoming.message_id)  # fmt: skip
        return True
    sure = prediction.confidence >= turn.runtime.settings.nlu_confirm_threshold
    if sure and prediction.intent in NOT_WORK and (prediction.intent != "faq" or asks(text)):
        return False  # a greeting, thanks, a question the FAQ answers: not work on a case
    cases = await own_open_cases(turn)
    if not cases:
        return False
    on = await _case_on(turn, cases)
    pending = {
        "text": text,
        "message_id": turn.incoming.message_id,
        "case_type": prediction.case_type,
        "confidence": prediction.confidence,
        "choices": report_steps.report_choices(prediction, turn.runtime),
        "faq_topics": report_steps.faq_topics(prediction),
    }
    await _save(turn, "note", {"text": text, "ids": [c.id for c in on], "pending": pending})
    report = [(turn.t("staff_work.button.report"), button_data("sw", "rep"))]
    if len(on) == 1:
        note = (turn.t("button.as_note", number=on[0].number), button_data("sw", "note", on[0].id))
        turn.out.say(turn.t("staff_work.note_offer", number=on[0].number), inline([[note], report]))
    else:
        picks = _picks(turn, "note", on)
        turn.out.say(turn.t("staff_work.note_which"), inline([*picks, report]))
    return True


async def on_button(turn: Turn) -> None:
    """`sw:<action>:<case id>` (the case picked for the action, or for the note held) and
    `sw:rep` (the held words begin a report as a resident)."""
    row = await ConversationRepository(turn.session).load(turn.caller.telegram_id, CONVERSATION)
    held: dict[str, Any] = dict(row.data) if row is not None else {}
    state = row.state if row is not None else ""
    try:
        pressed = CallbackData.decode(turn.incoming.data or "")
        if pressed.action == "rep":
            if not held.get("pending"):
                raise BadCallbackData("nothing held")
            await _clear(turn)
            await report_questions.start_pending(
                turn.session, turn.runtime, turn.caller, held["pending"], turn.out
            )
            return
        if pressed.action not in FITS:
            raise BadCallbackData(pressed.action)
        case_id = pressed.int_arg(0)
    except BadCallbackData:
        turn.out.callback_notice = turn.t("error.stale_button")
        turn.out.say(turn.t("error.stale_button_hint"))
        return
    same = (state == "note" and pressed.action == "note") or held.get("action") == pressed.action
    await _clear(turn)
    await _act(turn, pressed.action, case_id, str(held.get("text", "")) if same else "")


def _still_asked(turn: Turn, asked: ConversationState, shown: ConversationState | None) -> bool:
    """The question is the newest keyboard shown (no other step asked since) and recent."""
    if turn.runtime.clock.now() - asked.updated_at > PENDING or shown is None:
        return False
    keyboards = shown.data.get("keyboards") or [[]]
    return any(str(data).startswith("sw:") for _, data in keyboards[0])


async def _answer(turn: Turn, asked: ConversationState) -> bool:
    """A case number, yes or no typed at this module's question. False: no answer."""
    text, data = turn.incoming.text, dict(asked.data)
    action = "note" if asked.state == "note" else str(data.get("action", ""))
    held = str(data.get("text", ""))
    ids = [int(i) for i in data.get("ids", [])]
    ref = read_ref(text)
    if ref is not None:
        cases = [c for c in await own_open_cases(turn) if c.id in ids and _is(c, ref)]
        await _clear(turn)
        if len(cases) != 1:
            turn.out.say(turn.t("staff_work.not_listed", number=ref.said()))
            return True
        await _act(turn, action, cases[0].id, held)
        return True
    answer, rest = answer_of(text), ""
    if answer is None:
        split = next(((h, r) for h, r in leading_answers(text) if answer_of(h)), None)
        if split is None:
            return False
        answer, rest = answer_of(split[0]), split[1]
    if answer == "no":
        await _clear(turn)
        turn.out.say(turn.t(f"staff_work.dropped_{asked.state}"))
        return True
    if len(ids) != 1:
        turn.out.say(turn.t("staff_work.which_again"))
        return True
    if not only_confirms(rest):
        held = f"{held}\n{rest}"  # "是的，另外明天再来一趟": more of the note
    await _clear(turn)
    await _act(turn, action, ids[0], held)
    return True


async def _case_on(turn: Turn, cases: list[Case]) -> list[Case]:
    """The case they are on (acted on last, within NOTE_WINDOW) if among `cases`; else all."""
    now = turn.runtime.clock.now()
    recent = await recent_open_case(turn.session, turn.caller.user, now, NOTE_WINDOW)
    return [recent] if recent is not None and recent.id in {c.id for c in cases} else cases


def _is(case: Case, ref: CaseRef) -> bool:
    whole = ref.number()
    return case.number == whole if whole else case.number.endswith(f"-{ref.seq:06d}")


async def _do(turn: Turn, command: Command, cases: list[Case]) -> None:
    if command.ref is not None:
        case = await _case_of(turn, command.ref, cases)
        if case is None:
            turn.out.say(turn.t("staff_work.not_yours", number=command.ref.said()))
        else:
            await _act(turn, command.action, case.id, command.rest)
        return
    fitting = [c for c in cases if c.status in FITS[command.action]]
    if command.action == "note":  # "add note: …": the case they are on, if any
        fitting = await _case_on(turn, fitting)
    if len(fitting) == 1:
        await _act(turn, command.action, fitting[0].id, command.rest)
    elif not fitting:
        turn.out.say(turn.t(f"staff_work.none_fits.{command.action}"))
    else:  # several could be meant: ask, urgent first; never the newest silently
        await _save(turn, "which", {"action": command.action, "text": command.rest,
                                    "ids": [c.id for c in fitting]})  # fmt: skip
        turn.out.say(
            turn.t(f"staff_work.which.{command.action}", count=len(fitting)),
            inline(_picks(turn, command.action, fitting)),
        )


async def _case_of(turn: Turn, ref: CaseRef, cases: list[Case]) -> Case | None:
    """The worker's own case the number names (an open one first); None when it names none
    of theirs: a number typed is never a way into someone else's case."""
    open_ones = [c for c in cases if _is(c, ref)]
    if len(open_ones) == 1:
        return open_ones[0]
    if open_ones:
        return None  # "7" of two years: the whole number is needed
    suffix = ref.number() or f"%-{ref.seq:06d}"
    found = await turn.session.scalars(
        select(Case)
        .where(Case.assignee_id == turn.caller.user.id, Case.number.like(suffix))
        .order_by(Case.id.desc())
        .limit(1)
    )
    return found.first()  # a finished case of theirs: the press says where it is now


async def _act(turn: Turn, action: str, case_id: int, words: str) -> None:
    """As the wk: button would (scope re-checked there); a note or resolution with its
    words is recorded at once, as if typed at the step the button opens."""
    if action in ("res", "note") and words.strip():
        state = worker.RESOLVE_NOTE if action == "res" else worker.CASE_NOTE
        await ConversationRepository(turn.session).save(
            turn.caller.telegram_id, worker.CONVERSATION, state, {"case_id": case_id},
            turn.runtime.clock.now(),
        )  # fmt: skip
        await worker.on_text(turn.session, turn.runtime, turn.caller, words, turn.out)
        return
    turn.incoming = turn.incoming.pressed(button_data("wk", action, case_id))
    await worker.on_worker_button(turn)


def _picks(turn: Turn, action: str, cases: list[Case]) -> list[list[tuple[str, str]]]:
    city, lang = turn.runtime.city, turn.lang
    return [
        [(turn.t("staff_work.pick", mark="🚨 " if c.priority == URGENT else "",
                 number=c.number, case_type=city.case_type(c.case_type).name.get(lang)),
          button_data("sw", action, c.id))]
        for c in cases[:MAX_LISTED]
    ]  # fmt: skip


async def _save(turn: Turn, state: str, data: dict[str, Any]) -> None:
    await ConversationRepository(turn.session).save(
        turn.caller.telegram_id, CONVERSATION, state, data, turn.runtime.clock.now()
    )


async def _clear(turn: Turn) -> None:
    await ConversationRepository(turn.session).clear(turn.caller.telegram_id, CONVERSATION)
