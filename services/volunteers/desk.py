"""What every volunteer service needs: the session, the config, the clock, and the outbox.

Services take a `VolunteerDesk` so a roster change and the messages it causes are written in
the caller's one transaction (the outbox pattern); messages are notices
(``bot.volunteer_words``), said in each recipient's language by the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Catalog
from bot.notices import Notice, Value
from bot.volunteer_words import coordinator_buttons, notice
from config.schema import CityConfig
from config.volunteers import VolunteerConfig
from services import notify
from storage.models import User
from storage.volunteers import CallOut


class VolunteerError(Exception):
    """A volunteer action refused; `key` names the catalog text, `values` fill it."""

    def __init__(self, key: str, **values: str) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass
class VolunteerDesk:
    """The session, config, catalog and clock (`now`, aware UTC) of one update or tick, shared
    by the volunteer services; `send_per_second` paces broadcasts."""

    session: AsyncSession
    city: CityConfig
    catalog: Catalog
    config: VolunteerConfig
    now: datetime
    # Telegram's overall send rate: a broadcast's rows are spread at it (see volunteers_batch).
    send_per_second: float = 30.0

    def lang_of(self, user: User) -> str:
        """The user's language, else the catalog's default."""
        return notify.language_of(user, self.catalog.default_language)

    def tell(self, user: User, told: Notice, *, kind: str = "volunteer") -> None:
        """Queue `told` to `user`, rendered in their language. No flush.

        Raises:
            CallbackDataTooLong: a button's data is over Telegram's 64 bytes.
        """
        notify.tell(
            self.session, user.telegram_id, self.lang_of(user), told, self.catalog, self.city,
            self.now, kind=kind,
        )  # fmt: skip

    async def tell_coordinator(self, callout: CallOut, key: str, **values: Value) -> None:
        """Queue `volunteer.<key>` about `callout` (its title as {title}) to its coordinator
        with their buttons; nothing when there is none or they are switched off."""
        if callout.coordinator_id is None:
            return
        coordinator = await self.session.get(User, callout.coordinator_id)
        if coordinator is None or not coordinator.active:
            return
        told = notice(key, {"title": callout.title, **values}, buttons=coordinator_buttons(callout))
        self.tell(coordinator, told, kind="callout_status")
