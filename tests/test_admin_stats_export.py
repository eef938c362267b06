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

import asyncio
import csv
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from config.loader import SHIPPED_CONFIG_DIR, load_config
from config.schema import CityConfig
from entrypoints.cli_admin import backup_command, cases_app, grids_app, staff_app, stats_command
from services.admin.case_facts import count_cases, read_case_facts
from services.admin.errors import AdminInputError
from services.admin.export import export_cases
from services.admin.export_rows import HEADERS, PHONE_PLACEHOLDER, redact_phones
from services.admin.period import Period, parse_period
from services.admin.stats import NO_GRID, StatsLine, compute_stats
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Case, CaseEvent, User
from storage.sync import sync_city

CITY = load_config(SHIPPED_CONFIG_DIR)
NOW = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
FAR = datetime(2099, 1, 1, tzinfo=UTC)
RESIDENT_TG, WORKER_TG = 5550001234567, 9000000011
RESIDENT_PHONE = "13900001111"
H, M = timedelta(hours=1), timedelta(minutes=1)


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=UTC)


def admin_cli() -> typer.Typer:
    """The same wiring as entrypoints/cli.py's `app`."""
    app = typer.Typer()
    app.add_typer(grids_app, name="grids")
    app.add_typer(staff_app, name="staff")
    app.add_typer(cases_app, name="cases")
    app.command("stats")(stats_command)
    app.command("backup")(backup_command)
    return app


def cli_env(database_url: str, config_dir: Path = SHIPPED_CONFIG_DIR) -> dict[str, str]:
    return {
        "GRIDDESK_DATABASE_URL": database_url,
        "GRIDDESK_CONFIG_DIR": str(config_dir),
        "GRIDDESK_LOG_LEVEL": "WARNING",
        "COLUMNS": "220",
    }


class Seeder:
    def __init__(self, session: AsyncSession, reporter: User, worker: User) -> None:
        self.session = session
        self.reporter, self.worker = reporter, worker
        self.cases: list[Case] = []

    def add(
        self,
        grid: str | None,
        case_type: str,
        status: str,
        created: datetime,
        due: datetime,
        *,
        accepted: tuple[timedelta, ...] = (),
        resolved: timedelta | None = None,
        resolved_column: bool = True,
        closed: timedelta | None = None,
        rating: int | None = None,
        reporters: int = 1,
        kind: str = "report",
        community: str | None = None,
        text: str = "路灯坏了",
    ) -> Case:
        n = len(self.cases) + 1
        case = Case(
            number=f"GD-2025-{n:06d}",
            kind=kind,
            case_type=case_type,
            status=status,
            priority="normal",
            text=text,
            language="zh",
            grid_id=grid,
            community_id=community,
            reporter_id=self.reporter.id,
            assignee_id=self.worker.id if accepted else None,
            contact_phone=RESIDENT_PHONE,
            reporter_count=reporters,
            created_at=created,
            updated_at=created,
            accept_due_at=created + H,
            due_at=due,
            resolved_at=created + resolved if resolved and resolved_column else None,
            closed_at=created + closed if closed else None,
            rating=rating,
        )
        self.session.add(case)
        self.cases.append(case)
        return case

    async def events(self, case: Case, *moves: tuple[timedelta, str]) -> None:
        await self.session.flush()
        previous = None
        for offset, to_status in ((timedelta(0), "new"), *moves):
            self.session.add(
                CaseEvent(
                    case_id=case.id,
                    actor_id=self.worker.id,
                    at=case.created_at + offset,
                    from_status=previous,
                    to_status=to_status,
                )
            )
            previous = to_status


async def seed_known_cases(db: Database, city: CityConfig = CITY) -> None:
    await upgrade(db)
    async with db.transaction() as session:
        await sync_city(session, city)
    async with db.transaction() as session:
        reporter = User(telegram_id=RESIDENT_TG, role="resident", created_at=at(10, 1, 0))
        worker = User(
            telegram_id=WORKER_TG, role="worker", grid_id="xinji-01", created_at=at(10, 1, 0)
        )
        session.add_all([reporter, worker])
        await session.flush()
        s = Seeder(session, reporter, worker)
        c1 = s.add("xinji-01", "sanitation", "closed", at(11, 2, 1), at(11, 4, 1),
                   accepted=(30 * M,), resolved=4 * H, closed=24 * H, rating=5, reporters=2,
                   text="垃圾没人清，电话13812345678 或 0769-22880001")
        c2 = s.add("xinji-01", "sanitation", "resolved", at(11, 3, 2), at(11, 3, 10),
                   accepted=(90 * M,), resolved=10 * H, resolved_column=False,
                   text="=HYPERLINK(\"http://x\") rubbish")
        c3 = s.add("xinji-01", "noise", "in_progress", at(11, 5, 0), at(11, 6, 0),
                   accepted=(2 * H,))
        c4 = s.add("yangguang-01", "noise", "assigned", at(11, 10, 3), FAR)
        c5 = s.add("yangguang-01", "noise", "closed", at(11, 11, 0), at(11, 12, 0),
                   accepted=(20 * M, 1 * H), resolved=3 * H, closed=48 * H, rating=3)
        c6 = s.add("yangguang-01", "noise", "cancelled", at(11, 12, 0), at(11, 13, 0))
        c7 = s.add(None, "other", "new", at(11, 15, 0), FAR, kind="consultation",
                   community="yangguang", text="低保怎么申请？")
        c8 = s.add("xinji-01", "sanitation", "closed", at(10, 31, 16, 30), at(11, 1, 16, 30),
                   accepted=(H,), resolved=2 * H, closed=3 * H, rating=4)
        c9 = s.add("xinji-01", "sanitation", "new", at(11, 30, 16, 30), at(12, 5, 0))
        await s.events(c1, (10 * M, "assigned"), (30 * M, "accepted"), (4 * H, "resolved"),
                       (24 * H, "closed"))
        await s.events(c2, (90 * M, "accepted"), (10 * H, "resolved"))
        await s.events(c3, (2 * H, "accepted"), (3 * H, "in_progress"))
        await s.events(c4, (M, "assigned"))
        await s.events(c5, (20 * M, "accepted"), (40 * M, "assigned"), (H, "accepted"),
                       (3 * H, "resolved"), (48 * H, "closed"))
        await s.events(c6, (H, "cancelled"))
        await s.events(c7)
        await s.events(c8, (H, "accepted"), (2 * H, "resolved"), (3 * H, "closed"))
        await s.events(c9)


NOVEMBER = parse_period("2025-11-01", "2025-11-30", CITY.timezone)


def line(grid: str, case_type: str, received: int, disposed: int, overdue: int,
         accept: timedelta | None, resolve: timedelta | None, rating: float | None) -> StatsLine:
    return StatsLine(grid, case_type, received, disposed, overdue, accept, resolve, rating)


EXPECTED_NOVEMBER = [
    line(NO_GRID, "other", 1, 0, 0, None, None, None),
    line("xinji-01", "noise", 1, 0, 1, 2 * H, None, None),
    line("xinji-01", "sanitation", 3, 3, 1, H, 4 * H, 4.5),
    line("yangguang-01", "noise", 3, 1, 0, 20 * M, 3 * H, 3.0),
]
EXPECTED_NOVEMBER_TOTAL = line("total", "", 8, 4, 2, H, 3.5 * H, 4.0)


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
        "department": "城市管理和综合执法局", "status": "closed", "status_zh": "已办结",
        "status_en": "Closed", "priority": "normal", "grid": "xinji-01",
        "grid_name": "新基第一网格", "community": "xinji", "address": "",
        "assignee": "网格员 #2（新基第一网格）",
        "created": "2025-11-02 09:00", "accepted": "2025-11-02 09:30",
        "resolved": "2025-11-02 13:00", "closed": "2025-11-03 09:00", "due": "2025-11-04 09:00",
        "responded_in_time": "yes", "resolved_on_time": "yes", "overdue": "no",
        "reopened": "no", "evaluation": "满意", "rating": "5", "reporters": "2",
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


def _seed_sqlite_file(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'griddesk.sqlite3'}"

    async def go() -> None:
        db = Database(url)
        try:
            await seed_known_cases(db)
        finally:
            await db.dispose()

    asyncio.run(go())
    return url


def test_stats_command_prints_the_hand_count(tmp_path: Path) -> None:
    url = _seed_sqlite_file(tmp_path)
    result = CliRunner().invoke(
        admin_cli(), ["stats", "--from", "2025-11-01", "--to", "2025-11-30"], env=cli_env(url)
    )
    assert result.exit_code == 0, result.output
    rows = [
        [cell.strip() for cell in ln.split("│")[1:-1]]
        for ln in result.stdout.splitlines()
        if ln.count("│") >= 9
    ]
    by_key = {f"{row[0]}/{row[1]}": row for row in rows}

    def cells(key: str) -> list[str]:
        return by_key[key]

    # Names, not ids: xinji-01 is 新基第一网格, sanitation 环境卫生.
    assert cells("新基第一网格/环境卫生") == [
        "新基第一网格", "环境卫生", "3", "3", "100.0%", "1h 00m", "4h 00m", "1", "4.50"]
    assert cells("阳光第一网格/噪音扰民")[2:] == ["3", "1", "33.3%", "20m", "3h 00m", "0", "3.00"]
    assert cells("total/")[2:] == ["8", "4", "50.0%", "1h 00m", "3h 30m", "2", "4.00"]


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
