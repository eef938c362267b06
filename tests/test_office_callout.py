"""Call-outs through the bot in both languages: natural times ("Saturday 9:00-11:30",
"周六上午9点到11点半"), examples with dates still ahead, and "1 volunteer", not "1 volunteers".
The harness clock reads Monday 23 November 2026, 10:00 in the city."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.harness import BotHarness
from tests.support.cases import centre_of
from tests.volunteer_helpers import create_by_wizard, enrol_coordinator, register

SHANGHAI = ZoneInfo("Asia/Shanghai")
COORDINATOR, VOLUNTEER = 4101, 4201


async def test_english_wizard_reads_a_weekday_and_says_one_volunteer(bot: BotHarness) -> None:
    await register(bot, VOLUNTEER)
    await enrol_coordinator(bot, COORDINATOR)
    callout = await create_by_wizard(bot, COORDINATOR, when="Saturday 9:00-11:30")
    texts = bot.texts(COORDINATOR)
    asked = next(t for t in texts if "(4/6) When?" in t)
    assert "E.g. Saturday 9:00-11:30, 2026-11-28 9:00-12:00 or tomorrow 3pm-5pm" in asked
    assert any("This goes to 1 volunteer. Send it?" in t for t in texts)
    assert any("Sending to 1 volunteer (" in t for t in texts)
    assert callout.starts_at == datetime(2026, 11, 28, 9, 0, tzinfo=SHANGHAI)
    assert callout.ends_at == datetime(2026, 11, 28, 11, 30, tzinfo=SHANGHAI)


async def test_chinese_wizard_reads_spoken_times_and_explains_with_future_dates(
    bot: BotHarness,
) -> None:
    await enrol_coordinator(bot, COORDINATOR)
    await bot.send(COORDINATOR, "/lang")
    await bot.press(COORDINATOR, "中文")
    await bot.send(COORDINATOR, "/callout", language_code="zh")
    await bot.send(COORDINATOR, "探访独居老人", language_code="zh")
    await bot.send(COORDINATOR, "新基社区活动室", language_code="zh")
    await bot.share_location(COORDINATOR, *centre_of(bot, "xinji-02"))
    asked = bot.last_text(COORDINATOR)
    examples = "周六 9:00-11:30、11月28日 9:00-12:00 或 明天下午3点到5点"
    assert f"（4/6）什么时间？例如：{examples}" in asked
    await bot.send(COORDINATOR, "改天吧", language_code="zh")
    refused = bot.last_text(COORDINATOR)
    assert "没看懂这个时间" in refused and "11月28日 9:00-12:00" in refused
    await bot.send(COORDINATOR, "周六上午9点到11点半", language_code="zh")
    assert "（5/6）" in bot.last_text(COORDINATOR)
