"""Stratified k-fold cross-validation of the embedded model on the training data.

Every modelling and data decision (features, C, class weights, the emergency
safety net, which examples to write) is made here, on the training YAML only.
The held-out split under nlu/eval is measured once, at the end, and is never
used to choose anything.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from domain.ids import split_label
from nlu.embedded import RANKING_SIZE, EmbeddedConfig, fit_temperature, out_of_fold_scores, softmax
from nlu.evaluate import LabelScores, label_scores, macro_f1, predicted_label
from nlu.training_data import Example
from nlu.types import LabelScore, prediction_from_ranking

_CJK = re.compile(r"[\u3400-\u9fff]")


def language_of(text: str) -> str:
    """`zh` when the text has any Chinese character (mixed lines count as Chinese), else `en`."""
    return "zh" if _CJK.search(text) else "en"


def eval_label(training_label: str) -> str:
    """`report_noise` -> `report:noise`, `faq/vaccination` -> `faq:vaccination`."""
    intent, case_type, topic = split_label(training_label)
    if intent == "report":
        return f"report:{case_type}"
    if intent == "faq":
        return f"faq:{topic}"
    return intent


@dataclass
class Miss:
    text: str
    gold: str
    predicted: str
    confidence: float


@dataclass
class CrossValReport:
    config: EmbeddedConfig
    folds: int
    repeats: int
    accuracy: float
    macro_f1_by_language: dict[str, float]
    per_label: dict[str, LabelScores]
    confusions: list[tuple[str, str, int]]
    emergency_recall: float
    # How often the emergency safety net put `emergency` on top, and how often wrongly.
    safety_net_fired: int
    safety_net_wrong: int
    # From the first repeat: every emergency missed and every false alarm, to read and fix.
    missed_emergencies: list[Miss] = field(default_factory=list)
    false_emergencies: list[Miss] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)


def cross_validate(
    examples: list[Example],
    config: EmbeddedConfig = EmbeddedConfig(),  # noqa: B008 - frozen, never mutated
    folds: int = 5,
    repeats: int = 1,
    seed: int = 0,
) -> CrossValReport:
    """Out-of-fold predictions for every example, `repeats` times with different splits.

    Predictions go through `prediction_from_ranking` (the emergency share rule
    and safety net included), so the figures are what the bot would do.
    """
    texts = [e.text for e in examples]
    labels = [e.label for e in examples]
    languages = [language_of(t) for t in texts]
    pairs: list[tuple[str, str]] = []
    by_language: dict[str, list[tuple[str, str]]] = {}
    misses: list[Miss] = []
    net_fired = net_wrong = 0
    for repeat in range(repeats):
        scores, classes = out_of_fold_scores(texts, labels, config, folds, seed + repeat)
        probabilities = softmax(scores, fit_temperature(scores, classes, labels))
        for i, row in enumerate(probabilities):
            best = np.argsort(row)[::-1][:RANKING_SIZE]
            ranking = [LabelScore(classes[j], float(row[j])) for j in best]
            prediction = prediction_from_ranking(ranking, "embedded", text=texts[i])
            pair = (eval_label(labels[i]), predicted_label(prediction))
            if prediction.safety_net is not None:
                net_fired += 1
                net_wrong += pair[0] != "emergency"
            pairs.append(pair)
            by_language.setdefault(languages[i], []).append(pair)
            if repeat == 0 and pair[0] != pair[1]:
                misses.append(Miss(texts[i], pair[0], pair[1], prediction.confidence))
    emergencies = [p for g, p in pairs if g == "emergency"]
    confusions = Counter((g, p) for g, p in pairs if g != p)
    return CrossValReport(
        config=config,
        folds=folds,
        repeats=repeats,
        accuracy=sum(g == p for g, p in pairs) / len(pairs),
        macro_f1_by_language={k: macro_f1(v) for k, v in sorted(by_language.items())},
        per_label=label_scores(pairs),
        confusions=[(g, p, n) for (g, p), n in confusions.most_common(15)],
        emergency_recall=sum(p == "emergency" for p in emergencies) / max(1, len(emergencies)),
        safety_net_fired=net_fired,
        safety_net_wrong=net_wrong,
        missed_emergencies=[m for m in misses if m.gold == "emergency"],
        false_emergencies=[m for m in misses if m.predicted == "emergency"],
        misses=misses,
    )
