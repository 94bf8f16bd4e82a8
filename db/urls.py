"""Database URLs: ``sqlite:///path`` or ``postgresql://user@host:port/name``, parsed, shown
without their password, and where a SQLite path is on a network share."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from db.backup import backup_folder as backup_folder
from db.backup import backup_sqlite as backup_sqlite
from db.errors import (
    DatabaseOpenError,
)


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
    # Windows' extended-length prefixes: "\\?\C:\…" is a local drive letter behind the prefix,
    # "\\?\UNC\server\share" a share; both are spelt with "/" by some programs.
    for prefix in ("\\\\?\\", "\\\\.\\", "//?/", "//./"):
        if text.startswith(prefix):
            rest = text[len(prefix) :]
            if rest[:4].upper() in ("UNC\\", "UNC/"):
                return True
            text = rest
            break
    else:
        if text.startswith(("\\\\", "//")):
            return True
    if os.name == "nt" and len(text) >= 2 and text[1] == ":":  # pragma: no cover - Windows
        import ctypes

        drive_remote = 4
        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        return bool(kernel32.GetDriveTypeW(text[:2] + "\\") == drive_remote)
    return False
