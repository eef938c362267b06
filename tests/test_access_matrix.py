"""Every staff command and button against every role and scope: allowed or refused as designed.

Ids in button data are never trusted: each press is replayed by every role in their own chat.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.cases.drafts import ReportDraft
from services.cases.filing import file_report
from storage.models import Case
from storage.repositories import UserRepository
from tests.harness import BotHarness
from tests.support.cases import enrol

ROLES = {
    # name: (telegram id, invite role, scope)
    "worker": (7101, "worker", {"grid_id": "xinji-02"}),
    "other_worker": (7102, "worker", {"grid_id": "hongmian-01"}),
    "supervisor": (7201, "supervisor", {"community_id": "xinji"}),
    "far_supervisor": (7202, "supervisor", {"community_id": "hongmian"}),
    "city_supervisor": (7203, "supervisor", {}),
    "resident": (7301, None, {}),  # the reporter
    "other_resident": (7302, None, {}),
}
WORKERS = {"worker", "other_worker"}
SUPERVISORS = {"supervisor", "far_supervisor", "city_supervisor"}
IN_SCOPE_STAFF = {"worker", "supervisor", "city_supervisor"}

# (button template, the case state it is pressed in, who may press it)
BUTTONS = [
    ("wk:acc:{id}", "assigned", IN_SCOPE_STAFF),
    ("wk:nmg:{id}", "assigned", IN_SCOPE_STAFF),
    ("wk:esc:{id}", "assigned", IN_SCOPE_STAFF),
    ("wk:start:{id}", "accepted", IN_SCOPE_STAFF),
    ("wk:res:{id}", "accepted", IN_SCOPE_STAFF),
    ("wk:back:{id}", "accepted", IN_SCOPE_STAFF),
    ("sv:pick:{id}", "assigned", {"supervisor", "city_supervisor"}),
    ("sv:to:{id}:{worker}", "escalated", {"supervisor", "city_supervisor"}),
    ("fu:fixed:{id}", "resolved", {"resident"}),
    ("fu:notfixed:{id}", "resolved", {"resident"}),
]
# A supervisor's /tasks is their /desk (handlers.desk).
COMMANDS = [("/tasks", WORKERS | SUPERVISORS), ("/overdue", SUPERVISORS)]
REFUSED_MARKS = (
    "not for you",
    "只有负责这个案件的人",
    "old message",
    "旧消息",
    "网格员和主管",
    "grid workers and supervisors",
)


async def staffed(bot: BotHarness) -> None:
    for _, (tg_id, role, scope) in ROLES.items():
        if role is not None:
            await enrol(bot, tg_id, role, **scope)


async def case_in_state(bot: BotHarness, state: str) -> Case:
    """A case filed for the resident (the report flow itself is tested elsewhere)."""
    runtime = bot.runtime
    async with runtime.db.transaction() as session:
        resident = await UserRepository(session).get_or_create(
            ROLES["resident"][0], runtime.clock.now()
        )
        draft = ReportDraft(
            text="路灯坏了", language="en", case_type="public_facility", grid_id="xinji-02"
        )
        filed = await file_report(
            session, draft, resident, runtime.city, runtime.catalog, runtime.clock.now()
        )
        case = (await session.execute(select(Case).where(Case.number == filed.number))).scalar_one()
        assert case.status == "assigned"
        case.status = state  # put the case where the button makes sense
        if state == "escalated":
            case.assignee_id = None
    return case


async def status_of(bot: BotHarness, case_id: int) -> str:
    async with bot.runtime.db.transaction() as session:
        case = await session.get(Case, case_id)
        assert case is not None
        return case.status


@pytest.mark.parametrize(
    ("template", "state", "allowed"), BUTTONS, ids=[b[0].split(":{")[0] for b in BUTTONS]
)
async def test_button_matrix(bot: BotHarness, template: str, state: str, allowed: set[str]) -> None:
    await staffed(bot)
    for role, (tg_id, _, _) in ROLES.items():
        case = await case_in_state(bot, state)
        async with bot.runtime.db.transaction() as session:
            worker = await session.execute(select(Case.assignee_id).where(Case.id == case.id))
        worker_user_id = worker.scalar_one() or 1
        data = template.format(id=case.id, worker=worker_user_id)
        await bot.send(tg_id, "/help", language_code="en")  # a message of their own to press on
        anchor = bot.calls(tg_id)[-1]
        await bot.feed(bot.api.callback_update(tg_id, int(anchor.result["message_id"]), data))
        reply = bot.last_text(tg_id)
        refused = any(mark in reply for mark in REFUSED_MARKS)
        changed = await status_of(bot, case.id) != state
        prompted = not refused  # asked for a note/reason or shown workers: allowed
        if role in allowed:
            assert prompted, (role, data, reply)
        else:
            assert refused and not changed, (role, data, reply)


@pytest.mark.parametrize(("command", "allowed"), COMMANDS, ids=[c[0] for c in COMMANDS])
async def test_command_matrix(bot: BotHarness, command: str, allowed: set[str]) -> None:
    await staffed(bot)
    for role, (tg_id, _, _) in ROLES.items():
        await bot.send(tg_id, command, language_code="en")
        reply = bot.last_text(tg_id)
        refused = "grid workers and supervisors" in reply
        assert refused == (role not in allowed), (role, command, reply)
