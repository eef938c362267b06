"""Pick the NLU engine from settings (composition: the nlu package knows no settings)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.settings import Settings
from nlu.embedded import EmbeddedBackend, load_or_train
from nlu.places import NO_PLACES, PlaceNames
from nlu.types import NluBackend


def build_embedded(settings: Settings, places: PlaceNames = NO_PLACES) -> EmbeddedBackend:
    return EmbeddedBackend(load_or_train(settings.cache_dir / "nlu"), places)


def build_nlu(settings: Settings, place_names: Iterable[str] = ()) -> NluBackend:
    """The configured engine. `place_names`: the city's estate, building and street
    aliases (config/communities.yaml, read by the caller), so a place typed alone is
    never taken for an emergency."""
    places = PlaceNames.of(place_names)
    embedded = build_embedded(settings, places)
    if settings.nlu_backend == "embedded":
        return embedded
    from nlu.fallback import CircuitBreaker, FallbackBackend
    from nlu.rasa_backend import RasaBackend

    rasa = RasaBackend(settings.rasa_url, timeout=settings.rasa_timeout_seconds, places=places)
    return FallbackBackend(rasa, embedded, CircuitBreaker())
