"""`backup`: an online, verified copy of the SQLite store; PostgreSQL gets pg_dump advice."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from services.admin.backup import backup_sqlite, verify_backup
from tests.support.admin import _seed_sqlite_file, admin_cli, cli_env

NOW = datetime(2026, 11, 23, 7, 30, 5, tzinfo=UTC)


def _numbers(path: Path) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return [row[0] for row in conn.execute("SELECT number FROM cases ORDER BY number")]


def test_backup_while_the_bot_writes(tmp_path: Path) -> None:
    """A committed row still in the WAL is copied; a half-done transaction is not."""
    _seed_sqlite_file(tmp_path)
    source = tmp_path / "griddesk.sqlite3"
    bot = sqlite3.connect(source, isolation_level=None)
    writer = sqlite3.connect(source, isolation_level=None)
    try:
        assert bot.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        bot.execute("UPDATE cases SET rating = 1 WHERE number = 'GD-2025-000004'")
        assert (tmp_path / "griddesk.sqlite3-wal").stat().st_size > 0
        writer.execute("BEGIN IMMEDIATE")  # the bot is in the middle of a write
        writer.execute("DELETE FROM case_events")
        writer.execute("UPDATE cases SET text = 'half done'")
        result = backup_sqlite(source, tmp_path / "backups", NOW)
        writer.execute("ROLLBACK")
    finally:
        writer.close()
        bot.close()
    assert result.path == tmp_path / "backups" / "griddesk-20261123T073005Z.sqlite3"
    assert (result.integrity, result.cases) == ("ok", 9)
    assert verify_backup(result.path) == ("ok", 9)
    assert _numbers(result.path) == [f"GD-2025-{n:06d}" for n in range(1, 10)]
    with sqlite3.connect(result.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute(
            "SELECT rating FROM cases WHERE number = 'GD-2025-000004'"
        ).fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM case_events").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM cases WHERE text = 'half done'").fetchone() == (
            0,
        )
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_two_backups_in_one_second_do_not_overwrite(tmp_path: Path) -> None:
    _seed_sqlite_file(tmp_path)
    source = tmp_path / "griddesk.sqlite3"
    first = backup_sqlite(source, tmp_path, NOW)
    second = backup_sqlite(source, tmp_path, NOW)
    assert first.path != second.path and second.path.name.endswith("-2.sqlite3")


def test_a_damaged_file_fails_the_check(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    integrity, cases = verify_backup(damaged)
    assert integrity != "ok" and cases is None


def test_backup_command(tmp_path: Path) -> None:
    url = _seed_sqlite_file(tmp_path)
    out = tmp_path / "copies"
    result = CliRunner().invoke(admin_cli(), ["backup", "--out", str(out)], env=cli_env(url))
    assert result.exit_code == 0, result.output
    assert "integrity_check: ok" in result.stdout and "9 cases" in result.stdout
    (copy,) = out.glob("griddesk-*.sqlite3")
    assert verify_backup(copy) == ("ok", 9)


@pytest.mark.parametrize(
    ("url", "code", "expected", "absent"),
    [
        (
            "postgresql+asyncpg://griddesk:s3cret@db.internal:5432/griddesk",
            2,
            "pg_dump --format=custom --file=griddesk-$(date -u +%Y%m%dT%H%M%SZ).dump "
            "postgresql://griddesk@db.internal:5432/griddesk",
            "s3cret",
        ),
        ("sqlite+aiosqlite:///{tmp}/missing.sqlite3", 2, "no SQLite database at", "Traceback"),
        ("sqlite+aiosqlite:///:memory:", 2, "in-memory SQLite", "Traceback"),
    ],
)
def test_backup_command_refuses_what_it_cannot_copy(
    tmp_path: Path, url: str, code: int, expected: str, absent: str
) -> None:
    result = CliRunner().invoke(
        admin_cli(), ["backup", "--out", str(tmp_path / "b")],
        env=cli_env(url.format(tmp=tmp_path)),
    )
    assert result.exit_code == code
    assert expected in " ".join(result.output.split())
    assert absent not in result.output
    assert not (tmp_path / "missing.sqlite3").exists()
