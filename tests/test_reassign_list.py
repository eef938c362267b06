"""The supervisor's reassign list offers the grid's other workers, not the one who just
escalated the case (unless nobody else is there), and never a worker who cannot be reached."""

from __future__ import annotations

from sqlalchemy import update

from storage.models import User
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import (
    OTHER_WORKER,
    SUPERVISOR,
    WORKER,
    enrol,
    report_street_light,
)


async def _escalated_and_listed(bot: BotHarness) -> list[str]:
    case = await report_street_light(bot)
    await deliver_outbox(bot)
    await bot.press(WORKER, "Escalate")
    await bot.send(WORKER, "Needs the city lighting team")
    await deliver_outbox(bot)
    await bot.press(SUPERVISOR, "Reassign")
    listing = bot.calls(SUPERVISOR)[-1]
    assert case.number in bot.last_text(SUPERVISOR)
    return [label for label, _ in bot.api.buttons(listing)]


async def test_the_escalating_worker_is_left_out_when_another_can_take_it(
    bot: BotHarness,
) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await enrol(bot, OTHER_WORKER, "worker", grid_id="xinji-03")
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    labels = await _escalated_and_listed(bot)
    assert len(labels) == 1 and "Xinji Grid 3" in labels[0], labels


async def test_the_only_worker_is_still_offered(bot: BotHarness) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    labels = await _escalated_and_listed(bot)
    assert len(labels) == 1 and "Xinji Grid 2" in labels[0], labels


async def test_an_unreachable_worker_is_not_offered(bot: BotHarness) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await enrol(bot, OTHER_WORKER, "worker", grid_id="xinji-03")
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    async with bot.runtime.db.transaction() as session:
        await session.execute(
            update(User)
            .where(User.telegram_id == OTHER_WORKER)
            .values(unreachable_at=bot.clock.now())
        )
    labels = await _escalated_and_listed(bot)
    assert len(labels) == 1 and "Xinji Grid 2" in labels[0], labels
