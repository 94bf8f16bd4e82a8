"""Issue 10 §2: a read-only file or folder, a lock held too long and a full disk are one sentence.

Every command and every edit in the window names the real cause and changes nothing; none
shows a traceback or the crash dialog. Tests run as root here, which ignores permissions: a
read-only file or folder is made with ``chattr +i`` (immutable even to root) where the file
system allows it, and otherwise the test is skipped. A full disk is SQLite's
``PRAGMA max_page_count`` set to the pages the file already has; a lock is a second
connection holding ``BEGIN IMMEDIATE`` beyond a short busy timeout.
"""

from __future__ import annotations

import io
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import peewee
import pytest
from pytestqt.qtbot import QtBot

import db.connection
from db.models import database_proxy
from esi_desktop import database
from esi_desktop.cli import main
from esi_desktop.resources import SAMPLE_REPORT

BUSY_TIMEOUT = 0.2


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def sample_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database holding the sample inspection (imported through the command line)."""
    monkeypatch.setattr(db.connection, "BUSY_TIMEOUT_SECONDS", BUSY_TIMEOUT)
    path = tmp_path / "board" / "esi.sqlite3"
    status, _, err = run("import", str(SAMPLE_REPORT), "--db", f"sqlite:///{path}")
    assert (status, err) == (0, "")
    return path


def submissions(path: Path) -> int:
    with sqlite3.connect(path) as reader:
        return int(reader.execute("SELECT COUNT(*) FROM plan_submission").fetchone()[0])


@pytest.fixture
def holder(sample_file: Path) -> Iterator[sqlite3.Connection]:
    """Another program holding the database's write lock."""
    other = sqlite3.connect(sample_file, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield other
    other.execute("ROLLBACK")
    other.close()


def _immutable(path: Path, on: bool) -> bool:
    flag = "+i" if on else "-i"
    try:
        done = subprocess.run(["chattr", flag, str(path)], capture_output=True, check=False)
    except OSError:
        return False
    return done.returncode == 0


@pytest.fixture
def made_read_only() -> Iterator[list[Path]]:
    """Make files or folders read-only, even to root (and writable again afterwards)."""
    made: list[Path] = []
    yield made
    for path in reversed(made):
        _immutable(path, False)


def make_read_only(made: list[Path], path: Path) -> None:
    if not _immutable(path, True):
        pytest.skip("chattr +i is not available here: cannot make a file read-only for root")
    made.append(path)


def test_mark_sent_on_a_read_only_file_says_so_and_changes_nothing(
    sample_file: Path, made_read_only: list[Path]
) -> None:
    before = sample_file.read_bytes()
    make_read_only(made_read_only, sample_file)

    status, out, err = run("mark-sent", "--db", f"sqlite:///{sample_file}", "--force")

    assert (status, out) == (2, "")
    assert err == (
        f"main.py mark-sent: The database file {sample_file} is read-only, so nothing was "
        "changed; ask for permission to change it (or open a copy you may change) and try "
        "again.\n"
    )
    assert sample_file.read_bytes() == before


def test_a_read_only_folder_is_named_as_the_cause(
    sample_file: Path, made_read_only: list[Path]
) -> None:
    # SQLite needs the folder for its journal; the file itself may be changed
    make_read_only(made_read_only, sample_file.parent)

    status, _, err = run("mark-sent", "--db", f"sqlite:///{sample_file}", "--force")

    assert status == 2
    assert err == (
        f"main.py mark-sent: The folder {sample_file.parent} is read-only, and SQLite must "
        f"write its journal beside the database {sample_file.name}, so nothing was changed; "
        "ask for permission to change the folder, or move the database to a folder you may "
        "change.\n"
    )
    assert "Traceback" not in err
    assert err.count("\n") == 1


def test_mark_sent_while_another_program_holds_the_lock_names_the_busy_timeout(
    sample_file: Path, holder: sqlite3.Connection
) -> None:
    status, out, err = run("mark-sent", "--db", f"sqlite:///{sample_file}", "--force")

    assert (status, out) == (2, "")
    assert err == (
        f"main.py mark-sent: Another program has held the database {sample_file} locked for "
        "longer than 0.2 seconds (the busy timeout), so nothing was changed; try again once "
        "it has finished saving, or close it.\n"
    )
    holder.execute("ROLLBACK")
    holder.execute("BEGIN")  # the fixture ends the transaction it began
    assert submissions(sample_file) == 0


def _many_actions(path: Path, count: int) -> None:
    """Enough actions that recording their dates needs new pages in the file."""
    with sqlite3.connect(path) as writer:
        writer.executemany(
            "INSERT INTO action (inspection_id, text, owner, target_date, position, "
            "created_at, updated_at) VALUES (1, ?, 'ACO', '2005-09-01', ?, "
            "'2005-06-01 00:00:00', '2005-06-01 00:00:00')",
            [(f"Action number {n} of the plan", n) for n in range(count)],
        )


def test_mark_sent_on_a_full_disk_says_which_disk_and_changes_nothing(
    sample_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _many_actions(sample_file, 400)
    opened = database.connect

    def connect_to_a_full_disk(*args: object, **kwargs: object) -> peewee.Database:
        connection = opened(*args, **kwargs)  # type: ignore[arg-type]
        pages = connection.execute_sql("PRAGMA page_count").fetchone()[0]
        connection.execute_sql(f"PRAGMA max_page_count = {pages}")
        return connection

    monkeypatch.setattr(database, "connect", connect_to_a_full_disk)

    status, out, err = run("mark-sent", "--db", f"sqlite:///{sample_file}", "--force")

    assert (status, out) == (2, "")
    assert err == (
        f"main.py mark-sent: The disk holding the folder {sample_file.parent} is full, so "
        "nothing was changed; free some space on it and try again.\n"
    )
    assert submissions(sample_file) == 0


def test_a_full_disk_is_not_hidden_by_a_failed_rollback(sample_file: Path) -> None:
    """SQLite rolls back itself on a full disk: the ROLLBACK after it must not replace why."""
    connection = database.connect(f"sqlite:///{sample_file}")
    try:
        pages = connection.execute_sql("PRAGMA page_count").fetchone()[0]
        connection.execute_sql(f"PRAGMA max_page_count = {pages}")
        with (
            pytest.raises(database.DatabaseNotWritable) as raised,
            database_proxy.atomic(),
            database_proxy.atomic(),  # a savepoint, rolled back too
        ):
            connection.execute_sql(
                "INSERT INTO board_meeting (inspection_id, meeting_date, note, "
                "created_at, updated_at) VALUES (1, '2005-07-01', ?, "
                "'2005-06-01', '2005-06-01')",
                ("x" * 200_000,),
            )
        assert raised.value.cause == "full"
        assert not connection.in_transaction()
        count = connection.execute_sql("SELECT COUNT(*) FROM board_meeting").fetchone()[0]
        assert count == 0
    finally:
        database.disconnect()


def test_a_backup_to_a_full_disk_blames_that_disk_not_the_database(
    sample_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    destination = tmp_path / "usb" / "copy.sqlite3"
    destination.parent.mkdir()
    connect = sqlite3.connect

    def full_beside_destination(target: object, *args: object, **kwargs: object) -> object:
        connection = connect(target, *args, **kwargs)  # type: ignore[call-overload]
        if Path(str(target)).parent == destination.parent:
            connection.execute("PRAGMA max_page_count = 2")
        return connection

    monkeypatch.setattr(sqlite3, "connect", full_beside_destination)  # as the backup opens it

    status, out, err = run("backup", "--db", f"sqlite:///{sample_file}", "--to", str(destination))

    assert (status, out) == (2, "")
    assert err == (
        f"main.py backup: The disk holding the folder {destination.parent} is full, so the "
        f"backup {destination.name} was not written; free some space on it (or back up to "
        "another disk) and try again.\n"
    )
    assert list(destination.parent.iterdir()) == []


# ----- the window ------------------------------------------------------------------------


def test_a_plan_edit_while_another_program_holds_the_lock_shows_the_sentence(
    sample_file: Path, qtbot: QtBot, messages: list[tuple[str, str]]
) -> None:
    from PySide6.QtWidgets import QApplication

    from esi_desktop import plan
    from esi_desktop.inspections import list_inspections
    from ui import app as ui_app
    from ui.workspace import Workspace

    database.connect(f"sqlite:///{sample_file}")
    try:
        workspace = Workspace(today=lambda: date(2005, 6, 1))
        inspection_id = list_inspections()[0].id
        workspace.set_inspection(inspection_id)
        recommendation = workspace.plan().recommendations[0].id  # type: ignore[union-attr]
        other = sqlite3.connect(sample_file, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(database.DatabaseNotWritable) as raised:
                workspace.run(
                    "Add an action",
                    lambda: plan.add_action(
                        inspection_id=inspection_id,
                        recommendation_ids=[recommendation],
                        text="Review the policy",
                        owner="ACO",
                        target_date=date(2005, 9, 1),
                    ),
                    lambda action_id: plan.delete_action(action_id=action_id),
                )
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert "locked for longer than 0.2 seconds (the busy timeout)" in str(raised.value)
        assert workspace.undo_stack.count() == 0
        assert workspace.plan().actions == {}  # type: ignore[union-attr]
        # had it escaped to the crash hook, it would be the sentence, never the crash dialog
        assert QApplication.instance() is not None
        ui_app.crash_hook(type(raised.value), raised.value, None)
        assert messages[-1][1] == str(raised.value)
        assert "went wrong" not in messages[-1][0]
    finally:
        database.disconnect()


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_typing_in_the_plan_while_another_program_holds_the_lock_changes_nothing(
    sample_file: Path, qtbot: QtBot, messages: list[tuple[str, str]]
) -> None:
    from esi_desktop.inspections import list_inspections
    from tests.test_plan_view import PlanColumn, cell, edit_cell, rec_id, row_named
    from ui.edits import Edits
    from ui.plan.view import ActionPlanView
    from ui.workspace import Workspace

    database.connect(f"sqlite:///{sample_file}")
    try:
        workspace = Workspace(today=lambda: date(2005, 6, 1))
        workspace.set_inspection(list_inspections()[0].id)
        edits = Edits(workspace)
        view = ActionPlanView(workspace, edits)
        qtbot.addWidget(view)
        view.resize(1280, 720)
        view.show()
        qtbot.waitExposed(view)
        view.activateWindow()
        qtbot.waitUntil(view.isActiveWindow)
        edits.add_action([rec_id("4")], "Policy review timetable", "ACO", date(2005, 9, 1))
        other = sqlite3.connect(sample_file, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            edit_cell(
                qtbot, view, row_named(view, "Policy review timetable"), PlanColumn.OWNER, "CO"
            )
            qtbot.waitUntil(lambda: len(messages) == 1)
        finally:
            other.execute("ROLLBACK")
            other.close()
        title, text = messages[0]
        assert title == "Cannot change the owner"
        assert text == (
            f"Another program has held the database {sample_file} locked for longer than 0.2 "
            "seconds (the busy timeout), so nothing was changed; try again once it has finished "
            "saving, or close it."
        )
        assert cell(row_named(view, "Policy review timetable"), PlanColumn.OWNER) == "ACO"
    finally:
        database.disconnect()


# ----- a real full disk: a small tmpfs (needs root; skipped elsewhere) -----------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB disk of its own."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
            capture_output=True,
            check=False,
        )
    except OSError:
        pytest.skip("cannot mount a small disk here")
    if done.returncode != 0:
        pytest.skip("cannot mount a small disk here (it needs root)")
    try:
        yield mount_point
    finally:
        database.disconnect()
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(disk: Path) -> Path:
    """Fill the disk to the last byte; returns the file that does it."""
    filler = disk / "filler"
    with filler.open("ab", buffering=0) as file:
        try:
            while True:
                file.write(b"\0" * 512)
        except OSError:
            pass
    return filler


def test_mark_sent_on_a_really_full_disk(small_disk: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = small_disk / "board" / "esi.sqlite3"
    assert run("import", str(SAMPLE_REPORT), "--db", f"sqlite:///{path}")[0] == 0
    _many_actions(path, 400)
    full = (
        f"The disk holding the folder {path.parent} is full, so nothing was changed; free some "
        "space on it and try again."
    )
    filler = fill(small_disk)

    # full before it is opened: SQLite cannot even make its shared-memory file
    assert run("mark-sent", "--db", f"sqlite:///{path}", "--force") == (
        2,
        "",
        f"main.py mark-sent: {full}\n",
    )

    # full once it is open: the change cannot be written
    filler.unlink()
    opened = database.connect

    def connect_then_fill(*args: object, **kwargs: object) -> peewee.Database:
        connection = opened(*args, **kwargs)  # type: ignore[arg-type]
        fill(small_disk)
        return connection

    monkeypatch.setattr(database, "connect", connect_then_fill)
    assert run("mark-sent", "--db", f"sqlite:///{path}", "--force") == (
        2,
        "",
        f"main.py mark-sent: {full}\n",
    )
    filler.unlink()
    assert submissions(path) == 0
