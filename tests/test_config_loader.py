"""The shipped city config, the loader's refusals, and the lookups handlers rely on.

Each bad-file case copies the shipped config, plants one defect, and checks that the error
names the file, the place and the problem, since that message is all an admin sees.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from config import (
    FAQ_TOPIC_IDS,
    FIXED_CASE_TYPE_IDS,
    SHIPPED_CONFIG_DIR,
    CityConfig,
    ConfigError,
    Grid,
    Localized,
    OpeningRange,
    ServiceStation,
    geo,
    load_config,
)

DATA_FILES = (
    "case_types.yaml",
    "communities.yaml",
    "grids.geojson",
    "service_stations.yaml",
    "faq.yaml",
    "calendar.yaml",
    "holidays.yaml",
)
STATION_IDS = {
    "st_street_center",
    "st_xinji",
    "st_yangguang",
    "st_hongmian",
    "st_health_center",
    "st_police_station",
    "st_social_security",
    "st_education_office",
}
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Used only when faq.yaml is not shipped, so the FAQ defects below always have a topic to break.
SAMPLE_FAQ = {
    "topics": [
        {
            "id": "residence_permit",
            "title": {"zh": "居住证办理", "en": "Residence permit"},
            "answer": {"zh": "带身份证去派出所户籍窗口。", "en": "Bring your ID card."},
            "stations": ["st_police_station"],
            "last_checked": date(2026, 10, 15),
        }
    ]
}


@pytest.fixture(scope="module")
def city() -> CityConfig:
    return load_config(SHIPPED_CONFIG_DIR)


@pytest.fixture
def config_copy(tmp_path: Path) -> Path:
    for name in DATA_FILES:
        if (SHIPPED_CONFIG_DIR / name).exists():
            shutil.copy(SHIPPED_CONFIG_DIR / name, tmp_path / name)
    if not (tmp_path / "faq.yaml").exists():
        _write(tmp_path / "faq.yaml", SAMPLE_FAQ)
    return tmp_path


# --- planting defects -----------------------------------------------------------------

Edit = Callable[[Path], None]


def _read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".geojson" else yaml.safe_load(text)


def _write(path: Path, data: Any) -> None:
    if path.suffix == ".geojson":
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def _change(name: str, change: Callable[[Any], None]) -> Edit:
    def edit(config_dir: Path) -> None:
        data = _read(config_dir / name)
        change(data)
        _write(config_dir / name, data)

    return edit


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _set(name: str, path: tuple[str | int, ...], value: Any) -> Edit:
    return _change(name, lambda data: _at(data, path[:-1]).__setitem__(path[-1], value))


def _delete(name: str, path: tuple[str | int, ...]) -> Edit:
    return _change(name, lambda data: _at(data, path[:-1]).__delitem__(path[-1]))


def _copy(name: str, source: tuple[str | int, ...], target: tuple[str | int, ...]) -> Edit:
    return _change(
        name, lambda data: _at(data, target[:-1]).__setitem__(target[-1], _at(data, source))
    )


def _text(name: str, change: Callable[[str], str]) -> Edit:
    def edit(config_dir: Path) -> None:
        path = config_dir / name
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return edit


def _remove(name: str) -> Edit:
    return lambda config_dir: (config_dir / name).unlink()


def _drop_case_type(case_type_id: str) -> Edit:
    def change(data: Any) -> None:
        data["case_types"] = [ct for ct in data["case_types"] if ct["id"] != case_type_id]

    return _change("case_types.yaml", change)


def _shift_feature(index: int, d_lon: float) -> Edit:
    def change(data: Any) -> None:
        ring = data["features"][index]["geometry"]["coordinates"][0]
        for position in ring:
            position[0] = round(position[0] + d_lon, 6)

    return _change("grids.geojson", change)


def _stretch_west(index: int, new_west: float) -> Edit:
    """Overlap whose edges only touch or run along each other: no two edges cross."""

    def change(data: Any) -> None:
        ring = data["features"][index]["geometry"]["coordinates"][0]
        west = min(position[0] for position in ring)
        for position in ring:
            if position[0] == west:
                position[0] = new_west

    return _change("grids.geojson", change)


CT = "case_types.yaml"
CM = "communities.yaml"
GJ = "grids.geojson"
ST = "service_stations.yaml"
FQ = "faq.yaml"
RING0 = ("features", 0, "geometry", "coordinates", 0)

BAD_CONFIGS = [
    # files and syntax
    pytest.param(_remove(CM), [CM, "file not found"], id="missing-file"),
    pytest.param(_text(CT, lambda t: ""), [CT, "file is empty"], id="empty-file"),
    pytest.param(
        _text(CT, lambda t: "case_types:\n  - id: noise\n    name: {zh: 噪音, en: Noise\n"),
        [CT, "line 4, column 1", "YAML syntax error"],
        id="yaml-syntax",
    ),
    pytest.param(
        _text(GJ, lambda t: t.rstrip().removesuffix("}")),
        [GJ, "line ", "JSON syntax error"],
        id="json-syntax",
    ),
    pytest.param(
        _text(ST, lambda t: t.replace("      fri:", "      mon: []\n      fri:", 1)),
        [ST, "line ", "duplicate key 'mon'"],
        id="yaml-duplicate-key",
    ),
    # shapes and types
    pytest.param(
        _set(CT, ("case_types", 0, "name"), "环境卫生"),
        [CT, "case_types[0].name", "should be a mapping"],
        id="wrong-type",
    ),
    pytest.param(
        _delete(CT, ("case_types", 2, "department")),
        [CT, "case_types[2].department", "required key is missing"],
        id="missing-key",
    ),
    pytest.param(
        _set(CT, ("case_types", 0, "prority"), "high"),
        [CT, "case_types[0].prority", "unknown key"],
        id="unknown-key",
    ),
    pytest.param(
        _set(ST, ("stations", 0, "phone"), 76922880001),
        [ST, "stations[0].phone", "valid string", "76922880001"],
        id="phone-as-number",
    ),
    pytest.param(
        _set(CT, ("case_types", 3, "sla", "accept"), "2 hours"),
        [CT, "case_types[3].sla.accept", "'2 hours' is not an SLA like 30m, 2h, 3d, 4wh"],
        id="bad-duration",
    ),
    pytest.param(
        _set(CT, ("case_types", 3, "sla", "accept"), "30d"),
        [CT, "case_types[3].sla", "accept must not be longer than resolve"],
        id="accept-after-resolve",
    ),
    pytest.param(
        _set(CT, ("case_types", 0, "priority"), "critical"),
        [CT, "case_types[0].priority", "'low', 'normal', 'high' or 'urgent'", "'critical'"],
        id="unknown-priority",
    ),
    pytest.param(
        _set(CM, ("city", "timezone"), "China/Dongguan"),
        [CM, "city.timezone", "'China/Dongguan' is not an IANA timezone"],
        id="bad-timezone",
    ),
    pytest.param(
        _set(ST, ("stations", 1, "hours", "mon"), ["8:30-12"]),
        [ST, "stations[1].hours.mon[0]", "'8:30-12' is not opening hours"],
        id="bad-hours",
    ),
    # case types
    pytest.param(
        _drop_case_type("noise"),
        [CT, "case_types", "fixed case type 'noise' is missing"],
        id="fixed-case-type-missing",
    ),
    pytest.param(
        _set(CT, ("case_types", 1, "id"), "sanitation"),
        [CT, "case_types[1].id", "duplicate id 'sanitation', first at case_types[0].id"],
        id="duplicate-case-type",
    ),
    # communities and grids
    pytest.param(
        _set(CM, ("communities", 1, "id"), "xinji"),
        [CM, "communities[1].id", "duplicate community id 'xinji'"],
        id="duplicate-community",
    ),
    pytest.param(
        _set(CM, ("communities", 1, "grids", 0, "id"), "xinji-01"),
        [CM, "communities[1].grids[0].id", "duplicate grid id 'xinji-01'"],
        id="duplicate-grid",
    ),
    pytest.param(
        _set(CM, ("communities", 2, "grids", 3, "aliases", 0), "xinji TOWER"),
        [
            CM,
            "communities[2].grids[3].aliases[0]",
            "'xinji TOWER' is already used by grid 'xinji-01'",
        ],
        id="duplicate-alias",
    ),
    pytest.param(
        _delete(GJ, ("features", 2)),
        [GJ, "grid 'xinji-03' has no polygon"],
        id="grid-without-polygon",
    ),
    pytest.param(
        _set(GJ, ("features", 0, "properties", "grid_id"), "xinji-09"),
        [GJ, "features[0].properties.grid_id", "unknown grid 'xinji-09'"],
        id="polygon-for-unknown-grid",
    ),
    pytest.param(
        _copy(GJ, ("features", 0, "properties"), ("features", 1, "properties")),
        [GJ, "features[1].properties.grid_id", "'xinji-01' already has a polygon at features[0]"],
        id="two-polygons-for-one-grid",
    ),
    pytest.param(
        _set(GJ, ("features", 0, "properties", "community_id"), "hongmian"),
        [GJ, "features[0].properties.community_id", "grid 'xinji-01' belongs to 'xinji'"],
        id="polygon-in-wrong-community",
    ),
    pytest.param(
        _change(GJ, lambda data: _at(data, RING0).pop()),
        [GJ, "features[0].geometry.coordinates[0]", "ring is not closed"],
        id="unclosed-ring",
    ),
    pytest.param(
        _change(GJ, lambda data: _at(data, RING0).__delitem__(slice(1, 3))),
        [GJ, "features[0].geometry.coordinates[0]", "at least 4 positions"],
        id="short-ring",
    ),
    pytest.param(
        _set(GJ, (*RING0, 1), [213.747, 23.032]),
        [GJ, "features[0].geometry.coordinates[0][1]", "longitude 213.747 is out of range"],
        id="longitude-out-of-range",
    ),
    pytest.param(
        _set(GJ, (*RING0, 1), [23.032, 113.747]),
        [GJ, "features[0].geometry.coordinates[0][1]", "latitude 113.747 is out of range"],
        id="lat-lon-swapped",
    ),
    pytest.param(
        _shift_feature(1, -0.002),
        [GJ, "features[1]", "grid 'xinji-02' overlaps grid 'xinji-01' (features[0])"],
        id="overlap-shifted",
    ),
    pytest.param(
        _copy(GJ, ("features", 0, "geometry"), ("features", 5, "geometry")),
        [GJ, "features[5]", "grid 'yangguang-02' overlaps grid 'xinji-01' (features[0])"],
        id="overlap-identical",
    ),
    pytest.param(
        _stretch_west(1, 113.745),
        [GJ, "features[1]", "grid 'xinji-02' overlaps grid 'xinji-01' (features[0])"],
        id="overlap-without-crossing-edges",
    ),
    # stations and FAQ
    pytest.param(
        _set(ST, ("stations", 0, "id"), "st_xinji"),
        [ST, "stations[1].id", "duplicate station id 'st_xinji', first at stations[0].id"],
        id="duplicate-station",
    ),
    pytest.param(
        _set(ST, ("stations", 1, "community"), "xinjj"),
        [ST, "stations[1].community", "unknown community 'xinjj'"],
        id="station-unknown-community",
    ),
    pytest.param(
        _set(ST, ("stations", 1, "topics", 0), "vacination"),
        [ST, "stations[1].topics[0]", "unknown FAQ topic 'vacination'"],
        id="station-unknown-topic",
    ),
    pytest.param(
        _set(ST, ("stations", 1, "location"), [113.75]),
        [ST, "stations[1].location", "at least 2 items"],
        id="station-location-short",
    ),
    pytest.param(
        _set(FQ, ("topics", 0, "stations"), ["st_nowhere"]),
        [FQ, "topics[0].stations[0]", "unknown station 'st_nowhere'"],
        id="faq-unknown-station",
    ),
    pytest.param(
        _delete(FQ, ("topics", 0, "answer", "en")),
        [FQ, "topics[0].answer.en", "required key is missing"],
        id="faq-missing-language",
    ),
    pytest.param(
        _set(FQ, ("topics", 0, "title", "zh"), "   "),
        [FQ, "topics[0].title.zh", "at least 1 character"],
        id="faq-blank-text",
    ),
    pytest.param(
        _set(FQ, ("topics", 0, "last_checked"), "last week"),
        [FQ, "topics[0].last_checked", "'last week' is not a date"],
        id="faq-bad-date",
    ),
]


def test_an_untouched_copy_loads(config_copy: Path) -> None:
    assert len(load_config(config_copy).grids) == 12


@pytest.mark.parametrize(("plant_defect", "expected"), BAD_CONFIGS)
def test_a_bad_config_is_refused_naming_file_place_and_problem(
    config_copy: Path, plant_defect: Edit, expected: list[str]
) -> None:
    plant_defect(config_copy)
    with pytest.raises(ConfigError) as refused:
        load_config(config_copy)
    message = str(refused.value)
    file, *details = expected
    assert message.startswith(f"{file}: "), message
    for detail in details:
        assert detail in message, message


def test_bad_duration_message_reads_as_documented(config_copy: Path) -> None:
    _set(CT, ("case_types", 3, "sla", "accept"), "2 hours")(config_copy)
    with pytest.raises(ConfigError) as refused:
        load_config(config_copy)
    assert str(refused.value) == (
        "case_types.yaml: case_types[3].sla.accept: '2 hours' is not an SLA like 30m, 2h, 3d, "
        "4wh (working hours) or 3wd (working days)"
    )
    assert (refused.value.file, refused.value.where) == (CT, "case_types[3].sla.accept")


def test_faq_file_is_optional(config_copy: Path) -> None:
    (config_copy / FQ).unlink()
    city = load_config(config_copy)
    assert city.faq == {}
    assert len(city.stations) == 8


# --- the shipped config ---------------------------------------------------------------


def test_shipped_config_loads(city: CityConfig) -> None:
    assert city.city_id == "demo"
    assert set(city.communities) == {"xinji", "yangguang", "hongmian"}
    assert len(city.grids) == 12
    assert set(city.case_types) == set(FIXED_CASE_TYPE_IDS)
    assert set(city.stations) == STATION_IDS
    for community in city.communities.values():
        assert community.grid_ids == tuple(f"{community.id}-0{n}" for n in range(1, 5))
    assert all(2 <= len(grid.aliases) <= 4 for grid in city.grids.values())


def test_shipped_case_types_put_danger_first(city: CityConfig) -> None:
    for case_type in city.case_types.values():
        assert case_type.sla_accept <= case_type.sla_resolve
    assert city.case_type("safety_hazard").priority == "high"
    assert city.case_type("public_health").priority == "high"
    fastest = min(city.case_types.values(), key=lambda ct: ct.sla_accept)
    assert fastest.id == "safety_hazard"
    assert city.case_type("public_facility").department.name.get("en") == (
        "Urban Management and Law Enforcement Bureau"
    )
    with pytest.raises(KeyError, match="unknown case type 'fire'"):
        city.case_type("fire")


def test_every_shipped_station_stands_in_a_grid_of_its_community(city: CityConfig) -> None:
    for station in city.stations.values():
        grid = city.grid_at(lat=station.lat, lon=station.lon)
        assert grid is not None, station.id
        assert station.community in (None, grid.community_id)


def test_shipped_stations_and_faq_agree_on_who_handles_what(city: CityConfig) -> None:
    if not city.faq:
        pytest.skip("no faq.yaml shipped")
    assert set(FAQ_TOPIC_IDS) <= set(city.faq)
    for station in city.stations.values():
        handled_by_faq = {t.id for t in city.faq.values() if station.id in t.station_ids}
        assert set(station.topics) == handled_by_faq, station.id


# --- lookups --------------------------------------------------------------------------


def test_grid_at_finds_each_grid_at_its_centroid(city: CityConfig) -> None:
    for grid in city.grids.values():
        lon, lat = geo.centroid(grid.polygon[0])
        found = city.grid_at(lat=lat, lon=lon)
        assert found is not None and found.id == grid.id


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(23.010, 113.742), (23.050, 113.750), (22.540, 114.060), (0.0, 0.0)],
    ids=["gap-between-communities", "north-of-city", "shenzhen", "null-island"],
)
def test_grid_at_is_none_outside_the_city(city: CityConfig, lat: float, lon: float) -> None:
    assert city.grid_at(lat=lat, lon=lon) is None


def test_grids_tile_each_community_without_gaps(city: CityConfig) -> None:
    for community in city.communities.values():
        boxes = [city.grids[grid_id].bbox for grid_id in community.grid_ids]
        west, south = min(b.min_lon for b in boxes), min(b.min_lat for b in boxes)
        east, north = max(b.max_lon for b in boxes), max(b.max_lat for b in boxes)
        for i in range(21):
            for j in range(21):
                lon, lat = west + (east - west) * i / 20, south + (north - south) * j / 20
                if lon == east or lat == north:
                    continue  # the far edge belongs to the neighbour (half-open rule)
                grid = city.grid_at(lat=lat, lon=lon)
                assert grid is not None and grid.community_id == community.id, (lat, lon)


def test_a_point_on_a_shared_edge_belongs_to_exactly_one_grid(city: CityConfig) -> None:
    for lat, lon in [(23.036, 113.747), (23.032, 113.744), (23.032, 113.747), (23.024, 113.750)]:
        owners = [g.id for g in city.grids.values() if g.contains(lon=lon, lat=lat)]
        assert len(owners) == 1, (lat, lon, owners)


def test_grid_contains_respects_holes() -> None:
    outer = ((0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0))
    hole = ((1.0, 1.0), (1.0, 3.0), (3.0, 3.0), (3.0, 1.0), (1.0, 1.0))
    grid = Grid(
        id="ring-estate",
        community_id="c",
        name=Localized("环形小区", "Ring Estate"),
        worker_slots=1,
        aliases=(),
        polygon=(outer, hole),
    )
    assert grid.contains(lon=0.5, lat=0.5)
    assert not grid.contains(lon=2.0, lat=2.0)
    assert not grid.contains(lon=5.0, lat=2.0)


@pytest.mark.parametrize(
    ("text", "grid_id"),
    [
        ("我住在阳光花园3栋，楼下路灯坏了", "yangguang-01"),
        ("rubbish piling up at the SUNSHINE garden gate", "yangguang-01"),
        ("ｘｉｎｊｉ　 ｔｏｗｅｒ 电梯坏了", "xinji-01"),
        ("东城路88号门口乱停车", "xinji-02"),
        ("1 Hongmian Road", "hongmian-01"),
        ("11 Hongmian Road", None),
        ("somewhere in town", None),
        ("", None),
    ],
)
def test_grid_by_alias(city: CityConfig, text: str, grid_id: str | None) -> None:
    grid = city.grid_by_alias(text)
    assert (grid.id if grid else None) == grid_id


def test_grid_by_alias_prefers_the_longest_alias(config_copy: Path) -> None:
    _change(CM, lambda data: data["communities"][0]["grids"][2]["aliases"].append("Xinji"))(
        config_copy
    )
    city = load_config(config_copy)
    tower = city.grid_by_alias("the lift in Xinji Tower is stuck")
    village = city.grid_by_alias("somewhere in xinji")
    assert (tower and tower.id, village and village.id) == ("xinji-01", "xinji-03")


def _station(hours: dict[int, tuple[OpeningRange, ...]]) -> ServiceStation:
    return ServiceStation(
        id="st_night",
        name=Localized("夜间窗口", "Night desk"),
        community=None,
        address=Localized("某路1号", "1 Some Road"),
        phone="0769-22880000",
        lon=113.75,
        lat=23.02,
        hours=hours,
        timezone=SHANGHAI,
    )


FRI, SAT, SUN, MON = 4, 5, 6, 0
NIGHT_DESK = _station(
    {
        FRI: (OpeningRange(9 * 60, 12 * 60), OpeningRange(22 * 60, 2 * 60)),
        SUN: (OpeningRange(23 * 60, 60),),
    }
)


@pytest.mark.parametrize(
    ("local_time", "is_open"),
    [
        (datetime(2026, 10, 16, 10, 0), True),  # Friday morning
        (datetime(2026, 10, 16, 21, 59), False),  # Friday, before the night range
        (datetime(2026, 10, 16, 23, 30), True),  # Friday night
        (datetime(2026, 10, 17, 1, 59), True),  # Saturday, still Friday's range
        (datetime(2026, 10, 17, 2, 0), False),  # Saturday, Friday's range closed
        (datetime(2026, 10, 17, 10, 0), False),  # Saturday: a closed day
        (datetime(2026, 10, 19, 0, 30), True),  # Monday, Sunday's range wraps the week
        (datetime(2026, 10, 19, 1, 0), False),
    ],
)
def test_is_open_across_midnight_and_on_closed_days(local_time: datetime, is_open: bool) -> None:
    assert NIGHT_DESK.is_open(local_time) is is_open


def test_is_open_converts_aware_times_to_the_city_timezone(city: CityConfig) -> None:
    station = city.stations["st_xinji"]
    monday_9_30_shanghai = datetime(2026, 10, 19, 1, 30, tzinfo=UTC)
    assert station.is_open(monday_9_30_shanghai)
    assert not station.is_open(datetime(2026, 10, 19, 12, 30))  # lunch break
    assert not station.is_open(datetime(2026, 10, 18, 10, 0))  # Sunday


def test_hours_crossing_midnight_load_from_yaml(config_copy: Path) -> None:
    _set(ST, ("stations", 4, "hours", "fri"), ["08:00-12:00", "22:00-02:00"])(config_copy)
    station = load_config(config_copy).stations["st_health_center"]
    assert station.is_open(datetime(2026, 10, 17, 1, 0, tzinfo=SHANGHAI))
    assert str(station.hours[FRI][1]) == "22:00-02:00"


def test_nearest_stations_are_ordered_by_distance(city: CityConfig) -> None:
    xinji = city.stations["st_xinji"]
    nearest = city.nearest_stations(lat=xinji.lat, lon=xinji.lon, limit=3)
    assert nearest[0][0].id == "st_xinji"
    distances = [metres for _, metres in nearest]
    assert distances[0] == 0 and distances == sorted(distances)
    everything = city.nearest_stations(lat=23.0, lon=113.75, limit=100)
    assert len(everything) == 8
    assert [m for _, m in everything] == sorted(m for _, m in everything)
    assert everything[0][0].id == "st_social_security"


def test_distance_is_haversine_metres() -> None:
    assert geo.distance_m((113.75, 23.00), (113.75, 23.01)) == pytest.approx(1111.95, abs=0.5)


@pytest.mark.parametrize(
    ("lang", "text"), [("en", "Noise"), ("en-US", "Noise"), ("zh-hans", "噪音"), ("fr", "噪音")]
)
def test_localized_falls_back_to_chinese(lang: str, text: str) -> None:
    assert Localized("噪音", "Noise").get(lang) == text


SQUARE = (((0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)),)


def _square(west: float, south: float, size: float = 2.0) -> geo.Polygon:
    e, n = west + size, south + size
    return (((west, south), (e, south), (e, n), (west, n), (west, south)),)


@pytest.mark.parametrize(
    ("other", "overlaps"),
    [
        (_square(2.0, 0.0), False),  # shares an edge
        (_square(2.0, 2.0), False),  # shares a corner
        (_square(0.0, 1.0, 0.5), True),  # inside, touching the west edge
        (SQUARE, True),  # identical
        (_square(1.0, 0.0), True),  # edges only run along each other
        (_square(1.0, 1.0), True),  # edges cross
        (_square(-1.0, -1.0, 4.0), True),  # contains it
        ((((0.5, 0.5), (1.5, 0.5), (1.0, 3.0), (0.5, 0.5)),), True),  # a spike through the top
    ],
)
def test_polygons_overlap(other: geo.Polygon, overlaps: bool) -> None:
    assert geo.polygons_overlap(SQUARE, other) is overlaps
    assert geo.polygons_overlap(other, SQUARE) is overlaps


def test_a_grid_inside_another_grids_hole_does_not_overlap_it() -> None:
    with_hole = (_square(0.0, 0.0, 4.0)[0], _square(1.0, 1.0)[0])
    assert not geo.polygons_overlap(with_hole, _square(1.0, 1.0))
    assert geo.polygons_overlap(with_hole, _square(0.5, 0.5))
