"""The parts every handler needs, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field

from telegram.ext import CallbackContext

from bot.clock import Clock
from bot.i18n import Catalog
from bot.observability import Metrics
from bot.settings import Settings
from config.schema import CityConfig
from nlu.types import NluBackend
from storage.db import Database

RUNTIME_KEY = "griddesk.runtime"


@dataclass
class Runtime:
    settings: Settings
    db: Database
    city: CityConfig
    catalog: Catalog
    nlu: NluBackend
    clock: Clock
    metrics: Metrics = field(default_factory=Metrics)


def runtime_of(context: CallbackContext) -> Runtime:  # type: ignore[type-arg]
    runtime = context.application.bot_data[RUNTIME_KEY]
    assert isinstance(runtime, Runtime)
    return runtime
