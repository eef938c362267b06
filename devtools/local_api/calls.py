"""What the stand-in records and how it refuses, so tests can assert on what a user saw."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

SEND_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendMediaGroup", "sendDocument", "sendLocation", "sendVenue"}
)
EDIT_METHODS = frozenset({"editMessageText", "editMessageCaption", "editMessageReplyMarkup"})
DELIVERY_METHODS = SEND_METHODS | EDIT_METHODS


@dataclass(frozen=True)
class UploadedFile:
    """A file that arrived as a multipart part, kept whole so a test can check what was sent."""

    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"


@dataclass
class ApiCall:
    """One Bot API request as the stand-in answered it.

    ``method`` is the canonical camelCase name; ``params`` are decoded (JSON-encoded fields such as
    ``reply_markup`` become dicts, uploads become :class:`UploadedFile`); ``at`` is the stand-in's
    clock; ``result`` is the ``result`` on success or the error description otherwise.
    """

    method: str
    params: dict[str, Any]
    at: float
    status: int = 200
    result: Any = None

    @property
    def ok(self) -> bool:
        return self.status == 200


class ReplyButton(NamedTuple):
    """A reply-keyboard button as the resident's phone would render it."""

    text: str
    request_location: bool = False
    request_contact: bool = False


class ApiError(Exception):
    """A refusal in Telegram's own words; becomes the ``ok: false`` body."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


def too_many_requests(retry_after: int) -> ApiError:
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


def buttons(call: ApiCall) -> list[tuple[str, str]]:
    """Inline buttons of a recorded send/edit as ``(text, callback_data)``, row by row.

    URL buttons carry their URL in the second place, so every button a resident sees is listed.
    """
    markup = call.params.get("reply_markup")
    if not isinstance(markup, dict):
        return []
    return [
        (str(button.get("text", "")), str(button.get("callback_data", button.get("url", ""))))
        for row in markup.get("inline_keyboard", [])
        for button in row
    ]


def reply_buttons(call: ApiCall) -> list[ReplyButton]:
    """Reply-keyboard buttons of a recorded send, with the location/contact request flags."""
    markup = call.params.get("reply_markup")
    if not isinstance(markup, dict):
        return []
    found: list[ReplyButton] = []
    for row in markup.get("keyboard", []):
        for button in row:
            if isinstance(button, str):
                found.append(ReplyButton(button))
            else:
                found.append(
                    ReplyButton(
                        str(button.get("text", "")),
                        bool(button.get("request_location", False)),
                        bool(button.get("request_contact", False)),
                    )
                )
    return found
