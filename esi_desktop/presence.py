"""Who has a SQLite database open: one small file per program, in a folder beside the database.

A program that opens a database file writes ``<database>.esi-users/<computer>-<pid>-<n>.json``
(user, computer, process, since when), refreshes it while it keeps the database open and
removes it on closing. A restore reads the folder to say who would be affected ("jsmith on
PC-123"). A program that died leaves its file behind, so a file is ignored when its process
is gone (on this computer) or when it has not been refreshed for :data:`STALE_AFTER`.

This is courtesy, not a lock: a program that cannot write the folder (a read-only share)
simply goes unlisted, and every program still finds out for itself, at its next read or
save, that its database was replaced (:class:`esi_desktop.database.DatabaseReplaced`).
"""

from __future__ import annotations

import getpass
import json
import os
import re
import socket
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

#: The folder beside the database file holding one file per program that has it open.
FOLDER_SUFFIX = ".esi-users"
#: A program refreshes its file every minute (the window's timer); one not refreshed for this
#: long is taken to be gone (a computer switched off, a crash on another computer).
STALE_AFTER = timedelta(minutes=10)
#: An entry not refreshed for this long is removed by whoever reads the folder (its program
#: writes it again if it comes back, from a computer that was asleep).
FORGOTTEN_AFTER = timedelta(days=1)

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Holder:
    """A program that has the database open."""

    user: str
    computer: str
    pid: int
    since: datetime
    file: Path

    @property
    def description(self) -> str:
        """How to name it to a person: "jsmith on PC-123 (since 14:02)"."""
        return f"{self.user} on {self.computer} (since {self.since:%H:%M})"


def folder(path: Path) -> Path:
    """The folder that lists who has the database ``path`` open."""
    return path.with_name(path.name + FOLDER_SUFFIX)


def this_user() -> str:
    """The name the person logged in with ("someone" when the system will not say)."""
    try:
        return getpass.getuser() or "someone"
    except (OSError, KeyError, ImportError):  # no login name (a service, a container)
        return "someone"


def this_computer() -> str:
    """This computer's name."""
    return socket.gethostname() or "this computer"


class Presence:
    """This program's entry in a database's folder of users, while it has the database open."""

    def __init__(self, path: Path, file: Path, record: dict[str, object]) -> None:
        self.path = path
        self.file = file
        self._record = record

    def refresh(self) -> None:
        """Say this program still has the database open (written again if it was removed)."""
        try:
            os.utime(self.file)
        except FileNotFoundError:
            with suppress(OSError):
                self.file.parent.mkdir(exist_ok=True)
                _write(self.file, self._record)
        except OSError:
            pass

    def withdraw(self) -> None:
        """This program has closed the database."""
        with suppress(OSError):
            self.file.unlink(missing_ok=True)
        with suppress(OSError):
            folder(self.path).rmdir()  # only when no one else is listed


def register(path: Path, *, now: Clock = datetime.now) -> Presence | None:
    """List this program as having the database ``path`` open.

    Returns:
        Its entry, or None when the folder cannot be written (the program goes unlisted).
    """
    record: dict[str, object] = {
        "user": this_user(),
        "computer": this_computer(),
        "pid": os.getpid(),
        "since": now().isoformat(timespec="seconds"),
    }
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", this_computer())[:60]
    file = folder(path) / f"{safe}-{os.getpid()}-{os.urandom(4).hex()}.json"
    try:
        file.parent.mkdir(exist_ok=True)
        _write(file, record)
    except OSError:
        return None
    return Presence(path, file, record)


def _write(file: Path, record: dict[str, object]) -> None:
    partial = file.with_name(file.name + ".partial")
    partial.write_text(json.dumps(record), encoding="utf-8")
    os.replace(partial, file)


def holders(path: Path, *, now: Clock = datetime.now) -> list[Holder]:
    """The other programs that have the database ``path`` open, longest first.

    This program is never listed, nor is an entry whose process has gone (on this
    computer; its file is removed) or that was not refreshed for :data:`STALE_AFTER`.
    """
    listing = folder(path)
    if not listing.is_dir():
        return []
    here = this_computer()
    limit = now() - STALE_AFTER
    found: list[Holder] = []
    for file in listing.glob("*.json"):
        try:
            refreshed = datetime.fromtimestamp(file.stat().st_mtime)
            record = json.loads(file.read_text(encoding="utf-8"))
            holder = Holder(
                user=str(record["user"]),
                computer=str(record["computer"]),
                pid=int(record["pid"]),
                since=datetime.fromisoformat(str(record["since"])),
                file=file,
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue  # removed meanwhile, or half written by hand: not a program's entry
        if holder.computer == here:
            if holder.pid == os.getpid():
                continue
            if not _running(holder.pid):
                with suppress(OSError):
                    file.unlink()
                continue
        if refreshed < limit:
            if refreshed < now() - FORGOTTEN_AFTER:
                with suppress(OSError):
                    file.unlink()
            continue
        found.append(holder)
    return sorted(found, key=lambda h: (h.since, h.computer, h.pid))


def describe(found: list[Holder]) -> str:
    """The holders in words: "jsmith on PC-123 (since 14:02) and ann on PC-7 (since 9:15)"."""
    names = [holder.description for holder in found]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _running(pid: int) -> bool:
    """Whether a process of this computer is still running."""
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        query_limited_information, still_active, access_denied = 0x1000, 259, 5
        handle = kernel32.OpenProcess(query_limited_information, False, pid)
        if not handle:
            return bool(kernel32.GetLastError() == access_denied)
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return code.value == still_active
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
