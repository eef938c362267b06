"""Residents' questions, from a probe by a hand that saw nothing of the project
(tests/data/question_probe.jsonl, 160 lines, zh 80 / en 80): 84 questions one of the twelve
FAQ topics answers, 50 about services no topic covers (the bot offers staff), 26 problem
reports asked politely.

Measured first (this session's model): topics 81/84, no topic 18/50 (a marriage or a dog's
registration answered as rental registration, home care read as a report), reports 25/26.
nlu/data/round5_questions.yml was then written by another hand that saw neither this probe
nor the project's data: no topic 40/50. A wrong topic is no dead end (an FAQ answer read from
free text offers staff), so the floors below guard the figures rather than each line; the
misses are printed when a floor breaks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from config import SHIPPED_CONFIG_DIR, load_config
from nlu.embedded import EmbeddedBackend
from nlu.places import PlaceNames
from nlu.types import Prediction
from services.places import city_place_names

PROBE = Path(__file__).parent / "data" / "question_probe.jsonl"
ROWS = [json.loads(line) for line in PROBE.read_text(encoding="utf-8").splitlines() if line]
CITY_PLACES = PlaceNames.of(city_place_names(load_config(SHIPPED_CONFIG_DIR)))
# The share of each kind of line the NLU must route as its writer meant (measured: 0.964,
# 0.80, 0.962). A question about another service may land on volunteering (the bot has it).
FLOORS = {"topic": 0.95, "ask_staff": 0.75, "report": 0.92}


def routed(prediction: Prediction) -> str:
    """Where the bot takes a first message: an FAQ topic, staff, a report or another intent."""
    if prediction.intent == "faq":
        return prediction.topic or "faq"
    if prediction.intent == "out_of_scope":
        return "ask_staff"
    return prediction.intent


def kind(expect: str) -> str:
    return expect if expect in ("ask_staff", "report") else "topic"


@pytest.fixture(scope="module")
def routes(embedded_nlu: EmbeddedBackend) -> list[tuple[dict[str, str], str]]:
    city_nlu = EmbeddedBackend(embedded_nlu.classifier, CITY_PLACES)
    return [(row, routed(city_nlu.parse_sync(row["text"]))) for row in ROWS]


def test_the_probe_is_whole() -> None:
    kinds = [kind(row["expect"]) for row in ROWS]
    assert (len(ROWS), kinds.count("topic"), kinds.count("ask_staff")) == (160, 84, 50)


@pytest.mark.parametrize("which", sorted(FLOORS))
def test_questions_are_routed_as_their_writer_meant(
    routes: list[tuple[dict[str, str], str]], which: str
) -> None:
    lines = [(row, got) for row, got in routes if kind(row["expect"]) == which]
    misses = [f"{r['expect']} -> {got}: {r['text']}" for r, got in lines if got != r["expect"]]
    assert 1 - len(misses) / len(lines) >= FLOORS[which], "\n".join(misses)


def test_no_question_raises_an_alarm(routes: list[tuple[dict[str, str], str]]) -> None:
    """Only the line that names a strong gas smell (asked politely) is an emergency."""
    alarms = [row["text"] for row, got in routes if got == "emergency"]
    assert alarms == [row["text"] for row in ROWS if "strong gas smell" in row["text"]]
