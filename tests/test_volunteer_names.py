"""Volunteers have names on the staff's lists: typed at sign-up (or the Telegram first name in
one tap), cleaned and length-checked, editable from the profile, shown on the call-out roster
(check-ins too) and the supervisors' monthly recognition, never to other volunteers; older
volunteers without one keep "Volunteer #<id>". The name is in /mydata and goes with
/forgetme. Both languages, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from entrypoints.volunteer_jobs import run_monthly_recognition
from storage.conversations import ConversationRepository
from storage.models import User
from storage.volunteers import Volunteer
from tests.harness import BotHarness, deliver_outbox
from tests.privacy_scenes import file_bytes, mydata
from tests.volunteer_helpers import (
    add_volunteers,
    advance_to,
    create_by_wizard,
    enrol_coordinator,
    register,
)

COORDINATOR, WANG, ALICE = 6201, 6202, 6203
OLDER = 6204  # registered before names were asked


async def names(bot: BotHarness) -> dict[int, str | None]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.execute(
            select(User.telegram_id, Volunteer.display_name).join(
                Volunteer, Volunteer.user_id == User.id
            )
        )
        return {tid: name for tid, name in rows}


async def volunteer_id(bot: BotHarness, telegram_id: int) -> int:
    async with bot.runtime.db.transaction() as session:
        return int(
            (
                await session.execute(
                    select(Volunteer.id)
                    .join(User, User.id == Volunteer.user_id)
                    .where(User.telegram_id == telegram_id)
                )
            ).scalar_one()
        )


async def sign_up_wang_in_chinese(bot: BotHarness) -> None:
    """A typed name: refused when too long or without letters, cleaned of invisible marks."""
    await bot.send(WANG, "/volunteer", language_code="zh")
    assert "称呼" in bot.texts(WANG)[-2]  # the intro names the step
    assert "怎么称呼您" in bot.last_text(WANG)
    await bot.send(WANG, "王" * 33)
    assert "最多 32 个字" in bot.texts(WANG)[-2]
    await bot.send(WANG, "🙂🙂🙂")
    assert "请输入含有文字或数字的称呼" in bot.texts(WANG)[-2]
    assert (await names(bot)) == {}  # nothing stored before consent
    await bot.send(WANG, "  王\u200b芳\u202e  ")
    assert "您能提供哪些帮助" in bot.last_text(WANG)
    await bot.press(WANG, "急救")
    await bot.press(WANG, "下一步")
    await bot.press(WANG, "新基社区")
    await bot.press(WANG, "新基第二网格")
    await bot.press(WANG, "周末")
    await bot.press(WANG, "下一步")
    assert "称呼" in bot.last_text(WANG)  # the consent notice names what is kept
    await bot.press(WANG, "我同意")
    assert "🪪 称呼：王芳" in bot.last_text(WANG)


async def test_names_on_the_roster_and_the_recognition_numbers_for_older_ones(
    bot: BotHarness,
) -> None:
    await enrol_coordinator(bot, COORDINATOR)
    await sign_up_wang_in_chinese(bot)
    # Alice takes her Telegram first name with one tap.
    await bot.feed(
        bot.api.command_update(ALICE, "/volunteer", first_name="Alice", language_code="en")
    )
    await bot.press(ALICE, "Use my name Alice")
    assert "What can you help with" in bot.last_text(ALICE)
    await bot.press(ALICE, "First aid")
    await bot.press(ALICE, "Next")
    await bot.press(ALICE, "Xinji Community")
    await bot.press(ALICE, "Xinji Grid 2")
    await bot.press(ALICE, "Weekends")
    await bot.press(ALICE, "Next")
    await bot.press(ALICE, "I agree")
    assert "🪪 Name: Alice" in bot.last_text(ALICE)
    await add_volunteers(bot, range(OLDER, OLDER + 1))
    assert await names(bot) == {WANG: "王芳", ALICE: "Alice", OLDER: None}
    older = await volunteer_id(bot, OLDER)

    callout = await create_by_wizard(bot, COORDINATOR, needed="2")
    await deliver_outbox(bot)
    for volunteer in (WANG, OLDER, ALICE):  # Alice comes third: the waitlist
        await bot.press(volunteer, "报名" if volunteer == WANG else "Join")
    advance_to(bot, callout.starts_at, timedelta(minutes=5))
    await bot.press(WANG, "签到")
    await bot.press(OLDER, "Check in")

    await bot.press(COORDINATOR, "Roster")
    roster = bot.last_text(COORDINATOR)
    assert "1. 王芳 (Xinji Grid 2) ✅ checked in, 3 h" in roster
    assert f"2. Volunteer #{older} (Xinji Grid 2) ✅ checked in" in roster
    assert "Waitlist:" in roster and "1. Alice" in roster

    await bot.send(COORDINATOR, "/lang")
    await bot.press(COORDINATOR, "中文")
    await bot.press(COORDINATOR, "Roster")  # on the English message; the answer is Chinese
    roster = bot.last_text(COORDINATOR)
    assert "1. 王芳（新基第二网格）✅ 已签到" in roster
    assert f"2. 志愿者 #{older}（新基第二网格）" in roster and "1. Alice" in roster

    bot.clock.set(datetime(2026, 11, 30, 16, 30, tzinfo=UTC))  # type: ignore[attr-defined]
    assert await run_monthly_recognition(bot.runtime) == 1
    await deliver_outbox(bot)
    for_staff = bot.last_text(COORDINATOR)
    assert "志愿者服务" in for_staff
    assert "1. 王芳：3 小时" in for_staff and f"2. 志愿者 #{older}：3 小时" in for_staff
    for volunteer in (WANG, ALICE, OLDER):  # volunteers are not shown each other's names
        thanks = bot.last_text(volunteer)
        assert "光荣榜" in thanks or "volunteers, Nov 2026" in thanks
        assert "王芳" not in thanks and "Alice" not in thanks
    assert f"1. 志愿者 #{await volunteer_id(bot, WANG)}：3 小时" in bot.last_text(WANG)


async def test_edit_the_name_and_it_is_in_mydata_and_gone_after_forgetme(
    bot: BotHarness,
) -> None:
    await register(bot, ALICE, name="Alice Chen")
    assert "🪪 Name: Alice Chen" in bot.last_text(ALICE)
    await bot.press(ALICE, "Edit name")
    assert "Keep Alice Chen" in str(bot.calls(ALICE)[-1].params.get("reply_markup"))
    await bot.send(ALICE, "x" * 33)
    assert "up to 32 characters" in bot.texts(ALICE)[-2]
    await bot.send(ALICE, "Ali\tC.")
    assert "Saved" in bot.texts(ALICE)[-2] and "🪪 Name: Ali C." in bot.last_text(ALICE)
    assert (await names(bot))[ALICE] == "Ali C."

    summary, data = await mydata(bot, ALICE)
    assert "name Ali C." in summary
    # Grid, skills and times by their names, as the sign-up showed them; never as ids.
    assert all(name in summary for name in ("Xinji Grid 2", "First aid", "Weekends"))
    assert not any(raw in summary for raw in ("xinji-02", "first_aid", "weekends"))
    assert data["volunteer"]["profile"]["display_name"] == "Ali C."

    await register(bot, WANG, name="王芳芳")
    await bot.send(WANG, "/lang")
    await bot.press(WANG, "中文")
    summary, _ = await mydata(bot, WANG)
    assert "称呼 王芳芳" in summary
    await bot.send(WANG, "/forgetme")
    await bot.press(WANG, "确定删除")
    assert WANG not in await names(bot)
    assert "王芳芳".encode() not in await file_bytes(bot)


@pytest.mark.parametrize(
    ("lang", "typed"), [("en", "use my name"), ("en", "Use my name"), ("zh", "用我的名字")]
)
async def test_typing_the_use_my_name_button_uses_the_telegram_name(
    bot: BotHarness, lang: str, typed: str
) -> None:
    # The button's own words typed out are that button, not a name "use my name".
    await bot.send(ALICE, "/volunteer", language_code="zh-hans" if lang == "zh" else "en")
    await bot.send(ALICE, typed)
    assert (await names(bot)) == {}  # nothing stored before consent
    labels = str(bot.calls(ALICE)[-1].params.get("reply_markup"))
    assert "first_aid" in labels or "急救" in labels or "First aid" in labels  # on to skills
    async with bot.runtime.db.transaction() as session:
        draft = await ConversationRepository(session).load(ALICE, "volunteer")
    assert draft is not None and draft.data["display_name"] == "Resident"  # Telegram's name
