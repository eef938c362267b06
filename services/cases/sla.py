"""The periodic SLA scan: remind the worker at 80 %, tell supervisors at 100 %,
close resolved cases nobody answered for.

Reads the database each tick (no per-case timers). Each row is claimed with
`FOR UPDATE SKIP LOCKED` on PostgreSQL and its flag set in the same
transaction, so several instances never send one reminder twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import BindParameter, ColumnElement, Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog
from bot.notices import Moment, Notice, Say, press, say_case
from config.schema import CityConfig
from domain.lifecycle import OPEN_STATUS_VALUES, OPEN_STATUSES, CaseStatus
from services import notify
from services.cases.duty import Recipient, community_of, is_reachable, supervisors_chain
from services.cases.transitions import transition
from storage.models import ACCEPT_WAITING, Case, User
from storage.payloads import EXPIRES_AT

BATCH = 500
OPEN = [s.value for s in OPEN_STATUSES]


@dataclass
class SlaScanResult:
    """Counts of one scan tick: workers reminded, overdue (and accept-late) cases told up the
    duty chain, resolved cases closed for want of an answer."""

    reminded: int = 0
    escalated: int = 0
    auto_closed: int = 0


def _claim(statement: Select[Case], session: AsyncSession) -> Select[Case]:
    if session.get_bind().dialect.name == "postgresql":
        return statement.with_for_update(skip_locked=True)
    return statement  # SQLite: one writer at a time already


def _is_open() -> ColumnElement[bool]:
    """``status IN ('accepted', ...)`` with the values written into the SQL, in a fixed order.

    The partial indexes of the scan (storage.models) name these statuses in their predicates;
    a planner can match a query to such an index only when it sees the same literal values
    (a bound parameter hides them: SQLite never uses the index then, nor can a generic plan
    on PostgreSQL).
    """
    values = list(OPEN_STATUS_VALUES)
    return Case.status.in_(bindparam("open", values, expanding=True, literal_execute=True))


async def scan_sla(
    session: AsyncSession,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    followup_timeout: timedelta,
    *,
    duty_chat: int | None = None,
) -> SlaScanResult:
    """One tick. Each step reads at most BATCH cases and a handful of other queries, not one
    per case, so a backlog after downtime is cleared in seconds.

    A reminder whose due time has passed is not sent (its flag is still set): the overdue
    notice says it instead. Reminders also carry their due time to the outbox, which drops
    them if they could only arrive late. `now` is aware UTC; `followup_timeout` is clock time
    after `resolved` before the case closes itself. Queues outbox rows; the caller commits.
    """
    result = SlaScanResult()
    await _scan_accept(session, city, catalog, now, duty_chat, result)
    due_soon = await _claimed(
        session,
        select(Case)
        .where(
            Case.sla_reminded_at.is_(None),
            Case.remind_at <= now,
            _is_open(),
            Case.assignee_id.is_not(None),
        )
        .order_by(Case.remind_at),
    )
    workers = await _users_by_id(session, {c.assignee_id for c in due_soon if c.assignee_id})
    for case in due_soon:
        case.sla_reminded_at = now
        worker = workers.get(case.assignee_id or 0)
        if worker is not None and is_reachable(worker) and now < case.due_at:
            _tell(session, worker, case, "staff.sla_reminder", city, catalog, now, case.due_at)
            result.reminded += 1
    overdue = await _claimed(
        session,
        select(Case)
        .where(
            Case.sla_escalated_at.is_(None),
            Case.due_at <= now,
            _is_open(),
        )
        .order_by(Case.due_at),
    )
    for case in overdue:
        case.sla_escalated_at = now
    result.escalated += await _up_the_chain(
        session, overdue, "staff.sla_overdue", city, catalog, now, duty_chat
    )
    unanswered = await _claimed(
        session,
        select(Case)
        .where(
            Case.status == bindparam("resolved", CaseStatus.RESOLVED.value, literal_execute=True),
            Case.resolved_at <= now - followup_timeout,
        )
        .order_by(Case.resolved_at),
    )
    residents = await notify.residents_of_cases(session, unanswered)
    for case in unanswered:
        transition(session, case, CaseStatus.CLOSED, None, now, note="no answer from resident")
        closed = Notice([say_case("notify.closed", case)])
        await notify.tell_residents(
            session, case, closed, city, catalog, now, residents=residents[case.id]
        )
        result.auto_closed += 1
    return result


async def _scan_accept(
    session: AsyncSession,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    duty_chat: int | None,
    result: SlaScanResult,
) -> None:
    """The accept-SLA: remind the assignee before ``accept_due_at``, then the duty chain."""
    # Literal values, in the order of the partial indexes' predicates (see _is_open).
    assigned: BindParameter[str] = bindparam(
        "assigned", CaseStatus.ASSIGNED.value, literal_execute=True
    )
    waiting: BindParameter[list[str]] = bindparam(
        "waiting", list(ACCEPT_WAITING), expanding=True, literal_execute=True
    )
    to_remind = await _claimed(
        session,
        select(Case)
        .where(
            Case.accept_reminded_at.is_(None),
            Case.accept_remind_at <= now,
            Case.status == assigned,
            Case.assignee_id.is_not(None),
        )
        .order_by(Case.accept_remind_at),
    )
    workers = await _users_by_id(session, {c.assignee_id for c in to_remind if c.assignee_id})
    for case in to_remind:
        case.accept_reminded_at = now
        worker = workers.get(case.assignee_id or 0)
        if worker is not None and is_reachable(worker) and now < case.accept_due_at:
            _tell(
                session, worker, case, "delivery.accept_reminder", city, catalog, now,
                case.accept_due_at,
            )  # fmt: skip
            result.reminded += 1
    late = await _claimed(
        session,
        select(Case)
        .where(
            Case.accept_escalated_at.is_(None),
            Case.accept_due_at <= now,
            Case.status.in_(waiting),
        )
        .order_by(Case.accept_due_at),
    )
    for case in late:
        case.accept_escalated_at = now
    result.escalated += await _up_the_chain(
        session, late, "delivery.accept_overdue", city, catalog, now, duty_chat
    )


def _tell_chain(
    session: AsyncSession,
    to: Recipient,
    case: Case,
    key: str,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
) -> None:
    """An overdue notice to a link of the duty chain, with the button to reassign."""
    lang = catalog.default_language
    if to.user is not None:
        lang = notify.language_of(to.user, lang)
    due = case.accept_due_at if key == "delivery.accept_overdue" else case.due_at
    overdue = Notice([say_case(key, case, due=Moment(due, now))])
    if to.user is not None:
        reassign = press("button.reassign", "sv", "pick", case.id)
        if to.user.role == "supervisor":  # the same buttons as on /desk (handlers.desk)
            # Forward is always offered: without a department chat the press says so.
            overdue.row(reassign, press("office.desk.forward", "fw", "f", case.id))
            overdue.row(press("office.desk.extend", "dk", "x", case.id),
                        press("office.desk.resolve", "dk", "c", case.id))  # fmt: skip
        else:
            overdue.row(reassign)
    notify.tell(session, to.chat_id, lang, overdue, catalog, city, now, kind="sla", case=case)


async def _claimed(session: AsyncSession, statement: Select[Case]) -> Sequence[Case]:
    return (await session.execute(_claim(statement.limit(BATCH), session))).scalars().all()


async def _users_by_id(session: AsyncSession, ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    users = await session.execute(select(User).where(User.id.in_(ids)))
    return {user.id: user for user in users.scalars()}


async def _up_the_chain(
    session: AsyncSession,
    cases: Sequence[Case],
    key: str,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    duty_chat: int | None,
) -> int:
    """Tell each case's duty chain (looked up once per community); returns how many cases."""
    chains: dict[str | None, list[Recipient]] = {}
    for case in cases:
        community = community_of(case, city)
        if community not in chains:
            chains[community] = await supervisors_chain(session, city, community, duty_chat)
        for recipient in chains[community]:
            _tell_chain(session, recipient, case, key, city, catalog, now)
    return len(cases)


def _tell(
    session: AsyncSession,
    user: User,
    case: Case,
    key: str,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    expires_at: datetime | None = None,
) -> None:
    """A reminder to the assignee; it expires (is not sent) once ``expires_at`` has passed."""
    lang = notify.language_of(user, catalog.default_language)
    reminder = Notice([say_case(key, case, due=Moment(expires_at or case.due_at, now))])
    if expires_at is not None:
        reminder.extra[EXPIRES_AT] = expires_at.isoformat()
    notify.tell(session, user.telegram_id, lang, reminder, catalog, city, now, kind="sla",
                case=case)  # fmt: skip


async def daily_digest(
    session: AsyncSession, city: CityConfig, catalog: Catalog, now: datetime
) -> int:
    """Each active worker with open cases gets them (up to 30) by due time, times in the
    city's local time; the scheduler calls it at 08:00 local. Returns how many workers were
    told. `now` is aware UTC; queues outbox rows, no flush."""
    workers = (
        (await session.execute(select(User).where(User.role == "worker", User.active.is_(True))))
        .scalars()
        .all()
    )
    told = 0
    for worker in workers:
        cases = (
            (
                await session.execute(
                    select(Case)
                    .where(Case.assignee_id == worker.id, Case.status.in_(OPEN))
                    .order_by(Case.due_at)
                    .limit(30)
                )
            )
            .scalars()
            .all()
        )
        if not cases:
            continue
        lang = notify.language_of(worker, catalog.default_language)
        digest = Notice([Say("staff.digest_header", count=len(cases))])
        for c in cases:
            digest.line(say_case("staff.digest_line", c, status=Say(f"status.{c.status}"),
                                 due=Moment(c.due_at, now)))  # fmt: skip
        notify.tell(session, worker.telegram_id, lang, digest, catalog, city, now, kind="digest")
        told += 1
    return told
