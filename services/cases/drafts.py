"""A half-finished report, kept in the conversation_states table between updates."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

# The conversation_states row where the edge keeps the inline buttons shown lately
# (handlers.typed); bookkeeping, not a draft of the resident's.
BUTTON_MEMORY = "buttons"


@dataclass
class ReportDraft:
    """The report being written: the resident's words, the guessed case type, the place and
    photos so far; kept as JSON (to_dict / from_dict) between updates."""

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
    # The message that gave the typed place, so an edit of it corrects the place.
    place_message_id: int | None = None
    # "None of these" at "which community?": the typed address goes without a grid (the
    # street office routes it), not to the community list again.
    unlisted: bool = False
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
    # Set on a report that an emergency interrupted: that urgent case stays open whatever
    # becomes of this report.
    urgent_case: str | None = None
    # Long messages the client split in two, whose rest joined the words: each one allows
    # another message's length (handlers.report_questions.join_split).
    splits: int = 0
    # The whole type list is shown at the confirm step ("another type"): showing the step
    # again shows the list, not "is it <type>?" (handlers.report_steps.remind_step).
    picking: bool = False
    # Albums that went over the photo limit, told once each.
    albums_over: list[str] = field(default_factory=list)
    # The other report of a "continue or start a new one?" answer, begun once this one is
    # filed or cancelled: {"pending": {text, …}} (the new words) or {"state", "draft"}.
    next_up: dict[str, Any] | None = None

    def add_piece(self, message_id: int | None, text: str, limit: int) -> None:
        """More of the resident's words (a message or a caption), kept by message id; the
        joined text is cut to `limit` characters."""
        if not self.pieces and self.text:  # a draft saved before pieces were kept
            self.pieces = [(0, self.text)]
        self.pieces.append((message_id or 0, text))
        self._join(limit)

    def edit_piece(self, message_id: int, text: str, limit: int) -> bool:
        """Replace the words of an edited message. False when it is not part of this draft."""
        if not message_id or all(m != message_id for m, _ in self.pieces):
            return False
        self.pieces = [(m, text if m == message_id else t) for m, t in self.pieces]
        self._join(limit)
        return True

    def _join(self, limit: int) -> None:
        self.text = "\n".join(t for _, t in self.pieces if t).strip()[: limit * (1 + self.splits)]

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON-able values (pieces as (message id, text) pairs); a copy, as
        dataclasses.asdict makes (a saved draft is written later: storage.conversations),
        at a third of its cost (every step saves its draft)."""
        return {name: _copied(getattr(self, name)) for name in _FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReportDraft:
        """A draft from to_dict's output; unknown keys (from older versions) are dropped."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["pieces"] = [(int(m), str(t)) for m, t in known.get("pieces", [])]
        return cls(**known)


_FIELDS = tuple(ReportDraft.__dataclass_fields__)


def _copied(value: Any) -> Any:
    """A deep copy of a JSON-able value (lists, tuples, dicts of plain values)."""
    if isinstance(value, list):
        return [_copied(v) for v in value]
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_copied(v) for v in value)
    return value
