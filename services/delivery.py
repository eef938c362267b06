"""What the outbox dispatcher's failures mean for people (DESIGN "Delivery guarantees").

A refused chat is recorded as unreachable (apart from staff enablement, and cleared by the
user's next update); a staff-bound message that will never arrive alerts the supervisors up
the duty chain, so a case is never silently stuck with someone who cannot hear of it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog
from bot.notices import Notice, Say, press
from bot.outbox.outcomes import BLOCKED
from bot.outbox.send import EXPIRED
from config.schema import CityConfig
from services import notify
from services.cases.duty import community_of, supervisors_chain
from storage.models import Case, OutboxMessage, User

ALERT_KIND = "delivery_alert"
STAFF_ROLES = ("worker", "supervisor")


async def mark_unreachable(session: AsyncSession, chat_id: int, now: datetime) -> None:
    """The chat refused us (blocked the bot): no more routing to them until they write again.
    Stamps `now` (aware UTC) on the chat's user, if any, unless already marked."""
    await session.execute(
        update(User)
        .where(User.telegram_id == chat_id, User.unreachable_at.is_(None))
        .values(unreachable_at=now)
    )


# Messages a resident missed while they blocked the bot, sent when they come back (the
# resolution with its "fixed?" buttons above all); older ones are moot.
HELD_FOR = timedelta(days=14)


async def release_held(session: AsyncSession, user: User, now: datetime) -> None:
    """A resident who had blocked the bot writes again: what was held or refused for them
    meanwhile (services.notify.hold_if_blocked, or refused as blocked) goes out now."""
    if user.role in STAFF_ROLES:
        return  # staff get the cases that waited for them instead (services.staff)
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.chat_id == user.telegram_id,
            OutboxMessage.status == "failed",
            OutboxMessage.error == BLOCKED,
            OutboxMessage.created_at >= now - HELD_FOR,
        )
        .values(status="pending", attempts=0, not_before=now, error=None, claimed_until=None)
    )


def clear_unreachable(user: User) -> None:
    """The user wrote to us, so their chat takes messages again."""
    if user.unreachable_at is not None:
        user.unreachable_at = None


async def alert_failed_delivery(
    session: AsyncSession,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    *,
    chat_id: int,
    kind: str,
    case_id: int | None,
    reason: str,
    duty_chat: int | None,
) -> int:
    """Tell the supervisors up the chain that a staff member (or the duty chat) will not get a
    message; returns how many were told (0 for a resident, an alert about an alert, or an
    expired message). Residents' failures stay in `griddesk outbox failed`. `now` is aware
    UTC; queues outbox rows, no flush.
    """
    if kind == ALERT_KIND or reason == EXPIRED:
        return 0  # an alert about an alert goes round in circles; a late reminder is moot
    user = (
        await session.execute(select(User).where(User.telegram_id == chat_id))
    ).scalar_one_or_none()
    is_staff = user is not None and user.role in STAFF_ROLES
    if not is_staff and chat_id != duty_chat:
        return 0
    case = await session.get(Case, case_id) if case_id is not None else None
    community = _community(case, user, city)
    chain = await supervisors_chain(
        session,
        city,
        community,
        None if chat_id == duty_chat else duty_chat,
        exclude=frozenset({user.id}) if user is not None else frozenset(),
    )
    key = "delivery.staff_unreachable_alert" if reason == BLOCKED else "delivery.send_failed_alert"
    alert = Notice([Say(key, number=case.number if case else "-", reason=reason)])
    for recipient in chain:
        lang = catalog.default_language
        told = alert
        if recipient.user is not None:
            lang = notify.language_of(recipient.user, lang)
            if case is not None:  # a person, not the duty chat, may reassign
                told = Notice(alert.lines).row(press("button.reassign", "sv", "pick", case.id))
        notify.tell(session, recipient.chat_id, lang, told, catalog, city, now, kind=ALERT_KIND,
                    case=case)  # fmt: skip
    return len(chain)


def _community(case: Case | None, user: User | None, city: CityConfig) -> str | None:
    if case is not None:
        return community_of(case, city)
    if user is None:
        return None
    grid = city.grids.get(user.grid_id or "")
    return grid.community_id if grid is not None else user.community_id
