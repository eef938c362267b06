"""A consultation tells the resident when staff will answer (config: consultation_sla, in
working days), in both languages, with a frozen clock on a Friday afternoon."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from storage.models import Case
from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import enrol

SHANGHAI = ZoneInfo("Asia/Shanghai")
RESIDENT, SUPERVISOR = 4301, 4302
FRIDAY_AFTERNOON = datetime(2026, 11, 27, 16, 0, tzinfo=SHANGHAI)


async def test_english_question_to_staff_says_when_they_answer(bot: BotHarness) -> None:
    bot.clock.set(FRIDAY_AFTERNOON)  # type: ignore[attr-defined]
    await enrol(bot, SUPERVISOR, "supervisor", community_id="hongmian")
    await bot.send(RESIDENT, "what's the bitcoin price today", language_code="en")
    await bot.press(RESIDENT, "Ask staff")
    await bot.press(RESIDENT, "Hongmian")
    assert "they will answer within 1 working day (by Mon 30 Nov, 17:30)" in bot.last_text(
        RESIDENT
    )
    async with bot.runtime.db.transaction() as session:
        case = (await session.execute(select(Case))).scalars().one()
    assert case.due_at == datetime(2026, 11, 30, 17, 30, tzinfo=SHANGHAI)
    await deliver_outbox(bot)
    assert "Please answer by Mon 30 Nov, 17:30" in bot.last_text(SUPERVISOR)


async def test_chinese_question_to_staff_says_when_they_answer(bot: BotHarness) -> None:
    bot.clock.set(FRIDAY_AFTERNOON)  # type: ignore[attr-defined]
    await enrol(bot, SUPERVISOR, "supervisor", community_id="hongmian")
    await bot.send(RESIDENT, "比特币今天多少钱一个", language_code="zh")
    await bot.press(RESIDENT, "问工作人员")
    await bot.press(RESIDENT, "红棉社区")
    assert "他们会在1个工作日内（11月30日 周一 17:30 前）答复" in bot.last_text(RESIDENT)
