"""Outbox rows that will never be delivered, for `griddesk outbox failed`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.admin.staff import mask_telegram_id
from storage.models import Case, OutboxMessage, User


@dataclass(frozen=True)
class FailedMessage:
    """A permanently failed outbox row as `griddesk outbox failed` shows it; no personal data."""

    id: int
    created_at: datetime
    kind: str
    recipient: str  # role and a masked chat id: enough to act on, no personal data
    case_number: str | None
    attempts: int
    reason: str


async def failed_messages(
    session: AsyncSession, limit: int = 100, since: datetime | None = None
) -> list[FailedMessage]:
    """Permanently failed rows, newest first, with the reason Telegram (or we) gave."""
    query = (
        select(OutboxMessage, Case.number, User.role)
        .outerjoin(Case, Case.id == OutboxMessage.case_id)
        .outerjoin(User, User.telegram_id == OutboxMessage.chat_id)
        .where(OutboxMessage.status == "failed")
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    if since is not None:
        query = query.where(OutboxMessage.created_at >= since)
    rows = (await session.execute(query)).all()
    return [
        FailedMessage(
            id=row.id,
            created_at=row.created_at,
            kind=row.kind,
            recipient=f"{role or ('group' if row.chat_id < 0 else '?')} "
            f"{mask_telegram_id(row.chat_id)}",
            case_number=number,
            attempts=row.attempts,
            reason=row.error or "",
        )
        for row, number, role in rows
    ]
