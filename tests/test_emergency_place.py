"""An urgent case's place and photos reach the staff already alerted about it.

The alarm goes out before the resident says where (the numbers first, then the duty chain);
when the place comes — typed, in a grid with nobody on duty, or shared as a pin — everyone
alerted gets it, and the resident is told "sent" only because it was. Both languages."""

from __future__ import annotations

from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import RESIDENT, SUPERVISOR, centre_of, enrol

NEIGHBOUR = RESIDENT + 91


async def test_a_typed_place_and_a_photo_reach_the_supervisor_already_alerted(
    bot: BotHarness,
) -> None:
    await enrol(bot, SUPERVISOR, "supervisor")  # city-wide; nobody works the Yangguang grids
    await bot.send(RESIDENT, "我妈喘不上气了，嘴唇都紫了", language_code="zh-hans")
    await deliver_outbox(bot)
    alert = bot.texts(SUPERVISOR)[-1]
    assert "Emergency" in alert and "has not said where yet" in alert  # not "outside the grids"
    await bot.send(RESIDENT, "阳光花园2栋1203")
    assert any("位置已发给工作人员" in text for text in bot.texts(RESIDENT)[-3:])
    await deliver_outbox(bot)
    told = [text for text in bot.texts(SUPERVISOR) if "阳光花园2栋1203" in text]
    assert "📍 Urgent case GD-2026-000001 is at: 阳光花园2栋1203" in told  # their language

    await bot.feed(bot.api.photo_update(RESIDENT, "AgAD-oxygen-mask"))
    await deliver_outbox(bot)
    photos = [c for c in bot.api.sent_to(SUPERVISOR) if c.method == "sendPhoto"]
    assert photos and photos[-1].params.get("photo") == "AgAD-oxygen-mask"


async def test_a_shared_pin_reaches_the_supervisor_already_alerted(bot: BotHarness) -> None:
    await enrol(bot, SUPERVISOR, "supervisor")
    await bot.send(NEIGHBOUR, "The man next door collapsed and is not breathing",
                   language_code="en")
    await deliver_outbox(bot)
    alerted = len(bot.api.sent_to(SUPERVISOR))
    await bot.share_location(NEIGHBOUR, *centre_of(bot, "yangguang-01"))
    assert any("sent to staff" in text for text in bot.texts(NEIGHBOUR)[-3:])
    await deliver_outbox(bot)
    pins = [c for c in bot.api.sent_to(SUPERVISOR)[alerted:] if c.method == "sendLocation"]
    assert pins, [c.method for c in bot.api.sent_to(SUPERVISOR)[alerted:]]
