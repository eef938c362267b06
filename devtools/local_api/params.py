"""Turn request parameters into the values Telegram would see, whatever the transport.

Over form encoding every value is a string and nested objects (``reply_markup``, ``commands``)
are JSON strings; in-process the adapter sees the same JSON strings. Decoding them in one place
keeps the recorded calls identical for both transports.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from devtools.local_api.calls import UploadedFile

# Fields whose string value must stay a string even when it looks like a number or JSON.
_STRING_FIELDS = frozenset(
    {
        "text", "caption", "title", "address", "query", "description", "short_description",
        "name", "first_name", "last_name", "phone_number", "vcard", "url", "data",
        "callback_query_id", "inline_message_id", "file_id", "photo", "document", "action",
        "parse_mode", "secret_token", "language_code", "emoji", "ip_address",
        "foursquare_id", "foursquare_type", "google_place_id", "google_place_type",
        "business_connection_id", "message_effect_id",
    }
)  # fmt: skip

ATTACH_PREFIX = "attach://"


def decode_params(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Decode JSON-encoded values (numbers, booleans, objects) except in free-text fields."""
    decoded: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, str) and name not in _STRING_FIELDS:
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = value
            decoded[name] = value if isinstance(parsed, str) else parsed
        else:
            decoded[name] = value
    return decoded


def attach_files(params: dict[str, Any], files: Mapping[str, UploadedFile]) -> None:
    """Put uploads where Telegram reads them: in place of ``attach://name``, else by part name."""
    by_uri = {f"{ATTACH_PREFIX}{name}": name for name in files}
    for field, value in list(params.items()):
        if isinstance(value, str) and value in by_uri:
            params[field] = files[by_uri.pop(value)]
    for name in by_uri.values():
        params.setdefault(name, files[name])
