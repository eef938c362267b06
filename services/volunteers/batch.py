"""Broadcast batches in the outbox: many rows under one batch key, and how far they got.

A batch is written in one transaction with the change that causes it. Its rows are spread over
time at Telegram's send rate (after a head start), so the dispatcher always has work but a case
ping queued meanwhile is due long before the broadcast's tail and goes out within seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices import Notice, Renderer
from storage.models import OutboxMessage
from storage.payloads import OutboxPayload

INSERT_CHUNK = 1000
BLOCKED = "blocked"  # the dispatcher's error for a user who blocked the bot (403)
CANCELLED = "cancelled"
RATE_WINDOW = timedelta(seconds=60)


@dataclass(frozen=True)
class BatchMessage:
    """One row of a broadcast: the chat and its outbox payload."""

    chat_id: int
    payload: OutboxPayload


def rendered(render: Renderer, lang: str, told: Notice) -> OutboxPayload:
    """`told` in `lang` as one outbox payload (text and buttons) that every row of a batch in
    that language shares: a broadcast is worded once per language, not per recipient.

    Raises:
        CallbackDataTooLong: a button's data is over Telegram's 64 bytes.
    """
    payload = OutboxPayload(text=render.text(lang, told))
    if buttons := render.buttons(lang, told.buttons):
        payload["buttons"] = [[{"text": t, "data": d} for t, d in row] for row in buttons]
    return payload


async def queue_batch(
    session: AsyncSession,
    messages: Sequence[BatchMessage],
    *,
    batch_key: str,
    kind: str,
    now: datetime,
    per_second: float,
    head_start: timedelta,
) -> int:
    """Write the rows; returns how many. The first `per_second * head_start` are due at `now`
    (aware UTC), then one every 1/`per_second` seconds. Executes the inserts (no commit)."""
    head = int(per_second * head_start.total_seconds())
    rows = [
        {
            "chat_id": message.chat_id,
            "kind": kind,
            "payload": message.payload,
            "status": "pending",
            "attempts": 0,
            "not_before": now + timedelta(seconds=max(0, i + 1 - head) / per_second),
            "created_at": now,
            "batch_key": batch_key,
        }
        for i, message in enumerate(messages)
    ]
    for start in range(0, len(rows), INSERT_CHUNK):
        await session.execute(insert(OutboxMessage), rows[start : start + INSERT_CHUNK])
    return len(rows)


async def stop_batch(session: AsyncSession, batch_key: str) -> int:
    """Mark rows not yet handed to Telegram `cancelled`; the dispatcher never claims those.

    Rows already `sending` are in flight and may still arrive; callers count them as reached.
    """
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.batch_key == batch_key, OutboxMessage.status == "pending")
        .values(status=CANCELLED)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def reached_chats(session: AsyncSession, batch_key: str) -> list[int]:
    """Chats the batch was delivered to, or is being delivered to right now."""
    result = await session.execute(
        select(OutboxMessage.chat_id).where(
            OutboxMessage.batch_key == batch_key,
            OutboxMessage.status.in_(("sent", "sending")),
        )
    )
    return list(result.scalars())


async def blocked_chats(session: AsyncSession, batch_key: str) -> list[int]:
    """Chats whose row of the batch failed because they blocked the bot."""
    result = await session.execute(
        select(OutboxMessage.chat_id).where(
            OutboxMessage.batch_key == batch_key,
            OutboxMessage.status == "failed",
            OutboxMessage.error == BLOCKED,
        )
    )
    return list(result.scalars())


@dataclass(frozen=True)
class BatchProgress:
    """How far a batch got, in rows; `per_second` is the send rate over the last minute."""

    total: int
    sent: int
    waiting: int  # pending or being sent
    blocked: int
    failed: int  # for another reason than a block
    cancelled: int
    per_second: float  # over the last minute

    @property
    def done(self) -> bool:
        """Nothing is pending or being sent."""
        return self.waiting == 0

    @property
    def seconds_left(self) -> float | None:
        """Seconds until the rest is sent at the current rate; 0.0 when done, None when
        nothing was sent in the last minute (no rate to go by)."""
        if self.done:
            return 0.0
        return self.waiting / self.per_second if self.per_second > 0 else None


async def batch_progress(session: AsyncSession, batch_key: str, now: datetime) -> BatchProgress:
    """Counted from the outbox rows themselves: true whichever dispatcher sent them. `now`
    (aware UTC) sets the rate window. Reads only."""
    is_blocked = (OutboxMessage.error == BLOCKED).label("is_blocked")
    rows = await session.execute(
        select(OutboxMessage.status, is_blocked, func.count())
        .where(OutboxMessage.batch_key == batch_key)
        .group_by(OutboxMessage.status, is_blocked)
    )
    counts: dict[str, int] = {}
    for status, blocked, count in rows:
        name = BLOCKED if status == "failed" and blocked else status
        counts[name] = counts.get(name, 0) + int(count)
    recent, first = (
        await session.execute(
            select(
                func.count().filter(OutboxMessage.sent_at >= now - RATE_WINDOW),
                func.min(OutboxMessage.sent_at),
            ).where(OutboxMessage.batch_key == batch_key, OutboxMessage.status == "sent")
        )
    ).one()
    span = min(RATE_WINDOW, now - first).total_seconds() if first is not None else 0.0
    return BatchProgress(
        total=sum(counts.values()),
        sent=counts.get("sent", 0),
        waiting=counts.get("pending", 0) + counts.get("sending", 0),
        blocked=counts.get(BLOCKED, 0),
        failed=counts.get("failed", 0),
        cancelled=counts.get(CANCELLED, 0),
        per_second=int(recent) / span if span >= 1 else 0.0,
    )
