"""The NLU fallback path, fast and without Rasa.

The circuit breaker runs on an injected clock; RasaBackend reads recorded
/model/parse answers served by httpx.MockTransport (the Rasa HTTP edge).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import httpx
import pytest

from nlu.fallback import CircuitBreaker, CircuitState, FallbackBackend
from nlu.rasa_backend import RasaBackend, RasaError, prediction_from_rasa
from nlu.types import LabelScore, Prediction


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FixedBackend:
    """Always answers the same prediction; counts calls."""

    def __init__(self, name: str, prediction: Prediction) -> None:
        self.name = name
        self.prediction = prediction
        self.calls = 0

    async def parse(self, text: str) -> Prediction:
        self.calls += 1
        return self.prediction


class BrokenBackend:
    name = "rasa"

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.calls = 0

    async def parse(self, text: str) -> Prediction:
        self.calls += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        raise RasaError("Rasa at http://127.0.0.1:5005 failed: ConnectError")


RASA_ANSWER = Prediction(
    intent="report", confidence=0.93, case_type="noise", backend="rasa",
    ranking=(LabelScore("report_noise", 0.93),),
)  # fmt: skip
EMBEDDED_ANSWER = Prediction(
    intent="report", confidence=0.71, case_type="noise",
    ranking=(LabelScore("report_noise", 0.71),),
)  # fmt: skip


# --- circuit breaker -------------------------------------------------------------------------


def state_of(breaker: CircuitBreaker) -> CircuitState:
    """Read the state afresh (the clock moves it; type checkers would pin the first read)."""
    return breaker.state


def test_breaker_opens_after_threshold_failures() -> None:
    breaker = CircuitBreaker(failure_threshold=3, reset_after=30.0, clock=FakeClock())
    for _ in range(2):
        breaker.record_failure()
        assert state_of(breaker) is CircuitState.CLOSED
        assert breaker.allows_request()
    breaker.record_failure()
    assert state_of(breaker) is CircuitState.OPEN
    assert not breaker.allows_request()


def test_success_resets_the_failure_count() -> None:
    breaker = CircuitBreaker(failure_threshold=3, clock=FakeClock())
    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    breaker.record_failure()
    assert state_of(breaker) is CircuitState.CLOSED


def test_breaker_half_opens_after_reset_and_closes_on_success() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=1, reset_after=30.0, clock=clock)
    breaker.record_failure()
    clock.now += 29.9
    assert state_of(breaker) is CircuitState.OPEN
    clock.now += 0.1
    assert state_of(breaker) is CircuitState.HALF_OPEN
    assert breaker.allows_request()
    breaker.record_success()
    assert state_of(breaker) is CircuitState.CLOSED


def test_failed_trial_reopens_for_another_reset_period() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=3, reset_after=30.0, clock=clock)
    for _ in range(3):
        breaker.record_failure()
    clock.now += 30.0
    assert state_of(breaker) is CircuitState.HALF_OPEN
    breaker.record_failure()  # one failed trial is enough
    assert state_of(breaker) is CircuitState.OPEN
    clock.now += 29.0
    assert state_of(breaker) is CircuitState.OPEN
    clock.now += 1.0
    assert state_of(breaker) is CircuitState.HALF_OPEN


# --- FallbackBackend -------------------------------------------------------------------------


async def test_primary_answers_while_healthy() -> None:
    backend = FallbackBackend(
        FixedBackend("rasa", RASA_ANSWER), FixedBackend("embedded", EMBEDDED_ANSWER)
    )
    prediction = await backend.parse("楼上每天半夜装修，吵得睡不着")
    assert prediction == RASA_ANSWER
    assert backend.health() == {
        "primary": "rasa", "fallback": "embedded", "circuit": "closed", "fallbacks": 0,
        "consecutive_failures": 0, "last_error": None,
    }  # fmt: skip


async def test_fallback_answers_when_primary_raises() -> None:
    embedded = FixedBackend("embedded", EMBEDDED_ANSWER)
    backend = FallbackBackend(BrokenBackend(), embedded)
    prediction = await backend.parse("楼上每天半夜装修，吵得睡不着")
    assert prediction.backend == "embedded"
    assert (prediction.intent, prediction.case_type) == ("report", "noise")
    assert backend.fallback_count == 1
    assert backend.health()["last_error"] == (
        "RasaError: Rasa at http://127.0.0.1:5005 failed: ConnectError"
    )


async def test_fallback_answers_when_primary_is_too_slow() -> None:
    backend = FallbackBackend(
        BrokenBackend(delay=5.0), FixedBackend("embedded", EMBEDDED_ANSWER), timeout=0.05
    )
    prediction = await asyncio.wait_for(backend.parse("noise at night"), timeout=2.0)
    assert prediction.backend == "embedded"
    assert backend.health()["last_error"] == "timed out"


async def test_open_circuit_skips_primary_until_reset(caplog: pytest.LogCaptureFixture) -> None:
    clock = FakeClock()
    primary = BrokenBackend()
    backend = FallbackBackend(
        primary,
        FixedBackend("embedded", EMBEDDED_ANSWER),
        CircuitBreaker(failure_threshold=3, reset_after=30.0, clock=clock),
    )
    with caplog.at_level(logging.WARNING, logger="nlu.fallback"):
        for _ in range(10):
            assert (await backend.parse("路灯坏了")).backend == "embedded"
    assert primary.calls == 3  # the other seven never waited on a dead service
    assert backend.health()["circuit"] == "open"
    assert backend.health()["fallbacks"] == 10
    assert len(caplog.records) == 1  # one warning for the state change, not one per message

    clock.now += 30.0
    assert backend.health()["circuit"] == "half_open"
    await backend.parse("路灯坏了")
    assert primary.calls == 4
    assert backend.health()["circuit"] == "open"


async def test_recovered_primary_closes_the_circuit() -> None:
    clock = FakeClock()
    broken = BrokenBackend()
    backend = FallbackBackend(
        broken,
        FixedBackend("embedded", EMBEDDED_ANSWER),
        CircuitBreaker(failure_threshold=1, reset_after=30.0, clock=clock),
    )
    await backend.parse("路灯坏了")
    assert backend.health()["circuit"] == "open"
    backend.primary = FixedBackend("rasa", RASA_ANSWER)  # the service came back
    clock.now += 30.0
    prediction = await backend.parse("路灯坏了")
    assert prediction.backend == "rasa"
    assert backend.health()["circuit"] == "closed"


# --- RasaBackend: recorded /model/parse answers ----------------------------------------------

# Recorded from this project's model (Rasa 3.6.21, nlu/config.yml), rankings cut to the
# first three and numbers rounded; Rasa's /model/parse and Agent.parse_message agree.
SELECTOR_KEYS = ("faq/service_hours", "faq/service_location", "faq/garbage_sorting")


def selector(keys: tuple[str, ...], confidences: tuple[float, ...]) -> dict[str, Any]:
    ranking = [
        {"confidence": p, "intent_response_key": key}
        for key, p in zip(keys, confidences, strict=True)
    ]
    top = keys[0]
    response = {
        "responses": [{"text": "..."}], "confidence": confidences[0],
        "intent_response_key": top, "utter_action": f"utter_{top}",
    }  # fmt: skip
    return {"all_retrieval_intents": ["faq"], "faq": {"response": response, "ranking": ranking}}


def ranking(*pairs: tuple[str, float]) -> list[dict[str, object]]:
    return [{"name": name, "confidence": p} for name, p in pairs]


RASA_REPORT = {
    "text": "人民路的路灯好几天都不亮 黑灯瞎火的",
    "intent": {"name": "report_public_facility", "confidence": 0.9422},
    "entities": [],
    "intent_ranking": ranking(
        ("report_public_facility", 0.9422), ("emergency", 0.014), ("report_safety_hazard", 0.0094)
    ),
    "response_selector": selector(SELECTOR_KEYS, (0.4367, 0.1916, 0.1234)),
}
RASA_FAQ = {
    "text": "宝宝两个月要打什么疫苗 去哪打",
    "intent": {"name": "faq", "confidence": 1.0, "full_retrieval_intent_name": "faq/vaccination"},
    "entities": [],
    "intent_ranking": ranking(("faq", 1.0), ("out_of_scope", 0.0), ("report_public_health", 0.0)),
    "response_selector": selector(
        ("faq/vaccination", "faq/rental_registration", "faq/child_enrollment"),
        (0.9965, 0.0015, 0.001),
    ),
}
# FallbackClassifier: no intent reached the 0.4 threshold.
RASA_UNSURE = {
    "text": "where to throw a broken power bank",
    "intent": {"name": "nlu_fallback", "confidence": 0.4},
    "entities": [],
    "intent_ranking": ranking(
        ("nlu_fallback", 0.4), ("faq", 0.3781), ("report_sanitation", 0.3291)
    ),
    "response_selector": selector(
        ("faq/garbage_sorting", "faq/child_enrollment", "faq/low_income_assistance"),
        (0.9465, 0.0156, 0.0101),
    ),
}
# FallbackClassifier: the top two are within ambiguity_threshold of each other.
RASA_AMBIGUOUS = {
    "text": "之前说的噪音扰民 处理了没",
    "intent": {"name": "nlu_fallback", "confidence": 0.4},
    "entities": [],
    "intent_ranking": ranking(
        ("nlu_fallback", 0.4), ("report_noise", 0.4932), ("check_status", 0.4783)
    ),
    "response_selector": selector(
        ("faq/complaint_process", "faq/service_hours", "faq/service_location"),
        (0.4061, 0.139, 0.093),
    ),
}


def serve_json(answer: dict[str, Any], status: int = 200) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.method == "POST"
        assert request.url.path == "/model/parse"
        assert json.loads(request.content)["text"] == answer["text"]
        return httpx.Response(status, json=answer)

    return httpx.MockTransport(handler)


async def parse_with(answer: dict[str, Any]) -> Prediction:
    async with RasaBackend("http://rasa:5005/", transport=serve_json(answer)) as backend:
        return await backend.parse(str(answer["text"]))


async def test_report_gives_intent_and_case_type() -> None:
    prediction = await parse_with(RASA_REPORT)
    assert prediction.as_eval_json() == {
        "intent": "report", "case_type": "public_facility", "confidence": 0.9422,
    }  # fmt: skip
    assert prediction.backend == "rasa"
    assert [label.label for label in prediction.ranking] == [
        "report_public_facility", "emergency", "report_safety_hazard",
    ]  # fmt: skip


async def test_faq_takes_the_topic_from_the_response_selector() -> None:
    prediction = await parse_with(RASA_FAQ)
    assert prediction.as_eval_json() == {
        "intent": "faq", "topic": "vaccination", "confidence": 0.9965,
    }  # fmt: skip
    assert [label.label for label in prediction.ranking[:2]] == [
        "faq/vaccination", "faq/rental_registration",
    ]  # fmt: skip


async def test_unsure_topic_lowers_the_faq_confidence() -> None:
    answer = {**RASA_FAQ, "intent_ranking": ranking(("faq", 0.95), ("report_noise", 0.05))}
    answer["response_selector"] = selector(("faq/vaccination", "faq/medical_insurance"), (0.6, 0.4))
    prediction = await parse_with(answer)
    assert (prediction.intent, prediction.topic) == ("faq", "vaccination")
    assert prediction.confidence == pytest.approx(0.95 * 0.6)
    assert prediction.ranking[1].label == "faq/medical_insurance"
    assert prediction.ranking[1].confidence == pytest.approx(0.95 * 0.4)


async def test_nlu_fallback_leads_with_the_best_real_intent() -> None:
    prediction = await parse_with(RASA_UNSURE)
    assert (prediction.intent, prediction.topic) == ("faq", "garbage_sorting")
    assert prediction.confidence == pytest.approx(0.3781 * 0.9465)  # low: the bot offers choices
    assert [label.label for label in prediction.ranking[:2]] == [
        "faq/garbage_sorting", "report_sanitation",
    ]  # fmt: skip


async def test_too_close_to_call_stays_below_the_fallback_threshold() -> None:
    prediction = await parse_with(RASA_AMBIGUOUS)
    assert (prediction.intent, prediction.case_type) == ("report", "noise")
    assert prediction.confidence == 0.4  # Rasa's own fallback confidence, not 0.4932
    assert [label.label for label in prediction.ranking[:2]] == ["report_noise", "check_status"]


def test_faq_without_a_selector_keeps_the_bare_intent() -> None:
    prediction = prediction_from_rasa({"intent_ranking": [{"name": "faq", "confidence": 0.8}]})
    assert (prediction.intent, prediction.topic, prediction.confidence) == ("faq", None, 0.8)


@pytest.mark.parametrize(
    "transport",
    [
        httpx.MockTransport(lambda request: httpx.Response(500, text="Internal Server Error")),
        httpx.MockTransport(lambda request: httpx.Response(200, text="<html>proxy</html>")),
        httpx.MockTransport(lambda request: httpx.Response(200, json={"intent_ranking": 3})),
    ],
    ids=["server_error", "not_json", "wrong_shape"],
)
async def test_bad_answers_raise_rasa_error(transport: httpx.MockTransport) -> None:
    async with RasaBackend("http://rasa:5005", transport=transport) as backend:
        with pytest.raises(RasaError):
            await backend.parse("路灯坏了")


async def test_timeout_raises_rasa_error() -> None:
    def too_slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    async with RasaBackend("http://rasa:5005", transport=httpx.MockTransport(too_slow)) as backend:
        with pytest.raises(RasaError, match="timed out"):
            await backend.parse("路灯坏了")
