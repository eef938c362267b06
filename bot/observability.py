"""JSON logs that carry the update id (and case number), and Prometheus metrics.

Each Application gets its own registry, so tests and several apps in one
process never share counters.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TextIO

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from sqlalchemy.engine import make_url
from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.log_redaction import RedactingFilter, Redactor, hold_libraries_quiet

if TYPE_CHECKING:
    from bot.settings import Settings

current_update_id: ContextVar[int | None] = ContextVar("current_update_id", default=None)
current_case_number: ContextVar[str | None] = ContextVar("current_case_number", default=None)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (update_id := current_update_id.get()) is not None:
            entry["update_id"] = update_id
        if (case_number := current_case_number.get()) is not None:
            entry["case"] = case_number
        if record.exc_text:  # set (and redacted) by bot.log_redaction.RedactingFilter
            entry["exc"] = record.exc_text
        elif record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def secrets_of(settings: Settings) -> list[str]:
    """What must never appear in a log line: the token, the webhook secret, the DB password."""
    found = [
        s.get_secret_value()
        for s in (settings.telegram_token, settings.webhook_secret)
        if s is not None and s.get_secret_value()
    ]
    password = make_url(settings.database_url).password
    return [*found, str(password)] if password else found


def configure_logging(
    level: str,
    json_format: bool,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
) -> None:
    """One handler on the root logger, redacting every record (bot.log_redaction)."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        JsonFormatter() if json_format
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactingFilter(Redactor(secrets)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    hold_libraries_quiet()


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.updates = Counter("griddesk_updates", "Updates handled", ["outcome"], registry=r)
        self.latency = Histogram(
            "griddesk_update_seconds", "Time to handle one update", registry=r,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.nlu = Counter("griddesk_nlu_predictions", "NLU answers by backend", ["backend"],
                           registry=r)
        self.nlu_fallbacks = Gauge("griddesk_nlu_fallbacks",
                                   "Times the embedded NLU answered for Rasa", registry=r)
        self.outbox_backlog = Gauge("griddesk_outbox_backlog", "Outbox rows not yet sent",
                                    registry=r)
        self.outbox_failed = Gauge("griddesk_outbox_failed", "Outbox rows that failed",
                                   registry=r)
        self.overdue = Gauge("griddesk_overdue_cases", "Open cases past their due time",
                             registry=r)


class MeasuredUpdateProcessor(BaseUpdateProcessor):
    """Runs different users' updates side by side and one user's updates in order, timing
    each one and tagging its log lines with the update id.

    In order per user: the photos of an album, or two fast taps, arrive as separate updates
    that read and write the same draft; side by side they would overwrite each other.
    """

    def __init__(self, metrics: Metrics, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self.metrics = metrics
        self._user_locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    @asynccontextmanager
    async def _in_order(self, update: object) -> AsyncIterator[None]:
        user = update.effective_user if isinstance(update, Update) else None
        if user is None:
            yield
            return
        lock = self._user_locks.setdefault(user.id, asyncio.Lock())
        self._waiting[user.id] = self._waiting.get(user.id, 0) + 1
        try:
            async with lock:  # asyncio.Lock wakes waiters first come, first served
                yield
        finally:
            self._waiting[user.id] -= 1
            if not self._waiting[user.id]:  # nobody queued: forget the lock
                del self._waiting[user.id], self._user_locks[user.id]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        token = current_update_id.set(update.update_id if isinstance(update, Update) else None)
        started = time.perf_counter()
        outcome = "ok"
        try:
            async with self._in_order(update):
                await coroutine
        except Exception:
            outcome = "error"
            raise
        finally:
            self.metrics.latency.observe(time.perf_counter() - started)
            self.metrics.updates.labels(outcome).inc()
            current_update_id.reset(token)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
