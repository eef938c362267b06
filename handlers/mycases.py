"""/mycases, two-way: the resident's cases newest first, a page at a time; a case opens to
its status, due time, timeline and the staff's photos, with "add a note or photo" and
"withdraw"; and after "not fixed", the bot asks why (text or photo).

Buttons `mc:<action>:<value>`: p page, o open, a add, w withdraw, y confirm the withdrawal.
The conversation CONVERSATION holds what the next text or photo is for: ADD, WHY or
WITHDRAW (its reason), with the case id.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.callback_data import CallbackData, button_data
from bot.due_text import say_moment
from bot.runtime import Runtime
from domain.lifecycle import IllegalTransition
from handlers.common import Caller
from handlers.edge import Turn
from handlers.inputs import InputKind
from handlers.replies import Replies, inline
from services import notify
from services.cases.actions import NotAllowed
from services.cases.resident import (
    CaseDetail,
    add_from_resident,
    case_detail,
    my_cases_page,
    resident_case,
    withdraw,
)
from storage.conversations import ConversationRepository
from storage.models import Case

CONVERSATION = "mycase"
ADD, WHY, WITHDRAW = "add", "why", "withdraw"
STATES = {
    ADD: frozenset({InputKind.TEXT, InputKind.PHOTO}),
    WHY: frozenset({InputKind.TEXT, InputKind.PHOTO}),
    WITHDRAW: frozenset({InputKind.TEXT}),
}


def detail_text(runtime: Runtime, lang: str, detail: CaseDetail, now: datetime) -> str:
    """A resident's case in `lang`: head, their words, the due time while open, the timeline
    (notes of staff, not the bot's own bookkeeping), how many staff photos follow."""
    t, case, tz = runtime.catalog.t, detail.case, runtime.city.timezone
    values = notify.case_values(case, runtime.city, lang)
    lines = [
        t(lang, "office.mycases.detail_head", **values, status=t(lang, f"status.{case.status}")),
        t(lang, "office.mycases.detail_text", text=case.text[:300]),
    ]
    if detail.is_open:
        due = say_moment(runtime.catalog, lang, case.due_at, tz, now)
        lines.append(t(lang, "office.mycases.detail_due", due=due))
    lines.append(t(lang, "office.mycases.timeline"))
    for event in detail.events:
        when = say_moment(runtime.catalog, lang, event.at, tz, now)
        what = t(lang, f"office.status.{event.to_status}")
        if event.from_status == event.to_status:
            what = t(lang, "office.mycases.note_event")
        line = f"• {when} {what}"
        note = _shown_note(event.note)
        if note:
            line += f"：{note[:200]}" if lang == "zh" else f": {note[:200]}"
        lines.append(line)
    if detail.staff_photos:
        lines.append(t(lang, "office.mycases.staff_photos", count=len(detail.staff_photos)))
    return "\n".join(lines)


async def show_my_cases(
    session: AsyncSession, runtime: Runtime, caller: Caller, out: Replies, page: int = 0
) -> None:
    t, lang = runtime.catalog.t, caller.lang
    found = await my_cases_page(session, caller.user, page)
    if not found.cases:
        out.say(t(lang, "mycases.none" if page == 0 else "office.mycases.no_more"))
        return
    now = runtime.clock.now()
    lines = [t(lang, "office.mycases.header", page=page + 1)]
    rows: list[list[tuple[str, str]]] = []
    for case in found.cases:
        created = say_moment(runtime.catalog, lang, case.created_at, runtime.city.timezone, now)
        status = t(lang, f"status.{case.status}")
        values = notify.case_values(case, runtime.city, lang)
        lines.append(t(lang, "mycases.line", **values, status=status, created=created))
        label = t(lang, "office.mycases.open_button", number=case.number)
        rows.append([(label, button_data("mc", "o", case.id))])
    if found.has_more:
        rows.append([(t(lang, "office.mycases.more"), button_data("mc", "p", page + 1))])
    out.say("\n".join(lines), inline(rows))


async def on_mycases_button(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    pressed = CallbackData.decode(turn.incoming.data)
    now = runtime.clock.now()
    conversations = ConversationRepository(session)
    try:
        action, value = pressed.action, pressed.int_arg(0)
        if action == "p":
            await show_my_cases(session, runtime, caller, out, value)
        elif action == "o":
            detail = await case_detail(session, caller.user, value)
            rows = []
            if detail.case.status == "resolved":  # awaiting their word, whatever was missed
                rows.append(fixed_or_not_row(turn, value))
            if detail.is_open:
                rows.append([(turn.t("office.mycases.add_button"), button_data("mc", "a", value))])
            if detail.may_withdraw:
                rows.append(
                    [(turn.t("office.mycases.withdraw_button"), button_data("mc", "w", value))]
                )
            out.say(detail_text(runtime, turn.lang, detail, now), inline(rows) if rows else None)
            for photo in detail.staff_photos[:5]:  # the worker's after-photos, through the outbox
                notify.queue(session, caller.user, "", now, kind="status", extra={"photo": photo})
        elif action == "a":
            case = await _open_case(turn, value)
            await conversations.save(caller.telegram_id, CONVERSATION, ADD, {"case": value}, now)
            out.say(turn.t("office.mycases.ask_add", number=case.number))
        elif action == "w":
            case = await _open_case(turn, value)
            await conversations.save(
                caller.telegram_id, CONVERSATION, WITHDRAW, {"case": value}, now
            )
            confirm = [[(turn.t("office.mycases.confirm_withdraw"), button_data("mc", "y", value))]]
            out.say(turn.t("office.mycases.ask_withdraw", number=case.number), inline(confirm))
        elif action == "y":
            await conversations.clear(caller.telegram_id, CONVERSATION)
            await _withdraw(turn, value, "")
            out.new_markup = InlineKeyboardMarkup([])
        else:
            raise NotAllowed(action)
    except (NotAllowed, IllegalTransition, ValueError, IndexError):
        out.callback_notice = turn.t("error.stale_button")
        out.say(turn.t("office.mycases.not_open"))


def fixed_or_not_row(turn: Turn, case_id: int) -> list[tuple[str, str]]:
    """The resident's "fixed? / not fixed" answer to a resolution (bot.notices.fixed_or_not)."""
    return [
        (turn.t("button.fixed"), button_data("fu", "fixed", case_id)),
        (turn.t("button.not_fixed"), button_data("fu", "notfixed", case_id)),
    ]


async def awaiting_word(turn: Turn) -> list[Case]:
    """The resident's resolved cases that wait for their "fixed?" (reported or joined)."""
    cases = await my_cases_page(turn.session, turn.caller.user, 0)
    return [case for case in cases.cases if case.status == "resolved"]


async def ask_fixed_again(turn: Turn) -> int | None:
    """A typed "解决了 / not fixed" with no such button shown (the resolution was never
    delivered: they had blocked the bot): the one case waiting for their word (its id, to
    be answered), or, with several, each asked again (None; None too when none waits)."""
    waiting = await awaiting_word(turn)
    if len(waiting) == 1:
        return waiting[0].id
    for case in waiting:
        values = notify.case_values(case, turn.runtime.city, turn.lang)
        turn.out.say(turn.t("office.mycases.fixed_which", **values),
                     inline([fixed_or_not_row(turn, case.id)]))  # fmt: skip
    return None


async def _open_case(turn: Turn, case_id: int) -> Case:
    case = await resident_case(turn.session, turn.caller.user, case_id)
    if case.status in ("resolved", "closed", "cancelled", "rejected", "merged"):
        raise NotAllowed("not open")
    return case


async def _withdraw(turn: Turn, case_id: int, reason: str) -> None:
    runtime = turn.runtime
    case = await withdraw(
        turn.session, turn.caller.user, case_id, reason, runtime.city, runtime.catalog,
        runtime.clock.now(), runtime.settings.duty_chat_id,
    )  # fmt: skip
    turn.out.say(turn.t("office.mycases.withdrawn", number=case.number))


async def ask_why_not_fixed(turn: Turn, case_id: int) -> None:
    """After the reporter's "not fixed": the next text or photo says what is still wrong."""
    await ConversationRepository(turn.session).save(
        turn.caller.telegram_id, CONVERSATION, WHY, {"case": case_id}, turn.runtime.clock.now()
    )
    turn.out.say(turn.t("office.mycases.ask_why"))


async def take(turn: Turn, state: str) -> bool:
    """The note, photo, reason it is not fixed, or reason for withdrawing."""
    session, runtime, caller, incoming = turn.session, turn.runtime, turn.caller, turn.incoming
    conversations = ConversationRepository(session)
    row = await conversations.load(caller.telegram_id, CONVERSATION)
    if row is None:
        return False
    case_id = int(row.data.get("case", 0))
    await conversations.clear(caller.telegram_id, CONVERSATION)
    text, photo = (incoming.text or "").strip(), incoming.photo_file_id
    if not text and not photo:
        return False
    try:
        if state == WITHDRAW:
            await _withdraw(turn, case_id, text)
            return True
        case = await add_from_resident(
            session, caller.user, case_id, text, photo, runtime.city, runtime.catalog,
            runtime.clock.now(), why_not_fixed=state == WHY,
            duty_chat=runtime.settings.duty_chat_id,
        )  # fmt: skip
    except (NotAllowed, IllegalTransition):
        turn.out.say(turn.t("office.mycases.not_open"))
        return True
    key = "office.mycases.why_noted" if state == WHY else "office.mycases.added"
    turn.out.say(turn.t(key, number=case.number))
    return True


# Notes the system writes for its own books ("auto-escalated", "resident: fixed"): the step
# itself says it. The resident's own words keep their text without the marker before them.
_BOOKKEEPING = ("auto-", "reassigned to user")
_BOOKKEEPING_NOTES = frozenset({"resident: fixed", "resident: not fixed"})
_RESIDENT_MARKERS = ("resident, not fixed: ", "resident: ")


def _shown_note(note: str | None) -> str:
    """What of an event's note the resident sees in their case's timeline."""
    if not note or note in _BOOKKEEPING_NOTES or note.startswith(_BOOKKEEPING):
        return ""
    for marker in _RESIDENT_MARKERS:
        if note.startswith(marker):
            return note[len(marker) :]
    return note
