"""The Rasa environment runs GridDesk's intent component (nlu/rasa/griddesk_components.py) with
Rasa's own packages only: everything it imports, transitively, must stay in nlu/ and domain/
(a config import once pulled in shapely and the server could not load its model)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMPONENT = ROOT / "nlu" / "rasa" / "griddesk_components.py"
GRIDDESK = {"domain", "config", "storage", "nlu", "bot", "services", "handlers", "entrypoints"}


def griddesk_imports(path: Path) -> set[str]:
    """Dotted GridDesk modules `path` imports (at any depth of the file)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found |= {n for n in names if n.split(".")[0] in GRIDDESK}
    return found


def module_file(module: str) -> Path:
    base = ROOT.joinpath(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def reached_from(path: Path) -> set[str]:
    seen: set[str] = set()
    todo = list(griddesk_imports(path))
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        parts = module.split(".")
        # `import a.b.c` runs a/__init__.py and a/b/__init__.py too
        for depth in range(1, len(parts) + 1):
            file = module_file(".".join(parts[:depth]))
            if file.exists():
                todo += [m for m in griddesk_imports(file) if m not in seen]
                seen.add(".".join(parts[:depth]))
    return seen


def test_the_rasa_component_imports_only_nlu_and_domain() -> None:
    outside = sorted(m for m in reached_from(COMPONENT) if m.split(".")[0] not in {"nlu", "domain"})
    assert outside == []


def test_the_walk_follows_imports_through_packages(tmp_path: Path) -> None:
    assert "config.reading" not in reached_from(COMPONENT)
    probe = tmp_path / "probe.py"
    probe.write_text("from nlu.training_data import load_yaml\nimport config.reading\n")
    reached = reached_from(probe)
    assert {"nlu.training_data", "config.reading", "config", "config.loader"} <= reached
