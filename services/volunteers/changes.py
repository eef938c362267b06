"""Changing or cancelling a call-out, and telling the people it concerns.

Cancelling mid-broadcast stops the rows not yet handed to Telegram (they become `cancelled`
and are never claimed) and tells everyone already reached, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices import Notice, Renderer
from bot.volunteer_words import card_values, notice, pin, rostered_buttons, say
from services.volunteers.batch import (
    BatchMessage,
    queue_batch,
    reached_chats,
    rendered,
    stop_batch,
)
from services.volunteers.callouts import CallOutSpec, check_spec
from services.volunteers.desk import VolunteerDesk, VolunteerError
from services.volunteers.roster import (
    DECLINED,
    DROPPED,
    JOINED,
    ON_ROSTER,
    count,
    fill_from_waitlist,
)
from storage.models import User
from storage.volunteers import CallOut, CallOutResponse


@dataclass(frozen=True)
class CallOutChange:
    """What the coordinator changes; None leaves a field as it is."""

    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    needed: int | None = None


def _spec_of(callout: CallOut) -> CallOutSpec:
    return CallOutSpec(
        title=callout.title,
        place=callout.place,
        starts_at=callout.starts_at,
        ends_at=callout.ends_at,
        needed=callout.needed,
        skills=list(callout.skills),
        target=callout.target,
        target_grids=list(callout.target_grids),
        latitude=callout.latitude,
        longitude=callout.longitude,
    )


async def change_callout(desk: VolunteerDesk, callout: CallOut, change: CallOutChange) -> int:
    """Apply the change, promote into new places, tell everyone joined or waiting.

    Returns how many were told. The roster cannot shrink below those already on it: telling
    someone who was promised a place that they lost it is the coordinator's call, not ours.
    Times in `change` are aware datetimes; queues outbox rows, no flush.

    Raises:
        VolunteerError: the call-out is cancelled or over, the changed call-out is invalid
            (see check_spec), or `needed` is below those already joined.
    """
    if callout.status != "active":
        raise VolunteerError("callout.was_cancelled", title=callout.title)
    if desk.now >= callout.ends_at:
        raise VolunteerError("callout.over", title=callout.title)
    spec = replace(
        _spec_of(callout),
        **{k: v for k, v in vars(change).items() if v is not None},
    )
    check_spec(desk, spec, callout.community_id)
    joined = await count(desk.session, callout.id, JOINED)
    if spec.needed < joined:
        raise VolunteerError("callout.needed_below_roster", joined=str(joined))
    moved = (spec.starts_at, spec.ends_at) != (callout.starts_at, callout.ends_at)
    moved_pin = change.latitude is not None
    callout.starts_at, callout.ends_at, callout.place = spec.starts_at, spec.ends_at, spec.place
    callout.latitude, callout.longitude, callout.needed = spec.latitude, spec.longitude, spec.needed
    callout.updated_at = desk.now
    if moved:  # reminders are due again at the new times
        await desk.session.execute(
            update(CallOutResponse)
            .where(CallOutResponse.callout_id == callout.id)
            .values(reminded_day_at=None, reminded_hour_at=None)
            .execution_options(synchronize_session=False)
        )
    if joined < spec.needed:
        callout.full_told_at = None
    promoted = {e.user_id for e in await fill_from_waitlist(desk, callout)}
    told = 0
    for entry, user in await _people(desk.session, callout.id, ON_ROSTER):
        if entry.user_id in promoted:
            continue  # their promotion message already has the new details
        on_roster = entry.status == JOINED
        told_one = notice(
            "callout.changed" if on_roster else "callout.changed_waitlist",
            card_values(callout, desk.config.skills),
            buttons=rostered_buttons(callout.id) if on_roster else None,
            location=pin(callout) if moved_pin and on_roster else None,
        )
        desk.tell(user, told_one)
        told += 1
    return told


async def _people(
    session: AsyncSession, callout_id: int, statuses: tuple[str, ...]
) -> list[tuple[CallOutResponse, User]]:
    rows = await session.execute(
        select(CallOutResponse, User)
        .join(User, User.id == CallOutResponse.user_id)
        .where(CallOutResponse.callout_id == callout_id, CallOutResponse.status.in_(statuses))
        .order_by(CallOutResponse.id)
    )
    return [(e, u) for e, u in rows]


@dataclass(frozen=True)
class Cancelled:
    """What cancelling a call-out did: broadcast rows stopped, people told."""

    stopped: int  # broadcast messages that will never be sent
    told: int  # people told it is off: reached by the broadcast, or on the roster


async def cancel_callout(desk: VolunteerDesk, callout: CallOut) -> Cancelled:
    """Cancel an active call-out at `desk.now`: stop its unsent broadcast rows and queue the
    notice to everyone reached or on the roster, except those who declined or dropped.

    Raises:
        VolunteerError: "callout.was_cancelled", the call-out is not active.
    """
    if callout.status != "active":
        raise VolunteerError("callout.was_cancelled", title=callout.title)
    callout.status, callout.cancelled_at, callout.updated_at = "cancelled", desk.now, desk.now
    session, batch_key = desk.session, callout.batch_key or f"callout:{callout.id}"
    stopped = await stop_batch(session, batch_key)
    langs: dict[int, str] = {}
    reached = set(await reached_chats(session, batch_key))
    answered = await _people(session, callout.id, (*ON_ROSTER, DECLINED, DROPPED))
    not_coming = {u.telegram_id for e, u in answered if e.status in (DECLINED, DROPPED)}
    for _, user in answered:
        langs[user.telegram_id] = desk.lang_of(user)
    unknown = reached - set(langs)
    for start in range(0, len(unknown), 1000):
        chunk = sorted(unknown)[start : start + 1000]
        rows = await session.execute(
            select(User.telegram_id, User.language, User.last_language).where(
                User.telegram_id.in_(chunk)
            )
        )
        for tid, chosen, last in rows:
            langs[tid] = chosen or last or desk.catalog.default_language
    roster = {u.telegram_id for e, u in answered if e.status in ON_ROSTER}
    to_tell = sorted((reached | roster) - not_coming)
    values = card_values(callout, desk.config.skills)
    cancelled = Notice([say("callout.cancelled_notice", **values)])
    render = Renderer(desk.catalog, desk.city)
    payloads = {lang: rendered(render, lang, cancelled) for lang in set(langs.values())}
    told = await queue_batch(
        session,
        [BatchMessage(tid, payloads[langs[tid]]) for tid in to_tell if tid in langs],
        batch_key=f"{batch_key}:cancel",
        kind="callout_cancelled",
        now=desk.now,
        per_second=desk.send_per_second,
        head_start=desk.config.broadcast_head_start,
    )
    return Cancelled(stopped, told)
