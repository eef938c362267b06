"""Where inside a grid a report says its problem is: building, unit, floor, flat, phase, gate.

Two reports of one object in different spots are two problems: "5栋1单元电梯坏了" and
"5栋2单元电梯坏了", "302天花板漏水" and "1102天花板漏水", "东门井盖丢了" and "西门井盖丢了".
A spot is read as "kind:value" ("building:5", "unit:1", "flat:302", "floor:3", "gate:east");
two readings are apart when they name the same kind with different values. A flat's number
tells its floor too (302 is on the 3rd), so "3楼" and "302" agree and "8楼" and "302" do not.
"""

from __future__ import annotations

import re

from config.geo import distance_m
from domain.duplicate_words import ZH_DIGITS

_NUM = rf"(\d+|[{''.join(ZH_DIGITS)}]+)"
_ZH_BUILDING = re.compile(rf"{_NUM}\s*(?:号楼|栋|幢|座|号(?![房室]))")
_EN_BUILDING = re.compile(r"(?:block|blk|building|bldg|tower|no\.?)\s*(\d+)|(\d+)(?:号)?\s*block")
_ZH_UNIT = re.compile(rf"{_NUM}\s*单元|(?<![a-z])unit\s*(\d{{1,2}})(?!\d)")
_ZH_PHASE = re.compile(rf"{_NUM}\s*期(?!间)|(?<![a-z])phase\s*(\d+)")
# "8楼", "8层", "8th floor", "floor 8" (not 楼道/楼梯/楼下/楼上/楼顶: those are no floor)
_FLOOR = re.compile(
    rf"{_NUM}\s*(?:楼|层)(?![道梯下上顶房])|(\d+)(?:st|nd|rd|th)\s*floor|(?:floor|level)\s*(\d+)"
)
# "302", "1102室", "room 702", "flat 401", "#502": three or four digits that are no year,
# time, sum or length.
_FLAT = re.compile(
    r"(?:flat|room|rm|apt|apartment|unit|#)\s*(\d{3,4})(?!\d)|"
    r"(?<![\d.:/-])(\d{3,4})(?![\d.:/-])(?!\s*(?:年|元|块|米|分|号楼|栋|ml|kg|m\b|yuan|rmb|点|:))"
)
_GATE = re.compile(
    r"(东|西|南|北)(?:侧)?(?:大)?门|(?<![a-z])(east|west|south|north)(?:ern)?\s+(?:gate|entrance)"
)
_GATE_SIDE = {"东": "east", "西": "west", "南": "south", "北": "north"}
_LEVEL = re.compile(
    r"(地下室|地下车库|负一|负二|地库)|(顶楼|楼顶|天台|顶层)|"
    r"(?<![a-z])(basement|underground)|(?<![a-z])(rooftop|roof|top floor)"
)


# "B2", "b5", "A3区": a lettered code for a zone, a car park level or a block.
_CODE = re.compile(r"(?<![a-z0-9])([a-z]\d{1,2})(?![a-z0-9])")
# "5-1102", "5-2-1102": building(-unit)-flat.
_DASHED = re.compile(r"(?<![\d-])(\d{1,2})-(?:(\d{1,2})-)?(\d{3,4})(?![\d-])")
# Flats said digit by digit in Chinese: "九零二", "一一零二".
_ZH_FLAT = re.compile(
    r"(?<![一二三四五六七八九零〇十])([一二三四五六七八九][零〇一二三四五六七八九]{2,3})"
    r"(?![一二三四五六七八九零〇十])"
)
_ZH_DIGIT = {"零": 0, "〇": 0, **{c: i for i, c in enumerate("一二三四五六七八九", start=1)}}


def number(raw: str) -> int:
    """A building or floor number written in digits or Chinese (3, 三, 十二, 二十三)."""
    if raw.isdigit():
        return int(raw)
    if raw.startswith("十"):  # 十二 = 12
        return 10 + (ZH_DIGITS.get(raw[1:], 0) if len(raw) > 1 else 0)
    if "十" in raw:  # 二十三 = 23
        tens, _, ones = raw.partition("十")
        return ZH_DIGITS.get(tens, 0) * 10 + ZH_DIGITS.get(ones, 0)
    return ZH_DIGITS.get(raw, 0)


def _first_group(match: re.Match[str]) -> str:
    return next(g for g in match.groups() if g)


def read_spots(folded: str) -> tuple[frozenset[str], str]:
    """The spots a folded (NFKC, lowercased) text names, and the text with building, unit,
    phase, floor and flat numbers taken out (they are places, not words of the problem)."""
    spots: set[str] = set()
    for m in _DASHED.finditer(folded):
        spots.add(f"building:{int(m.group(1))}")
        if m.group(2):
            spots.add(f"unit:{int(m.group(2))}")
        spots |= {f"flat:{int(m.group(3))}", f"floor:{int(m.group(3)) // 100}"}
    folded = _DASHED.sub(" ", folded)
    for m in _ZH_FLAT.finditer(folded):
        said = int("".join(str(_ZH_DIGIT[c]) for c in m.group(1)))
        spots |= {f"flat:{said}", f"floor:{said // 100}"}
    folded = _ZH_FLAT.sub(" ", folded)
    for pattern, kind in ((_ZH_BUILDING, "building"), (_EN_BUILDING, "building"),
                          (_ZH_UNIT, "unit"), (_ZH_PHASE, "phase")):  # fmt: skip
        for m in pattern.finditer(folded):
            value = number(_first_group(m))
            if value:
                spots.add(f"{kind}:{value}")
        folded = pattern.sub(" ", folded)
    for m in _FLOOR.finditer(folded):
        spots.add(f"floor:{number(_first_group(m))}")
    folded = _FLOOR.sub(" ", folded)
    for m in _FLAT.finditer(folded):
        digits = int(_first_group(m))
        spots |= {f"flat:{digits}", f"floor:{digits // 100}"}
    folded = _FLAT.sub(" ", folded)
    spots |= {f"code:{m.group(1)}" for m in _CODE.finditer(folded)}
    folded = _CODE.sub(" ", folded)
    for m in _GATE.finditer(folded):
        side = m.group(1)
        spots.add(f"gate:{_GATE_SIDE[side] if side else m.group(2)}")
    for m in _LEVEL.finditer(folded):
        spots.add("level:basement" if m.group(1) or m.group(3) else "level:roof")
    return frozenset(spots), folded


def without_gates(folded: str) -> str:
    """The text without its gates ("东门", "the south gate"): the 门 of a gate is where the
    problem is, not the object, unless nothing else is named (duplicates.read)."""
    return _GATE.sub(" ", folded)


def apart(a: frozenset[str], b: frozenset[str]) -> bool:
    """Do two readings' spots name one kind (building, unit, floor...) with different values?"""
    kinds_a, kinds_b = _by_kind(a), _by_kind(b)
    return any(kinds_a[k].isdisjoint(kinds_b[k]) for k in kinds_a.keys() & kinds_b.keys())


def _by_kind(spots: frozenset[str]) -> dict[str, set[str]]:
    """{"building": {"3"}, "flat": {"302"}} of {"building:3", "flat:302"}."""
    kinds: dict[str, set[str]] = {}
    for spot in spots:
        kind, _, value = spot.partition(":")
        kinds.setdefault(kind, set()).add(value)
    return kinds


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points given latitude first
    (config.geo.distance_m, which takes GeoJSON's (lon, lat) points)."""
    return distance_m((lon1, lat1), (lon2, lat2))
