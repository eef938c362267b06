"""A call-out being drafted in the wizard, kept in conversation_states between updates."""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from services.volunteers.callouts import CallOutSpec


@dataclass
class CallOutDraft:
    """Times are ISO strings so the draft stays JSON; `token` marks this draft's buttons."""

    language: str
    token: str = field(default_factory=lambda: secrets.token_hex(3))
    title: str = ""
    place: str = ""
    latitude: float | None = None
    longitude: float | None = None
    starts_at: str | None = None  # ISO, so the draft stays JSON
    ends_at: str | None = None
    skills: list[str] = field(default_factory=list)
    needed: int = 0
    target: str = "all"
    target_grids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Every field as JSON-able values."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CallOutDraft:
        """A draft from to_dict's output; unknown keys (older versions) are dropped."""
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    def spec(self) -> CallOutSpec:
        """The finished draft as a CallOutSpec, times parsed back to datetimes (aware, as the
        wizard stored them). Only once both times are set (asserted).

        Raises:
            ValueError: a stored time is not ISO 8601.
        """
        assert self.starts_at and self.ends_at
        return CallOutSpec(
            title=self.title,
            place=self.place,
            starts_at=datetime.fromisoformat(self.starts_at),
            ends_at=datetime.fromisoformat(self.ends_at),
            needed=self.needed,
            skills=list(self.skills),
            target=self.target,
            target_grids=list(self.target_grids),
            latitude=self.latitude,
            longitude=self.longitude,
        )
