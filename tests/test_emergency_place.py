"""An urgent case's place and photos reach the staff already alerted about it.

The alarm goes out before the resident says where (the numbers first, then the duty chain);
when the place comes — typed, in a grid with nobody on duty, or shared as a pin — everyone
alerted gets it, and the resident is told "sent" only because it was. Both languages."""

from __future__ import annotations

import pytest

from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import RESIDENT, SUPERVISOR, WORKER, centre_of, enrol

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


@pytest.mark.parametrize(("lang", "submit"), [("zh", "提交"), ("en", "Submit")])
async def test_every_photo_of_an_album_reaches_the_worker(
    bot: BotHarness, lang: str, submit: str
) -> None:
    """A report's album of three: the ping carries the first photo, the other two follow as
    an album (they used to stay on the case only)."""
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    text = "路灯坏了，3栋门口黑漆漆的" if lang == "zh" else "the street light at block 3 is broken"
    await bot.send(RESIDENT, text, language_code=lang)
    await bot.send(RESIDENT, "是的" if lang == "zh" else "yes")
    await bot.share_location(RESIDENT, *centre_of(bot, "xinji-02"))
    for n in range(3):
        update = bot.api.photo_update(RESIDENT, file_id=f"AgAD-lamp-{n}")
        update["message"]["media_group_id"] = "lamp-album"
        await bot.feed(update)
    await bot.press_keyboard(RESIDENT, submit)
    await deliver_outbox(bot)
    calls = bot.api.sent_to(WORKER)
    ping = next(c for c in calls if c.method == "sendPhoto")
    album = next(c for c in calls if c.method == "sendMediaGroup")
    assert ping.params["photo"] == "AgAD-lamp-0"
    assert [m["media"] for m in album.params["media"]] == ["AgAD-lamp-1", "AgAD-lamp-2"]
    assert len(album.result) == 2 and album.result[0]["media_group_id"]
