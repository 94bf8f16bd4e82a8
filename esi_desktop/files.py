"""Writing the files a secretary saves (PDFs, CSV exports) whole or not at all."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from esi_desktop.errors import EsiError


def check_save_path(path: Path, *, suffix: str) -> Path:
    """Refuse at once a path that cannot be saved to (before a long rendering).

    Returns:
        The folder the file goes in.

    Raises:
        EsiError: the folder does not exist, or the path is a folder.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise EsiError(
            f"Cannot save {path}: the folder {folder} does not exist. Choose another folder."
        )
    if path.is_dir():
        raise EsiError(
            f"Cannot save {path}: it is a folder. Choose a file name ending in {suffix}."
        )
    return folder


def write_atomically(path: Path, data: bytes, *, suffix: str, opened_in: str) -> None:
    """Write ``data`` to ``path`` whole or not at all.

    The bytes go to a temporary file in the same folder, are flushed to disk, and the file
    is then renamed over ``path``; a failure removes the temporary file and leaves any
    earlier file at ``path`` as it was.

    Args:
        path: where to save.
        data: the file's bytes.
        suffix: the file name ending to suggest (".pdf").
        opened_in: the program that may hold the file open, for the message ("a PDF viewer").

    Raises:
        EsiError: the folder is missing or not writable, the file is open in another
            program, or the disk is full; the sentence names the path and what to do.
    """
    path = Path(path)
    folder = check_save_path(path, suffix=suffix)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _write_error(path, folder, exc, opened_in=opened_in) from None
    try:
        if hasattr(os, "fchmod"):  # mkstemp makes the file private; this is an ordinary file
            os.fchmod(handle, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise _write_error(path, folder, exc, opened_in=opened_in, replacing=True) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)


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
