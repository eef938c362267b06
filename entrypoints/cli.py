"""`griddesk`: run the bot, migrate the store, and drive the NLU from the shell."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from bot.settings import Settings, SettingsError, load_settings
from entrypoints.cli_admin import (
    backup_command,
    cases_app,
    grids_app,
    invite_app,
    staff_app,
    stats_command,
)
from entrypoints.cli_callout import callout_app
from entrypoints.cli_outbox import outbox_app
from nlu.types import Prediction

app = typer.Typer(
    help="GridDesk: the chat front door of grid-based community governance.",
    no_args_is_help=True,
    # A crash report must not print local variables: settings hold the token and secrets.
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
nlu_app = typer.Typer(help="Natural-language understanding.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(nlu_app, name="nlu")
faq_app = typer.Typer(help="The FAQ knowledge base.", no_args_is_help=True)
app.add_typer(faq_app, name="faq")
HOLDOUT_DIR = Path(__file__).resolve().parent.parent / "nlu" / "eval" / "parts"
app.add_typer(grids_app, name="grids")
app.add_typer(callout_app, name="callout")
app.add_typer(staff_app, name="staff")
app.add_typer(invite_app, name="invite")
app.add_typer(cases_app, name="cases")
app.add_typer(outbox_app, name="outbox")
app.command("stats")(stats_command)
app.command("backup")(backup_command)
err = Console(stderr=True)

Backend = Annotated[str | None, typer.Option("--backend", help="embedded or rasa")]


def _settings(**overrides: object) -> Settings:
    try:
        settings = load_settings(**{k: v for k, v in overrides.items() if v is not None})
    except SettingsError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    from bot.observability import configure_logging, secrets_of

    json_logs = settings.log_json if settings.log_json is not None else not settings.local_mode
    configure_logging(settings.log_level, json_logs, secrets_of(settings))
    return settings


@app.command()
def run(
    webhook: Annotated[
        bool, typer.Option(help="serve Telegram webhooks (GRIDDESK_WEBHOOK_*) instead of polling")
    ] = False,
) -> None:
    """Run the bot: long polling with a token, else a local console chat."""
    settings = _settings()
    if webhook:
        from entrypoints.app import build_application, build_runtime
        from entrypoints.webhook import run_webhook

        runtime = build_runtime(settings)
        run_webhook(runtime, build_application(runtime))
    elif settings.local_mode:
        from entrypoints.console import run_console

        asyncio.run(run_console(settings))
    else:
        from entrypoints.polling import run_polling

        run_polling(settings)


@invite_app.callback(invoke_without_command=True)
def invite(
    ctx: typer.Context,
    role: Annotated[str | None, typer.Option(help="worker or supervisor")] = None,
    grid: Annotated[str | None, typer.Option(help="the worker's grid id")] = None,
    community: Annotated[
        str | None, typer.Option(help="the supervisor's community id (omit: city-wide)")
    ] = None,
    hours: Annotated[int, typer.Option(help="how long the code stays valid")] = 72,
) -> None:
    """Make a one-time invite code; the staff member sends `/join CODE` to the bot."""
    from datetime import timedelta

    if ctx.invoked_subcommand is not None:  # `invite list` / `invite revoke`
        return
    if role is None:
        err.print("[red]--role is required: worker or supervisor[/red]")
        raise typer.Exit(2)

    from entrypoints.app import build_runtime, prepare_database
    from services.cases.due_text import say_moment
    from services.staff import InviteError, create_invite

    settings = _settings()
    runtime = build_runtime(settings, nlu=_NoNlu())

    async def go() -> None:
        await prepare_database(runtime)
        try:
            async with runtime.db.transaction() as session:
                made = await create_invite(
                    session,
                    runtime.city,
                    role,
                    runtime.clock.now(),
                    grid_id=grid,
                    community_id=community,
                    valid_for=timedelta(hours=hours),
                )
        finally:
            await runtime.db.dispose()
        Console().print(f"{made.code}")
        until = say_moment(runtime.catalog, "en", made.expires_at, runtime.city.timezone)
        # soft_wrap: one line each whatever the terminal width, so the command can be copied.
        err.print(f"{made.role} for {made.scope}; valid until {until} ({runtime.city.timezone}).",
                  soft_wrap=True)  # fmt: skip
        err.print(f"Send to the bot: /join {made.code}", soft_wrap=True, highlight=False)

    try:
        asyncio.run(go())
    except InviteError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


class _NoNlu:
    """Admin commands never parse resident text; skip loading the model."""

    name = "none"

    async def parse(self, text: str) -> Prediction:
        raise RuntimeError("no NLU in admin commands")


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION."""
    from storage.db import Database
    from storage.migrate import upgrade

    settings = _settings()

    async def go() -> None:
        db = Database(settings.database_url)
        try:
            await upgrade(db, revision)
        finally:
            await db.dispose()

    asyncio.run(go())
    err.print(f"database at {revision}")


def _backend(settings: Settings):  # type: ignore[no-untyped-def]
    from config.loader import load_config
    from entrypoints.nlu_engine import build_nlu
    from services.places import city_place_names

    return build_nlu(settings, city_place_names(load_config(settings.config_dir)))


@nlu_app.command("predict")
def nlu_predict(backend: Backend = None) -> None:
    """Read JSON lines {"text": ...} on stdin; write one prediction per line."""
    settings = _settings(nlu_backend=backend)
    engine = _backend(settings)

    async def go() -> None:
        for number, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text = row["text"]
                if not isinstance(text, str):
                    raise TypeError
            except (json.JSONDecodeError, KeyError, TypeError):
                print(
                    json.dumps({"error": f'line {number}: expected {{"text": "..."}}'}), flush=True
                )
                continue
            prediction = await engine.parse(text)
            print(json.dumps(prediction.as_eval_json(), ensure_ascii=False), flush=True)

    asyncio.run(go())


@nlu_app.command("eval")
def nlu_eval(file: Path, backend: Backend = None) -> None:
    """Score labelled JSON lines: accuracy, per-label P/R/F1, macro-F1 per language, latency."""
    from nlu.evaluate import EvalFileError, evaluate, read_jsonl

    settings = _settings(nlu_backend=backend)
    try:
        rows = read_jsonl(file)
    except (OSError, EvalFileError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    report = asyncio.run(evaluate(_backend(settings), rows))
    out = Console()
    out.print(f"backend: {settings.nlu_backend}  answered by: {dict(report.backends_used)}")
    out.print(f"examples: {report.total}  accuracy: {report.accuracy:.4f}")
    for lang, value in report.macro_f1_by_language.items():
        out.print(f"macro-F1 ({lang}): {value:.4f}")
    if report.emergency_recall is not None:
        out.print(f"emergency recall: {report.emergency_recall:.4f}")
    out.print(f"latency ms p50: {report.latency_ms_p50:.3f}  p99: {report.latency_ms_p99:.3f}")
    table = Table("label", "precision", "recall", "F1", "support")
    for label, s in report.per_label.items():
        table.add_row(label, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.support))
    out.print(table)
    confusions = Table("gold", "predicted", "count", title="most frequent confusions")
    for gold, predicted, count in report.confusions:
        confusions.add_row(gold, predicted, str(count))
    out.print(confusions)


@nlu_app.command("train")
def nlu_train(
    backend: Annotated[str, typer.Option("--backend", help="embedded or rasa")] = "embedded",
) -> None:
    """Train the chosen backend, or reuse its model when the training data has not changed.

    `--backend rasa` builds the Rasa environment first if needed (minutes, once), then
    trains (about 1.5 min); both steps are skipped when already done. Telemetry is off.
    """
    settings = _settings()
    if backend not in ("embedded", "rasa"):
        err.print(f"[red]unknown backend {backend!r}: use embedded or rasa[/red]")
        raise typer.Exit(2)
    if backend == "rasa":
        from nlu.rasa_service import RasaUnavailable, train_rasa_model

        try:  # builds the Rasa env first when it is missing
            path = train_rasa_model(_rasa_model_dir(settings), _progress, settings.cache_dir)
        except RasaUnavailable as exc:
            err.print(f"[red]Rasa: {exc}[/red]")
            raise typer.Exit(1) from exc
        Console().print(str(path))
        return
    from nlu.embedded import load_or_train

    err.print("Training the embedded model (or loading it from the cache)...")
    model = load_or_train(settings.cache_dir / "nlu")
    took = model.train_seconds
    err.print(f"embedded model ready: {len(model.labels)} labels (training took {took:.1f} s)")


@nlu_app.command("env")
def nlu_env(
    where_only: Annotated[
        bool, typer.Option("--where", help="only print the folder, build nothing")
    ] = False,
) -> None:
    """Build the Python 3.10 environment Rasa runs in (idempotent; minutes the first time).

    `nlu train --backend rasa` and `nlu serve` build it too when it is missing.
    """
    settings = _settings()
    from nlu.rasa_service import RasaUnavailable, ensure_rasa_env, rasa_env_dir

    try:
        if where_only:
            env_dir = rasa_env_dir(settings.cache_dir)
        else:
            env_dir = ensure_rasa_env(_progress, settings.cache_dir)
    except RasaUnavailable as exc:
        err.print(f"[red]Rasa: {exc}[/red]")
        raise typer.Exit(1) from exc
    Console().print(str(env_dir), soft_wrap=True, highlight=False)


@nlu_app.command("serve")
def nlu_serve(
    port: Annotated[int, typer.Option(min=1, max=65535, help="port to listen on")] = 5005,
    host: Annotated[str, typer.Option(help="interface to bind")] = "127.0.0.1",
) -> None:
    """Build the Rasa environment and train if needed, then serve `rasa run --enable-api`.

    Point the bot at it with GRIDDESK_NLU_BACKEND=rasa GRIDDESK_RASA_URL=http://HOST:PORT.
    Ctrl-C (or SIGTERM) stops the server.
    """
    settings = _settings()
    from nlu.rasa_service import (
        RasaUnavailable,
        ensure_rasa_env,
        serve_until_stopped,
        train_rasa_model,
    )

    try:
        ensure_rasa_env(_progress, settings.cache_dir)
        model = train_rasa_model(_rasa_model_dir(settings), _progress, settings.cache_dir)
        serve_until_stopped(model, port, host, settings.cache_dir, _progress)
    except RasaUnavailable as exc:
        err.print(f"[red]Rasa: {exc}[/red]")
        raise typer.Exit(1) from exc


@nlu_app.command("cv")
def nlu_cv(
    folds: Annotated[int, typer.Option(min=2, help="number of folds")] = 5,
    repeats: Annotated[int, typer.Option(min=1, help="repeat with other splits")] = 1,
    misses: Annotated[int, typer.Option(help="print this many misclassified examples")] = 0,
    backend: Backend = None,
    rasa_config: Annotated[Path | None, typer.Option(help="candidate Rasa config.yml")] = None,
) -> None:
    """Stratified k-fold cross-validation of the embedded model on the training data.

    `--backend rasa`: one held-back fifth instead (Rasa trains for minutes), Rasa and
    the embedded model side by side. Make modelling and data decisions here, never on
    the held-out nlu/eval split.
    """
    from nlu.crossval import cross_validate
    from nlu.training_data import TrainingDataError, load_examples

    _settings()
    if backend == "rasa":
        _rasa_fold(rasa_config)
        return
    try:
        examples = load_examples()
    except TrainingDataError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    report = cross_validate(examples, folds=folds, repeats=repeats)
    out = Console()
    out.print(f"{len(examples)} examples, {folds}-fold x {repeats}")
    out.print(f"accuracy: {report.accuracy:.4f}")
    for lang, value in report.macro_f1_by_language.items():
        out.print(f"macro-F1 ({lang}): {value:.4f}")
    out.print(
        f"emergency recall: {report.emergency_recall:.4f}  safety net fired "
        f"{report.safety_net_fired}x, wrongly {report.safety_net_wrong}x"
    )
    table = Table("label", "precision", "recall", "F1", "support", title="weakest labels")
    weakest = sorted(report.per_label.items(), key=lambda item: item[1].f1)[:12]
    for label, s in weakest:
        table.add_row(label, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.support))
    out.print(table)
    confusions = Table("gold", "predicted", "count", title="most frequent confusions")
    for gold, predicted, count in report.confusions:
        confusions.add_row(gold, predicted, str(count))
    out.print(confusions)
    for miss in report.misses[:misses]:
        out.print(f"{miss.gold} -> {miss.predicted} ({miss.confidence:.2f}): {miss.text}")


def _rasa_fold(config: Path | None) -> None:
    import tempfile

    from nlu.crossval_rasa import rasa_fold
    from nlu.rasa_service import CONFIG, RasaUnavailable

    with tempfile.TemporaryDirectory(prefix="griddesk-rasa-cv-") as tmp:
        try:
            results = rasa_fold(Path(tmp), config or CONFIG, _progress)
        except RasaUnavailable as exc:
            err.print(f"[red]{exc}[/red]", soft_wrap=True)
            raise typer.Exit(1) from exc
    table = Table("metric", *(r.backend for r in results), title="one held-back fifth")
    languages = sorted({k for r in results for k in r.report.macro_f1_by_language})
    for lang in languages:
        table.add_row(
            f"macro-F1 ({lang})",
            *(f"{r.report.macro_f1_by_language.get(lang, 0.0):.4f}" for r in results),
        )
    table.add_row("accuracy", *(f"{r.report.accuracy:.4f}" for r in results))
    table.add_row(
        "emergency recall", *(f"{r.report.emergency_recall or 0.0:.4f}" for r in results)
    )
    table.add_row("answered by", *(str(dict(r.report.backends_used)) for r in results))
    Console().print(table)


def _rasa_model_dir(settings: Settings) -> Path:
    return settings.cache_dir / "rasa-models"


def _progress(line: str) -> None:
    """One progress line on stderr, unwrapped so paths stay whole."""
    err.print(line, soft_wrap=True, highlight=False, markup=False)


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

    settings = _settings()
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

    settings = _settings(nlu_backend=backend)
    try:
        files = [file] if file else sorted(HOLDOUT_DIR.glob("*.jsonl"))
        rows = [row for path in files for row in read_jsonl(path)]
    except (OSError, EvalFileError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    coverage = asyncio.run(faq_coverage(_backend(settings), rows))
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


def main() -> None:
    command()(prog_name="griddesk")


def command() -> Any:
    """The click command behind ``app``, every option naming the value it wants.

    Click labels a value by its type (``TEXT``, ``INTEGER``); ``--grid GRID`` says what to type.
    Flags take no value and show none. (Typer 0.27+ shows ``<str>``/``<bool>`` whatever the
    metavar, hence its upper bound in pyproject.toml.)
    """
    root = typer.main.get_command(app)
    _name_values(root)
    return root


def _name_values(cmd: Any) -> None:
    # Duck-typed: Typer ships its own copy of click, so click's classes are not Typer's.
    for param in cmd.params:
        option = getattr(param, "param_type_name", "") == "option"
        if option and param.metavar is None and not getattr(param, "is_flag", False):
            param.metavar = (param.name or "value").upper()
    for sub in getattr(cmd, "commands", {}).values():
        _name_values(sub)
