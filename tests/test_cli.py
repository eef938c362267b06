"""The admin commands that read config and NLU data: faq check / coverage, invite, config check."""

from __future__ import annotations

import csv
import logging
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from bot.settings import load_settings
from domain.calendar import WorkingCalendar
from entrypoints.app import build_runtime
from entrypoints.cli import app
from nlu.embedded import EmbeddedBackend
from tests.support.admin import _seed_sqlite_file, admin_cli, cli_env

SHIPPED = Path(__file__).resolve().parent.parent / "config"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nlu_cache_dir: Path) -> CliRunner:
    monkeypatch.setenv("GRIDDESK_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("GRIDDESK_CACHE_DIR", str(nlu_cache_dir.parent))
    return CliRunner()


def test_faq_check_passes_on_the_shipped_knowledge_base(runner: CliRunner) -> None:
    result = runner.invoke(app, ["faq", "check"])
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def test_faq_check_names_a_missing_topic(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    shutil.copytree(SHIPPED, config, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    faq = config / "faq.yaml"
    text = faq.read_text(encoding="utf-8")
    start = text.index("  - id: vaccination")
    end = text.index("  - id: ", start + 5)
    faq.write_text(text[:start] + text[end:], encoding="utf-8")
    monkeypatch.setenv("GRIDDESK_CONFIG_DIR", str(config))
    result = runner.invoke(app, ["faq", "check"])
    assert result.exit_code != 0
    assert "vaccination" in result.output


def test_faq_coverage_is_at_least_090_per_language(runner: CliRunner) -> None:
    result = runner.invoke(app, ["faq", "coverage"])
    assert result.exit_code == 0, result.output
    found = dict(re.findall(r"FAQ topic accuracy \((zh|en)\): ([0-9.]+)", result.output))
    assert set(found) == {"zh", "en"}
    assert all(float(value) >= 0.9 for value in found.values()), found


def test_invite_refuses_an_unknown_grid(runner: CliRunner) -> None:
    result = runner.invoke(app, ["invite", "--role", "worker", "--grid", "nowhere"])
    assert result.exit_code == 2
    assert "nowhere" in result.output


def test_the_holiday_warning_is_for_config_check_and_start_up_not_invites(
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    embedded_nlu: EmbeddedBackend,
) -> None:
    # Whatever today's date: the holiday data is about to run out.
    monkeypatch.setattr(WorkingCalendar, "holiday_data_runs_out", lambda self, today: True)
    with caplog.at_level(logging.WARNING, logger="entrypoints.app"):
        build_runtime(load_settings(), nlu=embedded_nlu)
    assert any("the holiday data ends" in r.getMessage() for r in caplog.records)  # start-up

    invite = runner.invoke(app, ["invite", "--role", "worker", "--grid", "xinji-01"])
    assert invite.exit_code == 0, invite.output
    assert "/join " in invite.output and "holiday" not in invite.output

    check = runner.invoke(app, ["config", "check"])
    assert check.exit_code == 0, check.output
    assert "warning the holiday data ends" in " ".join(check.output.split())
    assert "0 errors, 1 warning" in check.output


def test_config_check_fails_on_a_broken_config(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config"
    shutil.copytree(SHIPPED, config, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (config / "case_types.yaml").write_text("case_types: [\n", encoding="utf-8")
    monkeypatch.setenv("GRIDDESK_CONFIG_DIR", str(config))
    result = runner.invoke(app, ["config", "check"])
    assert result.exit_code == 1
    assert "case_types.yaml" in result.output


def test_cases_export_defaults_to_the_last_30_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _seed_sqlite_file(tmp_path)  # 8 cases filed in November 2025
    nov = tmp_path / "nov.csv"
    # --to alone: the 30 days up to it, i.e. 1 to 30 November.
    result = CliRunner().invoke(
        admin_cli(), ["cases", "export", "--to", "2025-11-30", "--out", str(nov)], env=cli_env(url)
    )
    assert result.exit_code == 0, result.output
    assert "8 case(s) filed 2025-11-01 to 2025-11-30" in result.stdout
    with nov.open(encoding="utf-8-sig", newline="") as stream:
        assert len(list(csv.DictReader(stream))) == 8

    # Neither: the 30 days up to today in the city's time zone; the file is named by them.
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    first = today - timedelta(days=29)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(admin_cli(), ["cases", "export"], env=cli_env(url))
    assert result.exit_code == 0, result.output
    assert f"0 case(s) filed {first} to {today} written to cases-{first}-{today}.csv" in (
        " ".join(result.stdout.split())
    )
    assert (tmp_path / f"cases-{first}-{today}.csv").is_file()
    help_text = CliRunner().invoke(admin_cli(), ["cases", "export", "--help"], env=cli_env(url))
    assert "default: today (city time)" in " ".join(help_text.output.split())
