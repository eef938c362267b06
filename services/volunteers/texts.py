"""How a call-out reads in a message: its card, its time window, its skills.

One place, so the broadcast, the reminders and the roster all describe a call-out alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any, Protocol

from bot.callback_data import button_data
from services.volunteers.desk import Buttons, VolunteerDesk
from storage.volunteers import CallOut


class Described(Protocol):
    """A stored call-out or one still being drafted: what its card shows."""

    @property
    def title(self) -> str:
        """What the call-out is for, as its maker typed it."""

    @property
    def place(self) -> str:
        """Where to meet, in the maker's words."""

    @property
    def starts_at(self) -> datetime:
        """The start, an aware datetime."""

    @property
    def ends_at(self) -> datetime:
        """The end, an aware datetime after the start."""

    @property
    def skills(self) -> Sequence[str]:
        """Skill ids wanted (config ids); empty: anyone."""

    @property
    def needed(self) -> int:
        """How many volunteers it needs."""


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def local_date(desk: VolunteerDesk, lang: str, moment: datetime, tz: tzinfo) -> str:
    """The local date of aware `moment` in `tz` with month and weekday words in `lang`."""
    local = moment.astimezone(tz)
    weekday = desk.t(lang, f"weekday.{_WEEKDAYS[local.weekday()]}")
    month = desk.t(lang, f"month.m{local.month}")
    return desk.t(lang, "date", month=month, day=local.day, weekday=weekday)


def window(desk: VolunteerDesk, lang: str, starts_at: datetime, ends_at: datetime) -> str:
    """ "Wed 25 Nov 09:00–12:00" in the city's local time (two aware datetimes), or both
    dates when it runs past midnight."""
    tz = desk.city.timezone
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    if start.date() == end.date():
        return f"{local_date(desk, lang, starts_at, tz)} {start:%H:%M}–{end:%H:%M}"
    return (
        f"{local_date(desk, lang, starts_at, tz)} {start:%H:%M} – "
        f"{local_date(desk, lang, ends_at, tz)} {end:%H:%M}"
    )


def volunteer_label(desk: VolunteerDesk, lang: str, volunteer_id: int, name: str | None) -> str:
    """How staff see a volunteer on a roster: their display name, else "Volunteer #12"
    (registered before names were asked). Only for staff handling the call-out (PIPL)."""
    return name or desk.t(lang, "unnamed", id=volunteer_id)


def skills_text(desk: VolunteerDesk, lang: str, skills: list[str]) -> str:
    """The skills' names in `lang` joined in one line; the "any skill" words when empty."""
    if not skills:
        return desk.t(lang, "any_skill")
    separator = "、" if lang == "zh" else ", "
    return separator.join(desk.config.skill_name(s, lang) for s in skills)


def card_values(desk: VolunteerDesk, lang: str, callout: Described) -> dict[str, Any]:
    """The values every call-out text may use: title, when (local window), place, skills,
    needed (as a string)."""
    return {
        "title": callout.title,
        "when": window(desk, lang, callout.starts_at, callout.ends_at),
        "place": callout.place,
        "skills": skills_text(desk, lang, list(callout.skills)),
        "needed": str(callout.needed),
    }


def card(desk: VolunteerDesk, lang: str, callout: Described) -> str:
    """The call-out's card (title, window, place, skills, needed) in `lang`."""
    return desk.t(lang, "callout.card", **card_values(desk, lang, callout))


def answer_buttons(desk: VolunteerDesk, lang: str, callout: CallOut) -> Buttons:
    """Join / Can't make it, and the map pin on demand (one message per volunteer, not two)."""
    rows: Buttons = [
        [
            (desk.t(lang, "button.join"), button_data("co", "j", callout.id)),
            (desk.t(lang, "button.cannot"), button_data("co", "n", callout.id)),
        ]
    ]
    if callout.latitude is not None:
        rows.append([(desk.t(lang, "button.map"), button_data("co", "map", callout.id))])
    return rows


def rostered_buttons(desk: VolunteerDesk, lang: str, callout: CallOut) -> Buttons:
    """For someone on the roster: check in when there, or drop out in time for a replacement."""
    return [
        [(desk.t(lang, "button.check_in"), button_data("co", "in", callout.id))],
        [(desk.t(lang, "button.drop"), button_data("co", "drop", callout.id))],
    ]


def pin(callout: CallOut) -> tuple[float, float] | None:
    """The call-out's (latitude, longitude) in WGS84 degrees; None when it has no pin."""
    if callout.latitude is None or callout.longitude is None:
        return None
    return callout.latitude, callout.longitude
