"""No test module imports another test module: shared helpers live in tests/support/ (and the
older support modules tests/harness.py, live.py, delivery_helpers.py, privacy_scenes.py,
volunteer_helpers.py), so running or moving one test file never drags in another's tests."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def is_test_module(name: str) -> bool:
    return name.split(".")[-1].startswith("test_")


def imports_of_test_modules(path: Path, root: Path = TESTS.parent) -> list[str]:
    """`file:line module` of every import of a tests.*.test_* module, also inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:  # from .test_x import y / from . import test_x
                names = [node.module, *(a.name for a in node.names if is_test_module(a.name))]
            else:
                names = [node.module]
                names += [f"{node.module}.{a.name}" for a in node.names if node.module == "tests"]
        elif isinstance(node, ast.ImportFrom):  # from . import test_x
            names = [alias.name for alias in node.names]
        else:
            continue
        where = f"{path.relative_to(root)}:{node.lineno}"
        found += [f"{where} {name}" for name in names if is_test_module(name)]
    return found


def test_no_test_module_imports_another() -> None:
    found = [hit for path in sorted(TESTS.rglob("*.py")) for hit in imports_of_test_modules(path)]
    assert found == []


def test_the_walk_sees_every_form(tmp_path: Path) -> None:
    bad = tmp_path / "test_bad.py"
    bad.write_text(
        "from tests.test_report_flow import centre_of\n"
        "import tests.test_case_lifecycle\n"
        "from tests import test_kpi\n"
        "def f():\n    from .test_faq import x\n"
        "from tests.support.cases import enrol\n"
        "from tests.harness import BotHarness\n"
    )
    hits = [hit.split(" ", 1)[1] for hit in imports_of_test_modules(bad, tmp_path)]
    assert hits == [
        "tests.test_report_flow",
        "tests.test_case_lifecycle",
        "tests.test_kpi",
        "test_faq",
    ]
