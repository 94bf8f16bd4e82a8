"""Opening databases from URLs, the schema, migrations and the refusal of bad files."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import peewee
import pytest

from db.connection import parse_database_url
from db.errors import DatabaseOpenError
from db.migrations import CURRENT_VERSION, recorded_version
from db.models import (
    ALL_MODELS,
    Action,
    ActionRecommendation,
    BoardResponse,
    Inspection,
    Milestone,
    Recommendation,
)
from esi_desktop import database
from esi_desktop.database import DatabaseUnavailable

FIXTURES = Path(__file__).parent / "fixtures"


def _inspection() -> Inspection:
    return Inspection.create(
        area="Northshire", programme="ESI", report_title="Report on Northshire Probation Area",
        published_year=2006, published_month=3,
    )  # fmt: skip


def test_new_database_is_created_and_migrated(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.sqlite3"
    connection = database.connect(f"sqlite:///{path}")
    try:
        assert path.exists()
        assert recorded_version(connection) == CURRENT_VERSION
        assert connection.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        assert connection.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 1000
    finally:
        database.disconnect()


def test_models_match_the_migrated_schema(db: peewee.Database) -> None:
    for model in ALL_MODELS:
        table = model._meta.table_name
        columns = {c.name for c in db.get_columns(table)}
        fields = {f.column_name for f in model._meta.sorted_fields}
        assert columns == fields, table
        assert {"created_at", "updated_at", "version"} <= columns


def test_foreign_keys_are_enforced(db: peewee.Database) -> None:
    with pytest.raises(peewee.IntegrityError):
        Recommendation.create(
            inspection=999, reference="1", text="x", framework_id="esi-core", position=0
        )


def test_deleting_an_inspection_removes_its_children(db: peewee.Database) -> None:
    inspection = _inspection()
    recommendation = Recommendation.create(
        inspection=inspection, reference="1", text="x", framework_id="esi-core", position=0
    )
    BoardResponse.create(recommendation=recommendation, category="Agreed")
    action = Action.create(inspection=inspection, text="Do it", owner="ACO",
                           target_date=date(2006, 9, 30))  # fmt: skip
    ActionRecommendation.create(action=action, recommendation=recommendation)
    Milestone.create(action=action, title="Step", due_date=date(2006, 6, 30))
    inspection.delete_instance()
    for model in (Recommendation, BoardResponse, Action, ActionRecommendation, Milestone):
        assert model.select().count() == 0


def test_schema_checks_refuse_bad_values(db: peewee.Database) -> None:
    inspection = _inspection()
    recommendation = Recommendation.create(
        inspection=inspection, reference="1", text="x", framework_id="esi-core", position=0
    )
    with pytest.raises(peewee.IntegrityError):
        BoardResponse.create(recommendation=recommendation, category="Maybe")
    with pytest.raises(peewee.IntegrityError):
        Recommendation.create(
            inspection=inspection, reference="1", text="again", framework_id="esi-core",
            position=1,
        )  # fmt: skip


def test_timestamps_and_version_are_set(db: peewee.Database) -> None:
    inspection = _inspection()
    assert inspection.version == 1
    first = inspection.updated_at
    inspection.area = "Southshire"
    inspection.save()
    assert Inspection.get_by_id(inspection.id).updated_at >= first
    assert (
        Inspection.get_by_id(inspection.id).created_at
        <= Inspection.get_by_id(inspection.id).updated_at
    )


def test_version_1_database_upgrades_with_data_intact_and_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURES / "schema-v1.sqlite3", path)
    connection = database.connect(f"sqlite:///{path}", create=False)
    try:
        assert recorded_version(connection) == CURRENT_VERSION
        inspection = Inspection.get()
        assert (inspection.area, inspection.published_year) == ("Gloucestershire", 2005)
        assert inspection.follow_up_expected is None  # a column version 2 added
        assert BoardResponse.get().narrative == "The ACO (Operations) will report monthly."
        assert Milestone.get().status == "Complete"
    finally:
        database.disconnect()
    backups = list((tmp_path / "backups").glob("old-*-schema-v1-before-upgrade.sqlite3"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    try:
        assert copy.execute("SELECT MAX(version) FROM esi_schema").fetchone()[0] == 1
        assert copy.execute("SELECT area FROM inspection").fetchone()[0] == "Gloucestershire"
    finally:
        copy.close()


def test_newer_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    shutil.copy(FIXTURES / "schema-v1.sqlite3", path)
    raw = sqlite3.connect(path)
    raw.execute("INSERT INTO esi_schema VALUES (99, '2030-01-01 00:00:00')")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseUnavailable, match=r"newer version of ESI Desktop \(schema 99"):
        database.connect(f"sqlite:///{path}", create=False)
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_corrupt_file_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"These are my meeting notes, not a database.\n" * 200)
    before = path.read_bytes()
    with pytest.raises(DatabaseUnavailable, match="not an ESI Desktop database or is damaged"):
        database.connect(f"sqlite:///{path}", create=False)
    assert path.read_bytes() == before


def test_missing_file_is_refused_when_not_creating(tmp_path: Path) -> None:
    path = tmp_path / "absent.sqlite3"
    with pytest.raises(DatabaseUnavailable, match="There is no database at"):
        database.connect(f"sqlite:///{path}", create=False)
    assert not path.exists()


def test_folder_that_cannot_be_made_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("I am a file, not a folder")
    with pytest.raises(DatabaseUnavailable, match="Cannot create the folder"):
        database.connect(f"sqlite:///{blocker / 'esi.sqlite3'}")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://localhost/esi", "Unknown database type 'mysql'"),
        ("esi.sqlite3", "is not a database URL"),
        ("sqlite://", "names no file"),
        ("postgresql://me@localhost:5432/", "names no database"),
        ("postgresql://me@localhost:port/esi", "port"),
    ],
)
def test_bad_urls_are_refused_clearly(url: str, message: str) -> None:
    with pytest.raises(DatabaseUnavailable, match=message):
        database.connect(url)


def test_postgresql_url_is_parsed() -> None:
    location = parse_database_url("postgresql://board%20sec:pw@db.example:5433/esi")
    assert (location.backend, location.user, location.password) == ("postgresql", "board sec", "pw")
    assert (location.host, location.port, location.name) == ("db.example", 5433, "esi")
    assert location.display == "board sec@db.example:5433/esi"


def test_unreachable_postgresql_is_a_clear_error() -> None:
    # port 9 on loopback: nothing listens there, so the connection is refused at once
    with pytest.raises(DatabaseUnavailable, match="Cannot connect to the PostgreSQL database"):
        database.connect("postgresql://nobody@127.0.0.1:9/esi")


def test_sqlite_url_forms() -> None:
    assert parse_database_url("sqlite:////abs/esi.sqlite3").path == Path("/abs/esi.sqlite3")
    assert parse_database_url("sqlite:///rel/esi.sqlite3").path == Path("rel/esi.sqlite3")
    assert parse_database_url("sqlite:///:memory:").path is None


def test_default_database_lives_in_the_user_data_folder() -> None:
    path = database.default_database_path()
    assert path.name == "esi-desktop.sqlite3"
    assert "ESI Desktop" in str(path)
    assert str(path).startswith(os.environ["XDG_DATA_HOME"])


def test_database_error_is_not_a_traceback_type() -> None:
    assert issubclass(DatabaseUnavailable, Exception)
    assert not issubclass(DatabaseOpenError, DatabaseUnavailable)


def test_version_6_numbers_existing_actions_and_milestones_in_plan_order(tmp_path: Path) -> None:
    """References that never move: existing items get numbers in the order the plan shows
    them, and the counters start after the highest, so no number is given twice."""
    from db.migrations import migrate

    raw = peewee.SqliteDatabase(str(tmp_path / "v5.sqlite3"), pragmas={"foreign_keys": 1})
    raw.connect()
    try:
        migrate(raw, "v5", target=5)
        stamp = "'2005-01-01 00:00:00', '2005-01-01 00:00:00'"
        for inspection in (1, 2):
            raw.execute_sql(
                "INSERT INTO inspection (id, area, programme, report_title, published_year, "
                f"published_month, created_at, updated_at) VALUES ({inspection}, 'Area', 'ESI', "
                f"'Report', 2005, 1, {stamp})"
            )
        # inspection 1: positions out of id order; inspection 2 numbers from 1 again
        for action_id, inspection, position in ((10, 1, 2), (11, 1, 0), (12, 1, 1), (13, 2, 0)):
            raw.execute_sql(
                "INSERT INTO action (id, inspection_id, text, owner, target_date, position, "
                f"created_at, updated_at) VALUES ({action_id}, {inspection}, 'Do', 'ACO', "
                f"'2005-06-30', {position}, {stamp})"
            )
        for milestone_id, action_id, position in ((20, 11, 1), (21, 11, 0), (22, 13, 0)):
            raw.execute_sql(
                "INSERT INTO milestone (id, action_id, title, due_date, position, created_at, "
                f"updated_at) VALUES ({milestone_id}, {action_id}, 'Step', '2005-05-01', "
                f"{position}, {stamp})"
            )
        assert migrate(raw, "v5") == 5
        numbers = dict(raw.execute_sql("SELECT id, number FROM action").fetchall())
        assert numbers == {11: 1, 12: 2, 10: 3, 13: 1}
        milestones = dict(raw.execute_sql("SELECT id, number FROM milestone").fetchall())
        assert milestones == {21: 1, 20: 2, 22: 1}
        counters = dict(raw.execute_sql("SELECT id, last_action_number FROM inspection"))
        assert counters == {1: 3, 2: 1}
        per_action = dict(raw.execute_sql("SELECT id, last_milestone_number FROM action"))
        assert per_action == {10: 0, 11: 2, 12: 0, 13: 1}
        with pytest.raises(peewee.IntegrityError):  # a number is never held twice
            raw.execute_sql("UPDATE action SET number = 1 WHERE id = 12")
    finally:
        raw.close()
