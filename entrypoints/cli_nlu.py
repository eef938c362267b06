"""`griddesk nlu`: predict, evaluate, train and serve the natural-language understanding."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.settings import Settings
from entrypoints.cli_common import Backend, err, settings_or_exit

nlu_app = typer.Typer(help="Natural-language understanding.", no_args_is_help=True)


def engine_for(settings: Settings):  # type: ignore[no-untyped-def]
    from config.loader import load_config
    from entrypoints.nlu_engine import build_nlu
    from services.places import city_place_names

    return build_nlu(settings, city_place_names(load_config(settings.config_dir)))


@nlu_app.command("predict")
def nlu_predict(backend: Backend = None) -> None:
    """Read JSON lines {"text": ...} on stdin; write one prediction per line."""
    settings = settings_or_exit(nlu_backend=backend)
    engine = engine_for(settings)

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

    settings = settings_or_exit(nlu_backend=backend)
    try:
        rows = read_jsonl(file)
    except (OSError, EvalFileError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    report = asyncio.run(evaluate(engine_for(settings), rows))
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
    settings = settings_or_exit()
    if backend not in ("embedded", "rasa"):
        err.print(f"[red]unknown backend {backend!r}: use embedded or rasa[/red]")
        raise typer.Exit(2)
    if backend == "rasa":
        from nlu.rasa_env import RasaUnavailable
        from nlu.rasa_training import train_rasa_model

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
    settings = settings_or_exit()
    from nlu.rasa_env import RasaUnavailable, ensure_rasa_env, rasa_env_dir

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
    settings = settings_or_exit()
    from nlu.rasa_env import RasaUnavailable, ensure_rasa_env
    from nlu.rasa_server import serve_until_stopped
    from nlu.rasa_training import train_rasa_model

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

    settings_or_exit()
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
    from nlu.rasa_env import RasaUnavailable
    from nlu.rasa_training import CONFIG

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
    table.add_row("emergency recall", *(f"{r.report.emergency_recall or 0.0:.4f}" for r in results))
    table.add_row("answered by", *(str(dict(r.report.backends_used)) for r in results))
    Console().print(table)


def _rasa_model_dir(settings: Settings) -> Path:
    return settings.cache_dir / "rasa-models"


def _progress(line: str) -> None:
    """One progress line on stderr, unwrapped so paths stay whole."""
    err.print(line, soft_wrap=True, highlight=False, markup=False)
