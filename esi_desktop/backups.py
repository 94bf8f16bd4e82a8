"""Use cases for backups of a SQLite database: automatic, by hand, listing and restoring.

Automatic backups are made when a database is opened (at most once a day), before every
schema upgrade (by :mod:`db.connection`) and before every report import; the newest N of
them are kept (a setting, default 10). Backups made by hand are never removed by the
program. A PostgreSQL database is backed up on its server (``pg_dump``), not by ESI Desktop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import peewee

from db import backup as store
from db.connection import (
    SqliteFileDatabase,
    close_database,
    parse_database_url,
    refuse_other_programs_file,
)
from db.errors import DatabaseOpenError
from db.migrations import CURRENT_VERSION
from db.models import database_proxy
from esi_desktop import presence
from esi_desktop.errors import EsiError
from esi_desktop.files import BACKUP, check_output_path
from esi_desktop.settings import BACKUPS_TO_KEEP
from esi_desktop.wording import date_in_words

#: How many automatic backups to keep when no setting says otherwise.
DEFAULT_KEEP = BACKUPS_TO_KEEP.default
#: At most one automatic backup on opening within this time.
AUTOMATIC_INTERVAL = timedelta(hours=24)

_REASONS = {
    store.ON_OPEN: "made on opening",
    store.BEFORE_IMPORT: "made before an import",
    store.BEFORE_RESTORE: "made before a restore",
    store.DAMAGED_BEFORE_RESTORE: "the damaged file, kept before a restore",
    store.MANUAL: "made by hand",
    "before-delete": "made before deleting an inspection",
}
#: Why a backup was made before an inspection was deleted (its file name says so).
BEFORE_DELETE = "before-delete"

Clock = Callable[[], datetime]
#: Called with (pages copied, pages) while a backup is written or restored.
Progress = Callable[[int, int], None]


class BackupError(EsiError):
    """A backup could not be made, listed or restored."""


class DatabaseInUse(BackupError):
    """ESI Desktop has the database open elsewhere; the restore was not made.

    Attributes:
        holders: who has it open (user, computer, since when).
    """

    def __init__(self, message: str, holders: list[presence.Holder]) -> None:
        super().__init__(message)
        self.holders = holders


@dataclass
class _Policy:
    keep: int = DEFAULT_KEEP
    now: Clock = datetime.now


_policy = _Policy()


def configure(*, keep: int = DEFAULT_KEEP, now: Clock = datetime.now) -> None:
    """Set how many automatic backups to keep and the clock (tests inject one).

    :func:`esi_desktop.database.connect` calls this with the user's setting.
    """
    _policy.keep = max(1, keep)
    _policy.now = now


@dataclass(frozen=True)
class Backup:
    """One backup file, as a person sees it."""

    path: Path
    taken_at: datetime
    reason: str
    size: int

    @property
    def why(self) -> str:
        """Why it was made, in words ("made on opening")."""
        if self.reason in _REASONS:
            return _REASONS[self.reason]
        if self.reason.startswith("schema-v") and self.reason.endswith("-before-upgrade"):
            version = self.reason.removeprefix("schema-v").removesuffix("-before-upgrade")
            return f"made before upgrading from schema version {version}"
        return self.reason.replace("-", " ")

    @property
    def when(self) -> str:
        """When it was taken, as a person writes it ("Tuesday 5 March 2024, 14:03")."""
        return describe_time(self.taken_at)

    @property
    def damaged(self) -> bool:
        """A damaged database kept before a restore: never offered as the one to restore."""
        return self.reason == store.DAMAGED_BEFORE_RESTORE

    @property
    def size_text(self) -> str:
        """The size in words ("1.2 MB")."""
        return describe_size(self.size)


@dataclass(frozen=True)
class RestoreOutcome:
    """What a restore did."""

    database: Path
    restored: Backup
    kept: Backup | None  # the replaced database, kept as a backup so the restore can be undone


def describe_time(moment: datetime) -> str:
    """A date and time as a person writes it: "Tuesday 5 March 2024, 14:03"."""
    return f"{date_in_words(moment.date())}, {moment:%H:%M}"  # never in the machine's language


def describe_size(size: int) -> str:
    """A file size in words: "512 bytes", "96 KB", "1.2 MB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _backup(found: store.BackupFile) -> Backup:
    return Backup(found.path, found.taken_at, found.reason, found.size)


def database_file(url: str, *, restoring: bool = False) -> Path:
    """The SQLite file a URL names (``restoring``: for putting a backup back).

    Raises:
        BackupError: the URL is wrong, or names a PostgreSQL database or an in-memory one
            (which the program does not back up).
    """
    try:
        location = parse_database_url(url)
    except DatabaseOpenError as exc:
        raise BackupError(str(exc)) from None
    if location.backend != "sqlite" and restoring:
        raise BackupError(
            f"{location.display} is a PostgreSQL database, which the server backs up, not "
            "ESI Desktop: restore a dump made with pg_dump using pg_restore (or psql for a "
            "plain SQL dump) on the server, or ask its administrator."
        )
    if location.backend != "sqlite":
        raise BackupError(
            f"{location.display} is a PostgreSQL database, which the server backs up, not "
            "ESI Desktop: make a backup with pg_dump on the server (pg_dump -Fc -f plan.dump "
            f"{location.name}), or ask its administrator."
        )
    if location.path is None:
        raise BackupError("An in-memory database has nothing to back up or restore.")
    return location.path


def list_backups(*, url: str) -> list[Backup]:
    """The backups of the database at ``url``, newest first.

    Raises:
        BackupError: the database is not a SQLite file.
    """
    # the backups are listed to put one back: a server's are restored with pg_restore
    return [_backup(found) for found in store.list_backups(database_file(url, restoring=True))]


def newest_backup(*, url: str) -> Backup | None:
    """The newest backup worth restoring (never a damaged file kept by a restore)."""
    return next((b for b in list_backups(url=url) if not b.damaged), None)


def back_up(
    *,
    url: str,
    to: Path | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> Backup:
    """Back up the database at ``url`` now, by hand.

    Args:
        url: a SQLite database.
        to: the file to write (replaced if it exists and is a database; a symbolic link's
            target is written) or a folder to write it in; default the database's own
            backups folder. Backups made by hand are never pruned.
        progress: called with (pages copied, pages) as the copy goes.
        force: replace an existing file at ``to`` that is not a database (a PDF, a
            spreadsheet); the user confirmed.

    Raises:
        OtherKindOfFile: the file at ``to`` is not a database, and ``force`` is false.
        BackupError: the database is not a SQLite file, does not exist or cannot be read,
            or the backup cannot be written.
        EsiError: the file at ``to`` is read-only, or its path is too long.
    """
    path = database_file(url)
    if not path.is_file():
        raise BackupError(f"There is no database at {path}. Check the path and try again.")
    now = _policy.now()
    if to is None:
        destination = store.backup_path(path, store.MANUAL, now)
    elif to.is_dir():
        destination = to / store.backup_path(path, store.MANUAL, now).name
    else:
        destination = to
    if destination.resolve() == path.resolve():
        raise BackupError(
            f"The backup cannot be written over the database {path} itself; "
            "choose another file with --to."
        )
    if to is not None:
        # what is there must be a database too, unless forced (see esi_desktop.files)
        destination = check_output_path(destination, kind=BACKUP, force=force, keep=[path])
        _refuse_a_live_or_foreign_database(destination, force=force)
    try:
        store.backup_file(path, destination, progress=progress)
    except store.BackupError as exc:
        raise BackupError(str(exc)) from None
    return Backup(destination, now, store.MANUAL, destination.stat().st_size)


def _refuse_a_live_or_foreign_database(destination: Path, *, force: bool) -> None:
    """A backup goes over an earlier backup, never over a database in use or another program's.

    A database in use has its journal beside it (``-wal``, ``-shm``, ``-journal``): replacing
    the file would leave that journal to be replayed into the backup, and the program using
    it would lose its latest changes. Another program's database needs ``force``.

    Raises:
        BackupError: the destination is a database in use, or another program's (unforced).
    """
    if not destination.is_file():
        return
    journals = [Path(f"{destination}{end}") for end in ("-wal", "-shm", "-journal")]
    if any(journal.exists() for journal in journals):
        raise BackupError(
            f"{destination} is a database in use (its journal is beside it); it was not "
            "replaced. Choose another name for the backup."
        )
    if force:
        return
    try:
        refuse_other_programs_file(destination, create=True)
    except DatabaseOpenError:
        raise BackupError(
            f"{destination} is another program's database, not an ESI Desktop backup; it was "
            "not replaced. Choose another name, or add --force to replace it."
        ) from None


def _open_file() -> Path | None:
    """The SQLite file the models are bound to, if that is what is open."""
    database = database_proxy.obj
    if isinstance(database, SqliteFileDatabase) and not database.is_closed():
        return database.location.path
    return None


def _holds_data(database: peewee.Database) -> bool:
    # every record hangs off an inspection: without one there is nothing to lose
    row = database.execute_sql("SELECT EXISTS (SELECT 1 FROM inspection)").fetchone()
    return bool(row and row[0])


def _automatic(reason: str) -> Backup | None:
    path = _open_file()
    if path is None or not _holds_data(database_proxy.obj):
        return None
    try:
        made = store.back_up(path, reason, _policy.now())
        store.prune_backups(path, _policy.keep, now=_policy.now())
    except store.BackupError as exc:
        raise BackupError(str(exc)) from None
    except OSError as exc:
        raise BackupError(
            f"Cannot tidy the backups of {path} ({exc.strerror or exc}). "
            "Check the permissions of its backups folder."
        ) from None
    return _backup(made)


def back_up_on_open() -> Backup | None:
    """The automatic backup when a database is opened: at most once a day.

    Skipped for a PostgreSQL or empty database, and when the newest backup of the file is
    younger than :data:`AUTOMATIC_INTERVAL`.

    Returns:
        The backup made, or None when none was needed.

    Raises:
        BackupError: the backup could not be written (the database itself is fine).
    """
    path = _open_file()
    if path is None:
        return None
    existing = store.list_backups(path)
    if existing:
        age = _policy.now() - existing[0].taken_at
        if timedelta(0) <= age < AUTOMATIC_INTERVAL:
            return None
    return _automatic(store.ON_OPEN)


def before_import() -> Backup | None:
    """The automatic backup before a report is imported into the open database.

    Returns:
        The backup made, or None for a PostgreSQL or empty database.

    Raises:
        BackupError: the backup could not be written; the import must not go ahead.
    """
    try:
        return _automatic(store.BEFORE_IMPORT)
    except BackupError as exc:
        raise BackupError(f"{exc} Nothing was imported.") from None


def before_delete() -> Backup | None:
    """The automatic backup before an inspection is deleted from the open database.

    Returns:
        The backup made, or None for a PostgreSQL database (backed up on its server).

    Raises:
        BackupError: the backup could not be written; the deletion must not go ahead.
    """
    try:
        return _automatic(BEFORE_DELETE)
    except BackupError as exc:
        raise BackupError(f"{exc} Nothing was deleted.") from None


def restore_backup(
    *, backup: Path, url: str, progress: Progress | None = None, even_if_open: bool = False
) -> RestoreOutcome:
    """Put a backup in place of the database at ``url``.

    The database is closed first if it is the one open; the caller reopens it after a
    restore (with :func:`esi_desktop.database.connect`, which checks and upgrades the restored
    file), and it is open again as before when the restore fails. The file
    being replaced is kept as a backup, so the restore can itself be undone.

    While ESI Desktop has the database open elsewhere (another window, another secretary's
    computer), the restore is refused, naming who, unless ``even_if_open``: then each of
    those programs finds the database replaced at its next read or save (a change it is
    saving at that moment is refused, never half made), tells its user and offers to reopen.

    Raises:
        DatabaseInUse: ESI Desktop has the database open elsewhere (and not ``even_if_open``).
        BackupError: the backup is missing, damaged, not an ESI Desktop database or newer than
            this program, or the database is in use or cannot be written. The database is
            then left as it was.
    """
    path = database_file(url, restoring=True)
    if not backup.is_file():
        raise BackupError(f"There is no backup at {backup}. Check the path and try again.")
    version = store.schema_version(backup)
    if version is None:
        problems = store.quick_check(backup)
        if problems and "not a database" not in problems[0]:
            raise BackupError(
                f"The backup {backup} is damaged ({problems[0]}); nothing was changed. "
                "Choose another backup."
            )
        raise BackupError(
            f"The file {backup} is not an ESI Desktop database; nothing was changed. "
            "Choose one of the database's backups."
        )
    if version > CURRENT_VERSION:
        raise BackupError(
            f"The backup {backup} was made by a newer version of ESI Desktop (schema {version}); "
            "nothing was changed. Install the newer version to restore it."
        )
    try:
        refuse_other_programs_file(path, create=True)  # never put ours over another's file
    except DatabaseOpenError as exc:
        raise BackupError(str(exc)) from None
    now = _policy.now()
    stat = backup.stat()
    restored = Backup(
        backup, datetime.fromtimestamp(stat.st_mtime), "copy-kept-elsewhere", stat.st_size
    )
    for found in store.list_backups(path):
        if found.path.resolve() == backup.resolve():
            restored = _backup(found)
    others = presence.holders(path)
    if others and not even_if_open:
        raise DatabaseInUse(
            f"The database {path} is open in ESI Desktop by {presence.describe(others)}. Ask "
            "them to close it, then restore again; or restore anyway, and they will be told "
            "to reopen it (a change they are saving at that moment is not saved).",
            others,
        )
    open_file = _open_file()
    was_open = open_file is not None and open_file.resolve() == path.resolve()
    if was_open:
        close_database()
    try:
        kept = store.restore_backup(backup, path, when=now, progress=progress)
    except store.BackupError as exc:
        if was_open:  # nothing was replaced: carry on with the database as it was
            database_proxy.obj.connect(reuse_if_open=True)
        raise BackupError(str(exc)) from None
    return RestoreOutcome(path, restored, None if kept is None else _backup(kept))
