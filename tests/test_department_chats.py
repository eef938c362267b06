"""Connecting a department for 转办 without chat ids in config: `griddesk invite --role
department` makes a code, `/join CODE` from the department's group binds that group; a
forward before that names the department and sends nothing; after it, the case goes to the
group and a member's reply (a reply to the bot's message) is recorded. The supervisor works
in English, the group in Chinese; `griddesk departments` lists who has a chat."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import select
from typer.testing import CliRunner

from entrypoints.cli_departments import departments_command
from services.staff import InviteError, create_invite
from storage.db import Database
from storage.migrate import upgrade
from storage.models import CaseEvent, DepartmentChat, OutboxMessage
from storage.sync import sync_city
from tests.harness import BotHarness, deliver_outbox
from tests.support.admin import CITY, cli_env
from tests.support.cases import SUPERVISOR, WORKER, case_row, enrol, report_street_light

GROUP, LIAISON = -1001234567890, 6301


def in_group(update: dict[str, Any]) -> dict[str, Any]:
    """The same message, sent in the department's group instead of a private chat."""
    update["message"]["chat"] = {"id": GROUP, "type": "supergroup", "title": "城管局转办群"}
    return update


async def department_code(bot: BotHarness, department: str = "urban_management") -> str:
    async with bot.runtime.db.transaction() as session:
        made = await create_invite(
            session, bot.runtime.city, "department", bot.clock.now(), department_id=department
        )
    return made.code


async def test_forward_waits_for_a_bound_group_then_goes_there(bot: BotHarness) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    case = await report_street_light(bot)
    await deliver_outbox(bot)
    await bot.press(WORKER, "Escalate")
    await bot.send(WORKER, "Needs the city lighting team")
    await deliver_outbox(bot)

    # No contact chat yet: the supervisor is told which department and how to connect it.
    await bot.send(SUPERVISOR, "/desk")
    await bot.press(SUPERVISOR, "Forward")
    refused = bot.last_text(SUPERVISOR)
    assert "Not forwarded" in refused and "Urban Management" in refused
    assert "griddesk invite --role department --department urban_management" in refused
    assert (await case_row(bot, case.id)).status == "escalated"
    async with bot.runtime.db.transaction() as session:
        kinds = (await session.execute(select(OutboxMessage.kind))).scalars().all()
    assert "forward" not in kinds

    # A staff code is refused in a group (and stays usable); the department's code binds it.
    async with bot.runtime.db.transaction() as session:
        staff = await create_invite(session, bot.runtime.city, "worker", bot.clock.now(),
                                    grid_id="xinji-01")  # fmt: skip
    await bot.feed(in_group(bot.api.command_update(LIAISON, f"/join {staff.code}")))
    assert "只能在和机器人的私聊里使用" in bot.api.last_text(GROUP)
    code = await department_code(bot)
    await bot.feed(in_group(bot.api.command_update(LIAISON, f"/join@griddesk_bot {code}")))
    assert "本群已设为城市管理和综合执法局的转办联系群" in bot.api.last_text(GROUP)
    async with bot.runtime.db.transaction() as session:
        bound = await session.get(DepartmentChat, "urban_management")
        assert bound is not None and (bound.chat_id, bound.chat_kind) == (GROUP, "group")

    await bot.press(SUPERVISOR, "Forward")
    assert "is forwarded to the Urban Management" in bot.last_text(SUPERVISOR)
    assert (await case_row(bot, case.id)).status == "forwarded"
    await deliver_outbox(bot)
    sent = next(t for t in reversed(bot.texts(GROUP)) if "转办" in t)
    assert case.number in sent and "5个工作日内" in sent  # the default deadline

    # A member of the group presses Reply and answers by replying to the bot's message.
    on_screen = next(c for c in reversed(bot.api.sent_to(GROUP)) if any(bot.api.buttons(c)))
    member = {"id": LIAISON, "is_bot": False, "first_name": "小李", "language_code": "zh-hans"}
    press = {
        "id": "9000000000000000001",
        "from": member,
        "message": dict(on_screen.result),  # the bot's message in the group
        "chat_instance": str(GROUP),
        "data": f"fw:r:{case.id}",
    }
    await bot.feed({"update_id": 900_000_001, "callback_query": press})
    assert "请「回复」这条消息" in bot.api.last_text(GROUP)
    # Other talk in the group is not the answer (the bot may see every message there).
    said = len(bot.api.sent_to(GROUP))
    await bot.feed(in_group(bot.api.text_update(LIAISON, "谁去看一下？")))
    assert (await case_row(bot, case.id)).status == "forwarded"
    assert bot.api.sent_to(GROUP)[said:] == []  # and the bot does not chime in
    asked = next(c for c in reversed(bot.api.sent_to(GROUP)) if "回复" in str(c.params))
    answer = in_group(bot.api.text_update(LIAISON, "已安排路灯班组，周三前更换"))
    answer["message"]["reply_to_message"] = dict(asked.result)  # Telegram's reply
    await bot.feed(answer)
    assert "已记录" in bot.api.last_text(GROUP)
    assert (await case_row(bot, case.id)).status == "resolved"
    async with bot.runtime.db.transaction() as session:
        notes = (await session.execute(select(CaseEvent.note))).scalars().all()
    assert "department reply: 已安排路灯班组，周三前更换" in notes


async def test_department_codes_name_a_known_department(bot: BotHarness) -> None:
    try:
        await department_code(bot, "no_such_bureau")
    except InviteError as refused:
        assert "urban_management" in str(refused)  # the valid ids are listed
    else:
        raise AssertionError("an unknown department was accepted")


def test_departments_command_lists_who_has_a_chat(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'griddesk.sqlite3'}"

    async def seed() -> None:
        db = Database(url)
        try:
            await upgrade(db)
            async with db.transaction() as session:
                await sync_city(session, CITY)
            async with db.transaction() as session:
                from datetime import UTC, datetime

                bound_at = datetime(2026, 11, 23, 2, tzinfo=UTC)
                session.add(DepartmentChat(department_id="urban_management", chat_id=GROUP,
                                           chat_kind="group", bound_at=bound_at))  # fmt: skip
        finally:
            await db.dispose()

    asyncio.run(seed())
    result = CliRunner().invoke(_app(), [], env=cli_env(url))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    urban = next(line for line in lines if "urban_management" in line)
    assert "group ****7890 (bound)" in urban and "2026-11-23 10:00" in urban
    assert "5wd" in urban
    others = [line for line in lines if "│ none" in line or "none " in line]
    assert others, result.stdout
    assert "without a contact chat" in result.stdout
    assert "griddesk invite --role department --department" in result.stdout


def _app() -> Any:
    import typer

    app = typer.Typer()
    app.command()(departments_command)
    return app
