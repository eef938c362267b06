"""Each person sees only their own: /mydata (a readable summary plus the file) and the
duplicate offer (并单), which describes another resident's case without their words."""

from __future__ import annotations

import json

from sqlalchemy import select

from storage.models import Case, User
from storage.volunteers import Volunteer, VolunteerSkill
from tests.harness import BotHarness, deliver_outbox
from tests.privacy_scenes import NEIGHBOUR, PHONE, RESIDENT, WORDS, WORKER, mydata, report
from tests.support.cases import enrol

# What only RESIDENT wrote or gave: none of it may reach NEIGHBOUR.
RESIDENTS_OWN = ("王阿姨", "302", PHONE)


async def test_a_joiner_sees_the_case_described_and_gets_none_of_the_reporters_data(
    bot: BotHarness,
) -> None:
    first = await report(bot, phone=PHONE)
    await bot.send(NEIGHBOUR, "翠湖苑5栋门口的路灯坏了，晚上黑漆漆的")
    await bot.press(NEIGHBOUR, "对")
    await bot.share_location(NEIGHBOUR, *bot.runtime.city.grids["xinji-02"].centre())
    await bot.press_keyboard(NEIGHBOUR, "提交")
    offer = bot.last_text(NEIGHBOUR)
    # Type, place (community and grid), when, how many: nobody's words.
    assert first.number in offer and "市政设施" in offer and "新基第二网格" in offer
    assert "1 位居民" in offer
    assert not any(own in offer for own in RESIDENTS_OWN), offer
    await bot.press(NEIGHBOUR, first.number)

    summary, data = await mydata(bot, NEIGHBOUR)
    dumped = json.dumps(data, ensure_ascii=False)
    for own in (*RESIDENTS_OWN, WORDS):
        assert own not in summary and own not in dumped, own
    assert f"{first.latitude}" not in dumped
    assert [j["number"] for j in data["joined_cases"]] == [first.number]
    assert data["reports"] == []
    assert first.number in summary and "其他居民的" in summary


async def test_mydata_holds_words_places_phone_profile_reads_and_draft_in_the_callers_language(
    bot: BotHarness,
) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    case = await report(bot, phone=PHONE)
    await deliver_outbox(bot)  # the worker's ping shows the phone: a recorded read
    now = bot.clock.now()
    async with bot.runtime.db.transaction() as session:
        user = (
            await session.execute(select(User).where(User.telegram_id == RESIDENT))
        ).scalar_one()
        volunteer = Volunteer(
            user_id=user.id, grid_id="xinji-02", availability=["weekends"], consent_at=now,
            active=True, registered_at=now, updated_at=now,
        )
        session.add(volunteer)
        await session.flush()
        session.add(VolunteerSkill(volunteer_id=volunteer.id, skill="first_aid"))
    await bot.send(RESIDENT, "小区门口垃圾桶满了没人清")  # a draft left open

    summary, data = await mydata(bot, RESIDENT)
    assert data["reports"][0]["text"] == WORDS and data["reports"][0]["contact_phone"] == PHONE
    assert data["volunteer"]["profile"]["skills"] == ["first_aid"]
    reads = data["staff_reads_of_your_data"]
    assert [(r["case"], r["by"], r["field"]) for r in reads] == [
        (case.number, "worker", "contact_phone")
    ]
    assert any("垃圾桶" in json.dumps(d["data"], ensure_ascii=False) for d in data["open_drafts"])
    # The summary a resident reads, in Chinese: words, phone, place, profile, reads, draft.
    for shown in ("我们保存的您的信息", case.number, "王阿姨", PHONE, "技能：急救", "网格员查看了"):
        assert shown in summary, shown
    assert "未完成的草稿：反映问题" in summary  # the draft by what it is, not its id


async def test_english_summary_for_an_english_resident(bot: BotHarness) -> None:
    await bot.send(RESIDENT, "/lang")
    await bot.press(RESIDENT, "English")
    summary, data = await mydata(bot, RESIDENT)
    assert "Your data at GridDesk" in summary and "Your reports (0)" in summary
    assert data["account"]["language_chosen"] == "en"
    assert "language: English;" in summary
    async with bot.runtime.db.transaction() as session:
        assert (await session.execute(select(Case))).first() is None


async def test_the_language_they_write_in_is_shown_when_none_was_chosen(bot: BotHarness) -> None:
    """A resident who never used /lang: the summary names the language they last wrote in
    (kept to answer them), not "none" (from the third newcomer trial)."""
    await bot.send(RESIDENT, "How do I apply for a residence permit?", language_code="en")
    summary, data = await mydata(bot, RESIDENT)
    assert data["account"]["language_chosen"] is None
    assert data["account"]["language_last_written"] == "en"
    assert "language: automatic (English, the language you last wrote in)" in summary


def test_a_long_summary_is_split_into_messages_telegram_accepts() -> None:
    from bot.i18n import Catalog
    from bot.privacy_summary import MESSAGE_LIMIT, render_summary
    from config.loader import SHIPPED_CONFIG_DIR, load_config

    report_row = {
        "number": "GD-2026-000001", "case_type": "sanitation", "status": "closed",
        "text": "垃圾" * 400, "contact_phone": None, "latitude": None, "longitude": None,
        "address": None, "created_at": "2026-11-23T02:00:00+00:00", "photos": [],
    }
    data = {
        "account": {"registered_at": "2026-11-23T02:00:00+00:00", "language_chosen": None,
                    "consent_given_at": None},
        "reports": [report_row] * 200, "joined_cases": [], "notes_written": [],
        "volunteer": None, "staff_reads_of_your_data": [], "open_drafts": [],
    }
    messages = render_summary(data, load_config(SHIPPED_CONFIG_DIR), Catalog.load(), "zh")
    assert len(messages) > 1 and all(len(m) <= MESSAGE_LIMIT for m in messages)
    assert messages[0].startswith("📋") and messages[-1].endswith("附件文件里是完整内容。")
