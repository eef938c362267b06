"""`griddesk stats` and the export count 12345 grades (满意 / 基本满意 / 不满意), not only
the older 1-5 stars: a hand-counted fixture on SQLite and PostgreSQL, the command's table,
and grades given through the bot in both languages.

The fixture is test_admin_stats_export's November (stars: case 1 ★5, case 5 ★3, case 8 ★4)
plus three 12345 evaluations: case 2's reporter 不满意 and a follower 基本满意, case 5's
follower 满意. Stars count as 4-5 满意, 3 基本满意, 1-2 不满意 (services.statistics.kpi):

| grid / type              | 满意        | 基本满意   | 不满意 | 满意率     | avg ★       |
| xinji-01 sanitation      | ★5, ★4     | c2         | c2     | 3/4  75.0% | 4.50        |
| yangguang-01 noise       | c5         | ★3         |        | 2/2 100.0% | 3.00        |
| total                    | 3          | 2          | 1      | 5/6  83.3% | 4.00        |
"""

from __future__ import annotations

import asyncio
import csv
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from services.admin.export import export_cases
from services.admin.period import Period
from services.admin.stats import compute_stats
from services.statistics.kpi import compute_kpis, read_kpi_cases
from storage.db import Database
from storage.models import Case, Evaluation, User
from tests.harness import BotHarness, deliver_outbox
from tests.support.admin import (
    CITY,
    NOVEMBER,
    NOW,
    admin_cli,
    at,
    cli_env,
    seed_known_cases,
)
from tests.support.cases import RESIDENT, WORKER, enrol, report_street_light

NEIGHBOUR_TG, OTHER_TG = 5550002000001, 5550002000002
ENGLISH_RESIDENT = 777001


async def resolve(bot: BotHarness) -> None:
    """The worker accepts and resolves the newest case; the resident is asked "fixed?"."""
    await deliver_outbox(bot)
    await bot.press(WORKER, "Accept")
    await bot.press(WORKER, "Resolve")
    await bot.send(WORKER, "Replaced the bulb")
    await deliver_outbox(bot)


async def seed_with_grades(db: Database) -> None:
    await seed_known_cases(db)
    async with db.transaction() as session:
        cases = {c.number: c for c in (await session.execute(select(Case))).scalars()}
        neighbour = User(telegram_id=NEIGHBOUR_TG, role="resident", created_at=at(10, 1, 0))
        other = User(telegram_id=OTHER_TG, role="resident", created_at=at(10, 1, 0))
        session.add_all([neighbour, other])
        await session.flush()
        c2, c5 = cases["GD-2025-000002"], cases["GD-2025-000005"]
        for case, user_id, grade in (
            (c2, c2.reporter_id, "unsatisfied"),
            (c2, neighbour.id, "basically_satisfied"),
            (c5, other.id, "satisfied"),
        ):
            session.add(Evaluation(case_id=case.id, user_id=user_id, grade=grade, at=at(11, 20, 0)))


@pytest.fixture
async def graded_db(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    await seed_with_grades(db)
    yield db
    await db.dispose()


async def test_stats_count_grades_and_agree_with_the_kpi(graded_db: Database) -> None:
    async with graded_db.transaction() as session:
        report = await compute_stats(session, NOVEMBER, NOW)
        kpi_cases = await read_kpi_cases(session, NOVEMBER.start, NOVEMBER.end)
    by_key = {(ln.grid, ln.case_type): ln for ln in report.lines}
    sanitation = by_key[("xinji-01", "sanitation")]
    noise = by_key[("yangguang-01", "noise")]
    assert (sanitation.satisfied, sanitation.basically_satisfied, sanitation.unsatisfied) == (
        2, 1, 1)  # fmt: skip
    assert (sanitation.satisfaction.hit, sanitation.satisfaction.of) == (3, 4)
    assert sanitation.average_stars == 4.5
    assert (noise.satisfied, noise.basically_satisfied, noise.unsatisfied) == (1, 1, 0)
    assert noise.average_stars == 3.0
    total = report.total
    assert (total.satisfied, total.basically_satisfied, total.unsatisfied) == (3, 2, 1)
    assert total.satisfaction == compute_kpis(kpi_cases, NOW).satisfaction  # 满意率 5/6
    assert total.satisfaction.rate == pytest.approx(5 / 6)


async def test_export_names_the_grades_and_adds_up_to_the_rate(
    graded_db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "november.csv"
    async with graded_db.transaction() as session:
        await export_cases(session, CITY, NOVEMBER, NOW, path, "csv")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        rows = {row["number"]: row for row in csv.DictReader(stream)}
    pick = ("evaluation", "evaluation_en", "evaluated", "satisfied", "stars")
    assert [rows["GD-2025-000002"][k] for k in pick] == [
        "基本满意、不满意", "Basically satisfied, Unsatisfied", "2", "1", ""]  # fmt: skip
    assert [rows["GD-2025-000005"][k] for k in pick] == [
        "满意、基本满意", "Satisfied, Basically satisfied", "2", "2", "3"]  # fmt: skip
    assert [rows["GD-2025-000003"][k] for k in pick] == ["", "", "0", "0", ""]
    satisfied = sum(int(r["satisfied"]) for r in rows.values())
    evaluated = sum(int(r["evaluated"]) for r in rows.values())
    assert (satisfied, evaluated) == (5, 6)  # the 满意率 `stats` prints


def test_stats_command_prints_grades_and_rate(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'griddesk.sqlite3'}"

    async def seed() -> None:
        db = Database(url)
        try:
            await seed_with_grades(db)
        finally:
            await db.dispose()

    asyncio.run(seed())
    result = CliRunner().invoke(
        admin_cli(), ["stats", "--from", "2025-11-01", "--to", "2025-11-30"], env=cli_env(url)
    )
    assert result.exit_code == 0, result.output
    rows = {
        "/".join(cells[:2]): cells
        for cells in (
            [c.strip() for c in ln.split("│")[1:-1]]
            for ln in result.stdout.splitlines()
            if ln.count("│") >= 12
        )
    }
    assert rows["新基第一网格/环境卫生"][-3:] == ["2/1/1", "75.0%", "4.50"]
    assert rows["阳光第一网格/噪音扰民"][-3:] == ["1/1/0", "100.0%", "3.00"]
    assert rows["total/"][-3:] == ["3/2/1", "83.3%", "4.00"]
    assert "满意率" in result.stdout and "83.3% (5/6)" in result.stdout  # the KPI table agrees


async def test_grades_given_in_the_bot_reach_stats_and_export(
    bot: BotHarness, tmp_path: Path
) -> None:
    await enrol(bot, WORKER, "worker", grid_id="xinji-02")
    await report_street_light(bot)
    await resolve(bot)
    await bot.press(RESIDENT, "解决了")
    await bot.press(RESIDENT, "基本满意")
    await bot.send(
        ENGLISH_RESIDENT, "the street light outside building 3 is broken, it's pitch dark", "en"
    )
    await bot.press(ENGLISH_RESIDENT, "Yes")
    await bot.share_location(ENGLISH_RESIDENT, *bot.runtime.city.grids["xinji-02"].centre())
    await bot.press_keyboard(ENGLISH_RESIDENT, "Submit")
    await resolve(bot)
    await bot.press(ENGLISH_RESIDENT, "Fixed")
    await bot.press(ENGLISH_RESIDENT, "Unsatisfied")

    path = tmp_path / "all.csv"
    async with bot.runtime.db.transaction() as session:
        report = await compute_stats(session, Period(), bot.clock.now())
        await export_cases(session, bot.runtime.city, Period(), bot.clock.now(), path, "csv")
    total = report.total
    assert (total.satisfied, total.basically_satisfied, total.unsatisfied) == (0, 1, 1)
    assert (total.satisfaction.hit, total.satisfaction.of) == (1, 2)
    assert total.average_stars is None  # no stars any more: the grades are what counts
    with path.open(encoding="utf-8-sig", newline="") as stream:
        graded = sorted(
            (row["evaluation"], row["evaluation_en"]) for row in csv.DictReader(stream)
        )
    assert graded == [("不满意", "Unsatisfied"), ("基本满意", "Basically satisfied")]
