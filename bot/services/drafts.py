"""A half-finished report, kept in the conversation_states table between updates."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ReportDraft:
    text: str
    language: str
    # Short random id put into this draft's buttons, so a button from an older
    # draft is recognised as stale instead of acting on the new one.
    token: str = field(default_factory=lambda: secrets.token_hex(3))
    case_type: str | None = None
    confidence: float | None = None
    choices: list[str] = field(default_factory=list)
    community_id: str | None = None
    grid_id: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    photo_file_ids: list[str] = field(default_factory=list)
    contact_phone: str | None = None
    emergency: bool = False
    # The urgent case an emergency conversation is about, once filed.
    case_number: str | None = None
    # Case ids offered as likely duplicates; only these may be joined.
    offered: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReportDraft:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)
