"""Opening a database from one URL: ``sqlite:///path`` or ``postgresql://user@host:port/name``.

SQLite files get ``foreign_keys=1``, WAL on a local disk (the rollback journal on a network
path, where WAL is unsafe) and a busy timeout. Every database is migrated to the current
schema on opening; an existing SQLite file is backed up first.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import peewee

from db.errors import DatabaseOpenError
from db.migrations import check_not_newer, migrate
from db.models import database_proxy

#: How long a writer waits for another one before giving up (seconds).
BUSY_TIMEOUT_SECONDS = 10.0


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


def backup_sqlite(source: sqlite3.Connection, destination: Path) -> Path:
    """Copy a live SQLite database with SQLite's online backup API, atomically.

    The copy is written to a temporary file beside ``destination`` and renamed into place,
    so a failure never leaves half a backup.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    target = sqlite3.connect(partial)
    try:
        source.backup(target)
    finally:
        target.close()
    os.replace(partial, destination)
    return destination


def backup_folder(path: Path) -> Path:
    """The folder that holds the automatic backups of a SQLite file."""
    return path.parent / "backups"


def _open_sqlite(location: DatabaseLocation, create: bool) -> tuple[peewee.SqliteDatabase, str]:
    """Connect to a SQLite file; returns the database and the journal mode it should use."""
    path = location.path
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
    journal = "wal" if path is not None and not is_network_path(path) else "delete"
    database = peewee.SqliteDatabase(
        str(path) if path else ":memory:",
        timeout=BUSY_TIMEOUT_SECONDS,
        pragmas={
            "foreign_keys": 1,
            "busy_timeout": int(BUSY_TIMEOUT_SECONDS * 1000),
            "synchronous": "normal" if journal == "wal" else "full",
        },
    )
    try:
        database.connect()
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        database.close()
        raise _sqlite_failure(location, exc) from None
    # the journal mode is set after the schema check (see open_database): switching to WAL
    # writes to the file, and a file we refuse must stay exactly as it was
    return database, journal


def _sqlite_failure(location: DatabaseLocation, exc: Exception) -> DatabaseOpenError:
    reason = str(exc)
    if "not a database" in reason or "malformed" in reason:
        return DatabaseOpenError(
            f"The file {location.display} is not an ESI Desktop database or is damaged "
            f"({reason}). Open another file, or restore a backup."
        )
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


def open_database(url: str, *, create: bool = True) -> peewee.Database:
    """Open the database at ``url``, bring its schema up to date and bind the models to it.

    Args:
        url: ``sqlite:///path`` or ``postgresql://user@host:port/name``.
        create: make a new SQLite file when there is none (otherwise that is an error).

    Returns:
        The open peewee database (also bound to every model).

    Raises:
        DatabaseOpenError: the URL is wrong, the file is missing, damaged or too new, or the
            server cannot be reached. Nothing is written in any of these cases.
    """
    location = parse_database_url(url)
    database: peewee.Database
    journal: str | None = None
    if location.backend == "sqlite":
        database, journal = _open_sqlite(location, create)
    else:
        database = _open_postgresql(location)
    try:
        check_not_newer(database, location.display)
        if journal is not None:
            database.execute_sql(f"PRAGMA journal_mode={journal}")

        def back_up(version: int) -> None:
            if isinstance(database, peewee.SqliteDatabase) and location.path is not None:
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                name = f"{location.path.stem}-{stamp}-schema-v{version}-before-upgrade.sqlite3"
                backup_sqlite(database.connection(), backup_folder(location.path) / name)

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
