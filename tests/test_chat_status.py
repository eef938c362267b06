"""A person blocks or unblocks the bot (Telegram's my_chat_member update).

- Blocking marks a staff member's chat unreachable at once: the next case goes to the
  supervisor, told why, before any message to the worker has failed.
- Unblocking (or any later message) makes them reachable again, and a worker gets the cases
  that waited in their grid meanwhile, with a line saying so; a resident gets nothing extra.
- Nothing is sent to a chat that just blocked us. Both languages; SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from nlu.embedded import EmbeddedBackend
from tests.delivery_helpers import case_by_number, drain, file_case, harness, staff, user_row
from tests.harness import BotHarness

WORKER, SUPERVISOR, RESIDENT = 64_001, 65_001, 66_001


@pytest.fixture
async def bot(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> AsyncIterator[BotHarness]:
    async for harnessed in harness(database_url, tmp_path, embedded_nlu):
        yield harnessed


async def set_blocked(bot: BotHarness, user_id: int, blocked: bool) -> None:
    if blocked:
        bot.api.block(user_id)
    else:
        bot.api.unblock(user_id)
    await bot.feed(bot.api.chat_status_update(user_id, blocked=blocked))


@pytest.mark.parametrize(
    ("lang", "report", "back", "offered"),
    [
        ("zh", "路灯坏了", "unblock", "1 件待派案件"),
        ("zh", "垃圾桶满了", "/tasks", "1 件待派案件"),  # writing again works as unblocking
        ("en", "The street light is broken", "unblock", "1 case(s) were waiting"),
        ("en", "The bins are overflowing", "hello", "1 case(s) were waiting"),
    ],
)
async def test_a_worker_who_blocks_is_routed_around_and_gets_the_waiting_cases_back(
    bot: BotHarness, lang: str, report: str, back: str, offered: str
) -> None:
    code = "zh-hans" if lang == "zh" else "en"
    await staff(bot, WORKER, "worker", grid_id="xinji-02")
    await staff(bot, SUPERVISOR, "supervisor", community_id="xinji")
    await bot.send(WORKER, "/tasks", language_code=code)  # their Telegram speaks `lang`
    sent_before = len(bot.api.sent_to(WORKER, include_failed=True))
    await set_blocked(bot, WORKER, True)
    assert (await user_row(bot, WORKER)).unreachable_at is not None
    assert len(bot.api.sent_to(WORKER, include_failed=True)) == sent_before  # nothing said

    waiting = await file_case(bot, RESIDENT, report)
    result = await drain(bot)
    assert result.blocked == 0  # routed around: no message tried the blocked chat
    assert waiting.assignee_telegram_id is None
    assert waiting.number in bot.last_text(SUPERVISOR)

    if back == "unblock":
        await set_blocked(bot, WORKER, False)
    else:
        bot.api.unblock(WORKER)
        await bot.send(WORKER, back, language_code=code)
    assert (await user_row(bot, WORKER)).unreachable_at is None
    assert any(offered in text for text in bot.texts(WORKER)), bot.texts(WORKER)
    case = await case_by_number(bot, waiting.number)
    assert case.status == "assigned"
    await drain(bot)
    assert any(waiting.number in text for text in bot.texts(WORKER))  # the assignment ping


async def test_a_resident_who_blocks_and_comes_back_is_only_reachable_again(
    bot: BotHarness,
) -> None:
    await bot.send(RESIDENT, "你好")
    await set_blocked(bot, RESIDENT, True)
    assert (await user_row(bot, RESIDENT)).unreachable_at is not None
    before = len(bot.texts(RESIDENT))
    await set_blocked(bot, RESIDENT, False)
    row = await user_row(bot, RESIDENT)
    assert (row.unreachable_at, row.role) == (None, "resident")
    assert len(bot.texts(RESIDENT)) == before  # nothing to offer a resident


async def test_an_urgent_case_that_waited_comes_back_first_and_as_urgent(bot: BotHarness) -> None:
    """Given back on unblocking, an urgent case is pinged as an emergency, before the rest."""
    await staff(bot, WORKER, "worker", grid_id="xinji-02")
    await staff(bot, SUPERVISOR, "supervisor", community_id="xinji")
    await set_blocked(bot, WORKER, True)
    ordinary = await file_case(bot, RESIDENT, "路灯坏了")
    urgent = await file_case(bot, RESIDENT + 1, "有人打架，有人流血了", emergency=True)
    await drain(bot)
    await set_blocked(bot, WORKER, False)
    await drain(bot)
    pings = [t for t in bot.texts(WORKER) if ordinary.number in t or urgent.number in t]
    assert urgent.number in pings[0] and "🚨" in pings[0], pings
    assert ordinary.number in pings[-1] and "🚨" not in pings[-1]
