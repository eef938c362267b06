"""Operators cannot leak by accident: owner-only backups, exports without phone numbers
however written, invite codes that can be listed and revoked, `staff list` ids that
`staff disable` accepts."""

from __future__ import annotations

import asyncio
import os
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from config.loader import SHIPPED_CONFIG_DIR, load_config
from entrypoints.cli import app
from services.admin.backup import backup_sqlite
from services.admin.export_rows import PHONE_PLACEHOLDER, redact_phones
from services.admin.invites import list_invites, revoke_invite
from services.staff import InviteError, create_invite, join
from storage.db import Database
from storage.models import User
from tests.support.admin import WORKER, _seed_sqlite_file, cli_env, seed_staff

NOW = datetime(2026, 11, 23, 7, 30, 5, tzinfo=UTC)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The umask a careless shell has: new files world-readable unless GridDesk says no."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.usefixtures("open_umask")
def test_backups_are_owner_only_also_in_a_directory_that_did_not_exist(tmp_path: Path) -> None:
    _seed_sqlite_file(tmp_path)
    target = tmp_path / "new" / "backups"
    result = backup_sqlite(tmp_path / "griddesk.sqlite3", target, NOW)
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    assert [p.name for p in target.iterdir()] == [result.path.name]  # no journal left behind


@pytest.mark.parametrize(
    "written",
    [
        "138.1234.5678",
        "138 12 34 56 78",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+86-13812345678",
        "(0769) 2288-0001",
        "0769-22880001",
        "电话13812345678",
        "tel 22880001",
        "+44 20 7946 0958",
    ],
)
def test_exports_redact_phone_numbers_however_they_are_written(written: str) -> None:
    redacted = redact_phones(f"路灯坏了，请打{written}联系")
    assert redacted.startswith("路灯坏了，请打") and redacted.endswith(f"{PHONE_PLACEHOLDER}联系")
    assert not any(ch.isdigit() for ch in redacted), redacted


@pytest.mark.parametrize("kept", ["GD-2026-000123", "2026-11-30", "3栋502室", "10:30"])
def test_exports_keep_case_numbers_dates_and_flat_numbers(kept: str) -> None:
    assert redact_phones(f"see {kept} please") == f"see {kept} please"


async def test_a_revoked_invite_cannot_be_used_and_a_used_one_cannot_be_revoked(
    database_url: str,
) -> None:
    db = Database(database_url)
    try:
        await seed_staff(db)
        city = load_config(SHIPPED_CONFIG_DIR)
        async with db.transaction() as session:
            stolen = await create_invite(session, city, "worker", NOW, grid_id="xinji-02")
            kept = await create_invite(session, city, "supervisor", NOW, community_id="xinji")
        async with db.transaction() as session:
            listed = await list_invites(session, NOW)
            assert {(r.role, r.state) for r in listed} == {
                ("worker", "open"),
                ("supervisor", "open"),
            }
            assert all(stolen.code not in r.code for r in listed)  # masked
            row = next(r for r in listed if r.role == "worker")
            assert (await revoke_invite(session, str(row.id), NOW)).state == "revoked"
        async with db.transaction() as session:
            thief = (await session.execute(select(User).where(User.telegram_id == WORKER)))
            with pytest.raises(InviteError, match="expired"):
                await join(session, thief.scalar_one(), stolen.code, NOW + timedelta(minutes=1))
        async with db.transaction() as session:
            user = (await session.execute(select(User).where(User.role == "resident"))).scalar_one()
            await join(session, user, kept.code, NOW)
        async with db.transaction() as session:
            with pytest.raises(Exception, match="already used"):
                await revoke_invite(session, kept.code, NOW)
            states = {r.role: r.state for r in await list_invites(session, NOW)}
        assert states == {"worker": "revoked", "supervisor": "used"}
    finally:
        await db.dispose()


def test_invite_list_and_revoke_and_staff_ids_through_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'griddesk.sqlite3'}"

    async def seed() -> str:
        db = Database(url)
        try:
            await seed_staff(db)
            async with db.transaction() as session:
                made = await create_invite(
                    session, load_config(SHIPPED_CONFIG_DIR), "worker", datetime.now(UTC),
                    grid_id="xinji-02",
                )
            return made.code
        finally:
            await db.dispose()

    code = asyncio.run(seed())
    runner, env = CliRunner(), cli_env(url)
    listed = runner.invoke(app, ["invite", "list"], env=env)
    assert listed.exit_code == 0, listed.output
    assert code not in listed.stdout and code[:2] in listed.stdout and "open" in listed.stdout
    revoked = runner.invoke(app, ["invite", "revoke", code], env=env)
    assert revoked.exit_code == 0 and "revoked" in revoked.stdout, revoked.output
    assert "revoked" in runner.invoke(app, ["invite", "list"], env=env).stdout
    unknown = runner.invoke(app, ["invite", "revoke", "999"], env=env)
    assert unknown.exit_code == 2 and "no invite" in unknown.output

    staff = runner.invoke(app, ["staff", "list"], env=env)
    row = next(line for line in staff.stdout.splitlines() if "****1111" in line)
    shown_id = row.split("│")[1].strip()
    disabled = runner.invoke(app, ["staff", "disable", shown_id], env=env)
    assert disabled.exit_code == 0, disabled.output
    assert "worker ****1111 disabled" in disabled.stdout
