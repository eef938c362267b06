"""A real Rasa server, trained on this project's data, answering through RasaBackend.

Slow (first run: build the env ~3 min, train ~2 min; later runs reuse both).
Skipped unless the Rasa env is built (scripts/rasa-env build) or GRIDDESK_REQUIRE_RASA
is set, in which case a missing env is built and any failure is a failure.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from nlu.embedded import EmbeddedBackend
from nlu.fallback import CircuitBreaker, FallbackBackend
from nlu.rasa_backend import RasaBackend
from nlu.rasa_env import (
    RasaUnavailable,
    ensure_rasa_env,
    find_rasa_python,
    rasa_env_dir,
    rasa_env_ready,
    resolve_cache_root,
)
from nlu.rasa_server import RasaServer, start_rasa_server
from nlu.rasa_training import train_rasa_model
from nlu.types import Prediction

# One worker runs the whole file: the module's Rasa server starts once.
pytestmark = [pytest.mark.rasa, pytest.mark.xdist_group("rasa")]

REQUIRE_RASA_ENV = "GRIDDESK_REQUIRE_RASA"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def progress(line: str) -> None:
    print(f"[rasa] {line}", flush=True)


@pytest.fixture(scope="module")
def rasa_env() -> Path:
    required = bool(os.environ.get(REQUIRE_RASA_ENV))
    try:
        _, version = find_rasa_python()
    except RasaUnavailable as exc:
        if required:
            raise
        pytest.skip(f"Rasa unavailable: {exc}")
    env_dir = rasa_env_dir(python_version=version)
    if not rasa_env_ready(env_dir):
        if not required:
            pytest.skip(
                f"Rasa env not built at {env_dir}: run `scripts/rasa-env build`, "
                f"or set {REQUIRE_RASA_ENV}=1 to build it here"
            )
        ensure_rasa_env(progress)
    return env_dir


@pytest.fixture(scope="module")
def rasa_model(rasa_env: Path) -> Path:
    # Models are named by the digest of their data and config, so one kept in the cache directory
    # (beside the Rasa env) serves every clone, CI's fresh one included: no retraining per clone.
    return train_rasa_model(resolve_cache_root() / "rasa-models", progress)


WARM_UP_SECONDS = 180.0  # a first parse on a loaded 2-core machine, with room to spare


def answering(server: RasaServer) -> RasaServer:
    """Wait until the server has answered one real parse, not only /status.

    Rasa builds its pipeline lazily: the first /model/parse after start can take many seconds
    on a busy machine, longer than the short timeouts the tests use to show a fallback. Once
    it has answered, later parses take milliseconds.
    """
    deadline = time.monotonic() + WARM_UP_SECONDS
    while True:
        try:
            answer = httpx.post(f"{server.url}/model/parse", json={"text": "你好"}, timeout=60.0)
            if answer.status_code == 200 and answer.json().get("intent"):
                return server
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or server.process.poll() is not None:
            raise RasaUnavailable(f"Rasa never answered a parse:\n{server.log_tail()}")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def rasa_server(rasa_model: Path) -> Iterator[RasaServer]:
    with start_rasa_server(rasa_model, free_port()) as server:
        server.wait_ready()
        yield answering(server)


@pytest.fixture
def doomed_rasa_server(rasa_model: Path) -> Iterator[RasaServer]:
    """A server of its own, for a test that kills it; it has answered before it dies."""
    with start_rasa_server(rasa_model, free_port()) as server:
        server.wait_ready()
        yield answering(server)


@pytest.mark.parametrize(
    ("text", "intent", "detail"),
    [
        ("路灯坏了，3栋门口黑漆漆的", "report", "public_facility"),
        ("The street lamp outside block 5 has been dead for a week", "report", "public_facility"),
        ("带孩子去打疫苗需要提前预约吗", "faq", "vaccination"),
        ("how late is the service centre open on fridays", "faq", "service_hours"),
        ("楼上天天半夜拖椅子 吵得睡不着", "report", "noise"),
        ("厨房着火了 火越来越大", "emergency", None),
        ("my neighbour collapsed and he is not breathing", "emergency", None),
    ],
)
async def test_rasa_understands_residents(
    rasa_server: RasaServer, text: str, intent: str, detail: str | None
) -> None:
    async with RasaBackend(rasa_server.url, timeout=10.0) as backend:
        prediction = await backend.parse(text)
    assert prediction.backend == "rasa"
    assert prediction.intent == intent
    assert (prediction.case_type or prediction.topic) == detail
    assert prediction.ranking[0].confidence == prediction.confidence


MESSAGES = [
    ("路灯坏了，3栋门口黑漆漆的", ("report", "public_facility")),
    ("the bins by gate 2 are overflowing again", ("report", "sanitation")),
    ("办居住证需要带什么材料", ("faq", "residence_permit")),
    ("着火了 快来人", ("emergency", None)),
]


def understood(prediction: Prediction) -> tuple[str, str | None]:
    return prediction.intent, prediction.case_type or prediction.topic


async def test_fallback_answers_when_rasa_is_gone(embedded_nlu: EmbeddedBackend) -> None:
    """Nothing listens at the Rasa URL: the real embedded backend answers every message."""
    backend = FallbackBackend(
        RasaBackend(f"http://127.0.0.1:{free_port()}", timeout=0.5),
        embedded_nlu,
        CircuitBreaker(failure_threshold=3, reset_after=30.0),
    )
    for text, expected in MESSAGES:
        prediction = await backend.parse(text)
        assert prediction.backend == "embedded"
        assert understood(prediction) == expected
    health = backend.health()
    assert health["circuit"] == "open"
    assert health["fallbacks"] == len(MESSAGES)
    assert health["primary"] == "rasa"


async def test_rasa_killed_mid_run_embedded_takes_over(
    doomed_rasa_server: RasaServer, embedded_nlu: EmbeddedBackend
) -> None:
    """Rasa answers, then dies (SIGKILL); the next messages are answered by the embedded
    backend, and once the circuit opens Rasa is not even tried."""
    breaker = CircuitBreaker(failure_threshold=2, reset_after=30.0)
    # A dead server refuses at once, so the timeout only has to be long enough for the live one
    # under load; short timeouts are test_fallback_answers_when_rasa_is_gone's subject.
    backend = FallbackBackend(
        RasaBackend(doomed_rasa_server.url, timeout=15.0), embedded_nlu, breaker
    )
    first = await backend.parse("路灯坏了，3栋门口黑漆漆的")
    assert first.backend == "rasa"
    assert understood(first) == ("report", "public_facility")
    assert backend.health()["circuit"] == "closed"

    os.killpg(doomed_rasa_server.process.pid, signal.SIGKILL)  # the service dies mid-run
    doomed_rasa_server.process.wait(timeout=10)

    answers = []
    for text, expected in MESSAGES:
        started = time.perf_counter()
        prediction = await backend.parse(text)
        answers.append((prediction.backend, understood(prediction), time.perf_counter() - started))
        assert understood(prediction) == expected
    assert {answered_by for answered_by, _, _ in answers} == {"embedded"}
    health = backend.health()
    assert health["circuit"] == "open"
    assert health["fallbacks"] == len(MESSAGES)
    assert "Rasa at" in str(health["last_error"])
    # After the threshold the primary is skipped: no connection attempt, no timeout to wait.
    assert breaker.consecutive_failures == 2
    assert all(seconds < 0.5 for _, _, seconds in answers[2:])
