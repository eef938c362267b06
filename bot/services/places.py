"""Typed places: what a resident writes when asked "where is it?".

Residents answer with an estate or building alias (`翠湖苑`, `Emerald Lake Court`), a building
or flat form (`3栋`, `5栋一楼`, `2号楼401`, `Block 7`, `flat 401`), a street corner nobody
configured, or a mix. `read_place` finds the grid where it can and always keeps the words as
a free-form address; `without_places` masks every place in a text, so a place name alone is
never read as an emergency (DESIGN.md "How a conversation takes an input").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from config.schema import CityConfig, Community, Grid, normalize_alias

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
# Streets and landmarks nobody configured: the words around them still name a place.
_STREET_FORMS = (
    r"[\u4e00-\u9fff]{1,8}(?:路|街|大道|巷|胡同|广场|公园|市场|小区|花园|苑|园|村|大厦|中心|"
    r"医院|学校|小学|中学|车站|站|通道|口)",
    r"(?:[A-Za-z][\w'-]*\s+){1,4}(?:road|rd|street|st|lane|ln|avenue|ave|square|park|market|"
    r"court|garden|gardens|estate|station|tower|plaza|village|school|hospital|bridge)\b",
)
# Words that only frame a place: "I'm at", "在…门口", "corner of…".
_FRAME_WORDS = (
    r"我在", r"我家在", r"我住在", r"我住", r"住在", r"地址是?", r"位置是?", r"就在", r"在",
    r"门口", r"旁边", r"附近", r"对面", r"楼下", r"楼上", r"里面", r"后面", r"前面", r"边上",
    r"交叉口", r"路口", r"拐角", r"旁", r"边", r"和", r"与", r"的", r"这里", r"那里", r"这边",
    r"那边",
    r"\bi'?m\b", r"\bi am\b", r"\bwe'?re\b", r"\blive\b", r"\bat\b", r"\bin\b", r"\bnear\b",
    r"\bnext to\b", r"\bopposite\b", r"\boutside\b", r"\bcorner of\b", r"\bcorner\b", r"\bof\b",
    r"\band\b", r"\bthe\b", r"\bmy\b", r"\baddress\b", r"\blocation\b", r"\bhere\b",
    r"\bby\b", r"\bit'?s\b", r"\bbehind\b", r"\bin front of\b", r"\bentrance\b", r"\bgate\b",
)  # fmt: skip
_UNIT = re.compile("|".join(_UNIT_FORMS), re.IGNORECASE)
_STREET = re.compile("|".join(_STREET_FORMS), re.IGNORECASE)
_FRAME = re.compile("|".join(_FRAME_WORDS), re.IGNORECASE)
_MEANINGFUL = re.compile(r"[\w\u3400-\u9fff]")
MAX_ADDRESS = 500  # the cases.address column


@dataclass(frozen=True)
class TypedPlace:
    address: str  # the resident's own words, kept on the case and shown to the worker
    grid: Grid | None = None  # found by an alias
    community: Community | None = None  # named outright (the pick-list's labels)
    has_unit: bool = False  # a building/flat form was given


def read_place(city: CityConfig, text: str) -> TypedPlace:
    """What a typed answer to "where is it?" names. Unknown text is kept as an address."""
    words = " ".join(text.split())[:MAX_ADDRESS]
    folded = normalize_alias(words)
    community = next(
        (
            c
            for c in city.communities.values()
            if folded in (normalize_alias(c.name.zh), normalize_alias(c.name.en))
        ),
        None,
    )
    return TypedPlace(
        address=words,
        grid=city.grid_by_alias(words),
        community=community,
        has_unit=_UNIT.search(words) is not None,
    )


def without_places(city: CityConfig, text: str) -> str:
    """The text with every alias, community name, building/flat form, street and framing
    word masked; what is left (stripped) is what the text says besides a place."""
    masked = normalize_alias(text)
    names = [a for g in city.grids.values() for a in g.aliases]
    names += [n for c in city.communities.values() for n in (c.name.zh, c.name.en)]
    for name in sorted((normalize_alias(n) for n in names), key=len, reverse=True):
        masked = masked.replace(name, " ")
    for pattern in (_STREET, _UNIT, _FRAME):
        masked = pattern.sub(" ", masked)
    return " ".join(masked.split())


def is_place_only(city: CityConfig, text: str) -> bool:
    """Nothing but a place: `翠湖苑 3栋`, `我在翠湖苑3栋`, `Fire Station Road`, `5栋一楼`."""
    return _MEANINGFUL.search(without_places(city, text)) is None
