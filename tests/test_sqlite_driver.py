"""storage.sqlite_driver: one trip to aiosqlite's thread per statement, same results.

On a real SQLite file through storage.db.Database, as the bot uses it: small and large
results (a large one keeps its cursor and streams), executemany, RETURNING, the errors
SQLAlchemy maps, the connection's pragmas, the number of trips, and writes held back
(LATER) for the next trip.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage.db import Database
from storage.sqlite_driver import FIRST_ROWS, LATER, OneTripConnection


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path}/driver.sqlite3")
    async with database.transaction() as session:
        await session.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)"))
    yield database
    await database.dispose()


async def fill(db: Database, rows: int) -> None:
    if not rows:
        return
    async with db.transaction() as session:
        await session.execute(
            text("INSERT INTO t (v) VALUES (:v)"), [{"v": f"v{n}"} for n in range(rows)]
        )


@pytest.mark.parametrize("rows", [0, 1, FIRST_ROWS - 1, FIRST_ROWS, FIRST_ROWS + 1, 1000])
async def test_every_row_comes_back(db: Database, rows: int) -> None:
    await fill(db, rows)
    async with db.transaction() as session:
        got = (await session.execute(text("SELECT v FROM t ORDER BY id"))).scalars().all()
        first = (await session.execute(text("SELECT v FROM t ORDER BY id"))).scalars().first()
    assert got == [f"v{n}" for n in range(rows)]
    assert first == ("v0" if rows else None)


async def test_a_streamed_result_is_read_in_batches(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big result is not read whole: later batches take further trips to the thread."""
    await fill(db, 1000)
    trips = count_trips(monkeypatch)
    async with db.transaction() as session:
        stream = await session.stream(text("SELECT v FROM t ORDER BY id"))
        batches = [[row[0] for row in batch] async for batch in stream.partitions(100)]
    assert [len(batch) for batch in batches] == [100] * 10
    assert batches[-1][-1] == "v999"
    assert trips["_rest"] >= 3  # 256 rows came with the statement, the rest in batches


async def test_writes_report_their_rows(db: Database) -> None:
    await fill(db, 3)
    async with db.transaction() as session:
        updated = await session.execute(text("UPDATE t SET v = v || '!' WHERE id > 1"))
        returned = await session.execute(text("INSERT INTO t (v) VALUES ('new') RETURNING id, v"))
        assert getattr(updated, "rowcount", None) == 2
        assert returned.one() == (4, "new")


async def test_a_failing_statement_is_sqlalchemys_error_and_nothing_is_kept(
    db: Database,
) -> None:
    await fill(db, 1)
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO t (v) VALUES ('kept?')"))
            await session.execute(text("INSERT INTO t (v) VALUES ('v0')"))
    async with db.transaction() as session:
        assert (await session.execute(text("SELECT count(*) FROM t"))).scalar() == 1


async def test_the_connection_keeps_its_pragmas(db: Database) -> None:
    async with db.transaction() as session:
        mode = (await session.execute(text("PRAGMA journal_mode"))).scalar()
        secure = (await session.execute(text("PRAGMA secure_delete"))).scalar()
    assert (mode, secure) == ("wal", 1)


def count_trips(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    trips: Counter[str] = Counter()
    run = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, function: Any, *args: Any) -> Any:
        trips[getattr(function, "__name__", "?")] += 1
        return await run(self, function, *args)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(OneTripConnection, "_execute", counted)
    return trips


async def test_one_trip_per_statement(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    trips = count_trips(monkeypatch)
    async with db.transaction() as session:
        await session.execute(text("SELECT 1"))
        await session.execute(text("INSERT INTO t (v) VALUES ('x')"))
    assert trips == Counter({"_start": 2, "_commit": 1})


LATER_INSERT = f"INSERT {LATER} INTO t (v) VALUES (:v)"


async def test_a_later_write_goes_with_the_next_trip(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Held back, it is still seen by the next statement, in order, and committed."""
    trips = count_trips(monkeypatch)
    async with db.transaction() as session:
        await session.execute(text(LATER_INSERT), {"v": "a"})
        await session.execute(text(LATER_INSERT), [{"v": "b"}, {"v": "c"}])
        seen = (await session.execute(text("SELECT v FROM t ORDER BY id"))).scalars().all()
        await session.execute(text(LATER_INSERT), {"v": "d"})
    assert seen == ["a", "b", "c"]
    assert trips == Counter({"_start": 1, "_commit": 1})
    async with db.transaction() as session:
        kept = (await session.execute(text("SELECT v FROM t ORDER BY id"))).scalars().all()
    assert kept == ["a", "b", "c", "d"]


async def test_a_rollback_drops_a_later_write(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            await session.execute(text(LATER_INSERT), {"v": "dropped"})
            raise RuntimeError
    async with db.transaction() as session:
        await session.execute(text(LATER_INSERT), {"v": "next"})
    async with db.transaction() as session:
        kept = (await session.execute(text("SELECT v FROM t"))).scalars().all()
    assert kept == ["next"]


async def test_a_failing_later_write_fails_the_commit_and_nothing_is_kept(db: Database) -> None:
    await fill(db, 1)
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            await session.execute(text("INSERT INTO t (v) VALUES ('kept?')"))
            await session.execute(text(LATER_INSERT), {"v": "v0"})
    async with db.transaction() as session:
        assert (await session.execute(text("SELECT v FROM t"))).scalars().all() == ["v0"]
