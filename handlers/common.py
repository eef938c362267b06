"""What every handler does first: find the caller, pick the language, reply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Message, Update
from telegram.ext import CallbackContext

from bot.i18n import choose_language, script_language
from bot.runtime import Runtime, runtime_of
from services.delivery import STAFF_ROLES, clear_unreachable, release_held
from storage.conversations import load_user_with_conversations
from storage.models import User

Context = CallbackContext[Any, Any, Any, Any]


@dataclass
class Caller:
    """The Telegram user behind an update, as the store knows them."""

    telegram_id: int
    chat_id: int
    user: User
    lang: str
    first_name: str = ""  # Telegram's, offered as a volunteer's name; stored only if chosen
    # Staff whose chat had refused us (blocked the bot) and who now reach us again: cases
    # that waited in their grid meanwhile are theirs again (handlers.edge).
    returned: bool = False


async def load_caller(
    session: AsyncSession,
    update: Update,
    rt: Runtime,
    text: str | None = None,
    *,
    reachable: bool = True,
) -> Caller:
    """The caller as the store knows them (made a resident when new), in their language.
    `reachable`: the update shows their chat takes messages (False for "blocked the bot")."""
    tg_user = update.effective_user
    chat = update.effective_chat
    assert tg_user is not None and chat is not None
    code, default = tg_user.language_code, rt.settings.default_language
    script = script_language(text) if text else None
    # With their conversations in one query: the step reads them without SQL. A new user is
    # made with the language seen below already set (no UPDATE after the INSERT).
    first_seen = script or choose_language(None, text, code, default)
    user = await load_user_with_conversations(session, tg_user.id, rt.clock.now(), first_seen)
    lang = choose_language(user.language, text, code, default, last_seen=user.last_language)
    # Remembered for messages sent to them later (outbox) and for updates
    # without text: the script they last wrote in, else what Telegram said.
    seen = script or (None if user.last_language else lang)
    if seen and seen != user.last_language:
        user.last_language = seen
    returned = False
    if reachable:  # they wrote to us (or unblocked us), so their chat takes messages again
        returned = user.unreachable_at is not None and user.active and user.role in STAFF_ROLES
        if user.unreachable_at is not None:
            await release_held(session, user, rt.clock.now())
        clear_unreachable(user)
    return Caller(tg_user.id, chat.id, user, lang, tg_user.first_name or "", returned)


async def reply(update: Update, text: str, **kwargs: Any) -> Message | None:
    """Answer in the chat the update came from (message or button press)."""
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(text, **kwargs)


def rt(context: Context) -> Runtime:
    return runtime_of(context)
