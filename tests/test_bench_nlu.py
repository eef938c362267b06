"""bench/nlu.py: emergency recall per category, place-only alarms, "n/a" for what is missing.

Built from synthetic reports, so no held-out line is read and no model is trained here.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from bench.nlu import Column, category_recall, load_place_texts, render
from nlu.evaluate import EvalReport

SPLIT = [
    {"text": "a", "lang": "en", "intent": "emergency", "category": "trapped"},
    {"text": "b", "lang": "en", "intent": "emergency", "category": "trapped"},
    {"text": "c", "lang": "zh", "intent": "emergency", "category": "missing_person"},
    {"text": "d", "lang": "zh", "intent": "report", "case_type": "noise"},
]


def _report(predicted: list[str]) -> EvalReport:
    return EvalReport(
        total=len(predicted), accuracy=0.5, per_label={}, macro_f1_by_language={"en": 0.9},
        latency_ms_p50=0.2, latency_ms_p99=1.5, confusions=[], emergency_recall=2 / 3,
        backends_used=Counter({"embedded": len(predicted)}), predicted=predicted,
        answered_by=["embedded"] * len(predicted),
    )  # fmt: skip


def _cells(line: str) -> tuple[str, str]:
    cells = re.split(r"\s{2,}", line.strip())
    return cells[0], cells[-1]


def test_recall_is_counted_per_category() -> None:
    report = _report(["emergency", "report:other", "emergency", "report:noise"])
    assert category_recall(SPLIT, report) == {"trapped": (1, 2), "missing_person": (1, 1)}


def test_the_table_shows_categories_place_alarms_and_na_for_missing_figures() -> None:
    report = _report(["emergency", "report:other", "emergency", "report:noise"])
    columns = [Column("embedded", report, 12.0, 3_000_000, place_alarms=0)]
    table = render(columns, "parts", SPLIT, ["翠湖苑 3栋", "Block 7"])
    lines = dict(_cells(line) for line in table.splitlines()[3:])
    assert lines["recall trapped"] == "0.500 (1/2)"
    assert lines["recall missing_person"] == "1.000 (1/1)"
    assert lines["place-only called emergency (of 2)"] == "0"
    assert lines["macro-F1 zh"] == "n/a"
    assert lines["macro-F1 en"] == "0.9000"  # four places: the goal sits on the third
    missing = render([Column("embedded", report, 12.0, 0, None)], "parts", SPLIT, None)
    assert "place-only called emergency (of n/a)" in missing
    assert dict(_cells(line) for line in missing.splitlines()[3:])["macro-F1 zh"] == "n/a"


def test_a_missing_place_file_reads_as_none(tmp_path: Path) -> None:
    assert load_place_texts(tmp_path / "places.jsonl") is None
    (tmp_path / "places.jsonl").write_text('{"text": "Block 7"}\n\n', encoding="utf-8")
    assert load_place_texts(tmp_path / "places.jsonl") == ["Block 7"]
