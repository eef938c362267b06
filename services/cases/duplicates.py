"""Likely duplicates (并单): same grid, still open, recent, the same problem (of any type).

"The same problem" survives rewording: "3栋门口路灯坏了" and "3号楼门口的路灯不亮了" and
"the street light outside Block 3 is out" are one street light. A message is read into
concepts, spots and words (services.cases.duplicate_reading); the text score weighs the
object most, so "3栋门口路灯坏了" and "3栋门口垃圾满了" (same door, another problem) stay
apart. Places then count when both sides know them (coordinates within metres; building,
unit, floor, flat, gate), and older cases count a little less.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.lifecycle import OPEN_STATUSES
from services.cases.duplicate_reading import SPECIFIC_OF, Reading, read
from services.cases.filing import URGENT
from services.cases.spots import apart, metres_between
from storage.models import Case, CaseFollower, User

RECENT = timedelta(hours=72)
# Offered as "is it this one?" at or above this score (0..1); chosen on the dev half of
# bench/data/duplicate_pairs.jsonl (bench/duplicates.py prints both halves).
MIN_SCORE = 0.45
MAX_OFFERED = 3
# Two shared locations this close are one spot; this far apart, two problems.
SAME_SPOT_METRES = 60.0
APART_METRES = 400.0
# Score multipliers: another building or a far spot, and a case at the end of RECENT.
APART_FACTOR = 0.3
OLDEST_FACTOR = 0.8
# Text score weights: the object (what), its state (how), the words themselves.
WHAT_WEIGHT, HOW_WEIGHT, WORDS_WEIGHT = 0.55, 0.15, 0.30
OTHER_FAULT_FACTOR = 0.6
# How far an object named on one side only agrees with the other's, when both name one fault.
UNNAMED_OBJECT = 0.4
# Objects that are mostly where a problem is or what it does to people, not the problem: a
# wasps' nest in a tree, dog mess on the grass, a dead cat that smells, a pothole in the road.
_SURROUNDINGS = frozenset(
    f"what:{c}" for c in ("road", "grass", "tree", "car", "elderly", "smell", "power", "power_cut")
)
# A supply cut is the problem whatever else is named beside it ("水龙头一滴水都没有" / "停水了",
# "没电了 电梯也停了" / "停电了"); a smell or smoke is what another side names the cause of
# ("楼道很臭" / "楼道里死了只老鼠 臭死了").
_SUPPLY = frozenset(
    f"what:{c}" for c in ("water_cut", "water_pressure", "power_cut", "gas", "heating")
)
_SENSED = frozenset(f"what:{c}" for c in ("smell", "smoke", "dust"))
# Problems whose other objects are what they carry: what was thrown, what is charged.
_CARRIES = frozenset({"what:thrown", "what:charging"})
# What a supply feeds, or where its cut shows: a lift, a tap, a light, a heater.
_FED = _SURROUNDINGS | frozenset(
    f"what:{c}" for c in ("lift", "water_pipe", "light", "streetlight", "corridor_light",
                          "heating", "water_tank", "pump", "toilet", "door", "water", "gas",
                          "water_cut", "water_pressure")
)  # fmt: skip
# Two faults of one object that are never one problem, though both are "broken".
_OPPOSITE = frozenset({"how:stuck_open", "how:stuck_shut"})


@dataclass(frozen=True)
class Sighting:
    """One report of a problem: its words, when, and where if a location was shared."""

    text: str
    at: datetime
    latitude: float | None = None
    longitude: float | None = None


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _cosine(a: Reading, b: Reading) -> float:
    small, large = (a.words, b.words) if len(a.words) <= len(b.words) else (b.words, a.words)
    dot = sum(v * large.get(k, 0) for k, v in small.items())
    norm = math.sqrt(a.norm2 * b.norm2)
    return dot / norm if norm else 0.0


def text_similarity(a: str, b: str) -> float:
    """0..1: how surely two messages describe the same problem, from their words alone."""
    return _text_score(read(a), read(b))


def _text_score(x: Reading, y: Reading) -> float:
    """text_similarity of two readings."""
    words = _cosine(x, y)
    what_x = _specific(x.what, y.what) if x.general else x.what
    what_y = _specific(y.what, x.what) if y.general else y.what
    how_x, how_y = x.how, y.how
    same_fault = bool(how_x & how_y)
    if what_x and what_y:
        objects = _objects(what_x, what_y, same_fault)
    elif same_fault and (what_x or what_y):
        # "走廊顶上一直在滴水" / "楼道天花板漏水": one fault, the object said on one side only
        objects = UNNAMED_OBJECT
    else:
        return words  # no object named on one side, nor one fault: the words are all there is
    how = _jaccard(how_x, how_y) if how_x and how_y else 0.5
    score = WHAT_WEIGHT * objects + HOW_WEIGHT * how + WORDS_WEIGHT * words
    # One object, another fault ("路灯坏了" / "路灯太亮了", "开不了门" / "关不上"): not the
    # same problem.
    # A noise, a smell or flyers are what is wrong too: "空调外机滴水" / "空调外机噪音太大".
    other_fault = (x.damage and y.damage and x.damage.isdisjoint(y.damage)) or (
        how_x and how_y and (how_x | how_y) >= _OPPOSITE and how_x != how_y
    )
    return score * OTHER_FAULT_FACTOR if other_fault else score


def _objects(a: frozenset[str], b: frozenset[str], same_fault: bool) -> float:
    """0..1: how far two sets of named objects agree. A long message names more things in
    passing ("路灯坏了 老人孩子出门都看不清"): with the same fault named on both sides, one
    side's objects inside the other's count halfway to the same set. Without it, the other
    object may be the problem ("电梯坏了" / "电梯里有人抽烟"): only the share of all counts.
    One side's objects all inside the other's are the same set when they are only a smell or
    smoke, a thing thrown or charged, or a supply cut beside what it feeds (_SUPPLY)."""
    a_own, b_own = a - _SURROUNDINGS, b - _SURROUNDINGS
    if a_own and a_own == b_own:
        return 1.0  # "树上有个马蜂窝" / "有个马蜂窝": the same thing, told with its surroundings
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if small <= large and (
        small <= _SENSED or small & _CARRIES or (small & _SUPPLY and large - small <= _FED)
    ):
        return 1.0
    shared = len(a & b)
    jaccard = shared / len(a | b) if shared else 0.0
    return (jaccard + shared / min(len(a), len(b))) / 2 if same_fault and shared else jaccard


def _specific(mine: frozenset[str], theirs: frozenset[str]) -> frozenset[str]:
    """`mine` with a general word ("灯") read as the specific one the other side names."""
    out = set(mine)
    for key, specifics in SPECIFIC_OF.items():
        named = specifics & theirs
        if key in out and named and not named & mine:
            out.discard(key)
            out |= named
    return frozenset(out)


def place_factor(new: Sighting, old: Sighting) -> float:
    """1.0 within SAME_SPOT_METRES, falling to APART_FACTOR at APART_METRES or in another
    building (from the texts when a location is missing); 1.0 when nothing tells."""
    return _place(new.latitude, new.longitude, read(new.text),
                  old.latitude, old.longitude, read(old.text))  # fmt: skip


def _place(
    lat1: float | None, lon1: float | None, x: Reading,
    lat2: float | None, lon2: float | None, y: Reading,
) -> float:  # fmt: skip
    """place_factor of two sightings' coordinates and readings."""
    # Two flats or floors of one building share a point: their words still part them.
    spots = APART_FACTOR if apart(x.spots, y.spots) else 1.0
    if lat1 is None or lon1 is None or lat2 is None or lon2 is None:
        return spots
    return min(_distance_factor(metres_between(lat1, lon1, lat2, lon2)), spots)


def _distance_factor(metres: float) -> float:
    if metres <= SAME_SPOT_METRES:
        return 1.0
    if metres >= APART_METRES:
        return APART_FACTOR
    return 1.0 - (1.0 - APART_FACTOR) * (metres - SAME_SPOT_METRES) / (
        APART_METRES - SAME_SPOT_METRES
    )


def recency_factor(old_at: datetime, now: datetime) -> float:
    """1.0 for a case filed at `now`, falling linearly to OLDEST_FACTOR at RECENT (72 h); 0.0
    after it (an older case is never offered: likely_duplicates does not load it); two aware
    datetimes."""
    age = max(timedelta(0), now - old_at)
    if age > RECENT:
        return 0.0
    return 1.0 - (1.0 - OLDEST_FACTOR) * (age / RECENT)


def duplicate_score(new: Sighting, old: Sighting) -> float:
    """0..1: how likely `old` is the problem `new` reports (text x place x recency)."""
    return (
        text_similarity(new.text, old.text)
        * place_factor(new, old)
        * recency_factor(old.at, new.at)
    )


@dataclass(frozen=True)
class Offered:
    """An open case offered as "is it this one?": what the offer shows of it
    (bot.case_descriptions.describe_case_for_stranger) and the id its button carries."""

    id: int
    number: str
    case_type: str
    grid_id: str | None
    community_id: str | None
    created_at: datetime
    reporter_count: int


# Built once: building a statement costs more than running it on SQLite (every submit runs
# it). Columns, not whole cases: what the score needs and what an offer shows, in one query.
_CANDIDATES = (
    select(Case.id, Case.text, Case.created_at, Case.latitude, Case.longitude)
    .add_columns(Case.number, Case.case_type, Case.community_id, Case.reporter_count)
    .where(
        # Any type: two residents' words for one street light may be read as two types
        # ("照明灯坏了" as traffic, "路灯坏了" as a public facility); the words and place decide.
        Case.grid_id == bindparam("grid_id"),
        Case.status.in_([s.value for s in OPEN_STATUSES]),
        Case.created_at >= bindparam("since"),
        Case.priority != URGENT,  # an emergency is never "a similar problem" to join
    )
    .order_by(Case.created_at.desc())
    .limit(50)
)


async def likely_duplicates(
    session: AsyncSession,
    grid_id: str | None,
    text: str,
    now: datetime,
    *,
    latitude: float | None = None,
    longitude: float | None = None,
) -> list[Offered]:
    """Open recent cases of this grid (of any type) that are likely the same problem, best
    first.

    `latitude`/`longitude`: the new report's shared location, if any; a case with its own
    location is then compared by distance as well. At most MAX_OFFERED cases scoring at least
    MIN_SCORE, filed within RECENT of `now` (aware UTC); [] without a grid. Reads only.
    """
    if grid_id is None:
        return []
    candidates = (
        await session.execute(_CANDIDATES, {"grid_id": grid_id, "since": now - RECENT})
    ).all()
    new = read(text)
    scored = []
    for c in candidates:
        # duplicate_score, with the new reading read once; place and recency are at most
        # 1, so a text score under MIN_SCORE already rules the case out.
        score = _text_score(new, old := read(c.text))
        if score < MIN_SCORE:
            continue
        score *= _place(latitude, longitude, new, c.latitude, c.longitude, old)
        score *= recency_factor(c.created_at, now)
        if score >= MIN_SCORE:
            scored.append((score, c))
    scored.sort(key=lambda pair: -pair[0])
    return [
        Offered(c.id, c.number, c.case_type, grid_id, c.community_id, c.created_at,
                c.reporter_count)
        for _, c in scored[:MAX_OFFERED]
    ]  # fmt: skip


async def join_case(session: AsyncSession, case_id: int, resident: User, now: datetime) -> Case:
    """Make the resident a follower: same updates, one more reporter on the count (nothing
    changes for the reporter or an existing follower). `now` is aware UTC; no flush.

    Raises:
        LookupError: no case with that id (its argument is the id).
    """
    case = await session.get(Case, case_id, with_for_update=True)
    if case is None:
        raise LookupError(case_id)
    if case.reporter_id != resident.id:
        already = (
            await session.execute(
                select(CaseFollower.id).where(
                    CaseFollower.case_id == case.id, CaseFollower.user_id == resident.id
                )
            )
        ).first()
        if already is None:
            session.add(CaseFollower(case_id=case.id, user_id=resident.id, joined_at=now))
            case.reporter_count += 1
    return case
