"""Per-user flood limit: one resident sending too fast gets one polite answer a minute,
and the bot stays responsive to everyone else (DESIGN.md "Bad input": floods from one user).
A message that names an emergency (the safety net's cues) always goes through.

Counted per process: with several instances each allows the limit, which still
bounds a flood to a small multiple; no shared state is needed on the hot path.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot.i18n import choose_language
from handlers.common import Context, rt
from services.places import emergency_words

WINDOW_SECONDS = 60.0


class FloodGuard:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._seen: dict[int, deque[float]] = {}
        self._warned_at: dict[int, float] = {}

    def allow(self, user_id: int) -> bool:
        now = self.clock()
        times = self._seen.setdefault(user_id, deque())
        while times and now - times[0] > WINDOW_SECONDS:
            times.popleft()
        if len(times) >= self.per_minute:
            return False
        times.append(now)
        return True

    def should_warn(self, user_id: int) -> bool:
        """Warn once per window, so the warning itself is not a flood."""
        now = self.clock()
        if now - self._warned_at.get(user_id, -WINDOW_SECONDS - 1) > WINDOW_SECONDS:
            self._warned_at[user_id] = now
            return True
        return False


def build_flood_handler(guard: FloodGuard) -> BaseHandler:  # type: ignore[type-arg]
    async def check(update: Update, context: Context) -> None:
        user = update.effective_user
        if update.edited_message is not None and update.edited_message.location is not None:
            return  # a live location moving: quiet, and not the resident's doing
        if user is None or guard.allow(user.id):
            return
        runtime, message = rt(context), update.effective_message
        words = (message.text or message.caption or "") if message is not None else ""
        if words and emergency_words(runtime.city, words)[0] is not None:
            return  # a panicking resident types fast: a call for help is never held back
        if guard.should_warn(user.id) and update.effective_chat is not None:
            lang = choose_language(
                None,
                message.text if message else None,
                user.language_code,
                runtime.settings.default_language,
            )
            await update.effective_chat.send_message(runtime.catalog.t(lang, "error.flood"))
        if update.callback_query is not None:
            await update.callback_query.answer()
        raise ApplicationHandlerStop

    return TypeHandler(Update, check)
