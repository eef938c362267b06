"""What a resident sent, as plain values: the one place that reads Telegram's update kinds.

Conversations declare which of these kinds each of their steps accepts (handlers.registry);
everything after this module works on an `Incoming`, never on a raw `Update`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from telegram import ChatMember, Update


class InputKind(StrEnum):
    TEXT = "text"  # free text, or a photo's caption when the photo is not the point
    LABEL = "label"  # typed text that names a button or answers yes/no
    BUTTON = "button"  # an inline button press (callback data)
    LOCATION = "location"
    PHOTO = "photo"  # with or without a caption
    CONTACT = "contact"
    COMMAND = "command"
    CHAT_STATUS = "chat_status"  # they blocked or unblocked the bot (my_chat_member)
    OTHER = "other"  # stickers, voice, files: nothing a step can use


@dataclass(frozen=True)
class Incoming:
    kind: InputKind
    text: str = ""  # the message text or the photo's caption, stripped
    data: str = ""  # callback data of a press (or of the button a typed label names)
    photo_file_id: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    phone: str | None = None
    own_contact: bool = False
    message_id: int | None = None
    edited: bool = False  # an edit of an earlier message, not a new one
    live: bool = False  # a live location (its later positions arrive as edits)
    album: str | None = None  # Telegram's media_group_id: the photos of one album share it
    sticker: bool = False
    blocked: bool = False  # CHAT_STATUS: they blocked the bot (else they let it write again)
    # The message answers one of the bot's own (Telegram's reply); a department's group
    # answers only so, since the bot may see every message said there.
    replies_to_bot: bool = False

    def pressed(self, data: str) -> Incoming:
        """The same input, read as a press of the button with this callback data."""
        return Incoming(InputKind.BUTTON, text=self.text, data=data, message_id=self.message_id)


def read_update(update: Update) -> Incoming:
    """Turn an update into an `Incoming`. Edited messages keep their kind and say so."""
    query = update.callback_query
    if query is not None:
        return Incoming(InputKind.BUTTON, data=query.data or "")
    change = update.my_chat_member
    if change is not None:  # "kicked" is how a private chat says the person blocked the bot
        status = change.new_chat_member.status
        return Incoming(
            InputKind.CHAT_STATUS, blocked=status in (ChatMember.BANNED, ChatMember.LEFT)
        )
    message = update.effective_message
    if message is None:
        return Incoming(InputKind.OTHER)
    edited = update.edited_message is not None
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user is not None and replied.from_user.is_bot
    common = {"message_id": message.message_id, "edited": edited, "replies_to_bot": to_bot}
    if message.text is not None:
        kind = InputKind.COMMAND if message.text.startswith("/") else InputKind.TEXT
        # Only surrounding blanks go: an all-blank text stays blank, so it gets its own answer.
        return Incoming(kind, text=message.text.strip(), **common)  # type: ignore[arg-type]
    if message.photo:
        return Incoming(
            InputKind.PHOTO,
            text=(message.caption or "").strip(),
            photo_file_id=message.photo[-1].file_id,  # the largest size
            album=message.media_group_id,
            **common,  # type: ignore[arg-type]
        )
    if message.location is not None:
        return Incoming(
            InputKind.LOCATION,
            latitude=message.location.latitude,
            longitude=message.location.longitude,
            live=message.location.live_period is not None,
            **common,  # type: ignore[arg-type]
        )
    if message.contact is not None:
        user = update.effective_user
        return Incoming(
            InputKind.CONTACT,
            phone=message.contact.phone_number,
            own_contact=user is not None and message.contact.user_id == user.id,
            **common,  # type: ignore[arg-type]
        )
    return Incoming(InputKind.OTHER, sticker=message.sticker is not None, **common)  # type: ignore[arg-type]
