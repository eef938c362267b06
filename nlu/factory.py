"""Pick the NLU engine from settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nlu.embedded import EmbeddedBackend, load_or_train
from nlu.types import NluBackend

if TYPE_CHECKING:
    from bot.settings import Settings


def build_embedded(settings: Settings) -> EmbeddedBackend:
    return EmbeddedBackend(load_or_train(settings.cache_dir / "nlu"))


def build_nlu(settings: Settings) -> NluBackend:
    embedded = build_embedded(settings)
    if settings.nlu_backend == "embedded":
        return embedded
    from nlu.fallback import CircuitBreaker, FallbackBackend
    from nlu.rasa_backend import RasaBackend

    rasa = RasaBackend(settings.rasa_url, timeout=settings.rasa_timeout_seconds)
    return FallbackBackend(rasa, embedded, CircuitBreaker())
