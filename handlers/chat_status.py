"""A person blocks or unblocks the bot (Telegram's my_chat_member update, private chats).

Blocked: their chat is marked unreachable at once, so the duty chain routes around them
before a message to them fails. Unblocked: their chat takes messages again; a worker gets the
cases that waited in their grid meanwhile, and any staff member the urgent cases of their scope
that never reached them (the handler edge's `welcome_back`). Nothing is said to a chat that
just blocked us.
"""

from __future__ import annotations

from telegram.ext import BaseHandler, ChatMemberHandler

from handlers.edge import Turn, edge


async def on_chat_status(turn: Turn) -> None:
    caller = turn.caller
    if caller.chat_id != caller.telegram_id:
        return  # a group the bot was added to or removed from: not this person's reachability
    if turn.incoming.blocked and caller.user.unreachable_at is None:
        caller.user.unreachable_at = turn.runtime.clock.now()


def build_chat_status_handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    return [ChatMemberHandler(edge(on_chat_status), ChatMemberHandler.MY_CHAT_MEMBER)]
