"""Long polling against the Bot API base URL from settings."""

from __future__ import annotations

from telegram import Update

from bot.app import build_application, build_runtime
from bot.settings import Settings


def run_polling(settings: Settings) -> None:
    runtime = build_runtime(settings)
    app = build_application(runtime, prepare=True)
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
