"""Updates a resident's phone would cause, as real Bot API JSON.

Builders only build: feed the result to ``Application.process_update(Update.de_json(...))`` or
queue it for getUpdates with ``push_update``. The messages they create are remembered, so message
ids run on per chat and a later button press finds the message the bot actually sent.
"""

from __future__ import annotations

from typing import Any

from devtools.local_api.chats import ChatStore

JSON = dict[str, Any]
PLACEHOLDER_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00GridDesk test photo\xff\xd9"


def _command_entity(text: str) -> dict[str, Any] | None:
    """Telegram marks a leading ``/command`` (or ``/command@bot``) as a bot_command entity."""
    if not text.startswith("/") or len(text) < 2:
        return None
    command = text.split(maxsplit=1)[0]
    return {"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}


class UpdateBuilders:
    """Mixin for :class:`LocalBotApi`; needs its ``_store`` and ``_next_update_id``."""

    _store: ChatStore
    bot_user: JSON

    def _next_update_id(self) -> int:
        raise NotImplementedError

    def _message_update(
        self,
        user_id: int,
        content: JSON,
        first_name: str | None,
        language_code: str | None,
    ) -> JSON:
        user = self._store.user(user_id, first_name, language_code)
        message = self._store.add_message(user_id, user, content)
        return {"update_id": self._next_update_id(), "message": message}

    def text_update(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str | None = None,
        language_code: str | None = None,
    ) -> JSON:
        """A text message in the user's private chat.

        ``first_name``/``language_code`` default to what this user last had, first "Resident"
        and "zh-hans", so a conversation keeps one consistent user.
        """
        content: JSON = {"text": text}
        entity = _command_entity(text)
        if entity is not None:
            content["entities"] = [entity]
        return self._message_update(user_id, content, first_name, language_code)

    def command_update(
        self,
        user_id: int,
        command: str,
        *,
        first_name: str | None = None,
        language_code: str | None = None,
    ) -> JSON:
        """A command such as ``"/start invite-code"``, with its bot_command entity."""
        if _command_entity(command) is None:
            raise ValueError(f"a command starts with '/', got {command!r}")
        return self.text_update(
            user_id, command, first_name=first_name, language_code=language_code
        )

    def location_update(
        self,
        user_id: int,
        latitude: float,
        longitude: float,
        *,
        first_name: str | None = None,
        language_code: str | None = None,
    ) -> JSON:
        """What the "share location" button sends."""
        content = {"location": {"latitude": latitude, "longitude": longitude}}
        return self._message_update(user_id, content, first_name, language_code)

    def photo_update(
        self,
        user_id: int,
        file_id: str | None = None,
        caption: str | None = None,
        *,
        content: bytes = PLACEHOLDER_JPEG,
        first_name: str | None = None,
        language_code: str | None = None,
    ) -> JSON:
        """A photo in three sizes; ``file_id`` names the largest and getFile can fetch it."""
        message: JSON = {"photo": self._store.photo_sizes(content, file_id)}
        if caption:
            message["caption"] = caption
        return self._message_update(user_id, message, first_name, language_code)

    def sticker_update(
        self,
        user_id: int,
        *,
        emoji: str = "👍",
        first_name: str | None = None,
        language_code: str | None = None,
    ) -> JSON:
        stored = self._store.add_file(b"RIFF\x00\x00\x00\x00WEBP", "sticker", "webp")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": len(stored.content),
        }
        return self._message_update(user_id, {"sticker": sticker}, first_name, language_code)

    def contact_update(
        self,
        user_id: int,
        phone: str,
        *,
        own_contact: bool = True,
        first_name: str | None = None,
        language_code: str | None = None,
    ) -> JSON:
        """A shared contact; ``own_contact=False`` is someone else's card (no ``user_id``),
        which a handler must not take as the sender's own verified number."""
        user = self._store.user(user_id, first_name, language_code)
        contact: JSON = {"phone_number": phone, "first_name": user["first_name"]}
        if own_contact:
            contact["user_id"] = user_id
        return self._message_update(user_id, {"contact": contact}, first_name, language_code)

    def voice_update(
        self,
        user_id: int,
        *,
        duration: int = 3,
        first_name: str | None = None,
        language_code: str | None = None,
    ) -> JSON:
        stored = self._store.add_file(b"OggS\x00voice", "voice", "oga")
        voice = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(stored.content),
        }
        return self._message_update(user_id, {"voice": voice}, first_name, language_code)

    def callback_update(
        self,
        user_id: int,
        message_id: int,
        data: str,
        *,
        first_name: str | None = None,
        language_code: str | None = None,
    ) -> JSON:
        """The user pressing an inline button on bot message ``message_id`` in their chat.

        ``data`` is free, so tests can forge presses; the message must exist, as only a message
        on the user's screen can be pressed.
        """
        message = self._store.message(user_id, message_id)
        if message is None:
            raise LookupError(f"chat {user_id} has no message {message_id} to press a button on")
        query = {
            "id": str(4_000_000_000_000_000 + self._store.next_serial()),
            "from": self._store.user(user_id, first_name, language_code),
            "message": dict(message),
            "chat_instance": str(-user_id),
            "data": data,
        }
        return {"update_id": self._next_update_id(), "callback_query": query}

    def chat_status_update(self, user_id: int, *, blocked: bool) -> JSON:
        """What Telegram sends when the user blocks the bot (``kicked``) or lets it write to
        them again (``member``): a my_chat_member update of their private chat."""
        user = self._store.user(user_id)
        bot = dict(self.bot_user)

        def member(status: str) -> JSON:
            return {
                "user": bot,
                "status": status,
                **({"until_date": 0} if status == "kicked" else {}),
            }

        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        return {
            "update_id": self._next_update_id(),
            "my_chat_member": {
                "chat": self._store.chat(user_id),
                "from": user,
                "date": 1_700_000_000,
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        }
