"""Drive the real Application with real update JSON; only Telegram's network is faked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.clock import ManualClock
from bot.runtime import Runtime
from bot.settings import Settings
from devtools.local_api import LocalBotApi, LocalBotApiRequest
from devtools.local_api.calls import ApiCall, ReplyButton
from entrypoints.app import build_application, build_runtime, prepare_database
from entrypoints.background import background_of
from nlu.types import NluBackend


class BotHarness:
    def __init__(self, runtime: Runtime, app: Application, api: LocalBotApi) -> None:  # type: ignore[type-arg]
        self.runtime = runtime
        self.app = app
        self.api = api
        self.clock = runtime.clock

    @classmethod
    @asynccontextmanager
    async def start(
        cls,
        settings: Settings,
        *,
        nlu: NluBackend | None = None,
        clock: ManualClock | None = None,
    ) -> AsyncIterator[BotHarness]:
        runtime = build_runtime(settings, nlu=nlu, clock=clock or ManualClock())
        await prepare_database(runtime)
        api = LocalBotApi()
        app = build_application(
            runtime, request=LocalBotApiRequest(api), get_updates_request=LocalBotApiRequest(api)
        )
        try:
            async with app:
                yield cls(runtime, app, api)
        finally:
            await runtime.db.dispose()

    async def feed(self, update: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(update, self.app.bot))

    async def send(self, user_id: int, text: str, language_code: str | None = None) -> None:
        build = self.api.command_update if text.startswith("/") else self.api.text_update
        if language_code is None:
            await self.feed(build(user_id, text))
        else:
            await self.feed(build(user_id, text, language_code=language_code))

    async def share_location(self, user_id: int, lat: float, lon: float) -> None:
        await self.feed(self.api.location_update(user_id, lat, lon))

    async def press(self, user_id: int, label_part: str) -> None:
        """Press the newest inline button whose label contains `label_part`."""
        for call in reversed(self.api.sent_to(user_id)):
            for label, data in self.api.buttons(call):
                if label_part in label:
                    message_id = int(call.result["message_id"])
                    await self.feed(self.api.callback_update(user_id, message_id, data))
                    return
        raise AssertionError(
            f"no button containing {label_part!r} was sent to {user_id}: {self.texts(user_id)}"
        )

    async def press_keyboard(self, user_id: int, label_part: str) -> None:
        """Press a reply-keyboard button: Telegram sends its text (or location, or contact)."""
        button = self.reply_button(user_id, label_part)
        await self.send(user_id, button.text)

    def reply_button(self, user_id: int, label_part: str) -> ReplyButton:
        for call in reversed(self.api.sent_to(user_id)):
            for button in self.api.reply_buttons(call):
                if label_part in button.text:
                    return button
        raise AssertionError(f"no keyboard button containing {label_part!r} for {user_id}")

    def texts(self, user_id: int) -> list[str]:
        return [
            str(c.params.get("text") or c.params.get("caption") or "")
            for c in self.api.sent_to(user_id)
        ]

    def calls(self, user_id: int) -> list[ApiCall]:
        return self.api.sent_to(user_id)

    def last_text(self, user_id: int) -> str:
        return self.api.last_text(user_id)


async def deliver_outbox(bot: BotHarness) -> int:
    """Run the dispatcher production uses (with its blocked-chat and failure hooks) once
    against the stand-in; returns rows sent."""
    result = await background_of(bot.app).dispatcher.run_once()
    return int(result.sent)
