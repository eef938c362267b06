"""Public functions of the domain and the services say what a caller needs (README "Layout").

An AST walk over domain/ and services/: every public module-level function and class, and every
public method of a public class, has a docstring; and a function whose own body raises a public
exception class by name (`raise NotAllowed(...)`, `raise ValueError(...) from exc`) names that
class in its docstring. What a callee raises and the function lets through cannot be seen this
way; those are written by hand. Not checked: a bare `raise` (it re-raises what came in),
`raise exc` of a variable (the class is unknown), raises inside nested functions (not this
function's), and AssertionError (it marks a line that cannot run, not a caller's contract).
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "services")
NOT_A_CONTRACT = frozenset({"AssertionError"})

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def public_definitions(
    tree: ast.Module,
) -> list[tuple[str, ast.ClassDef | FunctionNode]]:
    """(dotted name, node) of each public module-level function or class and each public
    method or nested class of a public class; names starting with "_" (dunders too) are not."""
    found: list[tuple[str, ast.ClassDef | FunctionNode]] = []

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if not isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if node.name.startswith("_"):
                continue
            found.append((prefix + node.name, node))
            if isinstance(node, ast.ClassDef):
                visit(node.body, f"{prefix}{node.name}.")

    visit(tree.body, "")
    return found


def raised_classes(function: FunctionNode) -> set[str]:
    """Public class names raised by name in the function's own body (not in nested defs)."""
    names: set[str] = set()
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            continue
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(target, ast.Attribute):
                name = target.attr
            elif isinstance(target, ast.Name):
                name = target.id
            else:
                name = ""
            # A class by convention starts with a capital; a lowercase name is a variable.
            if name[:1].isupper() and name not in NOT_A_CONTRACT:
                names.add(name)
        stack.extend(ast.iter_child_nodes(node))
    return names


def problems_of(source: str, where: str) -> list[str]:
    """Every missing docstring and every raised class the docstring does not name."""
    problems: list[str] = []
    for name, node in public_definitions(ast.parse(source)):
        doc = ast.get_docstring(node)
        if not doc:
            problems.append(f"{where}: {name} has no docstring")
        if isinstance(node, ast.ClassDef):
            continue
        for raised in sorted(raised_classes(node)):
            if not doc or not re.search(rf"\b{re.escape(raised)}\b", doc):
                problems.append(
                    f"{where}:{node.lineno}: {name} raises {raised}, docstring says not"
                )
    return problems


def modules() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def test_the_walk_sees_the_packages() -> None:
    paths = modules()
    assert any(p.parts[-2:] == ("domain", "lifecycle.py") for p in paths)
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in paths]
    assert sum(len(public_definitions(tree)) for tree in trees) > 300


def test_every_public_definition_says_what_a_caller_needs() -> None:
    problems: list[str] = []
    for path in modules():
        where = str(path.relative_to(ROOT))
        problems += problems_of(path.read_text(encoding="utf-8"), where)
    assert not problems, "\n".join(problems)


SYNTHETIC = textwrap.dedent(
    '''
    """A module the rule must reject."""


    class Refused(Exception):
        """Refused."""


    def silent(x):
        return x


    def hides_its_raise(x):
        """Doubles x."""
        if x < 0:
            raise Refused("negative")
        return 2 * x


    def names_its_raise(x):
        """Doubles x.

        Raises:
            Refused: x is negative.
        """
        if x < 0:
            raise Refused("negative")
        return 2 * x


    def translates(x):
        """Parses x."""
        try:
            return int(x)
        except ValueError as exc:
            raise Refused("not a number") from exc


    def passes_through(x):
        """Parses x; lets ValueError through."""
        try:
            return int(x)
        except ValueError:
            raise


    def inner_raise_is_not_mine():
        """Makes a checker."""

        def check(x):
            raise Refused(x)

        return check


    class Desk:
        """A desk."""

        def open(self):
            raise PermissionError("closed")

        def _private(self):
            return None
    '''
)


def test_the_rule_fails_on_a_module_that_breaks_it() -> None:
    problems = problems_of(SYNTHETIC, "synthetic.py")
    assert [p.split(": ", 1)[1] for p in problems] == [
        "silent has no docstring",
        "hides_its_raise raises Refused, docstring says not",
        "translates raises Refused, docstring says not",
        "Desk.open has no docstring",
        "Desk.open raises PermissionError, docstring says not",
    ]


def test_a_longer_name_does_not_count_as_the_class() -> None:
    body = 'def f():\n    """Says Refused, not the longer name."""\n    raise Refusedness()\n'
    assert problems_of(body, "m.py") == ["m.py:1: f raises Refusedness, docstring says not"]
