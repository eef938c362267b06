"""转办: a supervisor forwards a case to its case type's department (config/departments.yaml),
which gets its own deadline; the department's reply, sent through the bot by whoever holds
the department's contact chat, is recorded and relayed to the residents and supervisors.

The forward is a `forwarded` transition whose note names the department; the reply is a
same-status note event, then `resolved`, so the resident confirms and evaluates as usual.

A department's chat is bound in the database by `/join CODE` sent from that chat (a code
from `griddesk invite --role department`), which wins over `contact_chat` in the yaml; the
yaml's `sla` still applies, else DEFAULT_SLA. Without either chat nothing is forwarded:
the supervisor hears that the department has no contact chat yet (NoDepartmentChat).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog
from bot.notices import DepartmentName, Due, Notice, fixed_or_not, press, say_case
from config.schema import CityConfig, Department, DepartmentContact
from domain.calendar import SlaSpan, SlaUnit
from domain.lifecycle import CaseStatus
from services import notify
from services.cases.actions import NotAllowed, in_supervisor_scope, load_case
from services.cases.duty import community_of, supervisors_chain
from services.cases.transitions import record_note, transition
from storage.models import Case, CaseEvent, DepartmentChat, User

REPLY_LIMIT = 2000
FORWARD_BUTTON = "fw"  # callback prefix: fw:r:<case> the department's "reply"
# A department's deadline when departments.yaml gives none (a chat bound by /join only).
DEFAULT_SLA = SlaSpan(5, SlaUnit.WORKING_DAYS)


class NoDepartmentChat(NotAllowed):
    """The case type's department has no contact chat: nothing can be sent there yet."""

    def __init__(self, department: Department) -> None:
        super().__init__(f"department {department.id} has no contact chat")
        self.department = department


def departments(city: CityConfig) -> dict[str, Department]:
    """Every department the case types name, by id, in case_types.yaml order."""
    found: dict[str, Department] = {}
    for case_type in city.case_types.values():
        found.setdefault(case_type.department.id, case_type.department)
    return found


async def department_contact(
    session: AsyncSession, department_id: str, city: CityConfig
) -> DepartmentContact | None:
    """Where a department's forwarded cases go: the chat bound by `/join`, else the yaml's
    contact_chat; None when it has neither. The yaml's sla, else DEFAULT_SLA."""
    configured = city.department_contacts.get(department_id)
    bound = await session.get(DepartmentChat, department_id)
    sla = configured.sla if configured else DEFAULT_SLA
    if bound is not None:
        return DepartmentContact(id=department_id, contact_chat=bound.chat_id, sla=sla)
    return configured


async def department_of(
    session: AsyncSession, case: Case, city: CityConfig
) -> DepartmentContact | None:
    """The contact of the case type's department; None: nowhere to forward it yet."""
    return await department_contact(session, city.case_type(case.case_type).department.id, city)


async def bind_department_chat(
    session: AsyncSession,
    department_id: str,
    chat_id: int,
    chat_kind: str,
    by: User,
    now: datetime,
) -> DepartmentChat:
    """Record `chat_id` ("private" or "group") as the department's contact chat; a new
    binding replaces the old one. Adds or changes the row, no flush."""
    row = (
        await session.execute(
            select(DepartmentChat)
            .where(DepartmentChat.department_id == department_id)
            .with_for_update()
        )
    ).scalar_one_or_none()
    if row is None:
        row = DepartmentChat(department_id=department_id)
        session.add(row)
    row.chat_id, row.chat_kind, row.bound_at, row.bound_by_id = chat_id, chat_kind, now, by.id
    return row


async def forward(
    session: AsyncSession,
    supervisor: User,
    case_id: int,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
) -> tuple[Case, DepartmentContact]:
    """Send the case to its department with the department's deadline; tell the residents.

    `now` is aware UTC. Queues outbox rows, no flush; returns the case and the contact.

    Raises:
        NotAllowed: no such case, or outside the supervisor's scope.
        NoDepartmentChat: the department has no contact chat (nothing changes, nothing sent).
        IllegalTransition: the case's status cannot be forwarded (closed, merged...).
    """
    case = await load_case(session, case_id)
    if not in_supervisor_scope(supervisor, case, city):
        raise NotAllowed("case outside the supervisor's scope")
    department = city.case_type(case.case_type).department
    contact = await department_of(session, case, city)
    if contact is None:
        raise NoDepartmentChat(department)
    transition(session, case, CaseStatus.FORWARDED, supervisor.id, now,
               note=f"forwarded to {department.id}")  # fmt: skip
    case.due_at = city.calendar.deadline(now, contact.sla)
    case.remind_at = None  # the department's deadline: the SLA scan escalates it when missed
    case.sla_reminded_at = case.sla_escalated_at = None
    due = Due(case.due_at, contact.sla, now)
    sent = Notice([say_case(
        "office.forward.to_department", case, department=DepartmentName(case.case_type),
        text=case.text[:500], address=case.address or "—", due=due,
    )]).row(press("office.forward.reply_button", FORWARD_BUTTON, "r", case.id))  # fmt: skip
    if case.latitude is not None and case.longitude is not None:
        sent.extra["location"] = [case.latitude, case.longitude]
    # a department works in the city's language
    notify.tell(session, contact.contact_chat, catalog.default_language, sent, catalog, city,
                now, kind="forward", case=case)  # fmt: skip
    told = Notice([say_case(
        "office.forward.to_resident", case, department=DepartmentName(case.case_type), due=due
    )])  # fmt: skip
    await notify.tell_residents(session, case, told, city, catalog, now)
    return case, contact


async def may_reply(session: AsyncSession, chat_id: int, case_id: int, city: CityConfig) -> Case:
    """The case (loaded for update), if `chat_id` is its department's contact chat and the
    case waits on it.

    Raises:
        NotAllowed: no such case, another chat, or the case is no longer forwarded.
    """
    case = await load_case(session, case_id)
    contact = await department_of(session, case, city)
    if contact is None or contact.contact_chat != chat_id:
        raise NotAllowed("not this case's department")
    if case.status != CaseStatus.FORWARDED.value:
        raise NotAllowed("the case no longer waits on the department")
    return case


async def record_reply(
    session: AsyncSession,
    chat_id: int,
    actor: User,
    case_id: int,
    reply: str,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    duty_chat: int | None = None,
) -> Case:
    """Keep the department's answer, resolve the case with it, and relay it (residents get
    "fixed?" as after any resolution; supervisors are told). `now` is aware UTC; the answer is
    cut to REPLY_LIMIT characters. Queues outbox rows, no flush.

    Raises:
        NotAllowed: as may_reply (no such case, wrong chat, not waiting on the department).
    """
    case = await may_reply(session, chat_id, case_id, city)
    answer = reply.strip()[:REPLY_LIMIT]
    record_note(session, case, actor.id, now, f"department reply: {answer}")
    transition(session, case, CaseStatus.RESOLVED, actor.id, now, note=answer)
    named = DepartmentName(case.case_type)
    relayed = Notice([say_case(
        "office.forward.answer_to_resident", case, department=named, answer=answer
    )]).row(*fixed_or_not(case.id))  # fmt: skip
    await notify.tell_residents(session, case, relayed, city, catalog, now)
    to_staff = Notice([say_case(
        "office.forward.answer_to_staff", case, department=named, answer=answer
    )])  # fmt: skip
    told: dict[int, User | None] = {
        r.chat_id: r.user
        for r in await supervisors_chain(session, city, community_of(case, city), duty_chat)
    }
    # Also whoever forwarded it (a city-wide supervisor is not in a community's chain) and
    # the worker who has the case: both are waiting on the department's answer.
    forwarder = await session.scalar(
        select(CaseEvent.actor_id)
        .where(CaseEvent.case_id == case.id, CaseEvent.to_status == CaseStatus.FORWARDED.value)
        .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
        .limit(1)
    )
    for user_id in (forwarder, case.assignee_id):
        person = await session.get(User, user_id) if user_id else None
        if person is not None and person.active and person.role in ("worker", "supervisor"):
            told.setdefault(person.telegram_id, person)
    for chat_id, person in told.items():
        lang = notify.language_of(person, catalog.default_language) if person else (
            catalog.default_language
        )
        notify.tell(session, chat_id, lang, to_staff, catalog, city, now, kind="status",
                    case=case)  # fmt: skip
    return case
