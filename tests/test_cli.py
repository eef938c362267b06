"""The admin commands that read config and NLU data: faq check / coverage, invite."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from entrypoints.cli import app

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
