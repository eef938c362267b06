"""Issue 14 item 9: who confirms, who rates. The reporter and each follower (并单) confirm and
rate for themselves; a follower's answer never closes the case under the reporter nor takes
the reporter's answer away. Through the bot and the production dispatcher."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from nlu.embedded import EmbeddedBackend
from services.cases.actions import CaseDesk
from services.cases.duplicates import join_case
from storage.models import Case, CaseFollower, Evaluation
from storage.repositories import UserRepository
from tests.delivery_helpers import case_by_number, drain, file_case, harness, staff, user_row
from tests.harness import BotHarness

REPORTER, FOLLOWER, WORKER, SUPERVISOR = 111_001, 111_002, 112_001, 113_001


@pytest.fixture
async def bot(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> AsyncIterator[BotHarness]:
    async for harnessed in harness(database_url, tmp_path, embedded_nlu):
        await staff(harnessed, WORKER, "worker", grid_id="xinji-02")
        await staff(harnessed, SUPERVISOR, "supervisor", community_id="xinji")
        yield harnessed


async def resolved_case_with_a_follower(bot: BotHarness) -> tuple[int, str]:
    filed = await file_case(bot, REPORTER, "路灯坏了")
    case = await case_by_number(bot, filed.number)
    worker = await user_row(bot, WORKER)
    now = bot.clock.now()
    async with bot.runtime.db.transaction() as session:
        follower = await UserRepository(session).get_or_create(FOLLOWER, now)
        await join_case(session, case.id, follower, now)
    async with bot.runtime.db.transaction() as session:
        desk = CaseDesk(session, bot.runtime.city, bot.runtime.catalog, now)
        await desk.accept(worker, case.id)
        await desk.resolve(worker, case.id, "换了灯泡")
    await drain(bot)
    return case.id, case.number


async def rate_with_the_first_button(bot: BotHarness, user: int) -> None:
    """Whatever grades the bot offers after "fixed" (stars or 满意/基本满意/不满意): the first."""
    offer = bot.calls(user)[-1]
    label, _ = bot.api.buttons(offer)[0]
    await bot.press(user, label)


async def rated(bot: BotHarness, case_id: int, telegram_id: int) -> bool:
    """The resident's own rating is stored: a 12345 evaluation, or the legacy stars."""
    user = await user_row(bot, telegram_id)
    async with bot.runtime.db.transaction() as session:
        evaluation = await session.scalar(
            select(Evaluation.id).where(
                Evaluation.case_id == case_id, Evaluation.user_id == user.id
            )
        )
        follower = await session.scalar(
            select(CaseFollower).where(
                CaseFollower.case_id == case_id, CaseFollower.user_id == user.id
            )
        )
        case = await session.get(Case, case_id)
    assert case is not None
    stars = follower.rating if follower is not None else case.rating
    return evaluation is not None or stars is not None


async def test_a_follower_confirms_and_rates_without_closing_the_reporters_case(
    bot: BotHarness,
) -> None:
    case_id, number = await resolved_case_with_a_follower(bot)
    assert any(number in t for t in bot.texts(FOLLOWER))

    await bot.press(FOLLOWER, "解决了")
    assert (await case_by_number(bot, number)).status == "resolved"  # the reporter decides
    await rate_with_the_first_button(bot, FOLLOWER)
    assert await rated(bot, case_id, FOLLOWER)

    await bot.press(REPORTER, "解决了")
    assert (await case_by_number(bot, number)).status == "closed"
    await rate_with_the_first_button(bot, REPORTER)
    assert await rated(bot, case_id, REPORTER)


async def test_a_followers_not_fixed_is_told_to_staff_and_the_reporter_still_answers(
    bot: BotHarness,
) -> None:
    case_id, number = await resolved_case_with_a_follower(bot)
    await bot.press(FOLLOWER, "没解决")
    assert "已记录" in bot.last_text(FOLLOWER)
    await drain(bot)
    assert any(number in t and "并单" in t for t in bot.texts(SUPERVISOR))
    assert any(number in t and "并单" in t for t in bot.texts(WORKER))
    assert (await case_by_number(bot, number)).status == "resolved"

    await bot.press(REPORTER, "解决了")
    assert (await case_by_number(bot, number)).status == "closed"
    await rate_with_the_first_button(bot, REPORTER)
    assert await rated(bot, case_id, REPORTER)
    await bot.press(FOLLOWER, "解决了")  # their old button: they answered already
    assert "已进入下一步" in bot.last_text(FOLLOWER) or "已处理" in bot.last_text(FOLLOWER)
