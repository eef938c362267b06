"""A resident's case, two-way, through the bot in both languages: /mycases paged and opened
(status, due time, timeline), a note or photo added (the worker is pinged), a withdrawal
(worker and supervisor told, stored as cancelled), "not fixed" asks why and attaches it, and
the worker's after-photo reaches the resident with "fixed?"."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Attachment, Case, CaseEvent
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import (
    RESIDENT,
    SUPERVISOR,
    WORKER,
    case_row,
    enrol,
    report_street_light,
)

ENGLISH_RESIDENT = 888001


async def test_chinese_resident_opens_a_case_adds_a_photo_and_withdraws(bot: BotHarness) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    case = await report_street_light(bot)
    await deliver_outbox(bot)
    await bot.press(WORKER, "Accept")

    await bot.send(RESIDENT, "/mycases")
    listing = bot.last_text(RESIDENT)
    assert "最新的在前" in listing and case.number in listing
    await bot.press(RESIDENT, f"📋 {case.number}")
    detail = bot.last_text(RESIDENT)
    assert "状态：网格员已接单" in detail
    assert "期限：11月26日 周四 17:30" in detail  # 3 working days from Monday 10:00
    assert "进展：" in detail and "已签收" in detail

    await bot.press(RESIDENT, "补充文字或照片")
    await bot.feed(bot.api.photo_update(RESIDENT, file_id="lamp-again", caption="晚上还是黑的"))
    assert "已把您补充的信息转给工作人员" in bot.last_text(RESIDENT)
    await deliver_outbox(bot)
    pinged = bot.calls(WORKER)[-1]
    assert pinged.method == "sendPhoto" and "晚上还是黑的" in str(pinged.params.get("caption"))

    await bot.send(RESIDENT, "/mycases")
    await bot.press(RESIDENT, f"📋 {case.number}")
    await bot.press(RESIDENT, "撤回这个问题")
    await bot.send(RESIDENT, "物业已经修好了")
    assert f"已撤回 {case.number}" in bot.last_text(RESIDENT)
    await deliver_outbox(bot)
    assert "withdrew" in bot.last_text(WORKER) and "物业已经修好了" in bot.last_text(WORKER)
    assert "withdrew" in bot.last_text(SUPERVISOR)
    stored = await case_row(bot, case.id)
    assert stored.status == "cancelled"  # withdrawn, not resolved
    async with bot.runtime.db.transaction() as session:
        notes = (await session.execute(select(CaseEvent.note))).scalars().all()
        photos = (await session.execute(select(Attachment.telegram_file_id))).scalars().all()
        cases = (await session.execute(select(Case))).scalars().all()
    assert "resident: 晚上还是黑的" in notes
    assert "withdrawn by the resident: 物业已经修好了" in notes
    assert "lamp-again" in photos
    assert len(cases) == 1  # neither the note nor the reason became a new report


async def test_english_not_fixed_asks_why_and_the_after_photo_arrives(bot: BotHarness) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await enrol(bot, SUPERVISOR, "supervisor", community_id="xinji")
    await bot.send(
        ENGLISH_RESIDENT, "the street light outside building 3 is broken, it's pitch dark", "en"
    )
    await bot.press(ENGLISH_RESIDENT, "Yes")
    await bot.share_location(ENGLISH_RESIDENT, *bot.runtime.city.grids["xinji-02"].centre())
    await bot.press_keyboard(ENGLISH_RESIDENT, "Submit")
    await deliver_outbox(bot)
    await bot.press(WORKER, "Accept")
    await bot.press(WORKER, "Resolve")
    await bot.feed(bot.api.photo_update(WORKER, file_id="after-photo", caption="New bulb fitted"))
    await deliver_outbox(bot)
    resolved = bot.calls(ENGLISH_RESIDENT)[-1]
    assert resolved.method == "sendPhoto"  # the after-photo, with the note and "fixed?"
    assert "New bulb fitted" in str(resolved.params.get("caption"))

    await bot.press(ENGLISH_RESIDENT, "Not fixed")
    assert "What is still wrong?" in bot.last_text(ENGLISH_RESIDENT)
    await bot.send(ENGLISH_RESIDENT, "Only a cone was put there, the manhole is still open")
    assert "I passed your reason to the staff" in bot.last_text(ENGLISH_RESIDENT)
    await deliver_outbox(bot)
    for staff in (WORKER, SUPERVISOR):
        assert any("still open" in text and "not fixed" in text for text in bot.texts(staff))
    async with bot.runtime.db.transaction() as session:
        (case,) = (await session.execute(select(Case))).scalars().all()
    assert case.status == "reopened"

    await bot.send(ENGLISH_RESIDENT, "/mycases")
    await bot.press(ENGLISH_RESIDENT, f"📋 {case.number}")
    detail = bot.last_text(ENGLISH_RESIDENT)
    assert "Status:" in detail and "Due:" in detail and "still open" in detail
    assert "Staff took 1 photo(s)" in detail
    # The resident's reason as they wrote it; never the system's own bookkeeping notes.
    assert "Only a cone was put there" in detail
    assert "resident:" not in detail and "resident, not fixed" not in detail
