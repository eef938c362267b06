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


# Services say what happened (bot.notices: Notice, Say, press) and the renderer words it; a
# service that still words a message itself is listed here until it is converted. The list
# only shrinks: a listed module that no longer does so fails the test until it is taken off.
# (An entry ending in "/" would stand for a whole package.) Not seen by this check:
# services/notify.py's `case_values`, names in a language for handlers/desk.py and mycases.py.
STILL_WORDING: tuple[str, ...] = ()
PRESENTATION_CALLS = frozenset({"say_moment", "say_due"})


def wording_in(path: Path) -> list[str]:
    """Where a module words messages itself: `.t(` on anything (a catalog), an import of the
    callback-data codec, or a call of `say_moment`/`say_due`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if isinstance(func, ast.Attribute) and name == "t":
                found.append((node.lineno, "calls .t("))
            elif name in PRESENTATION_CALLS:
                found.append((node.lineno, f"calls {name}"))
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, f"imports {alias.name}")
                for alias in node.names
                if alias.name == "bot.callback_data" or alias.name.startswith("bot.callback_data.")
            ]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            module, names = node.module, {alias.name for alias in node.names}
            if module == "bot.callback_data" or (module == "bot" and "callback_data" in names):
                found.append((node.lineno, "imports bot.callback_data"))
            found += [(node.lineno, f"imports {n}") for n in sorted(names & PRESENTATION_CALLS)]
    return [f"{line}: {what}" for line, what in sorted(found)]


def services_wording() -> dict[str, list[str]]:
    """services/ module (relative path) -> where it words messages itself."""
    found = {}
    for path in modules_of("services"):
        if where := wording_in(path):
            found[path.relative_to(ROOT).as_posix()] = where
    return found


def listed(module: str, entry: str) -> bool:
    """`entry` names the module, or (ending in "/") a package holding it."""
    return module == entry or (entry.endswith("/") and module.startswith(entry))


def test_services_leave_the_wording_to_the_renderer() -> None:
    wording = services_wording()
    unlisted = {
        module: where
        for module, where in wording.items()
        if not any(listed(module, entry) for entry in STILL_WORDING)
    }
    assert unlisted == {}
    converted = [e for e in STILL_WORDING if not any(listed(m, e) for m in wording)]
    assert converted == [], "converted: take these off STILL_WORDING"


def test_the_wording_check_sees_catalog_calls_and_the_codec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = tmp_path / "services"
    (services / "volunteers").mkdir(parents=True)
    (services / "words.py").write_text(
        "from bot.callback_data import button_data\n"
        "from bot.due_text import say_due\n"
        "def f(catalog, render):\n"
        "    render.say('zh', 'fine')\n"
        "    return catalog.t('zh', 'key'), say_due()\n"
    )
    (services / "codec.py").write_text("import bot.callback_data\nfrom bot import callback_data\n")
    (services / "clean.py").write_text("from bot.notices import Notice, Say\n")
    (services / "volunteers" / "texts.py").write_text("def f(c):\n    return c.t('en', 'k')\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert services_wording() == {
        "services/codec.py": ["1: imports bot.callback_data", "2: imports bot.callback_data"],
        "services/volunteers/texts.py": ["2: calls .t("],
        "services/words.py": [
            "1: imports bot.callback_data",
            "2: imports say_due",
            "5: calls .t(",
            "5: calls say_due",
        ],
    }
    assert listed("services/volunteers/texts.py", "services/volunteers/")
    assert not listed("services/volunteers_texts.py", "services/volunteers/")
    assert not listed("services/volunteers/texts.py", "services/volunteers/desk.py")
