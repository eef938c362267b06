"""Making deleted personal data unreadable in the database files, not only in the rows.

SQLite: every connection runs with ``PRAGMA secure_delete=ON`` (storage.db), so a deleted or
overwritten row's bytes are zeroed in the page when the change is written; but in WAL mode the
old page images stay in the ``-wal`` file until the log restarts. After an erasure or a purge a
``wal_checkpoint(TRUNCATE)`` copies the zeroed pages into the main file and empties the log.
No VACUUM: it would rewrite the whole file under an exclusive lock for no further gain.

PostgreSQL: an UPDATE or DELETE leaves the old tuple in its page. A plain VACUUM marks it
unused but leaves its bytes in the page's free space (tests/test_privacy_erasure.py saw the
phone there), so GridDesk runs ``VACUUM (FULL)`` on the touched tables: each is rewritten into
a new file and the old file is removed. It takes an exclusive lock per table, held for as long
as the copy takes (milliseconds at a street office's size); a lock timeout keeps it from
stalling the bot (a warning is logged; the table's next compaction takes them). Out of reach:
WAL segments until recycled, and WAL archives or base backups an operator keeps
(docs/security.md).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Session

from storage.db import Database

log = logging.getLogger(__name__)
PG_LOCK_TIMEOUT = "5s"
PG_SNAPSHOT_WAIT_SECONDS = 15.0


async def compact(db: Database, tables: Sequence[str]) -> bool:
    """Flush deleted pages out of the store's files; False when it could not finish now
    (another reader on SQLite, a lock on PostgreSQL): the next erasure or purge retries."""
    async with db.engine.connect() as conn:
        auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
        try:
            if db.is_sqlite:
                # One row: (busy, frames in the log, frames checkpointed).
                row = (await auto.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()
                done = int(row[0]) == 0
            else:
                await _wait_for_older_snapshots(auto)
                # Never stall the bot behind a long lock: past this, the next purge retries.
                await auto.exec_driver_sql(f"SET lock_timeout = '{PG_LOCK_TIMEOUT}'")
                try:
                    for table in tables:
                        await auto.exec_driver_sql(f'VACUUM (FULL) "{table}"')
                finally:
                    await auto.exec_driver_sql("RESET lock_timeout")
                done = True
        except DBAPIError as error:
            log.warning("compaction: could not finish: %s", type(error.orig).__name__)
            return False
    if not done:
        log.warning("compaction: a reader kept the SQLite log busy; retried next time")
    return done


async def _wait_for_older_snapshots(conn: AsyncConnection) -> None:
    """VACUUM (FULL) keeps row versions a running snapshot may still read ("recently dead"),
    so wait until every snapshot and transaction older than now has ended. Any session of
    the server counts, as seen in tests (another database's migration held the erased rows
    back). Bounded: a long report query must not hold an erasure hostage; the daily purge
    compacts again."""
    mark = (await conn.exec_driver_sql("SELECT txid_current() % 4294967296")).scalar_one()
    xid = f"CAST('{int(mark)}' AS xid)"
    older = (
        "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
        f"AND (age(backend_xmin) > age({xid}) OR age(backend_xid) > age({xid}))"
    )
    loop = asyncio.get_running_loop()
    deadline = loop.time() + PG_SNAPSHOT_WAIT_SECONDS
    while (await conn.exec_driver_sql(older)).scalar_one():
        if loop.time() >= deadline:
            log.warning("compaction: an old snapshot is still open; some bytes wait a day")
            return
        await asyncio.sleep(0.2)


_running: set[asyncio.Task[bool]] = set()


def compact_after_commit(session: AsyncSession, db: Database, tables: Sequence[str]) -> None:
    """Compact once `session`'s transaction has committed (before it, the old rows are still
    live, and on SQLite the one connection is still taken); see :func:`settle`."""

    def start(_session: Session) -> None:
        task = asyncio.get_running_loop().create_task(compact(db, tables))
        _running.add(task)
        task.add_done_callback(_running.discard)

    event.listen(session.sync_session, "after_commit", start, once=True)


async def settle() -> None:
    """Wait for compactions started after commits (tests; a clean shutdown)."""
    while _running:
        await asyncio.gather(*list(_running), return_exceptions=True)
