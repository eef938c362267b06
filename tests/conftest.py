"""Shared fixtures: real SQLite files, a real PostgreSQL, the real Application.

Only the Telegram network edge is faked (devtools.local_api).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.settings import Settings, load_settings
from nlu.embedded import EmbeddedBackend, load_or_train
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


async def create_postgres_database(url: str) -> str:
    """A new empty database per test, so tests never see each other's rows."""
    import asyncpg

    name = f"griddesk_t_{uuid.uuid4().hex[:12]}"
    try:
        conn = await asyncpg.connect(_admin_dsn(url))
    except (OSError, asyncpg.PostgresError) as exc:
        if os.environ.get(REQUIRE_POSTGRES_ENV):
            raise
        pytest.skip(f"PostgreSQL at {POSTGRES_ENV} unreachable: {exc}")
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
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


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Each test runs on a real SQLite file and on a real PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'griddesk.sqlite3'}"
        return
    url = postgres_url_or_skip()
    test_url = await create_postgres_database(url)
    yield test_url
    await drop_postgres_database(url, test_url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'griddesk.sqlite3'}"


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
