"""A resident's report and the staff around it, through the real Application (tests.harness)."""

from __future__ import annotations

from sqlalchemy import select

from services.staff import create_invite
from storage.models import Case
from tests.harness import BotHarness, deliver_outbox


def centre_of(bot: BotHarness, grid_id: str) -> tuple[float, float]:
    return bot.runtime.city.grids[grid_id].centre()


RESIDENT, WORKER, OTHER_WORKER, SUPERVISOR = 1001, 2001, 2002, 3001


async def enrol(
    bot: BotHarness, user_id: int, role: str, *, lang: str = "en", **scope: str
) -> None:
    """Staff joined by typing `/join CODE`, their Telegram speaking `lang` ("zh" or "en")."""
    async with bot.runtime.db.transaction() as session:
        made = await create_invite(session, bot.runtime.city, role, bot.clock.now(), **scope)
    code = "zh-hans" if lang == "zh" else "en"
    await bot.send(user_id, f"/join {made.code}", language_code=code)
    assert ("欢迎" if lang == "zh" else "Welcome") in bot.last_text(user_id)


async def report_street_light(bot: BotHarness, grid_id: str = "xinji-02") -> Case:
    await bot.send(RESIDENT, "路灯坏了，3栋门口黑漆漆的")
    await bot.press(RESIDENT, "对")
    await bot.share_location(RESIDENT, *centre_of(bot, grid_id))
    await bot.press_keyboard(RESIDENT, "提交")
    async with bot.runtime.db.transaction() as session:
        return (await session.execute(select(Case).order_by(Case.id.desc()))).scalars().first()  # type: ignore[return-value]


async def case_row(bot: BotHarness, case_id: int) -> Case:
    async with bot.runtime.db.transaction() as session:
        case = await session.get(Case, case_id)
        assert case is not None
        return case


async def escalated_street_light(bot: BotHarness, reason: str = "The pole is damaged") -> Case:
    """A grid worker and the community's supervisor enrolled; the resident's street light
    filed, escalated by the worker with `reason`, and every ping delivered."""
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    case = await report_street_light(bot)
    await deliver_outbox(bot)
    await bot.press(WORKER, "Escalate")
    await bot.send(WORKER, reason)
    await deliver_outbox(bot)
    return case
