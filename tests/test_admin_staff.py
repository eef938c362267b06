"""`staff list` and `staff disable`, on SQLite and PostgreSQL and through the command line."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from services.admin.errors import AdminInputError
from services.admin.staff import disable_staff, list_staff, mask_telegram_id
from storage.db import Database
from storage.models import Case, User
from tests.support.admin import RESIDENT, WORKER, admin_cli, cli_env, seed_staff


@pytest.fixture
async def staff_db(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    await seed_staff(db)
    yield db
    await db.dispose()


def test_ids_are_masked_except_the_last_four_digits() -> None:
    assert mask_telegram_id(7100000001111) == "****1111"
    assert mask_telegram_id(42) == "****42"


async def test_list_shows_role_scope_active_and_open_cases(staff_db: Database) -> None:
    async with staff_db.transaction() as session:
        members = await list_staff(session)
    assert all(isinstance(m.staff_id, int) for m in members)
    assert [(m.masked_id, m.role, m.scope, m.active, m.open_cases) for m in members] == [
        ("****2222", "worker", "hongmian-02", True, 0),
        ("****1111", "worker", "xinji-01", True, 3),
        ("****4444", "supervisor", "city", True, 0),
        ("****3333", "supervisor", "xinji", True, 0),
    ]


async def test_disable_keeps_open_cases_assigned_and_lists_them(staff_db: Database) -> None:
    async with staff_db.transaction() as session:
        done = await disable_staff(session, WORKER, by_telegram_id=True)
    assert (done.masked_id, done.role, done.was_active) == ("****1111", "worker", True)
    assert [(c.number, c.status) for c in done.open_cases] == [
        ("GD-2025-000001", "assigned"), ("GD-2025-000002", "in_progress"),
        ("GD-2025-000004", "accepted"),
    ]
    async with staff_db.transaction() as session:
        by_id = select(User).where(User.telegram_id == WORKER)
        worker = (await session.execute(by_id)).scalar_one()
        assert worker.active is False
        assignees = set((await session.execute(select(Case.assignee_id))).scalars())
        assert assignees == {worker.id}
        again = await disable_staff(session, WORKER, by_telegram_id=True)
    assert again.was_active is False and len(again.open_cases) == 3


@pytest.mark.parametrize(
    ("telegram_id", "problem"),
    [(RESIDENT, "is a resident, not staff"), (123, "no user with Telegram id 123")],
)
async def test_disable_refuses_non_staff(
    staff_db: Database, telegram_id: int, problem: str
) -> None:
    async with staff_db.transaction() as session:
        with pytest.raises(AdminInputError, match=problem):
            await disable_staff(session, telegram_id, by_telegram_id=True)


def _seeded_file(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'griddesk.sqlite3'}"

    async def go() -> None:
        db = Database(url)
        try:
            await seed_staff(db)
        finally:
            await db.dispose()

    asyncio.run(go())
    return url


def test_staff_commands(tmp_path: Path) -> None:
    url = _seeded_file(tmp_path)
    runner, cli = CliRunner(), admin_cli()
    listed = runner.invoke(cli, ["staff", "list"], env=cli_env(url))
    assert listed.exit_code == 0, listed.output
    assert "****1111" in listed.stdout and "xinji-01" in listed.stdout
    assert str(WORKER) not in listed.stdout
    disabled = runner.invoke(
        cli, ["staff", "disable", "--telegram-id", str(WORKER)], env=cli_env(url)
    )
    assert disabled.exit_code == 0, disabled.output
    assert "worker ****1111 disabled" in disabled.stdout
    for number in ("GD-2025-000001", "GD-2025-000002", "GD-2025-000004"):
        assert number in disabled.stdout
    assert "GD-2025-000003" not in disabled.stdout  # closed
    assert "3 open case(s) stay assigned" in disabled.stdout
    relisted = runner.invoke(cli, ["staff", "list"], env=cli_env(url))
    row = next(line for line in relisted.stdout.splitlines() if "****1111" in line)
    assert "no" in row.split("│")[6]  # id, name, Telegram id, role, scope, active
    refused = runner.invoke(
        cli, ["staff", "disable", "--telegram-id", str(RESIDENT)], env=cli_env(url)
    )
    assert refused.exit_code == 2 and "not staff" in refused.output
    typo = runner.invoke(cli, ["staff", "disable", "12ab"], env=cli_env(url))
    assert typo.exit_code == 2


def test_commands_refuse_a_store_they_cannot_read(tmp_path: Path) -> None:
    """Admin commands never migrate by themselves: a running older bot may share the store."""
    runner, cli = CliRunner(), admin_cli()
    missing = f"sqlite+aiosqlite:///{tmp_path / 'typo.sqlite3'}"
    result = runner.invoke(cli, ["staff", "list"], env=cli_env(missing))
    assert result.exit_code == 2 and "no SQLite database at" in result.output
    assert not (tmp_path / "typo.sqlite3").exists()
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    result = runner.invoke(cli, ["staff", "list"], env=cli_env(f"sqlite+aiosqlite:///{empty}"))
    assert result.exit_code == 2
    assert "no schema (an empty database)" in result.output
    assert "run `griddesk db upgrade` first" in result.output
    with sqlite3.connect(empty) as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
