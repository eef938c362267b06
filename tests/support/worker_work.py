"""Trial 9 (items 7-8): a grid worker with an urgent case and an ordinary one assigned, through
the real Application. The urgent case is GD-2026-000001, the ordinary one GD-2026-000002;
with `other`, another worker's case in another grid is GD-2026-000003."""

from __future__ import annotations

from sqlalchemy import select

from services.cases.drafts import BUTTON_MEMORY
from storage.models import Case, CaseEvent, ConversationState
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import OTHER_WORKER, RESIDENT, WORKER, centre_of, enrol

NEIGHBOUR, THIRD = RESIDENT + 5, RESIDENT + 6
URGENT = "翠湖苑停车场有个小孩被锁在车里，太阳底下很热，孩子在哭"
ORDINARY = "翠湖苑3栋门口的垃圾好几天没人收了"
CODE = {"zh": "zh-hans", "en": "en"}


async def _file(bot: BotHarness, resident: int, text: str, grid_id: str) -> None:
    await bot.send(resident, text, language_code="zh-hans")
    await bot.press(resident, "对")
    await bot.share_location(resident, *centre_of(bot, grid_id))
    await bot.press_keyboard(resident, "提交")


async def worker_with_cases(
    bot: BotHarness, lang: str, *, ordinary: bool = True, other: bool = False
) -> None:
    """The worker (speaking `lang`) of xinji-02 pinged about the urgent case, then (unless
    not `ordinary`) an ordinary one; `other`: a case of another worker in xinji-03."""
    await enrol(bot, WORKER, "worker", lang=lang, grid_id="xinji-02")
    await bot.send(NEIGHBOUR, URGENT, language_code="zh-hans")
    if ordinary:
        await _file(bot, RESIDENT, ORDINARY, "xinji-02")
    if other:
        await enrol(bot, OTHER_WORKER, "worker", grid_id="xinji-03")
        await _file(bot, THIRD, "新基小学门口的路灯坏了，晚上黑漆漆的", "xinji-03")
    await deliver_outbox(bot)
    statuses = await case_statuses(bot)
    assert statuses[1] == "assigned", statuses
    async with bot.runtime.db.transaction() as session:
        urgent = await session.get(Case, 1)
        assert urgent is not None and urgent.priority == "urgent"


async def case_statuses(bot: BotHarness) -> dict[int, str]:
    async with bot.runtime.db.transaction() as session:
        return {c.id: c.status for c in (await session.scalars(select(Case))).all()}


async def notes(bot: BotHarness) -> dict[int, list[str]]:
    """Same-status notes by case id (what the worker recorded)."""
    async with bot.runtime.db.transaction() as session:
        events = (
            await session.scalars(
                select(CaseEvent).where(CaseEvent.from_status == CaseEvent.to_status)
            )
        ).all()
    found: dict[int, list[str]] = {}
    for event in events:
        found.setdefault(event.case_id, []).append(event.note or "")
    return found


async def open_steps(bot: BotHarness, telegram_id: int) -> set[str]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.scalars(
            select(ConversationState.conversation).where(
                ConversationState.telegram_id == telegram_id
            )
        )
        return set(rows) - {BUTTON_MEMORY}
