"""Shared fixtures: real SQLite files, a real PostgreSQL, the real Application.

Only the Telegram network edge is faked (devtools.local_api).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from bot.settings import Settings, load_settings
from nlu.embedded import EmbeddedBackend, load_or_train
from storage.db import Database
from storage.migrate import upgrade
from tests.harness import BotHarness

POSTGRES_ENV = "GRIDDESK_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "GRIDDESK_REQUIRE_POSTGRES"


@pytest.fixture(scope="session")
def nlu_cache_dir() -> Path:
    return Path(os.environ.get("GRIDDESK_CACHE_DIR", Path.home() / ".cache" / "griddesk")) / "nlu"


@pytest.fixture(scope="session")
def embedded_nlu(nlu_cache_dir: Path) -> EmbeddedBackend:
    """Trained once per test session (or taken from the cache)."""
    return EmbeddedBackend(load_or_train(nlu_cache_dir))


def postgres_url_or_skip() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get(REQUIRE_POSTGRES_ENV):
            pytest.fail(f"{REQUIRE_POSTGRES_ENV} is set but {POSTGRES_ENV} is not")
        pytest.skip(f"no PostgreSQL: set {POSTGRES_ENV}=postgresql+asyncpg://user@host/db to run")
    return url


def _admin_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def create_postgres_database(url: str, template: str | None = None) -> str:
    """A new database per test, so tests never see each other's rows: empty, or a copy of
    `template` (a database already migrated to head)."""
    import asyncpg

    name = f"griddesk_t_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    try:
        conn = await asyncpg.connect(_admin_dsn(url))
    except (OSError, asyncpg.PostgresError) as exc:
        if os.environ.get(REQUIRE_POSTGRES_ENV):
            raise
        pytest.skip(f"PostgreSQL at {POSTGRES_ENV} unreachable: {exc}")
    try:
        await conn.execute(f'CREATE DATABASE "{name}"{copy}')
    finally:
        await conn.close()
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


async def drop_postgres_database(url: str, test_url: str) -> None:
    import asyncpg

    name = test_url.rpartition("/")[2]
    conn = await asyncpg.connect(_admin_dsn(url))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def _run_apart(work: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run a coroutine to the end on its own loop in a thread (session fixtures are set up
    while a test's loop may be running)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, work()).result()


async def _migrate(url: str) -> None:
    db = Database(url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per worker: each test starts from a copy, since
    running every migration took about 0.4 s of each bot test."""
    path = tmp_path_factory.mktemp("template") / "griddesk.sqlite3"
    _run_apart(lambda: _migrate(f"sqlite+aiosqlite:///{path}"))
    with sqlite3.connect(path) as conn:  # everything in the main file, so one file copies
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def _sqlite_copy(template: Path, tmp_path: Path) -> str:
    target = tmp_path / "griddesk.sqlite3"
    shutil.copyfile(template, target)
    return f"sqlite+aiosqlite:///{target}"


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated to head once per worker, copied by each test
    (CREATE DATABASE … TEMPLATE)."""
    url = postgres_url_or_skip()
    holder: list[str] = []

    async def make() -> None:
        holder.append(await create_postgres_database(url))
        await _migrate(holder[0])

    _run_apart(make)
    template_url = holder[0]
    yield template_url.rpartition("/")[2]
    _run_apart(lambda: drop_postgres_database(url, template_url))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> AsyncIterator[str]:
    """Each test runs on a real SQLite file and on a real PostgreSQL database, both already
    migrated to head (the bot's own upgrade at start then finds nothing to do)."""
    if request.param == "sqlite":
        yield _sqlite_copy(sqlite_template, tmp_path)
        return
    url = postgres_url_or_skip()
    template = request.getfixturevalue("postgres_template")
    test_url = await create_postgres_database(url, template)
    yield test_url
    await drop_postgres_database(url, test_url)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def blank_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database on both stores, for the migrations' own tests."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'griddesk.sqlite3'}"
        return
    url = postgres_url_or_skip()
    test_url = await create_postgres_database(url)
    yield test_url
    await drop_postgres_database(url, test_url)


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A real SQLite file, already migrated to head."""
    return _sqlite_copy(sqlite_template, tmp_path)


def make_settings(database_url: str, tmp_path: Path, **overrides: object) -> Settings:
    # Tests drive one user fast; the flood limit has its own test that sets it.
    overrides.setdefault("rate_limit_per_minute", 10_000)
    return load_settings(database_url=database_url, cache_dir=tmp_path / "cache", **overrides)


@pytest.fixture
async def bot(
    database_url: str, tmp_path: Path, embedded_nlu: EmbeddedBackend
) -> AsyncIterator[BotHarness]:
    settings = make_settings(database_url, tmp_path)
    async with BotHarness.start(settings, nlu=embedded_nlu) as harness:
        yield harness


@pytest.fixture
def anyio_backend() -> Iterator[str]:
    yield "asyncio"
