"""Filing a resident's report as a case, and telling the grid's staff.

Plain Python over a session: handlers call it with plain values, tests call
it without Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from bot.domain.calendar import SlaSpan, case_deadlines
from bot.domain.lifecycle import OPEN_STATUSES, CaseStatus
from bot.i18n import Catalog
from bot.services import notify
from bot.services.drafts import ReportDraft
from bot.services.due_text import resolve_span, say_moment
from bot.services.privacy import mask_phone, record_access
from bot.services.transitions import record_creation, transition
from config.schema import CaseType, CityConfig
from storage.models import Attachment, Case, User
from storage.repositories import CaseRepository

URGENT = "urgent"
# An emergency is not a case type; it is filed as an urgent safety case.
EMERGENCY_CASE_TYPE = "safety_hazard"


@dataclass(frozen=True)
class FiledCase:
    number: str
    case_type: str
    due_at: datetime
    assignee_telegram_id: int | None
    resolve_span: SlaSpan  # what due_at was counted from, to say "within 3 working days"


def _set_deadlines(
    case: Case, case_type: CaseType, city: CityConfig, start: datetime, *, urgent: bool
) -> None:
    """Accept-by, resolve-by and remind-at in the city's working calendar."""
    deadlines = case_deadlines(
        city.calendar, start, case_type.sla_accept, case_type.sla_resolve, urgent=urgent
    )
    case.accept_due_at = deadlines.accept_due_at
    case.due_at = deadlines.due_at
    case.remind_at = deadlines.remind_at


async def file_report(
    session: AsyncSession,
    draft: ReportDraft,
    reporter: User,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
) -> FiledCase:
    """Store the case with its creation event, assign it, and queue the staff pings."""
    case_type_id = EMERGENCY_CASE_TYPE if draft.emergency else (draft.case_type or "other")
    case_type = city.case_type(case_type_id)
    year = now.astimezone(city.timezone).year
    cases = CaseRepository(session)
    case = Case(
        number=await cases.next_number(year),
        case_type=case_type.id,
        status=CaseStatus.NEW.value,
        priority=URGENT if draft.emergency else str(case_type.priority),
        text=draft.text,
        language=draft.language,
        latitude=draft.latitude,
        longitude=draft.longitude,
        address=draft.address,
        grid_id=draft.grid_id,
        reporter_id=reporter.id,
        contact_phone=draft.contact_phone,
        nlu_confidence=draft.confidence,
        reporter_count=1,
        created_at=now,
        updated_at=now,
    )
    _set_deadlines(case, case_type, city, now, urgent=draft.emergency)
    cases.add(case)
    await session.flush()
    record_creation(session, case, reporter.id, now)
    for file_id in draft.photo_file_ids:
        session.add(
            Attachment(
                case_id=case.id,
                kind="photo",
                telegram_file_id=file_id,
                added_by_id=reporter.id,
                added_at=now,
            )
        )
    filed_worker = await dispatch_to_grid(
        session,
        case,
        city,
        catalog,
        now,
        emergency=draft.emergency,
        photo=draft.photo_file_ids[0] if draft.photo_file_ids else None,
    )
    return FiledCase(
        case.number,
        case.case_type,
        case.due_at,
        filed_worker,
        resolve_span(case_type, urgent=draft.emergency),
    )


async def dispatch_to_grid(
    session: AsyncSession,
    case: Case,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    *,
    emergency: bool = False,
    photo: str | None = None,
) -> int | None:
    """Assign to the grid's least-loaded worker; supervisors hear of emergencies and orphans.

    Returns the assigned worker's Telegram id, if any.
    """
    worker = await _least_loaded_worker(session, case.grid_id)
    if worker is not None:
        transition(session, case, CaseStatus.ASSIGNED, None, now, note="auto-dispatch")
        case.assignee_id = worker.id
        queue_assignment_ping(session, case, worker, city, catalog, now, emergency, photo)
        await notify.tell_residents(session, case, "notify.assigned", city, catalog, now)
    if worker is None or emergency:
        for supervisor in await supervisors_for(session, city, case.grid_id):
            queue_assignment_ping(session, case, supervisor, city, catalog, now, emergency, photo)
    return worker.telegram_id if worker else None


async def _least_loaded_worker(session: AsyncSession, grid_id: str | None) -> User | None:
    if grid_id is None:
        return None
    open_count = (
        select(func.count(Case.id))
        .where(Case.assignee_id == User.id, Case.status.in_([s.value for s in OPEN_STATUSES]))
        .scalar_subquery()
    )
    result = await session.execute(
        select(User)
        .where(User.role == "worker", User.grid_id == grid_id, User.active.is_(True))
        .order_by(open_count, User.id)
        .limit(1)
    )
    return result.scalar_one_or_none()


async def supervisors_for(
    session: AsyncSession,
    city: CityConfig,
    grid_id: str | None,
    community_id: str | None = None,
) -> list[User]:
    """City-wide supervisors, plus those of the grid's (or the given) community."""
    grid = city.grids.get(grid_id) if grid_id else None
    community = grid.community_id if grid is not None else community_id
    scope: ColumnElement[bool] = User.community_id.is_(None)
    if community is not None:
        scope = or_(scope, User.community_id == community)
    result = await session.execute(
        select(User).where(User.role == "supervisor", User.active.is_(True), scope)
    )
    return list(result.scalars())


def queue_assignment_ping(
    session: AsyncSession,
    case: Case,
    staff: User,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    emergency: bool = False,
    photo: str | None = None,
) -> None:
    """The ping a worker (or supervisor) gets: summary, photo, map pin, due time, buttons."""
    lang = notify.language_of(staff, catalog.default_language)
    key = "staff.emergency_ping" if emergency else "staff.assignment_ping"
    text = catalog.t(
        lang,
        key,
        **notify.case_values(case, city, lang),
        text=case.text,
        due=say_moment(catalog, lang, case.due_at, city.timezone, now),
    )
    if case.contact_phone:
        # The phone in full only for the worker who handles the case, and that read
        # is recorded; everyone else sees it masked.
        handles_it = staff.role == "worker" and case.assignee_id == staff.id
        phone = case.contact_phone if handles_it else mask_phone(case.contact_phone)
        text += "\n" + catalog.t(lang, "staff.contact_phone", phone=phone)
        if handles_it:
            record_access(session, staff, case, "contact_phone", "assignment", now)
    extra: dict[str, object] = {}
    if case.latitude is not None and case.longitude is not None:
        extra["location"] = [case.latitude, case.longitude]
    if photo:
        extra["photo"] = photo
    t = catalog.t
    if staff.role == "worker":
        buttons = [
            [(t(lang, "button.accept"), f"wk:acc:{case.id}")],
            [
                (t(lang, "button.not_my_grid"), f"wk:nmg:{case.id}"),
                (t(lang, "button.escalate"), f"wk:esc:{case.id}"),
            ],
        ]
    else:
        buttons = [[(t(lang, "button.reassign"), f"sv:pick:{case.id}")]]
    notify.queue(
        session, staff, text, now, kind="assignment", case=case, buttons=buttons, extra=extra
    )

