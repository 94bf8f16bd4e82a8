"""Shared fixtures: offscreen Qt, private user folders, a fresh database per test."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Before Qt or platformdirs are imported: never touch the real user's folders or screen.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
_HOME = Path(tempfile.mkdtemp(prefix="esi-tests-home-"))
for _name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[_name] = str(_HOME / _name.lower())

import peewee  # noqa: E402
import pytest  # noqa: E402

from esi_desktop import database  # noqa: E402
from esi_desktop.resources import SAMPLE_REPORT  # noqa: E402
from tests.postgres_server import admin_execute, private_server  # noqa: E402

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
def open_window(qtbot: Any, db_url: str, messages: Messages) -> Iterator[Callable[..., Any]]:
    """Opens the main window on ``db_url`` with the sample loaded by a click, as on a first run.

    Call it with the day the window takes as today; the window is closed (and the database
    disconnected) after the test.
    """
    from datetime import date

    from PySide6.QtCore import Qt

    from ui import app as ui_app
    from ui.main_window import MainWindow
    from ui.settings import Settings

    opened: list[Any] = []
    # each test starts with no remembered window geometry: a window closed by an earlier test
    # of this process (one at 200% text, say) would otherwise lay this one out
    ui_app.make_application()
    Settings().forget_geometry()

    def open_on(today: date, *, sample: bool = True) -> Any:
        ui_app.make_application()
        window = MainWindow(today=lambda: today)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.open_initial_database(db_url)
        opened.append(window)
        if sample:
            qtbot.mouseClick(window.load_sample_button, Qt.MouseButton.LeftButton)
        return window

    yield open_on
    for window in opened:
        window.close()
    database.disconnect()


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
    from esi_desktop.report.importer import load_sample

    load_sample()
    return db


@pytest.fixture
def rated_db(db: peewee.Database) -> peewee.Database:
    """The database with the Reading rated inspection (tests/rated_fixtures.py), and no other."""
    from tests.rated_fixtures import create_reading

    create_reading()
    return db


# ----- PostgreSQL ----------------------------------------------------------------------------
# The database tests run against both backends through the parametrised `any_db` fixture.
# .ci/run starts a server and sets ESI_TEST_POSTGRES_URL; without it, a private server is
# started here from the local PostgreSQL binaries when they are installed.


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A PostgreSQL server for the tests: ESI_TEST_POSTGRES_URL, or one started here."""
    url = os.environ.get("ESI_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    with private_server(durable=False, prefix="esi-tests-postgres-") as started:
        if started is None:
            pytest.skip("PostgreSQL is not installed here; .ci/run installs and starts it")
        yield started


_pg_counter = iter(range(1, 1_000_000))


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database on each backend in turn."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'esi.sqlite3'}"
        return
    admin_url: str = request.getfixturevalue("postgres_admin_url")
    name = f"esi_test_{os.getpid()}_{next(_pg_counter)}"
    admin_execute(admin_url, f'CREATE DATABASE "{name}"')
    yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def any_db(any_db_url: str) -> Iterator[peewee.Database]:
    """An open, migrated, empty database on SQLite, then on PostgreSQL."""
    connection = database.connect(any_db_url)
    yield connection
    database.disconnect()


@pytest.fixture
def any_sample_db(any_db: peewee.Database) -> peewee.Database:
    """The sample inspection on SQLite, then on PostgreSQL."""
    from esi_desktop.report.importer import load_sample

    load_sample()
    return any_db


@pytest.fixture
def any_rated_db(any_db: peewee.Database) -> peewee.Database:
    """The Reading rated inspection on SQLite, then on PostgreSQL."""
    from tests.rated_fixtures import create_reading

    create_reading()
    return any_db
