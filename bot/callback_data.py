"""Inline buttons' callback data: one encoder and one decoder for every button.

Data is `<prefix>:<action>[:<arg>...]` (e.g. `wk:acc:123`): the prefix names the conversation
that owns the button (handlers.registry.BUTTONS), the action what it does, the args which
case, draft token or choice. Telegram allows 1-64 bytes; `encode` refuses more where the
button is built. Ids that come back inside data are untrusted: the handler re-checks the
caller against the store before acting.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 64  # Bot API: callback_data is 1-64 bytes
SEPARATOR = ":"


class BadCallbackData(ValueError):
    """Malformed, forged or outdated button data."""


@dataclass(frozen=True)
class CallbackData:
    prefix: str
    action: str = ""
    args: tuple[str, ...] = ()

    def encode(self) -> str:
        parts = [self.prefix, self.action, *self.args]
        if not self.action and not self.args:
            parts = [self.prefix]
        if any(SEPARATOR in part for part in parts):
            raise ValueError(f"a callback data part may not contain {SEPARATOR!r}: {parts}")
        data = SEPARATOR.join(parts)
        if not 1 <= len(data.encode()) <= MAX_BYTES:
            raise ValueError(f"callback data must be 1-{MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def decode(cls, data: str) -> CallbackData:
        if not data or len(data.encode()) > MAX_BYTES:
            raise BadCallbackData(data)
        prefix, *rest = data.split(SEPARATOR)
        return cls(prefix, rest[0] if rest else "", tuple(rest[1:]))

    def arg(self, index: int) -> str:
        """The index-th argument; BadCallbackData when the button has fewer."""
        try:
            return self.args[index]
        except IndexError:
            raise BadCallbackData(self.encode()) from None

    def int_arg(self, index: int) -> int:
        """The index-th argument as an id; BadCallbackData when it is not a number."""
        value = self.arg(index)
        if not value.isdigit():
            raise BadCallbackData(f"{self.prefix}:{self.action}: {value!r} is not an id")
        return int(value)


def button_data(prefix: str, action: str = "", *args: object) -> str:
    """`button_data("wk", "acc", case.id)` → `"wk:acc:123"`, checked against Telegram's limit."""
    return CallbackData(prefix, action, tuple(str(a) for a in args)).encode()
