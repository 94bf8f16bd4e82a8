"""Which database the application uses, and opening it with errors a user can act on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import peewee
from platformdirs import user_data_path

from db.connection import (
    DatabaseDamagedError,
    SqliteFileDatabase,
    close_database,
    open_database,
    parse_database_url,
    sqlite_url,
)
from db.errors import DatabaseOpenError
from esi_desktop import backups, credentials
from esi_desktop.errors import EsiError

APP_NAME = "ESI Desktop"
APP_AUTHOR = "ESI Desktop"


class DatabaseUnavailable(EsiError):
    """The database could not be opened, created or updated."""


class DatabaseDamaged(DatabaseUnavailable):
    """The SQLite file is damaged (its ``quick_check`` failed) and was left untouched.

    Attributes:
        path: the file, for offering to restore its newest backup.
    """

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class OpenedDatabase:
    """What the window should know about the database :func:`connect` opened last."""

    url: str
    path: Path | None  # the SQLite file; None for a server or an in-memory database
    journal: str | None  # SQLite's journal mode: "wal", or "delete" on a network path
    on_network_path: bool  # warn: PostgreSQL is the right choice for sharing
    backup: backups.Backup | None  # the automatic backup made on opening, if one was due
    backup_problem: str  # why that backup could not be made ("" when all is well)


_opened: OpenedDatabase | None = None


def default_database_path() -> Path:
    """The SQLite file used when no other database is chosen, in the user's data folder."""
    return user_data_path(APP_NAME, APP_AUTHOR, roaming=False) / "esi-desktop.sqlite3"


def default_database_url() -> str:
    """The URL of :func:`default_database_path`."""
    return sqlite_url(default_database_path())


def file_url(path: Path) -> str:
    """The URL of a SQLite file."""
    return sqlite_url(path)


def connect(
    url: str | None = None,
    *,
    create: bool = True,
    force_rollback_journal: bool = False,
    backups_to_keep: int = backups.DEFAULT_KEEP,
    back_up_on_open: bool = True,
    now: Callable[[], datetime] = datetime.now,
) -> peewee.Database:
    """Open the database at ``url`` (default: the user's own file, created on first run).

    A SQLite file is checked first (``PRAGMA quick_check``) and then backed up
    automatically, at most once a day; :func:`opened` says what happened.

    Args:
        url: the database URL.
        create: make a new SQLite file when there is none.
        force_rollback_journal: the setting that forces SQLite's rollback journal (for a
            network drive the system does not report as one).
        backups_to_keep: how many automatic backups to keep (a setting).
        back_up_on_open: make the daily automatic backup.
        now: the clock (tests inject one).

    Raises:
        DatabaseDamaged: the SQLite file is damaged; offer to restore a backup.
        DatabaseUnavailable: with the reason in one or two sentences.
    """
    global _opened
    _opened = None
    chosen = url or default_database_url()
    backups.configure(keep=backups_to_keep, now=now)
    try:
        connection = open_database(
            # a server's password: in the URL, else PGPASSWORD, else the system keyring
            credentials.with_password(chosen),
            create=create,
            force_rollback_journal=force_rollback_journal,
        )
    except DatabaseDamagedError as exc:
        raise DatabaseDamaged(str(exc), exc.path) from None
    except DatabaseOpenError as exc:
        raise DatabaseUnavailable(str(exc)) from None
    made: backups.Backup | None = None
    problem = ""
    if back_up_on_open:
        try:
            made = backups.back_up_on_open()
        except backups.BackupError as exc:
            problem = str(exc)
    sqlite_file = connection if isinstance(connection, SqliteFileDatabase) else None
    _opened = OpenedDatabase(
        url=credentials.without_password(chosen),
        path=sqlite_file.location.path if sqlite_file else None,
        journal=sqlite_file.journal if sqlite_file else None,
        on_network_path=sqlite_file.warn_network_path if sqlite_file else False,
        backup=made,
        backup_problem=problem,
    )
    return connection


def opened() -> OpenedDatabase | None:
    """What :func:`connect` opened last (None when no database is open)."""
    return _opened


def disconnect() -> None:
    """Close the current database."""
    global _opened
    _opened = None
    close_database()


def describe_url(url: str) -> str:
    """How to name a database to a person."""
    try:
        return parse_database_url(url).display
    except DatabaseOpenError:
        return url


def change_stamp() -> object:
    """Something that changes when another connection has committed to the database.

    SQLite's ``data_version`` moves only for other connections' commits, so the window can
    refresh when (and only when) someone else changed the plan. PostgreSQL has no cheap
    equivalent; there the stamp is always new and the window simply refreshes.
    """
    from db.models import database_proxy

    connection = database_proxy.obj
    if connection is None:
        return None
    if isinstance(connection, peewee.SqliteDatabase):
        return connection.execute_sql("PRAGMA data_version").fetchone()[0]
    return object()
