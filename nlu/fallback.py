"""Keep answering when the primary NLU engine (Rasa) is down or slow.

`FallbackBackend` asks the primary and, on an error, a timeout or an open
circuit, asks the fallback (the embedded twin), so a resident always gets an
answer (DESIGN.md "NLU"). The circuit breaker stops a dead service from
costing every message a full timeout.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable
from enum import StrEnum

from nlu.rasa_backend import RasaError
from nlu.types import NluBackend, Prediction

log = logging.getLogger(__name__)

DEFAULT_FAILURE_THRESHOLD = 3
DEFAULT_RESET_AFTER_SECONDS = 30.0


class CircuitState(StrEnum):
    CLOSED = "closed"  # primary in use
    OPEN = "open"  # primary skipped until reset_after has passed
    HALF_OPEN = "half_open"  # primary tried again; one success closes, one failure reopens


class CircuitBreaker:
    """Opens after `failure_threshold` failures in a row, half-opens after `reset_after` s."""

    def __init__(
        self,
        failure_threshold: int = DEFAULT_FAILURE_THRESHOLD,
        reset_after: float = DEFAULT_RESET_AFTER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self.failure_threshold = failure_threshold
        self.reset_after = reset_after
        self._clock = clock
        self.consecutive_failures = 0
        self._opened_at: float | None = None

    @property
    def state(self) -> CircuitState:
        if self._opened_at is None:
            return CircuitState.CLOSED
        if self._clock() - self._opened_at >= self.reset_after:
            return CircuitState.HALF_OPEN
        return CircuitState.OPEN

    def allows_request(self) -> bool:
        """Whether the primary may be tried now (closed, or half-open for a trial)."""
        return self.state is not CircuitState.OPEN

    def record_success(self) -> None:
        self.consecutive_failures = 0
        self._opened_at = None

    def record_failure(self) -> None:
        self.consecutive_failures += 1
        was_trial = self.state is CircuitState.HALF_OPEN
        if was_trial or self.consecutive_failures >= self.failure_threshold:
            self._opened_at = self._clock()


class FallbackBackend:
    """An NluBackend that prefers `primary` and falls back to `fallback`."""

    def __init__(
        self,
        primary: NluBackend,
        fallback: NluBackend,
        breaker: CircuitBreaker | None = None,
        *,
        timeout: float | None = None,
    ) -> None:
        self.primary = primary
        self.fallback = fallback
        self.breaker = breaker if breaker is not None else CircuitBreaker()
        # An overall bound on the primary, on top of its own (e.g. HTTP) timeout.
        self.timeout = timeout
        self.name = f"{primary.name}+{fallback.name}"
        self.fallback_count = 0
        self.last_error: str | None = None
        self._seen_state = CircuitState.CLOSED

    async def parse(self, text: str) -> Prediction:
        self._note_state()
        if self.breaker.allows_request():
            try:
                async with asyncio.timeout(self.timeout):
                    prediction = await self.primary.parse(text)
            except Exception as exc:  # any failure of the primary: the fallback answers
                self.breaker.record_failure()
                self.last_error = _describe(exc)
                log.debug("NLU primary %s failed: %s", self.primary.name, self.last_error)
            else:
                self.breaker.record_success()
                self._note_state()
                return dataclasses.replace(prediction, backend=self.primary.name)
        self._note_state()
        self.fallback_count += 1
        prediction = await self.fallback.parse(text)
        return dataclasses.replace(prediction, backend=self.fallback.name)

    def health(self) -> dict[str, object]:
        """For /health and the admin CLI: which engine is in use and how often it fell back."""
        return {
            "primary": self.primary.name,
            "fallback": self.fallback.name,
            "circuit": self.breaker.state.value,
            "fallbacks": self.fallback_count,
            "consecutive_failures": self.breaker.consecutive_failures,
            "last_error": self.last_error,
        }

    def _note_state(self) -> None:
        """Log a warning once per circuit state change, not once per message."""
        state = self.breaker.state
        if state is self._seen_state:
            return
        self._seen_state = state
        if state is CircuitState.OPEN:
            log.warning(
                "NLU %s unavailable (%s); answering with %s for %.0f s",
                self.primary.name,
                self.last_error,
                self.fallback.name,
                self.breaker.reset_after,
            )
        elif state is CircuitState.HALF_OPEN:
            log.warning(
                "NLU %s: trying it again after %.0f s", self.primary.name, self.breaker.reset_after
            )
        else:
            log.warning("NLU %s answering again; circuit closed", self.primary.name)


def _describe(exc: BaseException) -> str:
    """The kind of failure only: a message may quote the resident's text (an echoed request
    body, a parse error), and this lands in logs and on /healthz."""
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, RasaError):  # worded by GridDesk, without the resident's text
        return f"{type(exc).__name__}: {exc}"
    return type(exc).__name__
