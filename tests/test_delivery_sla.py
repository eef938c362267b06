"""Issue 14 item 7: the SLA is a clock, not one-shot flags.

The accept-SLA is enforced (a reminder to the worker, then the supervisor); reopening sets a new
due time and re-arms the reminders; a reminder never arrives after the due time it warns about,
neither from a late scan nor from a late outbox. Through the production SLA job and dispatcher.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.outbox.send import EXPIRED
from entrypoints.scheduler import run_sla_scan
from nlu.embedded import EmbeddedBackend
from services.cases.actions import CaseDesk
from storage.models import Case
from tests.delivery_helpers import (
    case_by_number,
    drain,
    file_case,
    harness,
    outbox_rows,
    staff,
    user_row,
)
from tests.harness import BotHarness

RESIDENT, WORKER, SUPERVISOR = 91_001, 92_001, 93_001
SECOND = timedelta(seconds=1)


@pytest.fixture
async def bot(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> AsyncIterator[BotHarness]:
    async for harnessed in harness(database_url, tmp_path, embedded_nlu):
        await staff(harnessed, WORKER, "worker", grid_id="xinji-02")
        await staff(harnessed, SUPERVISOR, "supervisor", community_id="xinji")
        yield harnessed


async def tick_at(bot: BotHarness, moment: datetime) -> list[str]:
    """Move the clock, run the SLA job and send what it queued; the new texts per chat."""
    before = {chat: len(bot.texts(chat)) for chat in (WORKER, SUPERVISOR)}
    bot.clock.set(moment)
    await run_sla_scan(bot.runtime)
    await drain(bot)
    return [t for chat in (WORKER, SUPERVISOR) for t in bot.texts(chat)[before[chat] :]]


def about(texts: list[str], case: Case, mark: str) -> int:
    return sum(1 for t in texts if case.number in t and mark in t)


async def test_accept_sla_reminds_the_worker_then_tells_the_supervisor_once(
    bot: BotHarness,
) -> None:
    filed = await file_case(bot, RESIDENT, "路灯坏了")
    await drain(bot)
    case = await case_by_number(bot, filed.number)
    assert case.accept_remind_at is not None
    assert case.accept_remind_at < case.accept_due_at

    reminded = await tick_at(bot, case.accept_remind_at + SECOND)
    assert about(reminded, case, "请在") == 1  # to the worker: accept by ...
    late = await tick_at(bot, case.accept_due_at + SECOND)
    assert about(late, case, "受理超时") == 1  # to the supervisor
    assert await tick_at(bot, case.accept_due_at + 10 * SECOND) == []  # once each


async def test_an_accepted_case_is_not_reported_late_for_acceptance(bot: BotHarness) -> None:
    filed = await file_case(bot, RESIDENT, "路灯坏了")
    case = await case_by_number(bot, filed.number)
    worker = await user_row(bot, WORKER)
    async with bot.runtime.db.transaction() as session:
        await CaseDesk(session, bot.runtime.city, bot.runtime.catalog, bot.clock.now()).accept(
            worker, case.id
        )
    texts = await tick_at(bot, case.accept_due_at + SECOND)
    assert about(texts, case, "受理超时") == 0


async def test_reopening_sets_a_new_due_time_and_rearms_the_reminders(bot: BotHarness) -> None:
    filed = await file_case(bot, RESIDENT, "路灯坏了")
    case = await case_by_number(bot, filed.number)
    worker = await user_row(bot, WORKER)
    assert case.remind_at is not None
    assert about(await tick_at(bot, case.remind_at + SECOND), case, "快到期") == 1
    assert about(await tick_at(bot, case.due_at + SECOND), case, "超期") == 1
    async with bot.runtime.db.transaction() as session:
        desk = CaseDesk(session, bot.runtime.city, bot.runtime.catalog, bot.clock.now())
        await desk.accept(worker, case.id)
        await desk.resolve(worker, case.id, "换了灯泡")
    await drain(bot)
    await bot.press(RESIDENT, "没解决")

    reopened = await case_by_number(bot, filed.number)
    assert reopened.status == "reopened"
    assert reopened.due_at > bot.clock.now()  # a new due time, not the old past one
    assert reopened.sla_reminded_at is None and reopened.sla_escalated_at is None
    assert reopened.remind_at is not None
    assert about(await tick_at(bot, reopened.remind_at + SECOND), case, "快到期") == 1
    assert about(await tick_at(bot, reopened.due_at + SECOND), case, "超期") == 1


async def test_no_due_soon_reminder_after_the_due_time(bot: BotHarness) -> None:
    filed = await file_case(bot, RESIDENT, "路灯坏了")
    case = await case_by_number(bot, filed.number)
    # The scan did not run between the reminder time and the due time (downtime).
    texts = await tick_at(bot, case.due_at + SECOND)
    assert about(texts, case, "快到期") == 0
    assert about(texts, case, "超期") == 1


async def test_a_reminder_the_outbox_could_only_deliver_late_is_dropped(bot: BotHarness) -> None:
    filed = await file_case(bot, RESIDENT, "路灯坏了")
    await drain(bot)
    case = await case_by_number(bot, filed.number)
    assert case.remind_at is not None
    bot.clock.set(case.remind_at + SECOND)
    await run_sla_scan(bot.runtime)  # queued, but the outbox is stalled until after the due
    bot.clock.set(case.due_at + SECOND)
    before = len(bot.texts(WORKER)), len(bot.texts(SUPERVISOR))
    await drain(bot)
    assert not any("快到期" in t for t in bot.texts(WORKER)[before[0] :])
    expired = [row for row in await outbox_rows(bot) if row.error == EXPIRED]
    assert [(row.kind, row.status) for row in expired] == [("sla", "failed")]
    # A moot reminder is no delivery failure: no alert to the supervisor about it.
    assert not any("无法送达" in t for t in bot.texts(SUPERVISOR)[before[1] :])
