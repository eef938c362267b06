"""Call-outs: who may make one, what makes one valid, who receives it, and its broadcast.

The bot's wizard and `griddesk callout create` both end in `create_callout`, so the same rules
hold whichever way a call-out comes in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.notices import Notice, Renderer
from bot.volunteer_words import answer_buttons, card, say
from config.schema import CityConfig
from services.volunteers.batch import BatchMessage, queue_batch, rendered
from services.volunteers.desk import VolunteerDesk, VolunteerError
from storage.models import User
from storage.payloads import OutboxPayload
from storage.volunteers import CallOut, Volunteer, VolunteerSkill

TARGETS: tuple[str, ...] = ("all", "grids", "skills")
MAX_TITLE, MAX_PLACE, MAX_NEEDED = 200, 300, 1000
MAX_DURATION = timedelta(hours=24)
BROADCAST_KIND = "callout"


@dataclass
class CallOutSpec:
    """A call-out as its maker describes it, before it is stored: aware datetimes, `needed`
    volunteers, skill ids, a target of TARGETS, an optional pin in WGS84 degrees."""

    title: str
    place: str
    starts_at: datetime
    ends_at: datetime
    needed: int
    skills: list[str] = field(default_factory=list)
    target: str = "all"
    target_grids: list[str] = field(default_factory=list)
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Recipient:
    """A volunteer a broadcast goes to: their chat and language."""

    telegram_id: int
    lang: str


def may_create(user: User) -> bool:
    """Only an active supervisor makes call-outs."""
    return user.role == "supervisor" and user.active


def may_coordinate(user: User, callout: CallOut) -> bool:
    """Its coordinator, or a supervisor whose scope covers the call-out's."""
    if not user.active:
        return False
    if callout.coordinator_id == user.id:
        return True
    return user.role == "supervisor" and user.community_id in (None, callout.community_id)


def scope_grids(city: CityConfig, community_id: str | None) -> list[str]:
    """The grid ids of a community, or of the whole city for None."""
    if community_id is None:
        return list(city.grids)
    return [g.id for g in city.grids.values() if g.community_id == community_id]


def check_spec(desk: VolunteerDesk, spec: CallOutSpec, community_id: str | None) -> None:
    """Return None if the call-out is valid (times compared with `desk.now`, aware UTC).

    Raises:
        VolunteerError: naming the first thing wrong (title, place, time past, window over
            MAX_DURATION, needed, skill, target, grids out of scope, half a pin).
    """
    if not spec.title.strip() or len(spec.title) > MAX_TITLE:
        raise VolunteerError("callout.bad_title", limit=str(MAX_TITLE))
    if not spec.place.strip() or len(spec.place) > MAX_PLACE:
        raise VolunteerError("callout.bad_place", limit=str(MAX_PLACE))
    if spec.starts_at <= desk.now:
        raise VolunteerError("callout.time_past")
    if not spec.starts_at < spec.ends_at <= spec.starts_at + MAX_DURATION:
        raise VolunteerError("callout.bad_window")
    if not 1 <= spec.needed <= MAX_NEEDED:
        raise VolunteerError("callout.bad_needed", limit=str(MAX_NEEDED))
    unknown = [s for s in spec.skills if s not in desk.config.skills]
    if unknown:
        raise VolunteerError("callout.bad_skill", skill=unknown[0])
    if spec.target not in TARGETS:
        raise VolunteerError("callout.bad_target")
    if spec.target == "skills" and not spec.skills:
        raise VolunteerError("callout.skills_target_needs_skills")
    if spec.target == "grids":
        allowed = set(scope_grids(desk.city, community_id))
        if not spec.target_grids:
            raise VolunteerError("callout.no_grids")
        outside = [g for g in spec.target_grids if g not in allowed]
        if outside:
            raise VolunteerError("callout.grid_out_of_scope", grid=outside[0])
    if (spec.latitude is None) != (spec.longitude is None):
        raise VolunteerError("callout.bad_pin")


async def recipients(
    session: AsyncSession,
    city: CityConfig,
    spec: CallOutSpec,
    community_id: str | None,
    default_lang: str,
) -> list[Recipient]:
    """Volunteers the call-out goes to: reachable, in scope, matching the target."""
    query = (
        select(User.telegram_id, User.language, User.last_language)
        .join(Volunteer, Volunteer.user_id == User.id)
        .where(Volunteer.active.is_(True), Volunteer.blocked_at.is_(None))
        .order_by(Volunteer.id)
    )
    grids = spec.target_grids if spec.target == "grids" else None
    if grids is None and community_id is not None:
        grids = scope_grids(city, community_id)
    if grids is not None:
        query = query.where(Volunteer.grid_id.in_(grids))
    if spec.target == "skills":
        query = query.where(
            exists(
                select(VolunteerSkill.volunteer_id).where(
                    VolunteerSkill.volunteer_id == Volunteer.id,
                    VolunteerSkill.skill.in_(spec.skills),
                )
            )
        )
    rows = await session.execute(query)
    return [Recipient(tid, chosen or last or default_lang) for tid, chosen, last in rows]


async def create_callout(
    desk: VolunteerDesk, spec: CallOutSpec, coordinator: User | None, community_id: str | None
) -> CallOut:
    """Store the call-out and queue its broadcast in the same transaction (flushes, for the
    id). Returns the call-out with `broadcast_total` set.

    Raises:
        VolunteerError: the spec is invalid (see check_spec).
    """
    check_spec(desk, spec, community_id)
    now = desk.now
    callout = CallOut(
        title=spec.title.strip(),
        place=spec.place.strip(),
        latitude=spec.latitude,
        longitude=spec.longitude,
        starts_at=spec.starts_at,
        ends_at=spec.ends_at,
        skills=list(spec.skills),
        needed=spec.needed,
        target=spec.target,
        target_grids=list(spec.target_grids) if spec.target == "grids" else [],
        community_id=community_id,
        coordinator_id=coordinator.id if coordinator else None,
        status="active",
        broadcast_total=0,
        created_at=now,
        updated_at=now,
    )
    desk.session.add(callout)
    await desk.session.flush()
    callout.batch_key = f"callout:{callout.id}"
    people = await recipients(
        desk.session, desk.city, spec, community_id, desk.catalog.default_language
    )
    told = Notice([card(callout, desk.config.skills), "", say("callout.ask")])
    told.buttons = answer_buttons(callout)
    render = Renderer(desk.catalog, desk.city)
    payloads: dict[str, OutboxPayload] = {
        lang: rendered(render, lang, told) for lang in {p.lang for p in people}
    }
    callout.broadcast_total = await queue_batch(
        desk.session,
        [BatchMessage(p.telegram_id, payloads[p.lang]) for p in people],
        batch_key=callout.batch_key,
        kind=BROADCAST_KIND,
        now=now,
        per_second=desk.send_per_second,
        head_start=desk.config.broadcast_head_start,
    )
    callout.broadcast_started_at = now
    if not people:
        callout.broadcast_finished_at = now  # nothing to watch, nothing to report
    return callout


async def load_callout(session: AsyncSession, callout_id: int, *, lock: bool = False) -> CallOut:
    """The call-out, locked for the transaction when it is about to change (`lock`).

    Raises:
        VolunteerError: "callout.gone", no call-out with that id.
    """
    callout = await session.get(CallOut, callout_id, with_for_update=lock or None)
    if callout is None:
        raise VolunteerError("callout.gone")
    return callout


def eligible(city: CityConfig, callout: CallOut, volunteer: Volunteer, skills: list[str]) -> bool:
    """Whether the call-out was meant for this volunteer (button data is not trusted)."""
    grids = callout.target_grids if callout.target == "grids" else None
    if grids is None and callout.community_id is not None:
        grids = scope_grids(city, callout.community_id)
    if grids is not None and volunteer.grid_id not in grids:
        return False
    return callout.target != "skills" or bool(set(skills) & set(callout.skills))
