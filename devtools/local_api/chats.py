"""The stand-in's memory of users, chats, messages and files.

Methods (the bot's side) and update builders (the resident's side) share it, so message ids
run on per chat across both sides, a button press refers to the message the bot really sent,
and a photo a resident sent can be fetched with getFile.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

DEFAULT_FIRST_NAME = "Resident"
DEFAULT_LANGUAGE_CODE = "zh-hans"
_PHOTO_SIZES = (("s", 90, 67), ("m", 320, 240), ("x", 1280, 960))


@dataclass(frozen=True)
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes

    def as_file(self) -> dict[str, Any]:
        """The Bot API ``File`` object that getFile returns."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "file_path": self.file_path,
        }


class ChatStore:
    def __init__(self, bot_user: dict[str, Any]) -> None:
        self.bot_user = bot_user
        self.users: dict[int, dict[str, Any]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self._last_message_id: dict[int, int] = {}
        self._serial = 0

    def next_serial(self) -> int:
        """A process-wide counter for ids that only need to be unique (files, queries)."""
        self._serial += 1
        return self._serial

    def user(
        self, user_id: int, first_name: str | None = None, language_code: str | None = None
    ) -> dict[str, Any]:
        """The user's profile, updated with what is given; unknown users get friendly defaults."""
        known = self.users.get(user_id, {})
        profile = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name or known.get("first_name") or DEFAULT_FIRST_NAME,
            "language_code": language_code or known.get("language_code") or DEFAULT_LANGUAGE_CODE,
        }
        self.users[user_id] = profile
        return dict(profile)

    def chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            user = self.users.get(chat_id, {})
            first_name = user.get("first_name", DEFAULT_FIRST_NAME)
            return {"id": chat_id, "type": "private", "first_name": first_name}
        return {"id": chat_id, "type": "supergroup", "title": f"Group {chat_id}"}

    def add_message(
        self, chat_id: int, sender: dict[str, Any], content: dict[str, Any]
    ) -> dict[str, Any]:
        """Store a new message with the chat's next id and return a snapshot of it.

        Stored messages only ever get top-level keys replaced (edits), never nested objects
        mutated, so a shallow copy keeps earlier results unchanged at a fraction of deepcopy.
        """
        message_id = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = message_id
        message = {
            "message_id": message_id,
            "from": dict(sender),
            "chat": self.chat(chat_id),
            "date": int(time.time()),
            **content,
        }
        self.messages[(chat_id, message_id)] = message
        return dict(message)

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        return self.messages.get((chat_id, message_id))

    def add_file(
        self, content: bytes, kind: str, extension: str, file_id: str | None = None
    ) -> StoredFile:
        """Keep a file so getFile and downloads work; a known file_id is reused, not replaced."""
        if file_id is not None and file_id in self.files:
            return self.files[file_id]
        serial = self.next_serial()
        stored = StoredFile(
            file_id=file_id or f"{kind}-{serial:06d}",
            file_unique_id=f"unique-{serial:06d}",
            file_path=f"{kind}s/file_{serial}.{extension}",
            content=content,
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    def photo_sizes(self, content: bytes, file_id: str | None = None) -> list[dict[str, Any]]:
        """A photo in Telegram's several sizes, smallest first; ``file_id`` names the largest."""
        sizes = []
        for label, width, height in _PHOTO_SIZES:
            size_id = None if file_id is None else file_id if label == "x" else f"{file_id}-{label}"
            stored = self.add_file(content, "photo", "jpg", size_id)
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": width,
                    "height": height,
                    "file_size": len(stored.content),
                }
            )
        return sizes
