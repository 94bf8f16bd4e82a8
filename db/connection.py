"""Opening a database from one URL: ``sqlite:///path`` or ``postgresql://user@host:port/name``.

SQLite files get ``foreign_keys=1``, WAL on a local disk (the rollback journal on a network
path, where WAL is unsafe, or when the caller forces it) and a busy timeout. An existing file
is checked with ``PRAGMA quick_check`` before anything else, so a damaged one is refused
untouched. Every database is migrated to the current schema on opening; an existing SQLite
file is backed up first.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import peewee

from db.backup import backup_folder as backup_folder
from db.backup import backup_path, check_connection, upgrade_reason
from db.backup import backup_sqlite as backup_sqlite
from db.errors import DatabaseOpenError
from db.migrations import check_not_newer, migrate
from db.models import database_proxy

#: How long a writer waits for another one before giving up (seconds).
BUSY_TIMEOUT_SECONDS = 10.0


class DatabaseDamagedError(DatabaseOpenError):
    """The SQLite file is damaged (or not a database at all); it was left untouched.

    Attributes:
        path: the file, for offering to restore one of its backups.
    """

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class DatabaseLocation:
    """Where a database lives, parsed from its URL."""

    url: str
    backend: str  # "sqlite" or "postgresql"
    path: Path | None = None  # SQLite file; None for ":memory:" or a server
    user: str | None = None
    password: str | None = None
    host: str | None = None
    port: int | None = None
    name: str | None = None

    @property
    def display(self) -> str:
        """How to name the database to a person (a file path or user@host:port/name)."""
        if self.backend == "sqlite":
            return str(self.path) if self.path else "in memory"
        who = f"{self.user}@" if self.user else ""
        port = f":{self.port}" if self.port else ""
        return f"{who}{self.host or 'localhost'}{port}/{self.name}"

    @property
    def on_network_path(self) -> bool:
        """A SQLite file on a network share: warn that PostgreSQL is the way to share."""
        return self.path is not None and is_network_path(self.path)


class SqliteFileDatabase(peewee.SqliteDatabase):
    """A SQLite database opened by :func:`open_database`, knowing where it is and how.

    Attributes:
        location: the parsed URL.
        journal: the journal mode in use ("wal", "delete", or "memory").
    """

    location: DatabaseLocation
    journal: str = ""

    @property
    def warn_network_path(self) -> bool:
        """True when the file is on a network path: tell the user PostgreSQL is for sharing."""
        return self.location.on_network_path


_HELP = (
    "Use sqlite:///path/to/file.sqlite3 for a file or "
    "postgresql://user@host:port/name for a server."
)


def sqlite_url(path: Path) -> str:
    """The URL of a SQLite file."""
    return "sqlite:///" + str(path)


def parse_database_url(url: str) -> DatabaseLocation:
    """Parse a database URL.

    Raises:
        DatabaseOpenError: the URL is empty, has an unknown scheme or lacks a part.
    """
    text = url.strip()
    if "://" not in text:
        raise DatabaseOpenError(f"{url!r} is not a database URL. {_HELP}")
    scheme, _, rest = text.partition("://")
    scheme = scheme.lower()
    if scheme == "sqlite":
        if not rest.startswith("/") or rest == "/":
            raise DatabaseOpenError(f"The SQLite URL {url!r} names no file. {_HELP}")
        path_text = rest[1:]
        if path_text == ":memory:":
            return DatabaseLocation(url=text, backend="sqlite")
        return DatabaseLocation(url=text, backend="sqlite", path=Path(path_text).expanduser())
    if scheme in ("postgresql", "postgres"):
        parts = urlsplit(text)
        name = parts.path.lstrip("/")
        if not name:
            raise DatabaseOpenError(
                f"The PostgreSQL URL {url!r} names no database; add /name at the end. {_HELP}"
            )
        try:
            port = parts.port
        except ValueError:
            raise DatabaseOpenError(f"The port in {url!r} is not a number. {_HELP}") from None
        return DatabaseLocation(
            url=text,
            backend="postgresql",
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            host=parts.hostname or "localhost",
            port=port,
            name=unquote(name),
        )
    raise DatabaseOpenError(f"Unknown database type {scheme!r} in {url!r}. {_HELP}")


def is_network_path(path: Path) -> bool:
    """True for a path on a network share, where SQLite's WAL mode is unsafe.

    A UNC path (``\\\\server\\share``) is recognised everywhere; a mapped drive letter is
    checked with the Windows API where it is available.
    """
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if os.name == "nt" and len(text) >= 2 and text[1] == ":":  # pragma: no cover - Windows
        import ctypes

        drive_remote = 4
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        return bool(kernel32.GetDriveTypeW(text[:2] + "\\") == drive_remote)
    return False


def choose_journal_mode(path: Path | None, *, force_rollback_journal: bool = False) -> str:
    """SQLite's journal mode for a file: WAL on a local disk, else the rollback journal.

    WAL needs shared memory between every program using the file, which a network share
    does not give; the rollback journal is safe there (and can be forced by a setting, for
    network drives Windows does not report as such).
    """
    if path is None or force_rollback_journal or is_network_path(path):
        return "delete"
    return "wal"


def _open_sqlite(
    location: DatabaseLocation, create: bool, force_rollback_journal: bool
) -> tuple[SqliteFileDatabase, str]:
    """Connect to a SQLite file and check it; returns it and the journal mode it should use."""
    path = location.path
    existed = path is not None and path.exists()
    if path is not None:
        if not path.exists() and not create:
            raise DatabaseOpenError(
                f"There is no database at {path}. Check the path, or create a new database "
                "with File ▸ New database."
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseOpenError(
                f"Cannot create the folder {path.parent} for the database ({exc.strerror}). "
                "Choose a database in a folder you can write to."
            ) from None
    journal = choose_journal_mode(path, force_rollback_journal=force_rollback_journal)
    database = SqliteFileDatabase(
        str(path) if path else ":memory:",
        timeout=BUSY_TIMEOUT_SECONDS,
        # a transaction takes the write lock when it begins, so a writer waits for another
        # (the busy timeout) instead of failing at once with "database is locked" when a
        # transaction that has read tries to write after another has committed
        lock_type="IMMEDIATE",
        pragmas={
            "foreign_keys": 1,
            "busy_timeout": int(BUSY_TIMEOUT_SECONDS * 1000),
            "synchronous": "normal" if journal == "wal" else "full",
        },
    )
    database.location = location
    try:
        database.connect()
        problems = check_connection(database.connection()) if existed else []
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        database.close()
        raise _sqlite_failure(location, exc) from None
    if problems:
        database.close()
        assert path is not None
        shown = "; ".join(problems[:3]) + ("; …" if len(problems) > 3 else "")
        raise DatabaseDamagedError(
            f"The database {path} is damaged (SQLite's check found: {shown}), so it was not "
            "opened. Restore its newest backup, or open another database.",
            path,
        )
    # the journal mode is set after the schema check (see open_database): switching to WAL
    # writes to the file, and a file we refuse must stay exactly as it was
    return database, journal


def _sqlite_failure(location: DatabaseLocation, exc: Exception) -> DatabaseOpenError:
    reason = str(exc)
    if "not a database" in reason or "malformed" in reason:
        message = (
            f"The database {location.display} is damaged ({reason}), so it was not opened. "
            "Restore its newest backup, or open another database."
            if "malformed" in reason
            else f"The file {location.display} is not an ESI Desktop database or is damaged "
            f"({reason}). Open another file, or restore a backup."
        )
        if location.path is None:
            return DatabaseOpenError(message)
        return DatabaseDamagedError(message, location.path)
    if "unable to open" in reason or "readonly" in reason:
        return DatabaseOpenError(
            f"Cannot open the database {location.display} ({reason}). "
            "Check that the folder exists and that you may write to it."
        )
    return DatabaseOpenError(f"Cannot open the database {location.display} ({reason}).")


def _open_postgresql(location: DatabaseLocation) -> peewee.PostgresqlDatabase:
    password = location.password or os.environ.get("PGPASSWORD")
    database = peewee.PostgresqlDatabase(
        location.name,
        user=location.user,
        password=password,
        host=location.host,
        port=location.port or 5432,
        connect_timeout=10,
    )
    try:
        database.connect()
    except peewee.OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else "no answer"
        raise DatabaseOpenError(
            f"Cannot connect to the PostgreSQL database {location.display} ({first_line}). "
            "Check the server address, the database name and your password."
        ) from None
    return database


def open_database(
    url: str, *, create: bool = True, force_rollback_journal: bool = False
) -> peewee.Database:
    """Open the database at ``url``, bring its schema up to date and bind the models to it.

    Args:
        url: ``sqlite:///path`` or ``postgresql://user@host:port/name``.
        create: make a new SQLite file when there is none (otherwise that is an error).
        force_rollback_journal: use SQLite's rollback journal even where WAL looks safe (a
            setting, for network drives that do not look like one).

    Returns:
        The open peewee database (also bound to every model). A SQLite file is a
        :class:`SqliteFileDatabase`, whose ``warn_network_path`` says whether to warn the
        user that the file is on a network path.

    Raises:
        DatabaseDamagedError: the file is damaged or not a database (``quick_check`` failed).
        DatabaseOpenError: the URL is wrong, the file is missing or too new, or the server
            cannot be reached. Nothing is written in any of these cases.
    """
    location = parse_database_url(url)
    database: peewee.Database
    journal: str | None = None
    if location.backend == "sqlite":
        database, journal = _open_sqlite(location, create, force_rollback_journal)
    else:
        database = _open_postgresql(location)
    try:
        check_not_newer(database, location.display)
        if journal is not None and isinstance(database, SqliteFileDatabase):
            row = database.execute_sql(f"PRAGMA journal_mode={journal}").fetchone()
            database.journal = str(row[0]) if row else journal

        def back_up(version: int) -> None:
            if isinstance(database, peewee.SqliteDatabase) and location.path is not None:
                destination = backup_path(location.path, upgrade_reason(version), datetime.now())
                backup_sqlite(database.connection(), destination)

        migrate(database, location.display, before_migrating=back_up)
    except DatabaseOpenError:
        database.close()
        raise
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        database.close()
        raise _sqlite_failure(location, exc) from None
    except OSError as exc:
        database.close()
        raise DatabaseOpenError(
            f"Cannot back up the database {location.display} before updating it "
            f"({exc.strerror}). Free some disk space or check the folder's permissions."
        ) from None
    database_proxy.initialize(database)
    return database


def close_database() -> None:
    """Close the database the models are bound to, if any."""
    database = database_proxy.obj
    if database is not None and not database.is_closed():
        database.close()
