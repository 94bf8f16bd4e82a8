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


class DatabaseStorageError(Exception):
    """SQLite could not go on because of where the database is kept; nothing was changed.

    The file or its folder is read-only, another program held the file's write lock for
    longer than the busy timeout, or the disk holding it is full. The transaction was rolled
    back (SQLite may have done so itself), so the database is as it was before.

    Attributes:
        path: the database file (None for an in-memory database).
        cause: "read-only", "locked" or "full".
    """

    def __init__(self, message: str, path: Path | None = None, cause: str = "") -> None:
        super().__init__(message)
        self.path = path
        self.cause = cause


class ServerUnreachableError(Exception):
    """The PostgreSQL server did not answer: its connection was lost, or it stalled.

    Attributes:
        lost: True when the connection is gone (the server closed it, stopped, or stalled
            past the time allowed) and must be opened again; False when the server itself
            cancelled one statement that ran past the statement timeout (the connection is
            still good).
    """

    def __init__(self, message: str, lost: bool = True) -> None:
        super().__init__(message)
        self.lost = lost
