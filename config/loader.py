"""Load a city's config directory into a `CityConfig`, checking every cross-reference.

A bad config must stop the bot at start-up with a message an admin can act on, never
half-load and misroute cases later. Each file's shape is checked in `config.files`; the
rules that span items or files (duplicates, references, overlapping grids) are here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from config import geo
from config.files import (
    CalendarFile,
    CaseTypesFile,
    CommunitiesFile,
    DayChangeDoc,
    DepartmentsFile,
    FaqFile,
    GridsFile,
    HolidaysFile,
    LocalizedDoc,
    StationsFile,
)
from config.reading import ConfigError, read_document, validate_document
from config.schema import (
    FAQ_TOPIC_IDS,
    FIXED_CASE_TYPE_IDS,
    WEEKDAYS,
    CaseType,
    CityConfig,
    Community,
    Department,
    DepartmentContact,
    FaqTopic,
    Grid,
    Localized,
    ServiceStation,
    normalize_alias,
)
from domain.calendar import ROUND_THE_CLOCK, SlaSpan, WorkingCalendar

CASE_TYPES_FILE = "case_types.yaml"
COMMUNITIES_FILE = "communities.yaml"
GRIDS_FILE = "grids.geojson"
STATIONS_FILE = "service_stations.yaml"
FAQ_FILE = "faq.yaml"  # optional: without it the bot answers no FAQ but still takes reports
# Optional: without it every minute counts, and no case type may count working time.
CALENDAR_FILE = "calendar.yaml"
HOLIDAYS_FILE = "holidays.yaml"  # optional local overrides of the holiday source
DEPARTMENTS_FILE = "departments.yaml"  # optional: without it no case can be forwarded (转办)
SHIPPED_CONFIG_DIR = Path(__file__).parent  # the demo city, used when no other dir is set

__all__ = ["SHIPPED_CONFIG_DIR", "ConfigError", "load_config"]


def load_config(config_dir: Path | str) -> CityConfig:
    """Read and cross-check every file in `config_dir`; raise `ConfigError` on the first fault."""
    config_dir = Path(config_dir)
    if not config_dir.is_dir():
        raise ConfigError(str(config_dir), "", "is not a directory (check GRIDDESK_CONFIG_DIR)")
    case_types_doc = validate_document(
        CASE_TYPES_FILE, read_document(config_dir, CASE_TYPES_FILE), CaseTypesFile
    )
    case_types = _load_case_types(case_types_doc)
    communities_doc = validate_document(
        COMMUNITIES_FILE, read_document(config_dir, COMMUNITIES_FILE), CommunitiesFile
    )
    timezone = ZoneInfo(communities_doc.city.timezone)
    communities, grids = _load_grids(config_dir, communities_doc)
    faq_doc = (
        validate_document(FAQ_FILE, read_document(config_dir, FAQ_FILE), FaqFile)
        if (config_dir / FAQ_FILE).exists()
        else None
    )
    faq_topics = [topic.id for topic in faq_doc.topics] if faq_doc else []
    stations = _load_stations(config_dir, set(communities), {*FAQ_TOPIC_IDS, *faq_topics}, timezone)
    calendar = _load_calendar(config_dir, timezone, case_types, case_types_doc.consultation_sla)
    return CityConfig(
        city_id=communities_doc.city.id,
        city_name=_localized(communities_doc.city.name),
        timezone=timezone,
        case_types=case_types,
        communities=communities,
        grids=grids,
        stations=stations,
        faq=_build_faq(faq_doc, set(stations)) if faq_doc else {},
        calendar=calendar,
        consultation_sla=case_types_doc.consultation_sla,
        department_contacts=_load_departments(config_dir, case_types),
    )


def _localized(doc: LocalizedDoc) -> Localized:
    return Localized(zh=doc.zh, en=doc.en)


def _check_unique(file: str, items: Iterable[tuple[str, str]], what: str) -> None:
    """`items` are (where, value) pairs; a repeated value is an error at its second place."""
    first_seen: dict[str, str] = {}
    for where, value in items:
        if value in first_seen:
            raise ConfigError(
                file, where, f"duplicate {what} {value!r}, first at {first_seen[value]}"
            )
        first_seen[value] = where


def _load_case_types(doc: CaseTypesFile) -> dict[str, CaseType]:
    entries = list(enumerate(doc.case_types))
    _check_unique(CASE_TYPES_FILE, ((f"case_types[{i}].id", ct.id) for i, ct in entries), "id")
    ids = {ct.id for ct in doc.case_types}
    for fixed in FIXED_CASE_TYPE_IDS:
        if fixed not in ids:
            raise ConfigError(
                CASE_TYPES_FILE, "case_types", f"fixed case type {fixed!r} is missing"
            )
    departments: dict[str, tuple[int, LocalizedDoc]] = {}
    for i, ct in entries:
        first = departments.setdefault(ct.department.id, (i, ct.department.name))
        if first[1] != ct.department.name:
            raise ConfigError(
                CASE_TYPES_FILE,
                f"case_types[{i}].department.name",
                f"department {ct.department.id!r} is named differently at case_types[{first[0]}]",
            )
    return {
        ct.id: CaseType(
            id=ct.id,
            name=_localized(ct.name),
            short=_localized(ct.short),
            priority=ct.priority,
            sla_accept=ct.sla.accept,
            sla_resolve=ct.sla.resolve,
            department=Department(id=ct.department.id, name=_localized(ct.department.name)),
        )
        for ct in doc.case_types
    }


def _check_communities(doc: CommunitiesFile) -> None:
    communities = list(enumerate(doc.communities))
    _check_unique(
        COMMUNITIES_FILE, ((f"communities[{i}].id", c.id) for i, c in communities), "community id"
    )
    grids = [
        (f"communities[{i}].grids[{j}]", g) for i, c in communities for j, g in enumerate(c.grids)
    ]
    _check_unique(COMMUNITIES_FILE, ((f"{at}.id", g.id) for at, g in grids), "grid id")
    owners: dict[str, str] = {}  # aliases match case- and width-insensitively
    for at, grid in grids:
        for k, alias in enumerate(grid.aliases):
            key = normalize_alias(alias)
            if key in owners:
                raise ConfigError(
                    COMMUNITIES_FILE,
                    f"{at}.aliases[{k}]",
                    f"alias {alias!r} is already used by grid {owners[key]!r}; "
                    "an alias must name one place",
                )
            owners[key] = grid.id


def _load_grids(
    config_dir: Path, doc: CommunitiesFile
) -> tuple[dict[str, Community], dict[str, Grid]]:
    """Grids are listed in communities.yaml and take their polygon from grids.geojson."""
    _check_communities(doc)
    polygons = _load_polygons(config_dir, {g.id: c.id for c in doc.communities for g in c.grids})
    grids = {
        g.id: Grid(
            id=g.id,
            community_id=c.id,
            name=_localized(g.name),
            worker_slots=g.worker_slots,
            aliases=tuple(g.aliases),
            polygon=polygons[g.id],
        )
        for c in doc.communities
        for g in c.grids
    }
    communities = {
        c.id: Community(id=c.id, name=_localized(c.name), grid_ids=tuple(g.id for g in c.grids))
        for c in doc.communities
    }
    return communities, grids


def _load_polygons(config_dir: Path, community_of: dict[str, str]) -> dict[str, geo.Polygon]:
    """One polygon per grid of communities.yaml, none elsewhere, none overlapping."""
    doc = validate_document(GRIDS_FILE, read_document(config_dir, GRIDS_FILE), GridsFile)
    feature_of: dict[str, int] = {}
    polygons: dict[str, geo.Polygon] = {}
    for i, feature in enumerate(doc.features):
        grid_id, community_id = feature.properties.grid_id, feature.properties.community_id
        where = f"features[{i}].properties"
        if grid_id not in community_of:
            raise ConfigError(
                GRIDS_FILE,
                f"{where}.grid_id",
                f"unknown grid {grid_id!r} (not in {COMMUNITIES_FILE})",
            )
        if grid_id in feature_of:
            raise ConfigError(
                GRIDS_FILE,
                f"{where}.grid_id",
                f"grid {grid_id!r} already has a polygon at features[{feature_of[grid_id]}]",
            )
        if community_id != community_of[grid_id]:
            raise ConfigError(
                GRIDS_FILE,
                f"{where}.community_id",
                f"{community_id!r} does not match {COMMUNITIES_FILE}, where grid {grid_id!r} "
                f"belongs to {community_of[grid_id]!r}",
            )
        feature_of[grid_id] = i
        rings = feature.geometry.coordinates
        polygons[grid_id] = tuple(tuple((p[0], p[1]) for p in ring) for ring in rings)
    for grid_id in community_of:
        if grid_id not in polygons:
            raise ConfigError(GRIDS_FILE, "features", f"grid {grid_id!r} has no polygon")
    _check_no_overlaps(polygons, feature_of)
    return polygons


def _check_no_overlaps(polygons: dict[str, geo.Polygon], feature_of: dict[str, int]) -> None:
    """Sweep west to east so only grids whose longitudes overlap are compared in detail."""
    boxes = {grid_id: geo.bounding_box(polygon) for grid_id, polygon in polygons.items()}
    order = sorted(polygons, key=lambda grid_id: boxes[grid_id].min_lon)
    for pos, a in enumerate(order):
        for b in order[pos + 1 :]:
            if boxes[b].min_lon >= boxes[a].max_lon:
                break
            if geo.polygons_overlap(polygons[a], polygons[b]):
                first, second = sorted((a, b), key=feature_of.__getitem__)
                raise ConfigError(
                    GRIDS_FILE,
                    f"features[{feature_of[second]}]",
                    f"grid {second!r} overlaps grid {first!r} (features[{feature_of[first]}])",
                )


def _load_stations(
    config_dir: Path, community_ids: set[str], topic_ids: set[str], timezone: ZoneInfo
) -> dict[str, ServiceStation]:
    doc = validate_document(STATIONS_FILE, read_document(config_dir, STATIONS_FILE), StationsFile)
    entries = list(enumerate(doc.stations))
    _check_unique(STATIONS_FILE, ((f"stations[{i}].id", s.id) for i, s in entries), "station id")
    for i, station in entries:
        if station.community is not None and station.community not in community_ids:
            raise ConfigError(
                STATIONS_FILE,
                f"stations[{i}].community",
                f"unknown community {station.community!r}",
            )
        for k, topic in enumerate(station.topics):
            if topic not in topic_ids:
                raise ConfigError(
                    STATIONS_FILE, f"stations[{i}].topics[{k}]", f"unknown FAQ topic {topic!r}"
                )
    return {
        s.id: ServiceStation(
            id=s.id,
            name=_localized(s.name),
            community=s.community,
            address=_localized(s.address),
            phone=s.phone,
            lon=s.location[0],
            lat=s.location[1],
            hours={WEEKDAYS.index(day): tuple(ranges) for day, ranges in s.hours.items()},
            topics=tuple(s.topics),
            timezone=timezone,
        )
        for s in doc.stations
    }


def _build_faq(doc: FaqFile, station_ids: set[str]) -> dict[str, FaqTopic]:
    entries = list(enumerate(doc.topics))
    _check_unique(FAQ_FILE, ((f"topics[{i}].id", t.id) for i, t in entries), "topic id")
    for i, topic in entries:
        for k, station in enumerate(topic.stations):
            if station not in station_ids:
                raise ConfigError(
                    FAQ_FILE, f"topics[{i}].stations[{k}]", f"unknown station {station!r}"
                )
    return {
        t.id: FaqTopic(
            id=t.id,
            title=_localized(t.title),
            answer=_localized(t.answer),
            station_ids=tuple(t.stations),
            last_checked=t.last_checked,
        )
        for t in doc.topics
    }


def _load_calendar(
    config_dir: Path,
    timezone: ZoneInfo,
    case_types: dict[str, CaseType],
    consultation_sla: SlaSpan,
) -> WorkingCalendar:
    """Working week and hours from calendar.yaml; public holidays and make-up working days
    from the source it names, then holidays.yaml, which wins (a district's own day off, or
    next year's days before the package ships them)."""
    if not (config_dir / CALENDAR_FILE).exists():
        for i, ct in enumerate(case_types.values()):
            for which, span in (("accept", ct.sla_accept), ("resolve", ct.sla_resolve)):
                if span.unit.working:
                    raise ConfigError(
                        CASE_TYPES_FILE,
                        f"case_types[{i}].sla.{which}",
                        f"{span} counts working time, but {CALENDAR_FILE} is missing",
                    )
        if consultation_sla.unit.working:
            raise ConfigError(
                CASE_TYPES_FILE,
                "consultation_sla",
                f"{consultation_sla} counts working time, but {CALENDAR_FILE} is missing",
            )
        return ROUND_THE_CLOCK
    doc = validate_document(CALENDAR_FILE, read_document(config_dir, CALENDAR_FILE), CalendarFile)
    days_off: set[date] = set()
    working: set[date] = set()
    known_until: date | None = None
    if doc.holiday_source == "chinese_calendar":
        import chinese_calendar  # the State Council's yearly notice, as data

        days_off.update(chinese_calendar.holidays)
        working.update(chinese_calendar.workdays)
        known_until = date(max(days_off).year, 12, 31)
    if (config_dir / HOLIDAYS_FILE).exists():
        local = validate_document(
            HOLIDAYS_FILE, read_document(config_dir, HOLIDAYS_FILE), HolidaysFile
        )
        local_off = _local_days(local.days_off, "days_off")
        local_on = _local_days(local.working_days, "working_days")
        for day, where in local_on.items():
            if day in local_off:
                raise ConfigError(
                    HOLIDAYS_FILE, where, f"{day} is also a day off at {local_off[day]}"
                )
        days_off = (days_off - set(local_on)) | set(local_off)
        working = (working - set(local_off)) | set(local_on)
    return WorkingCalendar(
        timezone=timezone,
        working_week=frozenset(WEEKDAYS.index(day) for day in doc.working_week),
        hours=tuple(doc.office_hours),
        days_off=frozenset(days_off),
        extra_working_days=frozenset(working),
        holidays_known_until=known_until,
    )


def _local_days(entries: list[DayChangeDoc], key: str) -> dict[date, str]:
    """Each date with where it is listed; a date listed twice is an error at its second place."""
    listed: dict[date, str] = {}
    for i, entry in enumerate(entries):
        for day in entry.days():
            if day in listed:
                raise ConfigError(
                    HOLIDAYS_FILE, f"{key}[{i}]", f"{day} is already listed at {listed[day]}"
                )
            listed[day] = f"{key}[{i}]"
    return listed


def _load_departments(
    config_dir: Path, case_types: dict[str, CaseType]
) -> dict[str, DepartmentContact]:
    if not (config_dir / DEPARTMENTS_FILE).exists():
        return {}
    doc = validate_document(
        DEPARTMENTS_FILE, read_document(config_dir, DEPARTMENTS_FILE), DepartmentsFile
    )
    entries = list(enumerate(doc.departments))
    _check_unique(DEPARTMENTS_FILE, ((f"departments[{i}].id", d.id) for i, d in entries), "id")
    known = {ct.department.id for ct in case_types.values()}
    for i, department in entries:
        if department.id not in known:
            raise ConfigError(
                DEPARTMENTS_FILE,
                f"departments[{i}].id",
                f"unknown department {department.id!r} (not in {CASE_TYPES_FILE}: "
                f"{', '.join(sorted(known))})",
            )
    return {
        d.id: DepartmentContact(id=d.id, contact_chat=d.contact_chat, sla=d.sla)
        for d in doc.departments
    }
