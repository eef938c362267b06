"""`backup`: an online copy of the SQLite store, taken while the bot keeps running.

sqlite3's backup API copies from one read transaction, so with WAL the copy is a
consistent snapshot and the bot's writers are never blocked. It is done in a single
step on purpose: a step-by-step backup restarts whenever another process writes, and
the bot writes every second. The copy is checked before it gets its final name.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import URL, make_url

from services.admin.errors import AdminInputError
from storage.db import SQLITE_BUSY_TIMEOUT_MS

OWNER_ONLY_FILE = 0o600
OWNER_ONLY_DIR = 0o700


class NotSqliteError(AdminInputError):
    """PostgreSQL has its own tool; the message holds the pg_dump command to run."""


class BackupFailedError(Exception):
    """The copy was made but did not pass its check; nothing is left under the final name."""


@dataclass(frozen=True)
class BackupResult:
    """The finished backup: its path, size in bytes, integrity verdict and case count."""

    path: Path
    size_bytes: int
    integrity: str  # "ok", as PRAGMA integrity_check says it
    cases: int | None  # None when the store has no cases table yet


def sqlite_file(database_url: str) -> Path:
    """The database file behind a SQLite URL, or an error saying what to do instead.

    Raises:
        NotSqliteError: not SQLite; the message holds the pg_dump command (an AdminInputError).
        AdminInputError: an in-memory database, or no file at the path.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise NotSqliteError(pg_dump_advice(database_url))
    if not url.database or url.database == ":memory:" or url.database.startswith("file::memory"):
        raise AdminInputError("an in-memory SQLite database has nothing on disk to back up")
    path = Path(url.database)
    if not path.is_file():
        raise AdminInputError(f"no SQLite database at {path}")
    return path


def pg_dump_advice(database_url: str) -> str:
    """The pg_dump and pg_restore commands for a PostgreSQL URL, its password left out."""
    given = make_url(database_url)
    # Rebuilt without the password: this text lands in terminals and shell history.
    url = URL.create(
        "postgresql", given.username, None, given.host, given.port, given.database, given.query
    )
    target = shlex.quote(url.render_as_string(hide_password=False))
    return (
        "backup copies SQLite files only; for PostgreSQL use pg_dump (password from "
        f"PGPASSWORD or ~/.pgpass):\n  pg_dump --format=custom "
        f"--file=griddesk-$(date -u +%Y%m%dT%H%M%SZ).dump {target}\n"
        "restore with: pg_restore --clean --if-exists --dbname=<url> FILE.dump"
    )


def backup_name(out_dir: Path, now: datetime) -> Path:
    """A free name in `out_dir` stamped with `now` (aware UTC), e.g.
    griddesk-20261130T091200Z.sqlite3; "-2", "-3"... when taken."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    path, n = out_dir / f"griddesk-{stamp}.sqlite3", 1
    while path.exists():
        n += 1
        path = out_dir / f"griddesk-{stamp}-{n}.sqlite3"
    return path


def backup_sqlite(source: Path, out_dir: Path, now: datetime) -> BackupResult:
    """Copy `source` into `out_dir` under a UTC timestamp name, verified; `now` is UTC.

    A backup holds every resident's phone and words: the file is readable by its owner only
    (0600) from the moment it exists, and a directory made for it is 0700.

    Raises:
        BackupFailedError: the copy could not be made or failed PRAGMA integrity_check.
        OSError: `out_dir` cannot be made or written.
    """
    _private_directory(out_dir)
    final = backup_name(out_dir, now)
    partial = final.with_name(final.name + ".partial")
    try:
        # Created empty with owner-only rights before SQLite writes a byte into it; SQLite
        # gives its journal the same rights as the file.
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE))
        _copy(source, partial)
        integrity, cases = verify_backup(partial)
        if integrity != "ok":
            raise BackupFailedError(f"the copy failed PRAGMA integrity_check: {integrity}")
        os.chmod(partial, OWNER_ONLY_FILE)  # whatever the umask did
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(final, final.stat().st_size, integrity, cases)


def _private_directory(path: Path) -> None:
    """Make `path` (and missing parents) owner-only; an existing directory is left as the
    admin set it up (e.g. a shared mount), the file inside is private anyway."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for directory in reversed(missing):
        directory.mkdir(mode=OWNER_ONLY_DIR)
        os.chmod(directory, OWNER_ONLY_DIR)  # mkdir's mode is masked by the umask


def _copy(source: Path, target: Path) -> None:
    # mode=rw: a mistyped path must fail, not create an empty database to back up.
    uri = f"file:{quote(str(source.resolve()))}?mode=rw"
    src = sqlite3.connect(uri, uri=True, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    try:
        dest = sqlite3.connect(target)
        try:
            src.backup(dest)  # pages=-1: one step, one snapshot
            # A backup is one self-contained file: no -wal beside it to forget.
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    except sqlite3.DatabaseError as exc:
        raise BackupFailedError(f"could not copy {source}: {exc}") from exc
    finally:
        src.close()
    with target.open("rb+") as stream:
        os.fsync(stream.fileno())


def verify_backup(path: Path) -> tuple[str, int | None]:
    """Open the copy read-only: PRAGMA integrity_check, and how many cases it holds."""
    conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    try:
        integrity = "; ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
        try:
            cases: int | None = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        except sqlite3.OperationalError:
            cases = None
        return integrity, cases
    except sqlite3.DatabaseError as exc:
        return f"cannot be read: {exc}", None
    finally:
        conn.close()
