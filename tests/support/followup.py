"""Trial 10 (items 3-4): a resident's cases worked on by the grid worker of xinji-02, through
the real Application. Cases are filed in Chinese (the type confirmed with 对); the resident
then writes in either language."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import Case, CaseEvent, ConversationState
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import RESIDENT, WORKER, centre_of, enrol

LIGHT = "路灯坏了，3栋门口黑漆漆的"
GARBAGE = "翠湖苑3栋门口的垃圾好几天没人收了"


async def file_case(bot: BotHarness, text: str, resident: int = RESIDENT) -> None:
    await bot.send(resident, text, language_code="zh-hans")
    await bot.press(resident, "对")
    await bot.share_location(resident, *centre_of(bot, "xinji-02"))
    await bot.press_keyboard(resident, "提交")
    await deliver_outbox(bot)


async def cases_worked_on(bot: BotHarness, texts: list[str], *, resolved: bool) -> None:
    """The worker enrolled; each of `texts` filed by the resident (GD-…-000001 onwards), and
    with `resolved`, accepted and resolved with a note (the "fixed?" delivered)."""
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    for number, text in enumerate(texts, start=1):
        await file_case(bot, text)
        if resolved:
            await bot.send(WORKER, f"接单 {number}")
            await bot.send(WORKER, f"办结 {number} 已处理好")
    await deliver_outbox(bot)
    async with bot.runtime.db.transaction() as session:
        count = await session.scalar(select(func.count(Case.id)))
    assert count == len(texts)


async def statuses(bot: BotHarness) -> dict[int, str]:
    async with bot.runtime.db.transaction() as session:
        return {c.id: c.status for c in (await session.scalars(select(Case))).all()}


async def case_notes(bot: BotHarness, case_id: int) -> list[str]:
    async with bot.runtime.db.transaction() as session:
        found = await session.scalars(
            select(CaseEvent.note).where(CaseEvent.case_id == case_id, CaseEvent.note.is_not(None))
        )
        return [str(n) for n in found]


async def open_conversations(bot: BotHarness, telegram_id: int) -> set[str]:
    async with bot.runtime.db.transaction() as session:
        found = await session.scalars(
            select(ConversationState.conversation).where(
                ConversationState.telegram_id == telegram_id
            )
        )
        return set(found) - {"buttons"}
