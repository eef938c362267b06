"""Repositories with domain verbs; the caller's session owns the transaction."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Select, Table, bindparam, delete, inspect, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from storage.models import (
    Case,
    CaseFollower,
    CaseNumberCounter,
    JobTick,
    OutboxMessage,
    ProcessedUpdate,
    User,
)
from storage.payloads import OutboxPayload


def _insert(session: AsyncSession, model: Any, **values: Any) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (both SQLite and PostgreSQL do)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).values(**values)


def _insert_ignoring_conflicts(session: AsyncSession, model: Any, **values: Any) -> Any:
    return _insert(session, model, **values).on_conflict_do_nothing()


# Built once: building a statement costs more than running it on SQLite.
_USER_BY_TELEGRAM_ID = select(User).where(User.telegram_id == bindparam("telegram_id"))
_BUMP_NUMBER = (
    update(CaseNumberCounter)
    .where(CaseNumberCounter.year == bindparam("of_year"))
    .values(last_seq=CaseNumberCounter.last_seq + 1)
    .returning(CaseNumberCounter.last_seq)
)


_USERS = cast(Table, User.__table__)
# The User attribute of each column, in the table's order (the RETURNING's).
_USER_KEYS = tuple(inspect(User).get_property_by_column(column).key for column in _USERS.columns)


@functools.cache
def _create_user(dialect: str) -> Any:
    """INSERT a user unless one has the telegram id, RETURNING the new row's columns. A Core
    statement: the ORM's INSERT ... RETURNING an entity costs about a millisecond more per new
    user in SQLAlchemy 2.0 (its bulk-insert machinery) for the same row."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(_USERS).on_conflict_do_nothing().returning(*_USERS.columns)


def _persistent_user(session: AsyncSession, values: Any) -> User:
    """The User of a row just inserted, in the session as if loaded: persistent and clean
    (a change made to it later is flushed as an UPDATE)."""
    user = User(**dict(zip(_USER_KEYS, values, strict=True)))
    make_transient_to_detached(user)  # its attributes are the committed, loaded state
    session.add(user)
    return user


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, telegram_id: int) -> User | None:
        result = await self.session.execute(_USER_BY_TELEGRAM_ID, {"telegram_id": telegram_id})
        return result.scalar_one_or_none()

    async def get_or_create(self, telegram_id: int, now: datetime) -> User:
        user = await self.get(telegram_id)
        if user is not None:
            return user
        user, _ = await self.create(telegram_id, now)
        return user

    async def create(
        self, telegram_id: int, now: datetime, last_language: str | None = None
    ) -> tuple[User, bool]:
        """A new resident, and True; or the row another update made a moment ago for the
        same user (two updates from one new user may race: the unique key decides), and False.
        `last_language`: the new resident's, known from their first update (no UPDATE after).
        """
        dialect = self.session.get_bind().dialect.name
        values = {"telegram_id": telegram_id, "role": "resident", "active": True,
                  "created_at": now, "last_language": last_language}  # fmt: skip
        # The new row comes back with the INSERT (one statement instead of two); none on a
        # conflict, when the other update's row is read instead.
        made = (await self.session.execute(_create_user(dialect), values)).one_or_none()
        if made is not None:
            return _persistent_user(self.session, made), True
        user = await self.get(telegram_id)
        assert user is not None
        return user, False

    async def by_id(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)


class CaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def next_number(self, year: int) -> str:
        """`GD-<year>-<seq>`, unique across processes: the counter row is locked until commit."""
        seq = (await self.session.execute(_BUMP_NUMBER, {"of_year": year})).scalar_one_or_none()
        if seq is None:
            await self.session.execute(
                _insert_ignoring_conflicts(self.session, CaseNumberCounter, year=year, last_seq=0)
            )
            seq = (await self.session.execute(_BUMP_NUMBER, {"of_year": year})).scalar_one()
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


@functools.cache
def _recent_sent(limit: int) -> Select[datetime | None, OutboxPayload]:
    """Built once per limit: a typed label looks at it on most typed answers, and building
    a statement costs more than running it on SQLite."""
    return (
        select(OutboxMessage.sent_at, OutboxMessage.payload)
        .where(OutboxMessage.chat_id == bindparam("chat_id"), OutboxMessage.status == "sent")
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(
        self,
        chat_id: int,
        kind: str,
        payload: OutboxPayload,
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

    async def recent_keyboards(
        self, chat_id: int, limit: int = 3
    ) -> list[tuple[datetime, list[list[str]]]]:
        """(sent at, its inline buttons as [label, data] pairs) of the last messages sent to a
        chat that had any, newest first: a typed "接单" answers the ping that offered it."""
        rows = await self.session.execute(_recent_sent(limit * 4), {"chat_id": chat_id})
        keyboards = [
            (sent_at, [[str(b.get("text", "")), str(b.get("data", ""))]
                       for row in payload["buttons"] for b in row])
            for sent_at, payload in rows
            if sent_at is not None and isinstance(payload, dict) and payload.get("buttons")
        ]  # fmt: skip
        return keyboards[:limit]


class JobTickRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, job: str, tick: int, instance: str, now: datetime) -> bool:
        """True for exactly one caller per (job, tick), across processes."""
        statement = _insert_ignoring_conflicts(
            self.session, JobTick, job=job, tick=tick, instance=instance, at=now
        ).returning(JobTick.job)
        return (await self.session.execute(statement)).scalar_one_or_none() is not None


class UpdateClaim(StrEnum):
    """What ``ProcessedUpdateRepository.begin`` found."""

    CLAIMED = "claimed"  # ours to handle now
    DONE = "done"  # handled before: answer 200, do nothing
    BUSY = "busy"  # another instance is on it and alive: make Telegram retry later


class ProcessedUpdateRepository:
    """Webhook de-duplication: each update id is handled once, even across instances.

    A claim is "processing" with an owner and a heartbeat (``at``); the owner refreshes it while
    it works. A claim whose heartbeat stopped (the owner died) is taken over on Telegram's retry.
    """

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def begin(
        self, update_id: int, now: datetime, stale_after: float, owner: str
    ) -> UpdateClaim:
        claimed = await self.session.execute(
            _insert_ignoring_conflicts(
                self.session,
                ProcessedUpdate,
                update_id=update_id,
                state="processing",
                at=now,
                owner=owner,
            ).returning(ProcessedUpdate.update_id)
        )
        if claimed.scalar_one_or_none() is not None:
            return UpdateClaim.CLAIMED
        # An instance that died mid-update leaves "processing" behind: take it over.
        taken = await self.session.execute(
            update(ProcessedUpdate)
            .where(
                ProcessedUpdate.update_id == update_id,
                ProcessedUpdate.state == "processing",
                ProcessedUpdate.at < now - timedelta(seconds=stale_after),
            )
            .values(at=now, owner=owner)
            .returning(ProcessedUpdate.update_id)
        )
        if taken.scalar_one_or_none() is not None:
            return UpdateClaim.CLAIMED
        state = await self.session.scalar(
            select(ProcessedUpdate.state).where(ProcessedUpdate.update_id == update_id)
        )
        return UpdateClaim.DONE if state == "done" else UpdateClaim.BUSY

    async def heartbeat(self, update_id: int, owner: str, now: datetime) -> bool:
        """Keep our claim fresh; False when it is no longer ours."""
        beat = await self.session.execute(
            update(ProcessedUpdate)
            .where(
                ProcessedUpdate.update_id == update_id,
                ProcessedUpdate.state == "processing",
                ProcessedUpdate.owner == owner,
            )
            .values(at=now)
            .returning(ProcessedUpdate.update_id)
        )
        return beat.scalar_one_or_none() is not None

    async def finish(self, update_id: int, now: datetime) -> None:
        await self.session.execute(
            update(ProcessedUpdate)
            .where(ProcessedUpdate.update_id == update_id)
            .values(state="done", at=now)
        )

    async def release(self, update_id: int, owner: str) -> None:
        """Give up our claim after a failure, so Telegram's retry is handled at once."""
        await self.session.execute(
            delete(ProcessedUpdate).where(
                ProcessedUpdate.update_id == update_id,
                ProcessedUpdate.state == "processing",
                ProcessedUpdate.owner == owner,
            )
        )

    async def prune(self, before: datetime) -> int:
        """Forget updates last touched before ``before``: Telegram retries for about a day, and a
        claim still "processing" that long has no live owner (its heartbeat would be fresh)."""
        result = await self.session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.at < before)
        )
        return int(getattr(result, "rowcount", 0) or 0)


async def prune_job_ticks(session: AsyncSession, before: datetime) -> int:
    """Forget periodic job ticks older than ``before``; a tick is only claimed near its time."""
    result = await session.execute(delete(JobTick).where(JobTick.at < before))
    return int(getattr(result, "rowcount", 0) or 0)
