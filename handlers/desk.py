"""/desk for supervisors, and 转办 through the bot.

/desk lists, within the supervisor's scope, unassigned, escalated and overdue cases and
unsatisfied evaluations, each with its buttons: reassign (`sv:pick`, handlers.supervisor),
forward to the department (`fw:f:<case>`), extend the deadline with a reason (`dk:x`) or
resolve with a note (`dk:c`), record the call-back (`rv:<evaluation>`).
The department's liaison answers a forwarded case with `fw:r:<case>`; their next text is the
reply (conversation REPLY), recorded and relayed by services.cases.forwarding.
"""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.callback_data import CallbackData, button_data
from bot.due_text import marked_if_urgent, pressing_due, say_moment
from domain.lifecycle import OPEN_STATUS_VALUES, IllegalTransition
from handlers.edge import Turn, edge
from handlers.replies import inline
from services import notify
from services.cases.actions import (
    AlreadyHandled,
    CaseDesk,
    NotAllowed,
    in_supervisor_scope,
    load_case,
)
from services.cases.desk import extend_deadline, read_desk
from services.cases.forwarding import NoDepartmentChat, forward, may_reply, record_reply
from storage.conversations import ConversationRepository
from storage.models import Case

REPLY = "department_reply"  # conversation: the liaison's answer to a forwarded case
WAITING = "waiting"
ACTION = "desk"  # conversation: the reason of an extension, or the note of a resolution
EXTEND, RESOLVE = "extend", "resolve"
EXTENSIONS = (1, 3, 5)  # working days a supervisor can add in one tap


def _line(turn: Turn, case: Case, due_at: datetime | None = None) -> str:
    """One case of a desk list; `due_at` (aware UTC): the item's own deadline, e.g. a
    call-back's, else the case's."""
    runtime = turn.runtime
    shown = due_at or pressing_due(case.priority, case.status, case.due_at, case.accept_due_at)
    due = say_moment(runtime.catalog, turn.lang, shown, runtime.city.timezone,
                     runtime.clock.now())  # fmt: skip
    line = turn.t(
        "office.desk.line",
        **notify.case_values(case, runtime.city, turn.lang),
        status=turn.t(f"status.{case.status}"),
        due=due,
    )
    return marked_if_urgent(case.priority, line)


def case_buttons(turn: Turn, case: Case) -> list[list[tuple[str, str]]]:
    """Two rows per case: reassign / forward, then extend the deadline / resolve with a note."""
    first = [
        (turn.t("office.desk.reassign", number=case.number), button_data("sv", "pick", case.id)),
        # always offered: without a department chat the press says so (NoDepartmentChat)
        (turn.t("office.desk.forward"), button_data("fw", "f", case.id)),
    ]
    second = [
        (turn.t("office.desk.extend"), button_data("dk", "x", case.id)),
        (turn.t("office.desk.resolve"), button_data("dk", "c", case.id)),
    ]
    return [first, second]


async def on_desk(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    if caller.user.role != "supervisor" or not caller.user.active:
        out.say(turn.t("office.desk.only_supervisors"))
        return
    desk = await read_desk(session, caller.user, runtime.city, runtime.clock.now())
    sections = (
        ("unassigned", desk.unassigned),
        ("escalated", desk.escalated),
        ("overdue", desk.overdue),
    )
    for name, cases in sections:
        if not cases:
            out.say(turn.t(f"office.desk.{name}_none"))
            continue
        total = desk.totals.get(name, len(cases))
        lines = [turn.t(f"office.desk.{name}", count=total)]
        lines += [_line(turn, case) for case in cases]
        if total > len(cases):  # the most urgent first; say the rest exist
            lines.append(turn.t("office.desk.showing_first", shown=len(cases), total=total))
        out.say("\n".join(lines), inline([row for c in cases for row in case_buttons(turn, c)]))
    if not desk.unsatisfied:
        out.say(turn.t("office.desk.unsatisfied_none"))
        return
    lines = [turn.t("office.desk.unsatisfied", count=len(desk.unsatisfied))]
    rows = []
    for evaluation, case in desk.unsatisfied:
        # the call-back's own deadline (what the resident was told), not the closed case's
        line = _line(turn, case, evaluation.revisit_due_at)
        lines.append(line + (f" — {evaluation.comment}" if evaluation.comment else ""))
        rows.append(
            [
                (
                    turn.t("office.desk.revisit", number=case.number),
                    button_data("rv", str(evaluation.id)),
                )
            ]
        )
    out.say("\n".join(lines), inline(rows))


async def on_forward_button(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    now = runtime.clock.now()
    try:
        pressed = CallbackData.decode(turn.incoming.data)
        action, case_id = pressed.action, pressed.int_arg(0)
        if action == "f":
            try:
                case, _ = await forward(session, caller.user, case_id, runtime.city,
                                        runtime.catalog, now)  # fmt: skip
            except NoDepartmentChat as missing:  # nothing changed, nothing was sent
                name = missing.department.name.get(turn.lang)
                out.say(turn.t("office.forward.no_chat", department=name,
                               department_id=missing.department.id))  # fmt: skip
                return
            department = runtime.city.case_type(case.case_type).department.name.get(turn.lang)
            out.say(turn.t("office.forward.done", number=case.number, department=department))
            out.new_markup = InlineKeyboardMarkup([])
        elif action == "r":
            # The department's chat: the liaison's own, or a group (whoever is in it answers).
            case = await may_reply(session, caller.chat_id, case_id, runtime.city)
            await ConversationRepository(session).save(
                caller.telegram_id, REPLY, WAITING, {"case": case_id, "chat": caller.chat_id}, now
            )
            in_group = caller.chat_id != caller.telegram_id
            key = "office.forward.ask_reply_group" if in_group else "office.forward.ask_reply"
            out.say(turn.t(key, number=case.number))
        else:
            raise NotAllowed(action)
    except (NotAllowed, IllegalTransition, ValueError, IndexError):
        out.callback_notice = turn.t("error.stale_button")
        out.say(turn.t("office.forward.refused"))


async def take_reply(turn: Turn, state: str) -> bool:
    session, runtime, caller = turn.session, turn.runtime, turn.caller
    conversations = ConversationRepository(session)
    row = await conversations.load(caller.telegram_id, REPLY)
    text = (turn.incoming.text or "").strip()
    # The answer comes from the chat the Reply button was pressed in.
    if row is None or not text or row.data.get("chat", caller.chat_id) != caller.chat_id:
        return False
    if caller.chat_id != caller.telegram_id and not turn.incoming.replies_to_bot:
        return False  # a group's other talk is not the answer; the answer replies to the bot
    await conversations.clear(caller.telegram_id, REPLY)
    try:
        case = await record_reply(
            session, caller.chat_id, caller.user, int(row.data["case"]), text,
            runtime.city, runtime.catalog, runtime.clock.now(), runtime.settings.duty_chat_id,
        )  # fmt: skip
    except (NotAllowed, IllegalTransition, KeyError, ValueError):
        turn.out.say(turn.t("office.forward.refused"))
        return True
    turn.out.say(turn.t("office.forward.reply_recorded", number=case.number))
    return True


async def on_desk_button(turn: Turn) -> None:
    """`dk:x:<case>` offers +1/+3/+5 working days; `dk:e:<case>:<days>` and `dk:c:<case>` ask
    for the reason or the note, which the next text gives (conversation ACTION)."""
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    now = runtime.clock.now()
    try:
        pressed = CallbackData.decode(turn.incoming.data)
        action, case_id = pressed.action, pressed.int_arg(0)
        case = await _desk_case(turn, case_id)
        if action == "x":
            rows = [[(turn.t("office.desk.plus_days", count=n), button_data("dk", "e", case_id, n))
                     for n in EXTENSIONS]]  # fmt: skip
            out.say(turn.t("office.desk.how_long", number=case.number), inline(rows))
            return
        if action == "e":
            days = pressed.int_arg(1)
            data: dict[str, object] = {"case": case_id, "days": days}
            conversations = ConversationRepository(session)
            await conversations.save(caller.telegram_id, ACTION, EXTEND, data, now)
            out.say(turn.t("office.desk.ask_reason", number=case.number, count=days))
        elif action == "c":
            await ConversationRepository(session).save(
                caller.telegram_id, ACTION, RESOLVE, {"case": case_id}, now
            )
            out.say(turn.t("office.desk.ask_note", number=case.number))
        else:
            raise NotAllowed(action)
        out.new_markup = InlineKeyboardMarkup([])
    except (NotAllowed, ValueError, IndexError):
        out.callback_notice = turn.t("error.stale_button")
        out.say(turn.t("office.forward.refused"))


async def _desk_case(turn: Turn, case_id: int) -> Case:
    case = await load_case(turn.session, case_id)
    if not in_supervisor_scope(turn.caller.user, case, turn.runtime.city):
        raise NotAllowed("outside the supervisor's scope")
    if case.status not in OPEN_STATUS_VALUES:
        raise NotAllowed("no longer open")
    return case


async def take_action(turn: Turn, state: str) -> bool:
    """The reason for an extension, or the note a supervisor resolves a case with."""
    session, runtime, caller = turn.session, turn.runtime, turn.caller
    conversations = ConversationRepository(session)
    row = await conversations.load(caller.telegram_id, ACTION)
    text = (turn.incoming.text or "").strip()
    if row is None or not text:
        return False
    await conversations.clear(caller.telegram_id, ACTION)
    now = runtime.clock.now()
    try:
        if state == EXTEND:
            case = await extend_deadline(
                session, caller.user, int(row.data["case"]), int(row.data["days"]), text,
                runtime.city, runtime.catalog, now,
            )  # fmt: skip
            due = say_moment(runtime.catalog, turn.lang, case.due_at, runtime.city.timezone, now)
            turn.out.say(turn.t("office.desk.extended", number=case.number, due=due))
        else:
            desk = CaseDesk(session, runtime.city, runtime.catalog, now,
                            duty_chat=runtime.settings.duty_chat_id)  # fmt: skip
            case = await desk.resolve(caller.user, int(row.data["case"]), text)
            turn.out.say(turn.t("office.desk.resolved", number=case.number))
    except (NotAllowed, AlreadyHandled, IllegalTransition, KeyError, ValueError):
        turn.out.say(turn.t("office.forward.refused"))
    return True


async def on_group_text(turn: Turn) -> None:
    """Text in a group the bot sees (a reply to its message): a department's answer."""
    await take_reply(turn, WAITING)


def build_desk_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    groups = filters.ChatType.GROUPS
    return [
        CommandHandler("desk", edge(on_desk), filters=filters.ChatType.PRIVATE),
        MessageHandler(groups & filters.TEXT & ~filters.COMMAND, edge(on_group_text)),
    ]
