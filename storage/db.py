"""Engine and transactions: one session per update, the caller owns the transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from storage.cleaning import clean_before_flush
from storage.sqlite_driver import one_trip_creator

SQLITE_BUSY_TIMEOUT_MS = 10_000


class StoreSession(Session):
    """GridDesk's sessions: NUL and other control characters never reach either store."""


event.listen(StoreSession, "before_flush", clean_before_flush)


def _tune_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the writer; the busy timeout queues writers
    # from several tasks or processes instead of failing with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted and overwritten content is zeroed in the file, not left in free pages
    # (docs/security.md, "Deleted pages"): an erased phone must not stay readable in it.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    # A failing statement's error (and a debug log) would otherwise carry its parameters:
    # phones, residents' words, coordinates.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        # SQLite has one writer at a time. Several pooled connections would
        # contend through the busy handler, which sleeps in steps of up to
        # 100 ms; one connection queues transactions in asyncio instead.
        kwargs.setdefault("pool_size", 1)
        kwargs.setdefault("max_overflow", 0)
        kwargs.setdefault("pool_timeout", 60)
        # No ROLLBACK on every return to the pool (one more thread hand-off per update):
        # sessions end their transaction themselves, and a Connection closed inside one
        # rolls it back on close.
        kwargs.setdefault("pool_reset_on_return", None)
        if url.startswith("sqlite+aiosqlite"):
            # One trip to aiosqlite's thread per statement instead of four (storage.sqlite_driver).
            kwargs.setdefault("async_creator", one_trip_creator(url))
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _tune_sqlite)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    return create_async_engine(url, **kwargs)


class Database:
    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = create_engine(url, **engine_kwargs)
        self.sessions = async_sessionmaker(
            self.engine, expire_on_commit=False, sync_session_class=StoreSession
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on error."""
        async with self.sessions() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
