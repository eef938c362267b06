"""Both NLU backends on the held-out split, side by side, each trained from scratch.

Printed per backend: macro-F1 per language, accuracy, emergency recall overall and per
category (the "category" field of the held-out emergency lines), how many lines of the
place-only set (nlu/eval/places.jsonl) were called an emergency, latency, model size and
training time. A missing file or figure prints "n/a".

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
import json
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config.loader import load_config
from nlu.embedded import EmbeddedBackend, load_or_train
from nlu.evaluate import EvalFileError, EvalReport, evaluate, read_jsonl
from nlu.places import PlaceNames
from nlu.rasa_backend import RasaBackend
from nlu.rasa_env import RasaUnavailable, find_rasa_python, rasa_env_dir, rasa_env_ready
from nlu.rasa_server import start_rasa_server
from nlu.rasa_training import train_rasa_model
from nlu.types import NluBackend
from services.places import city_place_names

REPO = Path(__file__).resolve().parent.parent
EVAL_DIR = REPO / "nlu" / "eval" / "parts"
PLACES_FILE = REPO / "nlu" / "eval" / "places.jsonl"
CONFIG_DIR = REPO / "config"
RASA_TIMEOUT_SECONDS = 10.0
WARM_UP_TEXTS = ("你好", "hello")  # first calls pay for lazy loading; not measured


@dataclass
class Column:
    backend: str
    report: EvalReport
    train_seconds: float
    model_bytes: int
    # Place-only lines the backend called an emergency (None: no place-only file).
    place_alarms: int | None = None


def city_places() -> PlaceNames:
    """The shipped city's place names, as the composition root hands them to the NLU."""
    try:
        return PlaceNames.of(city_place_names(load_config(CONFIG_DIR)))
    except Exception as exc:  # a broken config must not stop the benchmark
        print(f"  config not loaded ({exc}); place guard without aliases", file=sys.stderr)
        return PlaceNames()


def load_place_texts(path: Path) -> list[str] | None:
    """The place-only set's texts, or None when the file is missing or unreadable."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
        return [str(json.loads(line)["text"]) for line in lines if line.strip()]
    except (OSError, ValueError, KeyError, TypeError):
        return None


async def count_place_alarms(backend: NluBackend, texts: list[str] | None) -> int | None:
    if texts is None:
        return None
    return sum([(await backend.parse(text)).intent == "emergency" for text in texts])


def load_split(eval_dir: Path) -> list[dict[str, Any]]:
    files = sorted(eval_dir.glob("*.jsonl"))
    if not files:
        raise EvalFileError(f"no *.jsonl files under {eval_dir}")
    return [row for path in files for row in read_jsonl(path)]


async def measure(backend: NluBackend, rows: list[dict[str, Any]]) -> EvalReport:
    for text in WARM_UP_TEXTS:
        await backend.parse(text)
    return await evaluate(backend, rows)


def bench_embedded(
    rows: list[dict[str, Any]], places: list[str] | None, scratch: Path, city: PlaceNames
) -> Column:
    cache = scratch / "embedded"
    started = time.perf_counter()
    classifier = load_or_train(cache)
    train_seconds = time.perf_counter() - started
    size = sum(p.stat().st_size for p in cache.glob("*.pkl"))
    backend = EmbeddedBackend(classifier, city)
    report = asyncio.run(measure(backend, rows))
    alarms = asyncio.run(count_place_alarms(backend, places))
    return Column("embedded", report, train_seconds, size, alarms)


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


def bench_rasa(
    rows: list[dict[str, Any]],
    places: list[str] | None,
    scratch: Path,
    city: PlaceNames,
    say: Callable[[str], None],
) -> Column:
    started = time.perf_counter()
    model = train_rasa_model(scratch / "rasa-models", say)
    train_seconds = time.perf_counter() - started
    with start_rasa_server(model, free_port()) as server:
        say(f"Starting Rasa on {server.url}")
        server.wait_ready()

        async def run() -> tuple[EvalReport, int | None]:
            async with RasaBackend(
                server.url, timeout=RASA_TIMEOUT_SECONDS, places=city
            ) as backend:
                return await measure(backend, rows), await count_place_alarms(backend, places)

        report, alarms = asyncio.run(run())
    return Column("rasa", report, train_seconds, model.stat().st_size, alarms)


def _fmt(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def category_recall(rows: list[dict[str, Any]], report: EvalReport) -> dict[str, tuple[int, int]]:
    """(caught, total) held-out emergencies per "category" field."""
    out: dict[str, tuple[int, int]] = {}
    for row, predicted in zip(rows, report.predicted, strict=True):
        if row.get("intent") != "emergency":
            continue
        category = str(row.get("category") or "(no category)")
        caught, total = out.get(category, (0, 0))
        out[category] = (caught + (predicted == "emergency"), total + 1)
    return out


def _latency(column: Column, value: float) -> str:
    return _fmt(value if column.report.total else None, 2)


def _ratio(pair: tuple[int, int] | None) -> str:
    return "n/a" if pair is None else f"{pair[0] / pair[1]:.3f} ({pair[0]}/{pair[1]})"


def render(
    columns: list[Column],
    source: str,
    split: list[dict[str, Any]],
    places: list[str] | None,
) -> str:
    languages = sorted({str(row.get("lang", "?")) for row in split})
    by_category = [category_recall(split, c.report) for c in columns]
    categories = sorted({k for recall in by_category for k in recall})
    rows: list[tuple[str, list[str]]] = []
    for lang in languages:
        # four places: the goals (0.95, 0.92) sit on the third
        f1 = [_fmt(c.report.macro_f1_by_language.get(lang), 4) for c in columns]
        rows.append((f"macro-F1 {lang}", f1))
    rows += [
        ("accuracy", [_fmt(c.report.accuracy if c.report.total else None) for c in columns]),
        ("emergency recall", [_fmt(c.report.emergency_recall) for c in columns]),
    ]
    rows += [
        (f"  recall {name}", [_ratio(recall.get(name)) for recall in by_category])
        for name in categories
    ]
    place_total = "n/a" if places is None else str(len(places))
    rows += [
        (
            f"place-only called emergency (of {place_total})",
            ["n/a" if c.place_alarms is None else str(c.place_alarms) for c in columns],
        ),
        ("latency p50 (ms)", [_latency(c, c.report.latency_ms_p50) for c in columns]),
        ("latency p99 (ms)", [_latency(c, c.report.latency_ms_p99) for c in columns]),
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

    out = [f"NLU benchmark: {source}, {len(split)} messages", line(headers)]
    out.append(line(["-" * w for w in widths]))
    out += [line([name, *values]) for name, values in rows]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--eval-dir", type=Path, default=EVAL_DIR)
    parser.add_argument("--places", type=Path, default=PLACES_FILE, help="place-only set")
    parser.add_argument("--skip-rasa", action="store_true", help="embedded column only")
    args = parser.parse_args(argv)

    def say(line: str) -> None:
        print(f"  {line}", file=sys.stderr, flush=True)

    notes: list[str] = []
    try:
        rows = load_split(args.eval_dir)
    except (OSError, EvalFileError) as exc:
        rows = []
        notes.append(f"held-out split: n/a ({exc})")
    places = load_place_texts(args.places)
    if places is None:
        notes.append(f"place-only set: n/a ({args.places} missing or unreadable)")
    city = city_places()
    columns: list[Column] = []
    with tempfile.TemporaryDirectory(prefix="griddesk-bench-nlu-") as tmp:
        scratch = Path(tmp)
        say("Training the embedded model from scratch...")
        columns.append(bench_embedded(rows, places, scratch, city))
        missing = "skipped (--skip-rasa)" if args.skip_rasa else rasa_missing_reason()
        if missing is None:
            say("Training Rasa from scratch (about 1.5 min)...")
            try:
                columns.append(bench_rasa(rows, places, scratch, city, say))
            except RasaUnavailable as exc:
                notes.append(f"rasa: failed: {exc}")
        else:
            notes.append(f"rasa: {missing}")
    print(render(columns, str(args.eval_dir), rows, places))
    for column in columns:
        used = dict(column.report.backends_used)
        top = ", ".join(f"{g} -> {p} ({n})" for g, p, n in column.report.confusions[:3])
        print(f"{column.backend}: answered by {used}; top confusions: {top}")
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
