"""Phone numbers out of free text that leaves the server (exports), however people write
them: ``138.1234.5678``, ``138 12 34 56 78``, ``+86 138 1234 5678``, ``(020) 8888-6666``.

Two passes: Google's maintained parser (``phonenumbers``, region CN, numbers that are valid
somewhere), then any digit run that could still be a number (bot.log_redaction). A match
glued to a word or a hyphenated id is left alone, so case numbers (GD-2026-000123) and dates
stay readable.
"""

from __future__ import annotations

import phonenumbers

from bot.log_redaction import redact_numbers

DEFAULT_REGION = "CN"


def redact_phone_numbers(text: str, placeholder: str, region: str = DEFAULT_REGION) -> str:
    """`text` with every phone number replaced by `placeholder`; `region` is the ISO 3166
    code numbers without a country code are read in."""
    pieces: list[str] = []
    last = 0
    matches = phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)
    for match in matches:
        before = text[match.start - 1] if match.start else " "
        if before.isascii() and (before.isalnum() or before == "-"):  # "电话138…" is a phone
            continue
        pieces += [text[last : match.start], placeholder]
        last = match.end
    pieces.append(text[last:])
    return redact_numbers("".join(pieces)).replace("[number]", placeholder)
