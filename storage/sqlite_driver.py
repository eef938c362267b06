"""aiosqlite with one thread hand-off per statement instead of four.

aiosqlite runs every sqlite3 call on its own thread, and SQLAlchemy's adapter makes four
calls per statement (open a cursor, execute, fetch, close): four trips to the thread and
back through the event loop, which cost more than the statement itself on a local file.
Here a statement is executed and its first rows fetched in one trip; the sqlite3 cursor is
closed in the same trip unless more rows remain (a streamed export), which later fetches
read in further trips. Everything still runs on aiosqlite's thread, so a slow disk or
another process's write lock never blocks the event loop.

A write whose SQL carries LATER (a conversation row saved or cleared: nobody reads its
result) takes no trip of its own: it runs on the thread first thing in the connection's
next trip, a statement or the COMMIT, in the order it was executed; a ROLLBACK drops it. Its
error, if any, is raised by that next statement or the commit, which the transaction does
not survive either way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import make_url

# Rows fetched with the statement; a bigger result keeps its cursor for later fetches.
FIRST_ROWS = 256
Row = Any
Description = Any
# In a write's SQL (as a comment, which both stores ignore): run it with the next trip.
LATER = "/* with the next statement */"
Deferred = list[tuple[str, Any, bool]]


def _run_deferred(connection: sqlite3.Connection, deferred: Deferred) -> None:
    """On aiosqlite's thread: the writes held back for this trip, in order."""
    if not deferred:
        return
    cursor = connection.cursor()
    try:
        for sql, parameters, many in deferred:
            if many:
                cursor.executemany(sql, parameters)
            else:
                cursor.execute(sql, () if parameters is None else parameters)
    finally:
        cursor.close()


def _commit(connection: sqlite3.Connection, deferred: Deferred) -> None:
    """On aiosqlite's thread: the held-back writes, then COMMIT (one trip). A failing write
    rolls the transaction back here: SQLAlchemy does not roll back after a failed commit,
    and the pool does not on return, so the next transaction would commit this one's rest."""
    try:
        _run_deferred(connection, deferred)
    except BaseException:
        connection.rollback()
        raise
    connection.commit()


def _start(
    connection: sqlite3.Connection, sql: str, parameters: Any, many: bool, deferred: Deferred
) -> tuple[list[Row], Description, int, int | None, sqlite3.Cursor | None]:
    """On aiosqlite's thread: the held-back writes; then execute, fetch the first rows, close
    the cursor when done."""
    _run_deferred(connection, deferred)
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, () if parameters is None else parameters)
        rows = cursor.fetchmany(FIRST_ROWS) if cursor.description else []
        facts = (rows, cursor.description, cursor.rowcount, cursor.lastrowid)
        if len(rows) == FIRST_ROWS:
            return (*facts, cursor)
    except BaseException:
        cursor.close()
        raise
    cursor.close()
    return (*facts, None)


def _rest(cursor: sqlite3.Cursor, size: int | None) -> list[Row]:
    """On aiosqlite's thread: more rows (all when `size` is None); closes the cursor at the end."""
    rows = cursor.fetchall() if size is None else cursor.fetchmany(size)
    if size is None or len(rows) < size:
        cursor.close()
    return rows


class OneTripCursor:
    """The part of aiosqlite's cursor that SQLAlchemy's adapter uses."""

    arraysize = 1

    def __init__(self, connection: OneTripConnection) -> None:
        self._connection = connection
        self._rows: list[Row] = []
        self._open: sqlite3.Cursor | None = None  # more rows wait in it
        self.description: Description = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    async def __aenter__(self) -> OneTripCursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def _run(self, sql: str, parameters: Any, many: bool) -> OneTripCursor:
        await self.close()
        connection = self._connection
        if LATER in sql:  # no result wanted: it goes with the next trip
            connection.deferred.append((sql, parameters, many))
            self.description, self.rowcount, self.lastrowid = None, -1, None
            return self
        deferred, connection.deferred = connection.deferred, []
        conn = connection._conn  # aiosqlite's sqlite3 connection
        started = await connection.on_thread(_start, conn, sql, parameters, many, deferred)
        self._rows, self.description, self.rowcount, self.lastrowid, self._open = started
        return self

    async def execute(self, sql: str, parameters: Any = None) -> OneTripCursor:
        return await self._run(sql, parameters, many=False)

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> OneTripCursor:
        return await self._run(sql, parameters, many=True)

    async def _more(self, size: int | None) -> None:
        if self._open is not None:
            cursor, wanted = self._open, None if size is None else size - len(self._rows)
            self._rows += await self._connection.on_thread(_rest, cursor, wanted)
            if wanted is None or len(self._rows) < (size or 0):
                self._open = None

    async def fetchall(self) -> list[Row]:
        await self._more(None)
        rows, self._rows = self._rows, []
        return rows

    async def fetchmany(self, size: int | None = None) -> Sequence[Row]:
        size = size or self.arraysize
        if len(self._rows) < size:
            await self._more(size)
        rows, self._rows = self._rows[:size], self._rows[size:]
        return rows

    async def fetchone(self) -> Row | None:
        rows = await self.fetchmany(1)
        return rows[0] if rows else None

    async def close(self) -> None:
        self._rows = []
        if self._open is not None:
            cursor, self._open = self._open, None
            await self._connection.on_thread(cursor.close)


class OneTripConnection(aiosqlite.Connection):
    """aiosqlite's connection whose cursors take one trip per statement."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deferred: Deferred = []  # LATER writes waiting for the next trip

    def cursor(self) -> OneTripCursor:  # type: ignore[override]
        return OneTripCursor(self)

    async def commit(self) -> None:
        deferred, self.deferred = self.deferred, []
        await self.on_thread(_commit, self._conn, deferred)

    async def rollback(self) -> None:
        self.deferred = []
        await super().rollback()

    async def close(self) -> None:
        self.deferred = []  # never written: closing rolls the transaction back
        await super().close()

    async def on_thread(self, function: Any, *args: Any) -> Any:
        """Run `function(*args)` on the connection's thread (aiosqlite's queue)."""
        return await self._execute(function, *args)  # type: ignore[no-untyped-call]


def one_trip_creator(url: str) -> Any:
    """`async_creator` for create_async_engine: the same file and options as aiosqlite."""
    args, kwargs = SQLiteDialect_aiosqlite().create_connect_args(make_url(url))
    database, options = str(args[0]), dict(kwargs)

    async def connect() -> OneTripConnection:
        connection = OneTripConnection(lambda: sqlite3.connect(database, **options), 64)
        connection._thread.daemon = True  # as SQLAlchemy does for aiosqlite
        await connection  # opens the file on aiosqlite's thread
        return connection

    return connect
