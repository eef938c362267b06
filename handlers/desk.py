"""/desk for supervisors, and 转办 through the bot.

/desk lists, within the supervisor's scope, unassigned, escalated and overdue cases and
unsatisfied evaluations, each with its buttons: reassign (`sv:pick`, handlers.supervisor),
forward to the department (`fw:f:<case>`), record the call-back (`rv:<evaluation>`).
The department's liaison answers a forwarded case with `fw:r:<case>`; their next text is the
reply (conversation REPLY), recorded and relayed by bot.services.forwarding.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.domain.lifecycle import IllegalTransition
from bot.services import notify
from bot.services.case_actions import NotAllowed
from bot.services.desk import read_desk
from bot.services.due_text import say_moment
from bot.services.forwarding import department_of, forward, may_reply, record_reply
from handlers.edge import Turn, edge
from handlers.replies import inline
from storage.models import Case
from storage.repositories import ConversationRepository

REPLY = "department_reply"  # conversation: the liaison's answer to a forwarded case
WAITING = "waiting"


def _line(turn: Turn, case: Case) -> str:
    runtime = turn.runtime
    due = say_moment(runtime.catalog, turn.lang, case.due_at, runtime.city.timezone,
                     runtime.clock.now())  # fmt: skip
    return turn.t(
        "office.desk.line",
        **notify.case_values(case, runtime.city, turn.lang),
        status=turn.t(f"status.{case.status}"),
        due=due,
    )


def _case_buttons(turn: Turn, case: Case) -> list[tuple[str, str]]:
    row = [(turn.t("office.desk.reassign", number=case.number), f"sv:pick:{case.id}")]
    if department_of(case, turn.runtime.city) is not None:
        row.append((turn.t("office.desk.forward"), f"fw:f:{case.id}"))
    return row


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
        lines = [turn.t(f"office.desk.{name}", count=len(cases))]
        lines += [_line(turn, case) for case in cases]
        out.say("\n".join(lines), inline([_case_buttons(turn, case) for case in cases]))
    if not desk.unsatisfied:
        out.say(turn.t("office.desk.unsatisfied_none"))
        return
    lines = [turn.t("office.desk.unsatisfied", count=len(desk.unsatisfied))]
    rows = []
    for evaluation, case in desk.unsatisfied:
        lines.append(_line(turn, case) + (f" — {evaluation.comment}" if evaluation.comment else ""))
        rows.append([(turn.t("office.desk.revisit", number=case.number), f"rv:{evaluation.id}")])
    out.say("\n".join(lines), inline(rows))


async def on_forward_button(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    now = runtime.clock.now()
    try:
        action, case_id = turn.incoming.data.split(":")[1], int(turn.incoming.data.split(":")[2])
        if action == "f":
            case, _ = await forward(session, caller.user, case_id, runtime.city,
                                    runtime.catalog, now)  # fmt: skip
            department = runtime.city.case_type(case.case_type).department.name.get(turn.lang)
            out.say(turn.t("office.forward.done", number=case.number, department=department))
            out.new_markup = InlineKeyboardMarkup([])
        elif action == "r":
            case = await may_reply(session, caller.telegram_id, case_id, runtime.city)
            await ConversationRepository(session).save(
                caller.telegram_id, REPLY, WAITING, {"case": case_id}, now
            )
            out.say(turn.t("office.forward.ask_reply", number=case.number))
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
    if row is None or not text:
        return False
    await conversations.clear(caller.telegram_id, REPLY)
    try:
        case = await record_reply(
            session, caller.telegram_id, caller.user, int(row.data["case"]), text,
            runtime.city, runtime.catalog, runtime.clock.now(), runtime.settings.duty_chat_id,
        )  # fmt: skip
    except (NotAllowed, IllegalTransition, KeyError, ValueError):
        turn.out.say(turn.t("office.forward.refused"))
        return True
    turn.out.say(turn.t("office.forward.reply_recorded", number=case.number))
    return True


def build_desk_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [CommandHandler("desk", edge(on_desk), filters=filters.ChatType.PRIVATE)]
