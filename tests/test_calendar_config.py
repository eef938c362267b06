"""calendar.yaml and holidays.yaml are checked as strictly as the other config files: each
fault stops the load with the file, the place and the problem."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from config import SHIPPED_CONFIG_DIR, ConfigError, load_config

FILES = (
    "case_types.yaml",
    "communities.yaml",
    "grids.geojson",
    "service_stations.yaml",
    "faq.yaml",
    "calendar.yaml",
    "holidays.yaml",
)
GOOD_CALENDAR: dict[str, Any] = {
    "working_week": ["mon", "tue", "wed", "thu", "fri"],
    "office_hours": ["08:30-12:00", "14:00-17:30"],
    "holiday_source": "chinese_calendar",
}
NAME = {"zh": "区庆", "en": "District day"}


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    for name in FILES:
        shutil.copy(SHIPPED_CONFIG_DIR / name, tmp_path / name)
    return tmp_path


def write(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


BAD_CALENDARS = [
    ({"office_hours": ["8:30-12"]}, "office_hours[0]", "'8:30-12' is not office hours"),
    ({"office_hours": ["22:00-02:00"]}, "office_hours[0]", "is not office hours within one day"),
    (
        {"office_hours": ["14:00-17:30", "08:30-12:00"]},
        "office_hours",
        "'08:30-12:00' overlaps or comes before",
    ),
    ({"office_hours": []}, "office_hours", "at least 1 item"),
    ({"working_week": ["mon", "mon"]}, "working_week", "names a day twice"),
    ({"working_week": ["monday"]}, "working_week[0]", "'mon', 'tue'"),
    ({"holiday_source": "google"}, "holiday_source", "'chinese_calendar' or 'none'"),
    ({"weekends": ["sat"]}, "weekends", "unknown key"),
]


@pytest.mark.parametrize(("change", "where", "problem"), BAD_CALENDARS)
def test_bad_calendar_is_refused(
    config_dir: Path, change: dict[str, Any], where: str, problem: str
) -> None:
    write(config_dir / "calendar.yaml", GOOD_CALENDAR | change)
    with pytest.raises(ConfigError) as refused:
        load_config(config_dir)
    assert (refused.value.file, refused.value.where) == ("calendar.yaml", where)
    assert problem in refused.value.problem


BAD_HOLIDAYS = [
    ({"days_off": [{"date": "2027-13-01", "name": NAME}]}, "days_off[0].date", "not a date"),
    ({"days_off": [{"date": "2027-05-06"}]}, "days_off[0].name", "required key is missing"),
    (
        {"days_off": [{"date": "2027-05-06", "until": "2027-05-01", "name": NAME}]},
        "days_off[0]",
        "until comes before date",
    ),
    (
        {"days_off": [{"date": "2027-05-06", "name": NAME}, {"date": "2027-05-06", "name": NAME}]},
        "days_off[1]",
        "2027-05-06 is already listed at days_off[0]",
    ),
    (
        {
            "days_off": [{"date": "2027-05-01", "until": "2027-05-05", "name": NAME}],
            "working_days": [{"date": "2027-05-02", "name": NAME}],
        },
        "working_days[0]",
        "2027-05-02 is also a day off at days_off[0]",
    ),
]


@pytest.mark.parametrize(("content", "where", "problem"), BAD_HOLIDAYS)
def test_bad_holiday_overrides_are_refused(
    config_dir: Path, content: dict[str, Any], where: str, problem: str
) -> None:
    write(config_dir / "holidays.yaml", content)
    with pytest.raises(ConfigError) as refused:
        load_config(config_dir)
    assert (refused.value.file, refused.value.where) == ("holidays.yaml", where)
    assert problem in refused.value.problem


def test_local_overrides_win_over_the_package(config_dir: Path) -> None:
    write(
        config_dir / "holidays.yaml",
        {
            # the office opens on National Day 2026 and closes on an ordinary Tuesday
            "working_days": [{"date": "2026-10-02", "name": NAME}],
            "days_off": [{"date": "2026-12-01", "until": "2026-12-02", "name": NAME}],
        },
    )
    calendar = load_config(config_dir).calendar
    assert calendar.is_working_day(date(2026, 10, 2))
    assert not calendar.is_working_day(date(2026, 10, 1))
    assert not calendar.is_working_day(date(2026, 12, 1))
    assert not calendar.is_working_day(date(2026, 12, 2))
    assert calendar.is_working_day(date(2026, 12, 3))


def test_without_a_source_only_the_local_file_counts(config_dir: Path) -> None:
    write(config_dir / "calendar.yaml", GOOD_CALENDAR | {"holiday_source": "none"})
    calendar = load_config(config_dir).calendar
    assert calendar.is_working_day(date(2026, 10, 1))  # National Day unknown without the package
    assert not calendar.is_working_day(date(2027, 1, 1))  # holidays.yaml still applies


def test_working_time_needs_a_calendar(config_dir: Path) -> None:
    (config_dir / "calendar.yaml").unlink()
    with pytest.raises(ConfigError) as refused:
        load_config(config_dir)
    assert refused.value.file == "case_types.yaml"
    assert "counts working time, but calendar.yaml is missing" in refused.value.problem


def test_a_clock_only_city_needs_no_calendar(config_dir: Path) -> None:
    path = config_dir / "case_types.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["consultation_sla"] = "1d"
    for case_type in doc["case_types"]:
        case_type["sla"] = {"accept": "2h", "resolve": "3d"}
    write(path, doc)
    (config_dir / "calendar.yaml").unlink()
    city = load_config(config_dir)
    assert city.calendar.is_working_day(date(2026, 11, 29))  # a Sunday: every day counts


BAD_DEPARTMENTS = [
    ([{"id": "fire_brigade", "contact_chat": 5, "sla": "5wd"}], "departments[0].id",
     "unknown department 'fire_brigade'"),
    ([{"id": "urban_management", "contact_chat": 0, "sla": "5wd"}],
     "departments[0].contact_chat", "0 is not a Telegram chat id"),
    ([{"id": "urban_management", "contact_chat": 5, "sla": "5 days"}], "departments[0].sla",
     "is not an SLA like"),
    ([{"id": "urban_management", "contact_chat": 5, "sla": "5wd"}] * 2, "departments[1].id",
     "duplicate id 'urban_management'"),
]  # fmt: skip


@pytest.mark.parametrize(("entries", "where", "problem"), BAD_DEPARTMENTS)
def test_bad_department_contacts_are_refused(
    config_dir: Path, entries: list[dict[str, Any]], where: str, problem: str
) -> None:
    write(config_dir / "departments.yaml", {"departments": entries})
    with pytest.raises(ConfigError) as refused:
        load_config(config_dir)
    assert (refused.value.file, refused.value.where) == ("departments.yaml", where)
    assert problem in refused.value.problem


def test_department_contacts_load(config_dir: Path) -> None:
    write(
        config_dir / "departments.yaml",
        {"departments": [{"id": "traffic_police", "contact_chat": -100123, "sla": "3wd"}]},
    )
    contact = load_config(config_dir).department_contacts["traffic_police"]
    assert (contact.contact_chat, str(contact.sla)) == (-100123, "3wd")
