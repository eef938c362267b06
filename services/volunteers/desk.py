"""What every volunteer service needs: the session, the config, the clock, and the words.

Services take a `VolunteerDesk` so a roster change and the messages it causes are written in
the caller's one transaction (the outbox pattern), in each recipient's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callback_data import button_data
from bot.i18n import Catalog
from config.schema import CityConfig
from config.volunteers import VolunteerConfig
from services import notify
from storage.models import User
from storage.payloads import Attachments
from storage.volunteers import CallOut

Buttons = list[list[tuple[str, str]]]


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

    def t(self, lang: str, key: str, **values: Any) -> str:
        """The catalog text `volunteer.<key>` in `lang`, filled with `values`."""
        return self.catalog.t(lang, f"volunteer.{key}", **values)

    def tell(
        self,
        user: User,
        key: str,
        *,
        kind: str = "volunteer",
        buttons: Buttons | None = None,
        location: tuple[float, float] | None = None,
        **values: Any,
    ) -> None:
        """Queue `volunteer.<key>` to `user` in their language; `location` (lat, lon in WGS84
        degrees) adds a map pin. No flush.

        Raises:
            CallbackDataTooLong: a button's data is over Telegram's 64 bytes.
        """
        lang = self.lang_of(user)
        extra: Attachments | None = {"location": list(location)} if location else None
        notify.queue(
            self.session,
            user,
            self.t(lang, key, **values),
            self.now,
            kind=kind,
            buttons=buttons,
            extra=extra,
        )

    async def tell_coordinator(self, callout: CallOut, key: str, **values: Any) -> None:
        """Queue a message about `callout` to its coordinator with their buttons; nothing when
        there is none or they are switched off."""
        if callout.coordinator_id is None:
            return
        coordinator = await self.session.get(User, callout.coordinator_id)
        if coordinator is None or not coordinator.active:
            return
        lang = self.lang_of(coordinator)
        self.tell(
            coordinator,
            key,
            kind="callout_status",
            buttons=coordinator_buttons(self, lang, callout),
            title=callout.title,
            **values,
        )


def coordinator_buttons(desk: VolunteerDesk, lang: str, callout: CallOut) -> Buttons:
    """Roster, progress, change, cancel: what a coordinator can do with a live call-out."""
    if callout.status != "active":
        return [[(desk.t(lang, "button.roster"), button_data("co", "ros", callout.id))]]
    cid = callout.id
    return [
        [
            (desk.t(lang, "button.roster"), button_data("co", "ros", cid)),
            (desk.t(lang, "button.progress"), button_data("co", "prog", cid)),
        ],
        [
            (desk.t(lang, "button.change"), button_data("co", "chg", cid)),
            (desk.t(lang, "button.cancel_callout"), button_data("co", "x", cid)),
        ],
    ]
