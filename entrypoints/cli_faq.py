"""`griddesk faq`: check the FAQ knowledge base and measure how well the NLU finds its topics."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.settings import Settings
from entrypoints.cli_common import Backend, err, settings_or_exit
from entrypoints.cli_nlu import engine_for

faq_app = typer.Typer(help="The FAQ knowledge base.", no_args_is_help=True)
HOLDOUT_DIR = Path(__file__).resolve().parent.parent / "nlu" / "eval" / "parts"


def _nlu_label_errors(settings: Settings) -> list[str]:
    """Case types and FAQ topics the NLU cannot name (or labels config does not know)."""
    from bot.nlu_labels import nlu_label_problems
    from config.loader import ConfigError, load_config

    try:
        city = load_config(settings.config_dir)
    except ConfigError:
        return []  # check_faq already reports a config that does not load
    return [str(problem) for problem in nlu_label_problems(city)]


@faq_app.command("check")
def faq_check(stale_days: int = 180) -> None:
    """Validate the knowledge base: languages, stations, duplicates, stale dates."""
    from datetime import date, timedelta

    from services.admin.faq import check_faq

    settings = settings_or_exit()
    findings = check_faq(settings.config_dir, date.today(), timedelta(days=stale_days))
    findings.errors.extend(_nlu_label_errors(settings))
    for line in findings.errors:
        err.print(f"[red]error[/red] {line}", soft_wrap=True)
    for line in findings.warnings:
        err.print(f"[yellow]warning[/yellow] {line}", soft_wrap=True)
    err.print(f"{len(findings.errors)} errors, {len(findings.warnings)} warnings")
    if findings.errors:
        raise typer.Exit(1)


@faq_app.command("coverage")
def faq_coverage_command(
    file: Annotated[Path | None, typer.Argument(help="labelled JSON lines")] = None,
    backend: Backend = None,
) -> None:
    """Per-topic accuracy on held-out FAQ questions (default: nlu/eval/parts/*.jsonl)."""
    from nlu.evaluate import EvalFileError, read_jsonl
    from services.admin.faq import faq_coverage

    settings = settings_or_exit(nlu_backend=backend)
    try:
        files = [file] if file else sorted(HOLDOUT_DIR.glob("*.jsonl"))
        rows = [row for path in files for row in read_jsonl(path)]
    except (OSError, EvalFileError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    coverage = asyncio.run(faq_coverage(engine_for(settings), rows))
    table = Table("topic", "lang", "right", "total", "accuracy")
    totals: dict[str, list[int]] = {}
    for c in coverage:
        table.add_row(c.topic, c.lang, str(c.right), str(c.total), f"{c.right / c.total:.3f}")
        bucket = totals.setdefault(c.lang, [0, 0])
        bucket[0] += c.right
        bucket[1] += c.total
    out = Console()
    out.print(table)
    for lang, (right, total) in sorted(totals.items()):
        out.print(f"FAQ topic accuracy ({lang}): {right / total:.3f} ({right}/{total})")
