"""Issue 12's place-only development set (tests/data/place_only_dev.jsonl), both directions,
through the grammar with the shipped city's names (as the composition root hands them over).

Place-only lines: how residents answer "where is it?" in both languages, configured estates
and streets, building and flat forms, unknown shops with locators, typed with emoji, typos or
Chinese digits, and names that sound alarming (消防通道旁, 烟厂宿舍, Fire Station Road,
Smoke Tree Avenue). Contrast lines: a place with a danger or a problem in it (消防通道旁着火了,
smoke block 7); the guard must never call one place-only, or it would hide an emergency.
The held-out place set (nlu/eval) was not read to write these lines.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from config import CityConfig
from nlu.places import PlaceNames
from services.places import city_place_names

DEV_SET = Path(__file__).resolve().parents[1] / "data" / "place_only_dev.jsonl"
ROWS = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line]
PLACES = [r["text"] for r in ROWS if r["place_only"]]
CONTRAST = [r["text"] for r in ROWS if not r["place_only"]]


@pytest.fixture(scope="module")
def city_places(city: CityConfig) -> PlaceNames:
    return PlaceNames.of(city_place_names(city))


def test_the_set_is_big_and_in_both_languages() -> None:
    counts = Counter((r["lang"], r["place_only"]) for r in ROWS)
    assert counts[("zh", True)] >= 100 and counts[("en", True)] >= 100
    assert counts[("zh", False)] >= 50 and counts[("en", False)] >= 50
    assert len({r["text"] for r in ROWS}) == len(ROWS)  # no line twice


@pytest.mark.parametrize("text", PLACES)
def test_a_place_is_only_a_place(city_places: PlaceNames, text: str) -> None:
    assert city_places.is_place_only(text)


@pytest.mark.parametrize("text", CONTRAST)
def test_a_place_with_a_danger_or_a_problem_is_more(city_places: PlaceNames, text: str) -> None:
    assert not city_places.is_place_only(text)
