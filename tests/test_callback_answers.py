"""Answering a button press is best-effort (issue 14, item 3): when Telegram refuses
answerCallbackQuery (query too old, already answered), the update's replies still go out
and what the press changed stays stored."""

from __future__ import annotations

import pytest

from tests.harness import BotHarness, deliver_outbox
from tests.support.cases import RESIDENT, WORKER, case_row, enrol, report_street_light

REFUSALS = [
    "Bad Request: query is too old and response timeout expired or query ID is invalid",
    "Bad Request: query ID is invalid",
]


@pytest.mark.parametrize("refusal", REFUSALS)
async def test_a_refused_callback_answer_drops_no_reply(bot: BotHarness, refusal: str) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    case = await report_street_light(bot)
    await deliver_outbox(bot)
    bot.api.fail_next("answerCallbackQuery", 400, refusal)
    await bot.press(WORKER, "Accept")
    assert (await case_row(bot, case.id)).status == "accepted"
    assert case.number in bot.last_text(WORKER)  # the worker sees "accepted", not an error
    assert "wrong" not in bot.last_text(WORKER).lower()


@pytest.mark.parametrize("refusal", REFUSALS)
async def test_a_resident_still_sees_the_next_step(bot: BotHarness, refusal: str) -> None:
    await bot.send(RESIDENT, "路灯坏了，3栋门口黑漆漆的")
    bot.api.fail_next("answerCallbackQuery", 400, refusal)
    await bot.press(RESIDENT, "对")
    assert "问题在哪里" in bot.last_text(RESIDENT)
