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
    # The resident's own words by message id, so an edit of one message replaces its part.
    pieces: list[tuple[int, str]] = field(default_factory=list)
    # Albums (media_group_id) already acknowledged: one reply per album, every photo kept.
    albums: list[str] = field(default_factory=list)
    # FAQ topics the NLU also saw in the text ("It's a question" offers them).
    faq_topics: list[str] = field(default_factory=list)
    # A clearly new report typed while this one was open: {text, case_type, confidence, choices}.
    pending: dict[str, Any] | None = None
    # The report an emergency interrupted: {state, draft}; it comes back afterwards.
    resume: dict[str, Any] | None = None

    def add_piece(self, message_id: int | None, text: str, limit: int) -> None:
        if message_id is not None:
            self.pieces.append((message_id, text))
        self.text = f"{self.text}\n{text}".strip()[:limit]

    def edit_piece(self, message_id: int, text: str, limit: int) -> bool:
        """Replace the words of an edited message. False when it is not part of this draft."""
        old = next((t for m, t in self.pieces if m == message_id), None)
        if old is None:
            return False
        self.pieces = [(m, text if m == message_id else t) for m, t in self.pieces]
        self.text = self.text.replace(old, text, 1)[:limit]
        return True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReportDraft:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["pieces"] = [(int(m), str(t)) for m, t in known.get("pieces", [])]
        return cls(**known)
