"""The KPIs against a hand count, on SQLite and PostgreSQL.

The data set is `test_admin_stats_export`'s November (every case has accept_due_at = filed
+ 1 h; now = 2025-11-20 12:00 UTC), plus: case 2 was reopened at +11 h and resolved again at
+12 h, and its resident evaluated it 不满意.

| # | community / grid / type      | status      | responded  | resolved vs due  | grades |
| 1 | xinji  xinji-01 sanitation   | closed      | +30m  ok   | +4h  of 48h  ok  | ★5 s   |
| 2 | xinji  xinji-01 sanitation   | resolved    | +90m  late | +12h of 8h  late | u      |
| 3 | xinji  xinji-01 noise        | in_progress | +2h   late | open, past due   |        |
| 4 | yangg. yangguang-01 noise    | assigned    | none, accept-SLA gone by     |        |
| 5 | yangg. yangguang-01 noise    | closed      | +20m  ok   | +3h  of 24h  ok  | ★3 b   |
| 6 | yangg. yangguang-01 noise    | cancelled   | never accepted: no SLA       |        |
| 8 | xinji  xinji-01 sanitation   | closed      | +1h   ok   | +2h  of 24h  ok  | ★4 s   |
(7 is a consultation: not counted.)

响应率: of 1,2,3,4,5,8 responded in time 1,5,8 -> 3/6.  按时办结率: of 1,2,5,8 and the open
overdue 3, on time 1,5,8 -> 3/5.  满意率: s, u, b, s -> 3/4.  重办率: of 1,2,5,8 reopened 2 ->
1/4.  Median time to close: 2h, 3h, 4h, 12h -> 3.5h.
"""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from services.admin.export import export_cases
from services.statistics.kpi import KpiCase, Kpis, Ratio, compute_kpis, kpis_by, read_kpi_cases
from storage.db import Database
from storage.models import Case, CaseEvent, Evaluation
from tests.support.admin import (
    CITY,
    NOVEMBER,
    NOW,
    _seed_sqlite_file,
    admin_cli,
    cli_env,
    seed_known_cases,
)

H = timedelta(hours=1)


@pytest.fixture
async def known_db(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    await seed_known_cases(db)
    async with db.transaction() as session:
        case2 = (
            await session.execute(select(Case).where(Case.number == "GD-2025-000002"))
        ).scalar_one()
        moves = ((11 * H, "resolved", "reopened"), (12 * H, "reopened", "resolved"))
        for offset, before, after in moves:
            session.add(
                CaseEvent(
                    case_id=case2.id,
                    at=case2.created_at + offset,
                    from_status=before,
                    to_status=after,
                )
            )
        session.add(
            Evaluation(
                case_id=case2.id,
                user_id=case2.reporter_id,
                grade="unsatisfied",
                comment="还是很脏",
                at=case2.created_at + 13 * H,
            )
        )
    yield db
    await db.dispose()


def kpis(
    cases: int,
    response: tuple[int, int],
    on_time: tuple[int, int],
    content: tuple[int, int],
    redo: tuple[int, int],
    median_close: timedelta | None,
) -> Kpis:
    return Kpis(
        cases, Ratio(*response), Ratio(*on_time), Ratio(*content), Ratio(*redo), median_close
    )


async def read_november(db: Database) -> list[KpiCase]:
    async with db.transaction() as session:
        assert NOVEMBER.start is not None and NOVEMBER.end is not None
        return await read_kpi_cases(session, NOVEMBER.start, NOVEMBER.end)


async def test_kpis_match_the_hand_count(known_db: Database) -> None:
    cases = await read_november(known_db)
    total = compute_kpis(cases, NOW)
    assert total == kpis(7, (3, 6), (3, 5), (3, 4), (1, 4), 3.5 * H)
    assert (total.response.rate, total.on_time.rate) == (0.5, 0.6)
    assert (total.satisfaction.rate, total.redo.rate) == (0.75, 0.25)


BREAKDOWNS = [
    (
        "community",
        {
            "xinji": kpis(4, (2, 4), (2, 4), (2, 3), (1, 3), 4 * H),
            "yangguang": kpis(3, (1, 2), (1, 1), (1, 1), (0, 1), 3 * H),
        },
    ),
    (
        "case_type",
        {
            "noise": kpis(4, (1, 3), (1, 2), (1, 1), (0, 1), 3 * H),
            "sanitation": kpis(3, (2, 3), (2, 3), (2, 3), (1, 3), 4 * H),
        },
    ),
    (
        "grid",
        {
            "xinji-01": kpis(4, (2, 4), (2, 4), (2, 3), (1, 3), 4 * H),
            "yangguang-01": kpis(3, (1, 2), (1, 1), (1, 1), (0, 1), 3 * H),
        },
    ),
]


@pytest.mark.parametrize(("dimension", "expected"), BREAKDOWNS)
async def test_kpis_by_dimension(
    known_db: Database, dimension: str, expected: dict[str, Kpis]
) -> None:
    cases = await read_november(known_db)
    assert kpis_by(cases, NOW, dimension) == expected  # type: ignore[arg-type]


async def test_one_community_only(known_db: Database) -> None:
    async with known_db.transaction() as session:
        cases = await read_kpi_cases(session, NOVEMBER.start, NOVEMBER.end, "yangguang")
    assert {case.community_id for case in cases} == {"yangguang"}
    assert len(cases) == 3  # the consultation of yangguang is not a report


def test_nothing_to_count_has_no_rates() -> None:
    empty = compute_kpis([], datetime(2026, 11, 30).astimezone())
    assert empty.response.rate is None and empty.median_close is None


def kpi_rows(output: str) -> dict[str, list[str]]:
    """Rows of the KPI tables (7 columns) by their first cell."""
    rows = [
        [cell.strip() for cell in line.split("│")[1:-1]]
        for line in output.splitlines()
        if line.count("│") == 8
    ]
    return {row[0]: row for row in rows}


@pytest.mark.parametrize(
    ("lang", "community", "grid", "case_type"),
    [
        ("zh", "新基社区", "阳光第一网格", "噪音扰民"),
        ("en", "Xinji Community", "Yangguang Grid 1", "Noise"),
    ],
)
def test_stats_command_shows_kpis_under_names(
    tmp_path: Path, lang: str, community: str, grid: str, case_type: str
) -> None:
    # The plain data set (no reopening, no 不满意): 响应率 3/6, 按时办结率 3/5 (case 2 resolved
    # at +10 h against 8 h), 满意率 3/3 (★5, ★3, ★4), 重办率 0/4, median to close 3.5 h.
    url = _seed_sqlite_file(tmp_path)
    result = CliRunner().invoke(
        admin_cli(),
        ["stats", "--from", "2025-11-01", "--to", "2025-11-30", "--lang", lang],
        env=cli_env(url),
    )
    assert result.exit_code == 0, result.output
    for title in ("KPIs by community", "KPIs by grid", "KPIs by case type"):
        assert title in result.stdout
    rows = kpi_rows(result.stdout)
    assert rows["total"][1:] == [
        "7", "50.0% (3/6)", "60.0% (3/5)", "100.0% (3/3)", "0.0% (0/4)", "3h 30m"
    ]  # fmt: skip
    assert rows[community][1:4] == ["4", "50.0% (2/4)", "50.0% (2/4)"]
    assert rows[grid][1:3] == ["3", "50.0% (1/2)"]
    assert rows[case_type][1:4] == ["4", "33.3% (1/3)", "50.0% (1/2)"]
    assert "xinji" not in result.stdout.replace("Xinji", "")  # no raw ids


async def test_the_export_adds_up_to_the_kpis(known_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "november.csv"
    async with known_db.transaction() as session:
        await export_cases(session, CITY, NOVEMBER, NOW, path, "csv")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = {row["number"]: row for row in csv.DictReader(stream)}

    def tally(column: str) -> tuple[int, int]:
        values = [row[column] for row in rows.values() if row[column]]
        return values.count("yes"), len(values)

    assert tally("responded_in_time") == (3, 6)
    assert tally("resolved_on_time") == (3, 5)
    assert tally("reopened") == (1, 8)  # every case says yes or no; only reports count in 重办率
    case2 = rows["GD-2025-000002"]
    assert (case2["reopened"], case2["evaluation"], case2["resolved"]) == (
        "yes",
        "不满意",
        "2025-11-03 22:00",  # the second resolution, 12 h after filing (city time)
    )
    assert (case2["status_zh"], case2["status_en"]) == (
        "已办理待确认",
        "Resolved, awaiting confirmation",
    )
    assert rows["GD-2025-000005"]["evaluation"] == "基本满意"  # ★3 given before the grades
    assert rows["GD-2025-000007"]["responded_in_time"] == ""  # a consultation: not counted
