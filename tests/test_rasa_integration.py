"""A real Rasa server, trained on this project's data, answering through RasaBackend.

Slow (first run: build the env ~3 min, train ~2 min; later runs reuse both).
Skipped unless the Rasa env is built (scripts/rasa-env build) or GRIDDESK_REQUIRE_RASA
is set, in which case a missing env is built and any failure is a failure.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from nlu.fallback import CircuitBreaker, FallbackBackend
from nlu.rasa_backend import RasaBackend
from nlu.rasa_service import (
    DEFAULT_MODEL_DIR,
    RasaServer,
    RasaUnavailable,
    ensure_rasa_env,
    find_rasa_python,
    rasa_env_dir,
    rasa_env_ready,
    start_rasa_server,
    train_rasa_model,
)
from nlu.types import LabelScore, Prediction

pytestmark = pytest.mark.rasa

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
def rasa_server(rasa_env: Path) -> Iterator[RasaServer]:
    model = train_rasa_model(DEFAULT_MODEL_DIR, progress)  # reuses the cached model
    with start_rasa_server(model, free_port()) as server:
        server.wait_ready()
        yield server


@pytest.mark.parametrize(
    ("text", "intent", "detail"),
    [
        ("路灯坏了，3栋门口黑漆漆的", "report", "public_facility"),
        ("The street lamp outside block 5 has been dead for a week", "report", "public_facility"),
        ("带孩子去打疫苗需要提前预约吗", "faq", "vaccination"),
    ],
)
async def test_rasa_understands_residents(
    rasa_server: RasaServer, text: str, intent: str, detail: str
) -> None:
    async with RasaBackend(rasa_server.url, timeout=10.0) as backend:
        prediction = await backend.parse(text)
    assert prediction.backend == "rasa"
    assert prediction.intent == intent
    assert (prediction.case_type if intent == "report" else prediction.topic) == detail
    assert prediction.ranking[0].confidence == prediction.confidence


class FixedBackend:
    """Stands in for the embedded backend: always the same answer."""

    name = "embedded"

    async def parse(self, text: str) -> Prediction:
        return Prediction(
            intent="report",
            confidence=0.8,
            case_type="public_facility",
            ranking=(LabelScore("report_public_facility", 0.8),),
        )


async def test_fallback_answers_when_rasa_stops(rasa_server: RasaServer) -> None:
    rasa_server.stop()  # the service goes down while the bot runs
    assert rasa_server.process.poll() is not None
    backend = FallbackBackend(
        RasaBackend(rasa_server.url, timeout=0.5),
        FixedBackend(),
        CircuitBreaker(failure_threshold=3, reset_after=30.0),
    )
    for _ in range(4):
        prediction = await backend.parse("路灯坏了，3栋门口黑漆漆的")
        assert prediction.backend == "embedded"
        assert (prediction.intent, prediction.case_type) == ("report", "public_facility")
    health = backend.health()
    assert health["circuit"] == "open"
    assert health["fallbacks"] == 4
    assert health["primary"] == "rasa"
