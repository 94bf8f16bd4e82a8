"""A private, throw-away PostgreSQL server for the tests and benchmarks, and admin statements."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
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


@contextlib.contextmanager
def private_server(*, durable: bool, prefix: str) -> Iterator[str | None]:
    """Start a server on a loopback port; yields its admin URL (None: no binaries here).

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
    subprocess.run(
        [*as_postgres, str(binaries / "pg_ctl"), "-D", str(data), "-w", "-l",
         str(folder / "server.log"), "-o", options, "start"],
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_postgres, str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            check=False, capture_output=True,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


def admin_execute(admin_url: str, statement: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
    import psycopg2

    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    try:
        admin.cursor().execute(statement)
    finally:
        admin.close()
