"""Duplicate rules without a session: the word table (domain/duplicate_words.py) and the
scoring of services/cases/duplicates.py on in-memory sightings.

Which open cases are candidates (same grid, type, open, within RECENT) is a SQL query in
`likely_duplicates` and is tested against real databases in tests/test_duplicates.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.duplicate_words import HOW, RELATED, WHAT, WHERE, ZH_DIGITS
from services.cases.duplicates import (
    APART_FACTOR,
    MIN_SCORE,
    OLDEST_FACTOR,
    RECENT,
    Sighting,
    duplicate_score,
    metres_between,
    place_factor,
    read,
    recency_factor,
    text_similarity,
)

NOW = datetime(2026, 7, 1, 20, 0, tzinfo=UTC)
SPOT = (22.5431, 114.0579)
METRE_OF_LATITUDE = 1 / 111_195


def north(metres: float) -> tuple[float, float]:
    return SPOT[0] + metres * METRE_OF_LATITUDE, SPOT[1]


def test_the_word_table_is_lowercase_and_each_form_has_one_meaning_per_kind() -> None:
    for table in (WHAT, HOW, WHERE):
        forms = [form for forms in table.values() for form in forms]
        assert all(form == form.lower() and form.strip() == form for form in forms)
        assert len(forms) == len(set(forms)), "a form names two concepts of one kind"
    # a general word stands only for concepts that exist
    assert all(g in WHAT and set(s) <= set(WHAT) for g, s in RELATED.items())
    assert ZH_DIGITS["三"] == 3 and ZH_DIGITS["两"] == 2


READINGS = [
    ("3栋门口路灯坏了", {"what:streetlight", "how:broken", "where:entrance"}, {"building:3"}),
    ("3号楼门口的路灯不亮了", {"what:streetlight", "how:broken", "where:entrance"}, {"building:3"}),
    # English plurals read as their singular; "Block 3" is a building, not a word
    ("the street lights outside Block 3 are broken",
     {"what:streetlight", "how:broken", "where:entrance"}, {"building:3"}),
    ("十二栋电梯坏了", {"what:lift", "how:broken"}, {"building:12"}),  # 十二 = 12
    ("二十三号楼漏水", {"how:leaking"}, {"building:23"}),  # 二十三 = 23
    ("Blk 7 lift dead", {"what:lift", "how:broken"}, {"building:7"}),
    ("楼道灯不亮", {"what:corridor_light", "how:broken"}, set()),  # the longer form wins over 灯
    ("垃圾满了没人收", {"what:rubbish", "how:overflowing"}, set()),
    # a unit, a floor, a flat (and the floor it is on), a gate, a phase, traditional characters
    ("5栋2单元电梯坏了", {"what:lift", "how:broken"}, {"building:5", "unit:2"}),
    ("12号楼8楼走廊渗水", {"where:corridor", "how:leaking"}, {"building:12", "floor:8"}),
    ("5栋1102天花板漏水", {"what:ceiling", "how:leaking"},
     {"building:5", "flat:1102", "floor:11"}),
    ("room 702 ceiling leaking", {"what:ceiling", "how:leaking"}, {"flat:702", "floor:7"}),
    # the 门 of a gate is the place, unless nothing else is named
    ("东门井盖丢了", {"what:manhole", "how:missing"}, {"gate:east"}),
    ("stray dogs at the south gate", {"what:dog"}, {"gate:south"}),
    ("North gate won't close", {"what:door", "how:stuck_open"}, {"gate:north"}),
    ("3期2栋路灯坏了", {"what:streetlight", "how:broken"}, {"phase:3", "building:2"}),
    ("電梯壞了 8棟", {"what:lift", "how:broken"}, {"building:8"}),
    ("2026年以前的路灯", {"what:streetlight"}, set()),  # a year is no flat
]  # fmt: skip


@pytest.mark.parametrize(("text", "concepts", "spots"), READINGS)
def test_reading_a_message(text: str, concepts: set[str], spots: set[str]) -> None:
    reading = read(text)
    assert reading.concepts == concepts
    assert reading.spots == spots


SAME_OR_NOT = [
    ("3栋门口路灯坏了", "3号楼门口的路灯不亮了", True),
    ("3栋门口路灯坏了", "the street light outside Block 3 is broken", True),
    ("灯坏了", "路灯坏了", True),  # 灯 may be the street light
    ("电梯坏了", "the lift is out of order", True),
    ("3栋门口路灯坏了", "3栋门口垃圾堆满了没人收", False),  # same door, another object
    ("路灯坏了", "路灯太亮了 照得睡不着", False),  # same object, another fault
    ("电梯坏了", "井盖丢了", False),
]


# Whole scores (words x place x recency, an hour apart, no shared location) for the kinds the
# independent pair sets found: another unit, floor, flat, phase, gate or lettered zone is
# another problem; a long message, another script, a typo or a flat said digit by digit is not.
SCORED = [
    ("7栋1单元楼道灯不亮", "7栋3单元楼道灯不亮", False),
    ("9号楼5楼走廊漏水", "9号楼12楼走廊漏水", False),
    ("4栋601卫生间天花板渗水", "4栋1601卫生间天花板渗水", False),
    ("2期健身器材坏了", "1期健身器材坏了", False),
    ("南门垃圾桶满了", "北门垃圾桶满了", False),
    ("the bins at the east gate are overflowing", "the bins at the west gate are overflowing",
     False),
    ("车库A2区的灯坏了", "车库A3区的灯坏了", False),
    ("Lights out in C3 car park", "Lights out in C4 car park", False),
    ("6栋单元门刷卡开不了", "6栋单元门关不上 谁都能进", False),  # won't open / won't close
    ("8号楼电梯坏了", "8號樓電梯壞了", True),  # traditional characters
    ("3-1-502楼上漏水", "3栋1单元502漏水", True),  # building-unit-flat
    ("十栋七零二天天半夜吵", "10栋702晚上太吵", True),  # a flat said digit by digit
    ("西门道闸坏了", "the car barrier at the west gate is broken", True),
    ("5栋门口路灯坏了", "您好 我是5号楼的住户 想反映一下我们楼门口那个路灯已经坏了好多天了 晚上老人"
     "孩子出门很不方便 麻烦尽快安排人修一下 谢谢", True),  # a long message naming more in passing
    ("消防栓漏水", "消火栓在滴水", True),
    # the same thing told with its surroundings; but water in a lift hall is no broken lift
    ("6栋后面有个马蜂窝", "6号楼后面那棵大树上挂着一个马蜂窝", True),
    ("dog mess all over block 4 entrance", "4栋门口草地上好多狗屎", True),
    ("3栋电梯坏了", "water all over the floor of the lift hall in block 3, leaking from above",
     False),
    # (seventh session, words of the fresh pair set) a typo, taps dry, yellow water, shared bikes
    ("2号楼电梯卡住了", "二栋的店梯卡住了 五楼", True),
    ("No water in Block 12 since 8am", "Taps are dry in building 12", True),
    ("6栋停水了", "6号楼水龙头一滴水也没有", True),
    ("5栋自来水发黄", "五号楼水龙头出黄汤了", True),
    ("南门共享单车乱停", "南大门口小黄车停了一地", True),
    ("EV chargers on B2 are offline", "the charging posts on B2 don't work", True),
    ("9栋停水了", "9栋自来水发黄 有股铁锈味", False),  # no water / yellow water
]  # fmt: skip


@pytest.mark.parametrize(("a", "b", "same"), SCORED)
def test_place_and_wording_decide_the_whole_score(a: str, b: str, same: bool) -> None:
    score = duplicate_score(Sighting(b, NOW), Sighting(a, NOW - timedelta(hours=1)))
    assert (score >= MIN_SCORE) is same, score


@pytest.mark.parametrize(("a", "b", "same"), SAME_OR_NOT)
def test_text_similarity(a: str, b: str, same: bool) -> None:
    score = text_similarity(a, b)
    assert 0.0 <= score <= 1.0
    assert (score >= MIN_SCORE) is same, score
    assert text_similarity(b, a) == pytest.approx(score)  # symmetric


def test_one_message_is_wholly_like_itself_and_a_fallen_light_is_a_broken_one() -> None:
    assert text_similarity("3栋门口路灯坏了", "3栋门口路灯坏了") == pytest.approx(1.0)
    # another fault is scored down by OTHER_FAULT_FACTOR; fallen counts as broken
    assert text_similarity("路灯坏了", "路灯倒了") > text_similarity("路灯坏了", "路灯太亮了")


def test_metres_between() -> None:
    assert metres_between(*SPOT, *SPOT) == 0.0
    assert metres_between(*SPOT, *north(600)) == pytest.approx(600, abs=1)
    # one degree of longitude at the equator
    assert metres_between(0, 0, 0, 1) == pytest.approx(111_195, rel=1e-3)


@pytest.mark.parametrize(
    ("new_at", "old_at", "factor"),
    [
        (SPOT, north(30), 1.0),  # one spot
        (SPOT, north(60), 1.0),  # SAME_SPOT_METRES
        (SPOT, north(230), 1.0 - (1.0 - APART_FACTOR) * 0.5),  # half way to APART_METRES
        (SPOT, north(400), APART_FACTOR),
        (SPOT, north(2_000), APART_FACTOR),
        (SPOT, (None, None), 1.0),  # one side unknown: the words decide
    ],
)
def test_place_factor_by_distance(
    new_at: tuple[float, float], old_at: tuple[float | None, float | None], factor: float
) -> None:
    new = Sighting("路灯坏了", NOW, *new_at)
    old = Sighting("路灯坏了", NOW, *old_at)
    assert place_factor(new, old) == pytest.approx(factor, abs=1e-3)


@pytest.mark.parametrize(
    ("new", "old", "factor"),
    [
        ("3栋门口路灯坏了", "5栋门口路灯坏了", APART_FACTOR),  # another building
        ("3栋门口路灯坏了", "Block 3 street light broken", 1.0),
        ("3栋门口路灯坏了", "门口路灯坏了", 1.0),  # one side names no building
    ],
)
def test_place_factor_by_building(new: str, old: str, factor: float) -> None:
    assert place_factor(Sighting(new, NOW), Sighting(old, NOW)) == factor


@pytest.mark.parametrize(
    ("age", "factor"),
    [
        (timedelta(0), 1.0),
        (RECENT / 2, 1.0 - (1.0 - OLDEST_FACTOR) / 2),
        (RECENT, OLDEST_FACTOR),
        (RECENT * 3, 0.0),  # never offered (likely_duplicates does not load it)
        (-timedelta(hours=1), 1.0),  # a clock skew is not "newer than new"
    ],
)
def test_recency_factor(age: timedelta, factor: float) -> None:
    assert recency_factor(NOW - age, NOW) == pytest.approx(factor)


def test_duplicate_score_multiplies_text_place_and_recency() -> None:
    text = "3栋门口路灯坏了"
    new = Sighting(text, NOW, *SPOT)
    old = Sighting(text, NOW - RECENT / 2, *north(230))
    expected = 1.0 * (1.0 - (1.0 - APART_FACTOR) * 0.5) * (1.0 - (1.0 - OLDEST_FACTOR) / 2)
    assert duplicate_score(new, old) == pytest.approx(expected, abs=1e-3)
    # the same words 600 m away are two problems
    far = Sighting(text, NOW - timedelta(hours=1), *north(600))
    assert duplicate_score(new, far) < MIN_SCORE
