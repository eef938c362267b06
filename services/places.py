"""Typed places: what a resident writes when asked "where is it?".

Residents answer with an estate or building alias (`翠湖苑`, `Emerald Lake Court`), a building
or flat form (`3栋`, `5栋一楼`, `2号楼401`, `Block 7`, `flat 401`), a street corner nobody
configured, or a mix. `read_place` finds the grid where it can and always keeps the words as
a free-form address; `is_place_only` (the NLU's own guard, nlu.places) says when a
text names nothing but a place, which is never an emergency (DESIGN.md "How a conversation
takes an input").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from config.schema import CityConfig, Community, Grid, matching_form, normalize_alias
from nlu.places import PlaceNames, cue_beside_places

_NUM = r"(?:\d+|[零一二三四五六七八九十百两]+)"
# Building, unit, floor and flat forms in both languages.
_UNIT_FORMS = (
    rf"{_NUM}\s*(?:栋|幢|号楼|座|单元|号|楼|层|室|户|期|区|街|巷|弄)",
    rf"(?:第)?{_NUM}\s*(?:栋|幢|号楼)",
    r"\b(?:block|blk|building|bldg|tower|unit|flat|apt|apartment|room|rm|floor|no|number|house)"
    r"\.?\s*#?\s*\d+[a-z]?\b",
    r"#\s*\d+",
    r"\b\d+\s*(?:/f|f|st|nd|rd|th)\b(?:\s*floor)?",
    r"(?<![a-z])\d+[a-z]?(?![a-z])",  # a bare number (flat 401, 楼401)
)
_UNIT = re.compile("|".join(_UNIT_FORMS), re.IGNORECASE)
MAX_ADDRESS = 500  # the cases.address column


@dataclass(frozen=True)
class TypedPlace:
    """What read_place found: the words (at most MAX_ADDRESS characters), and the grid or
    community they name when one is recognised."""

    address: str  # the resident's own words, kept on the case and shown to the worker
    grid: Grid | None = None  # found by an alias
    community: Community | None = None  # named outright (the pick-list's labels)
    has_unit: bool = False  # a building/flat form was given


def read_place(city: CityConfig, text: str) -> TypedPlace:
    """What a typed answer to "where is it?" names. Unknown text is kept as an address."""
    words = " ".join(text.split())[:MAX_ADDRESS]
    folded = normalize_alias(words)
    named = [
        c
        for c in city.communities.values()
        if folded in (normalize_alias(c.name.zh), normalize_alias(c.name.en))
    ]
    if not named and len(folded) >= 2:  # "Xinji", "新基": a community named by its start
        named = [
            c
            for c in city.communities.values()
            if any(normalize_alias(n).startswith(folded) for n in (c.name.zh, c.name.en))
        ]
    community = named[0] if len(named) == 1 else None
    return TypedPlace(
        address=words,
        grid=city.grid_by_alias(words),
        community=community,
        has_unit=_UNIT.search(words) is not None,
    )


def city_place_names(city: CityConfig) -> list[str]:
    """Every estate, building, street, grid and community name, in both languages: the NLU's
    place guard (a place typed alone is never an emergency)."""
    names = [alias for grid in city.grids.values() for alias in grid.aliases]
    names += [n for grid in city.grids.values() for n in (grid.name.zh, grid.name.en)]
    names += [n for c in city.communities.values() for n in (c.name.zh, c.name.en)]
    return names


# One guard per loaded city (a CityConfig is not hashable; it lives as long as its runtime).
_GUARDS: dict[int, tuple[CityConfig, PlaceNames]] = {}


def _guard(city: CityConfig) -> PlaceNames:
    kept = _GUARDS.get(id(city))
    if kept is None or kept[0] is not city:
        kept = _GUARDS[id(city)] = (city, PlaceNames.of(city_place_names(city)))
    return kept[1]


def emergency_words(city: CityConfig, text: str) -> tuple[str | None, bool]:
    """(the safety net's cue in `text`, looked for again with the city's places set aside
    ("5栋火灾", "help Block 7"), or None; whether `text` is a place alone, which never has
    one). Both in one reading of the place grammar."""
    guard = _guard(city)
    if guard.is_place_only(text):
        return None, True
    return cue_beside_places(text, guard.without_places), False


def is_place_only(city: CityConfig, text: str) -> bool:
    """Nothing but a place: `翠湖苑 3栋`, `我在翠湖苑3栋`, `Fire Station Road`, `5栋一楼`
    (the same rule as the NLU's guard, nlu.places)."""
    return _guard(city).is_place_only(text)


# A building or flat form right after an estate's name ("翠湖苑3栋", "Emerald Lake Court block 3").
# ...and the units after it, all of them ("block 2 flat 1203", "5栋2单元301", "blk 5, unit 3",
# "5-2-301": building-unit-flat).
_DASHED = r"\d+(?:\s*-\s*\d+)+(?![0-9a-z])"
_FIRST_UNIT = "|".join((*_UNIT_FORMS[:3], _DASHED))
_LEADING_UNITS = re.compile(
    rf"^\s*(?:{_FIRST_UNIT})(?:\s*,?\s*(?:{_FIRST_UNIT}|\d+[a-z]?(?![0-9a-z])))*", re.IGNORECASE
)


# English units written before the estate's name: "block 2 of ", "flat 401, block 2 at ".
_UNITS_BEFORE = re.compile(
    rf"((?:{_UNIT_FORMS[2]})(?:\s*,?\s*(?:{_UNIT_FORMS[2]}))*)\s*(?:,|of|at|in)?\s*$", re.IGNORECASE
)


def place_named_in(city: CityConfig, text: str) -> TypedPlace | None:
    """A known estate or street named inside a report's own words ("翠湖苑3栋楼下垃圾堆了好几天"):
    its grid, and the alias with the building form right after it as the address; None when
    the words name no alias. The report then skips "where is it?"."""
    found = city.alias_in(text)
    if found is None:
        return None
    alias, grid = found
    folded, key = matching_form(text), matching_form(alias)
    if key not in folded:  # found without its spaces ("sunshinegarden"): the name alone
        return TypedPlace(address=alias[:MAX_ADDRESS], grid=grid, has_unit=False)
    end = folded.find(key) + len(key)
    start = end - len(key)
    unit = _LEADING_UNITS.match(folded[end:])
    # Or before it, as English puts it: "Block 2 of Emerald Lake Court", "flat 401, Block 2 at …".
    before = None if unit else _UNITS_BEFORE.search(folded[:start])
    # The unit as the resident wrote it ("Block 2", not "block 2"), where folding kept length.
    spaced = " ".join(unicodedata.normalize("NFKC", text).split())
    said = spaced if len(spaced) == len(folded) else folded
    if unit:
        written = said[end : end + len(unit.group(0))]
    elif before:
        written = " " + said[before.start(1) : before.end(1)]
    else:
        written = ""
    address = (alias + written).strip()[:MAX_ADDRESS]
    return TypedPlace(address=address, grid=grid, has_unit=bool(unit or before))
