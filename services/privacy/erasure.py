"""Erasure (/forgetme) and retention (the daily purge) over every place on the personal-data
map in docs/security.md: cases, their events and photos, the outbox, drafts, volunteer
profiles, the user row.

Both only change rows; :mod:`storage.compaction` then makes the deleted bytes unreadable in
the database files. Neither ever touches an open case: /forgetme withdraws open cases first
(with the resident's say-so), and the purge picks only finished cases.

A live emergency is never stood down by an erasure (trial 10, item 2): the resident's open
urgent case keeps its words, place, photos and staff messages for the responders, though the
resident is gone from it (no Telegram id, no updates). Its erasure waits until it is
finished: :func:`finish_erasures` (run with the daily purge) erases what it holds then.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog
from bot.notices import Notice, Renderer, Say, say_case
from config.schema import CityConfig
from config.volunteers import VolunteerConfig
from domain.lifecycle import OPEN_STATUS_VALUES, CaseStatus
from services import notify
from services.cases.filing import URGENT
from services.cases.transitions import transition
from services.privacy.access import mask_phone
from services.volunteers.desk import VolunteerDesk
from services.volunteers.roster import leave_upcoming
from storage.models import (
    Attachment,
    Case,
    CaseEvent,
    CaseFollower,
    ConversationState,
    Evaluation,
    OutboxMessage,
    User,
)
from storage.payloads import OutboxPayload
from storage.volunteers import Volunteer, VolunteerSkill

# A case in one of these is finished: the retention clock runs from its last change.
FINISHED_STATUSES = ("cancelled", "closed", "merged", "rejected")
# The tables an erasure or a purge rewrites; storage.compaction vacuums them on PostgreSQL.
TOUCHED_TABLES = (
    "cases",
    "case_events",
    "case_followers",
    "evaluations",
    "attachments",
    "outbox",
    "conversation_states",
    "volunteers",
    "volunteer_skills",
    "users",
)
# A message holding this much of a case's text is taken to quote it.
QUOTE_CHARS = 12


@dataclass(frozen=True)
class Erasure:
    """What one /forgetme did: cases made anonymous, open ones withdrawn, photos and outbox
    rows removed."""

    cases_anonymised: int
    cases_withdrawn: int
    photos_removed: int
    messages_removed: int
    live_urgent: tuple[str, ...] = ()  # numbers of urgent cases kept open for the responders


@dataclass(frozen=True)
class RetentionPolicy:
    """How long each kind of personal data outlives its use (settings, docs/security.md)."""

    finished_cases: timedelta  # phones, places, photos of finished cases
    sent_messages: timedelta  # outbox rows Telegram accepted
    drafts: timedelta  # unfinished conversations


@dataclass(frozen=True)
class Purge:
    """What one retention purge did: cases stripped of phone, place and photos, outbox rows
    and drafts deleted."""

    cases: int
    messages: int
    drafts: int

    @property
    def touched_tables(self) -> tuple[str, ...]:
        """Only these need compacting (on PostgreSQL a full rewrite locks each table)."""
        tables: list[str] = []
        if self.cases:
            tables += ["cases", "attachments"]
        if self.cases or self.messages:
            tables.append("outbox")
        if self.drafts:
            tables.append("conversation_states")
        return tuple(tables)


async def open_reports_of(session: AsyncSession, user: User) -> list[Case]:
    """The resident's own cases still being worked on (not the ones they joined)."""
    result = await session.execute(
        select(Case)
        .where(Case.reporter_id == user.id, Case.status.in_(OPEN_STATUS_VALUES))
        .order_by(Case.id)
    )
    return list(result.scalars())


async def forget_user(
    session: AsyncSession,
    user: User,
    now: datetime,
    city: CityConfig,
    catalog: Catalog,
    volunteers: VolunteerConfig,
) -> Erasure:
    """Erase the resident's personal data; keep what statistics need.

    Open cases are withdrawn (cancelled, their worker told), since a worker cannot act on a
    case whose place and words are gone. The user row stays (cases point at it) but loses its
    Telegram id, replaced by a random negative number no Telegram account can have.
    `now` is aware UTC. Changes rows only (no commit); the caller compacts afterwards.
    """
    reported = await session.execute(select(Case).where(Case.reporter_id == user.id))
    every = list(reported.scalars())
    live = [c for c in every if is_live_emergency(c)]  # kept whole until finished
    live_ids = [c.id for c in live]
    cases = [c for c in every if c.id not in live_ids]
    case_ids = [c.id for c in cases]
    theirs = or_(
        Attachment.case_id.in_(case_ids),
        (Attachment.added_by_id == user.id)
        & or_(Attachment.case_id.is_(None), Attachment.case_id.not_in(live_ids)),
    )
    photo_ids = set(
        (await session.execute(select(Attachment.telegram_file_id).where(theirs))).scalars()
    )
    # Who was told of each case (its worker, the supervisors an urgent case alerted, the duty
    # chat): each hears it is withdrawn. Read before the messages that quote them go.
    told = await _chats_told(session, case_ids, user.telegram_id)
    # Before anything new is queued: nothing already queued to or about them goes out.
    messages = await _remove_messages(session, user.telegram_id, cases, photo_ids)
    withdrawn = 0
    for case in cases:
        if case.status not in OPEN_STATUS_VALUES:
            continue
        if await _hand_to_first_follower(session, case):
            continue  # others joined it (并单): their problem goes on without this resident
        await _withdraw(session, case, user, now, city, catalog, told.get(case.id, set()))
        withdrawn += 1
    photos = await session.execute(delete(Attachment).where(theirs))
    placeholder = Renderer(catalog, city).say  # the erased words, in the case's language
    for case in cases:
        case.text = placeholder(case.language, Say("privacy.erased_text"))
        case.contact_phone = case.address = case.latitude = case.longitude = None
        case.updated_at = now
    # Notes on their cases (a worker's "called her at ...") and their own notes elsewhere.
    await session.execute(
        update(CaseEvent)
        .where(
            or_(
                CaseEvent.case_id.in_(case_ids),
                (CaseEvent.actor_id == user.id) & CaseEvent.case_id.not_in(live_ids),
            )
        )
        .where(CaseEvent.note.is_not(None))
        .values(note=None)
    )
    # Their evaluations keep the grade (statistics) but lose their words and the call-back's.
    await session.execute(
        update(Evaluation)
        .where(or_(Evaluation.user_id == user.id, Evaluation.case_id.in_(case_ids)))
        .values(comment=None, revisit_note=None)
    )
    await session.execute(delete(CaseFollower).where(CaseFollower.user_id == user.id))
    # A seat on a call-out still to come is freed as if they had dropped out: the waitlist
    # moves up and the coordinator hears it (else an erased volunteer holds a hidden seat).
    await leave_upcoming(VolunteerDesk(session, city, catalog, volunteers, now), user)
    # The volunteer profile (skills, grid, availability) goes; call-out answers stay for
    # the hours statistics, tied only to the now anonymous user row.
    profile = select(Volunteer.id).where(Volunteer.user_id == user.id)
    await session.execute(delete(VolunteerSkill).where(VolunteerSkill.volunteer_id.in_(profile)))
    await session.execute(delete(Volunteer).where(Volunteer.user_id == user.id))
    await session.execute(
        delete(ConversationState).where(ConversationState.telegram_id == user.telegram_id)
    )
    user.telegram_id = -secrets.randbelow(2**62) - 1
    user.language = user.last_language = None
    user.consent_at = None
    user.active = False
    removed = photos.rowcount or 0  # type: ignore[attr-defined]
    return Erasure(len(cases), withdrawn, removed, messages, tuple(c.number for c in live))


def is_live_emergency(case: Case) -> bool:
    """An urgent case still being worked on: responders may be on their way."""
    return case.priority == URGENT and case.status in OPEN_STATUS_VALUES


async def finish_erasures(
    session: AsyncSession, now: datetime, city: CityConfig, catalog: Catalog
) -> int:
    """Erase what finished urgent cases of erased residents still hold (kept while live by
    :func:`forget_user`): words, phone, place, photos, notes and the messages quoting them.
    Returns how many cases were erased. Changes rows only (no commit)."""
    erased_reporter = select(User.id).where(User.telegram_id < 0, User.active.is_(False))
    found = await session.scalars(
        select(Case).where(
            Case.reporter_id.in_(erased_reporter),
            Case.status.in_(FINISHED_STATUSES),
            Case.priority == URGENT,
        )
    )
    placeholder = Renderer(catalog, city).say
    cases = [
        c
        for c in found
        if c.text != placeholder(c.language, Say("privacy.erased_text"))
        or c.address is not None
        or c.latitude is not None
        or c.contact_phone is not None
    ]
    if not cases:
        return 0
    ids = [c.id for c in cases]
    await session.execute(delete(OutboxMessage).where(OutboxMessage.case_id.in_(ids)))
    await session.execute(delete(Attachment).where(Attachment.case_id.in_(ids)))
    await session.execute(update(CaseEvent).where(CaseEvent.case_id.in_(ids)).values(note=None))
    for case in cases:
        case.text = placeholder(case.language, Say("privacy.erased_text"))
        case.contact_phone = case.address = case.latitude = case.longitude = None
        case.updated_at = now
    return len(cases)


async def _hand_to_first_follower(session: AsyncSession, case: Case) -> bool:
    """Make the first resident who joined the case its reporter. False when nobody joined."""
    heir = await session.scalar(
        select(CaseFollower)
        .where(CaseFollower.case_id == case.id)
        .order_by(CaseFollower.joined_at, CaseFollower.id)
        .limit(1)
    )
    if heir is None:
        return False
    case.reporter_id = heir.user_id
    case.reporter_count = max(1, case.reporter_count - 1)
    await session.delete(heir)
    return True


async def _withdraw(
    session: AsyncSession,
    case: Case,
    user: User,
    now: datetime,
    city: CityConfig,
    catalog: Catalog,
    told: set[int],
) -> None:
    """Cancel the case; its worker and every other chat that was told of it hear so once."""
    transition(session, case, CaseStatus.CANCELLED, user.id, now, note=None)
    worker = await session.get(User, case.assignee_id) if case.assignee_id else None
    chats = told | ({worker.telegram_id} if worker is not None and worker.active else set())
    people = {
        u.telegram_id: u
        for u in await session.scalars(select(User).where(User.telegram_id.in_(chats)))
    }
    withdrawn = Notice([say_case("privacy.staff_withdrawn", case)])
    for chat in sorted(chats):
        person = people.get(chat)
        if person is not None and not person.active:
            continue
        lang = notify.language_of(person, catalog.default_language) if person else None
        notify.tell(session, chat, lang or catalog.default_language, withdrawn, catalog, city,
                    now, kind="status", case=case)  # fmt: skip


async def _chats_told(
    session: AsyncSession, case_ids: list[int], reporter_chat: int
) -> dict[int, set[int]]:
    """Per case, the chats other than the reporter's that were sent (or are to be sent) a
    message about it."""
    rows = await session.execute(
        select(OutboxMessage.case_id, OutboxMessage.chat_id).where(
            OutboxMessage.case_id.in_(case_ids),
            OutboxMessage.chat_id != reporter_chat,
            OutboxMessage.status != "failed",
        )
    )
    told: dict[int, set[int]] = {}
    for case_id, chat_id in rows:
        if case_id is not None:
            told.setdefault(case_id, set()).add(chat_id)
    return told


async def _remove_messages(
    session: AsyncSession, telegram_id: int, cases: Sequence[Case], photos: set[str]
) -> int:
    """Delete outbox rows to the person, and rows about their cases that quote them."""
    to_them = delete(OutboxMessage).where(OutboxMessage.chat_id == telegram_id)
    removed = await session.execute(to_them)
    count: int = removed.rowcount or 0  # type: ignore[attr-defined]
    by_id = {c.id: c for c in cases}
    if not by_id:
        return count
    rows = await session.execute(
        select(OutboxMessage.id, OutboxMessage.case_id, OutboxMessage.payload).where(
            OutboxMessage.case_id.in_(by_id)
        )
    )
    quoting = [
        row_id
        for row_id, case_id, payload in rows
        if case_id is not None and quotes_person(payload, by_id[case_id], photos)
    ]
    if quoting:
        await session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(quoting)))
    return count + len(quoting)


def quotes_person(payload: OutboxPayload, case: Case, photos: set[str]) -> bool:
    """Whether an outbox payload (its "text", "location", "photo" keys) carries the
    reporter's words, phone (plain or masked), address, a place or one of `photos` (Telegram
    file ids)."""
    text = str(payload.get("text") or "")
    quoted = [
        case.text[:QUOTE_CHARS] if len(case.text) >= QUOTE_CHARS else case.text,
        case.contact_phone,
        mask_phone(case.contact_phone),
        case.address,
    ]
    if any(q and q in text for q in quoted):
        return True
    return payload.get("location") is not None or payload.get("photo") in photos


async def purge_expired(session: AsyncSession, now: datetime, policy: RetentionPolicy) -> Purge:
    """Phones, places and photos of cases finished longer ago than the retention; sent
    messages past theirs (failed ones past the case retention); drafts left too long.
    `now` is aware UTC; the policy's spans are clock time. Changes rows only (no commit)."""
    cutoff = now - policy.finished_cases
    has_photo = exists().where(Attachment.case_id == Case.id)
    has_message = exists().where(OutboxMessage.case_id == Case.id)
    holds_data: ColumnElement[bool] = or_(
        Case.contact_phone.is_not(None),
        Case.latitude.is_not(None),
        Case.address.is_not(None),
        has_photo,
        has_message,
    )
    expired = select(Case.id).where(
        Case.status.in_(FINISHED_STATUSES),
        func.coalesce(Case.closed_at, Case.updated_at) < cutoff,
        holds_data,
    )
    ids = list((await session.execute(expired)).scalars())
    if ids:
        await session.execute(delete(Attachment).where(Attachment.case_id.in_(ids)))
        await session.execute(delete(OutboxMessage).where(OutboxMessage.case_id.in_(ids)))
        await session.execute(
            update(Case)
            .where(Case.id.in_(ids))
            .values(contact_phone=None, latitude=None, longitude=None, address=None)
        )
    sent = await session.execute(
        delete(OutboxMessage).where(
            or_(
                (OutboxMessage.status == "sent")
                & (OutboxMessage.sent_at < now - policy.sent_messages),
                (OutboxMessage.status == "failed") & (OutboxMessage.created_at < cutoff),
            )
        )
    )
    drafts = await session.execute(
        delete(ConversationState).where(ConversationState.updated_at < now - policy.drafts)
    )
    return Purge(
        len(ids),
        sent.rowcount or 0,  # type: ignore[attr-defined]
        drafts.rowcount or 0,  # type: ignore[attr-defined]
    )
