"""The background runner: work off the GUI thread, progress shown, the outcome as a sentence."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from esi_desktop import backups
from esi_desktop.errors import EsiError
from ui import app as ui_app
from ui import runner
from ui.database.backups import RestoreBackupDialog, restore_backup_dialog
from ui.runner import STATUS_BAR, Report, run_in_background


@pytest.fixture
def parent(qtbot: QtBot) -> Iterator[QMainWindow]:
    ui_app.make_application()
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


class Outcome:
    """What the callbacks were given, and on which thread."""

    def __init__(self) -> None:
        self.results: list[object] = []
        self.failures: list[EsiError] = []
        self.threads: list[threading.Thread] = []

    def success(self, result: object) -> None:
        self.threads.append(threading.current_thread())
        self.results.append(result)

    def failure(self, error: EsiError) -> None:
        self.threads.append(threading.current_thread())
        self.failures.append(error)


def test_work_runs_off_the_gui_thread_and_succeeds_on_it(parent: QMainWindow, qtbot: QtBot) -> None:
    outcome = Outcome()
    ran_in: list[threading.Thread] = []

    def work(report: Report) -> int:
        ran_in.append(threading.current_thread())
        return 42

    task = run_in_background(parent, work, on_success=outcome.success, on_failure=outcome.failure)
    qtbot.waitUntil(lambda: task.done, timeout=5000)
    assert outcome.results == [42] and outcome.failures == []
    assert ran_in[0] is not threading.main_thread()
    assert outcome.threads == [threading.main_thread()]
    assert runner.running() == 0


def test_a_failure_is_the_sentence_it_raised(parent: QMainWindow, qtbot: QtBot) -> None:
    outcome = Outcome()

    def work(report: Report) -> None:
        raise EsiError("The file is not an inspection report. Choose the report itself.")

    task = run_in_background(parent, work, on_success=outcome.success, on_failure=outcome.failure)
    task.wait()
    assert [str(error) for error in outcome.failures] == [
        "The file is not an inspection report. Choose the report itself."
    ]
    assert outcome.results == [] and outcome.threads == [threading.main_thread()]


def test_an_unexpected_error_is_logged_and_said_in_one_sentence(
    parent: QMainWindow, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "esi-desktop.log"
    monkeypatch.setattr(ui_app, "log_file", lambda: log)
    ui_app._setup_logging()
    outcome = Outcome()

    def work(report: Report) -> None:
        raise ZeroDivisionError("division by zero")

    try:
        task = run_in_background(
            parent,
            work,
            on_success=outcome.success,
            on_failure=outcome.failure,
            unexpected="The sum could not be made because of an unexpected error.",
        )
        task.wait()
    finally:
        for handler in ui_app.log.handlers:
            handler.flush()
    (error,) = outcome.failures
    assert str(error) == "The sum could not be made because of an unexpected error."
    assert "Traceback" not in str(error)
    written = log.read_text(encoding="utf-8")
    assert "ZeroDivisionError: division by zero" in written and "Traceback" in written
    for handler in list(ui_app.log.handlers):
        ui_app.log.removeHandler(handler)
        handler.close()


def test_progress_is_shown_in_a_dialog_and_can_be_cancelled(
    parent: QMainWindow, qtbot: QtBot
) -> None:
    outcome = Outcome()
    cancelled: list[bool] = []
    go_on = threading.Event()
    seen: dict[str, object] = {}

    def work(report: Report) -> str:
        report(1, 4)
        go_on.wait(10)
        for page in range(2, 1000):  # until Cancel stops it
            report(page, 1000)
            threading.Event().wait(0.01)
        return "finished"

    task = run_in_background(
        parent,
        work,
        on_success=outcome.success,
        on_failure=outcome.failure,
        on_cancel=lambda: cancelled.append(True),
        label="Counting…",
        describe=lambda done, total: f"Counting: page {done} of {total}…",
        cancellable=True,
    )
    dialog = task.progress_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.labelText() == "Counting: page 1 of 4…", timeout=5000)
    seen["maximum"], seen["value"] = dialog.maximum(), dialog.value()
    go_on.set()
    qtbot.waitUntil(dialog.isVisible, timeout=5000)  # shown once it takes a while
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: task.done, timeout=5000)
    assert (seen["maximum"], seen["value"]) == (4, 1)
    assert cancelled == [True] and outcome.results == [] and outcome.failures == []


def test_progress_in_the_status_bar(parent: QMainWindow, qtbot: QtBot) -> None:
    outcome = Outcome()
    go_on = threading.Event()

    def work(report: Report) -> None:
        report(3, 9)
        go_on.wait(10)

    task = run_in_background(
        parent,
        work,
        on_success=outcome.success,
        on_failure=outcome.failure,
        progress=STATUS_BAR,
        label="Checking…",
        describe=lambda done, total: f"Checking {done} of {total}…",
    )
    assert task.progress_dialog is None
    qtbot.waitUntil(lambda: parent.statusBar().currentMessage() == "Checking 3 of 9…")
    go_on.set()
    qtbot.waitUntil(lambda: task.done, timeout=5000)
    assert outcome.results == [None]


def test_restoring_a_backup_shows_progress_and_keeps_the_window_responsive(
    sample_db: peewee.Database,
    db_url: str,
    parent: QMainWindow,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backups.back_up(url=db_url)
    real_restore = backups.restore_backup
    restored_in: list[threading.Thread] = []
    go_on = threading.Event()

    def slow_restore(**kwargs: object) -> backups.RestoreOutcome:
        restored_in.append(threading.current_thread())
        progress = kwargs["progress"]
        assert callable(progress)
        progress(1, 10)
        go_on.wait(10)  # a big file: the window must go on painting meanwhile
        return real_restore(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(backups, "restore_backup", slow_restore)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(1))
    seen: dict[str, object] = {}

    def watch_progress() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QProgressDialog):
            QTimer.singleShot(20, watch_progress)
            return
        seen["label"] = dialog.labelText()
        seen["ticks"] = len(ticks)
        QTimer.singleShot(200, go_on.set)

    def confirm(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        restore = next(b for b in box.buttons() if b.text() == "Restore")
        timer.start()
        QTimer.singleShot(20, watch_progress)
        qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, RestoreBackupDialog)
        when_modal(qtbot, confirm, QMessageBox)
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    when_modal(qtbot, choose, RestoreBackupDialog)
    assert restore_backup_dialog(parent, db_url) is True
    timer.stop()
    assert restored_in and restored_in[0] is not threading.main_thread()
    assert seen["label"] == "Restoring the backup: page 1 of 10…"
    assert len(ticks) > int(str(seen["ticks"]))  # the GUI thread went on with its events
    assert "Restored the backup taken" in parent.statusBar().currentMessage()


def when_modal(qtbot: QtBot, action: object, kind: type[QWidget]) -> None:
    """Act on the next modal dialog of a kind as soon as it appears."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, poll)
        else:
            action(dialog)  # type: ignore[operator]

    QTimer.singleShot(20, poll)


def test_the_worker_thread_ends_with_its_work_even_while_the_gui_thread_waits(
    parent: QMainWindow, qtbot: QtBot
) -> None:
    """A window closing blocks the GUI thread in join(): the thread must end by itself."""
    outcome = Outcome()
    task = run_in_background(
        parent, lambda report: 7, on_success=outcome.success, on_failure=outcome.failure
    )
    task.join(10_000)  # no events handled meanwhile, as when the window closes
    assert task._thread.isFinished()
    qtbot.waitUntil(lambda: task.done, timeout=5000)
    assert outcome.results == [7]


def test_stop_all_stops_every_piece_of_work_at_its_next_report(
    parent: QMainWindow, qtbot: QtBot
) -> None:
    """The window closing: cancellable or not, work stops at a report and its thread ends."""
    looping, restoring = Outcome(), Outcome()
    cancelled: list[str] = []
    steps: list[int] = []
    let_go = threading.Event()

    def endless(report: Report) -> None:
        while True:
            report(len(steps), 0)
            steps.append(1)
            time.sleep(0.005)

    def copy_pages(report: Report) -> str:
        report(1, 10)
        let_go.wait(10)
        report(2, 10)  # the next page: stopped here, before anything was replaced
        return "restored"

    stoppable = run_in_background(
        parent, endless, on_success=looping.success, on_failure=looping.failure,
        on_cancel=lambda: cancelled.append("loop"), cancellable=True, progress=runner.NO_PROGRESS,
    )  # fmt: skip
    steady = run_in_background(
        parent, copy_pages, on_success=restoring.success, on_failure=restoring.failure,
        on_cancel=lambda: cancelled.append("restore"), progress=runner.NO_PROGRESS,
    )  # fmt: skip
    qtbot.waitUntil(lambda: len(steps) > 3)
    assert runner.busy() is not None
    threading.Timer(0.2, let_go.set).start()
    runner.stop_all(wait_ms=10_000)
    assert stoppable._thread.isFinished() and steady._thread.isFinished()
    qtbot.waitUntil(lambda: stoppable.done and steady.done, timeout=5000)
    assert sorted(cancelled) == ["loop", "restore"]
    assert looping.results == restoring.results == [] and restoring.failures == []
    assert runner.busy() is None


def test_the_progress_shows_when_the_total_is_not_known_and_stays_up_without_cancel(
    parent: QMainWindow, qtbot: QtBot
) -> None:
    outcome = Outcome()
    go_on = threading.Event()

    def work(report: Report) -> None:
        report(3, 0)  # pages laid out so far; how many there will be is not known
        go_on.wait(10)

    task = run_in_background(
        parent, work, on_success=outcome.success, on_failure=outcome.failure,
        label="Restoring the backup…",
    )  # fmt: skip
    dialog = task.progress_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing to cancel: the progress stays up
    assert dialog.isVisible() and QApplication.activeModalWidget() is dialog
    go_on.set()
    qtbot.waitUntil(lambda: task.done, timeout=5000)
    assert task.progress_dialog is None and QApplication.activeModalWidget() is None
    assert outcome.results == [None]
