"""Copies of evidence outside the database: a read-only one to open, and one saved out."""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import hashlib
import os
import shutil
import stat
import tempfile
import time
from pathlib import Path, PurePath

from esi_desktop import file_names
from esi_desktop.errors import EsiError
from esi_desktop.evidence.store import content_of, evidence_row
from esi_desktop.files import EVIDENCE_COPY, write_atomically

#: The folder of this run's read-only copies (removed when the program ends), and how old a
#: folder left by an earlier run (one that crashed) is before it is removed.
_PREFIX = "esi-evidence-"
_STALE_SECONDS = 2 * 24 * 3600
_session: Path | None = None


def safe_file_name(name: str) -> str:
    """``name`` made safe as a file name on Windows (:func:`file_names.safe_file_name`)."""
    return file_names.safe_file_name(name, fallback="evidence")


def _remove_folder(folder: Path) -> None:
    """Remove a folder of copies; a copy still open in a program (Windows) stays behind."""
    for place, _folders, names in os.walk(folder):
        for name in names:  # the copies are read-only, which Windows refuses to delete
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(place, name), stat.S_IWRITE | stat.S_IREAD)
    shutil.rmtree(folder, ignore_errors=True)


def remove_copies() -> None:
    """Remove this run's read-only copies (called when the program ends)."""
    global _session
    if _session is not None:
        _remove_folder(_session)
        _session = None


def _session_folder() -> Path:
    """This run's folder of copies, made on first use; folders that earlier runs left behind
    (a crash, a copy still open when the program ended) are removed once they are old."""
    global _session
    if _session is not None and _session.is_dir():
        return _session
    root = Path(tempfile.gettempdir())
    now = time.time()
    for old in root.glob(f"{_PREFIX}*"):
        try:
            if old.is_dir() and now - old.stat().st_mtime > _STALE_SECONDS:
                _remove_folder(old)
        except OSError:
            continue  # another user's, or vanished meanwhile
    _session = Path(tempfile.mkdtemp(prefix=_PREFIX))
    if not _registered:
        _register()
    return _session


_registered = False


def _register() -> None:
    global _registered
    atexit.register(remove_copies)
    _registered = True


def _same_file(path: Path, size: int, sha256: str) -> bool:
    """True when ``path`` holds exactly these bytes (an earlier copy, still as written)."""
    try:
        if path.stat().st_size != size:
            return False
        digest = hashlib.sha256()
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1024 * 1024), b""):
                digest.update(block)
    except OSError:
        return False
    return digest.hexdigest() == sha256


def open_copy(*, evidence_id: int) -> Path:
    """Write a read-only copy of a piece of evidence, to open in the system's program.

    The copy is named as the evidence (made safe as a file name) inside a folder of its own
    in this run's folder of copies, under the system's temporary folder, so two pieces of
    evidence with the same name never meet; it is read-only, so a change made in the program
    opening it is not mistaken for a change of the evidence. Opening the same evidence again
    gives the same copy while it is unchanged (the bytes are not read from the database
    again, and the folder does not grow); the folder goes when the program ends.

    Returns:
        The copy's path.

    Raises:
        NotFoundError: the evidence was removed in the meantime.
        EsiError: the temporary folder cannot be written.
    """
    row = evidence_row(evidence_id)
    name = safe_file_name(str(row.name))
    try:
        folder = _session_folder() / str(evidence_id)
        path = folder / name
        if _same_file(path, int(row.size), str(row.sha256)):
            return path
        data = content_of(evidence_id=evidence_id)
        if folder.exists():  # an earlier copy, changed: a new folder (it may be held open)
            folder = Path(tempfile.mkdtemp(prefix=f"{evidence_id}-", dir=folder.parent))
            path = folder / name
        folder.mkdir(exist_ok=True)
        with open(path, "xb") as stream:
            stream.write(data)
        os.chmod(path, 0o444)
    except OSError as exc:
        raise EsiError(
            f"A copy of “{row.name}” could not be written to the temporary folder "
            f"({exc.strerror or exc}); free some disk space and try again."
        ) from None
    return path


def save_copy(*, evidence_id: int, path: Path, force: bool = False) -> None:
    """Save a copy of a piece of evidence, whole or not at all.

    Raises:
        NotFoundError: the evidence was removed in the meantime.
        EsiError: a file is already at ``path`` and ``force`` is false; the path is a folder,
            the database in use, read-only, or cannot be written; the sentence says what to
            do. Nothing is changed.
    """
    path = Path(path)
    row = evidence_row(evidence_id)
    if path.is_dir():
        raise EsiError(
            f"Cannot save {path}: it is a folder. Choose a file name, such as “{row.name}”."
        )
    if not force and path.exists() and path.stat().st_size > 0:
        raise EsiError(
            f"{path} already exists, and it was not replaced. Choose another name, or "
            "choose to replace it."
        )
    kind = dataclasses.replace(EVIDENCE_COPY, suffix=PurePath(str(row.name)).suffix)
    # the database in use, a read-only file and a missing folder are refused even so
    write_atomically(path, content_of(evidence_id=evidence_id), kind=kind, force=True)
