"""Issue 14 item 5: an update claimed by an instance that died is handled on Telegram's retry.

While the owner's heartbeat is fresh a retry is answered 503 (Telegram retries later, never
"done"); once it is stale the retry takes the claim over. In-process on SQLite and PostgreSQL,
and with two real `griddesk run --webhook` processes, one killed with SIGKILL mid-update.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.clock import ManualClock, SystemClock
from devtools.local_api import LocalBotApi, LocalBotApiRequest, serve_http
from entrypoints.app import build_application, build_runtime, prepare_database
from entrypoints.webhook import SECRET_HEADER, build_webhook_app
from nlu.embedded import EmbeddedBackend
from storage.models import ProcessedUpdate
from tests.conftest import make_settings
from tests.support.processes import GRIDDESK, free_port, read, wait_healthy

SECRET = "delivery-webhook-secret"
PATH = "/telegram/webhook"
RESIDENT = 71_001
TAKEOVER = 3.0


async def post(client: httpx.AsyncClient, url: str, update: dict[str, Any]) -> int:
    response = await client.post(url, content=json.dumps(update), headers={SECRET_HEADER: SECRET})
    return response.status_code


async def test_a_retry_waits_for_a_live_owner_and_takes_over_from_a_dead_one(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> None:
    clock = ManualClock()
    settings = make_settings(
        database_url, tmp_path, webhook_path=PATH, webhook_takeover_seconds=TAKEOVER
    )
    runtime = build_runtime(settings, nlu=embedded_nlu, clock=clock)
    api = LocalBotApi()
    app = build_webhook_app(
        runtime, build_application(runtime, request=LocalBotApiRequest(api)), SECRET
    )
    update = api.command_update(RESIDENT, "/start")
    async with app.router.lifespan_context(app):
        async with runtime.db.transaction() as session:  # another instance claimed it, then died
            session.add(
                ProcessedUpdate(
                    update_id=update["update_id"], state="processing", at=clock.now(), owner="gone"
                )
            )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
            assert await post(client, PATH, update) == 503  # not "done": Telegram retries
            assert api.sent_to(RESIDENT) == []
            clock.advance(timedelta(seconds=TAKEOVER + 1))  # no heartbeat since
            assert await post(client, PATH, update) == 200
            assert len(api.sent_to(RESIDENT)) == 1  # handled by the retry
            assert await post(client, PATH, update) == 200  # a later replay changes nothing
            assert len(api.sent_to(RESIDENT)) == 1


class HangingBotApi(LocalBotApi):
    """Holds the first reply to the resident, so its sender is mid-update when it is killed;
    that request then never reaches "Telegram" (the process died before it was sent)."""

    def __init__(self) -> None:
        super().__init__()
        self.hanging = asyncio.Event()
        self.release = asyncio.Event()

    async def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        to_resident = str(params.get("chat_id")) == str(RESIDENT)
        if method == "sendMessage" and to_resident and not self.hanging.is_set():
            self.hanging.set()
            await self.release.wait()
            return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
        return await super().handle(method, params)


def start(db_url: str, api_port: int, port: int, cache: Path, log: Path) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        PYTHONUNBUFFERED="1",
        GRIDDESK_DATABASE_URL=db_url,
        GRIDDESK_TELEGRAM_TOKEN="123456:delivery-webhook",
        GRIDDESK_TELEGRAM_BASE_URL=f"http://127.0.0.1:{api_port}/bot",
        GRIDDESK_WEBHOOK_SECRET=SECRET,
        GRIDDESK_WEBHOOK_PORT=str(port),
        GRIDDESK_WEBHOOK_PATH=PATH,
        GRIDDESK_WEBHOOK_TAKEOVER_SECONDS=str(TAKEOVER),
        GRIDDESK_CACHE_DIR=str(cache),
        GRIDDESK_LOG_LEVEL="WARNING",
    )
    return subprocess.Popen(
        [GRIDDESK, "run", "--webhook"], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


@pytest.fixture
async def bot_api() -> AsyncIterator[tuple[HangingBotApi, int]]:
    api = HangingBotApi()
    server = await serve_http(api)
    try:
        yield api, server.port
    finally:
        api.release.set()
        await server.close()


async def test_kill_9_mid_update_the_other_process_handles_the_retry(
    database_url: str,
    tmp_path: Path,
    nlu_cache_dir: Path,
    embedded_nlu: EmbeddedBackend,
    bot_api: tuple[HangingBotApi, int],
) -> None:
    api, api_port = bot_api
    runtime = build_runtime(
        make_settings(database_url, tmp_path), nlu=embedded_nlu, clock=SystemClock()
    )
    await prepare_database(runtime)
    await runtime.db.dispose()
    ports, logs = [free_port(), free_port()], [tmp_path / "a.log", tmp_path / "b.log"]
    procs = [
        start(database_url, api_port, port, nlu_cache_dir.parent, log)
        for port, log in zip(ports, logs, strict=True)
    ]
    first, second = (f"http://127.0.0.1:{port}{PATH}" for port in ports)
    update = api.command_update(RESIDENT, "/start")
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            for port, proc, log in zip(ports, procs, logs, strict=True):
                await wait_healthy(client, port, proc, log)
            in_flight = asyncio.create_task(post(client, first, update))
            await asyncio.wait_for(api.hanging.wait(), 30)  # A is mid-update, claim held
            procs[0].send_signal(signal.SIGKILL)
            procs[0].wait(10)
            with pytest.raises(httpx.TransportError):
                await in_flight  # Telegram got no answer from A, so it retries
            api.release.set()

            assert await post(client, second, update) == 503  # A's heartbeat is still fresh
            for _ in range(40):  # Telegram's retries, until the claim is stale
                await asyncio.sleep(0.5)
                status = await post(client, second, update)
                if status == 200:
                    break
                assert status == 503
            assert status == 200, read(logs[1])
            replies = [c for c in api.sent_to(RESIDENT) if c.method == "sendMessage"]
            assert len(replies) == 1  # B's reply; A's never left
            assert await post(client, second, update) == 200
            assert len([c for c in api.sent_to(RESIDENT) if c.method == "sendMessage"]) == 1
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
