"""A private, throw-away PostgreSQL server for the tests and benchmarks, and admin statements."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_PG_BIN_GLOBS = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/bin")


def find_pg_bin() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("pg_ctl")
    if found and (Path(found).parent / "initdb").exists():
        return Path(found).parent
    for pattern in _PG_BIN_GLOBS:
        for folder in sorted(glob.glob(pattern), reverse=True):
            if (Path(folder) / "pg_ctl").exists() and (Path(folder) / "initdb").exists():
                return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class ServerControl:
    """A private server the caller may stop, start again on the same port, or freeze.

    Attributes:
        url: the admin URL (postgres@127.0.0.1:port/postgres).
        data: the data folder.
    """

    url: str
    data: Path
    _pg_ctl: list[str]
    _options: str
    _log: Path

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (``pg_ctl stop -m mode``), waiting until it has."""
        subprocess.run(
            [*self._pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop"],
            check=True, capture_output=True,
        )  # fmt: skip

    def start(self) -> None:
        """Start it again on the same port, waiting until it accepts connections."""
        subprocess.run(
            [*self._pg_ctl, "-D", str(self.data), "-w", "-l", str(self._log), "-o",
             self._options, "start"],
            check=True, capture_output=True,
        )  # fmt: skip

    def processes(self) -> list[int]:
        """The postmaster's process id and its children's (the backends)."""
        first = (self.data / "postmaster.pid").read_text().splitlines()[0]
        postmaster = int(first)
        children = subprocess.run(
            ["pgrep", "-P", str(postmaster)], capture_output=True, text=True, check=False
        ).stdout.split()
        return [postmaster, *(int(pid) for pid in children)]

    def freeze(self) -> list[int]:
        """SIGSTOP every server process (a network partition, seen from here); returns them."""
        stopped = self.processes()
        for pid in stopped:
            os.kill(pid, signal.SIGSTOP)
        return stopped

    def thaw(self, stopped: list[int]) -> None:
        """SIGCONT the processes :meth:`freeze` stopped."""
        for pid in stopped:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


@contextlib.contextmanager
def controlled_server(*, durable: bool, prefix: str) -> Iterator[ServerControl | None]:
    """Start a server on a loopback port; yields its control (None: no binaries here).

    Args:
        durable: keep fsync on (benchmarks); tests turn it off for speed.
        prefix: the temporary folder's name prefix.
    """
    binaries = find_pg_bin()
    if binaries is None:
        yield None
        return
    # not under pytest's own temporary folder: that is private to root, and the server
    # runs as the postgres user when the tests run as root
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    data = folder / "data"
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        os.chmod(folder, 0o777)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    if not durable:
        options += " -c fsync=off"
    subprocess.run(
        [*as_postgres, str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U",
         "postgres", "--no-sync"],
        check=True, capture_output=True,
    )  # fmt: skip
    control = ServerControl(
        url=f"postgresql://postgres@127.0.0.1:{port}/postgres",
        data=data,
        _pg_ctl=[*as_postgres, str(binaries / "pg_ctl")],
        _options=options,
        _log=folder / "server.log",
    )
    control.start()
    try:
        yield control
    finally:
        with contextlib.suppress(FileNotFoundError, IndexError, ValueError):
            control.thaw(control.processes())  # a test that froze it and failed
        subprocess.run(
            [*as_postgres, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            check=False, capture_output=True,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def private_server(*, durable: bool, prefix: str) -> Iterator[str | None]:
    """Start a server on a loopback port; yields its admin URL (None: no binaries here).

    Args:
        durable: keep fsync on (benchmarks); tests turn it off for speed.
        prefix: the temporary folder's name prefix.
    """
    with controlled_server(durable=durable, prefix=prefix) as control:
        yield control.url if control is not None else None


def admin_execute(admin_url: str, statement: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
    import psycopg2

    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    try:
        admin.cursor().execute(statement)
    finally:
        admin.close()
