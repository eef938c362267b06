"""Questions the knowledge base cannot answer become consultation cases for staff.

A resident always has a human answer path: the question goes to the
supervisors of their community, and the first answer goes back to them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog
from bot.notices import CommunityName, Moment, Notice, Say, press, say_case
from bot.telegram_limits import excerpt
from config.schema import CityConfig
from domain.lifecycle import CaseStatus
from services import notify
from services.cases.actions import NotAllowed, in_supervisor_scope, load_case
from services.cases.duty import supervisors_chain
from services.cases.transitions import record_creation, transition
from storage.models import Case, User
from storage.repositories import CaseRepository

CONSULTATION = "consultation"
CONSULTATION_CASE_TYPE = "other"


async def community_of(session: AsyncSession, city: CityConfig, resident: User) -> str | None:
    """The community id of the resident's latest case with a grid; None when they have none."""
    grid_id = (
        await session.execute(
            select(Case.grid_id)
            .where(Case.reporter_id == resident.id, Case.grid_id.is_not(None))
            .order_by(Case.id.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    grid = city.grids.get(grid_id or "")
    return grid.community_id if grid else None


async def open_consultation(
    session: AsyncSession,
    text: str,
    lang: str,
    resident: User,
    community_id: str | None,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    *,
    duty_chat: int | None = None,
    where: str | None = None,
) -> tuple[Case, int]:
    """File the question and ping the community's staff through the duty chain (community
    supervisors, city supervisors, the duty chat). Returns the case and how many chats were
    pinged: 0 means nobody will see it, and the resident must be told so. `now` is aware UTC;
    the due time is the city's consultation SLA from it. Flushes (the case gets its id).
    `community_id` None: the resident's community is none of the listed ones ("none of
    these"): the street office (city supervisors, then the duty chat) is asked, and `where`
    (the resident's own words for where they live, if any) is kept as the case's address.

    Raises:
        KeyError: `community_id` is not a configured community (and someone is pinged).
    """
    case_type = city.case_type(CONSULTATION_CASE_TYPE)
    case = Case(
        number=await CaseRepository(session).next_number(now.astimezone(city.timezone).year),
        kind=CONSULTATION,
        case_type=case_type.id,
        status=CaseStatus.NEW.value,
        priority=str(case_type.priority),
        text=text,
        language=lang,
        community_id=community_id,
        address=where,
        reporter_id=resident.id,
        reporter_count=1,
        created_at=now,
        updated_at=now,
    )
    # Staff answer within the consultation SLA: the answer is both acceptance and the end.
    case.accept_due_at = case.due_at = city.calendar.deadline(now, city.consultation_sla)
    session.add(case)
    await session.flush()
    record_creation(session, case, resident.id, now)
    quoted, shortened = excerpt(text)  # a 4,096-character question fits no ping whole
    chain = await supervisors_chain(session, city, community_id, duty_chat)
    ping = Notice([Say(
        "consult.to_staff", number=case.number, text=quoted,
        community=_community_said(community_id, where), due=Moment(case.due_at, now),
    )]).row(press("button.answer", "sv", "ans", case.id))  # fmt: skip
    if shortened:
        ping.line(Say("delivery.full_text_hint", number=case.number))
        ping.row(press("delivery.button_full_text", "wk", "full", case.id))
    for recipient in chain:
        staff_lang = catalog.default_language
        if recipient.user is not None:
            staff_lang = notify.language_of(recipient.user, staff_lang)
        notify.tell(session, recipient.chat_id, staff_lang, ping, catalog, city, now,
                    kind="consultation", case=case)  # fmt: skip
    return case, len(chain)


def _community_said(community_id: str | None, where: str | None) -> CommunityName | Say:
    """The community in a ping to staff, or "not a listed one" with the resident's words."""
    if community_id is not None:
        return CommunityName(community_id)
    if where:
        return Say("consult.unlisted_community_at", where=where)
    return Say("consult.unlisted_community")


async def answer_consultation(
    session: AsyncSession,
    staff: User,
    case_id: int,
    answer: str,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
) -> Case:
    """Close the consultation with staff's answer (assigned, accepted, resolved, closed in
    one go) and queue the answer to the residents. `now` is aware UTC; no flush.

    Raises:
        NotAllowed: no such case, not a consultation, or outside the supervisor's scope.
        IllegalTransition: the consultation is no longer waiting (already answered).
    """
    case = await load_case(session, case_id)
    if case.kind != CONSULTATION or not in_supervisor_scope(staff, case, city):
        raise NotAllowed("not a consultation in this supervisor's scope")
    # The 12345 steps in order, so the event log reads like any other case.
    transition(session, case, CaseStatus.ASSIGNED, staff.id, now, note="answered by staff")
    case.assignee_id = staff.id
    transition(session, case, CaseStatus.ACCEPTED, staff.id, now)
    transition(session, case, CaseStatus.RESOLVED, staff.id, now, note=answer)
    transition(session, case, CaseStatus.CLOSED, staff.id, now, note="consultation answered")
    answered = Notice([say_case("consult.answered", case, answer=answer)])
    await notify.tell_residents(session, case, answered, city, catalog, now)
    return case
