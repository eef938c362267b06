"""Opening the store for one admin command, without changing its schema.

Admin commands may run beside a bot of an older version, so they never migrate on
their own: a store that is not at this version's head is refused with the command
that fixes it (`griddesk db upgrade`), rather than altered under a running bot.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, make_url

from bot.settings import Settings
from config.loader import ConfigError, load_config
from config.schema import CityConfig
from services.admin.errors import AdminInputError
from storage.db import Database
from storage.migrate import MIGRATIONS_DIR


def load_city(settings: Settings) -> CityConfig:
    """The city config from `settings.config_dir`.

    Raises:
        AdminInputError: the config does not load (the ConfigError's message after "config:").
    """
    try:
        return load_config(settings.config_dir)
    except ConfigError as exc:
        raise AdminInputError(f"config: {exc}") from exc


def _current_heads(connection: Connection) -> set[str]:
    return set(MigrationContext.configure(connection).get_current_heads())


async def schema_problem(db: Database) -> str | None:
    """Why this store cannot be read by this version, or None when it is at head."""
    async with db.engine.connect() as conn:
        current = await conn.run_sync(_current_heads)
    wanted = set(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())
    if current == wanted:
        return None
    found = ", ".join(sorted(current)) or "no schema (an empty database)"
    return (
        f"the database is at {found}, this version needs {', '.join(sorted(wanted))}: "
        "run `griddesk db upgrade` first"
    )


def _check_sqlite_file(database_url: str) -> None:
    """Connecting would create a missing SQLite file: a typo must not look like no data."""
    url = make_url(database_url)
    on_disk = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if on_disk and not Path(str(url.database)).is_file():
        raise AdminInputError(f"no SQLite database at {url.database} (check GRIDDESK_DATABASE_URL)")


@asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[Database]:
    """The store, for one `async with`, disposed afterwards; never migrated here.

    Raises:
        AdminInputError: a SQLite file that does not exist, or a schema not at this
            version's head (the message says to run `griddesk db upgrade`).
    """
    _check_sqlite_file(settings.database_url)
    db = Database(settings.database_url)
    try:
        problem = await schema_problem(db)
        if problem:
            raise AdminInputError(problem)
        yield db
    finally:
        await db.dispose()
