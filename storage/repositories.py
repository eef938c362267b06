"""Repositories with domain verbs; the caller's session owns the transaction."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Case,
    CaseFollower,
    CaseNumberCounter,
    ConversationState,
    JobTick,
    OutboxMessage,
    ProcessedUpdate,
    User,
)


def _insert(session: AsyncSession, model: Any, **values: Any) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (both SQLite and PostgreSQL do)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).values(**values)


def _insert_ignoring_conflicts(session: AsyncSession, model: Any, **values: Any) -> Any:
    return _insert(session, model, **values).on_conflict_do_nothing()


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, telegram_id: int) -> User | None:
        result = await self.session.execute(select(User).where(User.telegram_id == telegram_id))
        return result.scalar_one_or_none()

    async def get_or_create(self, telegram_id: int, now: datetime) -> User:
        user = await self.get(telegram_id)
        if user is not None:
            return user
        # Two updates from one new user may race; the unique key decides.
        await self.session.execute(
            _insert_ignoring_conflicts(
                self.session,
                User,
                telegram_id=telegram_id,
                role="resident",
                active=True,
                created_at=now,
            )
        )
        user = await self.get(telegram_id)
        assert user is not None
        return user

    async def by_id(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)


class CaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def next_number(self, year: int) -> str:
        """`GD-<year>-<seq>`, unique across processes: the counter row is locked until commit."""
        bump = (
            update(CaseNumberCounter)
            .where(CaseNumberCounter.year == year)
            .values(last_seq=CaseNumberCounter.last_seq + 1)
            .returning(CaseNumberCounter.last_seq)
        )
        seq = (await self.session.execute(bump)).scalar_one_or_none()
        if seq is None:
            await self.session.execute(
                _insert_ignoring_conflicts(self.session, CaseNumberCounter, year=year, last_seq=0)
            )
            seq = (await self.session.execute(bump)).scalar_one()
        return f"GD-{year}-{seq:06d}"

    def add(self, case: Case) -> None:
        self.session.add(case)

    async def by_number(self, number: str) -> Case | None:
        result = await self.session.execute(select(Case).where(Case.number == number))
        return result.scalar_one_or_none()

    async def for_resident(self, user_id: int, limit: int = 10) -> list[Case]:
        """Cases the resident reported or joined, newest first."""
        followed = select(CaseFollower.case_id).where(CaseFollower.user_id == user_id)
        result = await self.session.execute(
            select(Case)
            .where(or_(Case.reporter_id == user_id, Case.id.in_(followed)))
            .order_by(Case.created_at.desc(), Case.id.desc())
            .limit(limit)
        )
        return list(result.scalars())


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def load(self, telegram_id: int, conversation: str) -> ConversationState | None:
        return await self.session.get(ConversationState, (telegram_id, conversation))

    async def save(
        self, telegram_id: int, conversation: str, state: str, data: dict[str, Any], now: datetime
    ) -> None:
        # One upsert instead of a read then a write: this runs on every step.
        values = {"state": state, "data": dict(data), "updated_at": now}
        statement = _insert(
            self.session,
            ConversationState,
            telegram_id=telegram_id,
            conversation=conversation,
            **values,
        ).on_conflict_do_update(index_elements=["telegram_id", "conversation"], set_=values)
        await self.session.execute(statement)
        row = self.session.identity_map.get(
            self.session.identity_key(ConversationState, (telegram_id, conversation))
        )
        if row is not None:  # keep a row loaded earlier in this session in step
            self.session.expire(row)

    async def clear(self, telegram_id: int, conversation: str) -> None:
        await self.session.execute(
            delete(ConversationState).where(
                ConversationState.telegram_id == telegram_id,
                ConversationState.conversation == conversation,
            )
        )


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(
        self,
        chat_id: int,
        kind: str,
        payload: dict[str, Any],
        now: datetime,
        case_id: int | None = None,
    ) -> OutboxMessage:
        row = OutboxMessage(
            chat_id=chat_id,
            kind=kind,
            payload=payload,
            case_id=case_id,
            status="pending",
            attempts=0,
            not_before=now,
            created_at=now,
        )
        self.session.add(row)
        return row


class JobTickRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, job: str, tick: int, instance: str, now: datetime) -> bool:
        """True for exactly one caller per (job, tick), across processes."""
        statement = _insert_ignoring_conflicts(
            self.session, JobTick, job=job, tick=tick, instance=instance, at=now
        ).returning(JobTick.job)
        return (await self.session.execute(statement)).scalar_one_or_none() is not None


class ProcessedUpdateRepository:
    """Webhook de-duplication: each update id is handled once, even across instances."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def begin(self, update_id: int, now: datetime, stale_after: float) -> bool:
        """Claim the update for handling; False when it is done or in flight elsewhere."""
        claimed = await self.session.execute(
            _insert_ignoring_conflicts(
                self.session, ProcessedUpdate, update_id=update_id, state="processing", at=now
            ).returning(ProcessedUpdate.update_id)
        )
        if claimed.scalar_one_or_none() is not None:
            return True
        # An instance that died mid-update leaves "processing" behind: take it over.
        taken = await self.session.execute(
            update(ProcessedUpdate)
            .where(
                ProcessedUpdate.update_id == update_id,
                ProcessedUpdate.state == "processing",
                ProcessedUpdate.at < now - timedelta(seconds=stale_after),
            )
            .values(at=now)
            .returning(ProcessedUpdate.update_id)
        )
        return taken.scalar_one_or_none() is not None

    async def finish(self, update_id: int, now: datetime) -> None:
        await self.session.execute(
            update(ProcessedUpdate)
            .where(ProcessedUpdate.update_id == update_id)
            .values(state="done", at=now)
        )
