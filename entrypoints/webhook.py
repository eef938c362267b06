"""Webhook mode: a small ASGI app in front of the Application.

Telegram's secret-token header is checked in constant time; replayed update
ids are answered without being handled again (also across instances, via
the processed_updates table); /healthz and /metrics serve the load balancer
and Prometheus; shutdown finishes in-flight updates before closing.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import func, select, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bot.outbox import OutboxDispatcher
from bot.runtime import Runtime
from domain.lifecycle import OPEN_STATUSES
from entrypoints.app import prepare_database
from entrypoints.background import background_of
from entrypoints.scheduler import INSTANCE
from storage.models import Case, OutboxMessage
from storage.repositories import ProcessedUpdateRepository, UpdateClaim

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1_000_000

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def build_webhook_app(runtime: Runtime, application: AnyApplication, secret: str) -> Starlette:
    settings = runtime.settings
    expected = secret.encode()

    async def receive_update(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return Response(status_code=403)
        body = await request.body()
        if len(body) > MAX_BODY:
            return Response(status_code=413)
        try:
            data = json.loads(body)
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError):
            return Response(status_code=400)
        if update is None:
            return Response(status_code=400)
        owner = f"{INSTANCE}:{secrets.token_hex(4)}"
        async with runtime.db.transaction() as session:
            claim = await ProcessedUpdateRepository(session).begin(
                update.update_id, runtime.clock.now(), settings.webhook_takeover_seconds, owner
            )
        if claim is UpdateClaim.DONE:
            return Response(status_code=200)  # a replay: Telegram only needs the 200
        if claim is UpdateClaim.BUSY:
            # Another instance is on it and its heartbeat is fresh. Not a 200: if that
            # instance dies, Telegram's next retry finds the claim stale and takes it over.
            retry = str(max(1, round(settings.webhook_takeover_seconds)))
            return Response(status_code=503, headers={"Retry-After": retry})
        # Handled before answering: a crash here means no 200, so Telegram retries.
        beating = asyncio.create_task(_heartbeat(runtime, update.update_id, owner))
        try:
            await application.update_processor.process_update(
                update, application.process_update(update)
            )
        except Exception:
            async with runtime.db.transaction() as session:
                await ProcessedUpdateRepository(session).release(update.update_id, owner)
            raise
        finally:
            beating.cancel()
        async with runtime.db.transaction() as session:
            await ProcessedUpdateRepository(session).finish(update.update_id, runtime.clock.now())
        return Response(status_code=200)

    async def health(_: Request) -> Response:
        report: dict[str, Any] = {"nlu": _nlu_health(runtime)}
        healthy = True
        try:
            async with runtime.db.transaction() as session:
                await session.execute(text("SELECT 1"))
            report["outbox_backlog"] = await background_of(application).dispatcher.backlog()
            report["database"] = "ok"
        except Exception as exc:  # the point of a health check is to say so
            report["database"] = f"error: {type(exc).__name__}"
            healthy = False
        queue = application.job_queue
        report["scheduler"] = (
            "running" if queue is not None and queue.scheduler.running else "stopped"
        )
        healthy = healthy and report["scheduler"] == "running"
        return JSONResponse(report, status_code=200 if healthy else 503)

    async def metrics(_: Request) -> Response:
        await refresh_gauges(runtime, background_of(application).dispatcher)
        return Response(generate_latest(runtime.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await prepare_database(runtime)
        await application.initialize()
        await application.start()
        background_of(application).start()
        if settings.webhook_public_url:
            await application.bot.set_webhook(
                settings.webhook_public_url,
                secret_token=secret,
                allowed_updates=Update.ALL_TYPES,
            )
        log.info(
            "webhook listening on %s:%s%s",
            settings.webhook_listen,
            settings.webhook_port,
            settings.webhook_path,
        )
        try:
            yield
        finally:
            # uvicorn has already waited for in-flight requests; drain the rest.
            await background_of(application).stop()
            await application.stop()
            await application.shutdown()
            await runtime.db.dispose()

    return Starlette(
        routes=[
            Route(settings.webhook_path, receive_update, methods=["POST"]),
            Route("/healthz", health, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


async def _heartbeat(runtime: Runtime, update_id: int, owner: str) -> None:
    """Keep our claim on an update fresh while we handle it, so nobody takes it over."""
    interval = runtime.settings.webhook_takeover_seconds / 3
    while True:
        await asyncio.sleep(interval)
        try:
            async with runtime.db.transaction() as session:
                ours = await ProcessedUpdateRepository(session).heartbeat(
                    update_id, owner, runtime.clock.now()
                )
        except Exception:  # a missed beat only risks a takeover, which is safe
            log.warning("webhook: heartbeat for update %s failed", update_id, exc_info=True)
            continue
        if not ours:
            log.warning("webhook: update %s was taken over by another instance", update_id)
            return


def _nlu_health(runtime: Runtime) -> dict[str, Any]:
    health = getattr(runtime.nlu, "health", None)
    return dict(health()) if callable(health) else {"backend": runtime.nlu.name}


async def refresh_gauges(runtime: Runtime, dispatcher: OutboxDispatcher) -> None:
    """Gauges read from the database at scrape time, so every instance reports the truth."""
    metrics = runtime.metrics
    now = runtime.clock.now()
    metrics.outbox_backlog.set(await dispatcher.backlog())
    async with runtime.db.transaction() as session:
        metrics.outbox_failed.set(
            (
                await session.execute(
                    select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "failed")
                )
            ).scalar_one()
        )
        metrics.overdue.set(
            (
                await session.execute(
                    select(func.count(Case.id)).where(
                        Case.status.in_([s.value for s in OPEN_STATUSES]), Case.due_at < now
                    )
                )
            ).scalar_one()
        )
    metrics.nlu_fallbacks.set(float(getattr(runtime.nlu, "fallback_count", 0)))


def run_webhook(runtime: Runtime, application: AnyApplication) -> None:
    import uvicorn

    secret = runtime.settings.webhook_secret
    if secret is None or not secret.get_secret_value():
        raise SystemExit("GRIDDESK_WEBHOOK_SECRET must be set for webhook mode")
    app = build_webhook_app(runtime, application, secret.get_secret_value())
    uvicorn.run(
        app,
        host=runtime.settings.webhook_listen,
        port=runtime.settings.webhook_port,
        log_level="warning",
        timeout_graceful_shutdown=30,
    )
