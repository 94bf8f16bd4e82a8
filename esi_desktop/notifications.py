"""Telling other copies of the program that the shared plan changed (PostgreSQL LISTEN/NOTIFY).

Every change is recorded in the audit trail inside its transaction; on PostgreSQL the same
transaction sends a notification, which the server delivers to every listener when (and only
if) the change commits. The window listens on a connection of its own and refreshes at once
instead of waiting for the minute's refresh. SQLite has no such channel; there the window
compares ``PRAGMA data_version`` instead.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

import peewee

from db.models import database_proxy
from db.server import ServerDatabase

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
    """A separate connection that listens for other programs' changes to the shared plan.

    It is made with the open server's timeouts and keepalives (so a server gone away is
    noticed on this idle connection too), and may be made on any thread; call
    :meth:`ignore_own_changes` on the thread that uses the database.
    """

    def __init__(self, server: ServerDatabase) -> None:
        """Connect and LISTEN.

        Raises:
            DatabaseConnectionLost: the server does not answer.
        """
        self._server = server
        self._ignore = ""
        self._connection: Any = server.raw_connection()
        try:
            server.run_on(self._connection, f"LISTEN {CHANNEL}")
        except BaseException:
            self.close()
            raise

    def ignore_own_changes(self) -> None:
        """Skip the notifications this program's own connection sends (it reloads anyway)."""
        self._ignore = str(_own_pid(self._server))

    def fileno(self) -> int:
        """The socket to watch for notifications."""
        return int(self._connection.fileno())

    def changes_by_others(self) -> int:
        """Read the pending notifications; how many came from other programs.

        Raises:
            DatabaseConnectionLost: this connection was closed (the server stopped, an idle
                timeout, a firewall): the open database is taken as lost too, until the
                server answers again, and the window is told (see
                :func:`esi_desktop.database.add_outage_listener`).
        """
        import psycopg2

        try:
            self._connection.poll()
        except psycopg2.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            raise self._lost(reason or "it closed the connection") from None
        if self._connection.closed:
            raise self._lost("it closed the connection")
        notes = list(self._connection.notifies)
        self._connection.notifies.clear()
        return sum(1 for note in notes if note.payload != self._ignore)

    def _lost(self, reason: str) -> Exception:
        self.close()
        return self._server.mark_lost(reason)

    def close(self) -> None:
        """Stop listening."""
        with suppress(Exception):
            self._connection.close()


def listener_for(server: peewee.Database | None = None) -> ChangeListener | None:
    """A listener on the open database (or ``server``) when it is a PostgreSQL server.

    None for SQLite or when it cannot listen; the window then refreshes every minute. Safe on
    any thread (own changes are not yet ignored: see :meth:`ChangeListener.ignore_own_changes`).
    """
    chosen = server if server is not None else database_proxy.obj
    if not isinstance(chosen, ServerDatabase):
        return None
    try:
        return ChangeListener(chosen)
    except Exception:  # no notifications: the window still refreshes every minute
        return None


def listen_again() -> ChangeListener | None:
    """After a lost connection: whether the server answers again, and a new listener on it.

    Safe on any thread (it uses connections of its own). None for a SQLite file.

    Raises:
        DatabaseConnectionLost: the server does not answer yet.
    """
    server = database_proxy.obj
    if not isinstance(server, ServerDatabase):
        return None
    server.probe()
    return ChangeListener(server)
