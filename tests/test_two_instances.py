"""Two real `griddesk run --webhook` processes on one PostgreSQL, concurrent residents.

No duplicate case numbers, no notification sent twice, each periodic job tick
run by one instance only.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections import Counter
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from bot.clock import SystemClock
from devtools.local_api import LocalBotApi, serve_http
from devtools.local_api.calls import buttons, reply_buttons
from entrypoints.app import build_runtime, prepare_database
from entrypoints.webhook import SECRET_HEADER
from nlu.embedded import EmbeddedBackend
from services.staff import create_invite, join
from storage.models import Case, JobTick, OutboxMessage
from storage.repositories import UserRepository
from tests.conftest import (
    create_postgres_database,
    drop_postgres_database,
    make_settings,
    postgres_url_or_skip,
)
from tests.support.processes import GRIDDESK, free_port, wait_healthy

pytestmark = pytest.mark.postgres
SECRET = "two-instances-secret"
PATH = "/telegram/webhook"
WORKER = 9_000_001
RESIDENTS = 12  # the worker gets two messages each
# Telegram's 1/s per chat would make the worker's 24 messages take 24 s; the stand-in has no
# flood limit, and what this test proves (each row sent once, by one of two racing
# dispatchers) does not depend on the rate (the limiter has its own tests).
SENDS_PER_CHAT_PER_SECOND = "50"
# The centre of grid xinji-02 (the worker's grid) in the demo city.
XINJI_02 = (23.036, 113.7505)
TEXTS = [
    "路灯坏了，3栋门口黑漆漆的",
    "楼下垃圾桶满了好几天没人清",
    "小区门口的井盖不见了很危险",
    "the street light outside building 3 is broken",
]


def start_instance(
    db_url: str, api_port: int, port: int, cache: Path, log: Path
) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        PYTHONUNBUFFERED="1",
        GRIDDESK_DATABASE_URL=db_url,
        GRIDDESK_TELEGRAM_TOKEN="123456:two-instances",
        GRIDDESK_TELEGRAM_BASE_URL=f"http://127.0.0.1:{api_port}/bot",
        GRIDDESK_WEBHOOK_SECRET=SECRET,
        GRIDDESK_WEBHOOK_PORT=str(port),
        GRIDDESK_WEBHOOK_PATH=PATH,
        GRIDDESK_CACHE_DIR=str(cache),
        GRIDDESK_SLA_SCAN_SECONDS="1",
        GRIDDESK_SEND_PER_CHAT_PER_SECOND=SENDS_PER_CHAT_PER_SECOND,
        GRIDDESK_LOG_LEVEL="WARNING",
    )
    return subprocess.Popen(
        [GRIDDESK, "run", "--webhook"], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )


async def test_two_instances_share_one_postgres(
    tmp_path: Path, nlu_cache_dir: Path, embedded_nlu: EmbeddedBackend
) -> None:
    admin_url = postgres_url_or_skip()
    db_url = await create_postgres_database(admin_url)
    api = LocalBotApi()
    server = await serve_http(api)
    runtime = build_runtime(make_settings(db_url, tmp_path), nlu=embedded_nlu, clock=SystemClock())
    procs: list[subprocess.Popen[bytes]] = []
    try:
        await prepare_database(runtime)
        assert runtime.city.grid_at(*XINJI_02).id == "xinji-02"  # type: ignore[union-attr]
        now = runtime.clock.now()
        async with runtime.db.transaction() as session:
            invite = await create_invite(session, runtime.city, "worker", now, grid_id="xinji-02")
            worker = await UserRepository(session).get_or_create(WORKER, now)
            await join(session, worker, invite.code, now)
        ports = [free_port(), free_port()]
        logs = [tmp_path / "a.log", tmp_path / "b.log"]
        procs = [
            start_instance(db_url, server.port, p, nlu_cache_dir.parent, log)
            for p, log in zip(ports, logs, strict=True)
        ]
        async with httpx.AsyncClient(timeout=30) as client:
            for port, proc, log in zip(ports, procs, logs, strict=True):
                await wait_healthy(client, port, proc, log)
            await asyncio.gather(*(one_resident(client, api, ports, n) for n in range(RESIDENTS)))
            await wait_until_outbox_empty(runtime)
            # A case past its reminder time: both instances scan every second.
            async with runtime.db.transaction() as session:
                case = (await session.execute(select(Case).limit(1))).scalars().one()
                case.remind_at = runtime.clock.now() - timedelta(seconds=1)
            await wait_for_reminder_and_ticks(runtime, api)
            await asyncio.sleep(2.5)  # both instances scan twice more: a second copy would show
            await wait_until_outbox_empty(runtime)
        async with runtime.db.transaction() as session:
            numbers = (await session.execute(select(Case.number))).scalars().all()
            outbox = (await session.execute(select(OutboxMessage))).scalars().all()
            ticks = (
                await session.execute(
                    select(JobTick.instance, func.count())
                    .where(JobTick.job == "sla")
                    .group_by(JobTick.instance)
                )
            ).all()
        assert len(numbers) == RESIDENTS and len(set(numbers)) == RESIDENTS
        assert all(row.status == "sent" for row in outbox)
        delivered = Counter(
            (int(c.params["chat_id"]), str(c.params.get("text") or c.params.get("caption")))
            for c in api.calls
            if c.ok and c.method in ("sendMessage", "sendPhoto")
        )
        for row in outbox:
            assert delivered[(row.chat_id, row.payload["text"])] == 1, row.payload["text"]
        reminders = [t for (chat, t), _ in delivered.items() if chat == WORKER and "⏰" in t]
        assert len(reminders) == 1
        assert sum(n for _, n in ticks) >= 3  # ticks happened, each claimed once (primary key)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        await runtime.db.dispose()
        await server.close()
        await drop_postgres_database(admin_url, db_url)


async def post(client: httpx.AsyncClient, port: int, update: dict[str, object]) -> None:
    response = await client.post(
        f"http://127.0.0.1:{port}{PATH}", json=update, headers={SECRET_HEADER: SECRET}
    )
    assert response.status_code == 200


async def one_resident(
    client: httpx.AsyncClient, api: LocalBotApi, ports: list[int], n: int
) -> None:
    """A full report whose updates alternate between the two instances."""
    user = 8_000_000 + n
    lat, lon = XINJI_02
    await post(client, ports[n % 2], api.text_update(user, TEXTS[n % len(TEXTS)]))
    call = api.sent_to(user)[-1]
    data = next(d for _, d in buttons(call) if d.startswith(("rep:ok:", "rep:type:")))
    await post(
        client, ports[(n + 1) % 2], api.callback_update(user, call.result["message_id"], data)
    )
    await post(client, ports[n % 2], api.location_update(user, lat, lon))
    submit = next(b for b in reply_buttons(api.sent_to(user)[-1]) if "✅" in b.text)
    await post(client, ports[(n + 1) % 2], api.text_update(user, submit.text))
    offer = api.sent_to(user)[-1]
    new = [d for _, d in buttons(offer) if d.startswith("rep:new:")]
    if new:
        await post(
            client, ports[n % 2], api.callback_update(user, offer.result["message_id"], new[0])
        )


async def wait_for_reminder_and_ticks(runtime: object, api: LocalBotApi) -> None:
    """Until the worker got the reminder and the SLA job ticked at least 3 times."""
    from bot.runtime import Runtime

    assert isinstance(runtime, Runtime)
    for _ in range(200):
        async with runtime.db.transaction() as session:
            ticks = (
                await session.execute(select(func.count()).where(JobTick.job == "sla"))
            ).scalar_one()
        reminded = any(
            "⏰" in str(c.params.get("text"))
            for c in api.calls
            if c.ok and str(c.params.get("chat_id")) == str(WORKER)
        )
        if reminded and ticks >= 3:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("no reminder, or the SLA job did not tick")


async def wait_until_outbox_empty(runtime: object) -> None:
    from bot.runtime import Runtime

    assert isinstance(runtime, Runtime)
    for _ in range(300):
        async with runtime.db.transaction() as session:
            waiting = (
                await session.execute(
                    select(func.count(OutboxMessage.id)).where(
                        OutboxMessage.status.in_(["pending", "sending"])
                    )
                )
            ).scalar_one()
        if waiting == 0:
            return
        await asyncio.sleep(0.2)
    raise AssertionError("outbox never drained")
