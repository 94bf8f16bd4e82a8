"""Exporting PDFs in the window: laid out off the GUI thread, previewed with QtPdf, saved whole.

The menu calls :func:`export_response_dialog`, :func:`export_progress_dialog` and
:func:`mark_plan_sent_dialog`. The document's content is read from the database on the GUI
thread (the database connection belongs to it); only the layout, which needs no database,
runs in a worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from esi_desktop import plan
from esi_desktop.errors import EsiError
from esi_desktop.file_names import safe_file_name
from esi_desktop.plan import submission
from esi_desktop.wording import long_date, plural
from ui.edits import restore_row
from ui.export.missing_items import confirm_draft_export
from ui.export.questions import MarkSentDialog, MeetingDateDialog, default_meeting
from ui.runner import BackgroundTask, run_in_background
from ui.saving import documents_folder, save_asking_to_replace
from ui.screen import fit_to_screen
from ui.workspace import Workspace

#: A layout function: takes a per-page progress callback, returns the PDF.
Render = Callable[[Callable[[int], None]], bytes]


class PdfExport(QObject):
    """One export: the layout run by :func:`ui.runner.run_in_background`, then the preview.

    It stays in :data:`_RUNNING` from the start of the layout until the preview is closed.

    Signals:
        preview_shown: the preview dialog was shown (the PdfPreviewDialog, for whoever
            wants to watch).
    """

    preview_shown = Signal(object)

    def __init__(
        self, parent: QWidget, *, title: str, render: Render, suggested_path: Path
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._title = title
        self._render = render
        self._suggested_path = suggested_path
        self.preview: PdfPreviewDialog | None = None
        self.task: BackgroundTask[bytes] | None = None
        _RUNNING.add(self)

    def start(self) -> None:
        """Start laying out (no database is touched off the GUI thread)."""
        what = self._title.lower()
        self.task = run_in_background(
            self._parent,
            lambda report: self._render(lambda pages: report(pages, 0)),
            on_success=self._on_finished,
            on_failure=self._on_failed,
            on_cancel=self._end,
            label=f"Laying out {what}…",
            describe=lambda pages, _total: f"Laying out {what}: page {pages}…",
            title=self._title,
            cancellable=True,
            unexpected=(
                "The PDF could not be laid out because of an unexpected error; the details "
                "were written to the log file. Nothing was saved."
            ),
        )

    def _end(self) -> None:
        _RUNNING.discard(self)
        self.deleteLater()

    def _on_finished(self, data: bytes) -> None:
        try:
            dialog = PdfPreviewDialog(
                data, title=self._title, suggested_path=self._suggested_path, parent=self._parent
            )
            self.preview = dialog
            self.preview_shown.emit(dialog)
            dialog.exec()
            # closed: it goes, with the PDF's bytes, its document and its view (as a child of
            # the window it would otherwise be kept until the program ends, one per export)
            dialog.deleteLater()
            self.preview = None
        finally:
            self._end()

    def _on_failed(self, error: EsiError) -> None:
        self._end()
        QMessageBox.warning(self._parent, f"Cannot make the {self._title.lower()}", str(error))


#: Exports under way: Python must keep a reference to each until it ends.
_RUNNING: set[PdfExport] = set()


class PdfPreviewDialog(QDialog):
    """The PDF as it will be saved, with Save… and, once saved, Open folder."""

    def __init__(
        self, data: bytes, *, title: str, suggested_path: Path, parent: QWidget | None = None
    ) -> None:
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        super().__init__(parent)
        self.data = data
        self.saved_path: Path | None = None
        self._suggested_path = suggested_path
        self.setWindowTitle(f"{title} — preview")
        self.setAccessibleName(f"{title} preview")

        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(data))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setAccessibleName("Document preview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        self.status = QLabel()
        self.status.setAccessibleName("Export status")
        self.status.setWordWrap(True)
        self.document.statusChanged.connect(self._describe)
        self._describe()
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        self.open_folder_button = QPushButton("Open folder")
        self.open_folder_button.setAccessibleName("Open the folder of the saved PDF")
        self.open_folder_button.setVisible(False)
        self.open_folder_button.clicked.connect(self.open_folder)
        row.addWidget(self.open_folder_button)
        layout.addLayout(row)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.addButton("Save…", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setAccessibleName("Save the PDF")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout.addWidget(buttons)
        fit_to_screen(self, 900, 1000)

    @Slot()
    def _describe(self) -> None:
        pages = self.document.pageCount()
        if self.saved_path is None:
            self.status.setText(f"{plural(pages, 'page')}. Nothing is saved until you choose Save…")

    @Slot()
    def save(self) -> None:
        """Ask where to save, then write the file whole (or not at all)."""
        start = str(self.saved_path or self._suggested_path)
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the PDF", start, "PDF documents (*.pdf);;All files (*)"
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            written = save_asking_to_replace(
                self, lambda force: submission.write_pdf_atomically(path, self.data, force=force)
            )
        except EsiError as exc:
            QMessageBox.warning(self, "Cannot save the PDF", str(exc))
            return
        if written is None:
            return  # the user kept the file of another kind
        self.saved_path = path
        self.status.setText(f"Saved to {path}")
        self.open_folder_button.setVisible(True)

    @Slot()
    def open_folder(self) -> None:
        """Show the saved file's folder in the desktop's file manager."""
        if self.saved_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.saved_path.parent)))


# ----- what the menu calls ------------------------------------------------------------------


def safe_name(text: str) -> str:
    """A suggested file name made safe on Windows: no reserved characters or device names."""
    return safe_file_name(text, fallback="export")


def inspection_or_say_so(parent: QWidget, workspace: Workspace) -> int | None:
    if workspace.inspection_id is None:
        QMessageBox.information(
            parent, "No inspection chosen", "Choose an inspection first, then export again."
        )
        return None
    return workspace.inspection_id


def _start(parent: QWidget, title: str, render: Render, suggested: Path) -> PdfExport:
    export = PdfExport(parent, title=title, render=render, suggested_path=suggested)
    export.start()
    return export


def response_to_export(parent: QWidget, workspace: Workspace, what: str) -> Any:
    """The response's content, once the secretary has seen what is missing and chosen to go
    on (a draft); None when they stopped or it could not be read (they were told).

    Args:
        what: the document in a sentence's title ("the response document").
    """
    from esi_desktop.export import response_content

    inspection_id = inspection_or_say_so(parent, workspace)
    if inspection_id is None:
        return None
    try:
        content = response_content(inspection_id=inspection_id, today=workspace.today())
    except EsiError as exc:
        QMessageBox.warning(parent, f"Cannot make {what}", str(exc))
        return None
    missing = [item.message for item in content.missing]
    unprintable = [item.message for item in content.unprintable]
    if not confirm_draft_export(parent, missing, unprintable):
        return None
    return content


def ask_meeting(parent: QWidget, workspace: Workspace, inspection_id: int) -> date | None:
    """The Board meeting a paper is for (the entered meetings offered, the next one first),
    or None when the secretary cancelled.

    Raises:
        EsiError: the inspection could not be read.
    """
    from esi_desktop.inspections import get_inspection, publication_date

    today = workspace.today()
    meetings = plan.board_meetings(inspection_id=inspection_id)
    published = publication_date(get_inspection(inspection_id=inspection_id))
    ask = MeetingDateDialog(
        meetings,
        max(default_meeting(meetings, today), published),
        published,
        parent,
        today=workspace.today,
    )
    if ask.exec() != QDialog.DialogCode.Accepted:
        return None
    return ask.chosen()


def export_response_dialog(parent: QWidget, workspace: Workspace) -> None:
    """File ▸ Export ▸ Response and action plan…: say what is missing, lay out, preview, save."""
    from esi_desktop.export import ResponseRenderer

    content = response_to_export(parent, workspace, "the response document")
    if content is None:
        return
    draft = " (draft)" if content.missing else ""
    name = safe_name(f"{content.area} response and action plan{draft}.pdf")
    _start(
        parent,
        f"Response and action plan{draft}",
        lambda on_page: ResponseRenderer(content, on_page=on_page).render(),
        documents_folder() / name,
    )


def export_progress_dialog(parent: QWidget, workspace: Workspace) -> None:
    """File ▸ Export ▸ Board progress paper…: ask the meeting date, lay out, preview, save."""
    from esi_desktop.export import ProgressRenderer, progress_content

    inspection_id = inspection_or_say_so(parent, workspace)
    if inspection_id is None:
        return
    try:
        meeting = ask_meeting(parent, workspace, inspection_id)
        if meeting is None:
            return
        content = progress_content(
            inspection_id=inspection_id, meeting_date=meeting, today=workspace.today()
        )
    except EsiError as exc:
        QMessageBox.warning(parent, "Cannot make the Board progress paper", str(exc))
        return
    if not confirm_draft_export(parent, [], [item.message for item in content.unprintable]):
        return
    name = safe_name(f"{content.area} Board progress paper {meeting:%Y-%m-%d}.pdf")
    _start(
        parent,
        "Board progress paper",
        lambda on_page: ProgressRenderer(content, on_page=on_page).render(),
        documents_folder() / name,
    )


def _send_anyway(parent: QWidget, warnings: list[str]) -> bool:
    """Show what the plan lacks; True when the secretary marks it as sent all the same."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Mark plan as sent")
    box.setText("The plan is not complete. Mark it as sent all the same?")
    box.setInformativeText(
        "\n\n".join(warnings)
        + "\n\nMark it as sent only if this is the plan the Inspectorate received."
    )
    anyway = box.addButton("Mark as sent &anyway", QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is anyway


def mark_plan_sent_dialog(parent: QWidget, workspace: Workspace) -> None:
    """File ▸ Mark plan as sent…: confirm with the date, then record it (undoable)."""
    from esi_desktop.inspections import get_inspection, publication_date

    inspection_id = inspection_or_say_so(parent, workspace)
    if inspection_id is None:
        return
    today = workspace.today()
    try:
        published = publication_date(get_inspection(inspection_id=inspection_id))
        previous = submission.latest_submission(inspection_id=inspection_id)
    except EsiError as exc:
        QMessageBox.warning(parent, "Cannot mark the plan as sent", str(exc))
        return
    dialog = MarkSentDialog(
        today=today,
        earliest=published,
        previous=previous.sent_on if previous else None,
        parent=parent,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    sent_on = dialog.chosen()
    try:
        warnings = submission.sending_warnings(inspection_id=inspection_id, today=today)
    except EsiError as exc:
        QMessageBox.warning(parent, "Cannot mark the plan as sent", str(exc))
        return
    if warnings and not _send_anyway(parent, warnings):
        return

    def mark() -> Any:
        return submission.mark_plan_sent(
            inspection_id=inspection_id, sent_on=sent_on, today=today, force=True
        )

    try:
        workspace.run(
            "Mark plan as sent",
            do=mark,
            undo=lambda submission_id: submission.withdraw_submission(submission_id=submission_id),
            redo=restore_row,
        )
    except EsiError as exc:
        QMessageBox.warning(parent, "Cannot mark the plan as sent", str(exc))
        return
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(
            f"Marked the plan as sent on {long_date(sent_on)}; later changes of date are slips.",
            8000,
        )
