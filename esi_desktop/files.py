"""Writing the files a secretary saves (PDFs, CSV exports) whole or not at all.

Every output goes through :func:`write_atomically` (or :func:`writing_atomically`, its
stream, for an export written bit by bit), which also refuses to write over what is not of
the kind being written: the database in use (always), a database, a spreadsheet or a PDF
where a CSV file goes, and so on (unless forced), a read-only file. The temporary files a
killed program leaves behind are recorded, and removed on the next start
(:func:`remove_unfinished_saves`).
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from esi_desktop.errors import EsiError


@dataclass(frozen=True)
class OutputKind:
    """A kind of file the program writes.

    Attributes:
        name: how to name it in a sentence ("a PDF").
        suffix: the file name ending to suggest (".pdf").
        opened_in: the program that may hold such a file open ("a PDF viewer").
        replaces: the kinds of existing file (see :func:`kind_of_file`) it may replace
            without being forced; an empty file may always be replaced.
    """

    name: str
    suffix: str
    opened_in: str
    replaces: frozenset[str]


PDF = OutputKind("a PDF", ".pdf", "a PDF viewer", frozenset({"pdf"}))
CSV = OutputKind("a CSV file", ".csv", "Excel", frozenset({"text"}))
BACKUP = OutputKind("a database backup", ".sqlite3", "another program", frozenset({"sqlite"}))
# Office files are ZIP archives inside: one may replace another without being forced.
DOCX = OutputKind("a Word document", ".docx", "Word", frozenset({"zip"}))
XLSX = OutputKind("an Excel workbook", ".xlsx", "Excel", frozenset({"zip"}))
ICS = OutputKind("a calendar file", ".ics", "Outlook", frozenset({"text"}))
EML = OutputKind("an e-mail message", ".eml", "Outlook", frozenset({"text"}))
# a ZIP archive may replace another, or an Office file (they are ZIP archives too)
ZIP = OutputKind("a ZIP file", ".zip", "another program", frozenset({"zip"}))
# A copy of an evidence file may be of any kind; it replaces no file unless forced (its
# ending is the evidence's own, set when it is saved).
EVIDENCE_COPY = OutputKind("a copy of the evidence", "", "another program", frozenset())

#: What an existing file is, by its first bytes, as a sentence names it.
_FOUND_NAMES = {
    "pdf": "a PDF",
    "sqlite": "a SQLite database",
    "zip": "a spreadsheet, Office document or ZIP archive",
    "office": "an Office document or spreadsheet",
    "text": "a text file",
    "other": "a file of another kind",
}
_SNIFF = 64 * 1024


class OtherKindOfFile(EsiError):
    """The path holds a file of another kind than the one being written; it was kept.

    Attributes:
        path: the path given.
        found: what the file there is, as a sentence names it ("a SQLite database").
        kind: what was to be written.
    """

    def __init__(self, path: Path, found: str, kind: OutputKind) -> None:
        self.path = path
        self.found = found
        self.kind = kind
        super().__init__(self.sentence(""))

    def sentence(self, alternative: str) -> str:
        """The message, with another way out (", or add --force to replace it") if any."""
        return (
            f"{self.path} is {self.found}, not {self.kind.name}; it was not replaced. "
            f"Choose another name{alternative}."
        )


def kind_of_file(path: Path) -> str:
    """What the file at ``path`` is, by its first bytes.

    Returns:
        "empty", "pdf", "sqlite", "zip" (also .xlsx and .docx), "office" (the older .xls and
        .doc), "text" (UTF-8, with or without a byte-order mark, no NUL) or "other".
    """
    with open(path, "rb") as stream:
        head = stream.read(_SNIFF)
    if not head:
        return "empty"
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "office"
    if b"\x00" in head:
        return "other"
    try:
        # the sniffed bytes may end inside a character: decode as a stream, not final
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        return "other"
    return "text"


def existing_folder(folder: Path, *, what: str) -> Path:
    """A folder that exists, for writing ``what`` ("the returns") into.

    Raises:
        EsiError: it does not exist, or it is a file.
    """
    folder = Path(folder)
    if not folder.exists():
        raise EsiError(
            f"There is no folder {folder}; create it, or choose a folder that exists, and "
            f"write {what} again."
        )
    if not folder.is_dir():
        raise EsiError(f"{folder} is a file, not a folder; choose a folder for {what}.")
    return folder


def check_save_path(path: Path, *, suffix: str) -> Path:
    """Refuse at once a path that cannot be saved to (before a long rendering).

    Returns:
        The folder the file goes in.

    Raises:
        EsiError: the folder does not exist, the path is a folder, or it is too long.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        if not folder.is_dir():
            raise EsiError(
                f"Cannot save {path}: the folder {folder} does not exist. Choose another folder."
            )
        if path.is_dir():
            raise EsiError(
                f"Cannot save {path}: it is a folder. Choose a file name ending in {suffix}."
            )
    except OSError as exc:
        raise _write_error(path, folder, exc, opened_in="another program") from None
    return folder


def check_output_path(
    path: Path, *, kind: OutputKind, force: bool = False, keep: Iterable[Path] = ()
) -> Path:
    """Refuse at once a path that must not be written (before a long rendering).

    Args:
        path: where the user asked to save.
        kind: what is to be written.
        force: replace an existing file of another kind (the user confirmed).
        keep: files never to replace, even when forced, besides the database in use (the
            database a command line command works on).

    Returns:
        The file to write: ``path``, or the file a symbolic link at ``path`` points to (the
        link stays a link).

    Raises:
        OtherKindOfFile: the file there is of another kind, and ``force`` is false.
        EsiError: the folder is missing; the path is a folder, too long, a read-only file,
            not an ordinary file, or the database in use.
    """
    path = Path(path)
    try:
        target = _follow_link(path)
        check_save_path(target, suffix=kind.suffix)
        try:
            found = os.stat(target)
        except FileNotFoundError:
            return target
        if not stat.S_ISREG(found.st_mode):
            raise EsiError(
                f"Cannot save {path}: it is not an ordinary file. Choose a file name ending "
                f"in {kind.suffix}."
            )
        if any(_same_file(found, other) for other in _with_journals((*_databases_in_use(), *keep))):
            raise EsiError(
                f"Cannot save {path}: it is the ESI Desktop database in use, and it was not "
                f"replaced. Choose another name for {kind.name}."
            )
        if not found.st_mode & 0o222:
            raise EsiError(
                f"Cannot save {path}: the file is read-only, and it was not replaced. Choose "
                "another name, or make the file writable first."
            )
        try:
            what = kind_of_file(target)
        except PermissionError as exc:
            # the file exists: another program holds it unshared (Windows: WinError 32), or
            # it may not be read; the folder is not at fault
            raise _write_error(
                path, path.parent, exc, opened_in=kind.opened_in, replacing=True
            ) from None
    except OSError as exc:
        raise _write_error(path, path.parent, exc, opened_in=kind.opened_in) from None
    if what != "empty" and what not in kind.replaces and not force:
        raise OtherKindOfFile(path, _FOUND_NAMES[what], kind)
    return target


def _follow_link(path: Path) -> Path:
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    if target.is_symlink():  # a loop of links
        raise EsiError(
            f"Cannot save {path}: it is a symbolic link that leads round in a circle. "
            "Choose another name."
        )
    return target


def _databases_in_use() -> list[Path]:
    from esi_desktop import database  # here: the database module loads the whole store

    opened = database.opened()
    return [opened.path] if opened is not None and opened.path is not None else []


def _with_journals(databases: Iterable[Path]) -> list[Path]:
    # SQLite's journal files beside a database are part of it
    return [
        Path(f"{path}{ending}") for path in databases for ending in ("", "-wal", "-shm", "-journal")
    ]


def _same_file(found: os.stat_result, other: Path) -> bool:
    try:
        return os.path.samestat(found, os.stat(other))
    except (OSError, ValueError):
        return False


def write_atomically(
    path: Path,
    data: bytes,
    *,
    kind: OutputKind,
    force: bool = False,
    keep: Iterable[Path] = (),
) -> Path:
    """Write ``data`` to ``path`` whole or not at all.

    The path is checked first (:func:`check_output_path`). The bytes go to a temporary file
    in the same folder, are flushed to disk, and the file is then renamed over ``path``; a
    failure removes the temporary file and leaves any earlier file at ``path`` as it was. A
    symbolic link is kept: the file it points to is replaced.

    Args:
        path: where to save.
        data: the file's bytes.
        kind: what is written (:data:`PDF`, :data:`CSV`).
        force: replace an existing file of another kind (the user confirmed).
        keep: files never to replace (see :func:`check_output_path`).

    Returns:
        The file written (the link's target when ``path`` is a symbolic link).

    Raises:
        OtherKindOfFile: the file there is of another kind, and ``force`` is false.
        EsiError: the folder is missing or not writable, the file is the database in use,
            read-only or open in another program, the path is too long, or the disk is
            full; the sentence names the path and what to do.
    """
    path = Path(path)
    target = check_output_path(path, kind=kind, force=force, keep=keep)
    with _replacing(path, target, opened_in=kind.opened_in) as stream:
        stream.write(data)
    return target


@contextlib.contextmanager
def writing_atomically(
    path: Path,
    *,
    kind: OutputKind,
    force: bool = False,
    keep: Iterable[Path] = (),
) -> Iterator[BinaryIO]:
    """Write a file bit by bit, whole or not at all: :func:`write_atomically` for a stream.

    The path is checked first, with the same refusals as :func:`write_atomically`. The block
    writes to the binary stream given, a temporary file in the same folder; when the block
    ends, the file is flushed to disk and renamed over ``path``. An exception in the block,
    or a failure to write, removes the temporary file and leaves any earlier file at ``path``
    as it was; a failure to write (an ``OSError``) becomes a sentence naming the path and what
    to do, as for :func:`write_atomically`. Use::

        with writing_atomically(path, kind=CSV) as stream:
            for chunk in chunks:
                stream.write(chunk)

    Raises:
        OtherKindOfFile: the file there is of another kind, and ``force`` is false.
        EsiError: as :func:`write_atomically`.
    """
    path = Path(path)
    target = check_output_path(path, kind=kind, force=force, keep=keep)
    with _replacing(path, target, opened_in=kind.opened_in) as stream:
        yield stream


@contextlib.contextmanager
def _replacing(path: Path, target: Path, *, opened_in: str) -> Iterator[BinaryIO]:
    """A temporary file beside ``target``, renamed over it when the block ends well."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        # a long name must not make the temporary name too long for the system
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name[:100]}.", suffix=".tmp", dir=folder
        )
    except OSError as exc:
        raise _write_error(path, folder, exc, opened_in=opened_in) from None
    record = _remember(Path(temporary))
    try:
        with os.fdopen(handle, "wb") as stream:
            if hasattr(os, "fchmod"):  # mkstemp makes the file private; an ordinary file's
                os.fchmod(stream.fileno(), 0o666 & ~_umask())
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise _write_error(path, folder, exc, opened_in=opened_in, replacing=True) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    finally:
        _forget(record)
    _sync_folder(folder)


# ----- temporary files left by a program that was killed while saving -----------------------


def _unfinished_saves_folder() -> Path:
    from platformdirs import user_state_path

    from esi_desktop.database import APP_AUTHOR, APP_NAME

    return user_state_path(APP_NAME, APP_AUTHOR, roaming=False) / "unfinished-saves"


def _remember(temporary: Path) -> Path | None:
    """Note a temporary file before it is written, so a later start can remove it."""
    try:
        folder = _unfinished_saves_folder()
        folder.mkdir(parents=True, exist_ok=True)
        record = folder / f"{os.getpid()}-{os.urandom(6).hex()}.txt"
        record.write_bytes(os.fsencode(temporary.resolve()))
    except OSError:  # the note is a courtesy; saving goes on without it
        return None
    return record


def _forget(record: Path | None) -> None:
    if record is not None:
        with contextlib.suppress(OSError):
            record.unlink()


def remove_unfinished_saves() -> list[Path]:
    """Remove the hidden temporary files of saves that never finished (the program was killed).

    Called when the program starts. A save still under way in another running copy of the
    program is left alone.

    Returns:
        The temporary files removed.
    """
    from esi_desktop.presence import _running

    removed: list[Path] = []
    try:
        records = list(_unfinished_saves_folder().glob("*.txt"))
    except OSError:
        return removed
    for record in records:
        pid_text = record.name.partition("-")[0]
        pid = int(pid_text) if pid_text.isdigit() else 0
        if pid == os.getpid() or (pid and _running(pid)):
            continue
        try:
            temporary = Path(os.fsdecode(record.read_bytes()))
        except OSError:
            continue
        # only ever a file of ours: hidden, ".tmp", written by write_atomically
        if temporary.name.startswith(".") and temporary.name.endswith(".tmp"):
            try:
                temporary.unlink()
                removed.append(temporary)
            except FileNotFoundError:
                pass
            except OSError:
                continue  # try again on the next start
        _forget(record)
    return removed


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_error(
    path: Path, folder: Path, exc: OSError, *, opened_in: str, replacing: bool = False
) -> EsiError:
    if isinstance(exc, PermissionError):
        if replacing:
            return EsiError(
                f"Cannot save {path}: the file is open in another program (such as "
                f"{opened_in}) or is read-only. Close it there and save again, or choose "
                "another name."
            )
        return EsiError(
            f"Cannot save {path}: you may not write in the folder {folder}. "
            "Choose another folder, such as your Documents folder."
        )
    if exc.errno == errno.ENOSPC:
        return EsiError(f"Cannot save {path}: the disk is full. Free some space and save again.")
    if exc.errno == errno.ENAMETOOLONG or getattr(exc, "winerror", None) == 206:
        return EsiError(
            f"Cannot save {path}: the name or its folder path is too long for the system. "
            "Choose a shorter name, or a folder nearer the top of the drive."
        )
    if exc.errno == errno.ELOOP:
        return EsiError(
            f"Cannot save {path}: it is a symbolic link that leads round in a circle. "
            "Choose another name."
        )
    reason = exc.strerror or str(exc)
    return EsiError(f"Cannot save {path}: {reason}. Choose another folder or name and try again.")


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the system allows (POSIX only)."""
    if os.name != "posix":
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
