"""The supervisor's desk: what needs them now, within their scope (their community, or the
city): cases nobody has, escalated cases, cases past due, and unsatisfied evaluations still
waiting for their 回访; and what a supervisor does from it besides reassigning and
forwarding: extend a deadline with a reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog
from bot.notices import Moment, Notice, say_case
from config.schema import CityConfig
from domain.calendar import REMIND_AT_SHARE, SlaSpan, SlaUnit
from domain.lifecycle import OPEN_STATUS_VALUES, CaseStatus
from services import notify
from services.cases.actions import NotAllowed, in_supervisor_scope, load_case
from services.cases.filing import URGENT_FIRST
from services.cases.transitions import record_note
from services.statistics.kpi import UNSATISFIED
from storage.models import Case, Evaluation, User

SHOWN = 8  # cases per list: a phone screen of buttons
READ = 200  # rows read per list before the scope filter
MAX_EXTENSION_DAYS = 20
NOTE_LIMIT = 1000


@dataclass
class Desk:
    """What needs a supervisor now, each list at most SHOWN long, most urgent first: cases
    nobody has, escalated, past due, and (evaluation, case) pairs waiting for a 回访."""

    unassigned: list[Case] = field(default_factory=list)
    escalated: list[Case] = field(default_factory=list)
    overdue: list[Case] = field(default_factory=list)
    unsatisfied: list[tuple[Evaluation, Case]] = field(default_factory=list)
    # How many each list has in all (of the READ rows looked at), when more than shown.
    totals: dict[str, int] = field(default_factory=dict)


async def read_desk(
    session: AsyncSession, supervisor: User, city: CityConfig, now: datetime
) -> Desk:
    """The supervisor's desk within their scope (community, or the city); `now` is aware UTC
    and decides what is past due. Reads only."""

    totals: dict[str, int] = {}

    def mine(name: str, cases: list[Case]) -> list[Case]:
        kept = [c for c in cases if in_supervisor_scope(supervisor, c, city)]
        totals[name] = len(kept)
        return kept[:SHOWN]

    async def cases(*where: object) -> list[Case]:
        found = await session.execute(
            select(Case)
            .where(*where)  # type: ignore[arg-type]
            .order_by(URGENT_FIRST, Case.due_at, Case.id)
            .limit(READ)
        )
        return list(found.scalars())

    desk = Desk(
        unassigned=mine(
            "unassigned", await cases(Case.status == CaseStatus.NEW.value, Case.kind == "report")
        ),
        escalated=mine("escalated", await cases(Case.status == CaseStatus.ESCALATED.value)),
        overdue=mine(
            "overdue", await cases(Case.status.in_(OPEN_STATUS_VALUES), Case.due_at < now)
        ),
        totals=totals,
    )
    waiting = await session.execute(
        select(Evaluation, Case)
        .join(Case, Case.id == Evaluation.case_id)
        .where(Evaluation.grade == UNSATISFIED, Evaluation.revisit_at.is_(None))
        .order_by(Evaluation.revisit_due_at, Evaluation.id)
        .limit(READ)
    )
    desk.unsatisfied = [
        (evaluation, case)
        for evaluation, case in waiting.all()
        if in_supervisor_scope(supervisor, case, city)
    ][:SHOWN]
    return desk


async def extend_deadline(
    session: AsyncSession,
    supervisor: User,
    case_id: int,
    working_days: int,
    reason: str,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
) -> Case:
    """Move an open case's due time on by `working_days` (from the later of now and the old
    due time), with the reason on record; the worker and the residents are told (outbox rows
    added, no flush). `now` is aware UTC; the reason is cut to NOTE_LIMIT characters.

    Raises:
        NotAllowed: no such case, outside the supervisor's scope, not open, or `working_days`
            outside 1..MAX_EXTENSION_DAYS.
    """
    case = await load_case(session, case_id)
    if not in_supervisor_scope(supervisor, case, city):
        raise NotAllowed("case outside the supervisor's scope")
    if case.status not in OPEN_STATUS_VALUES:
        raise NotAllowed("the case is no longer open")
    if not 1 <= working_days <= MAX_EXTENSION_DAYS:
        raise NotAllowed("extension out of range")
    why = reason.strip()[:NOTE_LIMIT]
    span = SlaSpan(working_days, SlaUnit.WORKING_DAYS)
    case.due_at = city.calendar.deadline(max(now, case.due_at), span)
    case.remind_at = city.calendar.share_of(now, case.due_at, REMIND_AT_SHARE, working=True)
    case.sla_reminded_at = case.sla_escalated_at = None
    note = f"deadline extended by {span} to {case.due_at.isoformat()}: {why}"
    record_note(session, case, supervisor.id, now, note)
    people: list[User] = await notify.residents_of(session, case)
    worker = await session.get(User, case.assignee_id) if case.assignee_id else None
    if worker is not None and worker.active:
        people.append(worker)
    extended = Notice([say_case(
        "office.desk.extended_notice", case, due=Moment(case.due_at, now), reason=why or "—"
    )])  # fmt: skip
    for person in people:
        lang = notify.language_of(person, case.language)
        notify.tell(session, person.telegram_id, lang, extended, catalog, city, now,
                    kind="status", case=case)  # fmt: skip
    return case
