"""The floor under GridDesk's per-update cost: python-telegram-bot's Application, one ORM
write and one reply, on the same store and the same in-process Bot API stand-in.

bench/reports.py prints GridDesk's cost per update as a multiple of this floor.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.ext import Application, MessageHandler, filters

from devtools.local_api import LocalBotApi, LocalBotApiRequest
from storage.db import Database
from storage.migrate import upgrade
from storage.models import ConversationState

FLOOR_TOKEN = "0:floor"


async def floor_ms_per_update(database_url: str, updates: int) -> float:
    """Mean milliseconds per text update through the floor application."""
    api = LocalBotApi()
    db = Database(database_url)
    await upgrade(db)

    written = iter(range(1, 10**9))

    async def on_text(update: Update, context: Any) -> None:
        message, chat = update.effective_message, update.effective_chat
        assert message is not None and chat is not None
        async with db.transaction() as session:
            session.add(
                ConversationState(
                    telegram_id=next(written),
                    conversation="floor",
                    state="seen",
                    data={"text": message.text},
                    updated_at=datetime.now(UTC),
                )
            )
        await chat.send_message("ok")

    app = (
        Application.builder()
        .token(FLOOR_TOKEN)
        .request(LocalBotApiRequest(api))
        .get_updates_request(LocalBotApiRequest(api))
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, on_text))
    try:
        async with app:
            await app.process_update(Update.de_json(api.text_update(1, "warm-up"), app.bot))
            started = time.perf_counter()
            for n in range(updates):
                text = api.text_update(2 + n % 50, f"路灯坏了 {n}")
                await app.process_update(Update.de_json(text, app.bot))
            return (time.perf_counter() - started) * 1000 / updates
    finally:
        await db.dispose()
