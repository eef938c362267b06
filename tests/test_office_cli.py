"""Invites made on the command line: a wrong grid or community names the valid ones, and
the expiry is the city's wall clock, not UTC."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from entrypoints.cli import app


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("GRIDDESK_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("GRIDDESK_CACHE_DIR", str(tmp_path / "cache"))
    return CliRunner()


def test_an_unknown_grid_lists_the_valid_ones(runner: CliRunner) -> None:
    result = runner.invoke(app, ["invite", "--role", "worker", "--grid", "xinji-9"])
    assert result.exit_code == 2
    assert "'xinji-9'" in result.output
    assert "xinji-01" in result.output and "hongmian-04" in result.output


def test_an_unknown_community_lists_the_valid_ones(runner: CliRunner) -> None:
    result = runner.invoke(app, ["invite", "--role", "supervisor", "--community", "xinjie"])
    assert result.exit_code == 2
    assert "communities: hongmian, xinji, yangguang" in " ".join(result.output.split())


def test_the_expiry_is_local_time(runner: CliRunner) -> None:
    result = runner.invoke(app, ["invite", "--role", "worker", "--grid", "xinji-01"])
    assert result.exit_code == 0, result.output
    assert "UTC" not in result.output
    local = r"valid until \w{3} \d{1,2} \w{3}, \d{1,2}:\d\d \(Asia/Shanghai\)"
    assert re.search(local, " ".join(result.output.split())), result.output
