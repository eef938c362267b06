"""The personal-data map in docs/security.md is complete: every column that can hold text or
numbers, every export column, and every test the document cites exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from sqlalchemy import JSON, Float, Integer, Numeric, String

import entrypoints.app  # noqa: F401  # every module that defines a table, as the running bot has them
from services.admin.export_rows import HEADERS
from storage.models import Base

ROOT = Path(__file__).resolve().parent.parent
SECURITY = ROOT / "docs" / "security.md"
HOLDS_TEXT_OR_NUMBERS = (String, Integer, Float, Numeric, JSON)  # Text is a String
KINDS = {"personal", "link", "no"}
_NAME = re.compile(r"`([a-z_0-9]+)`")


def section(title: str) -> str:
    text = SECURITY.read_text(encoding="utf-8")
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def mapped_columns() -> dict[tuple[str, str], str]:
    """(table, column) -> kind, from the map's table rows."""
    mapped: dict[tuple[str, str], str] = {}
    for line in section("Personal-data map").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        table, kind = cells[0].strip("`"), cells[2]
        assert kind in KINDS, line
        for column in _NAME.findall(cells[1]):
            assert (table, column) not in mapped, f"{table}.{column} is on the map twice"
            mapped[(table, column)] = kind
    return mapped


def test_every_text_or_number_column_is_on_the_map() -> None:
    mapped = mapped_columns()
    in_schema = {
        (table.name, column.name)
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, HOLDS_TEXT_OR_NUMBERS)
    }
    missing = sorted(f"{t}.{c}" for t, c in in_schema - set(mapped))
    assert not missing, f"add these to the personal-data map in docs/security.md: {missing}"
    every_column = {(t.name, c.name) for t in Base.metadata.sorted_tables for c in t.columns}
    stale = sorted(f"{t}.{c}" for t, c in set(mapped) - every_column)
    assert not stale, f"on the map but not in the schema: {stale}"
    personal = [key for key, kind in mapped.items() if kind == "personal"]
    assert len(personal) >= 20  # the figure the closing note reports


def test_every_export_column_is_on_the_map() -> None:
    listed = set(_NAME.findall(section("Personal-data map").split("### Exports")[1]))
    missing = [h for h in HEADERS if h not in listed]
    assert not missing, f"add these export columns to docs/security.md (Exports): {missing}"


def test_every_cited_test_exists() -> None:
    text = SECURITY.read_text(encoding="utf-8")
    for path, name in set(re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", text)):
        source = ROOT / path
        assert source.is_file(), path
        if name:
            tree = ast.parse(source.read_text(encoding="utf-8"))
            defined = {
                n.name for n in ast.walk(tree)
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            }
            assert name in defined, f"{path}::{name} is cited in docs/security.md"
