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
