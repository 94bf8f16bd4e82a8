"""Starting the window: the QApplication, settings names and the crash hook.

Nothing of the application layer is imported here at the top: :func:`run` first spares
PySide6 reading the source of every module imported after it (:func:`skip_pyside_source_scans`).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType, TracebackType

from platformdirs import user_log_path
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from esi_desktop import __version__

log = logging.getLogger("esi_desktop")

#: Set by bench/startup.py: print the time of the first paint and quit.
FIRST_PAINT_PROBE = "ESI_DESKTOP_FIRST_PAINT_PROBE"


class _SourceScanSkipper:
    """PySide6's test of whether a module uses it, without reading the source of ours or of
    the standard library's (see :func:`skip_pyside_source_scans`)."""

    def __init__(self, scan: object) -> None:
        #: PySide6's own test, for every other module.
        self.scan = scan

    def __call__(self, module: ModuleType) -> bool:
        top = getattr(module, "__name__", "").partition(".")[0]
        if top == "ui":
            return True  # the window's modules use PySide6 and select no feature
        if top in ("esi_desktop", "db") or top in sys.stdlib_module_names:
            return False  # never import Qt (tests/test_architecture.py); nor does the stdlib
        return bool(self.scan(module))  # type: ignore[operator]


def skip_pyside_source_scans() -> bool:
    """Spare PySide6 reading the whole source of each module imported after it.

    For its optional features (``from __feature__ import snake_case``), PySide6 reads the
    source of every module imported once it is loaded, to see whether the text names
    PySide6: about 150 modules at start-up, tens of milliseconds (issue 13). The answer only
    sets which feature set the module's code sees; ours select none, so it is known without
    reading: yes for the window's modules, no for the application layer and the standard
    library. Other modules are read as before. With a PySide6 that has no such test, or
    where it is in place already, nothing changes.

    Returns:
        Whether the test was put in place now.
    """
    feature = sys.modules.get("shibokensupport.feature")
    scan = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(scan) or isinstance(scan, _SourceScanSkipper):
        return False
    feature._mod_uses_pyside = _SourceScanSkipper(scan)  # type: ignore[attr-defined]
    return True


def log_file() -> Path:
    """The file unexpected errors are written to, in the user's log folder."""
    from esi_desktop.database import APP_AUTHOR, APP_NAME

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
    # not imported here: an error raised before the application layer was loaded is none
    # of its errors, and the hook must not fail importing it
    database = sys.modules.get("esi_desktop.database")
    outage = getattr(database, "DatabaseOutage", ())
    not_writable = getattr(database, "DatabaseNotWritable", ())
    if isinstance(value, outage) and QApplication.instance() is not None:
        return  # not a fault: the window has been told and says so once (replaced or lost)
    if isinstance(value, not_writable) and QApplication.instance() is not None:
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


def app_icon() -> QIcon:
    """The program's icon (read from its file when first drawn)."""
    from esi_desktop.resources import APP_ICON

    return QIcon(str(APP_ICON))


def make_application(argv: list[str] | None = None) -> QApplication:
    """The one QApplication, named so QSettings and platform folders agree."""
    skip_pyside_source_scans()
    from esi_desktop.database import APP_AUTHOR, APP_NAME
    from ui import accessibility

    app = QApplication.instance()
    if not isinstance(app, QApplication):  # else a test's application: the same rules
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setOrganizationName(APP_AUTHOR)
        app.setApplicationName(APP_NAME)
        app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())  # every window's, the taskbar's and the tray's
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


class _AfterFirstPaint(QObject):
    """Runs what start-up left for later just after the window's first paint, or after
    :data:`AFTER_FIRST_PAINT_MS` if the window is not painted by then (:func:`run`)."""

    def __init__(self, window: QObject, later: Callable[[], None]) -> None:
        super().__init__(window)
        self._later: Callable[[], None] | None = later
        window.installEventFilter(self)
        QTimer.singleShot(AFTER_FIRST_PAINT_MS, self._run)  # whatever becomes of the window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._run)  # after the paint, not in it
        return False

    def _run(self) -> None:
        later, self._later = self._later, None
        if later is not None:
            later()


def collector_back() -> None:
    """Collect what start-up left, keep the rest out of the collector's way, and turn it on.

    On again inside the first paint, the collector's first pass walked every object start-up
    had made (~13 ms of the paint, issue 13). What start-up made is kept for the whole run
    (modules, classes, the window and its views): frozen (:func:`gc.freeze`), the collector
    no longer walks it on every full pass. Garbage is collected first, so nothing unreachable
    is frozen. Once on, nothing to do.
    """
    if gc.isenabled():
        return
    gc.collect()
    gc.freeze()
    gc.enable()


#: At the latest this long after the window is made, what waits for its first paint is done.
AFTER_FIRST_PAINT_MS = 5000


def run(database_url: str | None = None) -> int:
    """Open the main window on ``database_url`` (default: the user's own database)."""
    skip_pyside_source_scans()  # before the application's modules are imported
    from ui import accessibility

    # the objects start-up makes (modules, classes, widgets, the plan) are kept, not garbage:
    # the collector ran a hundred times over them before the first paint, ~50 ms (issue 13)
    collecting = gc.isenabled()
    gc.disable()
    accessibility.postpone()  # the keyboard rules wait for the first paint
    try:
        from esi_desktop.files import remove_unfinished_saves
        from ui.main_window import MainWindow

        remove_unfinished_saves()  # what an earlier, killed export left behind
        app = make_application()
        sys.excepthook = crash_hook
        window = MainWindow()
        window.open_initial_database(database_url)
    except BaseException:
        accessibility.resume()
        if collecting:
            gc.enable()
        raise

    def after_first_paint() -> None:
        accessibility.resume()
        if collecting:
            collector_back()

    _AfterFirstPaint(window, after_first_paint)
    if os.environ.get(FIRST_PAINT_PROBE):
        probe = _FirstPaintProbe(window)
        window.installEventFilter(probe)
    window.show()
    return app.exec()
