"""Opening a database from one URL: ``sqlite:///path`` or ``postgresql://user@host:port/name``.

SQLite files get ``foreign_keys=1``, WAL on a local disk (the rollback journal on a network
path, where WAL is unsafe, or when the caller forces it) and a busy timeout. An existing file
is checked with ``PRAGMA quick_check`` before anything else, so a damaged one is refused
untouched, and so is another program's file (ours carry ``PRAGMA application_id``). Every
database is migrated to the current schema on opening (unless it is opened only to be read);
an existing SQLite file is backed up first. A read-only file or folder, a lock held beyond
the busy timeout or a full disk is one sentence naming the cause (see
:func:`storage_problem`), and nothing is changed.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import peewee

from db.backup import backup_folder as backup_folder
from db.backup import backup_path, check_connection, upgrade_reason
from db.backup import backup_sqlite as backup_sqlite
from db.errors import (
    DatabaseOpenError,
    DatabaseReplacedError,
    DatabaseStorageError,
    ServerUnreachableError,
)
from db.migrations import (
    APPLICATION_ID,
    CURRENT_VERSION,
    check_not_newer,
    mark_as_ours,
    migrate,
)
from db.models import database_proxy
from db.server import DEFAULT_TIMEOUT_SECONDS, LostError, ServerDatabase, open_server
from db.sqlite_file import BUSY_TIMEOUT_SECONDS as BUSY_TIMEOUT_SECONDS
from db.sqlite_file import ReplacedError as ReplacedError
from db.sqlite_file import SqliteFileDatabase as SqliteFileDatabase
from db.sqlite_file import StorageError as StorageError
from db.sqlite_file import read_only_sentence, storage_problem
from db.urls import DatabaseLocation as DatabaseLocation
from db.urls import is_network_path as is_network_path
from db.urls import parse_database_url as parse_database_url
from db.urls import redact_url as redact_url
from db.urls import sqlite_url as sqlite_url
from db.urls import url_without_password as url_without_password


class DatabaseDamagedError(DatabaseOpenError):
    """The SQLite file is damaged (or not a database at all); it was left untouched.

    Attributes:
        path: the file, for offering to restore one of its backups.
    """

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


def choose_journal_mode(path: Path | None, *, force_rollback_journal: bool = False) -> str:
    """SQLite's journal mode for a file: WAL on a local disk, else the rollback journal.

    WAL needs shared memory between every program using the file, which a network share
    does not give; the rollback journal is safe there (and can be forced by a setting, for
    network drives Windows does not report as such).
    """
    if path is None or force_rollback_journal or is_network_path(path):
        return "delete"
    return "wal"


_SQLITE_HEADER = b"SQLite format 3\x00"


def _read_only_uri(path: Path) -> str:
    """A SQLite URI opening ``path`` read-only (``file:///C:/…`` and ``file:////server/…`` too)."""
    text = str(path.resolve()).replace("\\", "/")
    if not text.startswith("/"):
        text = "/" + text  # a drive letter
    return "file://" + quote(text, safe="/:") + "?mode=ro"


def refuse_other_programs_file(path: Path, *, create: bool) -> None:
    """Refuse an existing file that is not an ESI Desktop database, before anything touches it.

    Ours carry :data:`~db.migrations.APPLICATION_ID` in their header; older ones are known by
    their ``esi_schema`` table. The file is read through a read-only connection, so nothing
    (not even the journal mode) changes in a file that is refused. A file that is not SQLite
    at all is left to the quick check, which reports it without changing it.

    Raises:
        DatabaseOpenError: the file belongs to another program, or is empty and ``create``
            is False.
    """
    try:
        with path.open("rb") as file:
            header = file.read(len(_SQLITE_HEADER))
    except OSError:
        return  # SQLite says why it cannot open it
    if not header:
        if create:
            return  # an empty file chosen as a new database
        raise DatabaseOpenError(
            f"The file {path} is empty, so it is not an ESI Desktop database; it was not "
            "changed. Choose an ESI Desktop database, or create one with File ▸ New database."
        )
    if header != _SQLITE_HEADER:
        return
    try:
        reader = sqlite3.connect(_read_only_uri(path), uri=True, timeout=1.0)
        try:
            application_id = int(reader.execute("PRAGMA application_id").fetchone()[0])
            tables = {
                str(row[0])
                for row in reader.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
        finally:
            reader.close()
    except sqlite3.Error:
        return  # damaged or unreadable: the quick check (or SQLite) says so, changing nothing
    if application_id == APPLICATION_ID or (application_id == 0 and "esi_schema" in tables):
        return
    if application_id == 0 and not tables and create:
        return  # a SQLite file holding nothing at all, chosen as a new database
    raise DatabaseOpenError(
        f"{path} is not an ESI Desktop database (it belongs to another program); it was not "
        "changed. Choose an ESI Desktop database or a new file name."
    )


def _open_sqlite(
    location: DatabaseLocation,
    create: bool,
    force_rollback_journal: bool,
    replaced_error: ReplacedError = DatabaseReplacedError,
    storage_error: StorageError = DatabaseStorageError,
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
        if existed:
            refuse_other_programs_file(path, create=create)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseOpenError(
                f"Cannot create the folder {path.parent} for the database ({exc.strerror}). "
                "Choose a database in a folder you can write to."
            ) from None
    journal = choose_journal_mode(path, force_rollback_journal=force_rollback_journal)
    timeout = BUSY_TIMEOUT_SECONDS
    database = SqliteFileDatabase(
        str(path) if path else ":memory:",
        timeout=timeout,
        # a transaction takes the write lock when it begins, so a writer waits for another
        # (the busy timeout) instead of failing at once with "database is locked" when a
        # transaction that has read tries to write after another has committed
        lock_type="IMMEDIATE",
        pragmas={
            "foreign_keys": 1,
            "busy_timeout": int(timeout * 1000),
            "synchronous": "normal" if journal == "wal" else "full",
        },
    )
    database.location = location
    database.replaced_error = replaced_error
    database.storage_error = storage_error
    database.busy_timeout = timeout
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
    found = storage_problem(exc, location.path, BUSY_TIMEOUT_SECONDS)
    if found is not None:
        return DatabaseOpenError(found[1])
    reason = str(exc)
    path = location.path
    # an existing file SQLite cannot open in a read-only folder: it writes its journal there
    read_only_folder = path is not None and not os.access(path.parent, os.W_OK)
    if "unable to open" in reason and path is not None and path.exists() and read_only_folder:
        return DatabaseOpenError(read_only_sentence(path))
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


def _open_postgresql(
    location: DatabaseLocation, timeout: float, lost_error: LostError
) -> ServerDatabase:
    password = location.password or os.environ.get("PGPASSWORD")
    database = open_server(
        location.name or "",
        display=location.display,
        timeout=timeout,
        lost_error=lost_error,
        user=location.user,
        password=password,
        host=location.host,
        port=location.port or 5432,
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
    url: str,
    *,
    create: bool = True,
    force_rollback_journal: bool = False,
    replaced_error: ReplacedError = DatabaseReplacedError,
    storage_error: StorageError = DatabaseStorageError,
    upgrade: bool = True,
    server_timeout: float = DEFAULT_TIMEOUT_SECONDS,
    lost_error: LostError = ServerUnreachableError,
) -> peewee.Database:
    """Open the database at ``url``, bring its schema up to date and bind the models to it.

    An existing SQLite file that is not an ESI Desktop database is refused before anything
    is written to it; every SQLite file this opens for writing is marked as one
    (``PRAGMA application_id``, see :data:`~db.migrations.APPLICATION_ID`).

    Args:
        url: ``sqlite:///path`` or ``postgresql://user@host:port/name``.
        create: make a new SQLite file when there is none (otherwise that is an error).
        force_rollback_journal: use SQLite's rollback journal even where WAL looks safe (a
            setting, for network drives that do not look like one).
        replaced_error: makes the error a SQLite database raises once its file was replaced
            or removed while open (see :class:`SqliteFileDatabase`).
        storage_error: makes the error a SQLite database raises when its file or folder is
            read-only, it is locked beyond the busy timeout or the disk is full.
        upgrade: bring the schema up to date (and set the journal mode). Without it (for
            commands that only read) nothing is created or changed: a missing file or an
            older schema is refused with a sentence saying what to do.
        server_timeout: a PostgreSQL server's statement timeout in seconds (a setting); a
            server that stalls is given up on a few seconds later (see :mod:`db.server`).
        lost_error: makes the error a PostgreSQL database raises when its server does not
            answer (the connection lost, or a statement past the timeout).

    Returns:
        The open peewee database (also bound to every model). A SQLite file is a
        :class:`SqliteFileDatabase`, whose ``warn_network_path`` says whether to warn the
        user that the file is on a network path.

    Raises:
        DatabaseDamagedError: the file is damaged or not a database (``quick_check`` failed).
        DatabaseOpenError: the URL is wrong, the file is missing, too new, (without
            ``upgrade``) too old or another program's, or the server cannot be reached.
            Nothing is written in any of these cases.
        DatabaseStorageError: (made by ``storage_error``) updating the schema met a read-only
            file or folder, a lock or a full disk; nothing was changed.
    """
    location = parse_database_url(url)
    database: peewee.Database
    journal: str | None = None
    if location.backend == "sqlite":
        database, journal = _open_sqlite(
            location,
            create and upgrade,
            force_rollback_journal,
            replaced_error,
            storage_error,
        )
    else:
        database = _open_postgresql(location, server_timeout, lost_error)
    try:
        version = check_not_newer(database, location.display)
        if not upgrade:
            _check_current(version, location.display)
            if isinstance(database, SqliteFileDatabase):
                row = database.execute_sql("PRAGMA journal_mode").fetchone()
                database.journal = str(row[0]) if row else ""
            database_proxy.initialize(database)
            return database
        if journal is not None and isinstance(database, SqliteFileDatabase):
            row = database.execute_sql(f"PRAGMA journal_mode={journal}").fetchone()
            database.journal = str(row[0]) if row else journal

        def back_up(version: int) -> None:
            if isinstance(database, peewee.SqliteDatabase) and location.path is not None:
                destination = backup_path(location.path, upgrade_reason(version), datetime.now())
                backup_sqlite(database.connection(), destination)

        migrate(database, location.display, before_migrating=back_up)
        if isinstance(database, SqliteFileDatabase):
            _mark_as_ours(database)
    except (DatabaseOpenError, DatabaseStorageError):
        database.close()
        raise
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        database.close()
        raise _sqlite_failure(location, exc) from None
    except OSError as exc:
        database.close()
        if exc.errno == errno.ENOSPC and location.path is not None:
            raise DatabaseOpenError(
                f"The disk holding the folder {location.path.parent} is full, so the database "
                "could not be backed up before updating it and nothing was changed; free some "
                "space on it and try again."
            ) from None
        raise DatabaseOpenError(
            f"Cannot back up the database {location.display} before updating it "
            f"({exc.strerror}). Free some disk space or check the folder's permissions."
        ) from None
    database_proxy.initialize(database)
    return database


def _check_current(version: int, where: str) -> None:
    """For a command that only reads: refuse a database whose schema would need updating."""
    if version == 0:
        raise DatabaseOpenError(
            f"The database {where} holds no ESI Desktop data yet; import a report into it "
            "first (`main.py import`), or open it in ESI Desktop."
        )
    if version < CURRENT_VERSION:
        raise DatabaseOpenError(
            f"The database {where} was made by an older version of ESI Desktop and must be "
            "updated before it can be read; open it in ESI Desktop once (it is backed up "
            "first), or run a command that changes it such as `main.py import`, then try again."
        )


def _mark_as_ours(database: SqliteFileDatabase) -> None:
    """Mark the file as an ESI Desktop database, so it is never taken for another's."""
    row = database.execute_sql("PRAGMA application_id").fetchone()
    if row and int(row[0]) == APPLICATION_ID:
        return
    # a read-only file cannot be marked: it is still known as ours by its esi_schema table
    with suppress(DatabaseStorageError):
        mark_as_ours(database)


def close_database() -> None:
    """Close the database the models are bound to, if any."""
    database = database_proxy.obj
    if database is not None and not database.is_closed():
        database.close()
