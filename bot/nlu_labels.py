"""Start-up check: case types, FAQ topics and the NLU's labels name the same things.

A case type added to config/case_types.yaml without training examples would never be
predicted; a label left in nlu/data after its case type was removed would file cases of a
type the bot cannot route. Both stop start-up (entrypoints/app.py build_runtime) and fail
`griddesk faq check` / `griddesk config check`, naming the file and the id. The Rasa domain
needs no check: its intents and FAQ responses are derived from the same labels when it trains.
"""

from __future__ import annotations

from pathlib import Path

from config.reading import ConfigError, read_yaml_file
from config.schema import CityConfig
from domain.ids import FAQ_PREFIX, REPORT_PREFIX
from nlu.training_data import DATA_DIR, data_files

CASE_TYPES_FILE = "case_types.yaml"
FAQ_FILE = "faq.yaml"


def _labels_by_file(data_dir: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in data_files(data_dir):
        doc = read_yaml_file(path) or {}
        for block in doc.get("nlu") or []:
            if isinstance(block, dict) and block.get("intent") and block.get("examples"):
                out.setdefault(f"nlu/data/{path.name}", set()).add(str(block["intent"]))
    return out


def nlu_label_problems(city: CityConfig, data_dir: Path = DATA_DIR) -> list[ConfigError]:
    """Every mismatch between config and the NLU's training data and domain."""
    by_file = _labels_by_file(data_dir)
    labels = set().union(*by_file.values()) if by_file else set()
    problems: list[ConfigError] = []
    for case_type in city.case_types:
        label = f"{REPORT_PREFIX}{case_type}"
        if label not in labels:
            problems.append(ConfigError(
                CASE_TYPES_FILE, case_type, f"no training examples labelled {label} in nlu/data"
            ))  # fmt: skip
    for topic in city.faq:
        if f"{FAQ_PREFIX}{topic}" not in labels:
            problems.append(ConfigError(
                FAQ_FILE, topic, f"no training examples labelled {FAQ_PREFIX}{topic} in nlu/data"
            ))  # fmt: skip
    for file, found in sorted(by_file.items()):
        for label in sorted(found):
            if (
                label.startswith(REPORT_PREFIX)
                and label[len(REPORT_PREFIX) :] not in city.case_types
            ):
                problems.append(ConfigError(
                    file, label, f"no case type {label[len(REPORT_PREFIX):]!r} in "
                    f"config/{CASE_TYPES_FILE}"
                ))  # fmt: skip
            if label.startswith(FAQ_PREFIX) and label[len(FAQ_PREFIX) :] not in city.faq:
                problems.append(ConfigError(
                    file, label, f"no FAQ topic {label[len(FAQ_PREFIX):]!r} in config/{FAQ_FILE}"
                ))  # fmt: skip
    return problems


def check_nlu_labels(city: CityConfig) -> None:
    """Raise the first mismatch (start-up refuses to run on it)."""
    problems = nlu_label_problems(city)
    if problems:
        raise problems[0]
