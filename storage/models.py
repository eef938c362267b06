"""Typed ORM models: the tables GridDesk keeps (DESIGN.md "Storage").

Personal data is kept to what a case needs: a Telegram id, a language, an
optional contact phone given with consent. No names are stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from domain.lifecycle import OPEN_STATUS_VALUES
from storage.payloads import OutboxPayload
from storage.types import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        OutboxPayload: JSON(),  # a TypedDict: stored as the JSON it is
    }


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    role: Mapped[str] = mapped_column(String(16), default="resident")
    # Staff scope: a worker's grid, a supervisor's community (None = city-wide).
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("grids.id"))
    community_id: Mapped[str | None] = mapped_column(ForeignKey("communities.id"))
    # The language the user chose with /lang; None until they choose.
    language: Mapped[str | None] = mapped_column(String(8))
    # The language of their latest message with letters in it, for updates
    # without text (buttons, locations, commands).
    last_language: Mapped[str | None] = mapped_column(String(8))
    consent_at: Mapped[datetime | None]
    # The name staff give when they join (reassign lists, staff list); None for residents.
    display_name: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    # Telegram refused a send (the user blocked the bot); cleared by their next update. Apart
    # from ``active``, which switches staff on and off.
    unreachable_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class Community(Base):
    __tablename__ = "communities"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))


class Grid(Base):
    __tablename__ = "grids"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    community_id: Mapped[str] = mapped_column(ForeignKey("communities.id"))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))


class CaseNumberCounter(Base):
    """One row per year; incremented in the same transaction that adds the case."""

    __tablename__ = "case_number_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


# Predicates of the SLA scan's partial indexes; services.cases.sla repeats them term for term
# (same statuses, same order), or the planners could not use the indexes.
_OPEN = ", ".join(f"'{status}'" for status in OPEN_STATUS_VALUES)
REMIND_PENDING = f"sla_reminded_at IS NULL AND status IN ({_OPEN}) AND assignee_id IS NOT NULL"
ESCALATE_PENDING = f"sla_escalated_at IS NULL AND status IN ({_OPEN})"
# The accept-SLA's: cases still waiting to be accepted (services.cases.sla spells them the same).
ACCEPT_WAITING = ("assigned", "new")
ACCEPT_REMIND_PENDING = (
    "accept_reminded_at IS NULL AND status = 'assigned' AND assignee_id IS NOT NULL"
)
ACCEPT_ESCALATE_PENDING = "accept_escalated_at IS NULL AND status IN ('assigned', 'new')"


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_status_due", "status", "due_at"),
        Index("ix_cases_grid_type_status", "grid_id", "case_type", "status"),
        Index("ix_cases_reporter", "reporter_id", "created_at"),
        Index("ix_cases_assignee_status", "assignee_id", "status"),
        # The SLA scan reads only rows still waiting for a reminder or an escalation;
        # partial indexes keep that small as closed cases pile up. The open statuses are
        # part of the predicate: most cases end before their reminder and never get the
        # flag, so on the flag alone the index would hold nearly every closed case.
        Index("ix_cases_remind_pending", "remind_at",
              postgresql_where=sql_text(REMIND_PENDING),
              sqlite_where=sql_text(REMIND_PENDING)),
        Index("ix_cases_escalate_pending", "due_at",
              postgresql_where=sql_text(ESCALATE_PENDING),
              sqlite_where=sql_text(ESCALATE_PENDING)),
        Index("ix_cases_accept_remind_pending", "accept_remind_at",
              postgresql_where=sql_text(ACCEPT_REMIND_PENDING),
              sqlite_where=sql_text(ACCEPT_REMIND_PENDING)),
        Index("ix_cases_accept_escalate_pending", "accept_due_at",
              postgresql_where=sql_text(ACCEPT_ESCALATE_PENDING),
              sqlite_where=sql_text(ACCEPT_ESCALATE_PENDING)),
        Index("ix_cases_resolved_at", "resolved_at",
              postgresql_where=sql_text("status = 'resolved'"),
              sqlite_where=sql_text("status = 'resolved'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    # "report" (a problem to fix) or "consultation" (a question for staff).
    kind: Mapped[str] = mapped_column(String(16), default="report", server_default="report")
    case_type: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(String(500))
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("grids.id"))
    # Set when there is no grid (a consultation), so it still reaches the right supervisor.
    community_id: Mapped[str | None] = mapped_column(ForeignKey("communities.id"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    nlu_confidence: Mapped[float | None] = mapped_column(Float)
    reporter_count: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    accept_due_at: Mapped[datetime]
    due_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # When the worker is reminded: 80 % of the way from filing to due.
    remind_at: Mapped[datetime | None]
    # Set once each, so the periodic SLA scan is idempotent.
    sla_reminded_at: Mapped[datetime | None]
    sla_escalated_at: Mapped[datetime | None]
    # The accept-SLA as a clock too: remind the assignee, then tell the supervisor at
    # ``accept_due_at``; both flags are cleared when the case is (re)assigned.
    accept_remind_at: Mapped[datetime | None]
    accept_reminded_at: Mapped[datetime | None]
    accept_escalated_at: Mapped[datetime | None]
    rating: Mapped[int | None]

    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", lazy="raise"
    )


class CaseEvent(Base):
    """Every status change: who, when, from, to, note."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime]
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="events", lazy="raise")


class CaseFollower(Base):
    """A resident who joined an existing case instead of filing a duplicate (并单)."""

    __tablename__ = "case_followers"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    joined_at: Mapped[datetime]
    # The follower's own answer after `resolved` (fixed or not) and rating; the reporter's
    # lives on the case.
    answered_at: Mapped[datetime | None]
    fixed: Mapped[bool | None]
    rating: Mapped[int | None]


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    telegram_file_id: Mapped[str] = mapped_column(String(256))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime]


class ConversationState(Base):
    """Where a user is in a multi-step conversation; survives restarts."""

    __tablename__ = "conversation_states"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    conversation: Mapped[str] = mapped_column(String(32), primary_key=True)
    state: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class OutboxMessage(Base):
    """A message to send, written in the transaction of the change that causes it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_not_before", "status", "not_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[OutboxPayload]
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    # Groups the rows of one broadcast (a call-out), for its progress and its cancellation.
    batch_key: Mapped[str | None] = mapped_column(String(64), index=True)


class Invite(Base):
    """A one-time code an admin makes; `/join CODE` binds a Telegram user to a staff role."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("grids.id"))
    community_id: Mapped[str | None] = mapped_column(ForeignKey("communities.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # role "department": the department (case_types.yaml) whose contact chat `/join` binds.
    department_id: Mapped[str | None] = mapped_column(String(64))


class DepartmentChat(Base):
    """转办: the chat a department answers forwarded cases from, bound by `/join CODE` sent
    there (a group, or the liaison's own chat). Wins over contact_chat in departments.yaml."""

    __tablename__ = "department_chats"

    department_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    chat_kind: Mapped[str] = mapped_column(String(16))  # "private" or "group"
    bound_at: Mapped[datetime]
    bound_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ProcessedUpdate(Base):
    """Telegram update ids already handled (webhook replays are answered, not re-run)."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    state: Mapped[str] = mapped_column(String(16))  # processing | done
    at: Mapped[datetime] = mapped_column(index=True)  # the owner's last heartbeat while processing
    owner: Mapped[str | None] = mapped_column(String(64))


class JobTick(Base):
    """One row per periodic job per tick: whichever instance inserts it runs the tick."""

    __tablename__ = "job_ticks"

    job: Mapped[str] = mapped_column(String(32), primary_key=True)
    tick: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    instance: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class DataAccess(Base):
    """Each time staff were shown a resident's personal data (PIPL: reads are recorded)."""

    __tablename__ = "data_access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    purpose: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class Evaluation(Base):
    """A resident's 12345 evaluation of a resolved case (满意 / 基本满意 / 不满意, optional
    comment). 不满意 opens a 回访: the community supervisor calls back, records the outcome,
    and the resident is told it."""

    __tablename__ = "evaluations"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    grade: Mapped[str] = mapped_column(String(24))  # satisfied | basically_satisfied | unsatisfied
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]
    # The 回访 (unsatisfied only): due by, who did it, when, and what the resident was told.
    revisit_due_at: Mapped[datetime | None]
    revisit_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revisit_at: Mapped[datetime | None]
    revisit_note: Mapped[str | None] = mapped_column(Text)
