"""Errors raised by the persistence layer, each with a sentence a user can act on."""

from pathlib import Path


class DatabaseOpenError(Exception):
    """The database could not be opened, created or brought up to date."""


class SchemaTooNewError(DatabaseOpenError):
    """The database was written by a newer version of the program."""


class DatabaseReplacedError(Exception):
    """The SQLite file was replaced (a backup restored over it) or removed while it was open.

    Nothing more is read from or written to the file that was open; reopening the database
    opens the file now at its path.

    Attributes:
        path: the database file.
    """

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path
