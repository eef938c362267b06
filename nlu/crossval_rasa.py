"""Rasa beside the embedded model on one stratified fold of the training data.

A Rasa training run takes minutes on two cores, so k folds are out of reach;
one held-back fifth of the training YAML (fixed seed) compares a candidate
`config.yml` with the embedded model trained on the same four fifths. Both are
scored through the shared rules (safety net, place guard, question lean), as
the bot would use them. The held-out split under nlu/eval is never touched.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from sklearn.model_selection import train_test_split

from domain.ids import split_label
from nlu.crossval import language_of
from nlu.embedded import EmbeddedBackend, EmbeddedClassifier
from nlu.evaluate import EvalReport, evaluate
from nlu.rasa_backend import RasaBackend
from nlu.rasa_server import start_rasa_server
from nlu.rasa_training import CONFIG, train_rasa_model
from nlu.training_data import Example, load_examples
from nlu.types import NluBackend

HELD_BACK = 0.2
SEED = 0
RASA_TIMEOUT_SECONDS = 10.0


@dataclass
class FoldResult:
    backend: str
    report: EvalReport


def split_examples(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    train, test = train_test_split(
        examples,
        test_size=HELD_BACK,
        random_state=SEED,
        stratify=[e.label for e in examples],
    )
    return list(train), list(test)


def write_rasa_yaml(examples: list[Example], path: Path) -> None:
    """Examples as Rasa 3.x NLU YAML (`faq/<topic>` stays a retrieval intent)."""
    by_label: dict[str, list[str]] = {}
    for example in examples:
        by_label.setdefault(example.label, []).append(example.text)
    blocks = [
        {"intent": label, "examples": "".join(f"- {_one_line(t)}\n" for t in texts)}
        for label, texts in sorted(by_label.items())
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def as_rows(examples: list[Example]) -> list[dict[str, object]]:
    """Training examples in the evaluation file shape (`text`, `lang`, `intent`, ...)."""
    rows: list[dict[str, object]] = []
    for example in examples:
        intent, case_type, topic = split_label(example.label)
        row: dict[str, object] = {"text": example.text, "lang": language_of(example.text)}
        row["intent"] = intent
        if case_type is not None:
            row["case_type"] = case_type
        if topic is not None:
            row["topic"] = topic
        rows.append(row)
    return rows


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _score(backend: NluBackend, rows: list[dict[str, object]]) -> EvalReport:
    return await evaluate(backend, rows)


def rasa_fold(
    scratch: Path,
    config: Path = CONFIG,
    progress: Callable[[str], None] | None = print,
) -> list[FoldResult]:
    """Train both engines on four fifths of the training data; score the fifth held back."""
    train, test = split_examples(load_examples())
    rows = as_rows(test)
    embedded = EmbeddedBackend(EmbeddedClassifier.train(train))
    results = [FoldResult("embedded", asyncio.run(_score(embedded, rows)))]
    write_rasa_yaml(train, scratch / "data" / "train.yml")
    model = train_rasa_model(scratch / "models", progress, data_dir=scratch / "data", config=config)
    with start_rasa_server(model, _free_port()) as server:
        server.wait_ready()

        async def run() -> EvalReport:
            async with RasaBackend(server.url, timeout=RASA_TIMEOUT_SECONDS) as rasa:
                return await _score(rasa, rows)

        results.append(FoldResult("rasa", asyncio.run(run())))
    return results
