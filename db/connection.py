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
import re
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

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

#: Makes the error raised when the file or folder is read-only, the file is locked beyond
#: the busy timeout or the disk is full: (sentence, path, cause).
StorageError = Callable[[str, Path | None, str], DatabaseStorageError]

#: Statements that only read; anything else is taken to write.
_READS = re.compile(r"\s*(SELECT|WITH|EXPLAIN|PRAGMA\s+(data_version|quick_check)\b)", re.I)
#: A savepoint's rollback, which fails when SQLite has rolled the whole transaction back.
_SAVEPOINT_ROLLBACK = re.compile(r"\s*ROLLBACK\s+TO\b", re.I)


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

    Every statement, BEGIN and COMMIT goes through here, so this is also the one place where
    SQLite's complaints about where the file is kept (read-only, locked beyond the busy
    timeout, a full disk) become :attr:`storage_error`, a sentence naming the real cause.
    When SQLite has already rolled the transaction back itself (as on a full disk), the
    ROLLBACK that follows is skipped instead of failing and hiding that cause.

    Attributes:
        location: the parsed URL.
        journal: the journal mode in use ("wal", "delete", or "memory").
        replaced_error: makes the error raised when the file was replaced or removed (the
            application passes its own subclass, so the sentence reaches the user).
        storage_error: makes the error raised when the file cannot be written (likewise).
        busy_timeout: how long a writer waits for another program's lock (seconds).
    """

    location: DatabaseLocation
    journal: str = ""
    replaced_error: ReplacedError = DatabaseReplacedError
    storage_error: StorageError = DatabaseStorageError
    busy_timeout: float = BUSY_TIMEOUT_SECONDS
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
        try:
            super().begin(lock_type)
        except peewee.DatabaseError as exc:
            self._raise_storage_problem(exc)
            raise
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
        try:
            super().commit()
        except peewee.DatabaseError as exc:
            self._raise_storage_problem(exc)
            raise

    def rollback(self) -> None:
        if not self.is_closed() and not self.connection().in_transaction:
            return  # SQLite rolled back itself (a full disk): ROLLBACK would fail and hide why
        super().rollback()

    def execute_sql(self, sql: str, params: object = None) -> sqlite3.Cursor:
        try:
            return self._execute_checked(sql, params)
        except peewee.DatabaseError as exc:
            self._raise_storage_problem(exc)
            raise

    def _execute_checked(self, sql: str, params: object) -> sqlite3.Cursor:
        if self.in_transaction():  # checked when it began (and is checked at COMMIT)
            if _SAVEPOINT_ROLLBACK.match(sql) and not self.connection().in_transaction:
                nothing: sqlite3.Cursor = self.cursor()  # SQLite rolled it all back already
                return nothing
            return super().execute_sql(sql, params)  # type: ignore[no-any-return]
        saving = _READS.match(sql) is None
        self.check_file(saving=saving)
        cursor: sqlite3.Cursor = super().execute_sql(sql, params)
        if saving:  # on its own, a change is committed as it runs: did it land in the file?
            self.check_file(saving=True)
        return cursor

    def _raise_storage_problem(self, exc: peewee.DatabaseError) -> None:
        """Raise :attr:`storage_error` when ``exc`` is about where the file is kept."""
        found = storage_problem(exc, self.location.path, self.busy_timeout)
        if found is not None:
            cause, sentence = found
            raise self.storage_error(sentence, self.location.path, cause) from exc


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


def storage_problem(
    exc: BaseException, path: Path | None, busy_timeout: float = BUSY_TIMEOUT_SECONDS
) -> tuple[str, str] | None:
    """Whether a SQLite error is about where the database is kept, and the sentence saying so.

    Args:
        exc: the error (SQLite's own, or peewee's wrapping of it).
        path: the database file (None: in memory).
        busy_timeout: how long SQLite waited for another program's lock (seconds).

    Returns:
        ("read-only" | "locked" | "full", one sentence naming the cause and what to do), or
        None when the error is something else.
    """
    original = exc.args[0] if exc.args and isinstance(exc.args[0], sqlite3.Error) else exc
    name = str(getattr(original, "sqlite_errorname", "") or "")
    text = str(original).lower()
    if name == "SQLITE_READONLY_DBMOVED":
        return None  # the file was moved or replaced: SqliteFileDatabase.check_file says so
    where = f"the database {path}" if path is not None else "the database"
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return "read-only", _read_only_sentence(path)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "is locked" in text:
        seconds = f"{busy_timeout:g} second{'' if busy_timeout == 1 else 's'}"
        return "locked", (
            f"Another program has held {where} locked for longer than {seconds} (the busy "
            "timeout), so nothing was changed; try again once it has finished saving, or "
            "close it."
        )
    full = name == "SQLITE_FULL" or "disk is full" in text
    if not full and (name.startswith("SQLITE_IOERR") or "disk i/o error" in text):
        # SQLite calls a full disk an I/O error when it cannot grow its shared-memory file
        full = path is not None and _almost_no_space(path.parent)
    if full:
        holder = f"the folder {path.parent}" if path is not None else "the database"
        return "full", (
            f"The disk holding {holder} is full, so nothing was changed; free some space on "
            "it and try again."
        )
    return None


#: Less free space than this on a disk that gives an I/O error means the disk is full.
_ALMOST_FULL_BYTES = 1024 * 1024


def _almost_no_space(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < _ALMOST_FULL_BYTES
    except OSError:
        return False


def _read_only_sentence(path: Path | None) -> str:
    """Say which is read-only: the database file, its folder, or a journal file beside it."""
    if path is None:
        return "The database is read-only, so nothing was changed."
    if path.exists() and not os.access(path, os.W_OK):
        return (
            f"The database file {path} is read-only, so nothing was changed; ask for "
            "permission to change it (or open a copy you may change) and try again."
        )
    if not os.access(path.parent, os.W_OK):
        return (
            f"The folder {path.parent} is read-only, and SQLite must write its journal beside "
            f"the database {path.name}, so nothing was changed; ask for permission to change "
            "the folder, or move the database to a folder you may change."
        )
    for companion in (Path(str(path) + suffix) for suffix in ("-wal", "-shm", "-journal")):
        if companion.exists() and not os.access(companion, os.W_OK):
            return (
                f"The file {companion} beside the database is read-only, so nothing was "
                "changed; ask for permission to change it and try again."
            )
    return (
        f"The database {path} was opened read-only, so nothing was changed; reopen it from "
        "a place you may change and try again."
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
    if scheme.lower() == "sqlite":
        return url  # a file's path holds no password ("C:/Users/a@b/…" is a path)
    # the last "@" ends the user and password, even where a password holds "/" or "@"
    user_info, at, after = rest.rpartition("@")
    if at and ":" in user_info:
        return f"{scheme}{sep}{user_info.split(':', 1)[0]}:***@{after}"
    return url


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
        return DatabaseOpenError(_read_only_sentence(path))
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
