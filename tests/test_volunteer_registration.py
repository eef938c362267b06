"""Volunteer sign-up through the Application: register, edit, withdraw, cancel, restart."""

from __future__ import annotations

from devtools.local_api import LocalBotApiRequest
from entrypoints.app import build_application, build_runtime
from services.volunteers.profiles import profile_of
from storage.repositories import UserRepository
from storage.volunteers import Volunteer
from tests.harness import BotHarness
from tests.volunteer_helpers import register

ALICE, BAO = 5001, 5002


async def stored_profile(bot: BotHarness, telegram_id: int) -> tuple[Volunteer, list[str]] | None:
    async with bot.runtime.db.transaction() as session:
        user = await UserRepository(session).get(telegram_id)
        assert user is not None
        profile = await profile_of(session, user)
    return (profile.volunteer, profile.skills) if profile else None


async def test_register_edit_and_withdraw(bot: BotHarness) -> None:
    await register(bot, ALICE, skills=("First aid", "Translation"))
    stored = await stored_profile(bot, ALICE)
    assert stored is not None
    volunteer, skills = stored
    assert skills == ["first_aid", "translation"]
    assert (volunteer.grid_id, volunteer.availability, volunteer.active) == (
        "xinji-02",
        ["weekends"],
        True,
    )
    assert volunteer.consent_at is not None
    profile_text = bot.last_text(ALICE)
    assert "First aid, Translation" in profile_text and "Xinji Grid 2" in profile_text

    # Edit one part: the others stay.
    await bot.press(ALICE, "Edit skills")
    await bot.press(ALICE, "Translation")  # off
    await bot.press(ALICE, "Driving")  # on
    await bot.press(ALICE, "Next")
    assert "Saved" in bot.texts(ALICE)[-2]
    volunteer, skills = (await stored_profile(bot, ALICE)) or (volunteer, [])
    assert skills == ["driving", "first_aid"] and volunteer.grid_id == "xinji-02"

    await bot.press(ALICE, "Stop volunteering")
    await bot.press(ALICE, "Yes, stop")
    assert "stopped volunteering" in bot.last_text(ALICE)
    volunteer, _ = (await stored_profile(bot, ALICE)) or (volunteer, [])
    assert not volunteer.active and volunteer.withdrawn_at is not None

    # Coming back is a new sign-up, prefilled, with consent asked again.
    await bot.send(ALICE, "/volunteer", language_code="en")
    await bot.press(ALICE, "Keep Resident")  # the name she took from Telegram at first
    assert "✅ First aid" in str(bot.calls(ALICE)[-1].params.get("reply_markup"))


async def test_registration_in_chinese_survives_a_restart_and_can_be_cancelled(
    bot: BotHarness,
) -> None:
    await bot.send(BAO, "/volunteer", language_code="zh")
    assert any("志愿者" in t for t in bot.texts(BAO))
    await bot.send(BAO, "宝姐")
    await bot.press(BAO, "探访老人")

    # Our process restarts (Telegram and the phone do not): a new runtime and Application
    # on the same store resume the draft from the database.
    runtime = bot.runtime
    fresh = build_runtime(runtime.settings, nlu=runtime.nlu, clock=bot.clock)
    app = build_application(fresh, request=LocalBotApiRequest(bot.api))
    async with app:
        again = BotHarness(fresh, app, bot.api)
        await again.press(BAO, "下一步")
        assert "哪个社区" in again.last_text(BAO)
        await again.press(BAO, "取消")
        assert "已取消" in again.last_text(BAO)
        assert await stored_profile(again, BAO) is None
        # The cancelled draft's buttons are stale now.
        await again.press(BAO, "新基社区")
        assert "旧消息" in again.last_text(BAO)
    await fresh.db.dispose()
