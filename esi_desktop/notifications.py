"""Telling other copies of the program that the shared plan changed (PostgreSQL LISTEN/NOTIFY).

Every change is recorded in the audit trail inside its transaction; on PostgreSQL the same
transaction sends a notification, which the server delivers to every listener when (and only
if) the change commits. The window listens on a connection of its own and refreshes at once
instead of waiting for the minute's refresh. SQLite has no such channel; there the window
compares ``PRAGMA data_version`` instead.
"""

from __future__ import annotations

from typing import Any

import peewee

from db.models import database_proxy
from esi_desktop.credentials import with_password

CHANNEL = "esi_desktop_changes"


def announce_change() -> None:
    """Notify listeners, in the current transaction, that the plan changed (PostgreSQL only).

    The payload is this connection's server process id, so a listener can ignore its own
    program's changes.
    """
    connection = database_proxy.obj
    if isinstance(connection, peewee.PostgresqlDatabase):
        connection.execute_sql(f"NOTIFY {CHANNEL}, '{_own_pid(connection)}'")


def _own_pid(connection: peewee.PostgresqlDatabase) -> int:
    return int(connection.execute_sql("SELECT pg_backend_pid()").fetchone()[0])


class ChangeListener:
    """A separate connection that listens for other programs' changes to the shared plan."""

    def __init__(self, url: str) -> None:
        import psycopg2

        connection = database_proxy.obj
        self._ignore = (
            str(_own_pid(connection)) if isinstance(connection, peewee.PostgresqlDatabase) else ""
        )
        self._connection: Any = psycopg2.connect(with_password(url))
        self._connection.autocommit = True
        with self._connection.cursor() as cursor:
            cursor.execute(f"LISTEN {CHANNEL}")

    def fileno(self) -> int:
        """The socket to watch for notifications."""
        return int(self._connection.fileno())

    def changes_by_others(self) -> int:
        """Read the pending notifications; how many came from other programs."""
        self._connection.poll()
        notes = list(self._connection.notifies)
        self._connection.notifies.clear()
        return sum(1 for note in notes if note.payload != self._ignore)

    def close(self) -> None:
        """Stop listening."""
        self._connection.close()


def listener_for(url: str) -> ChangeListener | None:
    """A listener when the database is a PostgreSQL server; None for SQLite or on failure."""
    if not url.startswith(("postgresql://", "postgres://")):
        return None
    try:
        return ChangeListener(url)
    except Exception:  # no notifications: the window still refreshes every minute
        return None
