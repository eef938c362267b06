"""An in-memory Telegram Bot API server: the one stand-in behind tests, benchmarks and the
local console mode, answering in Telegram's own shapes and words so PTB parses it unchanged."""

from __future__ import annotations

import asyncio
import copy
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any

from devtools.local_api.calls import (
    DELIVERY_METHODS,
    SEND_METHODS,
    ApiCall,
    ApiError,
    ReplyButton,
    bad_request,
)
from devtools.local_api.calls import buttons as _buttons
from devtools.local_api.calls import reply_buttons as _reply_buttons
from devtools.local_api.chats import ChatStore
from devtools.local_api.methods import MESSAGE_METHODS
from devtools.local_api.params import decode_params
from devtools.local_api.ratelimit import FloodControl, RateLimits
from devtools.local_api.updates import UpdateBuilders

JSON = dict[str, Any]
ServiceMethod = Callable[[JSON], Awaitable[Any]]

_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_TEXT_FIELDS = ("text", "caption")
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")


class LocalBotApi(UpdateBuilders):
    """Answers Bot API methods from memory and records every call for assertions.

    Not thread-safe: use it from the event loop that runs the bot.
    """

    def __init__(
        self,
        bot_id: int = 7000000001,
        username: str = "griddesk_bot",
        limits: RateLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot_user: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "GridDesk",
            "username": username,
        }
        self.calls: list[ApiCall] = []
        self._clock = clock
        self._store = ChatStore(self.bot_user)
        self._flood = FloodControl(limits, clock) if limits else None
        self._blocked: set[int] = set()
        self._failures: dict[str, deque[ApiError]] = {}
        self._updates: list[JSON] = []
        self._last_update_id = 0
        self._allowed_updates: list[str] = []
        self._webhook: JSON = {}
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._listeners: list[Callable[[ApiCall], None]] = []
        self._changed = asyncio.Event()
        self._service: dict[str, ServiceMethod] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "close": self._acknowledge,
            "logOut": self._acknowledge,
        }
        self._canonical = {name.lower(): name for name in (*self._service, *MESSAGE_METHODS)}

    # -- serving ---------------------------------------------------------------------------

    async def handle(self, method: str, params: dict[str, Any]) -> tuple[int, JSON]:
        """Answer one Bot API request: HTTP status and the JSON body Telegram would send."""
        name = self._canonical.get(method.lower(), method)
        decoded = decode_params(params)
        try:
            result = await self._dispatch(name, decoded)
        except ApiError as error:
            self._record(ApiCall(name, decoded, self._clock(), error.status, error.description))
            return error.status, error.body()
        self._record(ApiCall(name, decoded, self._clock(), 200, result))
        return 200, {"ok": True, "result": result}

    async def _dispatch(self, name: str, p: JSON) -> Any:
        queued = self._failures.get(name.lower())
        if queued:
            raise queued.popleft()
        method = MESSAGE_METHODS.get(name)
        if method is not None:
            chat_id = p.get("chat_id")
            if chat_id in self._blocked and (name in DELIVERY_METHODS or name == "sendChatAction"):
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            flood = self._flood if name in SEND_METHODS else None
            if flood is not None and isinstance(chat_id, int):
                flood.check(chat_id)
            result = method(self._store, p)
            if flood is not None and isinstance(chat_id, int):
                flood.note(chat_id)  # only sends that went out count against the limits
            return result
        service = self._service.get(name)
        if service is None:
            raise ApiError(404, "Not Found: method not found")
        return await service(p)

    def _record(self, call: ApiCall) -> None:
        self.calls.append(call)
        for listener in self._listeners:
            listener(call)
        self._notify()

    def _notify(self) -> None:
        """Wake every waiter (long polls, ``wait_for_sent``); a fresh event serves the next."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_until(self, done: Callable[[], bool], seconds: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not done():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            with suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return True

    # -- service methods -------------------------------------------------------------------

    async def _get_me(self, p: JSON) -> JSON:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, p: JSON) -> list[JSON]:
        if self._webhook.get("url"):
            raise ApiError(409, _WEBHOOK_CONFLICT)
        offset = _as_int(p.get("offset"), 0)
        limit = min(max(_as_int(p.get("limit"), 100), 1), 100)
        timeout = max(_as_float(p.get("timeout"), 0.0), 0.0)
        if isinstance(p.get("allowed_updates"), list):
            self._allowed_updates = [str(kind) for kind in p["allowed_updates"]]
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        await self._wait_until(lambda: bool(self._deliverable()), timeout)
        return copy.deepcopy(self._deliverable()[:limit])

    def _deliverable(self) -> list[JSON]:
        allowed = self._allowed_updates
        return [u for u in self._updates if not allowed or _update_kind(u) in allowed]

    async def _set_webhook(self, p: JSON) -> bool:
        if not p.get("url"):
            return await self._delete_webhook(p)
        kept = ("url", "secret_token", "max_connections")
        self._webhook = {key: p[key] for key in kept if key in p}
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _delete_webhook(self, p: JSON) -> bool:
        self._webhook = {}
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _get_webhook_info(self, p: JSON) -> JSON:
        return {
            "url": self._webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _set_my_commands(self, p: JSON) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise bad_request("commands must be an Array")
        for entry in commands:
            command = str(entry.get("command", "")) if isinstance(entry, dict) else ""
            description = str(entry.get("description", "")) if isinstance(entry, dict) else ""
            if not (_COMMAND.fullmatch(command) and 1 <= len(description) <= 256):
                raise bad_request("BOT_COMMAND_INVALID")
        self._commands[_commands_key(p)] = [
            {"command": e["command"], "description": e["description"]} for e in commands
        ]
        return True

    async def _get_my_commands(self, p: JSON) -> list[JSON]:
        return copy.deepcopy(self._commands.get(_commands_key(p), []))

    async def _delete_my_commands(self, p: JSON) -> bool:
        self._commands.pop(_commands_key(p), None)
        return True

    async def _acknowledge(self, p: JSON) -> bool:
        return True

    # -- the resident's side ---------------------------------------------------------------

    def _next_update_id(self) -> int:
        self._last_update_id += 1
        return self._last_update_id

    def push_update(self, update: JSON) -> None:
        """Queue an update (a copy, with the next update_id) for getUpdates."""
        queued = {**update, "update_id": self._next_update_id()}
        self._updates.append(queued)
        self._notify()

    @property
    def pending_updates(self) -> int:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        return len(self._updates)

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: deliveries to the chat now answer 403."""
        self._blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    def fail_next(
        self,
        method: str,
        status: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail this way (queued after earlier ones)."""
        queue = self._failures.setdefault(method.lower(), deque())
        queue.extend(ApiError(status, description, retry_after) for _ in range(times))

    def download(self, file_path: str) -> bytes | None:
        """The content behind a getFile ``file_path``, as ``/file/bot<token>/<path>`` serves it."""
        stored = self._store.files_by_path.get(file_path)
        return None if stored is None else stored.content

    # -- assertions ------------------------------------------------------------------------

    def add_listener(self, listener: Callable[[ApiCall], None]) -> None:
        """Call ``listener`` with every recorded call, e.g. to print replies in console mode."""
        self._listeners.append(listener)

    def sent_to(self, chat_id: int, *, include_failed: bool = False) -> list[ApiCall]:
        """send*/edit* calls to a chat, oldest first; only delivered ones unless asked."""
        return [
            call
            for call in self.calls
            if call.method in DELIVERY_METHODS
            and call.params.get("chat_id") == chat_id
            and (include_failed or call.ok)
        ]

    def last_text(self, chat_id: int) -> str:
        """Text (or caption) of the latest delivered send/edit to the chat that carries one."""
        for call in reversed(self.sent_to(chat_id)):
            for field in _TEXT_FIELDS:
                if isinstance(call.params.get(field), str):
                    return str(call.params[field])
        raise LookupError(f"no text was delivered to chat {chat_id}")

    async def wait_for_sent(
        self, chat_id: int, *, count: int = 1, within: float = 5.0
    ) -> list[ApiCall]:
        """Wait until the chat has ``count`` delivered sends/edits (a bot running on its own
        task replies later); fail after ``within`` seconds rather than hang a test."""
        if not await self._wait_until(lambda: len(self.sent_to(chat_id)) >= count, within):
            got = len(self.sent_to(chat_id))
            raise TimeoutError(f"chat {chat_id} got {got} of {count} messages in {within}s")
        return self.sent_to(chat_id)

    @staticmethod
    def buttons(call: ApiCall) -> list[tuple[str, str]]:
        """Inline buttons of a call as ``(text, callback_data)``."""
        return _buttons(call)

    @staticmethod
    def reply_buttons(call: ApiCall) -> list[ReplyButton]:
        """Reply-keyboard buttons of a call with their request_location/contact flags."""
        return _reply_buttons(call)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_int(value: object, default: int) -> int:
    return int(value) if isinstance(value, int | float) and _is_number(value) else default


def _as_float(value: object, default: float) -> float:
    return float(value) if isinstance(value, int | float) and _is_number(value) else default


def _update_kind(update: JSON) -> str:
    return next((key for key in update if key != "update_id"), "")


def _commands_key(p: JSON) -> tuple[str, str]:
    scope = p.get("scope")
    if not isinstance(scope, dict):
        scope = {"type": "default"}
    return repr(sorted(scope.items())), str(p.get("language_code") or "")
