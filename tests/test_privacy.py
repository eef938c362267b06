"""PIPL: consent first, phone only to the handling worker (and recorded), /mydata,
/forgetme, retention purge; and the per-user flood limit."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from nlu.embedded import EmbeddedBackend
from services.privacy.access import mask_phone
from services.privacy.erasure import RetentionPolicy, purge_expired
from storage.models import Case, DataAccess, User
from tests.conftest import make_settings
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import centre_of, enrol

RESIDENT, WORKER, SUPERVISOR = 6101, 6201, 6301
PHONE = "13812345678"


async def report_with_phone(bot: BotHarness, user: int = RESIDENT) -> Case:
    await bot.send(user, "路灯坏了，3栋门口黑漆漆的")
    await bot.press(user, "对")
    await bot.share_location(user, *centre_of(bot, "xinji-02"))
    details = bot.last_text(user)
    assert bot.reply_button(user, "电话").request_contact
    await bot.feed(bot.api.contact_update(user, PHONE))
    await bot.press_keyboard(user, "提交")
    async with bot.runtime.db.transaction() as session:
        case = (await session.execute(select(Case).order_by(Case.id.desc()))).scalars().first()
    assert case is not None
    case.text = case.text + "\n" + details  # keep what the resident saw for the caller
    return case


async def test_consent_notice_comes_before_the_first_phone_only(bot: BotHarness) -> None:
    case = await report_with_phone(bot)
    assert "个人信息说明" in case.text.split("\n", 1)[1]
    async with bot.runtime.db.transaction() as session:
        user = (
            await session.execute(select(User).where(User.telegram_id == RESIDENT))
        ).scalar_one()
    assert user.consent_at is not None
    await bot.send(RESIDENT, "小区门口垃圾桶满了没人清")
    await bot.press(RESIDENT, "对")
    await bot.share_location(RESIDENT, *centre_of(bot, "xinji-03"))
    assert "个人信息说明" not in bot.last_text(RESIDENT)


async def test_phone_shown_only_to_the_handling_worker_and_recorded(bot: BotHarness) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    case = await report_with_phone(bot)
    await deliver_outbox(bot)
    assert any(PHONE in t for t in bot.texts(WORKER))
    # The worker hands it back: the supervisor's escalation never carries the full number.
    await bot.press(WORKER, "Not my grid")
    await deliver_outbox(bot)
    assert not any(PHONE in t for t in bot.texts(SUPERVISOR))
    async with bot.runtime.db.transaction() as session:
        reads = (await session.execute(select(DataAccess))).scalars().all()
    assert [(r.case_id, r.field) for r in reads] == [(case.id, "contact_phone")]
    assert mask_phone(PHONE) == "138****5678"


async def test_mydata_sends_everything_as_a_file(bot: BotHarness) -> None:
    case = await report_with_phone(bot)
    await bot.send(RESIDENT, "/mydata")
    document = bot.calls(RESIDENT)[-1]
    assert document.method == "sendDocument"
    upload = document.params["document"]
    data = json.loads(upload.content)
    assert data["account"]["telegram_id"] == RESIDENT
    assert data["reports"][0]["number"] == case.number
    assert data["reports"][0]["contact_phone"] == PHONE


async def test_forgetme_erases_personal_data_and_keeps_statistics(bot: BotHarness) -> None:
    case = await report_with_phone(bot)
    await bot.send(RESIDENT, "/forgetme")
    await bot.press(RESIDENT, "删除")  # the case is open: "withdraw them and erase"
    assert "个人信息已清除" in bot.last_text(RESIDENT)
    async with bot.runtime.db.transaction() as session:
        stored = await session.get(Case, case.id)
        users = (await session.execute(select(User.telegram_id))).scalars().all()
    assert stored is not None
    erased = "[应居民要求已删除]"
    assert (stored.text, stored.contact_phone, stored.latitude) == (erased, None, None)
    assert (stored.case_type, stored.grid_id, stored.number) == (
        "public_facility",
        "xinji-02",
        case.number,
    )
    assert RESIDENT not in users


async def test_retention_purge_removes_phones_of_old_closed_cases(bot: BotHarness) -> None:
    case = await report_with_phone(bot)
    now = bot.clock.now()
    async with bot.runtime.db.transaction() as session:
        stored = await session.get(Case, case.id)
        assert stored is not None
        stored.status, stored.closed_at = "closed", now - timedelta(days=200)
    policy = RetentionPolicy(timedelta(days=180), timedelta(days=7), timedelta(days=3))
    async with bot.runtime.db.transaction() as session:
        assert (await purge_expired(session, now, policy)).cases == 1
    async with bot.runtime.db.transaction() as session:
        stored = await session.get(Case, case.id)
        assert stored is not None and stored.contact_phone is None
        assert (await purge_expired(session, now, policy)).cases == 0


async def test_flood_from_one_user_is_limited_politely_and_others_are_served(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> None:
    limit = 20
    settings = make_settings(database_url, tmp_path, rate_limit_per_minute=limit)
    async with BotHarness.start(settings, nlu=embedded_nlu) as bot:
        await flood(bot, limit)


async def flood(bot: BotHarness, limit: int) -> None:
    for n in range(limit + 10):
        await bot.send(RESIDENT, f"/help {n}", language_code="en")
    texts = bot.texts(RESIDENT)
    assert sum("What I can do" in t for t in texts) == limit
    assert sum("very fast" in t for t in texts) == 1
    await bot.send(RESIDENT + 1, "/help", language_code="en")
    assert "What I can do" in bot.last_text(RESIDENT + 1)
    async with bot.runtime.db.transaction() as session:
        assert (await session.execute(select(func.count(User.id)))).scalar_one() == 2


async def test_forgetme_removes_the_volunteer_profile(bot: BotHarness) -> None:
    from storage.volunteers import Volunteer, VolunteerSkill

    await bot.send(RESIDENT, "/start")
    now = bot.clock.now()
    async with bot.runtime.db.transaction() as session:
        user = (
            await session.execute(select(User).where(User.telegram_id == RESIDENT))
        ).scalar_one()
        volunteer = Volunteer(
            user_id=user.id,
            grid_id="xinji-01",
            availability=["weekends"],
            consent_at=now,
            active=True,
            registered_at=now,
            updated_at=now,
        )
        session.add(volunteer)
        await session.flush()
        session.add(VolunteerSkill(volunteer_id=volunteer.id, skill="first_aid"))
    await bot.send(RESIDENT, "/forgetme")
    await bot.press(RESIDENT, "确定删除")
    async with bot.runtime.db.transaction() as session:
        assert (await session.execute(select(func.count(Volunteer.id)))).scalar_one() == 0
        assert (
            await session.execute(select(func.count()).select_from(VolunteerSkill))
        ).scalar_one() == 0
