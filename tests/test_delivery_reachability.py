"""Issue 14 item 2: a blocked chat is its own fact, apart from staff enablement, cleared by the
user's next message; an unreachable worker's new cases go to the community supervisor, told why.
Through the production dispatcher (its blocked-user hook), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from nlu.embedded import EmbeddedBackend
from services.cases.actions import CaseDesk
from tests.delivery_helpers import case_by_number, drain, file_case, harness, staff, user_row
from tests.harness import BotHarness

WORKER, SUPERVISOR, RESIDENT = 62_001, 63_001, 61_001


@pytest.fixture
async def bot(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> AsyncIterator[BotHarness]:
    async for harnessed in harness(database_url, tmp_path, embedded_nlu):
        yield harnessed


async def test_blocked_worker_stays_staff_and_the_supervisor_takes_over_until_they_write(
    bot: BotHarness,
) -> None:
    await staff(bot, WORKER, "worker", grid_id="xinji-02")
    await staff(bot, SUPERVISOR, "supervisor", community_id="xinji")
    bot.api.block(WORKER)
    first = await file_case(bot, RESIDENT, "路灯坏了")
    result = await drain(bot)
    assert result.blocked == 1
    worker = await user_row(bot, WORKER)
    assert (worker.role, worker.active) == ("worker", True)  # still staff
    assert worker.unreachable_at is not None
    alert = bot.last_text(SUPERVISOR)
    assert first.number in alert and "屏蔽" in alert  # told, with the case to reassign

    second = await file_case(bot, RESIDENT, "垃圾桶满了")
    await drain(bot)
    assert second.assignee_telegram_id is None
    assert (await case_by_number(bot, second.number)).status == "new"
    ping = bot.last_text(SUPERVISOR)
    assert second.number in ping and "联系不到" in ping  # why it came to the supervisor

    bot.api.unblock(WORKER)
    await bot.send(WORKER, "/tasks")  # any message from them clears the fact
    assert (await user_row(bot, WORKER)).unreachable_at is None
    third = await file_case(bot, RESIDENT, "井盖不见了")
    await drain(bot)
    assert third.assignee_telegram_id == WORKER
    assert any(third.number in text for text in bot.texts(WORKER))


async def test_a_resident_who_blocked_once_hears_again_after_writing(bot: BotHarness) -> None:
    await staff(bot, WORKER, "worker", grid_id="xinji-02")
    filed = await file_case(bot, RESIDENT, "路灯坏了")
    bot.api.block(RESIDENT)
    assert (await drain(bot)).blocked == 1
    assert (await user_row(bot, RESIDENT)).unreachable_at is not None

    bot.api.unblock(RESIDENT)
    await bot.send(RESIDENT, "/mycases")
    resident = await user_row(bot, RESIDENT)
    assert resident.unreachable_at is None and resident.active
    case = await case_by_number(bot, filed.number)
    worker = await user_row(bot, WORKER)
    async with bot.runtime.db.transaction() as session:
        desk = CaseDesk(session, bot.runtime.city, bot.runtime.catalog, bot.clock.now())
        await desk.accept(worker, case.id)
    assert (await drain(bot)).sent >= 1
    assert filed.number in bot.last_text(RESIDENT)
