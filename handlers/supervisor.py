"""Supervisors: join with an invite code, reassign escalated cases, see what is overdue."""

from __future__ import annotations

from sqlalchemy import select
from telegram.ext import BaseHandler, CommandHandler, filters

from bot.callback_data import CallbackData, button_data
from bot.due_text import say_moment
from domain.lifecycle import OPEN_STATUSES, IllegalTransition
from handlers import department, staff_name, worker
from handlers.edge import Turn, edge
from handlers.replies import inline
from services.cases.actions import CaseDesk, NotAllowed, in_supervisor_scope, load_case
from services.staff import DEPARTMENT, InviteError, join, offer_waiting_cases
from storage.conversations import ConversationRepository
from storage.models import Case, CaseEvent, User

OVERDUE_LIMIT = 20


async def on_join(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    code = " ".join(turn.incoming.text.split()[1:])
    t, lang = runtime.catalog.t, caller.lang
    if not code:
        out.say(t(lang, "staff.join_usage"))
    else:
        try:
            in_group = caller.chat_id != caller.telegram_id
            invite = await join(session, caller.user, code, runtime.clock.now(),
                                chat_id=caller.chat_id,
                                chat_kind="group" if in_group else "private")  # fmt: skip
            if invite.role == DEPARTMENT:  # this chat now receives the department's 转办
                department.say_bound(turn, invite, in_group)
                return
            scope = (
                runtime.city.grids[invite.grid_id].name.get(lang)
                if invite.grid_id
                else runtime.city.communities[invite.community_id].name.get(lang)
                if invite.community_id
                else t(lang, "staff.scope_city")
            )
            welcome = t(lang, f"staff.joined_{invite.role}", scope=scope)
            if not caller.user.display_name:
                welcome += "\n" + t(lang, "office.staff.name_hint")
            out.say(welcome)
            offered = await offer_waiting_cases(
                session, caller.user, runtime.city, runtime.catalog, runtime.clock.now()
            )
            if offered:
                out.say(t(lang, "delivery.waiting_offered", count=offered))
        except InviteError as exc:
            out.say(t(lang, exc.key))


async def pickable_workers(turn: Turn, case: Case, *, everyone: bool = False) -> list[User]:
    """The workers a supervisor may give the case to: active and reachable, in the grids of
    the case's community (else the supervisor's); not whoever just escalated or handed it
    back, unless nobody else is there (or `everyone`: a worker named by the supervisor)."""
    session, city = turn.session, turn.runtime.city
    grid = city.grids.get(case.grid_id or "")
    community = grid.community_id if grid else turn.caller.user.community_id
    grids = [g.id for g in city.grids.values() if community is None or g.community_id == community]
    workers = list(
        await session.scalars(
            select(User)
            .where(
                User.role == "worker",
                User.active.is_(True),
                User.unreachable_at.is_(None),
                User.grid_id.in_(grids),
            )
            .order_by(User.id)
        )
    )
    gave_up = await session.scalar(
        select(CaseEvent.actor_id)
        .where(
            CaseEvent.case_id == case.id,
            CaseEvent.to_status.in_(["escalated", "new"]),
            CaseEvent.actor_id.is_not(None),
        )
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )
    return workers if everyone else [w for w in workers if w.id != gave_up] or workers


def pick_rows(turn: Turn, case: Case, workers: list[User]) -> list[list[tuple[str, str]]]:
    """One button per worker: their name and grid, pressing it reassigns (`sv:to`)."""
    label = staff_name.staff_label
    return [
        [(label(w, turn.runtime.city, turn.lang), button_data("sv", "to", case.id, w.id))]
        for w in workers
    ]


async def on_supervisor_button(turn: Turn) -> None:
    """`sv:pick:<case>` lists workers in scope; `sv:to:<case>:<user>` reassigns."""
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    pressed = CallbackData.decode(turn.incoming.data)
    t, lang = runtime.catalog.t, caller.lang
    try:
        case = await load_case(session, pressed.int_arg(0))
        if not in_supervisor_scope(caller.user, case, runtime.city):
            raise NotAllowed("outside scope")
        if pressed.action == "pick":
            workers = await pickable_workers(turn, case)
            rows = pick_rows(turn, case, workers)
            out.say(
                t(
                    lang,
                    "staff.pick_worker" if rows else "staff.no_workers",
                    number=case.number,
                ),
                inline(rows) if rows else None,
            )
        elif pressed.action == "ans":
            await ConversationRepository(session).save(
                caller.telegram_id,
                worker.CONVERSATION,
                worker.CONSULT_ANSWER,
                {"case_id": case.id},
                runtime.clock.now(),
            )
            out.say(t(lang, "consult.ask_answer", number=case.number))
        elif pressed.action == "to":
            desk = CaseDesk(session, runtime.city, runtime.catalog, runtime.clock.now())
            await desk.reassign(caller.user, case.id, pressed.int_arg(1))
            out.say(t(lang, "staff.reassigned", number=case.number))
        else:
            raise NotAllowed(pressed.action)
    except (NotAllowed, ValueError, IndexError):
        out.callback_notice = t(lang, "error.not_allowed")
        out.say(t(lang, "error.not_allowed_hint"))
    except IllegalTransition:
        out.say(t(lang, "staff.already_moved"))


async def on_overdue(turn: Turn) -> None:
    session, runtime, caller, out = turn.session, turn.runtime, turn.caller, turn.out
    t, lang = runtime.catalog.t, caller.lang
    if caller.user.role != "supervisor" or not caller.user.active:
        out.say(t(lang, "staff.not_staff"))
    else:
        now = runtime.clock.now()
        cases = (
            (
                await session.execute(
                    select(Case)
                    .where(Case.status.in_([s.value for s in OPEN_STATUSES]), Case.due_at < now)
                    .order_by(Case.due_at)
                )
            )
            .scalars()
            .all()
        )
        mine = [c for c in cases if in_supervisor_scope(caller.user, c, runtime.city)]
        lines = [t(lang, "staff.overdue_header", count=len(mine))]
        lines += [
            t(
                lang,
                "staff.overdue_line",
                number=c.number,
                status=t(lang, f"status.{c.status}"),
                due=say_moment(
                    runtime.catalog, lang, c.due_at, runtime.city.timezone, runtime.clock.now()
                ),
            )
            for c in mine[:OVERDUE_LIMIT]
        ]
        out.say("\n".join(lines))


def build_supervisor_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("join", edge(on_join), filters=private),
        # a department's group binds itself as the 转办 contact (handlers.department)
        CommandHandler("join", edge(on_join), filters=filters.ChatType.GROUPS),
        CommandHandler("overdue", edge(on_overdue), filters=private),
    ]
