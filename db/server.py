"""A PostgreSQL server database that notices when its connection is lost or the server stalls.

psycopg2 waits for a server's answer for ever, and peewee goes on using a connection after it
died, so a stopped server used to fail every later call until the program was restarted, and
a stalled one froze the caller for as long as the stall lasted. Here:

- connecting gives up after a connect timeout, and TCP keepalives notice a dead peer on an
  idle connection (the change listener's) in about twenty seconds;
- the server cancels any statement running past the statement timeout (a setting), and a
  watchdog thread cuts the socket of a statement that gets no answer a few seconds after
  that (a server whose process has stopped answers nothing, not even keepalives' absence);
- a lost connection raises one error with a sentence (:attr:`ServerDatabase.lost_error`),
  the transaction it was in is not retried or half-kept (the server discards it with the
  connection), and every later call raises it at once, without waiting on the network,
  until :meth:`ServerDatabase.resume` after the server answers :meth:`ServerDatabase.probe`;
- in the window (:meth:`ServerDatabase.watch_for_stalls`), a statement after a quiet spell,
  and every change, first asks the server one question on a connection and a thread of their
  own, waiting at most :data:`ASK_SECONDS` for the answer: a server that has just stalled
  is found within seconds, before the window's own thread waits on it.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import peewee

from db.drivers import load_postgresql_driver
from db.errors import ServerUnreachableError

#: The statement timeout's default (seconds); the window's settings can change it.
DEFAULT_TIMEOUT_SECONDS = 15.0
#: How long connecting may take at most (seconds; libpq's minimum is 2).
CONNECT_TIMEOUT_SECONDS = 10
#: How much longer than the statement timeout the program waits before cutting the socket:
#: a working server cancels the statement itself first, and says so.
GRACE_SECONDS = 5.0

#: A statement after this long without an answer first asks whether the server is there
#: (so a burst of statements asks once; a stall that begins within it is still waited on).
QUIET_SECONDS = 0.5
#: How long the caller waits for that answer before taking the connection as lost.
ASK_SECONDS = 2.0

#: Makes the error raised when the server does not answer: (sentence, lost).
LostError = Callable[[str, bool], ServerUnreachableError]

#: Statements that only read; anything else is taken to write.
_READS = re.compile(r"\s*(SELECT|WITH|EXPLAIN|SHOW|LISTEN)\b", re.I)


def connect_parameters(timeout: float) -> dict[str, Any]:
    """libpq's parameters for a connection that neither waits nor idles for ever."""
    return {
        "connect_timeout": max(2, round(min(CONNECT_TIMEOUT_SECONDS, timeout))),
        # a dead peer on an idle connection is noticed in 5 + 3 × 3 seconds
        "keepalives": 1,
        "keepalives_idle": 5,
        "keepalives_interval": 3,
        "keepalives_count": 3,
        # data sent and never acknowledged (a network partition) ends the connection too
        "tcp_user_timeout": int((timeout + GRACE_SECONDS) * 1000),
        "options": f"-c statement_timeout={int(timeout * 1000)}",
    }


class _Watchdog:
    """One thread that cuts the socket of a statement waiting past its time.

    Shutting the socket down makes libpq's blocked read return at once ("server closed the
    connection unexpectedly"), which is the only way to stop waiting on a server that has
    stopped: a cancel request would wait on it too.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._watched: dict[int, tuple[float, int]] = {}  # token: (deadline, socket)
        self._tokens = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, fd: int, seconds: float) -> int:
        """Cut ``fd`` unless :meth:`unwatch` is called within ``seconds``; returns a token."""
        with self._lock:
            token = next(self._tokens)
            self._watched[token] = (time.monotonic() + seconds, fd)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="esi-server-watchdog", daemon=True
                )
                self._thread.start()
        return token

    def unwatch(self, token: int) -> bool:
        """Stop watching; True when the socket had already been cut."""
        with self._lock:
            return self._watched.pop(token, None) is None

    def _run(self) -> None:
        while True:
            time.sleep(0.25)  # a quarter-second's precision: no wake-up per statement
            now = time.monotonic()
            with self._lock:
                due = [token for token, (deadline, _) in self._watched.items() if deadline <= now]
                for token in due:
                    _, fd = self._watched.pop(token)
                    _cut(fd)  # under the lock: the statement cannot finish and free fd


def _cut(fd: int) -> None:
    try:
        duplicate = socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM)
    except OSError:  # pragma: no cover - the socket is already gone
        return
    with contextlib.suppress(OSError):
        duplicate.shutdown(socket.SHUT_RDWR)
    duplicate.close()  # closes the duplicate only; libpq's descriptor stays valid


_watchdog = _Watchdog()


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0].strip() if text else ""


def _is_statement_timeout(error: BaseException) -> bool:
    import psycopg2.extensions

    causes = (error, getattr(error, "orig", None), error.__context__)  # peewee keeps it as orig
    return any(isinstance(c, psycopg2.extensions.QueryCanceledError) for c in causes)


class _Asker:
    """A connection and a thread of their own, to ask a server one question in time."""

    def __init__(self, server: ServerDatabase) -> None:
        self.server = server
        self.connection: Any = None
        self.thread: threading.Thread | None = None

    def busy(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def open_in_background(self) -> None:
        """Make the connection ready, so the first question does not wait for it."""
        if self.busy():
            return

        def open_it() -> None:
            with contextlib.suppress(Exception):  # the first question finds out instead
                connection = self.server.raw_connection()
                # one kept from before an outage is dead: this one replaces it
                old, self.connection = self.connection, connection
                if old is not None:
                    with contextlib.suppress(Exception):
                        old.close()

        self.thread = threading.Thread(target=open_it, name="esi-server-ask", daemon=True)
        self.thread.start()

    def ask(self, within: float) -> str:
        """Ask the server one question; "" when it answered in time, else why not."""
        if self.busy():
            return "it has not answered the question asked before"
        opening = self.connection is None or self.connection.closed
        # opening a connection (network, TLS, password) is not the server stalling
        wait = within + (CONNECT_TIMEOUT_SECONDS if opening else 0)
        outcome: list[str] = []

        def ask_it() -> None:
            connection = None if opening else self.connection
            try:
                if connection is not None:
                    try:
                        self.server.run_on(connection, "SELECT 1")
                    except Exception:
                        connection = None  # it died meanwhile (a restart): ask anew
                if connection is None:
                    connection = self.server.raw_connection()
                    self.server.run_on(connection, "SELECT 1")
            except Exception:
                self.connection = None
                outcome.append("it closed the connection")
                return
            self.connection = connection
            outcome.append("")

        self.thread = threading.Thread(target=ask_it, name="esi-server-ask", daemon=True)
        self.thread.start()
        self.thread.join(wait)
        return outcome[0] if outcome else f"it did not answer within {wait:g} seconds"

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is not None and not self.busy():
            with contextlib.suppress(Exception):
                connection.close()


class ServerDatabase(peewee.PostgresqlDatabase):
    """A PostgreSQL database whose lost connection is one error with a sentence.

    Attributes:
        display: how to name the server to a person (user@host:port/name).
        timeout: the statement timeout in seconds; the program waits a little longer.
        lost_error: makes the error raised when the server does not answer (the
            application passes its own subclass, so the sentence reaches the user).
        last_answer: when the server last answered (``time.time()``), or None.
    """

    display: str = ""
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    lost_error: LostError = ServerUnreachableError
    last_answer: float | None = None
    _lost: str = ""  # why the connection was lost; "" while it works
    _connected_once = False
    _asker: _Asker | None = None  # set by watch_for_stalls (the window)

    # ----- the state of the connection ------------------------------------------------------

    @property
    def _local(self) -> Any:
        """peewee's per-thread connection state (``conn``, ``closed``, ``reset()``)."""
        return self._state  # type: ignore[attr-defined]

    @property
    def lost(self) -> str:
        """Why the connection was lost ("" while it works)."""
        return self._lost

    def mark_lost(self, reason: str) -> ServerUnreachableError:
        """Take the connection as lost (found by this or another connection to the server).

        Returns:
            The error to raise; every use raises it at once until :meth:`resume`.
        """
        if not self._lost:
            self._lost = reason
            connection = self._local.conn
            if connection is not None:
                with contextlib.suppress(Exception):
                    connection.close()
        return self._error()

    def resume(self) -> bool:
        """Forget a lost connection, so this thread's next statement connects again.

        Call it once :meth:`probe` succeeds. Returns False (nothing done) while a
        transaction is still unwinding on this thread.
        """
        if self.in_transaction():
            return False
        connection = self._local.conn
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()
        self._local.reset()
        self._lost = ""
        return True

    def watch_for_stalls(self) -> None:
        """Ask first, off this thread, after a quiet spell and before each change (the window).

        A command line run needs none of this: it waits, and its user can press Ctrl+C.
        """
        if self._asker is None:
            self._asker = _Asker(self)
        self._asker.open_in_background()

    def stop_watching(self) -> None:
        """Close the connection the questions are asked on."""
        if self._asker is not None:
            self._asker.close()
            self._asker = None

    def ask_first(self, within: float = ASK_SECONDS) -> None:
        """Make sure the server answers, waiting at most ``within`` seconds on this thread.

        Raises:
            ServerUnreachableError: (made by :attr:`lost_error`) no answer in time; the
                connection is now taken as lost.
        """
        if self._lost:
            raise self._error()
        if self._asker is None:
            return
        reason = self._asker.ask(within)
        if reason:
            self.mark_lost(reason)
            raise self._error()
        self.last_answer = time.time()

    def _error(self, *, committing: bool = False) -> ServerUnreachableError:
        if committing:
            outcome = (
                "; it is not known whether your change was saved, so look at it again once "
                "the server is back"
            )
        else:
            # said of reads too: the read may be the first step of a save that never started
            outcome = "; nothing was saved"
        return self.lost_error(
            f"Lost the connection to the PostgreSQL server {self.display} ({self._lost})"
            f"{outcome}. Try again once the server is back.",
            True,
        )

    def _too_slow(self, *, saving: bool) -> ServerUnreachableError:
        outcome = "; your change was not saved" if saving else ""
        unit = "second" if self.timeout == 1 else "seconds"
        return self.lost_error(
            f"The PostgreSQL server {self.display} took longer than {self.timeout:g} {unit} "
            f"to answer, so the request was stopped{outcome}. Try again; if it keeps "
            "happening, the server is overloaded or another program is holding the rows.",
            False,
        )

    @contextlib.contextmanager
    def _answered(self, *, saving: bool, committing: bool = False) -> Iterator[None]:
        """Run one exchange with the server within the time allowed."""
        if self._lost:
            raise self._error(committing=committing)
        if self._asker is not None and not self.in_transaction():
            quiet = self.last_answer is None or time.time() - self.last_answer >= QUIET_SECONDS
            if quiet:
                self.ask_first()
        if self._local.closed:
            self.connect()
        connection = self._local.conn
        if connection.closed:  # died outside a statement (closed by psycopg2 itself)
            self.mark_lost("it closed the connection")
            raise self._error(committing=committing)
        token = _watchdog.watch(connection.fileno(), self.timeout + GRACE_SECONDS)
        try:
            yield
        except Exception as exc:
            cut = _watchdog.unwatch(token)
            if cut or connection.closed:
                stall = f"it did not answer within {self.timeout + GRACE_SECONDS:g} seconds"
                self.mark_lost(stall if cut else _first_line(exc) or "it closed the connection")
                raise self._error(committing=committing) from None
            if _is_statement_timeout(exc):
                raise self._too_slow(saving=saving) from None
            raise
        if _watchdog.unwatch(token):  # answered just as it was cut: the connection is gone
            self.mark_lost(f"it did not answer within {self.timeout + GRACE_SECONDS:g} seconds")
        self.last_answer = time.time()

    # ----- peewee's entry points to the server ----------------------------------------------

    def connect(self, reuse_if_open: bool = False) -> bool:
        if self._lost:
            raise self._error()
        if not self._connected_once:  # opening: the caller says why it cannot connect
            opened: bool = super().connect(reuse_if_open)
            self._connected_once = True
            self.last_answer = time.time()
            return opened
        try:
            opened = super().connect(reuse_if_open)
        except peewee.OperationalError as exc:
            self.mark_lost(_first_line(exc) or "it does not answer")
            raise self._error() from None
        self.last_answer = time.time()
        return opened

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        saving = self.in_transaction() or _READS.match(sql) is None
        with self._answered(saving=saving):
            return super().execute_sql(sql, params)

    def begin(self, isolation_level: Any = None) -> None:
        with self._answered(saving=True):
            super().begin(isolation_level)

    def commit(self) -> None:
        with self._answered(saving=True, committing=True):
            super().commit()

    def rollback(self) -> None:
        connection = self._local.conn
        if self._lost or connection is None or connection.closed:
            return  # the server discarded the transaction with the connection
        with self._answered(saving=True):
            super().rollback()

    # ----- connections of their own (any thread) --------------------------------------------

    def raw_connection(self) -> Any:
        """A new psycopg2 connection (autocommit) with the same parameters and timeouts.

        Safe on any thread: it does not touch this database's own connection.

        Raises:
            ServerUnreachableError: (made by :attr:`lost_error`) the server does not answer.
        """
        import psycopg2

        try:
            connection = psycopg2.connect(dbname=self.database, **self.connect_params)
        except psycopg2.Error as exc:
            reason = _first_line(exc) or "it does not answer"
            raise self.lost_error(
                f"Cannot reach the PostgreSQL server {self.display} ({reason}).", True
            ) from None
        connection.autocommit = True
        return connection

    def run_on(self, connection: Any, sql: str) -> list[tuple[Any, ...]]:
        """Run one statement on a connection of :meth:`raw_connection`, within the time.

        Raises:
            ServerUnreachableError: the server closed the connection or did not answer.
        """
        import psycopg2

        token = _watchdog.watch(connection.fileno(), self.timeout + GRACE_SECONDS)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                rows = cursor.fetchall() if cursor.description else []
        except psycopg2.Error as exc:
            cut = _watchdog.unwatch(token)
            with contextlib.suppress(Exception):
                connection.close()
            reason = (
                f"it did not answer within {self.timeout + GRACE_SECONDS:g} seconds"
                if cut
                else _first_line(exc) or "it closed the connection"
            )
            raise self.lost_error(
                f"Lost the connection to the PostgreSQL server {self.display} ({reason}).", True
            ) from None
        _watchdog.unwatch(token)
        return rows

    def probe(self) -> None:
        """Connect afresh and ask the server one question; safe on any thread.

        Raises:
            ServerUnreachableError: it does not answer yet.
        """
        connection = self.raw_connection()
        try:
            self.run_on(connection, "SELECT 1")
        finally:
            with contextlib.suppress(Exception):
                connection.close()


def open_server(
    name: str,
    *,
    display: str,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    lost_error: LostError = ServerUnreachableError,
    **connection: Any,
) -> ServerDatabase:
    """A :class:`ServerDatabase` (not yet connected) for the database ``name``."""
    load_postgresql_driver()  # not loaded for a SQLite file (db.drivers)
    database = ServerDatabase(name, **connection, **connect_parameters(timeout))
    database.display = display
    database.timeout = timeout
    database.lost_error = lost_error
    return database
