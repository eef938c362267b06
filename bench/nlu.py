"""Both NLU backends on the held-out split, side by side, each trained from scratch.

The embedded model trains in-process into a temporary cache; Rasa trains into a
temporary model directory with the cached Rasa environment (scripts/rasa-env build)
and is served on a free local port for the run, then stopped. Without that
environment, only the embedded column is printed and the reason is said.

    .venv/bin/python -m bench.nlu [--eval-dir nlu/eval/parts] [--skip-rasa]

The held-out split is only measured here, never used to choose anything.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlu.embedded import EmbeddedBackend, load_or_train
from nlu.evaluate import EvalFileError, EvalReport, evaluate, read_jsonl
from nlu.rasa_backend import RasaBackend
from nlu.rasa_service import (
    RasaUnavailable,
    find_rasa_python,
    rasa_env_dir,
    rasa_env_ready,
    start_rasa_server,
    train_rasa_model,
)
from nlu.types import NluBackend

EVAL_DIR = Path(__file__).resolve().parent.parent / "nlu" / "eval" / "parts"
RASA_TIMEOUT_SECONDS = 10.0
WARM_UP_TEXTS = ("你好", "hello")  # first calls pay for lazy loading; not measured


@dataclass
class Column:
    backend: str
    report: EvalReport
    train_seconds: float
    model_bytes: int


def load_split(eval_dir: Path) -> list[dict[str, Any]]:
    files = sorted(eval_dir.glob("*.jsonl"))
    if not files:
        raise EvalFileError(f"no *.jsonl files under {eval_dir}")
    return [row for path in files for row in read_jsonl(path)]


async def measure(backend: NluBackend, rows: list[dict[str, Any]]) -> EvalReport:
    for text in WARM_UP_TEXTS:
        await backend.parse(text)
    return await evaluate(backend, rows)


def bench_embedded(rows: list[dict[str, Any]], scratch: Path) -> Column:
    cache = scratch / "embedded"
    started = time.perf_counter()
    classifier = load_or_train(cache)
    train_seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in cache.glob("*.pkl"))
    report = asyncio.run(measure(EmbeddedBackend(classifier), rows))
    return Column("embedded", report, train_seconds, size)


def rasa_missing_reason() -> str | None:
    """Why the Rasa column cannot be run, or None when the Rasa env is built."""
    try:
        _, version = find_rasa_python()
    except RasaUnavailable as exc:
        return str(exc)
    env_dir = rasa_env_dir(python_version=version)
    if not rasa_env_ready(env_dir):
        return f"Rasa env not built at {env_dir} (run `scripts/rasa-env build`)"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def bench_rasa(rows: list[dict[str, Any]], scratch: Path, say: Callable[[str], None]) -> Column:
    started = time.perf_counter()
    model = train_rasa_model(scratch / "rasa-models", say)
    train_seconds = time.perf_counter() - started
    with start_rasa_server(model, free_port()) as server:
        say(f"Starting Rasa on {server.url}")
        server.wait_ready()

        async def run() -> EvalReport:
            async with RasaBackend(server.url, timeout=RASA_TIMEOUT_SECONDS) as backend:
                return await measure(backend, rows)

        report = asyncio.run(run())
    return Column("rasa", report, train_seconds, model.stat().st_size)


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def render(columns: list[Column], source: str, total: int, languages: list[str]) -> str:
    rows: list[tuple[str, list[str]]] = []
    for lang in languages:
        rows.append(
            (f"macro-F1 {lang}", [_fmt(c.report.macro_f1_by_language.get(lang)) for c in columns])
        )
    rows += [
        ("accuracy", [_fmt(c.report.accuracy) for c in columns]),
        ("emergency recall", [_fmt(c.report.emergency_recall) for c in columns]),
        ("latency p50 (ms)", [_fmt(c.report.latency_ms_p50, 2) for c in columns]),
        ("latency p99 (ms)", [_fmt(c.report.latency_ms_p99, 2) for c in columns]),
        ("model size on disk (MB)", [_fmt(c.model_bytes / 1e6, 1) for c in columns]),
        ("training time (s)", [_fmt(c.train_seconds, 1) for c in columns]),
    ]
    headers = ["metric", *(c.backend for c in columns)]
    widths = [max(len(headers[0]), *(len(name) for name, _ in rows))]
    for i, column in enumerate(columns):
        widths.append(max(len(column.backend), *(len(values[i]) for _, values in rows)))

    def line(cells: list[str]) -> str:
        first, *rest = cells
        right = (cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True))
        return "  ".join([first.ljust(widths[0]), *right])

    out = [f"NLU benchmark: {source}, {total} messages", line(headers)]
    out.append(line(["-" * w for w in widths]))
    out += [line([name, *values]) for name, values in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    parser.add_argument("--skip-rasa", action="store_true", help="embedded column only")
    args = parser.parse_args(argv)

    def say(line: str) -> None:
        print(f"  {line}", file=sys.stderr, flush=True)

    try:
        rows = load_split(args.eval_dir)
    except (OSError, EvalFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    columns: list[Column] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="griddesk-bench-nlu-") as tmp:
        scratch = Path(tmp)
        say("Training the embedded model from scratch...")
        columns.append(bench_embedded(rows, scratch))
        missing = "skipped (--skip-rasa)" if args.skip_rasa else rasa_missing_reason()
        if missing is None:
            say("Training Rasa from scratch (about 1.5 min)...")
            try:
                columns.append(bench_rasa(rows, scratch, say))
            except RasaUnavailable as exc:
                notes.append(f"rasa: failed: {exc}")
        else:
            notes.append(f"rasa: {missing}")
    languages = sorted({str(row.get("lang", "?")) for row in rows})
    print(render(columns, str(args.eval_dir), len(rows), languages))
    for column in columns:
        used = dict(column.report.backends_used)
        top = ", ".join(f"{g} -> {p} ({n})" for g, p, n in column.report.confusions[:3])
        print(f"{column.backend}: answered by {used}; top confusions: {top}")
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
