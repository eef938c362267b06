"""A call-out with a roster of three and two volunteers waiting (five volunteers signed up)."""

from __future__ import annotations

from storage.volunteers import CallOut
from tests.harness import BotHarness, deliver_outbox
from tests.volunteer_helpers import (
    create_by_wizard,
    enrol_coordinator,
    register,
)

COORDINATOR = 6001


V1, V2, V3, V4, V5 = range(6101, 6106)


async def five_volunteers_and_a_callout_for_three(bot: BotHarness) -> CallOut:
    await enrol_coordinator(bot, COORDINATOR)
    for volunteer in (V1, V2, V3, V4, V5):
        await register(bot, volunteer)
    callout = await create_by_wizard(bot, COORDINATOR, needed="3")
    await deliver_outbox(bot)
    for volunteer in (V1, V2, V3, V4, V5):
        assert "Volunteers needed: Flu jabs" in bot.last_text(volunteer)
    return callout


async def roster_of_three(bot: BotHarness) -> CallOut:
    callout = await five_volunteers_and_a_callout_for_three(bot)
    for volunteer in (V1, V2, V3, V4, V5):
        await bot.press(volunteer, "Join")
    return callout
