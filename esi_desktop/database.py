"""Which database the application uses, and opening it with errors a user can act on."""

from __future__ import annotations

from pathlib import Path

import peewee
from platformdirs import user_data_path

from db.connection import close_database, open_database, parse_database_url, sqlite_url
from db.errors import DatabaseOpenError
from esi_desktop.errors import EsiError

APP_NAME = "ESI Desktop"
APP_AUTHOR = "ESI Desktop"


class DatabaseUnavailable(EsiError):
    """The database could not be opened, created or updated."""


def default_database_path() -> Path:
    """The SQLite file used when no other database is chosen, in the user's data folder."""
    return user_data_path(APP_NAME, APP_AUTHOR, roaming=False) / "esi-desktop.sqlite3"


def default_database_url() -> str:
    """The URL of :func:`default_database_path`."""
    return sqlite_url(default_database_path())


def connect(url: str | None = None, *, create: bool = True) -> peewee.Database:
    """Open the database at ``url`` (default: the user's own file, created on first run).

    Raises:
        DatabaseUnavailable: with the reason in one or two sentences.
    """
    try:
        return open_database(url or default_database_url(), create=create)
    except DatabaseOpenError as exc:
        raise DatabaseUnavailable(str(exc)) from None


def disconnect() -> None:
    """Close the current database."""
    close_database()


def describe_url(url: str) -> str:
    """How to name a database to a person."""
    try:
        return parse_database_url(url).display
    except DatabaseOpenError:
        return url
