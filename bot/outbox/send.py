"""An outbox payload as the Bot API calls a recipient should see, in order.

Payload (what senders write): ``{"text": str, "buttons": [[{"text", "data"}], ...],
"location": [lat, lon], "photo": file_id, "photo_png_b64": str, "parse_mode": None}``; only
``text`` is required. ``photo_png_b64`` is a picture made by the bot itself (a report's chart),
uploaded as a file; it and ``photo`` exclude each other.
A photo carries the text as its caption (and the buttons); ``more_photos`` follow as an album;
a location follows as its own message.
A row may thus be several calls; ``DELIVERED_PARTS`` in the payload counts those already accepted
when a later one must be retried, so a retry does not repeat the first.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaPhoto,
    Message,
)

from storage.payloads import EXPIRES_AT, OutboxPayload

# Optional ISO time after which the row is pointless (a reminder of a due time now past):
# the dispatcher settles it as failed with reason EXPIRED instead of sending it late.
EXPIRED = "expired"
MAX_CAPTION = 1024  # Telegram's caption limit, in UTF-16 code units
MAX_ALBUM = 10  # photos in one sendMediaGroup
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
UPLOAD_NAME = "chart.png"


class PayloadError(ValueError):
    """The row cannot become a message at all; retrying will not help."""


@dataclass(frozen=True)
class Step:
    """One Bot API call of a row; ``method`` names it in logs and errors."""

    method: str
    call: Callable[[Bot], Awaitable[Message]]


def expired(payload: OutboxPayload, now: datetime) -> bool:
    value = payload.get(EXPIRES_AT)
    if not isinstance(value, str):
        return False
    try:
        return datetime.fromisoformat(value) <= now
    except ValueError:
        return False


def plan(chat_id: int, payload: OutboxPayload) -> list[Step]:
    """The calls a payload becomes; raises :class:`PayloadError` for a malformed one."""
    text = payload.get("text")
    if not isinstance(text, str):
        raise PayloadError("text must be a string")
    parse_mode = payload.get("parse_mode")
    if parse_mode is not None and not isinstance(parse_mode, str):
        raise PayloadError("parse_mode must be a string or null")
    keyboard = _keyboard(payload.get("buttons"))
    steps: list[Step] = []
    photo = _photo_of(payload)
    if photo is not None:
        if _utf16_len(text) <= MAX_CAPTION:
            steps.append(_photo(chat_id, photo, text or None, parse_mode, keyboard))
        else:  # too long for a caption: the photo, then the text under it
            steps.append(_photo(chat_id, photo, None, None, None))
            steps.append(_message(chat_id, text, parse_mode, keyboard))
    else:
        steps.append(_message(chat_id, text, parse_mode, keyboard))
    steps += _album(chat_id, payload.get("more_photos"))
    location = payload.get("location")
    if location is not None:
        steps.append(_location(chat_id, *_coordinates(location)))
    return steps


def _album(chat_id: int, photos: object) -> list[Step]:
    """Further photos after the message: albums of up to MAX_ALBUM, a lone one as a photo."""
    if photos is None:
        return []
    if not isinstance(photos, list) or not all(isinstance(p, str) and p for p in photos):
        raise PayloadError("more_photos must be a list of Telegram file_ids")
    steps = []
    for start in range(0, len(photos), MAX_ALBUM):
        chunk = photos[start : start + MAX_ALBUM]
        if len(chunk) == 1:
            steps.append(_photo(chat_id, chunk[0], None, None, None))
        else:
            steps.append(_media_group(chat_id, chunk))
    return steps


def _media_group(chat_id: int, photos: list[str]) -> Step:
    async def call(bot: Bot) -> Message:
        sent = await bot.send_media_group(chat_id, [InputMediaPhoto(p) for p in photos])
        return sent[0]

    return Step("sendMediaGroup", call)


def _message(
    chat_id: int, text: str, parse_mode: str | None, keyboard: InlineKeyboardMarkup | None
) -> Step:
    async def call(bot: Bot) -> Message:
        return await bot.send_message(chat_id, text, parse_mode=parse_mode, reply_markup=keyboard)

    return Step("sendMessage", call)


def _photo_of(payload: OutboxPayload) -> str | bytes | None:
    """A Telegram file_id to send again, or the bytes of a PNG to upload; None: no photo."""
    photo, upload = payload.get("photo"), payload.get("photo_png_b64")
    if photo is not None and upload is not None:
        raise PayloadError("photo and photo_png_b64 exclude each other")
    if photo is not None:
        if not isinstance(photo, str) or not photo:
            raise PayloadError("photo must be a Telegram file_id")
        return photo
    if upload is None:
        return None
    try:
        png = base64.b64decode(upload, validate=True) if isinstance(upload, str) else b""
    except binascii.Error as error:
        raise PayloadError(f"photo_png_b64 is not base64: {error}") from error
    if not png.startswith(PNG_SIGNATURE):
        raise PayloadError("photo_png_b64 must be a base64-encoded PNG")
    return png


def _photo(
    chat_id: int,
    photo: str | bytes,
    caption: str | None,
    parse_mode: str | None,
    keyboard: InlineKeyboardMarkup | None,
) -> Step:
    async def call(bot: Bot) -> Message:
        # A fresh InputFile per call: a retry uploads the whole file again.
        media = photo if isinstance(photo, str) else InputFile(photo, filename=UPLOAD_NAME)
        return await bot.send_photo(
            chat_id, media, caption=caption, parse_mode=parse_mode, reply_markup=keyboard
        )

    return Step("sendPhoto", call)


def _location(chat_id: int, latitude: float, longitude: float) -> Step:
    async def call(bot: Bot) -> Message:
        return await bot.send_location(chat_id, latitude=latitude, longitude=longitude)

    return Step("sendLocation", call)


def _keyboard(rows: object) -> InlineKeyboardMarkup | None:
    if rows is None:
        return None
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise PayloadError("buttons must be a list of rows")
    try:
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(str(b["text"]), callback_data=str(b["data"])) for b in row]
                for row in rows
            ]
        )
    except (KeyError, TypeError) as error:
        raise PayloadError(f"a button needs text and data: {error}") from error


def _coordinates(value: object) -> tuple[float, float]:
    if (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        return float(value[0]), float(value[1])
    raise PayloadError("location must be [latitude, longitude]")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
