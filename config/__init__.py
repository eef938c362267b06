"""A city's governance setup: case types, communities and grids, service stations, FAQ.

`load_config(dir)` reads and checks the files; the rest of GridDesk reads `CityConfig`.
"""

from config.loader import SHIPPED_CONFIG_DIR, load_config
from config.reading import ConfigError
from config.schema import (
    FAQ_TOPIC_IDS,
    FIXED_CASE_TYPE_IDS,
    CaseType,
    CityConfig,
    Community,
    Department,
    FaqTopic,
    Grid,
    Localized,
    OpeningRange,
    Priority,
    ServiceStation,
)

__all__ = [
    "FAQ_TOPIC_IDS",
    "FIXED_CASE_TYPE_IDS",
    "SHIPPED_CONFIG_DIR",
    "CaseType",
    "CityConfig",
    "Community",
    "ConfigError",
    "Department",
    "FaqTopic",
    "Grid",
    "Localized",
    "OpeningRange",
    "Priority",
    "ServiceStation",
    "load_config",
]
