"""A resident's own case, two-way: see it (status, due time, the worker's notes and photos,
the timeline), add a note or photo, say why it is not fixed, or withdraw it.

What the resident adds is a same-status event (like a worker's note) plus the photo as an
attachment, and goes to the handling worker (else the community supervisors) at once. A
withdrawal is `cancelled` with who and why (DESIGN.md "Case lifecycle"), not a resolution.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog
from bot.notices import Notice, say_case
from config.schema import CityConfig
from domain.lifecycle import OPEN_STATUSES, CaseStatus
from services import notify
from services.cases.actions import NotAllowed, is_resident_of, load_case
from services.cases.duty import community_of, supervisors_chain
from services.cases.filing import URGENT
from services.cases.transitions import record_note, transition
from storage.models import Attachment, Case, CaseEvent, CaseFollower, User

PAGE_SIZE = 5
NOTE_LIMIT = 1000
TIMELINE_LIMIT = 12  # the latest events shown in a case's detail
_OPEN = frozenset(status.value for status in OPEN_STATUSES)


@dataclass(frozen=True)
class CasePage:
    """One page of a resident's cases: `page` counts from 0; `has_more` when a next one exists."""

    cases: list[Case]
    page: int
    has_more: bool


async def my_cases_page(session: AsyncSession, resident: User, page: int) -> CasePage:
    """Page `page` (from 0) of the resident's cases (reported or joined), newest first,
    `PAGE_SIZE` at a time; an empty page past the end."""
    followed = select(CaseFollower.case_id).where(CaseFollower.user_id == resident.id)
    rows = (
        await session.execute(
            select(Case)
            .where((Case.reporter_id == resident.id) | Case.id.in_(followed))
            .order_by(Case.created_at.desc(), Case.id.desc())
            .offset(page * PAGE_SIZE)
            .limit(PAGE_SIZE + 1)
        )
    ).scalars().all()  # fmt: skip
    return CasePage(list(rows[:PAGE_SIZE]), page, len(rows) > PAGE_SIZE)


async def resident_case(session: AsyncSession, resident: User, case_id: int) -> Case:
    """The case (loaded for update) if the resident reported or joined it.

    Raises:
        NotAllowed: no such case, or not this resident's.
    """
    case = await load_case(session, case_id)
    if not await is_resident_of(session, resident, case):
        raise NotAllowed("not this resident's case")
    return case


@dataclass(frozen=True)
class CaseDetail:
    """A case as its resident may see it (handlers.mycases words it): the case, its latest
    events oldest first, the staff's photos, whether it is open and whether this resident may
    withdraw it."""

    case: Case
    events: list[CaseEvent]  # at most TIMELINE_LIMIT, oldest first
    staff_photos: list[str]  # Telegram file ids of the staff's photos (after-photos)
    is_open: bool
    may_withdraw: bool


async def case_detail(session: AsyncSession, resident: User, case_id: int) -> CaseDetail:
    """The resident's view of their case. Reads only.

    Raises:
        NotAllowed: no such case, or not this resident's.
    """
    case = await resident_case(session, resident, case_id)
    events = (
        await session.execute(
            select(CaseEvent)
            .where(CaseEvent.case_id == case.id)
            .order_by(CaseEvent.at.desc(), CaseEvent.id.desc())
            .limit(TIMELINE_LIMIT)
        )
    ).scalars().all()  # fmt: skip
    photos = (
        await session.execute(
            select(Attachment.telegram_file_id)
            .where(Attachment.case_id == case.id, Attachment.added_by_id != case.reporter_id)
            .order_by(Attachment.id)
        )
    ).scalars().all()  # fmt: skip
    return CaseDetail(
        case,
        list(reversed(events)),
        list(photos),
        case.status in _OPEN,
        # An urgent case is not withdrawn (staff may be on their way): "not an emergency"
        # turns it into an ordinary report, which may then be.
        case.status in _OPEN and case.reporter_id == resident.id and case.priority != URGENT,
    )


async def add_from_resident(
    session: AsyncSession,
    resident: User,
    case_id: int,
    text: str,
    photo: str | None,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    *,
    why_not_fixed: bool = False,
    duty_chat: int | None = None,
) -> Case:
    """A note (cut to NOTE_LIMIT) or photo (a Telegram file id) on an open case, or the reason
    it is not fixed, told to the worker (and supervisors). `now` is aware UTC; no flush.

    Raises:
        NotAllowed: no such case, not this resident's, or no longer open.
    """
    case = await resident_case(session, resident, case_id)
    if case.status not in _OPEN:
        raise NotAllowed("the case is no longer open")
    note = text.strip()[:NOTE_LIMIT]
    prefix = "resident, not fixed: " if why_not_fixed else "resident: "
    record_note(session, case, resident.id, now, prefix + (note or "[photo]"),)
    if photo:
        session.add(
            Attachment(
                case_id=case.id,
                kind="photo",
                telegram_file_id=photo,
                added_by_id=resident.id,
                added_at=now,
            )
        )
    key = "office.mycases.staff_why_not_fixed" if why_not_fixed else "office.mycases.staff_added"
    await _tell_staff(session, case, key, city, catalog, now, duty_chat, note=note, photo=photo,
                      also_supervisors=why_not_fixed)  # fmt: skip
    return case


async def withdraw(
    session: AsyncSession,
    resident: User,
    case_id: int,
    reason: str,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    duty_chat: int | None = None,
) -> Case:
    """The reporter withdraws an open case: `cancelled`, with who and why; staff are told.
    `now` is aware UTC; no flush.

    Raises:
        NotAllowed: no such case, not the reporter, no longer open, or urgent.
    """
    case = await resident_case(session, resident, case_id)
    if case.reporter_id != resident.id:
        raise NotAllowed("only the reporter withdraws a case")
    if case.status not in _OPEN:
        raise NotAllowed("the case is no longer open")
    if case.priority == URGENT:
        raise NotAllowed("an urgent case is stood down, not withdrawn")
    why = reason.strip()[:NOTE_LIMIT]
    note = f"withdrawn by the resident: {why}" if why else "withdrawn by the resident"
    transition(session, case, CaseStatus.CANCELLED, resident.id, now, note=note)
    await _tell_staff(session, case, "office.mycases.staff_withdrawn", city, catalog, now,
                      duty_chat, note=why or "—", also_supervisors=True)  # fmt: skip
    return case


async def _tell_staff(
    session: AsyncSession,
    case: Case,
    key: str,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    duty_chat: int | None,
    *,
    note: str,
    photo: str | None = None,
    also_supervisors: bool = False,
) -> int:
    """The handling worker; the supervisors too when asked, or when no worker has it."""
    told: list[tuple[int, User | None]] = []
    worker = await session.get(User, case.assignee_id) if case.assignee_id else None
    if worker is not None and worker.active and worker.role == "worker":
        told.append((worker.telegram_id, worker))
    if also_supervisors or not told:
        chain = await supervisors_chain(session, city, community_of(case, city), duty_chat)
        told += [(r.chat_id, r.user) for r in chain if r.chat_id not in {c for c, _ in told}]
    notice = Notice([say_case(key, case, note=note or "—")])
    if photo:
        notice.extra["photo"] = photo
    for chat_id, user in told:
        lang = notify.language_of(user, catalog.default_language) if user else "zh"
        notify.tell(session, chat_id, lang, notice, catalog, city, now, kind="status", case=case)
    return len(told)
