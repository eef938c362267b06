"""Likely duplicates (并单): same grid, same type, still open, recent, similar words."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.lifecycle import OPEN_STATUSES
from storage.models import Case, CaseFollower, User

RECENT = timedelta(hours=72)
# Character bigrams serve both scripts; same grid and type already narrow a
# lot, so a modest overlap is enough to ask "is it this one?".
MIN_SIMILARITY = 0.15
MAX_OFFERED = 3
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def _bigrams(text: str) -> set[str]:
    cleaned = _NOISE.sub("", text.lower())
    return {cleaned[i : i + 2] for i in range(len(cleaned) - 1)} or {cleaned}


def similarity(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x | y else 0.0


async def likely_duplicates(
    session: AsyncSession,
    grid_id: str | None,
    case_type: str,
    text: str,
    now: datetime,
) -> list[Case]:
    if grid_id is None:
        return []
    candidates = (
        (
            await session.execute(
                select(Case)
                .where(
                    Case.grid_id == grid_id,
                    Case.case_type == case_type,
                    Case.status.in_([s.value for s in OPEN_STATUSES]),
                    Case.created_at >= now - RECENT,
                )
                .order_by(Case.created_at.desc())
                .limit(50)
            )
        )
        .scalars()
        .all()
    )
    scored = [(similarity(text, c.text), c) for c in candidates]
    scored = [(s, c) for s, c in scored if s >= MIN_SIMILARITY]
    scored.sort(key=lambda pair: pair[0], reverse=True)
    return [c for _, c in scored[:MAX_OFFERED]]


async def join_case(session: AsyncSession, case_id: int, resident: User, now: datetime) -> Case:
    """Make the resident a follower: same updates, one more reporter on the count."""
    case = await session.get(Case, case_id, with_for_update=True)
    if case is None:
        raise LookupError(case_id)
    if case.reporter_id != resident.id:
        already = (
            await session.execute(
                select(CaseFollower.id).where(
                    CaseFollower.case_id == case.id, CaseFollower.user_id == resident.id
                )
            )
        ).first()
        if already is None:
            session.add(CaseFollower(case_id=case.id, user_id=resident.id, joined_at=now))
            case.reporter_count += 1
    return case
