"""The grid worker's side: a few taps per case (DESIGN.md: workers are busy and often older).

Buttons carry `wk:<action>:<case id>`; every press is re-checked against the
caller in services.cases.actions. A note or reason is the next text the
worker sends, kept in the `staff` conversation so a restart does not lose it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.callback_data import CallbackData
from bot.due_text import marked_if_urgent, pressing_due, say_moment
from bot.notices import Renderer, worker_buttons
from bot.runtime import Runtime
from bot.telegram_limits import fit_toast, split_text
from domain.lifecycle import (
    OPEN_STATUS_VALUES,
    OPEN_STATUSES,
    CaseStatus,
    IllegalTransition,
)
from handlers import desk
from handlers.common import Caller
from handlers.edge import Turn, edge
from handlers.replies import Replies, inline
from handlers.report_draft import drop_draft
from handlers.staff_words import read_ref
from services.cases.actions import AlreadyHandled, CaseDesk, NotAllowed, load_case, may_work_on
from services.cases.drafts import ReportDraft
from services.cases.filing import URGENT_FIRST
from services.cases.staff_photos import attach_to_recent_case
from services.consultations import answer_consultation
from storage.conversations import ConversationRepository
from storage.models import Case
from storage.repositories import CaseRepository

NO_BUTTONS = InlineKeyboardMarkup([])  # edits the pressed message's buttons away

CONVERSATION = "staff"
# States: the next text from the worker is...
RESOLVE_NOTE = "resolve_note"
ESCALATE_REASON = "escalate_reason"
CASE_NOTE = "case_note"
CONSULT_ANSWER = "consult_answer"
TASKS_LIMIT = 20
MAX_NOTE = 1000
CARD_TEXT = 300  # characters of the resident's words a card shows


def is_staff(caller: Caller) -> bool:
    return caller.user.role in ("worker", "supervisor") and caller.user.active


def case_buttons(runtime: Runtime, lang: str, case: Case) -> list[list[tuple[str, str]]]:
    """The worker's keyboard for the case's status, in `lang` (``bot.notices.worker_buttons``)."""
    render = Renderer(runtime.catalog, runtime.city)
    return render.buttons(lang, worker_buttons(case.id, CaseStatus(case.status)))


async def on_tasks(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    t, lang = runtime.catalog.t, caller.lang
    if caller.user.role == "supervisor" and caller.user.active:
        await desk.on_desk(turn)  # a supervisor's tasks are their desk
    elif caller.user.role != "worker" or not caller.user.active:
        out.say(t(lang, "staff.not_staff"))
    else:
        cases = (
            (
                await session.execute(
                    select(Case)
                    .where(
                        Case.assignee_id == caller.user.id,
                        Case.status.in_([s.value for s in OPEN_STATUSES]),
                    )
                    .order_by(URGENT_FIRST, Case.due_at)
                    .limit(TASKS_LIMIT)
                )
            )
            .scalars()
            .all()
        )
        if not cases:
            out.say(t(lang, "staff.no_tasks"))
        for case in cases:
            out.say(card(runtime, lang, case), inline(case_buttons(runtime, lang, case)))


def card(runtime: Runtime, lang: str, case: Case) -> str:
    t = runtime.catalog.t
    due = pressing_due(case.priority, case.status, case.due_at, case.accept_due_at)
    card = t(
        lang,
        "staff.card",
        number=case.number,
        case_type=runtime.city.case_type(case.case_type).name.get(lang),
        status=t(lang, f"status.{case.status}"),
        text=case.text[:CARD_TEXT],
        due=say_moment(runtime.catalog, lang, due, runtime.city.timezone, runtime.clock.now()),
    )
    return marked_if_urgent(case.priority, card)


async def on_worker_button(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    await _press(session, runtime, caller, turn.incoming.data or "", out)


async def _press(
    session: AsyncSession, runtime: Runtime, caller: Caller, data: str, out: Replies
) -> None:
    t, lang = runtime.catalog.t, caller.lang
    pressed = CallbackData.decode(data)  # wk:<action>:<case id>
    action, raw_id = pressed.action, (pressed.args[0] if pressed.args else "")
    desk = CaseDesk(
        session,
        runtime.city,
        runtime.catalog,
        runtime.clock.now(),
        duty_chat=runtime.settings.duty_chat_id,
    )
    try:
        case_id = int(raw_id)
        if action == "full":
            case = await load_case(session, case_id)
            if not may_work_on(caller.user, case, runtime.city) and not _in_duty_chat(
                runtime, caller
            ):
                raise NotAllowed("not this staff member's case")
            say_full_text(runtime, lang, case, out)
            return
        if action == "acc":
            case = await desk.accept(caller.user, case_id)
            out.new_markup = NO_BUTTONS  # the fresh buttons come with the reply
            out.say(
                t(lang, "staff.accepted", number=case.number),
                inline(case_buttons(runtime, lang, case)),
            )
        elif action == "start":
            case = await desk.start(caller.user, case_id)
            out.new_markup = NO_BUTTONS
            out.say(
                t(lang, "staff.started", number=case.number),
                inline(case_buttons(runtime, lang, case)),
            )
        elif action in ("res", "esc", "note", "nmg", "back"):
            case = await load_case(session, case_id)
            if not may_work_on(caller.user, case, runtime.city):
                raise NotAllowed("not this worker's case")
            if action == "note" and case.status not in OPEN_STATUS_VALUES:
                raise AlreadyHandled(case)  # a finished case takes no more notes
            if action in ("nmg", "back"):
                reason = t(
                    lang,
                    "staff.reason_not_my_grid" if action == "nmg" else "staff.reason_hand_back",
                )
                await desk.hand_back(caller.user, case_id, reason)
                out.say(t(lang, "staff.handed_back_ok", number=case.number))
            else:
                state = {"res": RESOLVE_NOTE, "esc": ESCALATE_REASON, "note": CASE_NOTE}[action]
                await ConversationRepository(session).save(
                    caller.telegram_id,
                    CONVERSATION,
                    state,
                    {"case_id": case.id},
                    runtime.clock.now(),
                )
                out.say(t(lang, f"staff.ask_{state}", number=case.number))
        else:
            raise NotAllowed(f"unknown action {action!r}")
    except AlreadyHandled as stale:
        say_already_handled(runtime, lang, stale.case, out)
    except (NotAllowed, ValueError):
        out.callback_notice = t(lang, "error.not_allowed")
        out.say(t(lang, "error.not_allowed_hint"))
    except IllegalTransition:
        out.callback_notice = t(lang, "error.stale_button")
        out.say(t(lang, "staff.already_moved"))


def say_already_handled(runtime: Runtime, lang: str, case: Case, out: Replies) -> None:
    """A button from an older state: nothing changed; its buttons go, and the presser hears
    where the case is now."""
    t = runtime.catalog.t
    out.callback_notice = fit_toast(t(lang, "delivery.already_handled"))
    out.new_markup = NO_BUTTONS
    status = t(lang, f"status.{case.status}")
    out.say(t(lang, "delivery.already_handled_hint", number=case.number, status=status))


def say_full_text(runtime: Runtime, lang: str, case: Case, out: Replies) -> None:
    """A resident's whole text, for staff whose ping quoted only its start: in as many
    messages as Telegram's 4,096-character limit needs."""
    out.say(runtime.catalog.t(lang, "delivery.full_text_header", number=case.number))
    for part in split_text(case.text):
        if part.strip():
            out.say(part)


def _in_duty_chat(runtime: Runtime, caller: Caller) -> bool:
    duty = runtime.settings.duty_chat_id
    return duty is not None and caller.chat_id == duty


async def on_case(turn: Turn) -> None:
    """`/case NUMBER` (whole, `GD-17`, `17`, `#17`): the case with the caller's buttons and its
    full text, for staff who may work on it (handlers.staff_case); the duty chat gets the
    full text of a whole number."""
    from handlers import staff_case  # it builds on this module

    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    number = turn.incoming.text.partition(" ")[2].strip().upper()
    if not number:
        out.say(turn.t("delivery.case_usage"))
        return
    ref = read_ref(number)
    if ref is not None and is_staff(caller) and not _in_duty_chat(runtime, caller):
        await staff_case.show_typed(turn, ref, whole_text=True)
        return
    case = await CaseRepository(session).by_number(number)
    if case is None or not (
        may_work_on(caller.user, case, runtime.city) or _in_duty_chat(runtime, caller)
    ):
        out.say(turn.t("delivery.case_not_found", number=number))
        return
    say_full_text(runtime, caller.lang, case, out)


async def on_text(
    session: AsyncSession,
    runtime: Runtime,
    caller: Caller,
    text: str,
    out: Replies,
    photo: str | None = None,
) -> bool:
    """The note or reason a worker was asked for. False when none was asked."""
    conversations = ConversationRepository(session)
    row = await conversations.load(caller.telegram_id, CONVERSATION)
    if row is None:
        return False
    t, lang = runtime.catalog.t, caller.lang
    note = text.strip()[:MAX_NOTE] or t(lang, "staff.photo_only_note")
    case_id = int(row.data.get("case_id", 0))
    desk = CaseDesk(
        session,
        runtime.city,
        runtime.catalog,
        runtime.clock.now(),
        duty_chat=runtime.settings.duty_chat_id,
    )
    await conversations.clear(caller.telegram_id, CONVERSATION)
    try:
        if row.state == RESOLVE_NOTE:
            case = await desk.resolve(caller.user, case_id, note, photo)
            out.say(t(lang, "staff.resolved_ok", number=case.number))
        elif row.state == CONSULT_ANSWER:
            case = await answer_consultation(
                session,
                caller.user,
                case_id,
                note,
                runtime.city,
                runtime.catalog,
                runtime.clock.now(),
            )
            out.say(t(lang, "consult.answer_sent", number=case.number))
        elif row.state == ESCALATE_REASON:
            case = await desk.escalate(caller.user, case_id, note)
            told = "staff.escalated_ok" if desk.last_told else "delivery.escalated_nobody"
            out.say(t(lang, told, number=case.number))
        else:
            case = await desk.add_note(caller.user, case_id, note, photo)
            out.say(
                t(lang, "staff.note_ok", number=case.number),
                inline(case_buttons(runtime, lang, case)),
            )
    except AlreadyHandled as stale:
        say_already_handled(runtime, lang, stale.case, out)
    except NotAllowed:
        out.say(t(lang, "error.not_allowed_hint"))
    except IllegalTransition:
        out.say(t(lang, "staff.already_moved"))
    return True


async def file_as_note(turn: Turn, draft: ReportDraft, case_id: int) -> None:
    """A worker's words begun as a report go on their case as a note instead (one tap on
    "note for GD-…"); the report draft is dropped."""
    runtime, caller, out = turn.runtime, turn.caller, turn.out
    t, lang = runtime.catalog.t, caller.lang
    desk = CaseDesk(turn.session, runtime.city, runtime.catalog, runtime.clock.now(),
                    duty_chat=runtime.settings.duty_chat_id)  # fmt: skip
    try:
        case = await desk.add_note(caller.user, case_id, draft.text.strip()[:MAX_NOTE])
    except AlreadyHandled as stale:
        say_already_handled(runtime, lang, stale.case, out)
        return
    except NotAllowed:
        out.say(t(lang, "error.not_allowed_hint"))
        return
    await drop_draft(turn.session, caller)
    out.say(t(lang, "staff.note_ok", number=case.number), inline(case_buttons(runtime, lang, case)))


def build_worker_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [
        CommandHandler("tasks", edge(on_tasks), filters=filters.ChatType.PRIVATE),
        CommandHandler("case", edge(on_case)),
    ]


async def take(turn: Turn, state: str) -> bool:
    """The note or reason this worker was asked for (text, or a photo with its caption)."""
    incoming = turn.incoming
    return await on_text(
        turn.session,
        turn.runtime,
        turn.caller,
        incoming.text,
        turn.out,
        photo=incoming.photo_file_id,
    )


async def attach_to_recent(turn: Turn) -> bool:
    """A staff member's photo that no step asked for goes to the case they just worked on."""
    incoming = turn.incoming
    if not is_staff(turn.caller) or not incoming.photo_file_id:
        return False
    case = await attach_to_recent_case(
        turn.session, turn.caller.user, incoming.photo_file_id, turn.runtime.clock.now()
    )
    if case is None:
        return False
    turn.out.say(turn.t("staff.photo_attached", number=case.number))
    return True
