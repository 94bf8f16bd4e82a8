"""The import, whole: choose a report, read it off the GUI thread, preview it, store it.

The window calls :meth:`ReportImport.choose_and_import` (File ▸ Import ▸ Inspection report…),
:meth:`ReportImport.import_file` or :meth:`ReportImport.load_sample`, and is told through
:attr:`ReportImport.imported` when an inspection landed, to show it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from esi_desktop import database
from esi_desktop.errors import EsiError
from esi_desktop.report import importer
from esi_desktop.report.importer import ImportPreview
from ui import runner
from ui.importing.preview_dialog import ImportPreviewDialog
from ui.runner import BackgroundTask, Report, run_in_background

TITLE = "Import inspection report"


class ReportImport(QObject):
    """Imports reports into the open database on behalf of the window.

    Signals:
        imported: an inspection was imported, refreshed or loaded as the sample (its id); the
            window shows it. The status bar is told what happened afterwards.

    Attributes:
        preview_dialog: the preview last shown (for tests).
    """

    imported = Signal(int)

    def __init__(self, window: QMainWindow, database_open: Callable[[], bool]) -> None:
        super().__init__(window)
        self._window = window
        self._database_open = database_open
        self.preview_dialog: ImportPreviewDialog | None = None

    def _status(self, text: str, timeout: int = 0) -> None:
        self._window.statusBar().showMessage(text, timeout)

    def _no_database(self) -> bool:
        if self._database_open():
            return False
        QMessageBox.information(self._window, "No database", "Open or create a database first.")
        return True

    @Slot()
    def load_sample(self) -> None:
        """Load the sample inspection (the reference report) through the importer."""
        if self._no_database() or runner.say_busy(self._window):
            return
        try:
            outcome = importer.load_sample()
        except EsiError as exc:
            if not isinstance(exc, database.DatabaseOutage):  # the window says that once
                QMessageBox.warning(self._window, "Cannot load the sample", str(exc))
            return
        self.imported.emit(outcome.inspection_id)
        self._status("Loaded the sample inspection (Gloucestershire, January 2005)", 8000)

    @Slot()
    def choose_and_import(self) -> None:
        """Choose a report file, read it off the GUI thread, preview it, import on confirmation."""
        if self._no_database() or runner.say_busy(self._window):
            return
        name, _ = QFileDialog.getOpenFileName(
            self._window, TITLE, "", "Inspection reports (*.pdf *.txt);;All files (*)"
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> BackgroundTask[ImportPreview]:
        """Read ``path`` in a worker thread with a progress dialog, then preview it."""

        def read(report: Report) -> ImportPreview:
            # the database is not touched off the GUI thread: duplicates are looked up later
            try:
                return importer.preview_report(path=path, progress=report, look_up_existing=False)
            except OSError as exc:
                raise EsiError(
                    f"Cannot read {path}: {exc.strerror or exc}. Check the file and try again."
                ) from None

        self._status(f"Reading {path.name}…")
        return run_in_background(
            self._window,
            read,
            on_success=self._confirm,
            on_failure=self._read_failed,
            label=f"Reading {path.name}…",
            describe=lambda done, total: f"Reading {path.name}: page {done} of {total}…",
            title=TITLE,
            unexpected=(
                f"{path.name} could not be read because of an unexpected error; the details "
                "were written to the log file. Nothing was imported."
            ),
        )

    def _read_failed(self, error: EsiError) -> None:
        QMessageBox.warning(self._window, "Cannot import the report", str(error))
        self._status("Import stopped; nothing was changed.", 8000)

    def _confirm(self, read: ImportPreview) -> None:
        """Preview what was read; store it when the person confirms."""
        try:
            preview = importer.preview_parsed(read.parsed)  # looks up duplicates here
        except EsiError as exc:
            if not isinstance(exc, database.DatabaseOutage):  # the window says that once
                QMessageBox.warning(self._window, "Cannot import the report", str(exc))
            return
        dialog = ImportPreviewDialog(preview, self._window)
        self.preview_dialog = dialog
        if dialog.exec() != ImportPreviewDialog.DialogCode.Accepted:
            self._status("Import cancelled; nothing was changed.", 5000)
            return
        try:
            outcome = importer.import_report(
                preview=preview, refresh=preview.existing_inspection_id is not None
            )
        except EsiError as exc:
            if not isinstance(exc, database.DatabaseOutage):  # the window says that once
                QMessageBox.warning(self._window, "Cannot import the report", str(exc))
            return
        self.imported.emit(outcome.inspection_id)
        verb = "Refreshed" if outcome.refreshed else "Imported"
        self._status(
            f"{verb} the {preview.parsed.area} report of {preview.parsed.published}.", 8000
        )
