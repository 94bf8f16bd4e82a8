"""One way to run long work off the GUI thread: progress shown, the outcome back on the GUI thread.

In the spirit of Anki's ``CollectionOp``: :func:`run_in_background` runs ``work`` in a worker
thread and hands it a ``report(done, total)`` callback; the progress is shown in a progress
dialog (or the window's status bar) on the GUI thread, and then ``on_success`` is called with
what ``work`` returned, or ``on_failure`` with an :class:`~esi_desktop.errors.EsiError` whose
sentence can be shown as it is. An unexpected exception is logged (with its traceback, to the
log file) and handed over as one clear sentence instead, never as a traceback.

Reading a report, laying out a PDF and restoring a backup all run through here. The work must
not touch the database connection of the GUI thread (peewee's connections are per thread): read
what it needs first, on the GUI thread, and pass it in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QProgressDialog, QWidget

from esi_desktop.errors import EsiError

T = TypeVar("T")

#: Reports progress from the work: (done, total); a total of 0 means "not known".
Report = Callable[[int, int], None]

#: Where progress is shown: a (window-modal) progress dialog, the status bar, or nowhere.
DIALOG, STATUS_BAR, NO_PROGRESS = "dialog", "status bar", "none"

#: Said when the work failed in a way nobody foresaw (its details are in the log file).
UNEXPECTED = (
    "That could not be finished because of an unexpected error; the details were written to "
    "the log file. Nothing was changed."
)


class Cancelled(Exception):
    """Raised inside the work by ``report`` once the person has pressed Cancel."""


class _Worker(QObject):
    """Runs the work in its thread; its signals are queued to the task in the GUI thread."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)  # EsiError
    cancelled = Signal()

    def __init__(self, work: Callable[[Report], object], what: str, unexpected: str) -> None:
        super().__init__()
        self._work = work
        self._what = what
        self._unexpected = unexpected
        self.stop = threading.Event()

    def _report(self, done: int, total: int) -> None:
        # Cancel pressed, or the window closing: every piece of work can be abandoned at a
        # report of progress (a restore has replaced nothing yet; see db.backup)
        if self.stop.is_set():
            raise Cancelled
        self.progressed.emit(done, total)

    @Slot()
    def run(self) -> None:
        """Do the work; say how it ended."""
        try:
            result = self._work(self._report)
        except Cancelled:
            self.cancelled.emit()
        except EsiError as exc:
            self.failed.emit(exc)
        except Exception:
            from ui.app import log_exception

            log_exception(f"{self._what} failed")
            self.failed.emit(EsiError(self._unexpected))
        else:
            self.succeeded.emit(result)
        finally:
            # the thread's event loop ends here, not when the GUI thread gets round to it:
            # a window closing waits in join() with the GUI thread blocked
            thread = QThread.currentThread()
            if thread is not None:
                thread.quit()


class _ProgressDialog(QProgressDialog):
    """A progress dialog that, for work with nothing to cancel (a restore), stays up: Esc and
    the title bar's close would otherwise hide it and hand the window back mid-work."""

    steady = False

    def reject(self) -> None:
        if not self.steady:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.steady and self.isVisible():
            event.ignore()
            return
        super().closeEvent(event)


class BackgroundTask(QObject, Generic[T]):
    """One piece of work under way: made by :func:`run_in_background`, ended by itself.

    Signals:
        finished: emitted on the GUI thread once the work has ended (whichever way) and its
            callback has returned.

    Attributes:
        progress_dialog: the progress dialog, while one is shown (``DIALOG``).
        done: the work has ended and its callback has returned.
    """

    finished = Signal()

    def __init__(
        self,
        parent: QWidget,
        work: Callable[[Report], T],
        *,
        on_success: Callable[[T], None],
        on_failure: Callable[[EsiError], None],
        on_cancel: Callable[[], None] | None,
        progress: str,
        label: str,
        describe: Callable[[int, int], str] | None,
        title: str,
        cancellable: bool,
        unexpected: str,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._on_success = on_success
        self._on_failure = on_failure
        self._on_cancel = on_cancel
        self._progress_kind = progress
        self._label = label
        self._describe = describe
        self.done = False
        self.progress_dialog: _ProgressDialog | None = None
        if progress == DIALOG:
            dialog = _ProgressDialog(label, "Cancel" if cancellable else "", 0, 0, parent)
            dialog.steady = not cancellable
            dialog.setWindowTitle(title or label.rstrip("…"))
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(300)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            if cancellable:
                dialog.canceled.connect(self.cancel)
            else:
                dialog.setCancelButton(None)
            # QProgressDialog starts its "show after a moment" timer only from setValue
            dialog.setValue(0)
            self.progress_dialog = dialog
        elif progress == STATUS_BAR:
            self._status(label)
        self._thread = QThread(self)
        #: What is under way, for "… is still under way" ("Restoring the backup").
        self.what = label.rstrip("…")
        self._worker = _Worker(work, self.what, unexpected)  # no parent: it moves
        self._worker.moveToThread(self._thread)
        # connected before the thread starts, so no signal can be missed
        queued = Qt.ConnectionType.QueuedConnection
        self._worker.progressed.connect(self._progressed, queued)
        self._worker.succeeded.connect(self._succeeded, queued)
        self._worker.failed.connect(self._failed, queued)
        self._worker.cancelled.connect(self._cancelled, queued)
        self._thread.started.connect(self._worker.run)
        self._thread.finished.connect(self._worker.deleteLater)
        _RUNNING.add(self)

    def start(self) -> None:
        """Start the work (:func:`run_in_background` does)."""
        self._thread.start()

    @Slot()
    def cancel(self) -> None:
        """Ask the work to stop at its next report of progress."""
        self._worker.stop.set()

    def join(self, wait_ms: int) -> None:
        """Block until the worker thread has ended, at most ``wait_ms`` (closing only)."""
        self._thread.wait(wait_ms)

    def wait(self) -> None:
        """Wait for the end without blocking the GUI thread: events go on being handled.

        For callers that must answer at once (a dialog saying whether a backup was restored);
        the window stays painted and the progress moves meanwhile.
        """
        if self.done:
            return
        loop = QEventLoop()
        self.finished.connect(loop.quit)
        if not self.done:
            loop.exec()

    def _status(self, text: str, timeout: int = 0) -> None:
        window = self._parent.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, timeout)

    @Slot(int, int)
    def _progressed(self, done: int, total: int) -> None:
        text = self._describe(done, total) if self._describe is not None else self._label
        dialog = self.progress_dialog
        if dialog is not None:
            if total > 0:
                dialog.setMaximum(total)
                # a window-modal dialog's setValue runs pending events: the work's end may be
                # among them, and then the dialog is gone before the label is set
                dialog.setValue(min(done, total))
            if self.progress_dialog is dialog:
                dialog.setLabelText(text)
        elif self._progress_kind == STATUS_BAR:
            self._status(text)

    def _end(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.steady = False  # the work is over: it may close now
            self.progress_dialog.reset()
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        elif self._progress_kind == STATUS_BAR:
            self._status("", 1)
        self._thread.quit()
        self._thread.wait()

    def _finish(self) -> None:
        self.done = True
        _RUNNING.discard(self)
        self.finished.emit()
        self.deleteLater()

    @Slot(object)
    def _succeeded(self, result: T) -> None:
        self._end()
        try:
            self._on_success(result)
        finally:
            self._finish()

    @Slot(object)
    def _failed(self, error: EsiError) -> None:
        self._end()
        try:
            self._on_failure(error)
        finally:
            self._finish()

    @Slot()
    def _cancelled(self) -> None:
        self._end()
        try:
            if self._on_cancel is not None:
                self._on_cancel()
        finally:
            self._finish()


#: Work under way: Python must keep a reference to each task until it ends.
_RUNNING: set[BackgroundTask[Any]] = set()


def running() -> int:
    """How many pieces of work are under way."""
    return len(_RUNNING)


def busy() -> str | None:
    """What long work is under way ("Restoring the backup"), or None: one thing at a time."""
    return next((task.what for task in _RUNNING), None)


def say_busy(parent: QWidget) -> bool:
    """Say in the status bar that other work must finish first; False when nothing runs.

    A menu can be reached while work runs (before its progress dialog shows); starting a
    second import or restore then would race the first.
    """
    work = busy()
    if work is None:
        return False
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(
            f"{work} is still under way; try again when it has finished.", 8000
        )
    return True


def run_in_background(
    parent: QWidget,
    work: Callable[[Report], T],
    *,
    on_success: Callable[[T], None],
    on_failure: Callable[[EsiError], None],
    on_cancel: Callable[[], None] | None = None,
    progress: str = DIALOG,
    label: str = "Working…",
    describe: Callable[[int, int], str] | None = None,
    title: str = "",
    cancellable: bool = False,
    unexpected: str = UNEXPECTED,
) -> BackgroundTask[T]:
    """Run ``work(report)`` in a worker thread; call back on the GUI thread when it ends.

    Args:
        parent: the widget the progress dialog belongs to (and whose window's status bar
            shows the progress with ``STATUS_BAR``).
        work: the long work. It is given ``report(done, total)`` to call as it goes;
            ``report`` raises :class:`Cancelled` once Cancel is pressed (with
            ``cancellable``) or the window closes (:func:`stop_all`), so work must be safe to
            abandon at a report.
        on_success: called with what ``work`` returned.
        on_failure: called with the :class:`EsiError` it raised (its sentence is for the
            person); an unexpected exception is logged and becomes ``EsiError(unexpected)``.
        on_cancel: called when the work stopped because Cancel was pressed or the window
            closed.
        progress: ``DIALOG`` (a window-modal progress dialog, shown after 300 ms),
            ``STATUS_BAR`` or ``NO_PROGRESS``.
        label: what is being done ("Reading minutes.txt…").
        describe: words for a report of progress, e.g. "page 3 of 12" (default: ``label``).
        title: the progress dialog's title (default: the label).
        cancellable: offer Cancel (without it the progress dialog cannot be closed either).
        unexpected: the sentence for an unexpected error.

    Returns:
        The task under way; :meth:`BackgroundTask.wait` waits for it with events flowing.
    """
    task: BackgroundTask[T] = BackgroundTask(
        parent,
        work,
        on_success=on_success,
        on_failure=on_failure,
        on_cancel=on_cancel,
        progress=progress,
        label=label,
        describe=describe,
        title=title,
        cancellable=cancellable,
        unexpected=unexpected,
    )
    task.start()
    return task


def stop_all(*, wait_ms: int = 5000) -> None:
    """Ask every piece of work under way to stop, and wait for each (the window is closing)."""
    for task in list(_RUNNING):
        task.cancel()
        task.join(wait_ms)
