"""Issue 14 item 6: no orphans, a duty chain for emergencies.

A grid without a reachable worker routes to its community supervisors, then the city-wide
supervisors, then the configured duty chat (GRIDDESK_DUTY_CHAT_ID); a worker who joins gets the
cases that waited; an emergency reaches a person also when its place is outside every grid; the
resident hears "staff alerted" and the worker "escalated" only when someone was told.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from nlu.embedded import EmbeddedBackend
from services.staff import create_invite
from storage.models import User
from tests.delivery_helpers import (
    DUTY_CHAT,
    case_by_number,
    drain,
    file_case,
    harness,
    staff,
)
from tests.harness import BotHarness

RESIDENT, WORKER = 81_001, 82_001
COMMUNITY_SUP, CITY_SUP, OTHER_COMMUNITY_SUP = 83_001, 83_002, 83_003
EVERYONE = (COMMUNITY_SUP, CITY_SUP, OTHER_COMMUNITY_SUP, DUTY_CHAT)
SCOPES = {
    COMMUNITY_SUP: {"community_id": "xinji"},  # the community of grid xinji-02
    CITY_SUP: {},
    OTHER_COMMUNITY_SUP: {"community_id": "yangguang"},
}
FIRE = "着火了！楼道里全是烟，有人被困在里面"
OUTSIDE_EVERY_GRID = (22.0, 114.5)


@pytest.fixture
async def bot(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> AsyncIterator[BotHarness]:
    async for harnessed in harness(database_url, tmp_path, embedded_nlu):
        yield harnessed


@pytest.fixture
async def bot_with_duty_chat(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> AsyncIterator[BotHarness]:
    async for harnessed in harness(database_url, tmp_path, embedded_nlu, duty_chat_id=DUTY_CHAT):
        yield harnessed


def told(bot: BotHarness, number: str) -> set[int]:
    return {chat for chat in EVERYONE if any(number in t for t in bot.texts(chat))}


@pytest.mark.parametrize(
    ("supervisors", "unreachable", "duty_chat", "expected"),
    [
        ((COMMUNITY_SUP, CITY_SUP), (), True, {COMMUNITY_SUP}),
        ((OTHER_COMMUNITY_SUP, CITY_SUP), (), True, {CITY_SUP}),
        ((COMMUNITY_SUP, CITY_SUP), (COMMUNITY_SUP,), True, {CITY_SUP}),
        ((OTHER_COMMUNITY_SUP,), (), True, {DUTY_CHAT}),
        ((OTHER_COMMUNITY_SUP,), (), False, set()),
    ],
    ids=["community", "city-when-community-has-none", "skips-unreachable", "duty-chat", "nobody"],
)
async def test_a_grid_without_a_worker_routes_up_the_chain(
    database_url: str,
    tmp_path: Path,
    embedded_nlu: EmbeddedBackend,
    supervisors: tuple[int, ...],
    unreachable: tuple[int, ...],
    duty_chat: bool,
    expected: set[int],
) -> None:
    extra = {"duty_chat_id": DUTY_CHAT} if duty_chat else {}
    async for bot in harness(database_url, tmp_path, embedded_nlu, **extra):
        for supervisor in supervisors:
            await staff(bot, supervisor, "supervisor", **SCOPES[supervisor])
        async with bot.runtime.db.transaction() as session:
            await session.execute(
                update(User)
                .where(User.telegram_id.in_(unreachable))
                .values(unreachable_at=datetime(2026, 11, 1, tzinfo=UTC))
            )
        filed = await file_case(bot, RESIDENT, "路灯坏了，3栋门口黑漆漆的")
        await drain(bot)
        assert told(bot, filed.number) == expected
        assert filed.staff_told == len(expected)
        for chat in expected:
            ping = next(t for t in bot.texts(chat) if filed.number in t)
            assert "暂无网格员" in ping  # told why it came to them


async def test_a_worker_who_joins_gets_the_cases_that_waited(bot: BotHarness) -> None:
    waiting = [await file_case(bot, RESIDENT, text) for text in ("路灯坏了", "井盖不见了")]
    elsewhere = await file_case(bot, RESIDENT, "垃圾没人清", grid_id="xinji-03")
    async with bot.runtime.db.transaction() as session:
        invite = await create_invite(
            session, bot.runtime.city, "worker", bot.clock.now(), grid_id="xinji-02"
        )
    await bot.send(WORKER, f"/join {invite.code}")
    assert "2" in bot.last_text(WORKER) and "/tasks" in bot.last_text(WORKER)
    await drain(bot)
    for filed in waiting:
        assert any(filed.number in t for t in bot.texts(WORKER))
        assert (await case_by_number(bot, filed.number)).status == "assigned"
    assert (await case_by_number(bot, elsewhere.number)).status == "new"
    await bot.send(WORKER, "/tasks")
    assert any(waiting[0].number in t for t in bot.texts(WORKER)[-2:])


async def test_an_emergency_outside_every_grid_reaches_the_deploy_guides_staff(
    bot: BotHarness,
) -> None:
    """The deploy guide's set-up: one worker, one community supervisor, no city supervisor."""
    await staff(bot, WORKER, "worker", grid_id="xinji-02")
    await staff(bot, COMMUNITY_SUP, "supervisor", community_id="xinji")
    await bot.send(RESIDENT, FIRE)
    assert any("110" in t for t in bot.texts(RESIDENT))
    assert any("通知工作人员" in t for t in bot.texts(RESIDENT))
    await drain(bot)
    alert = bot.last_text(COMMUNITY_SUP)
    assert "🚨" in alert
    await bot.share_location(RESIDENT, *OUTSIDE_EVERY_GRID)
    await drain(bot)
    pins = [c for c in bot.calls(COMMUNITY_SUP) if c.method == "sendLocation"]
    assert [(c.params["latitude"], c.params["longitude"]) for c in pins] == [OUTSIDE_EVERY_GRID]


async def test_an_emergency_goes_to_the_duty_chat_when_no_supervisor_exists(
    bot_with_duty_chat: BotHarness,
) -> None:
    bot = bot_with_duty_chat
    await bot.send(RESIDENT, FIRE)
    assert any("通知工作人员" in t for t in bot.texts(RESIDENT))
    await drain(bot)
    assert "🚨" in bot.last_text(DUTY_CHAT)


async def test_nobody_to_tell_is_said_plainly_not_staff_notified(bot: BotHarness) -> None:
    await bot.send(RESIDENT, FIRE)
    texts = bot.texts(RESIDENT)
    assert not any("通知工作人员" in t for t in texts)
    assert any("联系不到任何工作人员" in t and "119" in t for t in texts)


async def test_escalating_with_no_supervisor_says_so(bot: BotHarness) -> None:
    await staff(bot, WORKER, "worker", grid_id="xinji-02")
    filed = await file_case(bot, RESIDENT, "路灯坏了")
    await drain(bot)
    await bot.press(WORKER, "上报")
    await bot.send(WORKER, "需要城管部门处理")
    assert "还没有主管" in bot.last_text(WORKER)
    assert (await case_by_number(bot, filed.number)).status == "escalated"
