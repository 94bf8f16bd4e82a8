"""Shared fixtures: offscreen Qt, private user folders, a fresh database per test."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Before Qt or platformdirs are imported: never touch the real user's folders or screen.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
_HOME = Path(tempfile.mkdtemp(prefix="esi-tests-home-"))
for _name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[_name] = str(_HOME / _name.lower())

import peewee  # noqa: E402
import pytest  # noqa: E402

from esi_desktop import database  # noqa: E402
from esi_desktop.resources import SAMPLE_REPORT  # noqa: E402

REFERENCE_TEXT = SAMPLE_REPORT.read_text(encoding="utf-8")


Messages = list[tuple[str, str]]


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> Messages:
    """Message boxes the program shows, recorded instead of blocking the test.

    Warnings and notes are recorded as (title, text); questions are recorded too and
    answered Yes, as a person going ahead would.
    """
    from PySide6.QtWidgets import QMessageBox, QWidget

    shown: Messages = []

    def record(_parent: QWidget | None, title: str, text: str, *args: object) -> int:
        shown.append((title, text))
        return int(QMessageBox.StandardButton.Ok)

    def ask(_parent: QWidget | None, title: str, text: str, *args: object) -> object:
        shown.append((title, text))
        return QMessageBox.StandardButton.Yes

    for name in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, record)
    monkeypatch.setattr(QMessageBox, "question", ask)
    return shown


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """The URL of a new SQLite file in the test's folder."""
    return f"sqlite:///{tmp_path / 'esi.sqlite3'}"


@pytest.fixture
def db(db_url: str) -> Iterator[peewee.Database]:
    """An open, migrated, empty database bound to the models."""
    connection = database.connect(db_url)
    yield connection
    database.disconnect()


@pytest.fixture
def sample_db(db: peewee.Database) -> peewee.Database:
    """The database with the sample inspection loaded through the importer."""
    from esi_desktop.report_import import load_sample

    load_sample()
    return db


# ----- PostgreSQL ----------------------------------------------------------------------------
# The database tests run against both backends through the parametrised `any_db` fixture.
# .ci/run starts a server and sets ESI_TEST_POSTGRES_URL; without it, a private server is
# started here from the local PostgreSQL binaries when they are installed.

_PG_BIN_GLOBS = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/bin")


def _find_pg_bin() -> Path | None:
    import glob
    import shutil

    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    for pattern in _PG_BIN_GLOBS:
        for folder in sorted(glob.glob(pattern), reverse=True):
            if (Path(folder) / "pg_ctl").exists() and (Path(folder) / "initdb").exists():
                return Path(folder)
    return None


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A PostgreSQL server for the tests: ESI_TEST_POSTGRES_URL, or one started here."""
    url = os.environ.get("ESI_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    import shutil
    import subprocess

    binaries = _find_pg_bin()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed here; .ci/run installs and starts it")
    # not under pytest's own temporary folder: that is private to root, and the server
    # runs as the postgres user when the tests run as root
    folder = Path(tempfile.mkdtemp(prefix="esi-tests-postgres-"))
    data = folder / "data"
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        os.chmod(folder, 0o777)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run(
        [*as_postgres, str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U",
         "postgres", "--no-sync"],
        check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        [*as_postgres, str(binaries / "pg_ctl"), "-D", str(data), "-w", "-l",
         str(folder / "server.log"), "-o",
         f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
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


_pg_counter = iter(range(1, 1_000_000))


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database on each backend in turn."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'esi.sqlite3'}"
        return
    import psycopg2

    admin_url: str = request.getfixturevalue("postgres_admin_url")
    name = f"esi_test_{os.getpid()}_{next(_pg_counter)}"
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    try:
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()
    base = admin_url.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    try:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


@pytest.fixture
def any_db(any_db_url: str) -> Iterator[peewee.Database]:
    """An open, migrated, empty database on SQLite, then on PostgreSQL."""
    connection = database.connect(any_db_url)
    yield connection
    database.disconnect()


@pytest.fixture
def any_sample_db(any_db: peewee.Database) -> peewee.Database:
    """The sample inspection on SQLite, then on PostgreSQL."""
    from esi_desktop.report_import import load_sample

    load_sample()
    return any_db
