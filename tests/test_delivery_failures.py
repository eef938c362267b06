"""Issue 14 item 10: failures are visible. `griddesk outbox failed` lists rows that failed for
good with their reasons; a staff-bound message that fails for good alerts the community
supervisor (a resident-bound one does not page anyone); old processed_updates and job_ticks are
pruned. Through the production dispatcher, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from config.loader import SHIPPED_CONFIG_DIR
from entrypoints.cli import app as griddesk
from entrypoints.scheduler import run_bookkeeping_prune
from nlu.embedded import EmbeddedBackend
from storage.models import JobTick, ProcessedUpdate
from tests.delivery_helpers import drain, file_case, harness, outbox_rows, staff
from tests.harness import BotHarness

RESIDENT, WORKER, SUPERVISOR = 121_001, 122_001, 123_001
REFUSED = "Bad Request: chat not found"


@pytest.fixture
async def bot(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> AsyncIterator[BotHarness]:
    async for harnessed in harness(database_url, tmp_path, embedded_nlu):
        await staff(harnessed, WORKER, "worker", grid_id="xinji-02")
        await staff(harnessed, SUPERVISOR, "supervisor", community_id="xinji")
        yield harnessed


def failed_listing(database_url: str) -> str:
    result = CliRunner().invoke(
        griddesk,
        ["outbox", "failed"],
        env={
            "GRIDDESK_DATABASE_URL": database_url,
            "GRIDDESK_CONFIG_DIR": str(SHIPPED_CONFIG_DIR),
            "GRIDDESK_LOG_LEVEL": "WARNING",
            "COLUMNS": "250",
        },
    )
    assert result.exit_code == 0, result.output
    return result.output


async def test_a_staff_ping_refused_for_good_alerts_the_supervisor_and_is_listed(
    bot: BotHarness, database_url: str
) -> None:
    assert "No failed messages" in await asyncio.to_thread(failed_listing, database_url)
    bot.api.fail_next("sendMessage", 400, REFUSED)  # the first send: the worker's ping
    filed = await file_case(bot, RESIDENT, "路灯坏了")
    result = await drain(bot)
    assert result.failed == 1
    alert = bot.last_text(SUPERVISOR)
    assert filed.number in alert and "chat not found" in alert.lower() and "无法送达" in alert
    failed = [row for row in await outbox_rows(bot) if row.status == "failed"]
    assert [(row.chat_id, row.kind) for row in failed] == [(WORKER, "assignment")]

    listing = await asyncio.to_thread(failed_listing, database_url)
    assert "chat not found" in listing.lower() and filed.number in listing
    assert "worker" in listing and str(WORKER) not in listing  # the chat id is masked


async def test_a_residents_failure_is_listed_but_pages_nobody(
    bot: BotHarness, database_url: str
) -> None:
    await file_case(bot, RESIDENT, "路灯坏了")
    bot.api.block(RESIDENT)  # Telegram refuses for good: 403
    result = await drain(bot)
    assert (result.blocked, result.sent) == (1, 1)  # the worker's ping went
    assert not any("无法送达" in t or "屏蔽" in t for t in bot.texts(SUPERVISOR))
    failed = [row for row in await outbox_rows(bot) if row.status == "failed"]
    assert [(row.chat_id, row.error) for row in failed] == [(RESIDENT, "blocked")]
    listing = await asyncio.to_thread(failed_listing, database_url)
    assert "blocked" in listing and "resident" in listing


async def test_old_bookkeeping_is_pruned_and_recent_kept(bot: BotHarness) -> None:
    now = bot.clock.now()
    settings = bot.runtime.settings
    old_update = now - timedelta(days=settings.processed_updates_keep_days + 1)
    old_tick = now - timedelta(days=settings.job_ticks_keep_days + 1)
    async with bot.runtime.db.transaction() as session:
        session.add_all(
            [
                ProcessedUpdate(update_id=1, state="done", at=old_update),
                ProcessedUpdate(update_id=2, state="done", at=now),
                ProcessedUpdate(update_id=3, state="processing", at=old_update, owner="gone"),
                ProcessedUpdate(update_id=4, state="processing", at=now, owner="alive"),
                JobTick(job="sla", tick=1, instance="a", at=old_tick),
                JobTick(job="sla", tick=2, instance="a", at=now),
            ]
        )
    await run_bookkeeping_prune(bot.runtime)
    async with bot.runtime.db.transaction() as session:
        updates = set((await session.scalars(select(ProcessedUpdate.update_id))).all())
        ticks = set((await session.scalars(select(JobTick.tick))).all())
    assert updates == {2, 4}
    assert ticks == {2}
