"""What an outbox row carries: the one contract between the services that queue messages and
the dispatcher that sends them (``bot.outbox.send`` turns it into Bot API calls).

Stored as JSON; these types say which keys exist and what they hold, so a writer and the reader
cannot drift apart unseen (mypy checks both sides).
"""

from __future__ import annotations

from typing import Final, TypedDict


class ButtonSpec(TypedDict):
    """One inline button: its label as shown and its callback data (``bot.callback_data``)."""

    text: str
    data: str


class Attachments(TypedDict, total=False):
    """What may ride along with a message's text (``services.notify`` ``extra=``)."""

    location: list[float]  # [latitude, longitude], WGS84 degrees: sent as a map pin after the text
    photo: str  # a Telegram file_id sent again; the text becomes its caption when it fits
    more_photos: list[str]  # further file_ids (a report's album): sent as an album after it
    photo_png_b64: str  # a PNG rendered here (the weekly chart), base64, uploaded with sendPhoto
    expires_at: str  # ISO-8601 aware UTC: after it, the row is dropped instead of sent


class OutboxPayload(Attachments, total=False):
    """A whole row: the text (required in practice: ``plan`` refuses a row without it), its
    buttons, and the dispatcher's own bookkeeping."""

    text: str
    parse_mode: str  # "HTML" for the few texts that are formatted; absent: plain text
    buttons: list[list[ButtonSpec]]
    delivered_parts: int  # Bot API calls of this row Telegram already accepted: a retry skips them


def attach(payload: OutboxPayload, extra: Attachments) -> OutboxPayload:
    """`payload` with each attachment of `extra` set on it (spelled out key by key: mypy
    checks TypedDict keys only where they are literal). Returns the same dict."""
    if "location" in extra:
        payload["location"] = extra["location"]
    if "photo" in extra:
        payload["photo"] = extra["photo"]
    if "more_photos" in extra:
        payload["more_photos"] = extra["more_photos"]
    if "photo_png_b64" in extra:
        payload["photo_png_b64"] = extra["photo_png_b64"]
    if "expires_at" in extra:
        payload["expires_at"] = extra["expires_at"]
    return payload


DELIVERED_PARTS: Final = "delivered_parts"
EXPIRES_AT: Final = "expires_at"
