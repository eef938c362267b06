"""A case named by staff: `/case 17`, or typed "17", "case 17", "#17", "17号", "GD-17" (trial
10, item 5). The number in the text is untrusted: only cases the sender may work on are
looked at (the assigned worker; a supervisor whose scope covers it), and a number naming
none of those says so plainly instead of a resident's answer.

The case is shown as its card with the buttons of the one who typed it (the worker's
accept / start / resolve; the supervisor's reassign / forward / extend / resolve) and its
whole text. A supervisor's typed action ("done 17", "办结 17 已清理", "17号完成了") acts when it
is one a supervisor may do (resolve, note); accept and start belong to the assigned worker,
and the supervisor is told so with the case shown.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.callback_data import button_data
from bot.telegram_limits import split_text
from config.schema import CityConfig
from domain.lifecycle import OPEN_STATUS_VALUES, IllegalTransition
from handlers import desk, supervisor, worker
from handlers.edge import Turn
from handlers.replies import inline
from handlers.staff_name import staff_label
from handlers.staff_words import CaseRef, Command, Reassign, read_command, read_reassign, read_ref
from handlers.typed_fold import fold
from services.cases.actions import AlreadyHandled, CaseDesk, NotAllowed, may_work_on
from storage.models import Case, User

MAX_MATCHES = 20  # cases sharing a short number (one per year), looked at for scope


async def find_case(turn: Turn, ref: CaseRef) -> Case | None:
    """The case `ref` names that the caller may work on, an open one first; None when the
    number names none of theirs (or names several: the whole number is needed)."""
    pattern = ref.number() or f"%-{ref.seq:06d}"
    found = await turn.session.scalars(
        select(Case).where(Case.number.like(pattern)).order_by(Case.id.desc()).limit(MAX_MATCHES)
    )
    city = turn.runtime.city
    mine = [c for c in found if may_work_on(turn.caller.user, c, city)]
    open_ones = [c for c in mine if c.status in OPEN_STATUS_VALUES]
    if len(open_ones) == 1:
        return open_ones[0]
    return mine[0] if len(mine) == 1 else None


def _buttons(turn: Turn, case: Case) -> list[list[tuple[str, str]]]:
    user = turn.caller.user
    if user.role == "supervisor":
        return desk.case_buttons(turn, case) if case.status in OPEN_STATUS_VALUES else []
    return worker.case_buttons(turn.runtime, turn.lang, case)


async def show_case(turn: Turn, case: Case, *, whole_text: bool = False) -> None:
    """The case's card with the caller's buttons, then its whole text if the card cut it;
    `whole_text` (/case): the whole text only, as the ping's "/case" promised, the buttons
    under its last part."""
    rows = _buttons(turn, case)
    markup = inline(rows) if rows else None
    if not whole_text:
        turn.out.say(worker.card(turn.runtime, turn.lang, case), markup)
        if len(case.text) > worker.CARD_TEXT:
            worker.say_full_text(turn.runtime, turn.lang, case, turn.out)
        return
    turn.out.say(turn.t("delivery.full_text_header", number=case.number))
    parts = [part for part in split_text(case.text) if part.strip()] or [case.number]
    for part in parts[:-1]:
        turn.out.say(part)
    turn.out.say(parts[-1], markup)


async def show_typed(turn: Turn, ref: CaseRef, *, whole_text: bool = False) -> None:
    """A number typed (or sent with /case) by staff: the case, or why not."""
    case = await find_case(turn, ref)
    if case is None:
        turn.out.say(turn.t("staff_case.not_found", number=ref.said()))
    else:
        await show_case(turn, case, whole_text=whole_text)


async def take_supervisor(turn: Turn) -> bool:
    """A supervisor's typed case number or action. False for other words."""
    text = turn.incoming.text
    reassign = read_reassign(text)  # "把 GD-7 改派给李明", "reassign GD-7 to Li Ming"
    if reassign is not None:
        await _reassign_typed(turn, reassign)
        return True
    ref = read_ref(text)
    if ref is not None:
        await show_typed(turn, ref)
        return True
    command = read_command(text)
    if command is None or command.ack:
        return False
    if command.ref is None:  # "done" with no number: which case is theirs to say
        turn.out.say(turn.t("staff_case.which_number"))
        return True
    case = await find_case(turn, command.ref)
    if case is None:
        turn.out.say(turn.t("staff_case.not_found", number=command.ref.said()))
        return True
    await _supervisor_acts(turn, command, case)
    return True


async def _supervisor_acts(turn: Turn, command: Command, case: Case) -> None:
    if command.action in ("acc", "start"):  # the assigned worker's steps, not the desk's
        assignee = await turn.session.get(User, case.assignee_id) if case.assignee_id else None
        key = "staff_case.worker_only" if assignee is not None else "staff_case.unassigned"
        turn.out.say(turn.t(key, number=case.number))
        await show_case(turn, case)
        return
    if case.status not in OPEN_STATUS_VALUES:
        worker.say_already_handled(turn.runtime, turn.lang, case, turn.out)
        return
    if command.action == "res" and not command.rest.strip():  # the note is asked, as /desk does
        turn.incoming = turn.incoming.pressed(button_data("dk", "c", case.id))
        await desk.on_desk_button(turn)
        return
    runtime, now = turn.runtime, turn.runtime.clock.now()
    case_desk = CaseDesk(turn.session, runtime.city, runtime.catalog, now,
                         duty_chat=runtime.settings.duty_chat_id)  # fmt: skip
    note = command.rest.strip()[: worker.MAX_NOTE]
    try:
        if command.action == "res":
            done = await case_desk.resolve(turn.caller.user, case.id, note)
            turn.out.say(turn.t("office.desk.resolved", number=done.number))
        elif note:
            done = await case_desk.add_note(turn.caller.user, case.id, note)
            turn.out.say(turn.t("staff.note_ok", number=done.number))
        else:
            turn.incoming = turn.incoming.pressed(button_data("wk", "note", case.id))
            await worker.on_worker_button(turn)
    except AlreadyHandled as stale:
        worker.say_already_handled(runtime, turn.lang, stale.case, turn.out)
    except NotAllowed:
        turn.out.say(turn.t("error.not_allowed_hint"))


def named_worker(name: str, workers: list[User], city: CityConfig) -> User | None:
    """The one worker the typed name means: their name as given with /name (whole, else the
    start or a part of it), else their grid's name; None when none or several fit."""
    said = fold(name)
    named = [w for w in workers if w.display_name and fold(w.display_name) == said]
    if not named and len(said) >= 2:
        named = [w for w in workers if w.display_name and said in fold(w.display_name)]
    if not named:
        grids = {g.id for g in city.grids.values() if said in (fold(g.name.zh), fold(g.name.en))}
        named = [w for w in workers if w.grid_id in grids]
    return named[0] if len(named) == 1 else None


async def _reassign_typed(turn: Turn, said: Reassign) -> None:
    """A supervisor's one-sentence reassignment: to the worker named, as the sv:to button
    does; a name that fits no single worker who may take it lists those who may."""
    case = await find_case(turn, said.ref)
    if case is None:
        turn.out.say(turn.t("staff_case.not_found", number=said.ref.said()))
        return
    if case.status not in OPEN_STATUS_VALUES:
        worker.say_already_handled(turn.runtime, turn.lang, case, turn.out)
        return
    runtime = turn.runtime
    chosen = named_worker(
        said.name, await supervisor.pickable_workers(turn, case, everyone=True), runtime.city
    )
    if chosen is None:
        rows = supervisor.pick_rows(turn, case, await supervisor.pickable_workers(turn, case))
        if not rows:
            turn.out.say(turn.t("staff.no_workers", number=case.number))
            return
        turn.out.say(
            turn.t("staff_case.no_such_worker", name=said.name, number=case.number), inline(rows)
        )
        return
    case_desk = CaseDesk(turn.session, runtime.city, runtime.catalog, runtime.clock.now())
    try:
        await case_desk.reassign(turn.caller.user, case.id, chosen.id)
    except NotAllowed:
        turn.out.say(turn.t("error.not_allowed_hint"))
        return
    except IllegalTransition:
        turn.out.say(turn.t("staff.already_moved"))
        return
    name = staff_label(chosen, runtime.city, turn.lang)
    turn.out.say(turn.t("staff_case.reassigned_to", number=case.number, name=name))
