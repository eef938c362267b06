"""Read Rasa 3.x NLU YAML (the one source both backends train from)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# libyaml's parser where PyYAML has it (about ten times faster). Not config.reading's helper:
# the Rasa environment imports this module (nlu/rasa/griddesk_components.py) and has none of
# GridDesk's config dependencies, so the nlu package reads YAML on its own.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """`yaml.safe_load`, on libyaml where it is there. Raises yaml.YAMLError."""
    return yaml.load(text, Loader=_SafeLoader)


NLU_DIR = Path(__file__).resolve().parent
DATA_DIR = NLU_DIR / "data"
BASE_DOMAIN = NLU_DIR / "domain.yml"
FAQ_LABEL_PREFIX = "faq/"  # a retrieval intent: `faq/<topic>` labels, one `faq` intent
FAQ_RESPONSE = "utter_faq/{topic}"
# Rasa's ResponseSelector needs a response per topic; the bot answers from config/faq.yaml.
FAQ_PLACEHOLDER = "Answered from config/faq.yaml (topic {topic})."
# Rasa entity markup `[text](entity)` -> text
_ENTITY = re.compile(r"\[([^\]]+)\]\([^)]+\)|\[([^\]]+)\]\{[^}]+\}")


class TrainingDataError(Exception):
    pass


@dataclass(frozen=True)
class Example:
    text: str
    label: str


def data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    return sorted(p for p in data_dir.glob("*.yml") if p.is_file())


def load_examples(data_dir: Path = DATA_DIR) -> list[Example]:
    examples: list[Example] = []
    for path in data_files(data_dir):
        try:
            doc = load_yaml(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise TrainingDataError(f"{path.name}: not valid YAML: {exc}") from exc
        for block in doc.get("nlu") or []:
            label = block.get("intent")
            if not label:
                continue  # synonyms, regexes and lookups are not examples
            raw = block.get("examples") or ""
            for line in str(raw).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    text = _ENTITY.sub(lambda m: m.group(1) or m.group(2), line[2:].strip())
                    if text:
                        examples.append(Example(text, str(label)))
    if not examples:
        raise TrainingDataError(f"no training examples under {data_dir}")
    return examples


def data_fingerprint(data_dir: Path = DATA_DIR, extra: str = "") -> str:
    """Changes whenever any training file changes: the cache key for trained models."""
    digest = hashlib.sha256(extra.encode())
    for path in data_files(data_dir):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def rasa_domain(data_dir: Path = DATA_DIR, base: Path = BASE_DOMAIN) -> dict[str, object]:
    """The Rasa domain for the training data: `base` (version, session settings) plus one
    intent per label found in the data (`faq/<topic>` labels are the retrieval intent `faq`)
    and a placeholder response per FAQ topic. So adding a case type or a FAQ topic never
    means editing the domain by hand: its examples are enough.

    Raises:
        TrainingDataError: a data file is not valid YAML, or there are no examples.
    """
    domain: dict[str, object] = dict(load_yaml(base.read_text(encoding="utf-8")) or {})
    labels = sorted({example.label for example in load_examples(data_dir)})
    topics = [label.removeprefix(FAQ_LABEL_PREFIX) for label in labels
              if label.startswith(FAQ_LABEL_PREFIX)]  # fmt: skip
    intents = [label for label in labels if not label.startswith(FAQ_LABEL_PREFIX)]
    domain["intents"] = sorted({*intents, *(["faq"] if topics else [])})
    domain["responses"] = {
        FAQ_RESPONSE.format(topic=topic): [{"text": FAQ_PLACEHOLDER.format(topic=topic)}]
        for topic in topics
    }
    return domain
