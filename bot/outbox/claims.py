"""Claiming outbox rows so any number of dispatchers can share one table.

A claim turns due rows into ``sending`` with a lease (``claimed_until``) in one short transaction.
A dispatcher that dies mid-batch leaves its rows ``sending``; once the lease runs out they are due
again and another dispatcher takes them. Every later write names the lease it holds
(``claimed_until`` doubles as the claim token), so a dispatcher that overran its lease cannot undo
the claim of the one that took over. Only "sent" ignores the lease: a delivered row is never due
again, whoever holds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    and_,
    case,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import aliased

from storage.db import Database
from storage.models import OutboxMessage
from storage.payloads import OutboxPayload

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"

_Outbox = OutboxMessage


@dataclass(frozen=True)
class ClaimedMessage:
    """A row this dispatcher holds until ``lease_until``; a plain snapshot, no session behind it."""

    id: int
    chat_id: int
    kind: str
    payload: OutboxPayload
    case_id: int | None
    attempts: int
    error: str | None
    lease_until: datetime


@dataclass(frozen=True)
class ChatShare:
    """How many rows of one chat a claim takes (private chats, groups)."""

    private: int
    group: int


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(_Outbox.status == PENDING, _Outbox.not_before <= now),
        and_(_Outbox.status == SENDING, _Outbox.claimed_until < now),
    )


def _held(message: ClaimedMessage) -> ColumnElement[bool]:
    return and_(
        _Outbox.id == message.id,
        _Outbox.status == SENDING,
        _Outbox.claimed_until == message.lease_until,
    )


_COLUMNS = (
    _Outbox.id,
    _Outbox.chat_id,
    _Outbox.kind,
    _Outbox.payload,
    _Outbox.case_id,
    _Outbox.attempts,
    _Outbox.error,
)


class OutboxClaims:
    """The outbox table as the dispatcher sees it: claim, then settle each row."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def claim(
        self, now: datetime, until: datetime, limit: int, share: ChatShare
    ) -> list[ClaimedMessage]:
        """Lease up to ``limit`` due rows, oldest first.

        A chat whose rows another dispatcher is sending is left to that dispatcher, and each
        chat gives at most ``share`` rows, so rows of one chat go out in order and at its pace
        however many dispatchers run.
        """
        busy = aliased(OutboxMessage)
        chat_busy = exists().where(
            busy.chat_id == _Outbox.chat_id,
            busy.status == SENDING,
            busy.claimed_until >= now,
        )
        rank = func.row_number().over(partition_by=_Outbox.chat_id, order_by=_Outbox.id)
        ranked = (
            select(_Outbox.id, _Outbox.chat_id, rank.label("rank"))
            .where(_due(now), ~chat_busy)
            .subquery()
        )
        cap = case((ranked.c.chat_id < 0, share.group), else_=share.private)
        candidates = select(ranked.c.id).where(ranked.c.rank <= cap)
        async with self._db.transaction() as session:
            if self._db.is_sqlite:
                # One writer at a time: the UPDATE is the claim, nobody can interleave.
                picked = candidates.order_by(ranked.c.id).limit(limit)
                target = _Outbox.id.in_(picked.scalar_subquery())
            else:
                # Rows another dispatcher is claiming right now are locked: skip them rather
                # than wait (the LIMIT counts only rows we lock), and re-check "due" on each
                # row as it is after their commit.
                locked = (
                    select(_Outbox.id)
                    .where(_Outbox.id.in_(candidates.scalar_subquery()), _due(now))
                    .order_by(_Outbox.id)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
                ids = list((await session.scalars(locked)).all())
                if not ids:
                    return []
                target = _Outbox.id.in_(ids)
            claim = (
                update(_Outbox)
                .where(target, _due(now))
                .values(status=SENDING, claimed_until=until)
                .returning(*_COLUMNS)
                .execution_options(synchronize_session=False)
            )
            rows = (await session.execute(claim)).all()
        claimed = [
            ClaimedMessage(
                id=row.id,
                chat_id=row.chat_id,
                kind=row.kind,
                payload=row.payload,
                case_id=row.case_id,
                attempts=row.attempts,
                error=row.error,
                lease_until=until,
            )
            for row in rows
        ]
        return sorted(claimed, key=lambda message: message.id)  # RETURNING has no order

    async def mark_sent(self, message: ClaimedMessage, now: datetime) -> bool:
        """Record a delivery; wins over any lease, so the row is never due again."""
        return await self._settle(
            and_(_Outbox.id == message.id, _Outbox.status.in_((PENDING, SENDING))),
            status=SENT,
            sent_at=now,
            claimed_until=None,
            error=None,
        )

    async def put_back(
        self,
        message: ClaimedMessage,
        not_before: datetime,
        attempts: int,
        error: str | None,
        payload: OutboxPayload,
    ) -> bool:
        """Return a row to ``pending`` (a retry later, or a lease too short to use)."""
        return await self._settle(
            _held(message),
            status=PENDING,
            not_before=not_before,
            attempts=attempts,
            error=error,
            payload=payload,
            claimed_until=None,
        )

    async def mark_failed(self, message: ClaimedMessage, attempts: int, error: str) -> bool:
        return await self._settle(
            _held(message), status=FAILED, attempts=attempts, error=error, claimed_until=None
        )

    async def backlog(self) -> int:
        """Rows not yet settled: pending (due or backing off) and sending."""
        unsettled = _Outbox.status.in_((PENDING, SENDING))
        count = select(func.count()).select_from(_Outbox).where(unsettled)
        async with self._db.transaction() as session:
            return int((await session.execute(count)).scalar_one())

    async def _settle(self, where: ColumnElement[bool], **values: Any) -> bool:
        """One short transaction per row, so a settled row is durable before the next send."""
        statement = (
            update(_Outbox)
            .where(where)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        async with self._db.transaction() as session:
            result = cast(CursorResult[Any], await session.execute(statement))
        return result.rowcount > 0
