"""Read Rasa 3.x NLU YAML (the one source both backends train from)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

NLU_DIR = Path(__file__).resolve().parent
DATA_DIR = NLU_DIR / "data"
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
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
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
