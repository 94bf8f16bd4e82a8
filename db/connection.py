"""Opening a database from one URL: ``sqlite:///path`` or ``postgresql://user@host:port/name``.

SQLite files get ``foreign_keys=1``, WAL on a local disk (the rollback journal on a network
path, where WAL is unsafe, or when the caller forces it) and a busy timeout. An existing file
is checked with ``PRAGMA quick_check`` before anything else, so a damaged one is refused
untouched. Every database is migrated to the current schema on opening; an existing SQLite
file is backed up first.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import peewee

from db.backup import backup_folder as backup_folder
from db.backup import backup_path, check_connection, upgrade_reason
from db.backup import backup_sqlite as backup_sqlite
from db.errors import DatabaseOpenError, DatabaseReplacedError
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


#: Makes the error raised when the open file was replaced or removed: (sentence, path).
ReplacedError = Callable[[str, Path], DatabaseReplacedError]

#: Statements that only read; anything else is taken to write.
_READS = re.compile(r"\s*(SELECT|WITH|EXPLAIN|PRAGMA\s+(data_version|quick_check)\b)", re.I)


def file_identity(path: Path) -> tuple[object, ...] | None:
    """What tells one file at ``path`` from another put there later; None when there is none.

    The device and inode (the file index on Windows), and the creation time where the
    system keeps one, which survives renames but not a new file taking the name.

    Raises:
        OSError: the file cannot be looked at (a network share gone away, a permission).
    """
    try:
        stat = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    born = getattr(stat, "st_birthtime", None)
    if born is None and os.name == "nt":  # pragma: no cover - Windows: st_ctime is creation
        born = stat.st_ctime
    return (stat.st_dev, stat.st_ino, born)


class SqliteFileDatabase(peewee.SqliteDatabase):
    """A SQLite database opened by :func:`open_database`, knowing where it is and how.

    It remembers which file it opened. A restore puts another file in its place (and on
    Unix-like systems a file can be replaced or deleted while it is open): a connection to
    the old file would go on reading it and saving into it, and every save would vanish. So
    before each transaction takes effect (once it holds the write lock, and again just
    before COMMIT, where a mismatch rolls it back) and around each statement outside a
    transaction, the file at the path must still be the one opened; otherwise
    :attr:`replaced_error` is raised, and from then on every use of this connection raises
    it, until the database is opened again.

    Attributes:
        location: the parsed URL.
        journal: the journal mode in use ("wal", "delete", or "memory").
        replaced_error: makes the error raised when the file was replaced or removed (the
            application passes its own subclass, so the sentence reaches the user).
    """

    location: DatabaseLocation
    journal: str = ""
    replaced_error: ReplacedError = DatabaseReplacedError
    _identity: tuple[object, ...] | None = None
    _gone: str = ""  # "replaced" or "removed", once found

    @property
    def warn_network_path(self) -> bool:
        """True when the file is on a network path: tell the user PostgreSQL is for sharing."""
        return self.location.on_network_path

    def check_file(self, *, saving: bool = False) -> None:
        """Make sure the file at the path is still the one this connection opened.

        Args:
            saving: the check is made for a change (the sentence says it was not saved).

        Raises:
            DatabaseReplacedError: (made by :attr:`replaced_error`) it was replaced or removed.
        """
        path = self.location.path if self._identity is not None else None
        if path is None:
            return
        if not self._gone:
            try:
                now = file_identity(path)
            except OSError:
                return  # cannot tell (a share gone away): SQLite's own error will say
            if now == self._identity:
                return
            self._gone = "removed" if now is None else "replaced"
        raise self.replaced_error(_replaced_sentence(path, self._gone, saving), path)

    def _connect(self) -> sqlite3.Connection:
        path = self.location.path
        if path is None:
            return super()._connect()  # type: ignore[no-any-return, misc]
        if self._identity is not None:
            self.check_file()  # a reconnection must find the file it opened first
            connection: sqlite3.Connection = super()._connect()  # type: ignore[misc]
            try:
                self.check_file()
            except BaseException:
                connection.close()
                raise
            return connection
        try:
            before = file_identity(path)
        except OSError:  # cannot tell which file this is: SQLite says why it cannot open it
            return super()._connect()  # type: ignore[no-any-return, misc]
        connection = super()._connect()  # type: ignore[misc]
        try:
            # SQLite has opened (or created) whatever was at the path in between
            after = file_identity(path)
        except OSError:
            after = before
        if after is None or before not in (None, after):
            connection.close()
            raise DatabaseOpenError(
                f"The database file {path} was replaced while it was being opened (was a "
                "backup being restored?). Open it again."
            )
        self._identity = after
        return connection

    def begin(self, lock_type: str | None = None) -> None:
        super().begin(lock_type)
        # checked once the transaction holds the write lock: a restore replaces the file
        # only while it holds that lock, so the file cannot change from here to COMMIT
        try:
            self.check_file(saving=True)
        except DatabaseReplacedError:
            self.cursor().execute("ROLLBACK")
            raise

    def commit(self) -> None:
        # and again just before COMMIT, for a file deleted or replaced without the lock;
        # raising here makes peewee roll the transaction back
        self.check_file(saving=True)
        super().commit()

    def execute_sql(self, sql: str, params: object = None) -> sqlite3.Cursor:
        if self.in_transaction():  # checked when it began (and is checked at COMMIT)
            return super().execute_sql(sql, params)  # type: ignore[no-any-return]
        saving = _READS.match(sql) is None
        self.check_file(saving=saving)
        cursor: sqlite3.Cursor = super().execute_sql(sql, params)
        if saving:  # on its own, a change is committed as it runs: did it land in the file?
            self.check_file(saving=True)
        return cursor


def _replaced_sentence(path: Path, gone: str, saving: bool) -> str:
    lost = ", so your last change was not saved" if saving else ""
    if gone == "removed":
        return (
            f"The database file {path} was removed or moved since you opened it{lost}. "
            "Put it back and reopen it, or open another database."
        )
    return (
        f"The database file {path} was replaced since you opened it (was a backup "
        f"restored?){lost}. Reopen the database to go on."
    )


_HELP = (
    "Use sqlite:///path/to/file.sqlite3 for a file or "
    "postgresql://user@host:port/name for a server."
)


def sqlite_url(path: Path) -> str:
    """The URL of a SQLite file."""
    return "sqlite:///" + str(path)


def redact_url(url: str) -> str:
    """A database URL fit to show or log: any password replaced by ``***``.

    Works on malformed URLs too (a bad port, no database name), which are the ones echoed
    back in messages.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:  # no scheme ("user:pw@host/db"): the whole text may still hold a password
        scheme, rest = "", url
    authority, slash, path = rest.partition("/")
    user_info, at, host = authority.rpartition("@")
    if at and ":" in user_info:
        user_info = user_info.split(":", 1)[0] + ":***"
    return f"{scheme}{sep}{user_info}{at}{host}{slash}{path}"


def url_without_password(url: str) -> str:
    """The URL to remember (settings, recent list): the password left out altogether.

    The password comes from PGPASSWORD or the keyring when the database is opened again.
    """
    shown = redact_url(url)
    return url if shown == url else shown.replace(":***@", "@", 1)


def parse_database_url(url: str) -> DatabaseLocation:
    """Parse a database URL.

    Raises:
        DatabaseOpenError: the URL is empty, has an unknown scheme or lacks a part.
    """
    text = url.strip()
    shown = redact_url(text)  # a message never echoes a password
    if "://" not in text:
        raise DatabaseOpenError(f"{shown!r} is not a database URL. {_HELP}")
    scheme, _, rest = text.partition("://")
    scheme = scheme.lower()
    if scheme == "sqlite":
        if not rest.startswith("/") or rest == "/":
            raise DatabaseOpenError(f"The SQLite URL {shown!r} names no file. {_HELP}")
        path_text = rest[1:]
        if path_text == ":memory:":
            return DatabaseLocation(url=text, backend="sqlite")
        return DatabaseLocation(url=text, backend="sqlite", path=Path(path_text).expanduser())
    if scheme in ("postgresql", "postgres"):
        parts = urlsplit(text)
        name = parts.path.lstrip("/")
        if not name:
            raise DatabaseOpenError(
                f"The PostgreSQL URL {shown!r} names no database; add /name at the end. {_HELP}"
            )
        try:
            port = parts.port
        except ValueError:
            raise DatabaseOpenError(f"The port in {shown!r} is not a number. {_HELP}") from None
        return DatabaseLocation(
            url=text,
            backend="postgresql",
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            host=parts.hostname or "localhost",
            port=port,
            name=unquote(name),
        )
    raise DatabaseOpenError(f"Unknown database type {scheme!r} in {shown!r}. {_HELP}")


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
    location: DatabaseLocation,
    create: bool,
    force_rollback_journal: bool,
    replaced_error: ReplacedError = DatabaseReplacedError,
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
    database.replaced_error = replaced_error
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
    url: str,
    *,
    create: bool = True,
    force_rollback_journal: bool = False,
    replaced_error: ReplacedError = DatabaseReplacedError,
) -> peewee.Database:
    """Open the database at ``url``, bring its schema up to date and bind the models to it.

    Args:
        url: ``sqlite:///path`` or ``postgresql://user@host:port/name``.
        create: make a new SQLite file when there is none (otherwise that is an error).
        force_rollback_journal: use SQLite's rollback journal even where WAL looks safe (a
            setting, for network drives that do not look like one).
        replaced_error: makes the error a SQLite database raises once its file was replaced
            or removed while open (see :class:`SqliteFileDatabase`).

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
        database, journal = _open_sqlite(location, create, force_rollback_journal, replaced_error)
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
