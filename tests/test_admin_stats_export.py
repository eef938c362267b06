"""`stats` and `cases export` against a known data set, on SQLite and PostgreSQL.

The cases and their events are inserted directly with fixed timestamps, and every
figure below was worked out by hand from this table (times UTC; the city is UTC+8):

| # | grid / type           | status      | created     | accepted  | resolved   | due       | ★ |
| 1 | xinji-01 sanitation   | closed      | 11-02 01:00 | +30m      | +4h        | +48h      | 5 |
| 2 | xinji-01 sanitation   | resolved    | 11-03 02:00 | +1h30m    | +10h (ev.) | +8h late  | - |
| 3 | xinji-01 noise        | in_progress | 11-05 00:00 | +2h       | -          | 11-06 late| - |
| 4 | yangguang-01 noise    | assigned    | 11-10 03:00 | -         | -          | 2099      | - |
| 5 | yangguang-01 noise    | closed      | 11-11 00:00 | +20m, +1h | +3h        | +24h      | 3 |
| 6 | yangguang-01 noise    | cancelled   | 11-12 00:00 | -         | -          | 11-13     | - |
| 7 | (consultation) other  | new         | 11-15 00:00 | -         | -          | 2099      | - |
| 8 | xinji-01 sanitation   | closed      | 10-31 16:30 | +1h       | +2h        | +24h      | 4 |
| 9 | xinji-01 sanitation   | new         | 11-30 16:30 | -         | -          | 12-05     | - |

Case 8 is 1 Nov 00:30 in the city and case 9 is 1 Dec 00:30, so "November" holds 1-8.
"""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from services.admin.case_facts import count_cases, read_case_facts
from services.admin.errors import AdminInputError
from services.admin.export import export_cases
from services.admin.export_rows import HEADERS, PHONE_PLACEHOLDER, redact_phones
from services.admin.period import Period, parse_period
from services.admin.stats import NO_GRID, StatsLine, compute_stats
from storage.db import Database
from tests.support.admin import (
    CITY,
    NOVEMBER,
    NOW,
    RESIDENT_PHONE,
    RESIDENT_TG,
    WORKER_TG,
    H,
    M,
    _seed_sqlite_file,
    admin_cli,
    cli_env,
    seed_known_cases,
)


def line(grid: str, case_type: str, received: int, disposed: int, overdue: int,
         accept: timedelta | None, resolve: timedelta | None,
         grades: tuple[int, int, int], stars: float | None) -> StatsLine:
    """`grades`: how many 满意, 基本满意, 不满意 (stars mapped: 4-5, 3, 1-2)."""
    return StatsLine(grid, case_type, received, disposed, overdue, accept, resolve, *grades, stars)


EXPECTED_NOVEMBER = [
    line(NO_GRID, "other", 1, 0, 0, None, None, (0, 0, 0), None),
    line("xinji-01", "noise", 1, 0, 1, 2 * H, None, (0, 0, 0), None),
    line("xinji-01", "sanitation", 3, 3, 1, H, 4 * H, (2, 0, 0), 4.5),  # ★5, ★4
    line("yangguang-01", "noise", 3, 1, 0, 20 * M, 3 * H, (0, 1, 0), 3.0),  # ★3
]
EXPECTED_NOVEMBER_TOTAL = line("total", "", 8, 4, 2, H, 3.5 * H, (2, 1, 0), 4.0)


@pytest.fixture
async def known_db(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    await seed_known_cases(db)
    yield db
    await db.dispose()


async def test_stats_for_november_match_the_hand_count(known_db: Database) -> None:
    async with known_db.transaction() as session:
        report = await compute_stats(session, NOVEMBER, NOW)
    assert report.lines == EXPECTED_NOVEMBER
    assert report.total == EXPECTED_NOVEMBER_TOTAL
    assert report.total.disposal_rate == 0.5
    assert report.lines[3].disposal_rate == pytest.approx(1 / 3)


async def test_stats_without_a_period_take_every_case(known_db: Database) -> None:
    async with known_db.transaction() as session:
        report = await compute_stats(session, Period(), NOW)
    assert (report.total.received, report.total.disposed, report.total.overdue) == (9, 4, 2)
    assert [ln.received for ln in report.lines if ln.grid == "xinji-01"] == [1, 4]


async def test_export_rows_equal_the_database(known_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "november.csv"
    seen: list[int] = []
    async with known_db.transaction() as session:
        assert await count_cases(session, NOVEMBER) == 8
        written = await export_cases(session, CITY, NOVEMBER, NOW, path, "csv", seen.append)
    assert written == 8 and seen == list(range(1, 9))
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert tuple(rows[0]) == HEADERS
    assert [r["number"] for r in rows] == [f"GD-2025-{n:06d}" for n in (8, 1, 2, 3, 4, 5, 6, 7)]
    assert [r["overdue"] for r in rows] == ["no", "no", "yes", "yes", "no", "no", "no", "no"]
    by_number = {r["number"]: r for r in rows}
    assert by_number["GD-2025-000001"] == {
        "number": "GD-2025-000001", "kind": "report", "case_type": "sanitation",
        "case_type_zh": "环境卫生", "case_type_en": "Sanitation",
        "department": "城市管理和综合执法局",
        "department_en": "Urban Management and Law Enforcement Bureau",
        "status": "closed", "status_zh": "已办结",
        "status_en": "Closed", "priority": "normal", "grid": "xinji-01",
        "grid_name": "新基第一网格", "community": "xinji", "community_name": "新基社区",
        "address": "",
        "assignee": "网格员 #2（新基第一网格）",
        "created": "2025-11-02 09:00", "accepted": "2025-11-02 09:30",
        "resolved": "2025-11-02 13:00", "closed": "2025-11-03 09:00", "due": "2025-11-04 09:00",
        "responded_in_time": "yes", "resolved_on_time": "yes", "overdue": "no",
        "reopened": "no", "evaluation": "满意", "evaluation_en": "Satisfied", "evaluated": "1",
        "satisfied": "1", "stars": "5", "reporters": "2",
        "text": f"垃圾没人清，电话{PHONE_PLACEHOLDER} 或 {PHONE_PLACEHOLDER}",
        "resolution_note": "",
    }
    # The resolved time comes from the event when the column is empty; formulas stay text.
    assert by_number["GD-2025-000002"]["resolved"] == "2025-11-03 20:00"
    assert by_number["GD-2025-000002"]["text"].startswith("'=HYPERLINK")
    assert by_number["GD-2025-000005"]["accepted"] == "2025-11-11 08:20"  # the first accept
    assert by_number["GD-2025-000007"]["community"] == "yangguang"
    assert by_number["GD-2025-000007"]["grid"] == ""
    assert by_number["GD-2025-000008"]["created"] == "2025-11-01 00:30"
    content = path.read_text(encoding="utf-8-sig")
    for private in (RESIDENT_PHONE, "13812345678", str(RESIDENT_TG), str(WORKER_TG)):
        assert private not in content


async def test_export_and_stats_agree(known_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "november.xlsx"
    async with known_db.transaction() as session:
        await export_cases(session, CITY, NOVEMBER, NOW, path, "xlsx")
        report = await compute_stats(session, NOVEMBER, NOW)
    sheet = load_workbook(path, read_only=True)["cases"]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert tuple(header) == HEADERS
    col = {name: i for i, name in enumerate(HEADERS)}
    assert len(rows) == report.total.received
    assert sum(r[col["status"]] in ("resolved", "closed") for r in rows) == report.total.disposed
    assert sum(r[col["overdue"]] == "yes" for r in rows) == report.total.overdue
    assert rows[1][col["created"]] == datetime(2025, 11, 2, 9, 0)  # a real date cell
    assert rows[2][col["text"]] == '=HYPERLINK("http://x") rubbish'  # text, not a formula


async def test_case_facts_time_to_accept_and_resolve(known_db: Database) -> None:
    async with known_db.transaction() as session:
        facts = {f.number: f for f in await read_case_facts(session, NOVEMBER)}
    c5 = facts["GD-2025-000005"]
    assert (c5.time_to_accept, c5.time_to_resolve) == (20 * M, 3 * H)
    assert facts["GD-2025-000002"].time_to_resolve == 10 * H
    assert facts["GD-2025-000004"].time_to_accept is None


@pytest.mark.parametrize(
    ("first", "last", "problem"),
    [
        ("2025-13-01", "2025-11-30", "--from: '2025-13-01' is not a date like 2026-11-01"),
        ("2025-11-01", "30/11/2025", "--to: '30/11/2025' is not a date"),
        ("20251101", "2025-11-30", "--from: '20251101' is not a date"),
        ("2025-12-01", "2025-11-30", "--from 2025-12-01 is after --to 2025-11-30"),
    ],
)
def test_bad_dates_are_refused_by_name(first: str, last: str, problem: str) -> None:
    with pytest.raises(AdminInputError, match=problem):
        parse_period(first, last, CITY.timezone)


def test_a_local_day_starts_at_local_midnight() -> None:
    assert NOVEMBER.start == datetime(2025, 10, 31, 16, 0, tzinfo=UTC)
    assert NOVEMBER.end == datetime(2025, 11, 30, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("call 138 1234 5678 now", f"call {PHONE_PLACEHOLDER} now"),
        ("+86-13812345678", PHONE_PLACEHOLDER),
        ("tel 22880001", f"tel {PHONE_PLACEHOLDER}"),
        ("see GD-2026-000123 of 2026-11-02", "see GD-2026-000123 of 2026-11-02"),
        ("3栋502室", "3栋502室"),
    ],
)
def test_phone_numbers_are_removed_from_text(text: str, redacted: str) -> None:
    assert redact_phones(text) == redacted


def test_stats_command_prints_the_hand_count(tmp_path: Path) -> None:
    url = _seed_sqlite_file(tmp_path)
    result = CliRunner().invoke(
        admin_cli(), ["stats", "--from", "2025-11-01", "--to", "2025-11-30"], env=cli_env(url)
    )
    assert result.exit_code == 0, result.output
    rows = [
        [cell.strip() for cell in ln.split("│")[1:-1]]
        for ln in result.stdout.splitlines()
        if ln.count("│") >= 12
    ]
    by_key = {f"{row[0]}/{row[1]}": row for row in rows}

    def cells(key: str) -> list[str]:
        return by_key[key]

    # Names, not ids: xinji-01 is 新基第一网格, sanitation 环境卫生.
    assert cells("新基第一网格/环境卫生") == [
        "新基第一网格", "环境卫生", "3", "3", "100.0%", "1h 00m", "4h 00m", "1", "2/0/0",
        "100.0%", "4.50"]
    assert cells("阳光第一网格/噪音扰民")[2:] == [
        "3", "1", "33.3%", "20m", "3h 00m", "0", "0/1/0", "100.0%", "3.00"]
    assert cells("新基第一网格/噪音扰民")[-3:] == ["—", "—", "—"]  # nobody evaluated
    assert cells("total/")[2:] == [
        "8", "4", "50.0%", "1h 00m", "3h 30m", "2", "2/1/0", "100.0%", "4.00"]


def test_export_command_writes_the_rows(tmp_path: Path) -> None:
    url = _seed_sqlite_file(tmp_path)
    out = tmp_path / "nov.csv"
    result = CliRunner().invoke(
        admin_cli(),
        ["cases", "export", "--from", "2025-11-01", "--to", "2025-11-30", "--format", "csv",
         "--out", str(out)],
        env=cli_env(url),
    )
    assert result.exit_code == 0, result.output
    assert "8 case(s) filed 2025-11-01 to 2025-11-30" in result.stdout
    with out.open(encoding="utf-8-sig", newline="") as stream:
        assert len(list(csv.DictReader(stream))) == 8


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--from", "2025-11-31", "--to", "2025-12-01"], "'2025-11-31' is not a date"),
        (["--from", "2025-12-02", "--to", "2025-12-01"], "is after --to"),
        (["--from", "2025-11-01", "--to", "2025-11-30", "--format", "pdf"], "pdf"),
        (["--from", "2025-11-01", "--to", "2025-11-30", "--out", "/nonexistent/x.csv"],
         "no directory /nonexistent"),
    ],
)
def test_export_command_refuses_bad_input(tmp_path: Path, args: list[str], problem: str) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'griddesk.sqlite3'}"
    result = CliRunner().invoke(admin_cli(), ["cases", "export", *args], env=cli_env(url))
    assert result.exit_code == 2
    assert problem in result.output
    assert not (tmp_path / "griddesk.sqlite3").exists()  # refused before touching the store
