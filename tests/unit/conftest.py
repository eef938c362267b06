"""The fast layer: domain and service rules without Telegram, a database file or the network.

Everything collected under tests/unit/ carries the `unit` mark, so `pytest -m unit` and
`pytest tests/unit` run the same set (README "Tests").
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.unit)
