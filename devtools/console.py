"""Local mode: chat with the bot in a terminal, through the same Application and handlers.

No token and no network: the Bot API is the in-process stand-in, and the
bot's messages are printed. Buttons are numbered; type the number to press.
"""

from __future__ import annotations

import asyncio
import shlex
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from bot.app import build_application, build_runtime, prepare_database
from bot.background import background_of
from bot.settings import Settings
from devtools.local_api import LocalBotApi, LocalBotApiRequest
from devtools.local_api.calls import buttons, reply_buttons

CONSOLE_USER_ID = 10001
# The console's own instructions (not the bot's words), in both languages for newcomers.
HELP = (
    "像居民一样输入。输入数字按按钮（[1] 消息按钮，[k1] 键盘按钮）。\n"
    "Type as a resident would. Numbers press buttons ([1] inline, [k1] keyboard).\n"
    "/loc 纬度 经度 | LAT LON  位置 location · /photo [说明 caption]  照片 photo · /sticker\n"
    "/contact 电话 PHONE  留电话 share your number · /quit  退出 leave"
)

ReadLine = Callable[[], Awaitable[str | None]]


async def _stdin_line() -> str | None:
    try:
        return await asyncio.to_thread(input, "you> ")
    except EOFError:
        return None


class ConsoleChat:
    """Turns typed lines into updates and prints what the bot sent back."""

    def __init__(
        self,
        api: LocalBotApi,
        user_id: int,
        default_point: tuple[float, float],
        write: Callable[[str], None] = print,
    ) -> None:
        self.api = api
        self.user_id = user_id
        self.default_point = default_point
        self.write = write
        self.seen = 0
        self.inline: list[tuple[int, str]] = []  # (message_id, callback_data)
        self.keyboard: list[Any] = []

    def to_update(self, line: str) -> dict[str, Any] | None:
        text = line.strip()
        if text.isdigit() and 0 < int(text) <= len(self.inline):
            message_id, data = self.inline[int(text) - 1]
            return self.api.callback_update(self.user_id, message_id, data)
        if text.startswith("k") and text[1:].isdigit() and 0 < int(text[1:]) <= len(self.keyboard):
            button = self.keyboard[int(text[1:]) - 1]
            if button.request_location:
                return self.api.location_update(self.user_id, *self.default_point)
            if button.request_contact:
                return self.api.contact_update(self.user_id, "13800000000")
            return self.api.text_update(self.user_id, button.text)
        words = shlex.split(text) if text.startswith("/") else []
        if words and words[0] == "/loc" and len(words) == 3:
            return self.api.location_update(self.user_id, float(words[1]), float(words[2]))
        if words and words[0] == "/photo":
            return self.api.photo_update(self.user_id, caption=" ".join(words[1:]) or None)
        if words and words[0] == "/sticker":
            return self.api.sticker_update(self.user_id)
        if words and words[0] == "/contact" and len(words) == 2:
            return self.api.contact_update(self.user_id, words[1])
        if text.startswith("/"):
            return self.api.command_update(self.user_id, text)
        return self.api.text_update(self.user_id, line)

    def show_new_messages(self) -> None:
        for call in self.api.calls[self.seen :]:
            if not call.method.lower().startswith(("send", "edit")) or not call.ok:
                continue
            if call.params.get("chat_id") not in (self.user_id, str(self.user_id)):
                continue  # staff pings go to other chats
            self.write(f"bot> {call.params.get('text') or call.params.get('caption') or ''}")
            inline = buttons(call)
            if inline:
                message_id = int(call.result["message_id"]) if call.result else 0
                self.inline = [(message_id, data) for _, data in inline]
                for n, (label, _) in enumerate(inline, start=1):
                    self.write(f"     [{n}] {label}")
            keys = reply_buttons(call)
            if keys or "remove_keyboard" in str(call.params.get("reply_markup", "")):
                self.keyboard = list(keys)
                for n, key in enumerate(keys, start=1):
                    self.write(f"     [k{n}] {key.text}")
        self.seen = len(self.api.calls)


async def run_console(settings: Settings, read_line: ReadLine = _stdin_line) -> None:
    runtime = build_runtime(settings)
    await prepare_database(runtime)
    api = LocalBotApi()
    app = build_application(
        runtime, request=LocalBotApiRequest(api), get_updates_request=LocalBotApiRequest(api)
    )
    first_grid = next(iter(runtime.city.grids.values()))
    chat = ConsoleChat(api, CONSOLE_USER_ID, first_grid.centre())
    print(f"GridDesk local mode · database {settings.database_url} · NLU {runtime.nlu.name}")
    print(HELP)
    async with app:
        await app.start()  # the job queue (SLA scan, digest)
        background = background_of(app)
        background.start()  # the outbox dispatcher: notifications show up here too
        await app.process_update(
            Update.de_json(chat.api.command_update(CONSOLE_USER_ID, "/start"), app.bot)
        )
        chat.show_new_messages()
        while (line := await read_line()) is not None:
            if line.strip() in ("/quit", "/exit"):
                break
            update = chat.to_update(line)
            if update is None:
                continue
            await app.process_update(Update.de_json(update, app.bot))
            await asyncio.sleep(0.05)  # let the dispatcher deliver what this update queued
            chat.show_new_messages()
        await background.stop()
        await app.stop()
    await runtime.db.dispose()
