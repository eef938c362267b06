"""The fast layer: domain and service rules without Telegram, a database file or the network.

Everything collected under tests/unit/ carries the `unit` mark, so `pytest -m unit` and
`pytest tests/unit` run the same set (README "Tests").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n import Catalog
from config import SHIPPED_CONFIG_DIR, CityConfig, load_config

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.unit)


# Read once per run: the shipped city config and the message catalog are plain files.
@pytest.fixture(scope="session")
def city() -> CityConfig:
    return load_config(SHIPPED_CONFIG_DIR)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.load()
