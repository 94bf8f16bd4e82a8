"""Backups, restores and SQLite safety: quick_check on opening, journals on network paths."""

from __future__ import annotations

import io
import os
import random
import sqlite3
import sys
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from db import backup as store
from db.connection import (
    SqliteFileDatabase,
    choose_journal_mode,
    is_network_path,
    parse_database_url,
)
from db.models import Finding, Inspection, Recommendation
from esi_desktop import backups, database
from esi_desktop.backups import DEFAULT_KEEP as DEFAULT_BACKUPS_TO_KEEP
from esi_desktop.backups import BackupError
from esi_desktop.cli import main
from esi_desktop.database import DatabaseDamaged
from esi_desktop.report.importer import load_sample
from esi_desktop.resources import SAMPLE_REPORT
from esi_desktop.settings import BACKUPS_TO_KEEP, FORCE_ROLLBACK_JOURNAL
from ui import app as ui_app
from ui.database.backups import (
    BackupListModel,
    RestoreBackupDialog,
    network_path_warning,
    recovery_dialog,
    restore_backup_dialog,
)
from ui.settings import Settings

START = datetime(2024, 3, 5, 9, 30)
Rows = dict[str, list[tuple[object, ...]]]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def file_of(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def snapshot(path: Path) -> Rows:
    """Every row of every table of a SQLite file, in a stable order."""
    connection = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }
    finally:
        connection.close()


def change_the_plan() -> None:
    """Edits made after a backup, which a restore must take away."""
    Recommendation.update(text="Rewritten after the backup").execute()
    Finding.delete().where(Finding.kind == "strength").execute()
    Inspection.create(
        area="Northshire", programme="ESI", report_title="Report on Northshire",
        published_year=2006, published_month=3,
    )  # fmt: skip


@pytest.fixture
def sample_file(db_url: str) -> Path:
    """A closed SQLite file holding the sample inspection."""
    database.connect(db_url)
    load_sample()
    database.disconnect()
    return file_of(db_url)


def damage(path: Path, *, pages: int = 4, seed: int = 7) -> None:
    """Overwrite some pages in the middle of a real database file with garbage."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    count = len(data) // page_size
    rng = random.Random(seed)
    first = count // 2 - pages // 2
    assert first > 1, "the file is too small to damage in the middle"
    for page in range(first, first + pages):
        data[page * page_size : (page + 1) * page_size] = rng.randbytes(page_size)
    path.write_bytes(bytes(data))


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    stderr = sys.stderr
    sys.stderr = err  # argparse writes its own errors there
    try:
        status = main(list(argv), out=out, err=err)
    finally:
        sys.stderr = stderr
    return status, out.getvalue(), err.getvalue()


# ----- backup and restore --------------------------------------------------------------------


def test_backup_then_restore_gives_exactly_the_data_it_was_taken_from(
    sample_db: peewee.Database, db_url: str
) -> None:
    path = file_of(db_url)
    before = snapshot(path)
    assert sum(len(rows) for rows in before.values()) > 300  # a real plan, not an empty file
    made = backups.back_up(url=db_url)
    assert made.path.parent == path.parent / "backups"
    assert snapshot(made.path) == before

    change_the_plan()
    changed = snapshot(path)
    assert changed != before

    outcome = backups.restore_backup(backup=made.path, url=db_url)
    assert sample_db.is_closed()  # the open database was closed to be replaced
    assert snapshot(path) == before
    assert outcome.kept is not None and outcome.kept.reason == store.BEFORE_RESTORE
    assert snapshot(outcome.kept.path) == changed  # the restore can be undone

    database.connect(db_url)
    assert Inspection.select().count() == 1
    assert Recommendation.get(Recommendation.reference == "1").text != "Rewritten after the backup"
    database.disconnect()

    backups.restore_backup(backup=outcome.kept.path, url=db_url)  # undo the restore
    assert snapshot(path) == changed


def test_a_backup_is_one_self_contained_file(sample_db: peewee.Database, db_url: str) -> None:
    made = backups.back_up(url=db_url)
    with sqlite3.connect(made.path) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert sorted(p.name for p in made.path.parent.iterdir()) == [made.path.name]
    assert store.quick_check(made.path) == []


def test_a_failed_backup_leaves_nothing_behind(tmp_path: Path) -> None:
    source = sqlite3.connect(":memory:")
    source.close()
    destination = tmp_path / "backups" / "esi-20240305-093000-manual.sqlite3"
    with pytest.raises(sqlite3.ProgrammingError):
        store.backup_sqlite(source, destination)
    assert list(destination.parent.iterdir()) == []


def test_restoring_removes_a_stale_journal_beside_the_file(sample_file: Path, db_url: str) -> None:
    made = backups.back_up(url=db_url)
    before = snapshot(sample_file)
    wal = Path(f"{sample_file}-wal")
    wal.write_bytes(b"left over by a program that was killed")
    backups.restore_backup(backup=made.path, url=db_url)
    assert not wal.exists()
    assert snapshot(sample_file) == before


def test_backups_are_listed_newest_first_with_why_and_size(sample_file: Path, db_url: str) -> None:
    clock = Clock()
    backups.configure(now=clock)
    first = backups.back_up(url=db_url)
    same_second = backups.back_up(url=db_url)
    clock.advance(days=2)
    database.connect(db_url, now=clock)
    database.disconnect()
    listed = backups.list_backups(url=db_url)
    assert [b.path for b in listed[1:]] == [same_second.path, first.path]
    newest = listed[0]
    assert (newest.reason, newest.why) == (store.ON_OPEN, "made on opening")
    assert newest.when == "Thursday 7 March 2024, 09:30"
    assert newest.size > 50_000  # the sample plan, not an empty file
    assert newest.size_text.endswith("KB")
    assert backups.describe_size(2_500_000) == "2.4 MB"
    assert first.why == "made by hand"


def test_the_backup_before_an_upgrade_is_listed(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    path.write_bytes((Path(__file__).parent / "fixtures" / "schema-v1.sqlite3").read_bytes())
    database.connect(database.file_url(path), create=False)
    database.disconnect()
    reasons = [b.why for b in backups.list_backups(url=database.file_url(path))]
    assert "made before upgrading from schema version 1" in reasons


# ----- automatic backups ---------------------------------------------------------------------


def test_automatic_backup_on_open_at_most_daily(sample_file: Path, db_url: str) -> None:
    clock = Clock()
    database.connect(db_url, now=clock)
    opened = database.opened()
    assert opened is not None and opened.backup is not None
    assert opened.backup.reason == store.ON_OPEN
    assert snapshot(opened.backup.path) == snapshot(sample_file)
    database.disconnect()

    for hours in (1, 12, 23.9):
        clock.now = START + timedelta(hours=hours)
        database.connect(db_url, now=clock)
        opened = database.opened()
        assert opened is not None and opened.backup is None, hours
        database.disconnect()
    assert len(backups.list_backups(url=db_url)) == 1

    clock.now = START + timedelta(hours=24)
    database.connect(db_url, now=clock)
    opened = database.opened()
    assert opened is not None and opened.backup is not None
    database.disconnect()
    assert len(backups.list_backups(url=db_url)) == 2


def test_an_empty_database_is_not_backed_up(db: peewee.Database, db_url: str) -> None:
    database.disconnect()
    database.connect(db_url)
    opened = database.opened()
    assert opened is not None and opened.backup is None
    assert backups.before_import() is None
    assert backups.list_backups(url=db_url) == []


def test_pruning_keeps_the_newest_n_automatic_backups_and_every_manual_one(
    sample_file: Path, db_url: str
) -> None:
    clock = Clock()
    backups.configure(now=clock)
    manual = backups.back_up(url=db_url)
    made = []
    for _ in range(6):
        clock.advance(days=1)
        database.connect(db_url, now=clock, backups_to_keep=3)
        opened = database.opened()
        assert opened is not None and opened.backup is not None
        made.append(opened.backup.path)
        database.disconnect()
    kept = [b.path for b in backups.list_backups(url=db_url)]
    assert kept == [*reversed(made[-3:]), manual.path]
    assert all(not p.exists() for p in made[:3])


def test_pruning_removes_temporary_files_a_killed_process_left(tmp_path: Path) -> None:
    path = tmp_path / "esi.sqlite3"
    folder = store.backup_folder(path)
    folder.mkdir()
    stale = folder / "esi-20240101-000000-on-open.sqlite3.abc123.partial"
    fresh = folder / "esi-20240305-093000-on-open.sqlite3.def456.partial"
    for leftover in (stale, fresh):
        leftover.write_bytes(b"half a backup")
    long_ago = (START - timedelta(days=3)).timestamp()
    os.utime(stale, (long_ago, long_ago))
    assert store.prune_backups(path, 10, now=START) == [stale]
    assert fresh.exists()  # perhaps another program is writing it now


def test_backup_before_import(sample_db: peewee.Database, db_url: str) -> None:
    Recommendation.update(text="The Board's own wording").execute()
    before = snapshot(file_of(db_url))
    load_sample()  # imports the report again: a refresh
    made = [b for b in backups.list_backups(url=db_url) if b.reason == store.BEFORE_IMPORT]
    assert len(made) == 1
    assert made[0].why == "made before an import"
    assert snapshot(made[0].path) == before
    assert snapshot(file_of(db_url)) != before  # the import did change the texts back


def test_an_import_is_refused_when_its_backup_cannot_be_made(
    sample_db: peewee.Database, db_url: str
) -> None:
    (file_of(db_url).parent / "backups").write_text("a file where the backups folder goes")
    before = snapshot(file_of(db_url))
    with pytest.raises(BackupError, match="Nothing was imported"):
        load_sample()
    assert snapshot(file_of(db_url)) == before


def test_a_failed_backup_on_open_is_reported_and_the_database_still_opens(
    sample_file: Path, db_url: str
) -> None:
    (sample_file.parent / "backups").write_text("a file where the backups folder goes")
    database.connect(db_url)
    opened = database.opened()
    assert opened is not None and opened.backup is None
    assert "Cannot write the backup" in opened.backup_problem
    assert Inspection.select().count() == 1
    database.disconnect()


@pytest.mark.parametrize("any_db_url", ["postgresql"], indirect=True)
def test_postgresql_is_backed_up_on_its_server(any_sample_db: peewee.Database) -> None:
    assert backups.before_import() is None
    assert backups.back_up_on_open() is None
    opened = database.opened()
    assert opened is not None and (opened.path, opened.on_network_path) == (None, False)


def test_postgresql_backup_request_says_use_pg_dump() -> None:
    with pytest.raises(BackupError, match="make a backup with pg_dump on the server"):
        backups.back_up(url="postgresql://board@db.example/esi")
    # issue 10 §9: a restore said the database "does not back up"; it says how to restore
    with pytest.raises(BackupError, match="restore a dump made with pg_dump using pg_restore"):
        backups.list_backups(url="postgresql://board@db.example/esi")
    with pytest.raises(BackupError, match="restore a dump made with pg_dump using pg_restore"):
        backups.restore_backup(backup=Path("x.sqlite3"), url="postgresql://board@db.example/esi")


# ----- damaged files -------------------------------------------------------------------------


def test_a_damaged_file_is_detected_and_left_untouched(sample_file: Path, db_url: str) -> None:
    damage(sample_file)
    assert store.quick_check(sample_file) != []
    before = sample_file.read_bytes()
    files = sorted(os.listdir(sample_file.parent))
    with pytest.raises(DatabaseDamaged) as raised:
        database.connect(db_url, create=False)
    assert raised.value.path == sample_file
    assert str(sample_file) in str(raised.value)
    assert "Restore its newest backup" in str(raised.value)
    assert sample_file.read_bytes() == before
    assert sorted(os.listdir(sample_file.parent)) == files  # no backup, no journal
    assert database.opened() is None


def test_a_file_that_is_not_a_database_is_damaged_too(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"These are my meeting notes, not a database.\n" * 200)
    with pytest.raises(DatabaseDamaged, match="not an ESI Desktop database") as raised:
        database.connect(database.file_url(path), create=False)
    assert raised.value.path == path
    assert store.quick_check(path) == ["file is not a database"]


def test_restoring_over_a_damaged_file_works(sample_file: Path, db_url: str) -> None:
    database.connect(db_url)  # the automatic backup on opening
    database.disconnect()
    good = snapshot(sample_file)
    damage(sample_file)
    with pytest.raises(DatabaseDamaged):
        database.connect(db_url, create=False)

    newest = backups.newest_backup(url=db_url)
    assert newest is not None
    outcome = backups.restore_backup(backup=newest.path, url=db_url)
    assert snapshot(sample_file) == good
    assert outcome.kept is not None and outcome.kept.damaged
    assert store.quick_check(outcome.kept.path) != []  # kept exactly as it was
    assert backups.newest_backup(url=db_url) == newest  # a damaged copy is never offered

    database.connect(db_url, create=False)
    assert Inspection.get().area == "Gloucestershire"
    database.disconnect()


def test_a_damaged_backup_is_refused_and_nothing_changes(sample_file: Path, db_url: str) -> None:
    made = backups.back_up(url=db_url)
    damage(made.path)
    before = sample_file.read_bytes()
    with pytest.raises(BackupError, match="damaged"):
        backups.restore_backup(backup=made.path, url=db_url)
    assert sample_file.read_bytes() == before


def test_a_backup_from_a_newer_version_is_refused(sample_file: Path, db_url: str) -> None:
    made = backups.back_up(url=db_url)
    with sqlite3.connect(made.path) as newer:
        newer.execute("INSERT INTO esi_schema VALUES (99, '2030-01-01 00:00:00')")
    newer.close()
    before = sample_file.read_bytes()
    with pytest.raises(BackupError, match=r"newer version of ESI Desktop \(schema 99\)"):
        backups.restore_backup(backup=made.path, url=db_url)
    assert sample_file.read_bytes() == before


def test_a_copy_kept_elsewhere_can_be_restored(
    sample_file: Path, db_url: str, tmp_path: Path
) -> None:
    copy = tmp_path / "usb" / "plan.sqlite3"
    copy.parent.mkdir()
    backups.back_up(url=db_url, to=copy)
    outcome = backups.restore_backup(backup=copy, url=db_url)
    assert outcome.restored.why == "copy kept elsewhere"
    assert snapshot(sample_file) == snapshot(copy)


def test_a_database_in_use_is_not_replaced(sample_file: Path, db_url: str) -> None:
    made = backups.back_up(url=db_url)
    other = sqlite3.connect(sample_file, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program in the middle of writing
    try:
        with pytest.raises(BackupError, match="in use by another program"):
            backups.restore_backup(backup=made.path, url=db_url)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_the_open_database_is_reopened_when_a_restore_fails(
    sample_db: peewee.Database, db_url: str
) -> None:
    made = backups.back_up(url=db_url)
    other = sqlite3.connect(file_of(db_url), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(BackupError):
            backups.restore_backup(backup=made.path, url=db_url)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert Inspection.select().count() == 1  # still usable


# ----- journals and network paths ------------------------------------------------------------


def test_network_paths_pick_the_rollback_journal() -> None:
    unc = Path(r"\\boardserver\plans\esi.sqlite3")
    assert is_network_path(unc)
    assert choose_journal_mode(unc) == "delete"
    location = parse_database_url(r"sqlite:///\\boardserver\plans\esi.sqlite3")
    assert location.on_network_path
    assert not parse_database_url("sqlite:////home/sec/esi.sqlite3").on_network_path
    assert choose_journal_mode(Path("/home/sec/esi.sqlite3")) == "wal"
    assert choose_journal_mode(Path("/home/sec/esi.sqlite3"), force_rollback_journal=True) == (
        "delete"
    )


@pytest.mark.skipif(os.name == "nt", reason="a // path is a real UNC path on Windows")
def test_a_file_opened_through_a_network_path_uses_the_rollback_journal(tmp_path: Path) -> None:
    # POSIX keeps a leading "//" (it names the same local file), so this is a real file
    # reached through a path that looks like \\server\share
    unc_like = "//" + str(tmp_path / "shared.sqlite3").lstrip("/")
    connection = database.connect(f"sqlite:///{unc_like}")
    try:
        assert isinstance(connection, SqliteFileDatabase)
        assert connection.warn_network_path
        assert connection.execute_sql("PRAGMA journal_mode").fetchone()[0] == "delete"
        opened = database.opened()
        assert opened is not None
        assert (opened.on_network_path, opened.journal) == (True, "delete")
    finally:
        database.disconnect()


def test_the_setting_forces_the_rollback_journal(db_url: str) -> None:
    connection = database.connect(db_url)
    assert connection.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    database.disconnect()
    connection = database.connect(db_url, force_rollback_journal=True)
    try:
        assert connection.execute_sql("PRAGMA journal_mode").fetchone()[0] == "delete"
        opened = database.opened()
        assert opened is not None
        assert (opened.journal, opened.on_network_path) == ("delete", False)  # no warning
    finally:
        database.disconnect()
    assert not Path(f"{file_of(db_url)}-wal").exists()


def test_settings_declare_the_backup_and_journal_defaults(qtbot: QtBot) -> None:
    ui_app.make_application()
    settings = Settings()
    assert settings.backups_to_keep() == DEFAULT_BACKUPS_TO_KEEP == 10
    assert settings.force_rollback_journal() is False
    try:
        settings.set_value(BACKUPS_TO_KEEP, 4)
        settings.set_value(FORCE_ROLLBACK_JOURNAL, True)
        settings.sync()
        again = Settings()
        assert (again.backups_to_keep(), again.force_rollback_journal()) == (4, True)
        settings.set_value(BACKUPS_TO_KEEP, 0)
        assert settings.backups_to_keep() == 1
    finally:
        settings.set_value(BACKUPS_TO_KEEP, DEFAULT_BACKUPS_TO_KEEP)
        settings.set_value(FORCE_ROLLBACK_JOURNAL, False)
        settings.sync()


# ----- the command line ----------------------------------------------------------------------


def test_cli_backup_and_restore_end_to_end(db_url: str, tmp_path: Path) -> None:
    assert run("import", str(SAMPLE_REPORT), "--db", db_url)[0] == 0
    before = snapshot(file_of(db_url))

    status, out, err = run("backup", "--db", db_url)
    assert (status, err) == (0, "")
    assert out.startswith(f"Backed up the database {file_of(db_url)} to ")
    made = backups.list_backups(url=db_url)
    assert len(made) == 1 and str(made[0].path) in out and made[0].reason == store.MANUAL

    other = tmp_path / "northshire.txt"
    other.write_text(
        SAMPLE_REPORT.read_text(encoding="utf-8").replace("Gloucestershire", "Northshire"),
        encoding="utf-8",
    )
    assert run("import", str(other), "--db", db_url)[0] == 0
    changed = snapshot(file_of(db_url))

    status, out, err = run("restore", str(made[0].path), "--db", db_url)
    assert (status, out) == (2, "")
    assert "add --yes" in err and len(err.strip().splitlines()) == 1
    assert snapshot(file_of(db_url)) == changed

    status, out, err = run("restore", str(made[0].path), "--db", db_url, "--yes")
    assert (status, err) == (0, "")
    assert f"Restored the database {file_of(db_url)} from the backup {made[0].path}" in out
    assert "restore that to undo this" in out
    assert snapshot(file_of(db_url)) == before
    status, out, _ = run("scores", "--db", db_url, "--json")
    assert status == 0 and "Northshire" not in out


def test_cli_backup_to_a_chosen_file(db_url: str, tmp_path: Path) -> None:
    assert run("import", str(SAMPLE_REPORT), "--db", db_url)[0] == 0
    target = tmp_path / "usb" / "board-plan.sqlite3"
    target.parent.mkdir()
    status, out, _ = run("backup", "--db", db_url, "--to", str(target))
    assert status == 0 and str(target) in out
    assert snapshot(target) == snapshot(file_of(db_url))
    status, out, _ = run("backup", "--db", db_url, "--to", str(target.parent))
    assert status == 0 and len(list(target.parent.iterdir())) == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["restore", "{tmp}/absent.sqlite3", "--db", "{db}", "--yes"], "There is no backup at"),
        (["restore", "{tmp}/absent.sqlite3", "--db", "{db}"], "add --yes to do it"),
        (["restore", "{tmp}/report.txt", "--db", "{db}", "--yes"], "not an ESI Desktop database"),
        (["backup", "--db", "sqlite:///{tmp}/absent.sqlite3"], "There is no database at"),
        (["backup", "--db", "postgresql://board@db.example/esi"], "with pg_dump on the server"),
        (
            ["restore", "{tmp}/b.sqlite3", "--db", "postgresql://board@db.example/esi", "--yes"],
            "using pg_restore",
        ),
        (["backup", "--db", "{db}", "--to", "{db_file}"], "cannot be written over the database"),
        (["restore", "--db", "{db}"], "the following arguments are required: BACKUP_FILE"),
    ],
)
def test_cli_backup_errors_are_one_line_and_exit_status_2(
    argv: list[str], message: str, db_url: str, tmp_path: Path
) -> None:
    assert run("import", str(SAMPLE_REPORT), "--db", db_url)[0] == 0
    (tmp_path / "report.txt").write_text("Minutes of the Board meeting\n")
    before = snapshot(file_of(db_url))
    filled = [a.format(tmp=tmp_path, db=db_url, db_file=file_of(db_url)) for a in argv]
    status, out, err = run(*filled)
    assert (status, out) == (2, "")
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert snapshot(file_of(db_url)) == before


def test_cli_backup_commands_have_help() -> None:
    for command in ("backup", "restore"):
        out = io.StringIO()
        stdout = sys.stdout
        sys.stdout = out
        try:
            assert main([command, "--help"], out=out) == 0
        finally:
            sys.stdout = stdout
        assert f"usage: main.py {command}" in out.getvalue()


# ----- the dialogs ---------------------------------------------------------------------------


def run_when_modal(
    qtbot: QtBot, action: Callable[[QWidget], None], kind: type[QWidget] = QWidget
) -> None:
    """Act on the next modal dialog of a kind as soon as it appears."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, poll)
        else:
            action(dialog)

    QTimer.singleShot(20, poll)


def button_named(box: QMessageBox, text: str) -> QPushButton:
    for button in box.buttons():
        if isinstance(button, QPushButton) and button.text() == text:
            return button
    raise AssertionError(f"no button {text!r} in {[b.text() for b in box.buttons()]}")


@pytest.fixture
def main_window(qtbot: QtBot) -> Iterator[QMainWindow]:
    ui_app.make_application()
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


def two_backups(url: str) -> tuple[Rows, Rows]:
    """An older and a newer backup of the open database, with different data in each."""
    clock = Clock()
    backups.configure(now=clock)
    older = snapshot(file_of(url))
    backups.back_up(url=url)
    clock.advance(days=1)
    Recommendation.update(text="Changed on the second day").execute()
    newer = snapshot(file_of(url))
    backups.back_up(url=url)
    change_the_plan()
    return older, newer


def test_restore_dialog_restores_the_backup_chosen_with_the_keyboard(
    sample_db: peewee.Database, db_url: str, main_window: QMainWindow, qtbot: QtBot
) -> None:
    older, _newer = two_backups(db_url)
    seen: dict[str, object] = {}

    def confirm(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen["question"] = box.text()
        qtbot.mouseClick(button_named(box, "Restore"), Qt.MouseButton.LeftButton)

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, RestoreBackupDialog)
        model = dialog.model
        seen["rows"] = model.rowCount()
        seen["first"] = model.data(model.index(0, 0))
        seen["why"] = model.data(model.index(0, 1))
        seen["size"] = model.data(model.index(0, 2))
        qtbot.keyClick(dialog.table, Qt.Key.Key_Down)  # the older of the two
        run_when_modal(qtbot, confirm, QMessageBox)
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    run_when_modal(qtbot, choose, RestoreBackupDialog)
    assert restore_backup_dialog(main_window, db_url) is True
    assert seen["rows"] == 2
    assert seen["first"] == "Wednesday 6 March 2024, 09:30"  # newest first
    assert seen["why"] == "Made by hand"
    assert str(seen["size"]).endswith("KB")
    assert "Tuesday 5 March 2024, 09:30" in str(seen["question"])
    assert snapshot(file_of(db_url)) == older
    assert "Restored the backup taken Tuesday 5 March 2024" in (
        main_window.statusBar().currentMessage()
    )


def test_restore_dialog_cancelled_changes_nothing(
    sample_db: peewee.Database, db_url: str, main_window: QMainWindow, qtbot: QtBot
) -> None:
    two_backups(db_url)
    before = snapshot(file_of(db_url))
    run_when_modal(qtbot, lambda d: qtbot.keyClick(d, Qt.Key.Key_Escape), RestoreBackupDialog)
    assert restore_backup_dialog(main_window, db_url) is False

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, RestoreBackupDialog)
        run_when_modal(qtbot, lambda b: qtbot.keyClick(b, Qt.Key.Key_Escape), QMessageBox)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)

    run_when_modal(qtbot, choose, RestoreBackupDialog)
    assert restore_backup_dialog(main_window, db_url) is False  # declined at the question
    assert snapshot(file_of(db_url)) == before
    assert Inspection.select().count() == 2  # still open


def test_restore_dialog_explains_when_there_is_nothing_to_restore(
    db: peewee.Database,
    db_url: str,
    main_window: QMainWindow,
    messages: list[tuple[str, str]],
) -> None:
    assert restore_backup_dialog(main_window, db_url) is False
    assert "There is no backup of" in messages[-1][1]
    assert restore_backup_dialog(main_window, "postgresql://board@db.example/esi") is False
    assert "using pg_restore" in messages[-1][1]


def test_backup_list_model_passes_the_model_tester(
    sample_db: peewee.Database, db_url: str, qtmodeltester: object
) -> None:
    two_backups(db_url)
    model = BackupListModel(backups.list_backups(url=db_url))
    assert model.rowCount() == 2 and model.columnCount() == 3
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Taken"
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    model.set_backups([])
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_recovery_dialog_restores_the_newest_backup(
    sample_file: Path, db_url: str, main_window: QMainWindow, qtbot: QtBot
) -> None:
    database.connect(db_url)  # the automatic backup on opening
    database.disconnect()
    good = snapshot(sample_file)
    damage(sample_file)
    with pytest.raises(DatabaseDamaged) as raised:
        database.connect(db_url, create=False)
    seen: dict[str, str] = {}

    def restore(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen["text"] = box.text()
        seen["more"] = box.informativeText()
        qtbot.mouseClick(button_named(box, "Restore the newest backup"), Qt.MouseButton.LeftButton)

    run_when_modal(qtbot, restore, QMessageBox)
    assert recovery_dialog(main_window, raised.value.path) == db_url
    assert (
        seen["text"] == f"The database {sample_file} is damaged, so ESI Desktop has not opened it."
    )
    assert "made on opening" in seen["more"]
    assert snapshot(sample_file) == good
    database.connect(db_url, create=False)
    database.disconnect()


def test_recovery_dialog_offers_another_database_when_there_is_no_backup(
    sample_file: Path,
    tmp_path: Path,
    main_window: QMainWindow,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    damage(sample_file)
    other = tmp_path / "other.sqlite3"
    monkeypatch.setattr(
        "ui.database.backups.QFileDialog.getOpenFileName", lambda *a, **k: (str(other), "")
    )
    seen: dict[str, list[str]] = {}

    def open_another(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen["buttons"] = sorted(b.text() for b in box.buttons())
        qtbot.mouseClick(button_named(box, "Open another database…"), Qt.MouseButton.LeftButton)

    run_when_modal(qtbot, open_another, QMessageBox)
    assert recovery_dialog(main_window, sample_file) == database.file_url(other)
    assert "Restore the newest backup" not in seen["buttons"]

    run_when_modal(qtbot, lambda b: qtbot.keyClick(b, Qt.Key.Key_Escape), QMessageBox)
    assert recovery_dialog(main_window, sample_file) is None


def test_network_path_warning_says_postgresql_is_for_sharing(
    main_window: QMainWindow, messages: list[tuple[str, str]]
) -> None:
    path = Path(r"\\boardserver\plans\esi.sqlite3")
    network_path_warning(main_window, path)
    assert len(messages) == 1
    title, text = messages[0]
    assert title == "The database is on a network drive"
    assert str(path) in text
    assert "PostgreSQL is the right choice for sharing" in text


def test_a_restore_stopped_at_a_report_of_progress_leaves_nothing_behind(
    sample_file: Path, db_url: str, tmp_path: Path
) -> None:
    """The window closing mid-restore: the copy in progress goes, the database stays."""
    made = backups.back_up(url=db_url)
    before = snapshot(sample_file)
    neighbours = sorted(p.name for p in sample_file.parent.iterdir())

    class Stopped(Exception):
        pass

    def stop(done: int, total: int) -> None:
        raise Stopped  # as ui.runner's report does once the window closes

    with pytest.raises(Stopped):
        backups.restore_backup(backup=made.path, url=db_url, progress=stop)
    assert snapshot(sample_file) == before
    assert sorted(p.name for p in sample_file.parent.iterdir()) == neighbours
