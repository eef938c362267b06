"""Likely duplicates (并单) by meaning, place and time, on SQLite and PostgreSQL.

The issue's example first: `3栋门口路灯坏了`, then `3号楼门口的路灯不亮了` at the same spot
must be offered as the same case (it scored 0.133 against a 0.15 threshold before), and the
English wording too; a different problem at the same door, the same problem in another
building, a spot 600 m away or an old case are not offered.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from config.loader import SHIPPED_CONFIG_DIR, load_config
from services.cases.duplicates import (
    MIN_SCORE,
    RECENT,
    Sighting,
    duplicate_score,
    likely_duplicates,
    metres_between,
)
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Case
from storage.sync import sync_city

NOW = datetime(2026, 7, 1, 20, 0, tzinfo=UTC)
SPOT = (22.5431, 114.0579)
NORTH_600_M = (SPOT[0] + 600 / 111_195, SPOT[1])
FIRST = "3栋门口路灯坏了"


@pytest.mark.parametrize(
    ("second", "same"),
    [
        ("3号楼门口的路灯不亮了", True),
        ("the street light outside Block 3 is broken", True),
        ("三栋大门口那盏灯灭了 晚上黑乎乎", True),
        ("3栋门口垃圾堆满了没人收", False),  # same door, another problem
        ("5栋门口路灯坏了", False),  # same problem, another building
        ("路灯太亮了 照得睡不着", False),  # same object, another fault
    ],
)
def test_the_same_problem_survives_rewording(second: str, same: bool) -> None:
    score = duplicate_score(Sighting(second, NOW), Sighting(FIRST, NOW - timedelta(hours=2)))
    assert (score >= MIN_SCORE) is same, score


def test_distance_and_age_lower_the_score() -> None:
    old = Sighting("楼道灯不亮", NOW - timedelta(hours=1), *SPOT)
    here = duplicate_score(Sighting("楼道灯坏了", NOW, *SPOT), old)
    far = duplicate_score(Sighting("楼道灯坏了", NOW, *NORTH_600_M), old)
    stale = duplicate_score(
        Sighting("楼道灯坏了", NOW, *SPOT), Sighting("楼道灯不亮", NOW - RECENT, *SPOT)
    )
    assert here >= MIN_SCORE > far
    assert stale < here
    assert 590 < metres_between(*SPOT, *NORTH_600_M) < 610


@pytest.fixture
async def city_db(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    await upgrade(db)
    async with db.transaction() as session:
        await sync_city(session, load_config(SHIPPED_CONFIG_DIR))
    yield db
    await db.dispose()


def _case(
    n: int,
    text: str,
    *,
    hours_ago: float = 1,
    status: str = "assigned",
    case_type: str = "public_facility",
    at: tuple[float, float] | None = None,
) -> Case:
    filed = NOW - timedelta(hours=hours_ago)
    return Case(
        number=f"GD-2026-{n:06d}", case_type=case_type, status=status, priority="normal",
        text=text, language="zh", grid_id="xinji-02", created_at=filed, updated_at=filed,
        accept_due_at=filed + timedelta(hours=2), due_at=filed + timedelta(days=3),
        latitude=at[0] if at else None, longitude=at[1] if at else None,
    )  # fmt: skip


async def test_the_store_offers_the_reworded_case_first(city_db: Database) -> None:
    async with city_db.transaction() as session:
        session.add_all([
            _case(1, FIRST, at=SPOT),
            _case(2, "3栋门口垃圾堆满了没人收", case_type="sanitation"),
            _case(3, "5栋门口路灯坏了"),
            _case(4, "3栋门口路灯坏了", hours_ago=100),  # older than RECENT
            _case(5, "3栋门口路灯坏了", status="closed"),
            _case(6, "3栋门口路灯坏了", at=NORTH_600_M),
        ])  # fmt: skip
    async with city_db.transaction() as session:
        found = await likely_duplicates(
            session, "xinji-02", "3号楼门口的路灯不亮了", NOW,
            latitude=SPOT[0], longitude=SPOT[1],
        )  # fmt: skip
        english = await likely_duplicates(
            session, "xinji-02", "street light at block 3 entrance is out", NOW
        )
    assert [c.number for c in found] == ["GD-2026-000001"]
    assert "GD-2026-000001" in [c.number for c in english]
    assert "GD-2026-000003" not in [c.number for c in english]


async def test_a_case_the_model_typed_otherwise_is_offered_but_never_an_emergency(
    city_db: Database,
) -> None:
    """Two residents' words for one light may be read as two types (from the second newcomer
    trial: "大门口的照明灯" as traffic): the words and place decide, not the type. An urgent
    case is never offered as "a similar problem" to join."""
    async with city_db.transaction() as session:
        session.add_all([
            _case(1, "翠湖苑3栋大门口的照明灯坏了", case_type="traffic_parking"),
            _case(2, "3栋门口路灯坏了 电线还在冒火花", case_type="safety_hazard"),
        ])  # fmt: skip
        urgent = _case(3, "3栋门口的路灯着火了", case_type="safety_hazard")
        urgent.priority = "urgent"
        session.add(urgent)
    async with city_db.transaction() as session:
        found = await likely_duplicates(session, "xinji-02", "翠湖苑3栋门口的路灯不亮了", NOW)
    numbers = [c.number for c in found]
    assert "GD-2026-000001" in numbers and "GD-2026-000003" not in numbers, numbers
    assert next(c for c in found if c.number == "GD-2026-000001").case_type == "traffic_parking"
