"""The city's configuration as the rest of GridDesk sees it: immutable, validated, no I/O.

Only `config.loader` builds these from files; handlers, routing and the NLU read them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Literal

from config import geo
from domain.calendar import ROUND_THE_CLOCK, SlaSpan, SlaUnit, WorkingCalendar
from domain.ids import CASE_TYPES, FAQ_TOPICS
from domain.traditional import TRADITIONAL

# DESIGN.md fixes these ids (NLU intents are report_<case_type>, faq/<topic>); one list,
# shared with the NLU.
FIXED_CASE_TYPE_IDS: tuple[str, ...] = CASE_TYPES
FAQ_TOPIC_IDS: tuple[str, ...] = FAQ_TOPICS
Priority = Literal["low", "normal", "high", "urgent"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 24 * 60
ONE_DAY = SlaSpan(1, SlaUnit.DAYS)


@dataclass(frozen=True)
class Localized:
    """A text in both languages the bot speaks."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """English for any `en*` code (Telegram sends `en-US`), Chinese otherwise."""
        return self.en if lang.lower().startswith("en") and self.en else self.zh


@dataclass(frozen=True, kw_only=True)
class Department:
    id: str
    name: Localized


@dataclass(frozen=True, kw_only=True)
class DepartmentContact:
    """转办: the chat a forwarded case goes to, and the department's own deadline."""

    id: str
    contact_chat: int
    sla: SlaSpan


@dataclass(frozen=True, kw_only=True)
class CaseType:
    id: str
    name: Localized
    short: Localized  # one line, fits under a button
    priority: Priority
    sla_accept: SlaSpan  # in working hours/days (calendar.yaml) or on the clock
    sla_resolve: SlaSpan
    department: Department  # where escalations go


@dataclass(frozen=True, kw_only=True)
class Grid:
    id: str
    community_id: str
    name: Localized
    worker_slots: int
    aliases: tuple[str, ...]
    polygon: geo.Polygon = field(repr=False)  # rings of (lon, lat); outer first, then holes
    bbox: geo.BoundingBox = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "bbox", geo.bounding_box(self.polygon))

    def contains(self, lon: float, lat: float) -> bool:
        return self.bbox.contains(lon, lat) and geo.contains_point(self.polygon, lon, lat)

    def centre(self) -> tuple[float, float]:
        """(lat, lon) of the outer ring's centroid: a point inside a convex grid."""
        lon, lat = geo.centroid(self.polygon[0])
        return lat, lon


@dataclass(frozen=True, kw_only=True)
class Community:
    id: str
    name: Localized
    grid_ids: tuple[str, ...]


@dataclass(frozen=True)
class OpeningRange:
    """Minutes after local midnight; `closes` <= `opens` means it runs past midnight."""

    opens: int
    closes: int  # up to 1440, so "22:00-24:00" stays within the day

    @property
    def crosses_midnight(self) -> bool:
        return self.closes <= self.opens

    def __str__(self) -> str:
        return f"{_hhmm(self.opens)}-{_hhmm(self.closes)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, kw_only=True)
class ServiceStation:
    id: str
    name: Localized
    community: str | None
    address: Localized
    phone: str
    lon: float
    lat: float
    hours: Mapping[int, tuple[OpeningRange, ...]]  # weekday (Monday 0) -> ranges; absent: closed
    topics: tuple[str, ...] = ()
    timezone: tzinfo | None = None  # the city's; hours are local wall-clock times

    def is_open(self, at: datetime) -> bool:
        """Whether the doors are open at `at` (aware: converted to local; naive: local already).

        A range that crosses midnight belongs to the day it starts on, so after midnight the
        previous weekday's late ranges are consulted too.
        """
        if at.tzinfo is not None and self.timezone is not None:
            at = at.astimezone(self.timezone)
        minute = at.hour * 60 + at.minute
        today, yesterday = at.weekday(), (at.weekday() - 1) % 7
        for hours in self.hours.get(today, ()):
            if hours.crosses_midnight:
                if minute >= hours.opens:
                    return True
            elif hours.opens <= minute < hours.closes:
                return True
        return any(
            hours.crosses_midnight and minute < hours.closes
            for hours in self.hours.get(yesterday, ())
        )


@dataclass(frozen=True, kw_only=True)
class FaqTopic:
    id: str
    title: Localized
    answer: Localized
    station_ids: tuple[str, ...]
    last_checked: date  # when staff last checked the answer against current rules


def normalize_alias(text: str) -> str:
    """Fold width, case, runs of spaces and traditional characters, so "ＸＩＮＪＩ　 Tower"
    typed on a phone matches "Xinji Tower" and "翠湖苑3棟" matches "翠湖苑3栋"."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().translate(TRADITIONAL).split())


# How residents shorten the words of English names ("88 Dongcheng Rd", "Sunshine Gdn blk 2").
_ABBREVIATED = {
    "rd": "road", "st": "street", "str": "street", "ct": "court", "crt": "court",
    "gdn": "garden", "gdns": "gardens", "ave": "avenue", "av": "avenue", "twr": "tower",
    "bldg": "building", "blk": "block", "vlg": "village", "vill": "village", "pk": "park",
    "mkt": "market", "sq": "square", "ind": "industrial", "sch": "school", "stn": "station",
}  # fmt: skip
_ABBREVIATION = re.compile(r"(?<![a-z0-9])(" + "|".join(_ABBREVIATED) + r")\.?(?![a-z0-9])")
# Chinese numerals in a name are its digits: "新基村1巷" is "新基村一巷", "阳光1街" "阳光一街".
_NUMERALS = str.maketrans("一二三四五六七八九", "123456789")


def matching_form(text: str) -> str:
    """normalize_alias, and the shortened English words spelled out and Chinese numerals as
    digits: the form typed places and configured aliases are compared in (both sides alike)."""
    folded = _ABBREVIATION.sub(lambda m: _ABBREVIATED[m.group(1)], normalize_alias(text))
    return folded.translate(_NUMERALS)


def _ascii_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _alias_occurs(alias: str, text: str) -> bool:
    """Substring match, but an ASCII alias must not sit inside a longer ASCII word or number,
    so "1 Hongmian Road" does not match "11 Hongmian Road"."""
    start = text.find(alias)
    while start != -1:
        end = start + len(alias)
        left_ok = start == 0 or not (
            _ascii_word_char(alias[0]) and _ascii_word_char(text[start - 1])
        )
        right_ok = end == len(text) or not (
            _ascii_word_char(alias[-1]) and _ascii_word_char(text[end])
        )
        if left_ok and right_ok:
            return True
        start = text.find(alias, start + 1)
    return False


@dataclass(frozen=True, kw_only=True)
class CityConfig:
    city_id: str
    city_name: Localized
    timezone: tzinfo
    case_types: Mapping[str, CaseType]
    communities: Mapping[str, Community]
    grids: Mapping[str, Grid]
    stations: Mapping[str, ServiceStation]
    faq: Mapping[str, FaqTopic]
    # calendar.yaml + holidays.yaml; a city without them counts every minute.
    calendar: WorkingCalendar = ROUND_THE_CLOCK
    consultation_sla: SlaSpan = ONE_DAY  # staff answer a resident's question within
    department_contacts: Mapping[str, DepartmentContact] = field(default_factory=dict)

    def grid_at(self, lat: float, lon: float) -> Grid | None:
        """The grid a shared location falls in, or None outside every grid."""
        return next((grid for grid in self.grids.values() if grid.contains(lon, lat)), None)

    def grid_by_alias(self, text: str) -> Grid | None:
        """The grid whose estate/building alias appears in a typed address; longest alias wins,
        so "新基大厦" beats a shorter alias "新基" in the same text."""
        found = self.alias_in(text)
        return found[1] if found else None

    def alias_in(self, text: str) -> tuple[str, Grid] | None:
        """The longest estate/building alias appearing in `text` (as configured) and its grid;
        None when the text names none."""
        folded = matching_form(text)
        unspaced = folded.replace(" ", "")
        best: tuple[str, Grid] | None = None
        for grid in self.grids.values():
            for alias in grid.aliases:
                key = matching_form(alias)
                longer = best is None or len(key) > len(matching_form(best[0]))
                # "sunshinegarden": an English name typed without its spaces is still it
                found = _alias_occurs(key, folded) or (
                    " " in key and _alias_occurs(key.replace(" ", ""), unspaced)
                )
                if longer and found:
                    best = (alias, grid)
        return best

    def case_type(self, case_type_id: str) -> CaseType:
        try:
            return self.case_types[case_type_id]
        except KeyError:
            raise KeyError(f"unknown case type {case_type_id!r}") from None

    def nearest_stations(
        self, lat: float, lon: float, limit: int = 3
    ) -> list[tuple[ServiceStation, float]]:
        """Stations with their straight-line (haversine) distance in metres, nearest first."""
        ranked = sorted(
            (
                (station, geo.distance_m((lon, lat), (station.lon, station.lat)))
                for station in self.stations.values()
            ),
            key=lambda pair: (pair[1], pair[0].id),
        )
        return ranked[:limit]
