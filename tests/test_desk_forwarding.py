"""The supervisor's /desk and 转办 through the bot: an escalated case is listed with its
buttons, forwarded to the department's liaison with the department's own deadline (5 working
days), the liaison's reply is recorded, and the resident hears both, in Chinese; the
supervisor works in English."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from config.loader import SHIPPED_CONFIG_DIR
from nlu.embedded import EmbeddedBackend
from storage.models import Case, CaseEvent
from tests.conftest import make_settings
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import (
    RESIDENT,
    SUPERVISOR,
    WORKER,
    case_row,
    enrol,
    escalated_street_light,
    report_street_light,
)

LIAISON, STRANGER = 6101, 6102


@pytest.fixture
async def bot(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> AsyncIterator[BotHarness]:
    config = tmp_path / "config"
    skip = shutil.ignore_patterns("*.py", "__pycache__")
    shutil.copytree(SHIPPED_CONFIG_DIR, config, ignore=skip)
    (config / "departments.yaml").write_text(
        f"departments:\n  - {{id: urban_management, contact_chat: {LIAISON}, sla: 5wd}}\n",
        encoding="utf-8",
    )
    settings = make_settings(database_url, tmp_path, config_dir=config)
    async with BotHarness.start(settings, nlu=embedded_nlu) as harness:
        yield harness


async def test_desk_lists_escalated_and_forwarding_reaches_the_department(
    bot: BotHarness,
) -> None:
    case = await escalated_street_light(
        bot, "The pole is damaged; needs the city lighting team"
    )

    await bot.send(SUPERVISOR, "/desk")
    texts = bot.texts(SUPERVISOR)[-4:]
    escalated = next(t for t in texts if t.startswith("⬆️ Escalated: 1"))
    assert case.number in escalated and "Public facilities" in escalated
    assert "due Thu 26 Nov, 17:30" in escalated  # 3 working days from Monday 10:00
    assert "🆕 Nobody has these: none" in texts

    await bot.press(SUPERVISOR, "Forward")
    assert f"{case.number} is forwarded to the Urban Management" in bot.last_text(SUPERVISOR)
    stored = await case_row(bot, case.id)
    assert stored.status == "forwarded"
    assert stored.due_at.isoformat() == "2026-11-30T09:30:00+00:00"  # Mon 30 Nov 17:30 local

    await deliver_outbox(bot)
    sent = next(text for text in reversed(bot.texts(LIAISON)) if text)  # then the map pin
    assert "转办" in sent and case.number in sent and "城市管理和综合执法局" in sent
    assert "5个工作日内（11月30日 周一 17:30 前）" in sent
    told = bot.texts(RESIDENT)[-1]
    assert "已转交城市管理和综合执法局办理" in told and "5个工作日内" in told

    # Only the department's chat may answer: a stranger's forged press changes nothing.
    await bot.send(STRANGER, "/help")
    on_screen = int(bot.api.sent_to(STRANGER)[-1].result["message_id"])
    await bot.feed(bot.api.callback_update(STRANGER, on_screen, f"fw:r:{case.id}"))
    assert "不能转办或答复" in bot.last_text(STRANGER)

    await bot.press(LIAISON, "答复")
    assert "请输入对" in bot.last_text(LIAISON)
    await bot.send(LIAISON, "已安排路灯班组，周三前更换灯杆")
    assert "已记录" in bot.last_text(LIAISON)
    await deliver_outbox(bot)
    answer = bot.texts(RESIDENT)[-1]
    assert "城市管理和综合执法局答复了您的问题" in answer and "周三前更换灯杆" in answer
    assert "answered forwarded case" in bot.last_text(SUPERVISOR)
    # The worker who escalated it is waiting on the answer too (told once, in their language).
    told_worker = [t for t in bot.texts(WORKER) if "answered forwarded case" in t]
    assert len(told_worker) == 1 and "周三前更换灯杆" in told_worker[0]
    assert (await case_row(bot, case.id)).status == "resolved"
    async with bot.runtime.db.transaction() as session:
        notes = (await session.execute(select(CaseEvent.note))).scalars().all()
        assert len((await session.execute(select(Case))).scalars().all()) == 1
    assert "forwarded to urban_management" in notes
    assert "department reply: 已安排路灯班组，周三前更换灯杆" in notes

    # The resident confirms as after any resolution.
    await bot.press(RESIDENT, "解决了")
    assert "请评价这次处理" in bot.last_text(RESIDENT)


async def test_desk_is_for_supervisors(bot: BotHarness) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await bot.send(WORKER, "/desk")
    assert "/tasks" in bot.last_text(WORKER)
    await bot.send(RESIDENT, "/desk")
    assert "/tasks" in bot.last_text(RESIDENT)  # the same refusal, in the resident's language


async def test_desk_extends_a_deadline_with_a_reason_and_resolves_with_a_note(
    bot: BotHarness,
) -> None:
    case = await escalated_street_light(bot, "Needs a new pole")
    await bot.send(SUPERVISOR, "/desk")
    await bot.press(SUPERVISOR, "Extend")
    labels = [label for label, _ in bot.api.buttons(bot.api.sent_to(SUPERVISOR)[-1])]
    assert labels == ["+1 working day", "+3 working days", "+5 working days"]
    await bot.press(SUPERVISOR, "+3 working days")
    assert "need 3 more working days" in bot.last_text(SUPERVISOR)
    await bot.send(SUPERVISOR, "The pole has to be ordered")
    # due Thu 26 Nov 17:30, plus 3 working days: Tue 1 Dec 17:30
    assert f"{case.number} is now due Tue 1 Dec, 17:30" in bot.last_text(SUPERVISOR)
    assert (await case_row(bot, case.id)).due_at.isoformat() == "2026-12-01T09:30:00+00:00"
    await deliver_outbox(bot)
    assert "12月1日 周二 17:30" in bot.texts(RESIDENT)[-1]
    assert "The pole has to be ordered" in bot.texts(RESIDENT)[-1]

    await bot.send(SUPERVISOR, "/desk")
    await bot.press(SUPERVISOR, "Resolve")
    await bot.send(SUPERVISOR, "New pole installed by the lighting team")
    assert "marked resolved" in bot.last_text(SUPERVISOR)
    await deliver_outbox(bot)
    assert "New pole installed" in bot.texts(RESIDENT)[-1]
    assert (await case_row(bot, case.id)).status == "resolved"


async def test_an_overdue_ping_carries_the_desk_buttons(bot: BotHarness) -> None:
    from datetime import timedelta

    from services.cases.sla import scan_sla

    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    case = await report_street_light(bot)
    await deliver_outbox(bot)
    await bot.press(WORKER, "Accept")
    bot.clock.set(case.due_at + timedelta(minutes=1))  # type: ignore[attr-defined]
    runtime = bot.runtime
    async with runtime.db.transaction() as session:
        await scan_sla(session, runtime.city, runtime.catalog, bot.clock.now(), timedelta(days=3))
    await deliver_outbox(bot)
    ping = next(c for c in reversed(bot.calls(SUPERVISOR)) if case.number in str(c.params))
    labels = [label for label, _ in bot.api.buttons(ping)]
    assert labels == ["👤 Reassign", "🏛️ Forward", "⏳ Extend", "✅ Resolve"]


async def test_a_supervisor_s_tasks_are_the_desk(bot: BotHarness) -> None:
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    await bot.send(SUPERVISOR, "/tasks")
    texts = bot.texts(SUPERVISOR)
    assert "⬆️ Escalated: none" in texts and "⏰ Overdue: none" in texts
    assert not any("only for" in text for text in texts)
