"""Telegram's documented size limits, applied where a text, caption, button or toast is built.

Telegram refuses an over-long message for good ("message is too long"), so a text that might be
long is fitted here rather than discovered failed in the outbox. Text lengths count UTF-16 code
units, as Telegram does (an emoji counts two); callback data counts UTF-8 bytes.
https://core.telegram.org/bots/api#sendmessage, #sendphoto, #inlinekeyboardbutton,
#answercallbackquery
"""

from __future__ import annotations

MAX_TEXT = 4096  # sendMessage text, UTF-16 code units
MAX_CAPTION = 1024  # media captions, UTF-16 code units
MAX_CALLBACK_DATA = 64  # bytes
MAX_TOAST = 200  # answerCallbackQuery text, characters
# How much of a resident's own text a staff ping quotes; the rest is one tap away.
PING_EXCERPT = 600
ELLIPSIS = "…"


class CallbackDataTooLong(ValueError):
    """A button's data cannot be shortened without changing what it means: a bug to fix."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def fit(text: str, limit: int, ellipsis: str = ELLIPSIS) -> str:
    """``text`` cut to at most ``limit`` UTF-16 units, with ``ellipsis`` when something was cut.

    Never splits a surrogate pair (an emoji), so the result is valid text.
    """
    if utf16_len(text) <= limit:
        return text
    room = limit - utf16_len(ellipsis)
    units = text.encode("utf-16-le")[: max(room, 0) * 2]
    cut = units.decode("utf-16-le", errors="ignore")  # drops a half emoji at the end
    return cut.rstrip() + ellipsis


def fit_text(text: str) -> str:
    return fit(text, MAX_TEXT)


def fit_caption(text: str) -> str:
    return fit(text, MAX_CAPTION)


def fit_toast(text: str) -> str:
    return text if len(text) <= MAX_TOAST else text[: MAX_TOAST - 1] + ELLIPSIS


def excerpt(text: str, limit: int = PING_EXCERPT) -> tuple[str, bool]:
    """A resident's text for a ping: (the text or its start, whether it was shortened)."""
    fitted = fit(text, limit)
    return fitted, fitted != text


def checked_callback_data(data: str) -> str:
    """``data`` itself; raises :class:`CallbackDataTooLong` past Telegram's 64 bytes."""
    size = len(data.encode())
    if not 1 <= size <= MAX_CALLBACK_DATA:
        raise CallbackDataTooLong(f"callback data of {size} bytes: {data[:80]!r}")
    return data


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """``text`` in consecutive pieces of at most ``limit`` UTF-16 units, cut at a line break
    or space where one is near, never inside an emoji."""
    pieces: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        units = rest.encode("utf-16-le")[: limit * 2]
        head = units.decode("utf-16-le", errors="ignore")  # never half an emoji
        cut = max(head.rfind("\n"), head.rfind(" "))
        if cut > len(head) // 2:
            head = head[: cut + 1]
        pieces.append(head)
        rest = rest[len(head) :]
    if rest or not pieces:
        pieces.append(rest)
    return pieces
