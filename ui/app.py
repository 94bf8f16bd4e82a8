"""Starting the window: the QApplication, settings names and the crash hook."""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback
from pathlib import Path
from types import TracebackType

from platformdirs import user_log_path
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from esi_desktop import __version__
from esi_desktop.database import APP_AUTHOR, APP_NAME, DatabaseNotWritable, DatabaseOutage

log = logging.getLogger("esi_desktop")

#: Set by bench/startup.py: print the time of the first paint and quit.
FIRST_PAINT_PROBE = "ESI_DESKTOP_FIRST_PAINT_PROBE"


def log_file() -> Path:
    """The file unexpected errors are written to, in the user's log folder."""
    return user_log_path(APP_NAME, APP_AUTHOR) / "esi-desktop.log"


def _setup_logging() -> None:
    from logging.handlers import RotatingFileHandler

    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    for old in list(log.handlers):
        log.removeHandler(old)
        old.close()
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def log_exception(what: str) -> None:
    """Log the exception being handled, with its traceback, to the log file (any thread)."""
    if not log.handlers:  # set up on the first problem: start-up need not pay for it
        _setup_logging()
    log.exception(what)


def crash_hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """Log an unexpected error and show one friendly dialog instead of a traceback."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    if isinstance(value, DatabaseOutage) and QApplication.instance() is not None:
        return  # not a fault: the window has been told and says so once (replaced or lost)
    if isinstance(value, DatabaseNotWritable) and QApplication.instance() is not None:
        # not a fault of the program either (a read-only file, a lock, a full disk), and
        # nothing was changed: say the sentence, wherever the view forgot to catch it
        QMessageBox.warning(None, "ESI Desktop — nothing was changed", str(value))
        return
    if not log.handlers:  # set up on the first problem: start-up need not pay for it
        _setup_logging()
    log.error("Unexpected error\n%s", "".join(traceback.format_exception(kind, value, tb)))
    if QApplication.instance() is None:
        sys.__excepthook__(kind, value, tb)
        return
    QMessageBox.critical(
        None,
        "ESI Desktop — something went wrong",
        "Something unexpected went wrong, and what you were doing may not have finished. "
        "Your saved work is safe: every change is stored as soon as it is made.\n\n"
        f"The details were written to {log_file()}; please send that file to your "
        "support contact.",
    )


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, named so QSettings and platform folders agree."""
    from ui import accessibility

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        accessibility.install(existing)  # a test's application gets the same rules
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    accessibility.install(app)  # Tab leaves tables, outcomes are announced (issue 18)
    return app


class _FirstPaintProbe(QObject):
    """For timing start-up: prints when the window and its children have first been painted
    (the first return to the event loop after the window's paint event), then quits.
    bench/startup.py puts its own in its place, the same for the old and the new code."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        print(f"first-paint {time.time():.6f}", flush=True)
        QApplication.quit()


def run(database_url: str | None = None) -> int:
    """Open the main window on ``database_url`` (default: the user's own database)."""
    from esi_desktop.files import remove_unfinished_saves
    from ui.main_window import MainWindow

    remove_unfinished_saves()  # what an earlier, killed export left behind
    app = make_application()
    sys.excepthook = crash_hook
    window = MainWindow()
    window.open_initial_database(database_url)
    if os.environ.get(FIRST_PAINT_PROBE):
        probe = _FirstPaintProbe(window)
        window.installEventFilter(probe)
    window.show()
    return app.exec()
