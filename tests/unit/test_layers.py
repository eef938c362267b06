"""The layers import only downward (README "Layout"): an AST walk over every module.

Every import counts, also those inside functions and under TYPE_CHECKING, because an upward
import hidden in a function is still a loop waiting to happen.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Lowest first; a package may import itself and what is listed for it.
LAYERS: dict[str, frozenset[str]] = {
    "domain": frozenset(),
    "config": frozenset({"domain"}),
    "storage": frozenset({"domain", "config"}),
    "nlu": frozenset({"domain", "config"}),
    "bot": frozenset({"domain", "config", "storage", "nlu"}),
    "services": frozenset({"domain", "config", "storage", "nlu", "bot"}),
    "handlers": frozenset({"domain", "config", "storage", "nlu", "bot", "services"}),
    # Dev and test support (the Bot API stand-in, the console's people and views).
    "devtools": frozenset({"domain", "config", "storage", "nlu", "bot", "services", "handlers"}),
    # The composition root and every way in: CLI, polling, webhook, the local console.
    "entrypoints": frozenset(
        {"domain", "config", "storage", "nlu", "bot", "services", "handlers", "devtools"}
    ),
}
# Third-party packages a layer must not know: the domain is plain Python, services speak to
# people through the outbox and never through Telegram objects.
FORBIDDEN_THIRD_PARTY: dict[str, frozenset[str]] = {
    "services": frozenset({"telegram"}),
    "storage": frozenset({"telegram"}),
    "config": frozenset({"telegram", "sqlalchemy"}),
    "nlu": frozenset({"telegram", "sqlalchemy"}),
}


def imported_roots(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def modules_of(package: str) -> list[Path]:
    return sorted(
        p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.relative_to(ROOT).parts
    )


def layer_violations() -> list[str]:
    problems = []
    for package, allowed in LAYERS.items():
        forbidden = FORBIDDEN_THIRD_PARTY.get(package, frozenset())
        for path in modules_of(package):
            for line, root in imported_roots(path):
                where = f"{path.relative_to(ROOT)}:{line}"
                if root in LAYERS and root != package and root not in allowed:
                    problems.append(f"{where} imports {root} (a higher layer)")
                if root in forbidden:
                    problems.append(f"{where} imports {root}")
                third_party = root not in LAYERS and root not in sys.stdlib_module_names
                if package == "domain" and third_party:
                    problems.append(f"{where}: the domain imports third-party {root}")
    return problems


def test_every_import_goes_down_the_layers() -> None:
    assert layer_violations() == []


def test_the_walk_sees_an_upward_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The check itself can fail: a storage module importing the handlers is reported.
    fake = tmp_path / "storage"
    fake.mkdir()
    (fake / "bad.py").write_text("def f():\n    from handlers.report import take\n")
    (tmp_path / "domain").mkdir()
    (tmp_path / "domain" / "bad.py").write_text("import yaml\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert layer_violations() == [
        "domain/bad.py:1: the domain imports third-party yaml",
        "storage/bad.py:2 imports handlers (a higher layer)",
    ]


def test_no_module_is_over_400_lines() -> None:
    long = [
        f"{path.relative_to(ROOT)}: {n} lines"
        for package in LAYERS
        for path in modules_of(package)
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400
    ]
    assert long == []
