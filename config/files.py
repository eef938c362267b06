"""The shape of each config file, checked field by field.

The models mirror the files one to one, so a validation error's location is a path an
admin can find in the file (`case_types[3].sla.accept`). Cross-file rules (references,
duplicates, overlaps) live in `config.loader`, which also turns these into `config.schema`.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from annotated_types import Len
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from config import geo
from config.schema import MINUTES_PER_DAY, OpeningRange, Priority

# Error types raised here already quote the offending value in their message.
CUSTOM_ERROR_PREFIX = "config_"

_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
_DURATION = re.compile(r"(\d+)([mhd])")
_RANGE = re.compile(r"(\d\d):(\d\d)-(\d\d):(\d\d)")
_PHONE = re.compile(r"[0-9+()\- ]{3,24}")
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}


def _fail(kind: str, message: str, value: object) -> PydanticCustomError:
    return PydanticCustomError(CUSTOM_ERROR_PREFIX + kind, message, {"value": repr(value)})


def _check_id(value: str) -> str:
    """Ids travel in Telegram callback data (64 bytes) and Rasa intent names: keep them plain."""
    if not _ID.fullmatch(value):
        raise _fail("id", "{value} is not an id: 1-32 of a-z, 0-9, '_' or '-'", value)
    return value


def _parse_duration(value: Any) -> timedelta:
    match = _DURATION.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise _fail("duration", "{value} is not a duration like 30m, 2h or 3d", value)
    duration = int(match[1]) * _UNITS[match[2]]
    if not duration:
        raise _fail("duration", "{value} is zero; a deadline must be in the future", value)
    return duration


def _parse_range(value: Any) -> OpeningRange:
    match = _RANGE.fullmatch(value) if isinstance(value, str) else None
    if match:
        oh, om, ch, cm = map(int, match.groups())
        opens, closes = oh * 60 + om, ch * 60 + cm
        if oh < 24 and om < 60 and cm < 60 and closes <= MINUTES_PER_DAY and opens != closes:
            return OpeningRange(opens, closes)
    raise _fail("hours", '{value} is not opening hours like "08:30-12:00" or "22:00-02:00"', value)


def _parse_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail("date", "{value} is not a date like 2026-10-15", value)


def _check_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(
            "timezone", "{value} is not an IANA timezone like Asia/Shanghai", value
        ) from None
    return value


def _check_phone(value: str) -> str:
    if not _PHONE.fullmatch(value):
        raise _fail("phone", '{value} is not a phone number like "0769-22880001"', value)
    return value


def _check_position(value: list[float]) -> list[float]:
    problem = geo.coordinate_problem(value[0], value[1])
    if problem:
        raise PydanticCustomError(CUSTOM_ERROR_PREFIX + "position", problem)
    return value


def _check_ring(value: list[list[float]]) -> list[list[float]]:
    problem = geo.ring_problem([(p[0], p[1]) for p in value])
    if problem:
        raise PydanticCustomError(CUSTOM_ERROR_PREFIX + "ring", problem)
    return value


Id = Annotated[str, AfterValidator(_check_id)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Duration = Annotated[timedelta, PlainValidator(_parse_duration)]
HoursRange = Annotated[OpeningRange, PlainValidator(_parse_range)]
Position = Annotated[list[float], Len(2, 3), AfterValidator(_check_position)]  # [lon, lat(, alt)]
Ring = Annotated[list[Position], AfterValidator(_check_ring)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class _Document(BaseModel):
    """Strict: no type coercion (a phone typed as a number loses its leading 0) and no
    unknown keys (a typo like `prority` must not silently fall back to a default)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class _GeoJson(_Document):
    """GeoJSON allows foreign members and map editors add styling, so extras are ignored."""

    model_config = ConfigDict(extra="ignore")


class LocalizedDoc(_Document):
    zh: Text
    en: Text


class DepartmentDoc(_Document):
    id: Id
    name: LocalizedDoc


class SlaDoc(_Document):
    accept: Duration
    resolve: Duration

    @model_validator(mode="after")
    def _accept_before_resolve(self) -> SlaDoc:
        if self.accept > self.resolve:
            raise PydanticCustomError(
                CUSTOM_ERROR_PREFIX + "sla", "accept must not be longer than resolve"
            )
        return self


class CaseTypeDoc(_Document):
    id: Id
    name: LocalizedDoc
    short: LocalizedDoc
    priority: Priority
    sla: SlaDoc
    department: DepartmentDoc


class CaseTypesFile(_Document):
    case_types: list[CaseTypeDoc] = Field(min_length=1)


class CityDoc(_Document):
    id: Id
    name: LocalizedDoc
    timezone: Annotated[str, AfterValidator(_check_timezone)]


class GridDoc(_Document):
    id: Id
    name: LocalizedDoc
    worker_slots: int = Field(ge=1)
    aliases: list[Text] = []


class CommunityDoc(_Document):
    id: Id
    name: LocalizedDoc
    grids: list[GridDoc] = Field(min_length=1)


class CommunitiesFile(_Document):
    city: CityDoc
    communities: list[CommunityDoc] = Field(min_length=1)


class GridPropertiesDoc(_GeoJson):
    grid_id: Id
    community_id: Id


class PolygonDoc(_GeoJson):
    type: Literal["Polygon"]
    coordinates: list[Ring] = Field(min_length=1)


class GridFeatureDoc(_GeoJson):
    type: Literal["Feature"]
    properties: GridPropertiesDoc
    geometry: PolygonDoc


class GridsFile(_GeoJson):
    type: Literal["FeatureCollection"]
    features: list[GridFeatureDoc] = Field(min_length=1)


class StationDoc(_Document):
    id: Id
    name: LocalizedDoc
    community: Id | None = None
    address: LocalizedDoc
    phone: Annotated[str, AfterValidator(_check_phone)]
    location: Annotated[Position, Len(2, 2)]
    hours: dict[Weekday, list[HoursRange]] = {}
    topics: list[Id] = []


class StationsFile(_Document):
    stations: list[StationDoc] = Field(min_length=1)


class FaqTopicDoc(_Document):
    id: Id
    title: LocalizedDoc
    answer: LocalizedDoc
    stations: list[Id] = []
    last_checked: Annotated[date, PlainValidator(_parse_date)]


class FaqFile(_Document):
    topics: list[FaqTopicDoc] = Field(min_length=1)
