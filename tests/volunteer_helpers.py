"""Shared steps of the volunteer tests: register, enrol a coordinator, run the wizard.

"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from config.volunteers import volunteer_config
from services.volunteers.desk import VolunteerDesk
from storage.models import OutboxMessage, User
from storage.volunteers import CallOut, CallOutResponse, Volunteer
from tests.harness import BotHarness
from tests.support.cases import centre_of, enrol


async def register(
    bot: BotHarness,
    user_id: int,
    grid_id: str = "xinji-02",
    skills: tuple[str, ...] = ("First aid",),
    lang: str = "en",
    name: str | None = None,
) -> None:
    """Sign up through the bot, in English: name (typed, or None: "Use my name" with the
    Telegram first name), skills, community, grid, weekends, consent."""
    city = bot.runtime.city
    await bot.send(user_id, "/volunteer", language_code=lang)
    if name is None:
        await bot.press(user_id, "Use my name")
    else:
        await bot.send(user_id, name)
    for skill in skills:
        await bot.press(user_id, skill)
    await bot.press(user_id, "Next")
    await bot.press(user_id, city.communities[city.grids[grid_id].community_id].name.en)
    await bot.press(user_id, city.grids[grid_id].name.en)
    await bot.press(user_id, "Weekends")
    await bot.press(user_id, "Next")
    await bot.press(user_id, "I agree")
    assert any("You're registered" in t for t in bot.texts(user_id)[-3:])


async def add_volunteers(bot: BotHarness, telegram_ids: range, grid_id: str = "xinji-02") -> None:
    """Many volunteers at once, straight into the store (the bot path is tested elsewhere)."""
    now = bot.clock.now()
    async with bot.runtime.db.transaction() as session:
        users = [
            User(telegram_id=tid, role="resident", active=True, created_at=now, language="en")
            for tid in telegram_ids
        ]
        session.add_all(users)
        await session.flush()
        session.add_all(
            Volunteer(
                user_id=u.id,
                grid_id=grid_id,
                availability=["weekends"],
                consent_at=now,
                active=True,
                registered_at=now,
                updated_at=now,
            )
            for u in users
        )


async def enrol_coordinator(bot: BotHarness, user_id: int, community_id: str = "xinji") -> None:
    await enrol(bot, user_id, "supervisor", community_id=community_id)


async def create_by_wizard(
    bot: BotHarness,
    coordinator: int,
    *,
    title: str = "Flu jabs for elderly residents",
    needed: str = "3",
    when: str = "2026-11-25 09:00-12:00",
    grid_for_pin: str = "xinji-02",
) -> CallOut:
    await bot.send(coordinator, "/callout")
    await bot.send(coordinator, title)
    await bot.send(coordinator, "Xinji community hall, 2nd floor")
    await bot.share_location(coordinator, *centre_of(bot, grid_for_pin))
    await bot.send(coordinator, when)
    await bot.press(coordinator, "First aid")
    await bot.press(coordinator, "Next")
    await bot.press(coordinator, needed)
    await bot.press(coordinator, "All volunteers in my area")
    await bot.press(coordinator, "📣 Send")
    assert "Sending to" in bot.last_text(coordinator), bot.texts(coordinator)[-3:]
    return await latest_callout(bot)


async def latest_callout(bot: BotHarness) -> CallOut:
    async with bot.runtime.db.transaction() as session:
        callout = (
            await session.execute(select(CallOut).order_by(CallOut.id.desc()).limit(1))
        ).scalar_one()
    return callout


async def statuses(bot: BotHarness, callout_id: int) -> dict[int, str]:
    """Telegram id -> roster status."""
    async with bot.runtime.db.transaction() as session:
        rows = await session.execute(
            select(User.telegram_id, CallOutResponse.status)
            .join(User, User.id == CallOutResponse.user_id)
            .where(CallOutResponse.callout_id == callout_id)
        )
        return {tid: status for tid, status in rows}


async def outbox_counts(bot: BotHarness, batch_key: str) -> dict[str, int]:
    async with bot.runtime.db.transaction() as session:
        rows = await session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.batch_key == batch_key)
            .group_by(OutboxMessage.status)
        )
        return {status: int(n) for status, n in rows}


def desk_at(bot: BotHarness, session: Any) -> VolunteerDesk:
    runtime = bot.runtime
    return VolunteerDesk(
        session=session,
        city=runtime.city,
        catalog=runtime.catalog,
        config=volunteer_config(runtime.settings.config_dir),
        now=runtime.clock.now(),
        send_per_second=runtime.settings.send_per_second,
    )


def advance_to(bot: BotHarness, moment: Any, delta: timedelta = timedelta()) -> None:
    bot.clock.set(moment + delta)  # type: ignore[attr-defined]
