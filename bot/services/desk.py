"""The supervisor's desk: what needs them now, within their scope (their community, or the
city): cases nobody has, escalated cases, cases past due, and unsatisfied evaluations still
waiting for their 回访."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.lifecycle import OPEN_STATUS_VALUES, CaseStatus
from bot.services.case_actions import in_supervisor_scope
from bot.services.kpi import UNSATISFIED
from config.schema import CityConfig
from storage.models import Case, Evaluation, User

SHOWN = 8  # cases per list: a phone screen of buttons
READ = 200  # rows read per list before the scope filter


@dataclass
class Desk:
    unassigned: list[Case] = field(default_factory=list)
    escalated: list[Case] = field(default_factory=list)
    overdue: list[Case] = field(default_factory=list)
    unsatisfied: list[tuple[Evaluation, Case]] = field(default_factory=list)


async def read_desk(
    session: AsyncSession, supervisor: User, city: CityConfig, now: datetime
) -> Desk:
    def mine(cases: list[Case]) -> list[Case]:
        return [c for c in cases if in_supervisor_scope(supervisor, c, city)][:SHOWN]

    async def cases(*where: object) -> list[Case]:
        found = await session.execute(
            select(Case).where(*where).order_by(Case.due_at, Case.id).limit(READ)  # type: ignore[arg-type]
        )
        return list(found.scalars())

    desk = Desk(
        unassigned=mine(await cases(Case.status == CaseStatus.NEW.value, Case.kind == "report")),
        escalated=mine(await cases(Case.status == CaseStatus.ESCALATED.value)),
        overdue=mine(await cases(Case.status.in_(OPEN_STATUS_VALUES), Case.due_at < now)),
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
