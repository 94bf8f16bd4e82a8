"""Backups of SQLite files: copying with the online backup API, listing, pruning, restoring.

Backups live in ``<folder of the database>/backups/`` and are named
``<stem>-<YYYYmmdd-HHMMSS>-<reason>.sqlite3``, so a person browsing the folder sees whose and
when each one is. Every file is written to a temporary name and renamed into place, so a
failure (or a killed process) never leaves half a backup or half a restored database.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

#: Why a backup was made (the last part of its name).
ON_OPEN = "on-open"
BEFORE_IMPORT = "before-import"
BEFORE_RESTORE = "before-restore"
DAMAGED_BEFORE_RESTORE = "damaged-before-restore"
MANUAL = "manual"
SUFFIX = ".sqlite3"

#: How long to wait for another program's write before giving up (seconds).
_TIMEOUT_SECONDS = 10.0
#: How long a restore waits for another program's save to finish before saying it is in use.
_LOCK_WAIT_SECONDS = 2.0
#: SQLite's companion files, which belong to the database file beside them.
_COMPANIONS = ("-wal", "-shm", "-journal")
_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^(?P<stamp>\d{8}-\d{6})(?:-(?P<reason>.*?))?(?:-(?P<count>\d+))?$")
#: A temporary file older than this was left by a process that died; it can go.
_STALE = timedelta(days=1)

Progress = Callable[[int, int], None]


class BackupError(Exception):
    """A backup could not be made, read or restored (the message says which file and why)."""


def upgrade_reason(version: int) -> str:
    """The reason recorded for the backup made before upgrading from schema ``version``."""
    return f"schema-v{version}-before-upgrade"


@dataclass(frozen=True)
class BackupFile:
    """One backup of a database file."""

    path: Path
    taken_at: datetime
    reason: str
    size: int
    sequence: int = 0  # tells apart backups taken in the same second

    @property
    def automatic(self) -> bool:
        """Made by the program (pruned to the newest N), not asked for by a person."""
        return self.reason != MANUAL

    @property
    def damaged(self) -> bool:
        """A damaged database kept before a restore replaced it: never one to restore."""
        return self.reason == DAMAGED_BEFORE_RESTORE


def backup_folder(path: Path) -> Path:
    """The folder that holds the backups of a SQLite file."""
    return path.parent / "backups"


def backup_path(path: Path, reason: str, when: datetime) -> Path:
    """A new, unused name for a backup of ``path`` taken at ``when``."""
    folder = backup_folder(path)
    base = f"{path.stem}-{when.strftime(_STAMP)}-{reason}"
    candidate = folder / f"{base}{SUFFIX}"
    count = 1
    while candidate.exists():
        count += 1
        candidate = folder / f"{base}-{count}{SUFFIX}"
    return candidate


@contextmanager
def _connection(path: Path, *, must_exist: bool = True) -> Iterator[sqlite3.Connection]:
    if must_exist and not path.is_file():
        raise BackupError(f"There is no database file at {path}. Check the path and try again.")
    connection = sqlite3.connect(path, timeout=_TIMEOUT_SECONDS)
    try:
        yield connection
    finally:
        connection.close()


def _temporary_beside(destination: Path, suffix: str) -> Path:
    """An empty, uniquely named file in ``destination``'s folder (so a rename is atomic)."""
    handle, name = tempfile.mkstemp(
        prefix=destination.name + ".", suffix=suffix, dir=destination.parent
    )
    os.close(handle)
    return Path(name)


def _remove_with_companions(path: Path) -> None:
    for name in (str(path), *(str(path) + c for c in _COMPANIONS)):
        Path(name).unlink(missing_ok=True)


def _copy(source: sqlite3.Connection, target: Path, progress: Progress | None) -> None:
    """Copy a live database into the (empty) file ``target`` with the online backup API."""
    copy = sqlite3.connect(target)
    try:
        if progress is None:
            source.backup(copy)
        else:
            source.backup(
                copy, pages=256, progress=lambda _status, left, total: progress(total - left, total)
            )
        # a copy in the rollback-journal mode is one self-contained file, and reading it
        # later (to check or restore it) creates no -wal or -shm beside it
        copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as exc:
        # the source is only read: a full disk is the copy's, not the database's fault
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL" or "disk is full" in str(exc):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target)) from exc
        raise
    finally:
        copy.close()


def backup_sqlite(
    source: sqlite3.Connection, destination: Path, *, progress: Progress | None = None
) -> Path:
    """Copy a live SQLite database with SQLite's online backup API, atomically.

    The copy is written to a temporary file beside ``destination`` and renamed into place,
    so a failure never leaves half a backup.

    Args:
        source: an open connection to the database to copy.
        destination: the backup file to write (replaced if it exists).
        progress: called with (pages copied, pages) as the copy goes.

    Raises:
        OSError: the folder cannot be made or written to.
        sqlite3.Error: the database cannot be read.
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = _temporary_beside(destination, ".partial")
    try:
        _copy(source, partial, progress)
        os.replace(partial, destination)
    except BaseException:
        _remove_with_companions(partial)
        raise
    return destination


def backup_file(path: Path, destination: Path, *, progress: Progress | None = None) -> Path:
    """Copy the SQLite file ``path`` to ``destination`` (see :func:`backup_sqlite`).

    Raises:
        BackupError: there is no file at ``path``, it cannot be read, or the copy cannot be
            written.
    """
    try:
        with _connection(path) as source:
            return backup_sqlite(source, destination, progress=progress)
    except sqlite3.Error as exc:
        raise BackupError(
            f"Cannot read the database {path} to back it up ({exc}). "
            "Check that the file is a database and that nobody is changing it, then try again."
        ) from None
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise BackupError(
                f"The disk holding the folder {destination.parent} is full, so the backup "
                f"{destination.name} was not written; free some space on it (or back up to "
                "another disk) and try again."
            ) from None
        raise BackupError(
            f"Cannot write the backup {destination} ({exc.strerror or exc}). "
            "Free some disk space or check the folder's permissions, then try again."
        ) from None


def back_up(
    path: Path, reason: str, when: datetime, *, progress: Progress | None = None
) -> BackupFile:
    """Back up ``path`` into its backups folder, named for ``reason`` and ``when``."""
    destination = backup_path(path, reason, when)
    backup_file(path, destination, progress=progress)
    return _describe(destination, when, reason, 0)


def _describe(path: Path, when: datetime, reason: str, sequence: int) -> BackupFile:
    return BackupFile(path, when, reason, path.stat().st_size, sequence)


def _parse(path: Path, stem: str) -> BackupFile | None:
    """The backup a file in the backups folder is, or None when it is not one of ``stem``'s."""
    name = path.name
    if not (name.startswith(stem + "-") and name.endswith(SUFFIX)):
        return None
    match = _NAME.match(name[len(stem) + 1 : -len(SUFFIX)])
    if match is None:
        return None
    try:
        when = datetime.strptime(match["stamp"], _STAMP)
        return _describe(path, when, match["reason"] or MANUAL, int(match["count"] or 0))
    except (ValueError, OSError):  # not a real date, or removed meanwhile
        return None


def list_backups(path: Path) -> list[BackupFile]:
    """The backups of the database ``path``, newest first."""
    folder = backup_folder(path)
    if not folder.is_dir():
        return []
    found = [b for f in folder.iterdir() if f.is_file() and (b := _parse(f, path.stem))]
    return sorted(found, key=lambda b: (b.taken_at, b.sequence, b.path.name), reverse=True)


def prune_backups(path: Path, keep: int, *, now: datetime | None = None) -> list[Path]:
    """Remove all but the newest ``keep`` automatic backups of ``path``.

    Backups made by hand are never removed. Temporary files left by a process that died
    while writing a backup are removed too.

    Returns:
        The files removed.
    """
    automatic = [b for b in list_backups(path) if b.automatic]
    removed = [b.path for b in automatic[max(keep, 0) :]]
    for old in removed:
        _remove_with_companions(old)
    folder = backup_folder(path)
    if folder.is_dir():
        limit = (now or datetime.now()) - _STALE
        for leftover in folder.glob(f"{glob_escape(path.stem)}-*{SUFFIX}.*.partial"):
            try:
                if datetime.fromtimestamp(leftover.stat().st_mtime) < limit:
                    _remove_with_companions(leftover)
                    removed.append(leftover)
            except OSError:
                continue
    return removed


def glob_escape(text: str) -> str:
    """``text`` with the characters glob gives a meaning escaped."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def quick_check(path: Path) -> list[str]:
    """SQLite's ``PRAGMA quick_check`` of a file, without writing to it.

    Returns:
        The problems found, or an empty list when the file is a sound database.

    Raises:
        BackupError: there is no file at ``path``.
    """
    try:
        with _connection(path) as connection:
            connection.execute("PRAGMA query_only=1")
            return check_connection(connection)
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def check_connection(connection: sqlite3.Connection) -> list[str]:
    """``PRAGMA quick_check`` on an open connection: the problems found, or an empty list."""
    rows = connection.execute("PRAGMA quick_check").fetchall()
    if [str(row[0]) for row in rows] == ["ok"]:
        return []
    # SQLite may give several problems in one row, under a "*** in database main ***" line
    lines = [line.strip() for row in rows for line in str(row[0]).splitlines()]
    return [line for line in lines if line and not line.startswith("***")] or ["damaged"]


def schema_version(path: Path) -> int | None:
    """The ESI Desktop schema version recorded in a database file (None: not one of ours)."""
    try:
        with _connection(path) as connection:
            connection.execute("PRAGMA query_only=1")
            row = connection.execute("SELECT MAX(version) FROM esi_schema").fetchone()
    except sqlite3.DatabaseError:
        return None
    return None if row is None or row[0] is None else int(row[0])


def _in_use(path: Path) -> BackupError:
    return BackupError(
        f"The database {path} is in use by another program; close ESI Desktop "
        "wherever it has this database open, then restore again."
    )


def _begin_immediate(connection: sqlite3.Connection, path: Path) -> None:
    """Take the write lock, trying every millisecond for :data:`_LOCK_WAIT_SECONDS`.

    SQLite's own busy handler retries less and less often (every 100 ms at last), which a
    program saving one change after another would never leave a gap for.
    """
    deadline = time.monotonic() + _LOCK_WAIT_SECONDS
    while True:
        try:
            connection.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            busy = "locked" in str(exc) or "busy" in str(exc)
            if not busy or time.monotonic() >= deadline:
                raise
        time.sleep(0.001)


@contextmanager
def _write_lock(path: Path) -> Iterator[None]:
    """Hold the database's write lock: nobody commits to the file until it is released.

    A program that has the file open keeps its connection to the file it opened, even once
    another file is renamed into its place. Holding the lock while the backup of the file is
    taken and the restored file put in its place means each of its saves is either wholly
    before (kept in that backup) or after, when it finds another file at the path and rolls
    back (see :class:`db.connection.SqliteFileDatabase`). Nothing is held for a damaged
    file: nothing can be writing to it usefully.
    """
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        try:
            _begin_immediate(connection, path)
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise _in_use(path) from None
            # a damaged file: nothing to hold
        yield
    finally:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        # the file is no longer at the path, so SQLite neither checkpoints it nor deletes the
        # journal files now beside the restored one (its "has moved" check on closing)
        connection.close()


def _keep_current(path: Path, when: datetime) -> BackupFile:
    """Keep the database about to be replaced as a backup, damaged or not."""
    if not quick_check(path):
        try:
            return back_up(path, BEFORE_RESTORE, when)
        except BackupError:
            pass  # unreadable after all: keep the bytes as they are
    destination = backup_path(path, DAMAGED_BEFORE_RESTORE, when)
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        for companion in ("", *_COMPANIONS):
            source = Path(str(path) + companion)
            if source.exists():
                partial = _temporary_beside(destination, ".partial")
                shutil.copyfile(source, partial)
                os.replace(partial, str(destination) + companion)
    except OSError as exc:
        raise BackupError(
            f"Cannot keep a copy of {path} before restoring ({exc.strerror or exc}); nothing "
            "was changed. Free some disk space or check the folder's permissions."
        ) from None
    return _describe(destination, when, DAMAGED_BEFORE_RESTORE, 0)


def restore_backup(
    backup: Path, path: Path, *, when: datetime, progress: Progress | None = None
) -> BackupFile | None:
    """Put the backup ``backup`` in place of the database file ``path``, atomically.

    The file being replaced is itself kept as a backup (as it is, if it is damaged), so a
    restore can be undone. Both are done holding the file's write lock (waiting a moment
    for a save under way), so a program that still has the old file open has each of its
    saves either kept in that backup or refused: it finds the file replaced (see
    :class:`db.connection.SqliteFileDatabase`). On Windows, where an open file cannot be
    replaced, the restore fails instead while another program has it open.

    Returns:
        The backup of the replaced file, or None when there was no file at ``path``.

    Raises:
        BackupError: the backup is missing or damaged, the database is in use, or a file
            cannot be written; the database is then left as it was.
    """
    problems = quick_check(backup)
    if problems:
        raise BackupError(
            f"The backup {backup} is damaged ({problems[0]}); nothing was changed. "
            "Choose another backup."
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = _temporary_beside(path, ".restoring")
    except OSError as exc:
        raise BackupError(
            f"Cannot write beside {path} ({exc.strerror or exc}); nothing was changed. "
            "Check the folder's permissions and free disk space."
        ) from None
    kept: BackupFile | None = None
    try:
        with _connection(backup) as source:
            _copy(source, partial, progress)
        if not path.exists():
            # journals may outlive a database removed while open: never replay them into it
            _replace(partial, path)
            return None
        with _write_lock(path):
            kept = _keep_current(path, when)  # every save so far is in it; none comes after
            if os.name != "nt":
                _replace(partial, path)
                return kept
        # Windows refuses to delete or replace a file that any program has open (the lock's
        # own connection included), and that refusal is what keeps other programs safe there
        _replace(partial, path)  # pragma: no cover - Windows
    except BackupError:
        _remove_with_companions(partial)
        raise
    except (OSError, sqlite3.Error) as exc:
        _remove_with_companions(partial)
        if isinstance(exc, PermissionError) and os.name == "nt":  # pragma: no cover
            raise _in_use(path) from None
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupError(
            f"Cannot restore {backup} over {path} ({reason}). The database was not replaced"
            + (f"; its previous state is also kept as {kept.path}." if kept else ".")
        ) from None
    except BaseException:
        # stopped at a report of progress (the window closing) or anything unforeseen: the
        # half-written copy goes, and the database was not replaced
        _remove_with_companions(partial)
        raise
    return kept


def _replace(partial: Path, path: Path) -> None:
    """Put ``partial`` in place of ``path``, leaving none of the old file's journals beside it.

    A journal left beside the old file would be replayed into the restored one (SQLite
    recovers a ``-wal`` file beside any database). A program that still has the old file
    open keeps the journal files it has open, though they no longer have a name: what it
    reads stays consistent, and it writes nothing more (it finds the file replaced).
    """
    for companion in _COMPANIONS:
        Path(str(path) + companion).unlink(missing_ok=True)
    os.replace(partial, path)
