"""Reminders the day before and an hour before, and the monthly recognition per grid.

Periodic jobs over the database: each reminder has its own flag on the roster entry, set in
the transaction that queues it, so a tick run twice (or on two instances) sends it once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices import GridName, Notice, Renderer, Say, Value
from bot.volunteer_words import (
    Lines,
    VolunteerLabel,
    button,
    card_values,
    month_label,
    notice,
    pin,
    rostered_buttons,
    say,
)
from services.cases.filing import supervisors_for
from services.volunteers.batch import BatchMessage, queue_batch, rendered
from services.volunteers.desk import VolunteerDesk
from storage.models import User
from storage.payloads import OutboxPayload
from storage.volunteers import CallOut, CallOutResponse, Volunteer, VolunteerRecognition

BATCH = 500
TOP = 3  # names on the recognition message (as volunteer numbers: no names are stored)
SUPERVISOR_TOP = 20


@dataclass
class Reminded:
    """How many day-before and hour-before reminders one tick queued."""

    day: int = 0
    hour: int = 0


async def _due(
    session: AsyncSession, flag: str, lead: timedelta, now: datetime
) -> list[tuple[CallOutResponse, CallOut, User]]:
    column = getattr(CallOutResponse, flag)
    query = (
        select(CallOutResponse, CallOut, User)
        .join(CallOut, CallOut.id == CallOutResponse.callout_id)
        .join(User, User.id == CallOutResponse.user_id)
        .where(
            column.is_(None),
            CallOutResponse.status == "joined",
            CallOut.status == "active",
            CallOut.starts_at <= now + lead,
            CallOut.ends_at > now,
        )
        .order_by(CallOut.starts_at, CallOutResponse.id)
        .limit(BATCH)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=CallOutResponse)
    return [(e, c, u) for e, c, u in await session.execute(query)]


async def send_reminders(desk: VolunteerDesk) -> Reminded:
    """Remind everyone on a roster (at `desk.now`, aware UTC); skip a reminder that would only
    repeat what they know. Queues outbox rows; the caller commits."""
    done = Reminded()
    now, day, hour = desk.now, desk.config.remind_day_before, desk.config.remind_hour_before
    for entry, callout, user in await _due(desk.session, "reminded_day_at", day, now):
        entry.reminded_day_at = now
        joined_after = entry.rostered_at is not None and entry.rostered_at > callout.starts_at - day
        if joined_after or callout.starts_at - now <= hour:
            continue  # just joined (their confirmation had the time), or the hour one is due
        day_before = notice(
            "reminder.day",
            card_values(callout, desk.config.skills),
            buttons=[[button("drop", "drop", callout.id)]],
        )
        desk.tell(user, day_before, kind="callout_reminder")
        done.day += 1
    for entry, callout, user in await _due(desk.session, "reminded_hour_at", hour, now):
        entry.reminded_hour_at = now
        if entry.rostered_at is not None and entry.rostered_at > callout.starts_at - hour:
            continue
        hour_before = notice(
            "reminder.hour",
            card_values(callout, desk.config.skills),
            buttons=rostered_buttons(callout.id),
            location=pin(callout),
        )
        desk.tell(user, hour_before, kind="callout_reminder")
        done.hour += 1
    return done


def previous_month(desk: VolunteerDesk) -> tuple[str, datetime, datetime]:
    """("2026-10", start, end) of the month before `desk.now` in the city's local time; start
    and end are aware (the city's zone), end exclusive."""
    local = desk.now.astimezone(desk.city.timezone)
    this_month = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    return f"{last_month:%Y-%m}", last_month, this_month


async def _claim(session: AsyncSession, grid_id: str, month: str, now: datetime) -> bool:
    """Insert the grid's row for the month; False when another run already did."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(VolunteerRecognition)
        .values(grid_id=grid_id, month=month, volunteers=0, hours=0.0, sent_at=now)
        .on_conflict_do_nothing()
        .returning(VolunteerRecognition.id)
    )
    return (await session.execute(statement)).first() is not None


async def monthly_recognition(desk: VolunteerDesk) -> int:
    """Once per grid and month: thank the grid's volunteers; supervisors get the list."""
    session = desk.session
    month, since, until = previous_month(desk)
    done = await session.execute(select(func.count()).where(VolunteerRecognition.month == month))
    if done.scalar_one() >= len(desk.city.grids):
        return 0  # the usual case: this month's thanks went out already
    served = await session.execute(
        select(
            CallOutResponse.grid_id,
            Volunteer.id,
            func.sum(CallOutResponse.hours),
            func.sum(CallOutResponse.points),
        )
        .join(Volunteer, Volunteer.user_id == CallOutResponse.user_id)
        .where(CallOutResponse.checked_in_at >= since, CallOutResponse.checked_in_at < until)
        .group_by(CallOutResponse.grid_id, Volunteer.id)
    )
    by_grid: dict[str, list[tuple[int, float, int]]] = {}
    for grid_id, volunteer_id, hours, points in served:
        if grid_id is not None:
            by_grid.setdefault(grid_id, []).append(
                (volunteer_id, float(hours or 0), int(points or 0))
            )
    names = await _names(session, {vid for ranking in by_grid.values() for vid, _, _ in ranking})
    told = 0
    for grid_id in desk.city.grids:
        if not await _claim(session, grid_id, month, desk.now):
            continue
        ranking = sorted(by_grid.get(grid_id, []), key=lambda r: (-r[1], r[0]))
        if not ranking:
            continue
        await _recognise(desk, grid_id, month, ranking, names)
        told += 1
    return told


async def _names(session: AsyncSession, volunteer_ids: set[int]) -> dict[int, str]:
    """Display names of the ranked volunteers, for the supervisors' list only."""
    if not volunteer_ids:
        return {}
    rows = await session.execute(
        select(Volunteer.id, Volunteer.display_name).where(
            Volunteer.id.in_(volunteer_ids), Volunteer.display_name.is_not(None)
        )
    )
    return {vid: name for vid, name in rows if name}


async def _recognise(
    desk: VolunteerDesk,
    grid_id: str,
    month: str,
    ranking: list[tuple[int, float, int]],
    names: dict[int, str],
) -> None:
    """The thanks to every volunteer of the grid (numbers, no names: volunteers are not
    shown each other's names), and the supervisors' list, with names."""
    session = desk.session
    row = (
        await session.execute(
            select(VolunteerRecognition).where(
                VolunteerRecognition.grid_id == grid_id, VolunteerRecognition.month == month
            )
        )
    ).scalar_one()
    total = sum(hours for _, hours, _ in ranking)
    row.volunteers, row.hours = len(ranking), total
    rank = {vid: (i + 1, hours, points) for i, (vid, hours, points) in enumerate(ranking)}
    people = await session.execute(
        select(Volunteer.id, User.telegram_id, User.language, User.last_language)
        .join(User, User.id == Volunteer.user_id)
        .where(Volunteer.grid_id == grid_id, Volunteer.active.is_(True))
        .order_by(Volunteer.id)
    )
    render = Renderer(desk.catalog, desk.city)
    thanks = _say_ranking("recognition.message", grid_id, month, ranking, total, TOP)
    worded: dict[str, OutboxPayload] = {}  # the thanks once per language, not per volunteer
    messages = []
    for vid, telegram_id, chosen, last in people:
        lang = chosen or last or desk.catalog.default_language
        if lang not in worded:
            worded[lang] = rendered(render, lang, Notice([thanks]))
        payload = worded[lang]
        if vid in rank:  # their own line under the shared thanks
            place, hours, points = rank[vid]
            you = say("recognition.you", rank=place, hours=f"{hours:g}", points=points)
            payload = OutboxPayload(text=worded[lang]["text"] + "\n" + render.say(lang, you))
        messages.append(BatchMessage(telegram_id, payload))
    await queue_batch(
        session,
        messages,
        batch_key=f"recognition:{grid_id}:{month}",
        kind="recognition",
        now=desk.now,
        per_second=desk.send_per_second,
        head_start=desk.config.broadcast_head_start,
    )
    to_supervisors = Notice(
        [_say_ranking("recognition.supervisor", grid_id, month, ranking, total, SUPERVISOR_TOP,
                      names)]
    )  # fmt: skip
    for supervisor in await supervisors_for(session, desk.city, grid_id):
        desk.tell(supervisor, to_supervisors, kind="recognition")


def _say_ranking(
    key: str,
    grid_id: str,
    month: str,
    ranking: list[tuple[int, float, int]],
    total: float,
    top: int,
    names: dict[int, str] | None = None,
) -> Say:
    """`volunteer.<key>` with the grid, the month, the totals and the first `top` of the
    ranking. `names`: staff see display names; without them every line is "Volunteer #<id>"."""
    names = names or {}
    lines = tuple(
        say(
            "recognition.line",
            rank=i + 1,
            volunteer=VolunteerLabel(vid, names.get(vid)),
            hours=f"{hours:g}",
            points=pts,
        )
        for i, (vid, hours, pts) in enumerate(ranking[:top])
    )
    values: dict[str, Value] = {
        "grid": GridName(grid_id),
        "month": month_label(month),
        "volunteers": str(len(ranking)),
        "hours": f"{total:g}",
        "top": Lines(lines),
    }
    return say(key, **values)
