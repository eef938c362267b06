"""`volunteer.yaml`: the skills list, points rules and timings of the volunteer desk.

Checked like every other config file (a `ConfigError` naming file, place and problem), but
loaded on its own so the case desk does not depend on it. Read once per config directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainValidator
from pydantic_core import PydanticCustomError

from config.files import CUSTOM_ERROR_PREFIX, Id, LocalizedDoc
from config.reading import ConfigError, read_document, validate_document
from config.schema import Localized

VOLUNTEER_FILE = "volunteer.yaml"
_DURATION = re.compile(r"(\d+)([smhd])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _parse_duration(value: Any) -> timedelta:
    match = _DURATION.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise PydanticCustomError(
            CUSTOM_ERROR_PREFIX + "duration",
            "{value} is not a duration like 30s, 5m, 2h or 1d",
            {"value": repr(value)},
        )
    return timedelta(seconds=int(match[1]) * _UNITS[match[2]])


Duration = Annotated[timedelta, PlainValidator(_parse_duration)]


class _Doc(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class SkillDoc(_Doc):
    id: Id
    name: LocalizedDoc


class PointsDoc(_Doc):
    per_check_in: int = Field(ge=0)
    per_hour: int = Field(ge=0)


class RemindersDoc(_Doc):
    day_before: Duration
    hour_before: Duration


class CheckInDoc(_Doc):
    opens_before: Duration
    radius_m: int = Field(ge=10, le=50_000)


class BroadcastDoc(_Doc):
    head_start: Duration
    progress_every: Duration
    roster_every: Duration


class VolunteerFile(_Doc):
    skills: list[SkillDoc] = Field(min_length=1)
    points: PointsDoc
    reminders: RemindersDoc
    check_in: CheckInDoc
    broadcast: BroadcastDoc


@dataclass(frozen=True, kw_only=True)
class VolunteerConfig:
    skills: dict[str, Localized]  # id -> names, in the file's order
    points_per_check_in: int
    points_per_hour: int
    remind_day_before: timedelta
    remind_hour_before: timedelta
    check_in_opens_before: timedelta
    check_in_radius_m: int
    broadcast_head_start: timedelta
    progress_every: timedelta
    roster_every: timedelta

    def skill_name(self, skill_id: str, lang: str) -> str:
        name = self.skills.get(skill_id)
        return name.get(lang) if name else skill_id


def load_volunteer_config(config_dir: Path | str) -> VolunteerConfig:
    """Read and check `volunteer.yaml`; raise `ConfigError` on the first fault."""
    doc = validate_document(
        VOLUNTEER_FILE, read_document(Path(config_dir), VOLUNTEER_FILE), VolunteerFile
    )
    seen: set[str] = set()
    for i, skill in enumerate(doc.skills):
        if skill.id in seen:
            raise ConfigError(VOLUNTEER_FILE, f"skills[{i}].id", f"duplicate id {skill.id!r}")
        seen.add(skill.id)
    if doc.reminders.hour_before >= doc.reminders.day_before:
        raise ConfigError(
            VOLUNTEER_FILE, "reminders.hour_before", "must be shorter than day_before"
        )
    return VolunteerConfig(
        skills={s.id: Localized(zh=s.name.zh, en=s.name.en) for s in doc.skills},
        points_per_check_in=doc.points.per_check_in,
        points_per_hour=doc.points.per_hour,
        remind_day_before=doc.reminders.day_before,
        remind_hour_before=doc.reminders.hour_before,
        check_in_opens_before=doc.check_in.opens_before,
        check_in_radius_m=doc.check_in.radius_m,
        broadcast_head_start=doc.broadcast.head_start,
        progress_every=doc.broadcast.progress_every,
        roster_every=doc.broadcast.roster_every,
    )


@lru_cache(maxsize=8)
def _cached(config_dir: Path) -> VolunteerConfig:
    return load_volunteer_config(config_dir)


def volunteer_config(config_dir: Path | str) -> VolunteerConfig:
    """The config of `config_dir`, read on first use (never at import time) and kept."""
    return _cached(Path(config_dir).resolve())
