"""Long polling against the Bot API base URL from settings."""

from __future__ import annotations

from telegram import Update

from bot.settings import Settings
from entrypoints.app import build_application, build_runtime


def run_polling(settings: Settings) -> None:
    runtime = build_runtime(settings)
    app = build_application(runtime, prepare=True)
    app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
