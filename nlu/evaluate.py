"""Scoring for `griddesk nlu eval`: accuracy, per-label P/R/F1, macro-F1 per language."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domain.ids import INTENTS
from nlu.types import NluBackend, Prediction


class EvalFileError(Exception):
    pass


def gold_label(row: dict[str, Any]) -> str:
    """One comparable label: `report:<case_type>`, `faq:<topic>`, or the intent."""
    intent = row.get("intent")
    if intent == "report":
        return f"report:{row.get('case_type')}"
    if intent == "faq":
        return f"faq:{row.get('topic')}"
    return str(intent)


def predicted_label(prediction: Prediction) -> str:
    return gold_label(prediction.as_eval_json())


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Labelled lines of an evaluation file; EvalFileError names the file and line on any fault."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise EvalFileError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise EvalFileError(f"{path}: not UTF-8 text") from exc
    except OSError as exc:
        raise EvalFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalFileError(f"{path.name}:{number}: not JSON: {exc.msg}") from exc
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or "intent" not in row:
            raise EvalFileError(f'{path.name}:{number}: needs at least "text" and "intent"')
        if row["intent"] not in INTENTS:
            known = ", ".join(INTENTS)
            raise EvalFileError(
                f"{path.name}:{number}: unknown intent {row['intent']!r} (one of {known})"
            )
        detail = {"report": "case_type", "faq": "topic"}.get(row["intent"])
        if detail is not None and not isinstance(row.get(detail), str):
            raise EvalFileError(f'{path.name}:{number}: a {row["intent"]} line needs "{detail}"')
        rows.append(row)
    if not rows:
        raise EvalFileError(f"{path.name}: no examples")
    return rows


@dataclass
class LabelScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class EvalReport:
    total: int
    accuracy: float
    per_label: dict[str, LabelScores]
    macro_f1_by_language: dict[str, float]
    latency_ms_p50: float
    latency_ms_p99: float
    confusions: list[tuple[str, str, int]]
    emergency_recall: float | None
    backends_used: Counter[str] = field(default_factory=Counter)
    # Per input line, in order: the label predicted and the engine that answered.
    predicted: list[str] = field(default_factory=list)
    answered_by: list[str] = field(default_factory=list)


def label_scores(pairs: list[tuple[str, str]]) -> dict[str, LabelScores]:
    labels = sorted({g for g, _ in pairs} | {p for _, p in pairs})
    out: dict[str, LabelScores] = {}
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = LabelScores(precision, recall, f1, tp + fn)
    return out


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    """Mean F1 over the labels that occur in the gold data."""
    scores = label_scores(pairs)
    gold = {g for g, _ in pairs}
    return sum(scores[g].f1 for g in gold) / len(gold) if gold else 0.0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def evaluate(backend: NluBackend, rows: Iterable[dict[str, Any]]) -> EvalReport:
    pairs_by_lang: dict[str, list[tuple[str, str]]] = {}
    pairs: list[tuple[str, str]] = []
    latencies: list[float] = []
    used: Counter[str] = Counter()
    answered_by: list[str] = []
    for row in rows:
        started = time.perf_counter()
        prediction = await backend.parse(row["text"])
        latencies.append((time.perf_counter() - started) * 1000)
        used[prediction.backend] += 1
        answered_by.append(prediction.backend)
        pair = (gold_label(row), predicted_label(prediction))
        pairs.append(pair)
        pairs_by_lang.setdefault(str(row.get("lang", "?")), []).append(pair)
    confusions = Counter((g, p) for g, p in pairs if g != p)
    emergencies = [(g, p) for g, p in pairs if g == "emergency"]
    return EvalReport(
        total=len(pairs),
        accuracy=sum(1 for g, p in pairs if g == p) / len(pairs) if pairs else 0.0,
        per_label=label_scores(pairs),
        macro_f1_by_language={lang: macro_f1(p) for lang, p in sorted(pairs_by_lang.items())},
        latency_ms_p50=percentile(latencies, 50),
        latency_ms_p99=percentile(latencies, 99),
        confusions=[(g, p, n) for (g, p), n in confusions.most_common(10)],
        emergency_recall=(
            sum(1 for g, p in emergencies if p == g) / len(emergencies) if emergencies else None
        ),
        backends_used=used,
        predicted=[p for _, p in pairs],
        answered_by=answered_by,
    )
