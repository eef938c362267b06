"""The shape of each config file, checked field by field.

The models mirror the files one to one, so a validation error's location is a path an
admin can find in the file (`case_types[3].sla.accept`). Cross-file rules (references,
duplicates, overlaps) live in `config.loader`, which also turns these into `config.schema`.
"""

from __future__ import annotations

import itertools
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
from domain.calendar import OfficeHours, SlaSpan, SlaUnit

# Error types raised here already quote the offending value in their message.
CUSTOM_ERROR_PREFIX = "config_"

_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
_SLA = re.compile(r"(\d{1,4})(wh|wd|m|h|d)")
_RANGE = re.compile(r"(\d\d):(\d\d)-(\d\d):(\d\d)")
_PHONE = re.compile(r"[0-9+()\- ]{3,24}")


def _fail(kind: str, message: str, value: object) -> PydanticCustomError:
    return PydanticCustomError(CUSTOM_ERROR_PREFIX + kind, message, {"value": repr(value)})


def _check_id(value: str) -> str:
    """Ids travel in Telegram callback data (64 bytes) and Rasa intent names: keep them plain."""
    if not _ID.fullmatch(value):
        raise _fail("id", "{value} is not an id: 1-32 of a-z, 0-9, '_' or '-'", value)
    return value


def _parse_sla(value: Any) -> SlaSpan:
    match = _SLA.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise _fail(
            "duration",
            "{value} is not an SLA like 30m, 2h, 3d, 4wh (working hours) or 3wd (working days)",
            value,
        )
    if not int(match[1]):
        raise _fail("duration", "{value} is zero; a deadline must be in the future", value)
    return SlaSpan(int(match[1]), SlaUnit(match[2]))


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
Sla = Annotated[SlaSpan, PlainValidator(_parse_sla)]
HoursRange = Annotated[OpeningRange, PlainValidator(_parse_range)]
Position = Annotated[list[float], Len(2, 3), AfterValidator(_check_position)]  # [lon, lat(, alt)]
Ring = Annotated[list[Position], AfterValidator(_check_ring)]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Day = Annotated[date, PlainValidator(_parse_date)]


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
    accept: Sla
    resolve: Sla

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
    # A question the bot cannot answer goes to community staff, who answer within this.
    consultation_sla: Sla = SlaSpan(1, SlaUnit.WORKING_DAYS)


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


def _parse_office_hours(value: Any) -> OfficeHours:
    match = _RANGE.fullmatch(value) if isinstance(value, str) else None
    if match:
        oh, om, ch, cm = map(int, match.groups())
        opens, closes = oh * 60 + om, ch * 60 + cm
        if om < 60 and cm < 60 and opens < closes <= MINUTES_PER_DAY:
            return OfficeHours(opens, closes)
    raise _fail("hours", '{value} is not office hours within one day, like "08:30-12:00"', value)


def _sorted_apart(value: list[OfficeHours]) -> list[OfficeHours]:
    for before, after in itertools.pairwise(value):
        if after.opens < before.closes:
            raise _fail(
                "hours", "{value} overlaps or comes before the range above it", str(after)
            )
    return value


def _no_repeats(value: list[Weekday]) -> list[Weekday]:
    if len(set(value)) != len(value):
        raise _fail("weekdays", "{value} names a day twice", value)
    return value


class CalendarFile(_Document):
    """calendar.yaml: when the office counts SLA time (working hours and days)."""

    working_week: Annotated[list[Weekday], Field(min_length=1), AfterValidator(_no_repeats)]
    office_hours: Annotated[
        list[Annotated[OfficeHours, PlainValidator(_parse_office_hours)]],
        Field(min_length=1),
        AfterValidator(_sorted_apart),
    ]
    # Public holidays and make-up working days from a maintained package, or only the
    # local file (holidays.yaml) with `none`.
    holiday_source: Literal["chinese_calendar", "none"]


class DayChangeDoc(_Document):
    """One day (or `date` to `until`, inclusive) off, or worked, by local decision."""

    date: Day
    until: Day | None = None
    name: LocalizedDoc

    @model_validator(mode="after")
    def _until_after_date(self) -> DayChangeDoc:
        if self.until is not None and self.until < self.date:
            raise PydanticCustomError(CUSTOM_ERROR_PREFIX + "date", "until comes before date")
        return self

    def days(self) -> list[Day]:
        last = self.until or self.date
        return [self.date + timedelta(days=n) for n in range((last - self.date).days + 1)]


def _non_zero(value: int) -> int:
    if value == 0:
        raise _fail("chat", "{value} is not a Telegram chat id", value)
    return value


class DepartmentContactDoc(_Document):
    id: Id  # a department named in case_types.yaml
    # The Telegram chat (the liaison's user id, or a group) that gets forwarded cases.
    contact_chat: Annotated[int, AfterValidator(_non_zero)]
    sla: Sla  # the department's own deadline for a forwarded case


class DepartmentsFile(_Document):
    """departments.yaml: where 转办 sends a case, and the department's deadline."""

    departments: list[DepartmentContactDoc] = []


class HolidaysFile(_Document):
    """holidays.yaml: local overrides that win over the holiday source."""

    days_off: list[DayChangeDoc] = []
    working_days: list[DayChangeDoc] = []  # make-up working days (调休) on a weekend
