"""Staff give a name (`/name`, suggested when they join); reassign lists and `staff list`
show it."""

from __future__ import annotations

from sqlalchemy import select

from services.staff import create_invite
from storage.models import User
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import SUPERVISOR, WORKER, report_street_light

SECOND_WORKER = 2003


async def join(bot: BotHarness, user_id: int, role: str, name: str, lang: str, **scope: str) -> str:
    async with bot.runtime.db.transaction() as session:
        made = await create_invite(session, bot.runtime.city, role, bot.clock.now(), **scope)
    await bot.send(user_id, f"/join {made.code}", language_code=lang)
    welcome = bot.last_text(user_id)
    await bot.send(user_id, f"/name {name}", language_code=lang)
    return welcome + "\n" + bot.last_text(user_id)


async def test_names_appear_in_the_reassign_list(bot: BotHarness) -> None:
    said = await join(bot, WORKER, "worker", "王芳", "zh", grid_id="xinji-02")
    assert "/name 王芳" in said and "好的，王芳" in said
    said = await join(bot, SECOND_WORKER, "worker", "Li Lei", "en", grid_id="xinji-02")
    assert "Send /name with your name" in said and "Thanks, Li Lei" in said
    await join(bot, SUPERVISOR, "supervisor", "Zhao Min", "en", community_id="xinji")
    async with bot.runtime.db.transaction() as session:
        names = dict((await session.execute(select(User.telegram_id, User.display_name))).all())
    assert names[WORKER] == "王芳" and names[SUPERVISOR] == "Zhao Min"

    case = await report_street_light(bot)
    await deliver_outbox(bot)
    assignee = WORKER if any(case.number in t for t in bot.texts(WORKER)) else SECOND_WORKER
    await bot.press(assignee, "Escalate" if assignee == SECOND_WORKER else "上报")
    await bot.send(assignee, "needs a new pole")
    await deliver_outbox(bot)
    await bot.press(SUPERVISOR, "Reassign")
    labels = [label for label, _ in bot.api.buttons(bot.api.sent_to(SUPERVISOR)[-1])]
    # By name, and not back to the worker who just escalated it (issue 16).
    other = "王芳 (Xinji Grid 2)" if assignee == SECOND_WORKER else "Li Lei (Xinji Grid 2)"
    assert labels == [other]


async def test_a_resident_cannot_take_a_staff_name(bot: BotHarness) -> None:
    await bot.send(4444, "/name 网格长", language_code="zh")
    assert "网格员和督办员" in bot.last_text(4444)
    async with bot.runtime.db.transaction() as session:
        names = (await session.execute(select(User.display_name))).scalars().all()
    assert names == [None]
