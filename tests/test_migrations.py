"""Alembic: empty -> head -> base on the real databases."""

from __future__ import annotations

from storage.db import Database
from storage.migrate import downgrade, table_names, upgrade
from storage.models import Base


async def test_upgrade_to_head_and_back_down(blank_database_url: str) -> None:
    db = Database(blank_database_url)
    try:
        assert await table_names(db) <= {"alembic_version"}
        await upgrade(db)
        tables = await table_names(db)
        assert set(Base.metadata.tables) <= tables
        await upgrade(db)  # idempotent: already at head
        await downgrade(db, "base")
        assert await table_names(db) <= {"alembic_version"}
    finally:
        await db.dispose()


async def test_migrations_match_the_models(blank_database_url: str) -> None:
    """A model change without its migration fails here, not in production."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    db = Database(blank_database_url)
    try:
        await upgrade(db)
        async with db.engine.connect() as conn:
            diff = await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata)
            )
        assert diff == []
    finally:
        await db.dispose()
