"""Checks behind `griddesk faq check` and `griddesk faq coverage`."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from config.loader import ConfigError, load_config
from config.schema import CityConfig
from domain.ids import FAQ_PREFIX, FAQ_TOPICS
from nlu.training_data import load_examples
from nlu.types import NluBackend

STALE_AFTER = timedelta(days=180)


@dataclass
class FaqFindings:
    """What `griddesk faq check` found: errors (fail the check) and warnings, as lines."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_faq(config_dir: Path, today: date, stale_after: timedelta = STALE_AFTER) -> FaqFindings:
    """Cross-check faq.yaml, the fixed topics and the NLU's FAQ examples; an answer last
    checked more than `stale_after` before `today` (a local date) is a warning. A config that
    does not load is reported as an error finding, not raised."""
    findings = FaqFindings()
    try:
        city: CityConfig = load_config(config_dir)
    except ConfigError as exc:  # missing language, unknown station, bad date...
        findings.errors.append(str(exc))
        return findings
    for topic_id in FAQ_TOPICS:
        if topic_id not in city.faq:
            findings.errors.append(f"faq.yaml: topic {topic_id!r} is missing")
    for topic in city.faq.values():
        if not topic.station_ids:
            findings.warnings.append(f"faq.yaml: {topic.id}: names no service station")
        if today - topic.last_checked > stale_after:
            findings.warnings.append(
                f"faq.yaml: {topic.id}: last checked {topic.last_checked}, "
                f"over {stale_after.days} days ago"
            )
    examples = [e for e in load_examples() if e.label.startswith(FAQ_PREFIX)]
    seen: dict[str, set[str]] = defaultdict(set)
    for example in examples:
        seen[example.text.strip().lower()].add(example.label)
    for text, labels in seen.items():
        if len(labels) > 1:
            findings.errors.append(f"question {text!r} is taught under {sorted(labels)}")
    taught = Counter(e.label.removeprefix(FAQ_PREFIX) for e in examples)
    for topic_id in city.faq:
        if taught[topic_id] == 0:
            findings.errors.append(f"topic {topic_id!r} has no question variants in nlu/data")
    for topic_id in taught:
        if topic_id not in city.faq:
            findings.errors.append(f"nlu/data teaches faq/{topic_id} but faq.yaml has no answer")
    return findings


@dataclass
class TopicCoverage:
    """Held-out questions of one topic and language: `right` of `total` predicted the topic."""

    topic: str
    lang: str
    right: int
    total: int


async def faq_coverage(backend: NluBackend, rows: list[dict[str, Any]]) -> list[TopicCoverage]:
    """Per topic and language: how many held-out questions land on their topic."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if row.get("intent") != "faq":
            continue
        prediction = await backend.parse(str(row["text"]))
        key = (str(row.get("topic")), str(row.get("lang", "?")))
        counts[key][1] += 1
        if prediction.intent == "faq" and prediction.topic == row.get("topic"):
            counts[key][0] += 1
    return [TopicCoverage(topic, lang, right, total)
            for (topic, lang), (right, total) in sorted(counts.items())]
