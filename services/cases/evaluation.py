"""12345 evaluation (评价) and the follow-up call it may open (回访).

After "fixed", each resident of the case (reporter, followers) grades it once: 满意 /
基本满意 / 不满意, with an optional comment. 不满意 opens a 回访 task for the community
supervisors (the duty chain of the case's community), due within `REVISIT_SLA` working
time; the supervisor who calls back records the outcome, and the resident is told it.

Plain Python over a session; the handler turns the exceptions into words.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog
from bot.notices import Due, Notice, Say, press, say_case
from config.schema import CityConfig
from domain.calendar import SlaSpan, SlaUnit
from domain.lifecycle import CaseStatus
from services import notify
from services.cases.actions import NotAllowed, in_supervisor_scope, load_case
from services.cases.duty import community_of, supervisors_chain
from services.statistics.kpi import GRADES, UNSATISFIED
from storage.models import Case, CaseFollower, Evaluation, User

REVISIT_SLA = SlaSpan(1, SlaUnit.WORKING_DAYS)
COMMENT_LIMIT = 1000  # characters kept of a comment or a 回访 outcome
REVISIT_BUTTON = "rv"  # callback data prefix of the supervisor's "record the outcome"


class AlreadyEvaluated(Exception):
    """The resident already graded (or commented on) this case, or its 回访 is recorded;
    `evaluation` is the existing row."""

    def __init__(self, evaluation: Evaluation) -> None:
        super().__init__(f"case {evaluation.case_id} already evaluated")
        self.evaluation = evaluation


async def evaluate(
    session: AsyncSession,
    resident: User,
    case_id: int,
    grade: str,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    duty_chat: int | None = None,
) -> tuple[Case, Evaluation]:
    """Record the resident's grade (one of GRADES); 不满意 sets the 回访 due time (aware UTC,
    REVISIT_SLA of office time from `now`, aware UTC) and queues the task to the supervisors.
    Flushes; returns the case and the new evaluation.

    Raises:
        NotAllowed: unknown grade, no such case, not their case, or not confirmed fixed.
        AlreadyEvaluated: this resident graded this case before.
    """
    if grade not in GRADES:
        raise NotAllowed(f"unknown grade {grade!r}")
    case = await load_case(session, case_id)
    await _check_may_evaluate(session, resident, case)
    found = await session.execute(
        select(Evaluation).where(Evaluation.case_id == case.id, Evaluation.user_id == resident.id)
    )
    existing = found.scalar_one_or_none()
    if existing is not None:
        raise AlreadyEvaluated(existing)
    evaluation = Evaluation(case_id=case.id, user_id=resident.id, grade=grade, at=now)
    if grade == UNSATISFIED:
        evaluation.revisit_due_at = city.calendar.deadline(now, REVISIT_SLA)
    session.add(evaluation)
    await session.flush()
    if grade == UNSATISFIED:
        await _tell_supervisors(session, case, evaluation, "office.revisit.task", city, catalog,
                                now, duty_chat, buttons=True)  # fmt: skip
    return case, evaluation


async def _check_may_evaluate(session: AsyncSession, resident: User, case: Case) -> None:
    """The reporter once the case is closed as fixed; a follower once they said fixed."""
    if case.reporter_id == resident.id:
        if case.status != CaseStatus.CLOSED.value:
            raise NotAllowed("the case is not closed as fixed")
        return
    follower = (
        await session.execute(
            select(CaseFollower).where(
                CaseFollower.case_id == case.id, CaseFollower.user_id == resident.id
            )
        )
    ).scalar_one_or_none()
    if follower is None or not follower.fixed:
        raise NotAllowed("not a resident who confirmed this case fixed")


async def add_comment(
    session: AsyncSession,
    resident: User,
    evaluation_id: int,
    text: str,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    duty_chat: int | None = None,
) -> tuple[Case, Evaluation]:
    """The resident's own words on their evaluation (once, cut to COMMENT_LIMIT characters);
    an unsatisfied one goes on to the supervisors, who need it for the 回访. `now` is aware UTC.

    Raises:
        NotAllowed: no such evaluation, or it is another resident's.
        AlreadyEvaluated: the evaluation already has a comment.
    """
    evaluation = await session.get(Evaluation, evaluation_id, with_for_update=True)
    if evaluation is None or evaluation.user_id != resident.id:
        raise NotAllowed("not this resident's evaluation")
    if evaluation.comment is not None:
        raise AlreadyEvaluated(evaluation)
    evaluation.comment = text.strip()[:COMMENT_LIMIT]
    case = await load_case(session, evaluation.case_id)
    if evaluation.grade == UNSATISFIED and evaluation.revisit_at is None:
        await _tell_supervisors(session, case, evaluation, "office.revisit.comment", city,
                                catalog, now, duty_chat)  # fmt: skip
    return case, evaluation


async def record_revisit(
    session: AsyncSession,
    supervisor: User,
    evaluation_id: int,
    outcome: str,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
) -> tuple[Case, Evaluation]:
    """The supervisor called the resident back: keep the outcome (cut to COMMENT_LIMIT) with
    `now` (aware UTC) as revisit_at, and tell the resident. Returns the case and evaluation.

    Raises:
        NotAllowed: no unsatisfied evaluation of that id, or the case is outside the scope.
        AlreadyEvaluated: the 回访 outcome is already recorded.
    """
    evaluation = await session.get(Evaluation, evaluation_id, with_for_update=True)
    if evaluation is None or evaluation.grade != UNSATISFIED:
        raise NotAllowed("no 回访 for this evaluation")
    case = await load_case(session, evaluation.case_id)
    if not in_supervisor_scope(supervisor, case, city):
        raise NotAllowed("case outside the supervisor's scope")
    if evaluation.revisit_at is not None:
        raise AlreadyEvaluated(evaluation)
    evaluation.revisit_by_id = supervisor.id
    evaluation.revisit_at = now
    evaluation.revisit_note = outcome.strip()[:COMMENT_LIMIT]
    resident = await session.get(User, evaluation.user_id)
    if resident is not None and resident.active:
        lang = notify.language_of(resident, case.language)
        heard = Notice([say_case(
            "office.revisit.outcome_to_resident", case, outcome=evaluation.revisit_note
        )])  # fmt: skip
        notify.tell(session, resident.telegram_id, lang, heard, catalog, city, now,
                    kind="status", case=case)  # fmt: skip
    return case, evaluation


async def _tell_supervisors(
    session: AsyncSession,
    case: Case,
    evaluation: Evaluation,
    key: str,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    duty_chat: int | None,
    *,
    buttons: bool = False,
) -> int:
    chain = await supervisors_chain(session, city, community_of(case, city), duty_chat)
    due = evaluation.revisit_due_at
    notice = Notice([say_case(
        key, case,
        comment=evaluation.comment or Say("office.revisit.no_comment"),
        due=Due(due, REVISIT_SLA, now) if due else "",
    )])  # fmt: skip
    with_button = Notice(notice.lines).row(
        press("office.revisit.button", REVISIT_BUTTON, str(evaluation.id))
    )
    for recipient in chain:
        staff = recipient.user
        lang = notify.language_of(staff, catalog.default_language) if staff else "zh"
        told = with_button if buttons and staff is not None else notice
        notify.tell(session, recipient.chat_id, lang, told, catalog, city, now, kind="revisit",
                    case=case)  # fmt: skip
    return len(chain)
