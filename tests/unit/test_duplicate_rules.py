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
    ("3栋门口路灯坏了", {"what:streetlight", "how:broken", "where:entrance"}, {3}),
    ("3号楼门口的路灯不亮了", {"what:streetlight", "how:broken", "where:entrance"}, {3}),
    # English plurals read as their singular; "Block 3" is a building, not a word
    ("the street lights outside Block 3 are broken",
     {"what:streetlight", "how:broken", "where:entrance"}, {3}),
    ("十二栋电梯坏了", {"what:lift", "how:broken"}, {12}),  # 十二 = 12
    ("二十三号楼漏水", {"how:leaking"}, {23}),  # 二十三 = 23
    ("Blk 7 lift dead", {"what:lift", "how:broken"}, {7}),
    ("楼道灯不亮", {"what:corridor_light", "how:broken"}, set()),  # the longer form wins over 灯
    ("垃圾满了没人收", {"what:rubbish", "how:overflowing"}, set()),
]  # fmt: skip


@pytest.mark.parametrize(("text", "concepts", "buildings"), READINGS)
def test_reading_a_message(text: str, concepts: set[str], buildings: set[int]) -> None:
    reading = read(text)
    assert reading.concepts == concepts
    assert reading.buildings == buildings


SAME_OR_NOT = [
    ("3栋门口路灯坏了", "3号楼门口的路灯不亮了", True),
    ("3栋门口路灯坏了", "the street light outside Block 3 is broken", True),
    ("灯坏了", "路灯坏了", True),  # 灯 may be the street light
    ("电梯坏了", "the lift is out of order", True),
    ("3栋门口路灯坏了", "3栋门口垃圾堆满了没人收", False),  # same door, another object
    ("路灯坏了", "路灯太亮了 照得睡不着", False),  # same object, another fault
    ("电梯坏了", "井盖丢了", False),
]


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
        (RECENT * 3, OLDEST_FACTOR),  # never below
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
