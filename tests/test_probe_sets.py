"""Probe sets written by hands that saw neither the training data nor the held-out split,
each line through the whole prediction path (the embedded model with the shipped city's
places, the safety net), as the bot reads a resident's first message:

- tests/data/dependant_probe.jsonl: 80 dependant-in-danger emergencies (zh 45 / en 35);
- tests/data/dependant_probe2.jsonl: 130 more of them over 25 kinds, and 70 near misses about
  the same people and places with nobody in danger now (a child back safe, a pet, a drill);
- tests/data/false_alarm_probe.jsonl: 260 messages with alarming words that are not
  emergencies (school questions, hazards that may hurt someone one day, the news, figures of
  speech, lost phones);
- tests/data/emergency_probe3.jsonl: 150 emergencies of the five kinds issue 12 names as
  missed (a missing child or confused elder, a child in a hot car, a child out on a height, an
  e-bike battery fire with people who cannot get out, a child not home from school), 30 each,
  and 70 near misses on the same topics (found, a past fire, a risk, news from elsewhere).

An emergency must get an urgent case (`emergency` from a cue, or from the model at 0.85); a
line that is none must not get one. (A weak `emergency` guess still shows the numbers with a
"not an emergency" button and no case: when unsure, the numbers go first, issue 12.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import SHIPPED_CONFIG_DIR, load_config
from handlers.edge import EMERGENCY_CASE_CONFIDENCE
from nlu.embedded import EmbeddedBackend
from nlu.places import PlaceNames
from nlu.types import Prediction
from services.places import city_place_names

DATA = Path(__file__).parent / "data"
CITY_PLACES = PlaceNames.of(city_place_names(load_config(SHIPPED_CONFIG_DIR)))


def rows(name: str) -> list[dict[str, str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def is_emergency(row: dict[str, str]) -> bool:
    """The three files say it three ways: no label (all emergencies), `expect`, `intent`."""
    return row.get("expect", row.get("intent", "emergency")) == "emergency"


PROBES = {
    name: rows(name)
    for name in (
        "dependant_probe.jsonl",
        "dependant_probe2.jsonl",
        "false_alarm_probe.jsonl",
        "emergency_probe3.jsonl",
    )
}
EMERGENCIES = [r["text"] for probe in PROBES.values() for r in probe if is_emergency(r)]
NOT_EMERGENCIES = [r["text"] for probe in PROBES.values() for r in probe if not is_emergency(r)]


@pytest.fixture(scope="module")
def city_nlu(embedded_nlu: EmbeddedBackend) -> EmbeddedBackend:
    return EmbeddedBackend(embedded_nlu.classifier, CITY_PLACES)


def test_the_probes_are_whole() -> None:
    counts = {name: len(probe) for name, probe in PROBES.items()}
    assert counts == {
        "dependant_probe.jsonl": 80,
        "dependant_probe2.jsonl": 200,
        "false_alarm_probe.jsonl": 260,
        "emergency_probe3.jsonl": 220,
    }
    assert (len(EMERGENCIES), len(NOT_EMERGENCIES)) == (360, 400)


def urgent(prediction: Prediction) -> bool:
    """What the bot files an urgent case for."""
    sure = prediction.safety_net is not None or prediction.confidence >= EMERGENCY_CASE_CONFIDENCE
    return prediction.intent == "emergency" and sure


@pytest.mark.parametrize("text", EMERGENCIES)
def test_an_emergency_gets_an_urgent_case(city_nlu: EmbeddedBackend, text: str) -> None:
    prediction = city_nlu.parse_sync(text)
    assert urgent(prediction), prediction.ranking[:3]


@pytest.mark.parametrize("text", NOT_EMERGENCIES)
def test_no_danger_now_gets_no_urgent_case(city_nlu: EmbeddedBackend, text: str) -> None:
    prediction = city_nlu.parse_sync(text)
    assert not urgent(prediction), (prediction.safety_net, prediction.ranking[:3])
