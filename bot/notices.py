"""What services say to people, before it is words: notices, and the one renderer.

A service decides *what happened* and *who hears it*; it builds a :class:`Notice` of catalog
keys, values and button actions, in no language. :class:`Renderer` turns a notice into the text
and buttons of one reader's language (case types and grids by their names, moments and due
times as people say them in the city's time zone, callback data by the codec). So services
never hold a text or a callback string, and a message reads the same wherever it comes from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.callback_data import button_data
from bot.due_text import say_due, say_moment
from bot.i18n import Catalog
from config.schema import CityConfig
from domain.calendar import SlaSpan
from domain.lifecycle import CaseStatus
from storage.models import Case
from storage.payloads import Attachments


@dataclass(frozen=True)
class CaseTypeName:
    """A case type id, said as its name in the reader's language."""

    case_type: str


@dataclass(frozen=True)
class GridName:
    """A grid id, said as its name in the reader's language ("-" for None or an unknown id)."""

    grid_id: str | None


@dataclass(frozen=True)
class CommunityName:
    """A community id, said as its name in the reader's language."""

    community_id: str


@dataclass(frozen=True)
class DepartmentName:
    """The department a case type is forwarded to (转办), said in the reader's language."""

    case_type: str


@dataclass(frozen=True)
class Moment:
    """An aware UTC moment, said in the city's time zone (`12月3日 周四 17:30`); the year only
    when it is not the year of `now` (aware UTC; None: the moment's own year)."""

    at: datetime
    now: datetime | None = None


@dataclass(frozen=True)
class Due:
    """A due time with the SLA it was counted from (`3个工作日内（12月3日 周四 17:30 前）`)."""

    at: datetime
    span: SlaSpan
    now: datetime | None = None


class Worded:
    """A value that words itself through the renderer: what a presentation module in bot/
    needs beyond the values here (a list joined the catalog's way, a name with a fallback).
    Subclasses are plain data in no language; :meth:`word` is called only by the renderer."""

    def word(self, render: Renderer, lang: str) -> str | int | float:
        """The value in `lang`."""
        raise NotImplementedError


@dataclass(frozen=True, init=False)
class Say:
    """A catalog key with its values; a value may be plain (str, int) or said in the reader's
    language (another Say, a case type, a grid, a moment, a due time, a :class:`Worded`)."""

    key: str
    values: Mapping[str, Value]

    def __init__(self, key: str, /, **values: Value) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "values", values)


Value = (
    str | int | float | Say | CaseTypeName | GridName | CommunityName | DepartmentName
    | Moment | Due | Worded
)


@dataclass(frozen=True)
class Press:
    """A button: its label and the action it asks for (``bot.callback_data`` prefix, verb, ids
    — encoded only when rendered)."""

    label: Say
    prefix: str
    verb: str = ""
    args: tuple[object, ...] = ()


def press(label_key: str, prefix: str, verb: str = "", *args: object) -> Press:
    """`press("button.accept", "wk", "acc", case.id)`: the Accept button of a case."""
    return Press(Say(label_key), prefix, verb, args)


@dataclass
class Notice:
    """One message to one person: lines (joined by newlines; a str is verbatim, e.g. the
    resident's own words), rows of buttons, and attachments (photo, map pin, expiry)."""

    lines: list[Say | str] = field(default_factory=list)
    buttons: list[list[Press]] = field(default_factory=list)
    extra: Attachments = field(default_factory=lambda: Attachments())

    def line(self, item: Say | str) -> Notice:
        """Adds a line; returns the notice, so lines can be chained."""
        self.lines.append(item)
        return self

    def row(self, *presses: Press) -> Notice:
        """Adds a row of buttons; returns the notice."""
        self.buttons.append(list(presses))
        return self


def worker_buttons(case_id: int, status: CaseStatus) -> list[list[Press]]:
    """What the worker who has a case can do in its status: the one keyboard of the assignment
    ping, /tasks and the case card ([] once nothing is left to do)."""
    if status is CaseStatus.ASSIGNED:
        return [
            [press("button.accept", "wk", "acc", case_id)],
            [press("button.not_my_grid", "wk", "nmg", case_id),
             press("button.escalate", "wk", "esc", case_id)],
        ]  # fmt: skip
    if status in (CaseStatus.ACCEPTED, CaseStatus.REOPENED):
        return [
            [press("button.start", "wk", "start", case_id),
             press("button.resolve", "wk", "res", case_id)],
            [press("button.escalate", "wk", "esc", case_id),
             press("button.hand_back", "wk", "back", case_id)],
        ]  # fmt: skip
    if status is CaseStatus.IN_PROGRESS:
        return [
            [press("button.add_note", "wk", "note", case_id),
             press("button.resolve", "wk", "res", case_id)],
            [press("button.escalate", "wk", "esc", case_id)],
        ]  # fmt: skip
    return []


def fixed_or_not(case_id: int) -> list[Press]:
    """The resident's "fixed? / not fixed" row under a resolution (worker's or department's)."""
    return [press("button.fixed", "fu", "fixed", case_id),
            press("button.not_fixed", "fu", "notfixed", case_id)]  # fmt: skip


def case_values(case: Case) -> dict[str, Value]:
    """The values every case message uses ({number}, {case_type}, {grid}), unsaid."""
    # An urgent case is filed under a report type (safety_hazard) for its duty chain; it is
    # said as what it is, so a knife fight is not "a safety hazard" to the resident or staff.
    kind: Value = CaseTypeName(case.case_type)
    if case.priority == "urgent":
        kind = Say("notify.urgent_kind")
    return {"number": case.number, "case_type": kind, "grid": GridName(case.grid_id)}


def say_case(key: str, case: Case, **values: Value) -> Say:
    """`key` with the case's number, type and grid, plus `values`."""
    return Say(key, **case_values(case), **values)


class Renderer:
    """The one place a notice becomes words: the catalog's texts in the reader's language and
    the city's names and time zone."""

    def __init__(self, catalog: Catalog, city: CityConfig) -> None:
        self.catalog, self.city = catalog, city

    def value(self, lang: str, value: Value) -> str | int | float:
        """One value in `lang`. Raises CatalogError for a key the catalog lacks and KeyError
        for a case type the city does not have."""
        if isinstance(value, Say):
            return self.say(lang, value)
        if isinstance(value, Worded):
            return value.word(self, lang)
        if isinstance(value, CaseTypeName):
            return self.city.case_type(value.case_type).name.get(lang)
        if isinstance(value, GridName):
            grid = self.city.grids.get(value.grid_id or "")
            return grid.name.get(lang) if grid else "-"
        if isinstance(value, CommunityName):
            return self.city.communities[value.community_id].name.get(lang)
        if isinstance(value, DepartmentName):
            return self.city.case_type(value.case_type).department.name.get(lang)
        if isinstance(value, Moment):
            return say_moment(self.catalog, lang, value.at, self.city.timezone, value.now)
        if isinstance(value, Due):
            return say_due(
                self.catalog, lang, value.at, value.span, self.city.timezone, value.now
            )
        return value

    def say(self, lang: str, item: Say | str) -> str:
        """A line in `lang`; a str is returned as it is."""
        if isinstance(item, str):
            return item
        values = {name: self.value(lang, v) for name, v in item.values.items()}
        return self.catalog.t(lang, item.key, **values)

    def text(self, lang: str, notice: Notice) -> str:
        """Every line of the notice in `lang`, one per line."""
        return "\n".join(self.say(lang, line) for line in notice.lines)

    def buttons(self, lang: str, rows: Iterable[Iterable[Press]]) -> list[list[tuple[str, str]]]:
        """(label, callback data) rows. Raises CallbackDataTooLong for data over 64 bytes."""
        return [
            [(self.say(lang, p.label), button_data(p.prefix, p.verb, *p.args)) for p in row]
            for row in rows
        ]
