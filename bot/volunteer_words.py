"""How the volunteer desk reads: call-out cards, windows, skills, volunteer labels, buttons.

``services.volunteers`` decides what happened and who hears it and builds
:class:`~bot.notices.Notice` values of ``volunteer.<key>`` texts from here; the renderer says
them in each reader's language and the city's time zone. Handlers word their replies with the
same values, so the broadcast, the reminders, the roster and the replies describe a call-out
alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

from bot.i18n import Catalog
from bot.notices import Notice, Press, Renderer, Say, Value, Worded, press
from config.schema import Localized
from storage.payloads import Attachments
from storage.volunteers import CallOut

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def say(key: str, **values: Value) -> Say:
    """The catalog text `volunteer.<key>` with `values`."""
    return Say(f"volunteer.{key}", **values)


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


def _local_date(render: Renderer, lang: str, local: datetime) -> str:
    return render.say(
        lang,
        say(
            "date",
            month=say(f"month.m{local.month}"),
            day=local.day,
            weekday=say(f"weekday.{_WEEKDAYS[local.weekday()]}"),
        ),
    )


@dataclass(frozen=True)
class CallOutWindow(Worded):
    """A call-out's time window (two aware datetimes) in the city's local time: "Wed 25 Nov
    09:00–12:00", or both dates when it runs past midnight."""

    starts_at: datetime
    ends_at: datetime

    def word(self, render: Renderer, lang: str) -> str:
        tz = render.city.timezone
        start, end = self.starts_at.astimezone(tz), self.ends_at.astimezone(tz)
        if start.date() == end.date():
            return f"{_local_date(render, lang, start)} {start:%H:%M}–{end:%H:%M}"
        return (
            f"{_local_date(render, lang, start)} {start:%H:%M} – "
            f"{_local_date(render, lang, end)} {end:%H:%M}"
        )


@dataclass(frozen=True)
class Skills(Worded):
    """Skill ids as their names joined in one line ("、" in Chinese, ", " otherwise); the
    "any skill" words when empty. `names` is the volunteer config's id -> names (an id it
    lacks is said as it is)."""

    ids: tuple[str, ...]
    names: Mapping[str, Localized]

    def word(self, render: Renderer, lang: str) -> str:
        if not self.ids:
            return render.say(lang, say("any_skill"))
        separator = "、" if lang == "zh" else ", "
        return separator.join(
            name.get(lang) if (name := self.names.get(s)) else s for s in self.ids
        )


@dataclass(frozen=True)
class VolunteerLabel(Worded):
    """How staff see a volunteer on a roster: their display name, else "Volunteer #12"
    (registered before names were asked). Only for staff handling the call-out (PIPL)."""

    volunteer_id: int
    name: str | None = None

    def word(self, render: Renderer, lang: str) -> str:
        return self.name or render.say(lang, say("unnamed", id=self.volunteer_id))


@dataclass(frozen=True)
class Lines(Worded):
    """Several texts, one per line (a ranking inside a message)."""

    items: tuple[Say, ...]

    def word(self, render: Renderer, lang: str) -> str:
        return "\n".join(render.say(lang, item) for item in self.items)


def month_label(month: str) -> Say:
    """ "2026-10" as the month's words ("2026年10月" / "October 2026")."""
    year, number = month.split("-")
    return say("month_label", year=year, month=say(f"month.m{int(number)}"))


def card_values(callout: Described, skill_names: Mapping[str, Localized]) -> dict[str, Value]:
    """The values every call-out text may use: title, when (local window), place, skills
    (named by `skill_names`, the volunteer config's), needed (as a string)."""
    return {
        "title": callout.title,
        "when": CallOutWindow(callout.starts_at, callout.ends_at),
        "place": callout.place,
        "skills": Skills(tuple(callout.skills), skill_names),
        "needed": str(callout.needed),
    }


def card(callout: Described, skill_names: Mapping[str, Localized]) -> Say:
    """The call-out's card (title, window, place, skills, needed)."""
    return say("callout.card", **card_values(callout, skill_names))


def pin(callout: CallOut) -> tuple[float, float] | None:
    """The call-out's (latitude, longitude) in WGS84 degrees; None when it has no pin."""
    if callout.latitude is None or callout.longitude is None:
        return None
    return callout.latitude, callout.longitude


def notice(
    key: str,
    values: Mapping[str, Value],
    *,
    buttons: list[list[Press]] | None = None,
    location: tuple[float, float] | None = None,
) -> Notice:
    """`volunteer.<key>` with `values` as one message; `location` (lat, lon in WGS84 degrees)
    adds a map pin after the text."""
    extra = Attachments(location=list(location)) if location else Attachments()
    return Notice([say(key, **values)], buttons or [], extra)


def button(label: str, verb: str, callout_id: int) -> Press:
    """A call-out button: `volunteer.button.<label>` for `co:<verb>:<id>`."""
    return press(f"volunteer.button.{label}", "co", verb, callout_id)


def answer_buttons(callout: CallOut) -> list[list[Press]]:
    """Join / Can't make it, and the map pin on demand (one message per volunteer, not two)."""
    rows = [[button("join", "j", callout.id), button("cannot", "n", callout.id)]]
    if callout.latitude is not None:
        rows.append([button("map", "map", callout.id)])
    return rows


def rostered_buttons(callout_id: int) -> list[list[Press]]:
    """For someone on the roster: check in when there, or drop out in time for a replacement."""
    return [[button("check_in", "in", callout_id)], [button("drop", "drop", callout_id)]]


def coordinator_buttons(callout: CallOut) -> list[list[Press]]:
    """Roster, progress, change, cancel: what a coordinator can do with a live call-out."""
    cid = callout.id
    if callout.status != "active":
        return [[button("roster", "ros", cid)]]
    return [
        [button("roster", "ros", cid), button("progress", "prog", cid)],
        [button("change", "chg", cid), button("cancel_callout", "x", cid)],
    ]


def example_dates(now: datetime, timezone: tzinfo) -> tuple[date, date]:
    """Future days for the examples the wizard shows: the coming Saturday (a week on if it
    is today), and a plain date five days ahead."""
    today = now.astimezone(timezone).date()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    return saturday, today + timedelta(days=5)


def when_examples(catalog: Catalog, lang: str, now: datetime, timezone: tzinfo) -> str:
    """ "Saturday 9:00-11:30, 2026-12-05 9:00-12:00 or tomorrow 3pm-5pm", with a date ahead
    (`now` aware UTC; the date in `timezone`)."""
    later = example_dates(now, timezone)[1]
    date_text = catalog.t(
        lang, "office.example_date", year=later.year, month=later.month, day=later.day
    )
    return catalog.t(lang, "office.when_examples", date=date_text)
