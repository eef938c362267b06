"""The coordinator's view of a broadcast, kept by a periodic job over the database.

Each tick reads the outbox rows under each running call-out's batch key: progress (sent/total,
rate, time left) at most every `progress_every`, the final report once nothing is left to send,
blocked volunteers marked inactive, and a roster summary when people joined or dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices import Value
from bot.volunteer_words import say
from services.volunteers.batch import BLOCKED, BatchProgress, batch_progress, stop_batch
from services.volunteers.desk import VolunteerDesk
from services.volunteers.roster import JOINED, WAITLISTED, count
from storage.models import OutboxMessage, User
from storage.volunteers import CallOut, Volunteer

BATCH = 100


@dataclass
class WatchResult:
    """Counts of one tick: progress notes, final reports, volunteers marked blocked, rows
    stopped, roster summaries."""

    progress: int = 0
    finished: int = 0
    blocked: int = 0
    stopped: int = 0
    rosters: int = 0


def claim(statement: Select[CallOut], session: AsyncSession) -> Select[CallOut]:
    """Several instances may run the job: each call-out is handled by one of them per tick."""
    if session.get_bind().dialect.name == "postgresql":
        return statement.with_for_update(skip_locked=True)
    return statement


async def mark_blocked(session: AsyncSession, batch_key: str, now: datetime) -> int:
    """Volunteers Telegram refused to deliver to (403) stop receiving call-outs; returns how
    many were marked now (`now`, aware UTC, as blocked_at).

    They are counted as blocked in the report, not lost; writing to the bot again reactivates
    them (see `volunteers.mark_reachable`).
    """
    blocked_chats = select(OutboxMessage.chat_id).where(
        OutboxMessage.batch_key == batch_key,
        OutboxMessage.status == "failed",
        OutboxMessage.error == BLOCKED,
    )
    users = select(User.id).where(User.telegram_id.in_(blocked_chats))
    result = await session.execute(
        update(Volunteer)
        .where(Volunteer.user_id.in_(users), Volunteer.blocked_at.is_(None))
        .values(active=False, blocked_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def progress_values(p: BatchProgress) -> dict[str, Value]:
    """The progress text's values: sent, total, rate (messages a second, one decimal), eta
    (the time left, as words), blocked, failed, cancelled; numbers as strings."""
    left = p.seconds_left
    if left is None:
        eta = say("eta_unknown")
    elif left < 60:
        eta = say("eta_under_minute")
    else:
        eta = say("eta_minutes", minutes=math.ceil(left / 60))
    return {
        "sent": str(p.sent),
        "total": str(p.total),
        "rate": f"{p.per_second:.1f}",
        "eta": eta,
        "blocked": str(p.blocked),
        "failed": str(p.failed),
        "cancelled": str(p.cancelled),
    }


async def watch_broadcasts(desk: VolunteerDesk) -> WatchResult:
    """One tick over at most BATCH running broadcasts at `desk.now`: stop a cancelled one's
    rows, mark blocked volunteers, tell progress or the final report, then roster summaries.
    Changes rows and queues outbox rows; the caller commits."""
    result = WatchResult()
    session, now = desk.session, desk.now
    running = claim(
        select(CallOut)
        .where(CallOut.broadcast_started_at.is_not(None), CallOut.broadcast_finished_at.is_(None))
        .order_by(CallOut.id)
        .limit(BATCH),
        session,
    )
    for callout in list((await session.execute(running)).scalars()):
        key = callout.batch_key or ""
        if callout.status == "cancelled":  # a retried row may have come back to pending
            result.stopped += await stop_batch(session, key)
        result.blocked += await mark_blocked(session, key, now)
        progress = await batch_progress(session, key, now)
        if progress.done:
            callout.broadcast_finished_at = now
            await _tell_progress(desk, callout, "coordinator.final", progress)
            result.finished += 1
            continue
        since = callout.progress_told_at or callout.broadcast_started_at
        if since is not None and now - since >= desk.config.progress_every:
            callout.progress_told_at = now
            await _tell_progress(desk, callout, "coordinator.progress", progress)
            result.progress += 1
    result.rosters = await _roster_summaries(desk)
    return result


async def _tell_progress(
    desk: VolunteerDesk, callout: CallOut, key: str, progress: BatchProgress
) -> None:
    await desk.tell_coordinator(callout, key, **progress_values(progress))


async def _roster_summaries(desk: VolunteerDesk) -> int:
    """At most every `roster_every`, a line to the coordinator when the roster moved."""
    session, now = desk.session, desk.now
    changed = claim(
        select(CallOut)
        .where(
            CallOut.status == "active",
            CallOut.coordinator_id.is_not(None),
            CallOut.ends_at > now,
            CallOut.roster_changed_at.is_not(None),
            (CallOut.roster_told_at.is_(None))
            | (CallOut.roster_told_at < CallOut.roster_changed_at),
        )
        .order_by(CallOut.id)
        .limit(BATCH),
        session,
    )
    told = 0
    for callout in list((await session.execute(changed)).scalars()):
        if callout.roster_told_at and now - callout.roster_told_at < desk.config.roster_every:
            continue
        callout.roster_told_at = now
        await desk.tell_coordinator(
            callout,
            "coordinator.roster_update",
            joined=await count(session, callout.id, JOINED),
            waitlisted=await count(session, callout.id, WAITLISTED),
            needed=callout.needed,
        )
        told += 1
    return told
