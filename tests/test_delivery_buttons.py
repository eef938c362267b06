"""Issue 14 item 8: buttons follow the case. After a state change the pressed message loses its
buttons; a stale button answers "already handled" and changes nothing; the reassignment notice
names the grid that now has the case. Through the bot and the production dispatcher."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from nlu.embedded import EmbeddedBackend
from tests.delivery_helpers import case_by_number, drain, file_case, harness, staff
from tests.harness import BotHarness

RESIDENT, WORKER, OTHER_WORKER, SUPERVISOR = 101_001, 102_001, 102_002, 103_001
ACCEPTED = "网格员已接单"


@pytest.fixture
async def bot(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> AsyncIterator[BotHarness]:
    async for harnessed in harness(database_url, tmp_path, embedded_nlu):
        await staff(harnessed, WORKER, "worker", grid_id="xinji-02")
        await staff(harnessed, OTHER_WORKER, "worker", grid_id="xinji-03")
        await staff(harnessed, SUPERVISOR, "supervisor", community_id="xinji")
        yield harnessed


async def press_data(bot: BotHarness, user: int, data: str) -> None:
    """Press the first message ever sent to ``user`` that carried this button (an old one)."""
    for call in bot.calls(user):
        if any(d == data for _, d in bot.api.buttons(call)):
            message_id = int(call.result["message_id"])
            await bot.feed(bot.api.callback_update(user, message_id, data))
            return
    raise AssertionError(f"no button {data} was sent to {user}")


def toasts(bot: BotHarness) -> list[str]:
    return [
        str(c.params.get("text") or "") for c in bot.api.calls if c.method == "answerCallbackQuery"
    ]


def cleared_keyboards(bot: BotHarness, user: int) -> int:
    return sum(
        1
        for c in bot.calls(user)
        if c.method == "editMessageReplyMarkup" and not bot.api.buttons(c)
    )


async def test_a_second_press_of_accept_changes_nothing(bot: BotHarness) -> None:
    filed = await file_case(bot, RESIDENT, "路灯坏了")
    await drain(bot)
    case = await case_by_number(bot, filed.number)
    await press_data(bot, WORKER, f"wk:acc:{case.id}")
    assert f"已接单 {case.number}" in bot.last_text(WORKER)
    assert cleared_keyboards(bot, WORKER) == 1  # the ping's buttons went
    await press_data(bot, WORKER, f"wk:acc:{case.id}")
    assert toasts(bot)[-1] == "已处理过了。"
    assert "已进入下一步" in bot.last_text(WORKER)
    await drain(bot)
    assert sum(ACCEPTED in t for t in bot.texts(RESIDENT)) == 1


async def test_an_old_accept_on_an_escalated_case_is_refused(bot: BotHarness) -> None:
    filed = await file_case(bot, RESIDENT, "路灯坏了")
    await drain(bot)
    case = await case_by_number(bot, filed.number)
    await bot.press(WORKER, "上报")
    await bot.send(WORKER, "需要城管部门处理")
    await press_data(bot, WORKER, f"wk:acc:{case.id}")
    assert toasts(bot)[-1] == "已处理过了。"
    assert (await case_by_number(bot, filed.number)).status == "escalated"
    await drain(bot)
    assert not any(ACCEPTED in t for t in bot.texts(RESIDENT))


async def test_the_reassignment_notice_names_the_new_grid(bot: BotHarness) -> None:
    filed = await file_case(bot, RESIDENT, "路灯坏了")
    await drain(bot)
    await bot.press(WORKER, "上报")
    await bot.send(WORKER, "不是我们网格的")
    await drain(bot)
    await bot.press(SUPERVISOR, "改派")
    await bot.press(SUPERVISOR, "新基第三网格")
    await drain(bot)
    notice = bot.last_text(RESIDENT)
    assert filed.number in notice and "新基第三网格" in notice
    case = await case_by_number(bot, filed.number)
    assert case.grid_id == "xinji-02"  # the grid of its place; only the worker changed
    assert any(filed.number in t for t in bot.texts(OTHER_WORKER))
    # The first worker's old Accept no longer works on a case that is someone else's.
    await press_data(bot, WORKER, f"wk:acc:{case.id}")
    assert (await case_by_number(bot, filed.number)).status == "assigned"
    await drain(bot)
    assert not any(ACCEPTED in t for t in bot.texts(RESIDENT))
