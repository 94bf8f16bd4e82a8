"""A database restored or removed under a program that has it open: no save may vanish.

Another secretary's program is a real process (``tests/holder_worker.py``) holding the
database open while this one restores a backup over it, or the file is deleted. Its next read
or save must be refused with a sentence, nothing it reports saved may be lost, and the
restored file must be exactly the backup, sound. The window says so once and reopens.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import peewee
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from db import backup as store
from db.models import Action
from esi_desktop import backups, database, inspections, plan, presence
from esi_desktop.report.importer import load_sample
from tests.edit_worker import prepare_plan
from tests.test_backups import button_named, run_when_modal, snapshot
from ui import app as ui_app
from ui.database.backups import RestoreBackupDialog
from ui.main_window import PAGE_NO_DATABASE, PAGE_WORKSPACE, MainWindow

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2005, 3, 20)
#: The owner of the plan's action in the backup (prepare_plan's), and in the file after it.
OWNER_IN_BACKUP = "ACO Operations"
OWNER_BEFORE_RESTORE = "Changed after the backup"


@dataclass(frozen=True)
class PlanFile:
    """A closed database holding a plan, and a backup of it to restore."""

    url: str
    path: Path
    backup: Path


@pytest.fixture
def plan_file(tmp_path: Path) -> PlanFile:
    url = f"sqlite:///{tmp_path / 'esi.sqlite3'}"
    database.connect(url, back_up_on_open=False)
    prepare_plan(actions=1, milestones_per_action=1, responses=1)
    made = backups.back_up(url=url)
    plan.update_action(action_id=first_action(), changes={"owner": OWNER_BEFORE_RESTORE})
    database.disconnect()
    return PlanFile(url, tmp_path / "esi.sqlite3", made.path)


def first_action() -> int:
    return int(Action.select(Action.id).order_by(Action.id).first().id)


def owner_in(path: Path) -> str:
    """The owner of the plan's action, read from the file by a connection of its own."""
    connection = sqlite3.connect(path)
    try:
        return str(connection.execute("SELECT owner FROM action ORDER BY id").fetchone()[0])
    finally:
        connection.close()


def replace_underneath(path: Path, source: Path) -> None:
    """Put a copy of ``source`` in place of ``path`` as another program's restore would."""
    partial = path.with_name(path.name + ".incoming")
    shutil.copyfile(source, partial)
    for companion in ("-wal", "-shm", "-journal"):
        Path(str(path) + companion).unlink(missing_ok=True)
    os.replace(partial, path)


def main_py(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", *argv],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


class OtherProgram:
    """Another secretary's ESI Desktop, in a process of its own, holding the database open."""

    def __init__(self, url: str, errors: Path) -> None:
        self._errors = errors.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "holder_worker.py"), "--db", url],
            cwd=ROOT,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
        )
        self.pid = self.process.pid
        self._lines: queue.Queue[str] = queue.Queue()
        assert self.process.stdout is not None
        self._reader = threading.Thread(target=self._read, args=(self.process.stdout,))
        self._reader.start()
        self._error_file = errors
        assert self._next(timeout=60) == "ready"

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line.strip())
        self._lines.put("")  # it has exited

    def _next(self, timeout: float = 60) -> str:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("the other program stopped answering") from None
        if not line:
            self._errors.flush()
            raise AssertionError(
                "the other program exited: " + self._error_file.read_text()[-2000:]
            )
        return line

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def answer(self, timeout: float = 60) -> dict[str, Any]:
        answer: dict[str, Any] = json.loads(self._next(timeout))
        assert answer["outcome"] != "error", answer["message"]
        return answer

    def ask(self, command: str) -> dict[str, Any]:
        self.send(command)
        return self.answer()

    def close(self) -> None:
        """Close the database the way the program does, and exit."""
        assert self.ask("close")["message"] == "closed"
        assert self.process.wait(timeout=30) == 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=30)
        self._reader.join(timeout=30)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        self._errors.close()


@pytest.fixture
def other_program(plan_file: PlanFile, tmp_path: Path) -> Iterator[OtherProgram]:
    other = OtherProgram(plan_file.url, tmp_path / "other-program.err")
    yield other
    other.stop()


def kept_before_restore(path: Path) -> Path:
    (kept,) = [b.path for b in store.list_backups(path) if b.reason == store.BEFORE_RESTORE]
    return kept


# ----- two processes ---------------------------------------------------------------------------


def test_a_program_holding_a_restored_database_saves_nothing_more_and_says_so(
    plan_file: PlanFile, other_program: OtherProgram
) -> None:
    path = plan_file.path
    assert other_program.ask("edit saved-before")["outcome"] == "ok"

    refused = main_py("restore", str(plan_file.backup), "--db", plan_file.url, "--yes")
    assert refused.returncode == 2
    who = f"{presence.this_user()} on {presence.this_computer()} (since "
    assert f"The database {path} is open in ESI Desktop by {who}" in refused.stderr
    assert "--even-if-open" in refused.stderr and refused.stderr.count("\n") == 1
    assert owner_in(path) == "saved-before"  # refused: nothing was replaced

    restored = main_py(
        "restore", str(plan_file.backup), "--db", plan_file.url, "--yes", "--even-if-open"
    )
    assert restored.returncode == 0, restored.stderr

    saving = other_program.ask("edit saved-after")
    assert saving["outcome"] == "replaced"
    assert saving["message"] == (
        f"The database file {path} was replaced since you opened it (was a backup restored?), "
        "so your last change was not saved. Reopen the database to go on."
    )
    reading = other_program.ask("read")
    assert reading["outcome"] == "replaced"
    assert "was replaced since you opened it" in reading["message"]
    assert "not saved" not in reading["message"]  # it was not saving anything
    assert other_program.ask("edit saved-later")["outcome"] == "replaced"
    other_program.close()

    assert store.quick_check(path) == []
    assert snapshot(path) == snapshot(plan_file.backup)  # exactly the backup, none of theirs
    assert owner_in(kept_before_restore(path)) == "saved-before"  # their save is kept


def test_a_program_holding_a_deleted_database_saves_nothing_more_and_says_so(
    plan_file: PlanFile, other_program: OtherProgram
) -> None:
    assert other_program.ask("edit saved-before")["outcome"] == "ok"
    plan_file.path.unlink()  # someone deletes the file in the file manager

    saving = other_program.ask("edit saved-after")
    assert saving["outcome"] == "replaced"
    assert saving["message"] == (
        f"The database file {plan_file.path} was removed or moved since you opened it, so "
        "your last change was not saved. Put it back and reopen it, or open another database."
    )
    assert other_program.ask("read")["outcome"] == "replaced"
    other_program.close()
    assert not plan_file.path.exists()  # closing did not bring a file back


def test_nothing_from_the_old_journal_reaches_the_restored_file(
    plan_file: PlanFile, other_program: OtherProgram
) -> None:
    path = plan_file.path
    wal = Path(f"{path}-wal")
    for number in range(5):
        assert other_program.ask(f"edit old-{number}")["outcome"] == "ok"
    assert wal.stat().st_size > 0  # their saves wait in the old file's journal

    backups.restore_backup(backup=plan_file.backup, url=plan_file.url, even_if_open=True)
    database.connect(plan_file.url, back_up_on_open=False)  # a third program opens it
    try:
        plan.update_action(action_id=first_action(), changes={"owner": "new-1"})
        opened = database.opened()
        assert opened is not None and opened.journal == "wal"
        assert wal.stat().st_size > 0  # this save waits in the new file's journal

        assert other_program.ask("edit old-9")["outcome"] == "replaced"
        # closing the old connection must neither copy its journal into the new file nor
        # delete the new file's journal (SQLite sees its file has moved)
        other_program.close()
        assert wal.exists()
        assert owner_in(path) == "new-1"
        assert store.quick_check(path) == []
    finally:
        database.disconnect()
    assert owner_in(path) == "new-1"
    assert store.quick_check(path) == []
    rows = snapshot(path)
    assert not any("old-" in repr(row) for table in rows.values() for row in table)


def test_a_restore_racing_with_saves_loses_no_save_that_was_reported(
    plan_file: PlanFile, other_program: OtherProgram, tmp_path: Path
) -> None:
    log = tmp_path / "saves.jsonl"
    other_program.send(f"loop race {log}")
    assert other_program.answer()["outcome"] == "saving"  # it is saving as fast as it can
    outcome = backups.restore_backup(backup=plan_file.backup, url=plan_file.url, even_if_open=True)
    assert json.loads(other_program.answer()["message"])["error"] == 0
    other_program.close()

    attempts = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    outcomes = [attempt["outcome"] for attempt in attempts]
    assert "error" not in outcomes
    refused = outcomes.index("replaced")
    assert refused >= 20
    # once the file was replaced, no save was reported: every one after is refused
    assert set(outcomes[refused:]) == {"replaced"}
    # and every save reported happened before the restore: the last is in the kept copy
    assert outcome.kept is not None
    assert owner_in(outcome.kept.path) == attempts[refused - 1]["value"]
    # none of them reached the restored file, which is sound
    assert snapshot(plan_file.path) == snapshot(plan_file.backup)
    assert store.quick_check(plan_file.path) == []


def test_a_restore_names_who_has_the_database_open(
    plan_file: PlanFile, other_program: OtherProgram
) -> None:
    before = snapshot(plan_file.path)
    with pytest.raises(backups.DatabaseInUse) as refused:
        backups.restore_backup(backup=plan_file.backup, url=plan_file.url)
    (holder,) = refused.value.holders
    assert (holder.user, holder.computer, holder.pid) == (
        presence.this_user(),
        presence.this_computer(),
        other_program.pid,
    )
    assert "Ask them to close it, then restore again" in str(refused.value)
    assert snapshot(plan_file.path) == before

    other_program.stop()  # it crashes: its entry is left behind, but its process is gone
    backups.restore_backup(backup=plan_file.backup, url=plan_file.url)
    assert snapshot(plan_file.path) == snapshot(plan_file.backup)
    assert not presence.folder(plan_file.path).exists() or not any(
        presence.folder(plan_file.path).iterdir()
    )


def test_a_program_that_closes_the_database_is_no_longer_listed(
    plan_file: PlanFile, other_program: OtherProgram
) -> None:
    assert [h.pid for h in presence.holders(plan_file.path)] == [other_program.pid]
    other_program.close()
    assert presence.holders(plan_file.path) == []
    backups.restore_backup(backup=plan_file.backup, url=plan_file.url)


# ----- one process -----------------------------------------------------------------------------


def test_a_save_whose_file_is_replaced_before_commit_is_rolled_back(
    plan_file: PlanFile, tmp_path: Path
) -> None:
    connection = database.connect(plan_file.url, back_up_on_open=False)
    old = tmp_path / "old.sqlite3"
    os.link(plan_file.path, old)  # the file being replaced, still reachable
    found: list[str] = []
    database.add_replaced_listener(lambda error: found.append(str(error)))
    try:
        not_saved = pytest.raises(database.DatabaseReplaced, match="last change was not saved")
        with not_saved, connection.atomic():
            Action.update(owner="never saved").execute()
            replace_underneath(plan_file.path, plan_file.backup)
        assert not connection.in_transaction()
        with pytest.raises(database.DatabaseReplaced, match="Reopen the database to go on"):
            inspections.list_inspections()
        with pytest.raises(database.DatabaseReplaced):
            database.heartbeat()
        assert len(found) == 3  # the window is told at each, and says so once
    finally:
        database._replaced_listeners.clear()
        database.disconnect()
    assert owner_in(old) != "never saved"
    assert owner_in(plan_file.path) == OWNER_IN_BACKUP
    assert store.quick_check(plan_file.path) == []


def test_a_statement_outside_a_transaction_is_checked_too(plan_file: PlanFile) -> None:
    connection = database.connect(plan_file.url, back_up_on_open=False)
    try:
        replace_underneath(plan_file.path, plan_file.backup)
        with pytest.raises(database.DatabaseReplaced, match="not saved"):
            connection.execute_sql("UPDATE action SET owner = 'never saved'")
        connection.close()
        with pytest.raises(database.DatabaseReplaced):
            connection.connect()  # reconnecting does not quietly open the new file
    finally:
        database.disconnect()
    assert owner_in(plan_file.path) == OWNER_IN_BACKUP


def test_the_database_reopened_after_a_restore_is_the_restored_one(plan_file: PlanFile) -> None:
    database.connect(plan_file.url, back_up_on_open=False)
    try:
        replace_underneath(plan_file.path, plan_file.backup)
        with pytest.raises(database.DatabaseReplaced):
            plan.update_action(action_id=first_action(), changes={"owner": "lost"})
        database.disconnect()
        database.connect(plan_file.url, back_up_on_open=False)  # Reopen
        assert Action.get().owner == OWNER_IN_BACKUP
        plan.update_action(action_id=first_action(), changes={"owner": "saved"})
    finally:
        database.disconnect()
    assert owner_in(plan_file.path) == "saved"


def test_programs_gone_or_silent_are_not_listed(tmp_path: Path) -> None:
    path = tmp_path / "esi.sqlite3"
    listing = presence.folder(path)
    listing.mkdir()

    def entry(name: str, computer: str, pid: int, *, age: timedelta = timedelta(0)) -> Path:
        file = listing / f"{name}.json"
        record = {"user": name, "computer": computer, "pid": pid, "since": "2024-03-05T09:30"}
        file.write_text(json.dumps(record), encoding="utf-8")
        stamp = (datetime.now() - age).timestamp()
        os.utime(file, (stamp, stamp))
        return file

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    crashed_here = entry("crashed", presence.this_computer(), dead.pid)
    entry("me", presence.this_computer(), os.getpid())
    entry("ann", "PC-7", 4242)
    silent = entry("bob", "PC-9", 4242, age=presence.STALE_AFTER + timedelta(minutes=1))
    forgotten = entry("cat", "PC-3", 4242, age=presence.FORGOTTEN_AFTER + timedelta(hours=1))
    (listing / "notes.json").write_text("not an entry", encoding="utf-8")

    (ann,) = presence.holders(path)
    assert ann.description == "ann on PC-7 (since 09:30)"
    assert not crashed_here.exists()  # a process of this computer that is gone: tidied
    assert silent.exists() and not forgotten.exists()  # silent for a day: tidied
    assert (
        presence.describe([ann, ann]) == "ann on PC-7 (since 09:30) and ann on PC-7 (since 09:30)"
    )


def test_opening_lists_this_program_and_closing_removes_it(db_url: str) -> None:
    path = Path(db_url.removeprefix("sqlite:///"))
    database.connect(db_url)
    try:
        (file,) = presence.folder(path).iterdir()
        record = json.loads(file.read_text(encoding="utf-8"))
        assert (record["user"], record["computer"], record["pid"]) == (
            presence.this_user(),
            presence.this_computer(),
            os.getpid(),
        )
        stamp = (datetime.now() - timedelta(hours=1)).timestamp()
        os.utime(file, (stamp, stamp))
        database.heartbeat()
        assert datetime.fromtimestamp(file.stat().st_mtime) > datetime.now() - timedelta(minutes=1)
        assert presence.holders(path) == []  # never this program itself
    finally:
        database.disconnect()
    assert not presence.folder(path).exists()


def test_postgresql_is_not_checked_as_a_file(any_db: peewee.Database, any_db_url: str) -> None:
    load_sample()
    database.heartbeat()
    assert inspections.list_inspections()
    if any_db_url.startswith("postgresql"):
        with pytest.raises(backups.BackupError, match="pg_restore"):
            backups.restore_backup(backup=Path(__file__), url=any_db_url)


# ----- the window ------------------------------------------------------------------------------


@pytest.fixture
def window(qtbot: QtBot, db_url: str, messages: list[tuple[str, str]]) -> Iterator[MainWindow]:
    ui_app.make_application()
    main = MainWindow(today=lambda: TODAY)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.open_initial_database(db_url)
    qtbot.mouseClick(main.load_sample_button, Qt.MouseButton.LeftButton)
    yield main
    main.close()
    database.disconnect()


def restored_copy(db_url: str, tmp_path: Path) -> Path:
    """A backup of the window's database in which the area is renamed (to tell it apart)."""
    copy = tmp_path / "restored.sqlite3"
    backups.back_up(url=db_url, to=copy)
    connection = sqlite3.connect(copy)
    with connection:
        connection.execute("UPDATE inspection SET area = 'Restoreshire'")
    connection.close()
    return copy


def answer_replaced_box(qtbot: QtBot, button: str, seen: list[str]) -> None:
    def answer(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(f"{box.windowTitle()} | {box.text()} | {box.informativeText()}")
        qtbot.mouseClick(button_named(box, button), Qt.MouseButton.LeftButton)

    run_when_modal(qtbot, answer, QMessageBox)


def test_the_window_says_once_that_its_database_was_replaced_and_reopens_it(
    window: MainWindow, qtbot: QtBot, db_url: str, tmp_path: Path, messages: list[tuple[str, str]]
) -> None:
    from tests.test_plan_view import click, rec_row

    path = Path(db_url.removeprefix("sqlite:///"))
    restored = restored_copy(db_url, tmp_path)
    old = tmp_path / "old.sqlite3"
    for companion in ("", "-wal"):  # the file being replaced, still reachable
        os.link(f"{path}{companion}", f"{old}{companion}")
    replace_underneath(path, restored)  # another secretary restores a backup

    # the secretary adds an action to recommendation 7 on the action plan
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    view = window.plan_view
    click(qtbot, view, rec_row(view, "7"))
    seen: list[str] = []
    answer_replaced_box(qtbot, "Reopen", seen)
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view.tree, Qt.Key.Key_A, shift_ctrl)
    qtbot.waitUntil(lambda: window.inspection_switcher.currentText().startswith("Restoreshire"))

    (shown,) = seen  # one dialog, and no other warning
    assert messages == []
    assert shown.startswith("The database was replaced | ")
    assert f"The database file {path} was replaced since you opened it" in shown
    assert "a change you were making when this appeared was not saved" in shown
    assert "Saved" not in window.statusBar().currentMessage()
    assert window.workspace.undo_stack.count() == 0
    assert window.pages.currentIndex() == PAGE_WORKSPACE
    # the action was saved nowhere: neither in the restored file nor the one replaced
    assert Action.select().count() == 0
    connection = sqlite3.connect(old)
    assert connection.execute("SELECT COUNT(*) FROM action").fetchone()[0] == 0
    connection.close()

    # and the reopened database takes edits again
    click(qtbot, view, rec_row(view, "7"))
    qtbot.keyClick(view.tree, Qt.Key.Key_A, shift_ctrl)
    qtbot.waitUntil(lambda: Action.select().count() == 1)
    assert messages == [] and len(seen) == 1


@pytest.mark.parametrize("how", ["replaced", "removed"])
def test_the_minute_check_notices_while_nobody_edits(
    window: MainWindow, qtbot: QtBot, db_url: str, tmp_path: Path, how: str
) -> None:
    path = Path(db_url.removeprefix("sqlite:///"))
    if how == "replaced":
        replace_underneath(path, restored_copy(db_url, tmp_path))
    else:
        path.unlink()
    seen: list[str] = []
    answer_replaced_box(qtbot, "Close", seen)
    window.refresh_timer.timeout.emit()
    qtbot.waitUntil(lambda: window.pages.currentIndex() == PAGE_NO_DATABASE)
    window.refresh_timer.timeout.emit()  # nothing more to say
    window.refresh_if_changed()
    (shown,) = seen
    assert shown.startswith(f"The database was {how} | The database file {path} was {how}")
    assert f"was {how}" in window.no_database_label.text()
    assert database.opened() is None


def test_restoring_from_the_window_while_another_program_has_it_open(
    window: MainWindow, qtbot: QtBot, db_url: str, tmp_path: Path
) -> None:
    from db.models import Recommendation

    plan.add_action(
        inspection_id=inspections.list_inspections()[0].id,
        recommendation_ids=[Recommendation.get(Recommendation.reference == "8").id],
        text="Contact audit",
        owner="SPO Gloucester",
        target_date=date(2005, 9, 30),
    )
    backups.back_up(url=db_url)
    path = Path(db_url.removeprefix("sqlite:///"))
    other = OtherProgram(db_url, tmp_path / "other-program.err")
    try:
        seen: list[str] = []

        def anyway(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            seen.append(box.text())
            qtbot.mouseClick(button_named(box, "Restore anyway"), Qt.MouseButton.LeftButton)

        def confirm(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            run_when_modal(qtbot, anyway, QMessageBox)
            qtbot.mouseClick(button_named(box, "Restore"), Qt.MouseButton.LeftButton)

        def choose(dialog: QWidget) -> None:
            assert isinstance(dialog, RestoreBackupDialog)
            run_when_modal(qtbot, confirm, QMessageBox)
            qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

        run_when_modal(qtbot, choose, RestoreBackupDialog)
        qtbot.keyClick(
            window,
            Qt.Key.Key_B,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        qtbot.waitUntil(
            lambda: any(b.reason == store.BEFORE_RESTORE for b in store.list_backups(path))
        )
        qtbot.waitUntil(lambda: database.opened() is not None)
        (refusal,) = seen
        assert f"is open in ESI Desktop by {presence.this_user()} on " in refusal
        assert window.pages.currentIndex() == PAGE_WORKSPACE  # reopened on the restored file
        assert other.ask("read")["outcome"] == "replaced"
        other.close()
    finally:
        other.stop()
