"""Issue 12's place-only development sets (tests/data/place_only_dev.jsonl and the second,
independent place_only_dev2.jsonl) through the whole prediction path: the embedded model with
the shipped city's place names, and an engine that is sure of the opposite (rule 1 of
nlu.types.prediction_from_ranking holds for every backend).
The grammar alone is tested in tests/unit/test_place_only_set.py. Some short places (36 of
247, e.g. "3栋", "Fire Station Road") are also training lines of out_of_scope; the engine that
is sure of an emergency checks the guard itself on every line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import SHIPPED_CONFIG_DIR, load_config
from nlu.embedded import EmbeddedBackend
from nlu.no_danger import about_a_pet
from nlu.places import PlaceNames
from nlu.repairs import water_leak_only
from nlu.types import LabelScore, prediction_from_ranking
from services.places import city_place_names

DATA = Path(__file__).resolve().parent / "data"
ROWS = [
    json.loads(line)
    for name in ("place_only_dev.jsonl", "place_only_dev2.jsonl")
    for line in (DATA / name).read_text(encoding="utf-8").splitlines()
    if line
]
PLACES = [r["text"] for r in ROWS if r["place_only"]]
CONTRAST = [r["text"] for r in ROWS if not r["place_only"]]
CITY_PLACES = PlaceNames.of(city_place_names(load_config(SHIPPED_CONFIG_DIR)))
ALARMED = [LabelScore("emergency", 0.93), LabelScore("report_safety_hazard", 0.05)]


@pytest.fixture(scope="module")
def city_nlu(embedded_nlu: EmbeddedBackend) -> EmbeddedBackend:
    return EmbeddedBackend(embedded_nlu.classifier, CITY_PLACES)


@pytest.mark.parametrize("text", PLACES)
def test_a_place_is_never_an_emergency(city_nlu: EmbeddedBackend, text: str) -> None:
    assert city_nlu.parse_sync(text).intent != "emergency"
    prediction = prediction_from_ranking(list(ALARMED), "rasa", text=text, places=CITY_PLACES)
    assert (prediction.intent, prediction.place_only) == ("report", True)


@pytest.mark.parametrize("text", CONTRAST)
def test_the_guard_never_hides_a_danger_at_a_place(text: str) -> None:
    prediction = prediction_from_ranking(list(ALARMED), "rasa", text=text, places=CITY_PLACES)
    assert not prediction.place_only
    # The engine's alarm stands, unless the words are about a pet and nobody else ("dog
    # barking at Oak Terrace") or a water leak alone ("water leak at flat 401"): nlu.no_danger,
    # which no place changes.
    taken_away = about_a_pet(text) or water_leak_only(text)
    assert (prediction.intent == "emergency") is not taken_away
