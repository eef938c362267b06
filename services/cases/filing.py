"""Filing a resident's report as a case, and telling the grid's staff.

Plain Python over a session: handlers call it with plain values, tests call
it without Telegram.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from bot.due_text import resolve_span
from bot.i18n import Catalog
from bot.notices import GridName, Moment, Notice, Say, press, say_case, worker_buttons
from bot.telegram_limits import excerpt
from config.schema import CaseType, CityConfig
from domain.calendar import SlaSpan, case_deadlines, clock_span
from domain.lifecycle import CaseStatus
from services import notify
from services.cases.drafts import ReportDraft
from services.cases.duty import (
    GridWorkers,
    Link,
    Recipient,
    community_of,
    grid_duty,
    grid_workers,
    supervisors_chain,
)
from services.cases.transitions import record_creation, transition
from services.privacy.access import mask_phone, record_access
from storage.models import Attachment, Case, User
from storage.repositories import CaseRepository

URGENT = "urgent"
# Sorts urgent cases first in a list (False before True): /tasks, /desk, cases given back.
URGENT_FIRST = Case.priority != URGENT
# The accept reminder comes at this share of the time to accept.
ACCEPT_REMIND_SHARE = 0.8
# An emergency is not a case type; it is filed as an urgent safety case.
EMERGENCY_CASE_TYPE = "safety_hazard"


@dataclass(frozen=True)
class FiledCase:
    """What filing gave the resident to hear: the case number, its type, its due time (aware
    UTC) and the SLA it came from, the worker's chat (None: no worker yet)."""

    number: str
    case_type: str
    due_at: datetime
    assignee_telegram_id: int | None
    resolve_span: SlaSpan  # what due_at was counted from, to say "within 3 working days"
    # Messages queued to a person about the case (worker, supervisors, duty chat): a resident
    # is told "staff notified" only when this is not 0.
    staff_told: int = 0


@dataclass(frozen=True)
class Dispatched:
    """Where dispatch sent a case: the worker's chat (None: nobody reachable in the grid) and
    how many chats were pinged in all."""

    worker_telegram_id: int | None
    staff_told: int


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
    *,
    duty_chat: int | None = None,
) -> FiledCase:
    """Store the case with its creation event, assign it, and queue the staff pings. `now` is
    aware UTC; the case's year (in its number) is the city's local year. Flushes.

    Raises:
        KeyError: the draft's case type is not in the city's config.
    """
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
    dispatched = await dispatch_to_grid(
        session,
        case,
        city,
        catalog,
        now,
        emergency=draft.emergency,
        photo=draft.photo_file_ids[0] if draft.photo_file_ids else None,
        more_photos=draft.photo_file_ids[1:],
        duty_chat=duty_chat,
    )
    return FiledCase(
        case.number,
        case.case_type,
        case.due_at,
        dispatched.worker_telegram_id,
        resolve_span(case_type, urgent=draft.emergency),
        staff_told=dispatched.staff_told,
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
    duty_chat: int | None = None,
    already_told: Collection[int] = (),
    more_photos: Sequence[str] = (),
) -> Dispatched:
    """Assign to the grid's least-loaded reachable worker; when there is none (or for an
    emergency, also when there is), the duty chain hears of it, told why no worker has it,
    except the chats in `already_told` (alerted before the place was known, and told it).
    `photo` is a Telegram file id for the pings and `more_photos` the album after it; `now`
    is aware UTC. No flush.

    Raises:
        IllegalTransition: a worker was found but the case cannot be assigned from its status.
    """
    community = community_of(case, city)
    chain: list[Recipient] | None = None  # the duty chain, when read with the workers
    if case.grid_id is not None and not (emergency and community is None):
        workers, chain = await grid_duty(session, case.grid_id, community, duty_chat)
    else:
        workers = await grid_workers(session, case.grid_id)
    worker = workers.reachable
    told = 0
    if worker is not None:
        transition(session, case, CaseStatus.ASSIGNED, None, now, note="auto-dispatch")
        case.assignee_id = worker.id
        arm_accept_clock(case, now, city)
        await ping_assignee(session, case, worker, city, catalog, now)
        told += 1
        assigned = Notice([say_case("notify.assigned", case)])
        await notify.tell_residents(session, case, assigned, city, catalog, now)
    if worker is None or emergency:
        why = None if worker is not None else _why_no_worker(case, workers)
        if chain is None:
            chain = await supervisors_chain(
                session, city, community, duty_chat, emergency=emergency
            )
        chain = [recipient for recipient in chain if recipient.chat_id not in already_told]
        for recipient in chain:
            queue_ping(
                session, case, recipient, city, catalog, now, emergency, photo,
                why=why, more_photos=more_photos,
            )  # fmt: skip
        told += len(chain)
    return Dispatched(worker.telegram_id if worker else None, told)


def arm_accept_clock(case: Case, now: datetime, city: CityConfig | None = None) -> None:
    """(Re)start the accept-SLA for a new assignee: the same window length from ``now``,
    remind at its usual share, flags cleared so the SLA scan watches it again.

    With the city, both count office time as the case type's SLA does (calendar.yaml), so a
    reminder never falls on a night or a Sunday and a fresh window is the SLA again.
    Without it, clock time. `now` is aware UTC."""
    span = None
    if city is not None:
        span = city.case_type(case.case_type).sla_accept
        span = clock_span(span) if case.priority == URGENT else span
    fresh = case.accept_reminded_at is not None or case.accept_escalated_at is not None
    if fresh and span is not None and city is not None:
        case.accept_due_at = city.calendar.deadline(now, span)  # a re-assignment
    elif fresh:
        window = max(case.accept_due_at - case.created_at, timedelta(0))
        case.accept_due_at = now + window  # a re-assignment: a fresh window
    if span is not None and city is not None:
        case.accept_remind_at = city.calendar.share_of(
            now, case.accept_due_at, ACCEPT_REMIND_SHARE, span.unit.working
        )
    else:
        case.accept_remind_at = now + (case.accept_due_at - now) * ACCEPT_REMIND_SHARE
    case.accept_reminded_at = case.accept_escalated_at = None


def restart_deadlines(case: Case, city: CityConfig, now: datetime) -> None:
    """A reopened case starts its SLA again from ``now`` (aware UTC): new due times,
    reminders re-armed."""
    _set_deadlines(case, city.case_type(case.case_type), city, now, urgent=case.priority == URGENT)
    case.sla_reminded_at = case.sla_escalated_at = None


def knows_place(case: Case) -> bool:
    """Does the case say where it is: a grid, a map pin or a typed address?"""
    return bool(case.grid_id or case.latitude is not None or case.address)


def _why_no_worker(case: Case, workers: GridWorkers) -> str:
    """The catalog key that tells a supervisor why the case came to them."""
    if case.grid_id is None:
        # an emergency is filed before anyone asks where: do not call that "outside the grids"
        return "delivery.why_no_grid" if knows_place(case) else "delivery.why_no_place_yet"
    if workers.unreachable:
        return "delivery.why_worker_unreachable"
    return "delivery.why_no_worker"


async def supervisors_for(
    session: AsyncSession,
    city: CityConfig,
    grid_id: str | None,
    community_id: str | None = None,
) -> list[User]:
    """Active city-wide supervisors, plus those of the grid's (or else the given) community."""
    grid = city.grids.get(grid_id) if grid_id else None
    community = grid.community_id if grid is not None else community_id
    scope: ColumnElement[bool] = User.community_id.is_(None)
    if community is not None:
        scope = or_(scope, User.community_id == community)
    result = await session.execute(
        select(User).where(User.role == "supervisor", User.active.is_(True), scope)
    )
    return list(result.scalars())


async def case_photos(session: AsyncSession, case: Case) -> list[str]:
    """The photos the residents sent of the case (Telegram file ids, oldest first): the
    reporter's and others', not staff's own progress and after-photos. Reads the session's
    pending attachments too (autoflush)."""
    staff = select(User.id).where(
        User.role.in_(("worker", "supervisor")), User.id != case.reporter_id
    )
    found = await session.scalars(
        select(Attachment.telegram_file_id)
        .where(
            Attachment.case_id == case.id,
            Attachment.kind == "photo",
            or_(Attachment.added_by_id.is_(None), Attachment.added_by_id.not_in(staff)),
        )
        .order_by(Attachment.id)
    )
    return list(found)


async def ping_assignee(
    session: AsyncSession,
    case: Case,
    worker: User,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
) -> None:
    """The one ping a worker gets when a case becomes theirs, however it came (filed,
    placed, reassigned by a supervisor, waiting in their grid when they joined or came back):
    an urgent case as an emergency (🚨, the numbers, no office due time), the case's photos
    with it (the first carries the text, the rest follow as an album). Queues one outbox row."""
    photos = await case_photos(session, case)
    queue_assignment_ping(
        session,
        case,
        worker,
        city,
        catalog,
        now,
        case.priority == URGENT,
        photos[0] if photos else None,
        more_photos=photos[1:],
    )


def queue_assignment_ping(
    session: AsyncSession,
    case: Case,
    staff: User,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    emergency: bool = False,
    photo: str | None = None,
    *,
    more_photos: Sequence[str] = (),
) -> None:
    """The ping a worker (or supervisor) gets: summary, photo, map pin, due time (the city's
    local time), buttons. Queues one outbox row."""
    link = Link.WORKER if staff.role == "worker" else Link.COMMUNITY_SUPERVISOR
    recipient = Recipient(staff.telegram_id, link, staff)
    queue_ping(
        session, case, recipient, city, catalog, now, emergency, photo, more_photos=more_photos
    )


def queue_ping(
    session: AsyncSession,
    case: Case,
    to: Recipient,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    emergency: bool = False,
    photo: str | None = None,
    *,
    why: str | None = None,
    more_photos: Sequence[str] = (),
) -> None:
    """A ping to anyone in the chain. The resident's text is quoted up to
    ``telegram_limits.PING_EXCERPT``; the rest is one tap away (button, or ``/case NUMBER``).
    The phone is shown in full (and the read recorded) only to the worker who has the case;
    `why` is a catalog key saying why no worker has it. Queues one outbox row, no flush."""
    staff = to.user
    lang = catalog.default_language
    if staff is not None:
        lang = notify.language_of(staff, lang)
    quoted, shortened = excerpt(case.text)
    key = "staff.emergency_ping" if emergency else "staff.assignment_ping"
    ping = Notice([say_case(key, case, text=quoted, due=Moment(case.due_at, now))])
    if shortened:
        ping.line(Say("delivery.full_text_hint", number=case.number))
    if case.address:
        ping.line(Say("staff.address_line", address=case.address))
    if case.contact_phone:
        # The phone in full only for the worker who handles the case, and that read
        # is recorded; everyone else sees it masked.
        handles_it = staff is not None and staff.role == "worker" and case.assignee_id == staff.id
        phone = case.contact_phone if handles_it else mask_phone(case.contact_phone)
        ping.line(Say("staff.contact_phone", phone=phone))
        if handles_it and staff is not None:
            record_access(session, staff, case, "contact_phone", "assignment", now)
    if why is not None:
        ping.line(Say(why, grid=GridName(case.grid_id)))
    if case.latitude is not None and case.longitude is not None:
        ping.extra["location"] = [case.latitude, case.longitude]
    if photo:
        ping.extra["photo"] = photo
        if more_photos:  # the rest of the resident's album, after the ping
            ping.extra["more_photos"] = list(more_photos)
    if staff is not None and staff.role == "worker":
        ping.buttons = worker_buttons(case.id, CaseStatus.ASSIGNED)
    elif staff is not None:
        ping.row(press("button.reassign", "sv", "pick", case.id))
    if shortened:
        ping.row(press("delivery.button_full_text", "wk", "full", case.id))
    notify.tell(session, to.chat_id, lang, ping, catalog, city, now, kind="assignment", case=case)
