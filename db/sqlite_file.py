"""A SQLite file that knows it is the one it opened, and says in a sentence why it cannot write.

A restore puts another file in place of the database, and a file can be deleted while open:
a connection to the old file would go on saving into it and every save would vanish, so
:class:`SqliteFileDatabase` checks the file's identity around every transaction. SQLite's
read-only, locked and disk-full errors become one sentence naming the cause
(:func:`storage_problem`).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import peewee

from db.backup import backup_folder as backup_folder
from db.backup import backup_sqlite as backup_sqlite
from db.errors import (
    DatabaseOpenError,
    DatabaseReplacedError,
    DatabaseStorageError,
)
from db.urls import DatabaseLocation

#: How long a writer waits for another one before giving up (seconds).
BUSY_TIMEOUT_SECONDS = 10.0


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
        return "read-only", read_only_sentence(path)
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


def read_only_sentence(path: Path | None) -> str:
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
