"""What the volunteer handlers share: the desk for this update, and replies with extras.

Volunteer replies may carry a map pin (sent as its own message after the texts) or new
buttons for the message just pressed (toggling a skill edits it in place, no new message).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callback_data import CallbackData
from bot.notices import Press, Renderer, Value
from bot.runtime import Runtime
from bot.volunteer_words import Described, card, say
from config.volunteers import volunteer_config
from handlers.common import Caller
from handlers.replies import Replies
from handlers.typed import is_label
from services.volunteers.callouts import load_callout
from services.volunteers.desk import VolunteerDesk, VolunteerError
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


def vt(desk: VolunteerDesk, lang: str, key: str, **values: Value) -> str:
    """The text `volunteer.<key>` in `lang`; values may be said in the reader's language
    (``bot.volunteer_words``: a call-out window, skills, a volunteer label)."""
    return Renderer(desk.catalog, desk.city).say(lang, say(key, **values))


def vbuttons(
    desk: VolunteerDesk, lang: str, rows: list[list[Press]]
) -> list[list[tuple[str, str]]]:
    """(label, callback data) rows of `rows` in `lang`."""
    return Renderer(desk.catalog, desk.city).buttons(lang, rows)


def card_text(desk: VolunteerDesk, lang: str, callout: Described) -> str:
    """The call-out's card (stored or still a draft) in `lang`."""
    return Renderer(desk.catalog, desk.city).say(lang, card(callout, desk.config.skills))


CANCEL_WORDS = frozenset({"cancel", "取消", "/cancel"})


def is_cancel(desk: VolunteerDesk, text: str) -> bool:
    """The cancel button of any keyboard, or the word typed."""
    return (
        is_label(text, desk.catalog.all_variants("button.cancel")) or text.lower() in CANCEL_WORDS
    )


def say_error(desk: VolunteerDesk, caller: Caller, error: VolunteerError, out: Replies) -> None:
    out.say(vt(desk, caller.lang, error.key, **error.values))


def stale(desk: VolunteerDesk, caller: Caller, out: Replies) -> None:
    out.callback_notice = desk.catalog.t(caller.lang, "error.stale_button")
    out.say(desk.catalog.t(caller.lang, "error.stale_button_hint"))


async def pressed_callout(
    session: AsyncSession, data: str, locking: frozenset[str]
) -> tuple[str, CallOut, tuple[str, ...]] | None:
    """`co:<action>:<id>[:...]` to (action, the call-out, the arguments after the id); None
    when the data is malformed or names no call-out. Actions in `locking` lock the row."""
    try:
        pressed = CallbackData.decode(data)
        action, callout_id = pressed.action, pressed.int_arg(0)
        callout = await load_callout(session, callout_id, lock=action in locking)
        return action, callout, pressed.args[1:]
    except (ValueError, VolunteerError):
        return None
