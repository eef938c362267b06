"""The Rasa NLU service as an `NluBackend`: POST /model/parse over HTTP.

Rasa answers with its own JSON shape; this module is the one place that knows
it and turns it into a `Prediction` (DESIGN.md "NLU: Rasa, and an embedded twin").
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

import httpx

from domain.ids import FAQ_PREFIX
from domain.traditional import simplified
from nlu.places import NO_PLACES, PlaceNames
from nlu.types import LabelScore, Prediction, model_text, prediction_from_ranking

DEFAULT_TIMEOUT_SECONDS = 1.5
FALLBACK_INTENT = "nlu_fallback"  # what Rasa's FallbackClassifier puts on top when unsure
RETRIEVAL_INTENT = "faq"


class RasaError(RuntimeError):
    """Rasa did not answer, answered with an error, or answered something unreadable."""


class RasaBackend:
    """Classify a resident's text with a running `rasa run --enable-api` server."""

    name = "rasa"

    def __init__(
        self,
        url: str,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        places: PlaceNames = NO_PLACES,
    ) -> None:
        self.url = url.rstrip("/")
        self.places = places
        self._client = httpx.AsyncClient(
            base_url=self.url, timeout=httpx.Timeout(timeout), transport=transport
        )

    async def parse(self, text: str) -> Prediction:
        text = simplified(text)  # as the embedded backend reads it
        try:
            response = await self._client.post(
                "/model/parse", json={"text": model_text(text, self.places)}
            )
            response.raise_for_status()
            body = response.json()
        except httpx.TimeoutException as exc:
            raise RasaError(f"Rasa at {self.url} timed out") from exc
        except httpx.HTTPError as exc:
            raise RasaError(f"Rasa at {self.url} failed: {exc!r}") from exc
        except ValueError as exc:
            raise RasaError(f"Rasa at {self.url} sent invalid JSON") from exc
        return prediction_from_rasa(body, places=self.places, text=text)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> RasaBackend:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def prediction_from_rasa(
    body: Any, places: PlaceNames = NO_PLACES, text: str | None = None
) -> Prediction:
    """Turn a /model/parse answer into a Prediction.

    - `nlu_fallback` is dropped: the best real intent leads, with its own low
      confidence, so the bot sees it is unsure and offers the ranking as choices.
      When Rasa fell back because the top two were too close to call, the
      leader's confidence is capped at the fallback's, so it still reads unsure.
    - `faq` becomes `faq/<topic>` labels from the response selector, each scored
      P(faq) x P(topic | faq), so an unsure topic lowers the confidence too.
    - The shared rules (safety net, place guard, question lean) read `text`, the
      resident's words (default: the echoed text), as for the embedded backend.
    """
    if not isinstance(body, Mapping):
        raise RasaError(f"unexpected Rasa answer: a {type(body).__name__}, not an object")
    intents = _intent_ranking(body)
    topics = _faq_topics(body)
    labels: list[LabelScore] = []
    unsure_below: float | None = None
    for name, confidence in intents:
        if name == FALLBACK_INTENT:
            unsure_below = confidence
            continue
        if name == RETRIEVAL_INTENT and topics:
            labels.extend(LabelScore(key, confidence * p) for key, p in topics)
        else:
            labels.append(LabelScore(name, confidence))
    # Rasa's choice leads; the alternatives follow, best first.
    ranking = labels[:1] + sorted(labels[1:], key=lambda label: label.confidence, reverse=True)
    if unsure_below is not None and ranking and ranking[0].confidence > unsure_below:
        ranking[0] = LabelScore(ranking[0].label, unsure_below)
    if text is None:
        echoed = body.get("text")
        text = echoed if isinstance(echoed, str) else None
    return prediction_from_ranking(ranking, backend=RasaBackend.name, text=text, places=places)


def _intent_ranking(body: Mapping[str, Any]) -> list[tuple[str, float]]:
    ranking = body.get("intent_ranking") or []
    if not ranking and isinstance(body.get("intent"), Mapping):
        ranking = [body["intent"]]
    try:
        return [(str(item["name"]), float(item["confidence"])) for item in ranking]
    except (KeyError, TypeError, ValueError) as exc:
        raise RasaError(f"unexpected intent_ranking from Rasa: {ranking!r:.200}") from exc


def _faq_topics(body: Mapping[str, Any]) -> list[tuple[str, float]]:
    """(`faq/<topic>`, confidence) from the response selector, best first."""
    try:
        selector = (body.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
        chosen = selector.get("response") or {}
        topics = [
            (str(item["intent_response_key"]), float(item["confidence"]))
            for item in selector.get("ranking") or []
        ]
        if not topics and chosen.get("intent_response_key"):
            topics = [(str(chosen["intent_response_key"]), float(chosen["confidence"]))]
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        # Not the body itself: it echoes the resident's text into logs and /healthz.
        raise RasaError("unexpected response_selector from Rasa") from exc
    if chosen.get("intent_response_key"):
        # The selector's pick leads even if its ranking were ordered otherwise.
        top = str(chosen["intent_response_key"])
        topics.sort(key=lambda item: item[0] != top)
    return [(key, p) for key, p in topics if key.startswith(FAQ_PREFIX)]
