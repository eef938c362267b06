"""What the volunteer handlers share: the desk for this update, and replies with extras.

Volunteer replies may carry a map pin (sent as its own message after the texts) or new
buttons for the message just pressed (toggling a skill edits it in place, no new message).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update

from bot.runtime import Runtime
from bot.services.volunteers_callouts import load_callout
from bot.services.volunteers_desk import VolunteerDesk, VolunteerError
from config.volunteers import volunteer_config
from handlers.common import Caller
from handlers.replies import Replies
from storage.volunteers import CallOut


def desk_for(session: AsyncSession, runtime: Runtime) -> VolunteerDesk:
    return VolunteerDesk(
        session=session,
        city=runtime.city,
        catalog=runtime.catalog,
        config=volunteer_config(runtime.settings.config_dir),
        now=runtime.clock.now(),
        send_per_second=runtime.settings.send_per_second,
    )


CANCEL_WORDS = frozenset({"cancel", "取消", "/cancel"})


def is_cancel(desk: VolunteerDesk, text: str) -> bool:
    """The cancel button of any keyboard, or the word typed."""
    return text in desk.catalog.all_variants("button.cancel") or text.lower() in CANCEL_WORDS


def say_error(desk: VolunteerDesk, caller: Caller, error: VolunteerError, out: Replies) -> None:
    out.say(desk.t(caller.lang, error.key, **error.values))


def stale(desk: VolunteerDesk, caller: Caller, out: Replies) -> None:
    out.callback_notice = desk.catalog.t(caller.lang, "error.stale_button")
    out.say(desk.catalog.t(caller.lang, "error.stale_button_hint"))


@dataclass
class VolunteerReplies(Replies):
    pins: list[tuple[float, float]] = field(default_factory=list)
    # Replaces the buttons of the message that was pressed.
    new_markup: InlineKeyboardMarkup | None = None

    def pin(self, location: tuple[float, float] | None) -> None:
        if location is not None:
            self.pins.append(location)

    async def send(self, update: Update) -> None:
        query = update.callback_query
        if query is not None and self.new_markup is not None and query.message is not None:
            await query.edit_message_reply_markup(self.new_markup)
        await super().send(update)
        chat = update.effective_chat
        if chat is None:
            return
        for latitude, longitude in self.pins:
            await chat.send_location(latitude=latitude, longitude=longitude)


async def pressed_callout(
    session: AsyncSession, data: str, locking: frozenset[str]
) -> tuple[str, CallOut, list[str]] | None:
    """`co:<action>:<id>[:...]` to (action, the call-out, all parts); None when the data is
    malformed or names no call-out. Actions in `locking` lock the row (roster changes)."""
    parts = data.split(":")
    try:
        action, callout_id = parts[1], int(parts[2])
        return action, await load_callout(session, callout_id, lock=action in locking), parts
    except (IndexError, ValueError, VolunteerError):
        return None
