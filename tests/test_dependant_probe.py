"""80 dependant-in-danger emergencies (tests/data/dependant_probe.jsonl, zh 45 / en 35), written
by a hand that saw neither the training data nor the held-out split: each one gets an urgent
case through the whole prediction path (the embedded model with the shipped city's places, the
safety net), as the bot files one: `emergency` from a cue, or from the model at 0.85."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import SHIPPED_CONFIG_DIR, load_config
from handlers.edge import EMERGENCY_CASE_CONFIDENCE
from nlu.embedded import EmbeddedBackend
from nlu.places import PlaceNames
from services.places import city_place_names

ROWS = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "dependant_probe.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]
CITY_PLACES = PlaceNames.of(city_place_names(load_config(SHIPPED_CONFIG_DIR)))


@pytest.fixture(scope="module")
def city_nlu(embedded_nlu: EmbeddedBackend) -> EmbeddedBackend:
    return EmbeddedBackend(embedded_nlu.classifier, CITY_PLACES)


def test_the_probe_is_whole() -> None:
    assert len(ROWS) == 80
    assert sum(r["lang"] == "zh" for r in ROWS) == 45


@pytest.mark.parametrize("text", [r["text"] for r in ROWS])
def test_a_dependant_in_danger_gets_an_urgent_case(city_nlu: EmbeddedBackend, text: str) -> None:
    prediction = city_nlu.parse_sync(text)
    urgent = prediction.safety_net is not None or prediction.confidence >= EMERGENCY_CASE_CONFIDENCE
    assert prediction.intent == "emergency" and urgent, prediction.ranking[:3]
