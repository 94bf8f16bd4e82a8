"""Which database the application uses, and opening it with errors a user can act on."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_path

from db.connection import (
    DatabaseDamagedError,
    SqliteFileDatabase,
    close_database,
    open_database,
    parse_database_url,
    redact_url,
    sqlite_url,
    url_without_password,
)
from db.errors import (
    DatabaseOpenError,
    DatabaseReplacedError,
    DatabaseStorageError,
    ServerUnreachableError,
)
from db.server import ServerDatabase
from esi_desktop import backups, credentials, presence
from esi_desktop.errors import EsiError
from esi_desktop.settings import SERVER_TIMEOUT

if TYPE_CHECKING:
    # imported by db (db.drivers) first, so that a SQLite file never loads psycopg2
    import peewee

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


class DatabaseOutage(DatabaseUnavailable):
    """The open database cannot be used for now: its file replaced, or its server lost.

    The window is told where it is found (:func:`add_outage_listener`) and says so once, so
    a view whose read or save fails with one need not show it in a dialog of its own.
    """


class DatabaseReplaced(DatabaseOutage, DatabaseReplacedError):
    """The open SQLite file was replaced (a backup restored over it) or removed.

    Raised by every read and save from then on, none of which reaches the file; the sentence
    says whether a change was being saved. Reopening the database (:func:`connect` with the
    same URL) opens the file now at its path.

    Attributes:
        path: the database file.
    """

    def __init__(self, message: str, path: Path | None = None) -> None:
        DatabaseReplacedError.__init__(self, message, path)


class DatabaseConnectionLost(DatabaseOutage, ServerUnreachableError):
    """The connection to the PostgreSQL server was lost, or the server stopped answering.

    Raised by the read or save that found it (the sentence says whether a change was being
    saved; none is kept half-done) and, at once, by every one after it until the server
    answers again (:func:`check_server`, then :func:`resume_server`).
    """

    def __init__(self, message: str, lost: bool = True) -> None:
        ServerUnreachableError.__init__(self, message, lost)


class DatabaseTooSlow(DatabaseUnavailable, ServerUnreachableError):
    """The server stopped one request that ran past the statement timeout; nothing changed."""

    def __init__(self, message: str, lost: bool = False) -> None:
        ServerUnreachableError.__init__(self, message, lost)


class DatabaseNotWritable(EsiError, DatabaseStorageError):
    """A read or save met a read-only file or folder, another program's lock or a full disk.

    The sentence names the cause (which file or folder, how long it waited, which disk);
    the transaction was rolled back, so nothing was changed.

    Attributes:
        path: the database file.
        cause: "read-only", "locked" or "full".
    """

    def __init__(self, message: str, path: Path | None = None, cause: str = "") -> None:
        DatabaseStorageError.__init__(self, message, path, cause)


#: Told of every :class:`DatabaseOutage` where it is found, before it is raised.
OutageListener = Callable[[DatabaseOutage], None]
ReplacedListener = OutageListener
_replaced_listeners: list[OutageListener] = []


def add_outage_listener(listener: OutageListener) -> None:
    """Be told whenever the open database is found replaced or removed, or its server lost.

    The window uses this to say so once, whichever read or save found it. The listener is
    called from inside the failing call (perhaps on another thread), so it must not use the
    database; it should note the sentence and act later.
    """
    _replaced_listeners.append(listener)


def remove_outage_listener(listener: OutageListener) -> None:
    """Stop telling a listener (see :func:`add_outage_listener`)."""
    with suppress(ValueError):
        _replaced_listeners.remove(listener)


#: The names from before a lost server connection was told the same way.
add_replaced_listener = add_outage_listener
remove_replaced_listener = remove_outage_listener


def _server_unreachable(message: str, lost: bool) -> ServerUnreachableError:
    if not lost:
        return DatabaseTooSlow(message)
    error = DatabaseConnectionLost(message)
    for listener in list(_replaced_listeners):
        listener(error)
    return error


def _replaced(message: str, path: Path) -> DatabaseReplacedError:
    error = DatabaseReplaced(message, path)
    for listener in list(_replaced_listeners):
        listener(error)
    return error


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
_presence: presence.Presence | None = None


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
    read_only: bool = False,
    server_timeout: float = SERVER_TIMEOUT.default,
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
        read_only: for a command that only reads: create, update, mark and back up nothing
            (a missing file, another program's file or an older schema is refused).
        server_timeout: a PostgreSQL server's statement timeout in seconds (a setting); a
            stalled server is given up on a few seconds after it (:class:`DatabaseTooSlow`,
            :class:`DatabaseConnectionLost`).

    Raises:
        DatabaseDamaged: the SQLite file is damaged; offer to restore a backup.
        DatabaseUnavailable: with the reason in one or two sentences.
        DatabaseNotWritable: updating the schema met a read-only file or folder, a lock or
            a full disk; nothing was changed.
    """
    global _opened, _presence
    _opened = None
    _withdraw()
    chosen = url or default_database_url()
    backups.configure(keep=backups_to_keep, now=now)
    try:
        connection = open_database(
            # a server's password: in the URL, else PGPASSWORD, else the system keyring
            credentials.with_password(chosen),
            create=create and not read_only,
            force_rollback_journal=force_rollback_journal,
            replaced_error=_replaced,
            storage_error=DatabaseNotWritable,
            upgrade=not read_only,
            server_timeout=server_timeout,
            lost_error=_server_unreachable,
        )
    except DatabaseDamagedError as exc:
        raise DatabaseDamaged(str(exc), exc.path) from None
    except DatabaseOpenError as exc:
        raise DatabaseUnavailable(str(exc)) from None
    made: backups.Backup | None = None
    problem = ""
    if back_up_on_open and not read_only:
        try:
            made = backups.back_up_on_open()
        except backups.BackupError as exc:
            problem = str(exc)
    sqlite_file = connection if isinstance(connection, SqliteFileDatabase) else None
    if sqlite_file is not None and sqlite_file.location.path is not None and not read_only:
        # a command that only reads writes nothing beside the database either
        _presence = presence.register(sqlite_file.location.path, now=now)
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
    _withdraw()
    server = _server()
    if server is not None:
        server.stop_watching()
    close_database()


def close_thread_connection() -> None:
    """Close the connection of the calling thread only (a worker that stored something on a
    connection of its own); the window's connection on the GUI thread stays open."""
    close_database()


def _withdraw() -> None:
    global _presence
    if _presence is not None:
        _presence.withdraw()
        _presence = None


def heartbeat() -> None:
    """Check that the open database is still there, and say this program still has it open.

    The window calls this every minute, so a database replaced or removed underneath it is
    noticed even while nobody is editing, and a restore elsewhere can name who has it open.

    Raises:
        DatabaseReplaced: the SQLite file was replaced or removed since it was opened.
    """
    from db.models import database_proxy

    connection = database_proxy.obj
    if isinstance(connection, SqliteFileDatabase) and not connection.is_closed():
        connection.check_file()
    if _presence is not None:
        _presence.refresh()


def describe_url(url: str) -> str:
    """How to name a database to a person (never with its password)."""
    try:
        return parse_database_url(url).display
    except DatabaseOpenError:
        return redact_url(url)


def remembered_url(url: str) -> str:
    """The URL to keep in the settings and the recent list: without its password."""
    return url_without_password(url)


def change_stamp() -> object:
    """Something that changes when another connection has committed to the database.

    SQLite's ``data_version`` moves only for other connections' commits, so the window can
    refresh when (and only when) someone else changed the plan. PostgreSQL has no cheap
    equivalent; there the stamp is always new and the window simply refreshes.
    """
    import peewee

    from db.models import database_proxy

    connection = database_proxy.obj
    if connection is None:
        return None
    if isinstance(connection, peewee.SqliteDatabase):
        return connection.execute_sql("PRAGMA data_version").fetchone()[0]
    return object()


# ----- a PostgreSQL server's connection lost ------------------------------------------------


def _server() -> ServerDatabase | None:
    from db.models import database_proxy

    connection = database_proxy.obj
    return connection if isinstance(connection, ServerDatabase) else None


def server_lost() -> str:
    """Why the open server's connection was lost ("" while it works, or for a SQLite file)."""
    server = _server()
    return server.lost if server is not None else ""


def report_connection_lost(reason: str) -> DatabaseConnectionLost | None:
    """Take the open server's connection as lost (another connection to it found it gone).

    Every read and save raises :class:`DatabaseConnectionLost` at once from now on, until
    :func:`resume_server`; the outage listeners are told. Returns the error (None for a
    SQLite file).
    """
    server = _server()
    if server is None:
        return None
    error = server.mark_lost(reason)
    return error if isinstance(error, DatabaseConnectionLost) else None


def watch_for_stalls() -> None:
    """In the window: a shared server is asked first, off this thread, whether it answers.

    After a quiet spell and before each change (:func:`check_server_before_saving`), so a
    server that has just stalled is found within seconds instead of holding the window for
    the statement timeout. Nothing for a SQLite file.
    """
    server = _server()
    if server is not None:
        server.watch_for_stalls()


def check_server_before_saving() -> None:
    """Before a change on a shared server: does it answer? (see :func:`watch_for_stalls`).

    Raises:
        DatabaseConnectionLost: it did not answer within seconds; nothing was sent.
    """
    server = _server()
    if server is not None and not server.lost:
        server.ask_first()


def check_server() -> None:
    """Ask the open server one question on a connection of its own; safe on any thread.

    Raises:
        DatabaseConnectionLost: it does not answer yet.
    """
    server = _server()
    if server is not None:
        server.probe()


def resume_server() -> bool:
    """After :func:`check_server` succeeded: let the next read or save connect again.

    Call it on the thread that uses the database. False while a transaction is unwinding.
    """
    server = _server()
    return server.resume() if server is not None else True


def last_answer() -> datetime | None:
    """When the open server last answered (None: never, or a SQLite file)."""
    server = _server()
    if server is None or server.last_answer is None:
        return None
    return datetime.fromtimestamp(server.last_answer)


def versions() -> list[tuple[str, str]]:
    """The versions of the parts below the window, for Help ▸ About: Python, peewee, SQLite,
    and the PostgreSQL driver when it is installed (in that order)."""
    import platform
    import sqlite3

    import peewee

    found = [
        ("Python", platform.python_version()),
        ("peewee", str(getattr(peewee, "__version__", "unknown"))),
        ("SQLite", sqlite3.sqlite_version),
    ]
    with suppress(ImportError):
        import psycopg2

        found.append(("psycopg2", str(psycopg2.__version__).split(" ")[0]))
    return found
