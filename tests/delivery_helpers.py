"""Shared steps of the delivery tests (tests/test_delivery_*.py).

Messages go out through the dispatcher production wires up (``background_of(app)``), with its
blocked-user and failure hooks, against the in-process Bot API stand-in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from sqlalchemy import select

from bot.clock import ManualClock
from bot.outbox import DispatchResult
from entrypoints.background import background_of
from nlu.embedded import EmbeddedBackend
from services.cases.drafts import ReportDraft
from services.cases.filing import FiledCase, file_report
from services.staff import create_invite, join
from storage.models import Case, OutboxMessage, User
from storage.repositories import UserRepository
from tests.conftest import make_settings
from tests.harness import BotHarness

# Functional tests are not about pacing (bench/outbox.py is): the production dispatcher with
# limits it never has to wait for.
FAST_SENDS = {"send_per_second": 10_000.0, "send_per_chat_per_second": 1_000.0}
DUTY_CHAT = -100_777


async def harness(
    database_url: str, tmp_path: Path, nlu: EmbeddedBackend, **overrides: object
) -> AsyncIterator[BotHarness]:
    settings = make_settings(database_url, tmp_path, **{**FAST_SENDS, **overrides})
    async with BotHarness.start(settings, nlu=nlu, clock=ManualClock()) as bot:
        yield bot


async def drain(bot: BotHarness) -> DispatchResult:
    """Send every due row with the production dispatcher; the summed counts."""
    dispatcher = background_of(bot.app).dispatcher
    total = DispatchResult()
    while True:
        result = await dispatcher.run_once()
        total.add(result)
        if not result.claimed:
            return total


async def staff(bot: BotHarness, telegram_id: int, role: str, **scope: str) -> None:
    """A worker or supervisor joined by invite code (the store side of `/join CODE`)."""
    now = bot.clock.now()
    async with bot.runtime.db.transaction() as session:
        invite = await create_invite(session, bot.runtime.city, role, now, **scope)
        user = await UserRepository(session).get_or_create(telegram_id, now)
        await join(session, user, invite.code, now)


async def file_case(
    bot: BotHarness,
    reporter: int,
    text: str,
    grid_id: str | None = "xinji-02",
    *,
    emergency: bool = False,
) -> FiledCase:
    """A report as the report conversation files it, with the configured duty chat."""
    runtime = bot.runtime
    lat_lon = runtime.city.grids[grid_id].centre() if grid_id else (None, None)
    draft = ReportDraft(
        text=text,
        language="zh",
        case_type="public_facility",
        grid_id=grid_id,
        latitude=lat_lon[0],
        longitude=lat_lon[1],
        emergency=emergency,
    )
    async with runtime.db.transaction() as session:
        user = await UserRepository(session).get_or_create(reporter, bot.clock.now())
        return await file_report(
            session,
            draft,
            user,
            runtime.city,
            runtime.catalog,
            bot.clock.now(),
            duty_chat=runtime.settings.duty_chat_id,
        )


async def case_by_number(bot: BotHarness, number: str) -> Case:
    async with bot.runtime.db.transaction() as session:
        case = (await session.execute(select(Case).where(Case.number == number))).scalar_one()
        return case


async def user_row(bot: BotHarness, telegram_id: int) -> User:
    async with bot.runtime.db.transaction() as session:
        user = await UserRepository(session).get(telegram_id)
        assert user is not None
        return user


async def outbox_rows(bot: BotHarness) -> list[OutboxMessage]:
    async with bot.runtime.db.transaction() as session:
        return list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())
