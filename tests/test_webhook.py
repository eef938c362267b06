"""Webhook mode: the secret header, replayed update ids, health and metrics."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from bot.clock import ManualClock
from bot.runtime import Runtime
from devtools.local_api import LocalBotApi, LocalBotApiRequest
from entrypoints.app import build_application, build_runtime
from entrypoints.webhook import SECRET_HEADER, build_webhook_app
from nlu.embedded import EmbeddedBackend
from storage.models import User
from tests.conftest import make_settings

SECRET = "s3cret-token_for-tests"
PATH = "/telegram/webhook"
RESIDENT = 777


class Served:
    def __init__(self, client: httpx.AsyncClient, api: LocalBotApi, runtime: Runtime) -> None:
        self.client, self.api, self.runtime = client, api, runtime

    async def post(self, update: dict[str, object], secret: str | None = SECRET) -> int:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        response = await self.client.post(PATH, content=json.dumps(update), headers=headers)
        return response.status_code

    async def users(self) -> int:
        async with self.runtime.db.transaction() as session:
            return int((await session.execute(select(func.count(User.id)))).scalar_one())


@pytest.fixture
async def served(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> AsyncIterator[Served]:
    settings = make_settings(database_url, tmp_path, webhook_path=PATH)
    runtime = build_runtime(settings, nlu=embedded_nlu, clock=ManualClock())
    api = LocalBotApi()
    application = build_application(runtime, request=LocalBotApiRequest(api))
    app = build_webhook_app(runtime, application, SECRET)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
            yield Served(client, api, runtime)


async def test_missing_or_wrong_secret_is_refused_and_changes_nothing(served: Served) -> None:
    update = served.api.command_update(RESIDENT, "/start")
    assert await served.post(update, secret=None) == 403
    assert await served.post(update, secret="wrong") == 403
    assert await served.post(update, secret=SECRET + "x") == 403
    assert await served.users() == 0
    assert served.api.sent_to(RESIDENT) == []


async def test_right_secret_is_handled_once_even_when_replayed(served: Served) -> None:
    update = served.api.command_update(RESIDENT, "/start")
    assert await served.post(update) == 200
    assert len(served.api.sent_to(RESIDENT)) == 1
    assert await served.post(update) == 200  # Telegram retrying the same update
    assert len(served.api.sent_to(RESIDENT)) == 1
    assert await served.users() == 1


async def test_malformed_body_is_a_400(served: Served) -> None:
    response = await served.client.post(PATH, content=b"{not json",
                                        headers={SECRET_HEADER: SECRET})
    assert response.status_code == 400


async def test_health_and_metrics(served: Served) -> None:
    await served.post(served.api.command_update(RESIDENT, "/help"))
    health = await served.client.get("/healthz")
    assert health.status_code == 200
    body = health.json()
    assert body["database"] == "ok" and body["scheduler"] == "running"
    assert body["outbox_backlog"] == 0 and body["nlu"]["backend"] == "embedded"
    metrics = (await served.client.get("/metrics")).text
    assert 'griddesk_updates_total{outcome="ok"} 1.0' in metrics
    assert "griddesk_outbox_backlog 0.0" in metrics
    assert "griddesk_overdue_cases 0.0" in metrics
