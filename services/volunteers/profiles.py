"""Volunteer profiles: register, edit, withdraw (DESIGN.md "Volunteers").

A registration in progress is a `VolunteerDraft` kept in conversation_states, so a restart
resumes it; only a finished one with consent becomes a `Volunteer` row.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.volunteers.desk import VolunteerDesk, VolunteerError
from storage.models import User
from storage.volunteers import Volunteer, VolunteerSkill

AVAILABILITY: tuple[str, ...] = ("weekdays", "evenings", "weekends")
# What a draft is for: a whole registration, or one part of an existing profile.
REGISTER, EDIT_SKILLS, EDIT_GRID, EDIT_AVAILABILITY = "register", "skills", "grid", "availability"
EDIT_NAME = "name"
NAME_LIMIT = 32  # characters: fits a roster line on a phone


def clean_name(text: str) -> str:
    """The display name as it will be stored: control and format characters (zero-width and
    direction marks) dropped, any whitespace run made one space.

    Raises VolunteerError("register.bad_name") when no letter or digit is left, or when it is
    longer than NAME_LIMIT (refused rather than cut, so nobody is listed under half a name)."""
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or not unicodedata.category(ch).startswith("C")
    )
    name = " ".join(kept.split())
    if not any(ch.isalnum() for ch in name) or len(name) > NAME_LIMIT:
        raise VolunteerError("register.bad_name", limit=str(NAME_LIMIT))
    return name


def suggested_name(first_name: str | None) -> str | None:
    """The Telegram first name, if it makes a valid display name as it is."""
    try:
        return clean_name(first_name or "")
    except VolunteerError:
        return None


@dataclass
class VolunteerDraft:
    """A registration or profile edit in progress (`mode`: REGISTER or the part edited), kept
    as JSON via to_dict / from_dict."""

    language: str
    mode: str = REGISTER
    # Put in this draft's buttons: a button of an older draft is recognised as stale.
    token: str = field(default_factory=lambda: secrets.token_hex(3))
    display_name: str | None = None
    # The Telegram first name offered on the "use my name" button (kept only if chosen).
    suggested_name: str | None = None
    skills: list[str] = field(default_factory=list)
    community_id: str | None = None
    grid_id: str | None = None
    availability: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON-able values."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VolunteerDraft:
        """A draft from to_dict's output; unknown keys (older versions) are dropped."""
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Profile:
    """A volunteer row and its skill ids, sorted."""

    volunteer: Volunteer
    skills: list[str]


async def profile_of(session: AsyncSession, user: User) -> Profile | None:
    """The user's volunteer profile, withdrawn ones included (they may sign up again); None
    when they never registered."""
    volunteer = (
        await session.execute(select(Volunteer).where(Volunteer.user_id == user.id))
    ).scalar_one_or_none()
    if volunteer is None:
        return None
    skills = await session.execute(
        select(VolunteerSkill.skill).where(VolunteerSkill.volunteer_id == volunteer.id)
    )
    return Profile(volunteer, sorted(skills.scalars()))


def draft_from(profile: Profile, language: str, mode: str) -> VolunteerDraft:
    """A draft holding the profile as it is, to edit the part `mode` names."""
    volunteer = profile.volunteer
    return VolunteerDraft(
        language=language,
        mode=mode,
        display_name=volunteer.display_name,
        skills=list(profile.skills),
        grid_id=volunteer.grid_id,
        availability=list(volunteer.availability),
    )


def toggle(chosen: list[str], item: str) -> list[str]:
    """A new list: `item` removed if chosen, else added at the end."""
    return [c for c in chosen if c != item] if item in chosen else [*chosen, item]


async def save_profile(desk: VolunteerDesk, user: User, draft: VolunteerDraft) -> Volunteer:
    """Create or update the profile from a finished draft; consent is the act of saving
    (`desk.now`, aware UTC). Unknown skills and availability are dropped. Flushes a new row.

    Raises:
        VolunteerError: no known grid picked, or the display name is refused (clean_name).
    """
    skills = [s for s in draft.skills if s in desk.config.skills]
    availability = [a for a in AVAILABILITY if a in draft.availability]
    if draft.grid_id not in desk.city.grids:
        raise VolunteerError("register.pick_grid_first")
    name = clean_name(draft.display_name) if draft.display_name else None
    session, now = desk.session, desk.now
    profile = await profile_of(session, user)
    if profile is None:
        volunteer = Volunteer(
            user_id=user.id,
            grid_id=draft.grid_id,
            display_name=name,
            availability=availability,
            consent_at=now,
            active=True,
            registered_at=now,
            updated_at=now,
        )
        session.add(volunteer)
        await session.flush()
    else:
        volunteer = profile.volunteer
        volunteer.grid_id, volunteer.availability = draft.grid_id, availability
        volunteer.display_name = name or volunteer.display_name
        volunteer.updated_at = now
        if volunteer.withdrawn_at is not None:  # signing up again is consenting again
            volunteer.consent_at, volunteer.withdrawn_at = now, None
        mark_reachable(volunteer)
    await session.execute(delete(VolunteerSkill).where(VolunteerSkill.volunteer_id == volunteer.id))
    if skills:
        await session.execute(
            insert(VolunteerSkill), [{"volunteer_id": volunteer.id, "skill": s} for s in skills]
        )
    return volunteer


def mark_reachable(volunteer: Volunteer) -> None:
    """The user just wrote to the bot, so they have not blocked it (any more)."""
    volunteer.blocked_at = None
    if volunteer.withdrawn_at is None:
        volunteer.active = True


async def withdraw(desk: VolunteerDesk, user: User) -> bool:
    """Stop receiving call-outs; hours served stay for /myhours. False if not registered."""
    profile = await profile_of(desk.session, user)
    if profile is None or profile.volunteer.withdrawn_at is not None:
        return False
    profile.volunteer.active = False
    profile.volunteer.withdrawn_at = profile.volunteer.updated_at = desk.now
    return True


async def active_volunteer(session: AsyncSession, user: User) -> Volunteer | None:
    """The profile if the user may answer call-outs (registered, not withdrawn)."""
    profile = await profile_of(session, user)
    if profile is None or profile.volunteer.withdrawn_at is not None:
        return None
    mark_reachable(profile.volunteer)
    return profile.volunteer
