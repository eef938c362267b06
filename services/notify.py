"""Notifications through the outbox, written in the caller's transaction.

Everything a person is told about a case goes through here, in that
person's language, so a status change and its message commit together.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog
from bot.notices import Notice, Renderer
from bot.telegram_limits import checked_callback_data, fit_text
from config.schema import CityConfig
from storage.models import Case, CaseFollower, OutboxMessage, User
from storage.payloads import Attachments, OutboxPayload, attach
from storage.repositories import OutboxRepository

# The error of a row kept for a resident who blocked the bot (bot.outbox.outcomes.BLOCKED).
HELD = "blocked"


def language_of(user: User, fallback: str) -> str:
    """The user's chosen language, else the one they last wrote in, else `fallback`."""
    return user.language or user.last_language or fallback


async def residents_of(session: AsyncSession, case: Case) -> list[User]:
    """The reporter and everyone who joined the case (并单), active users only."""
    followers = select(CaseFollower.user_id).where(CaseFollower.case_id == case.id)
    result = await session.execute(
        select(User).where((User.id == case.reporter_id) | User.id.in_(followers))
    )
    return [u for u in result.scalars() if u.active]


async def residents_of_cases(session: AsyncSession, cases: Sequence[Case]) -> dict[int, list[User]]:
    """`residents_of` for many cases in two queries (the SLA scan closes hundreds at once):
    case id -> active residents by user id; every case is a key ([] when nobody is left)."""
    wanted: dict[int, set[int]] = {c.id: {c.reporter_id} if c.reporter_id else set() for c in cases}
    if not wanted:
        return {}
    followers = await session.execute(
        select(CaseFollower.case_id, CaseFollower.user_id).where(CaseFollower.case_id.in_(wanted))
    )
    for case_id, user_id in followers:
        wanted[case_id].add(user_id)
    ids = set().union(*wanted.values())
    users = {
        u.id: u
        for u in (await session.execute(select(User).where(User.id.in_(ids)))).scalars()
        if u.active
    }
    return {
        case_id: sorted((users[i] for i in user_ids if i in users), key=lambda u: u.id)
        for case_id, user_ids in wanted.items()
    }


def case_values(case: Case, city: CityConfig, lang: str) -> dict[str, str]:
    """The catalog values every case message uses: {"number", "case_type", "grid"} in `lang`
    ("-" for no grid).

    Raises:
        KeyError: the case's type is not in the city's config.
    """
    grid = city.grids.get(case.grid_id or "")
    return {
        "number": case.number,
        "case_type": city.case_type(case.case_type).name.get(lang),
        "grid": grid.name.get(lang) if grid else "-",
    }


def queue(
    session: AsyncSession,
    user: User,
    text: str,
    now: datetime,
    *,
    kind: str,
    case: Case | None = None,
    buttons: list[list[tuple[str, str]]] | None = None,
    extra: Attachments | None = None,
) -> None:
    """queue_to_chat to the user's own chat.

    Raises:
        CallbackDataTooLong: a button's data is over Telegram's 64 bytes.
    """
    row = queue_to_chat(
        session, user.telegram_id, text, now, kind=kind, case=case, buttons=buttons, extra=extra
    )
    hold_if_blocked(row, user)


def hold_if_blocked(row: OutboxMessage, user: User) -> None:
    """A resident who blocked the bot: the row is kept, not tried, until they write again
    (services.delivery.release_held). Staff are routed round instead (services.delivery)."""
    if user.unreachable_at is not None and user.role not in ("worker", "supervisor"):
        row.status, row.error = "failed", HELD


def queue_to_chat(
    session: AsyncSession,
    chat_id: int,
    text: str,
    now: datetime,
    *,
    kind: str,
    case: Case | None = None,
    buttons: list[list[tuple[str, str]]] | None = None,
    extra: Attachments | None = None,
) -> OutboxMessage:
    """One outbox row, fitted to Telegram's limits here rather than refused at send time
    (a photo's caption too long is sent as the photo, then the text: bot.outbox.send).

    `buttons`: rows of (label, callback data); `extra`: a map pin, a photo or an expiry
    (``storage.payloads.Attachments``). `now` is aware UTC. Adds the row, no flush.

    Raises:
        CallbackDataTooLong: a button's data is empty or over Telegram's 64 bytes.
    """
    payload = attach(OutboxPayload(text=fit_text(text)), extra or Attachments())
    if buttons:
        payload["buttons"] = [
            [{"text": t, "data": checked_callback_data(d)} for t, d in row] for row in buttons
        ]
    return OutboxRepository(session).add(
        chat_id, kind, payload, now, case_id=case.id if case else None
    )


def tell(
    session: AsyncSession,
    chat_id: int,
    lang: str,
    notice: Notice,
    catalog: Catalog,
    city: CityConfig,
    now: datetime,
    *,
    kind: str,
    case: Case | None = None,
) -> OutboxMessage:
    """Queue `notice` to `chat_id`, rendered in `lang` (``bot.notices.Renderer``: the one
    place notices become words). `now` is aware UTC. Adds the row, no flush.

    Raises:
        CallbackDataTooLong: a button's data is over Telegram's 64 bytes.
    """
    render = Renderer(catalog, city)
    return queue_to_chat(
        session, chat_id, render.text(lang, notice), now, kind=kind, case=case,
        buttons=render.buttons(lang, notice.buttons) or None, extra=notice.extra or None,
    )  # fmt: skip


async def tell_residents(
    session: AsyncSession,
    case: Case,
    notice: Notice,
    city: CityConfig,
    catalog: Catalog,
    now: datetime,
    *,
    residents: list[User] | None = None,
) -> int:
    """Queue `notice` to the reporter and followers (or the `residents` already looked up),
    each in their own language. Returns how many were queued.

    Raises:
        CallbackDataTooLong: a button's data is over Telegram's 64 bytes.
    """
    if residents is None:
        residents = await residents_of(session, case)
    for resident in residents:
        lang = language_of(resident, case.language)
        row = tell(session, resident.telegram_id, lang, notice, catalog, city, now,
                   kind="status", case=case)  # fmt: skip
        hold_if_blocked(row, resident)
    return len(residents)
