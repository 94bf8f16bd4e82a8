"""File ▸ Export in the formats the Board lives in: the response as a Word document, the plan
as an Excel workbook, the dates as an Outlook calendar, and a document as an e-mail ready to
send.

Each reads its content on the GUI thread (the database connection belongs to it), asks where
to save, builds the file in a worker thread (:func:`ui.runner.run_in_background`, with
progress and Cancel), and writes it whole or not at all, asking before it replaces a file of
another kind (:func:`ui.saving.save_asking_to_replace`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.errors import EsiError
from esi_desktop.files import DOCX, EML, ICS, XLSX, OutputKind, write_atomically
from esi_desktop.settings import CALENDAR_REMINDER_DAYS
from esi_desktop.wording import long_date
from ui.export.dialogs import (
    ask_meeting,
    inspection_or_say_so,
    response_to_export,
    safe_name,
)
from ui.palette import show_errors_in
from ui.runner import run_in_background
from ui.saving import documents_folder, save_asking_to_replace
from ui.settings import Settings
from ui.workspace import Workspace

#: What the save dialog offers for each kind of file.
_FILTERS = {
    DOCX.suffix: "Word documents (*.docx)",
    XLSX.suffix: "Excel workbooks (*.xlsx)",
    ICS.suffix: "Calendar files (*.ics)",
    EML.suffix: "E-mail messages (*.eml)",
}


def _ask_path(parent: QWidget, title: str, kind: OutputKind, suggested: str) -> Path | None:
    """Where to save, with the kind's ending added when it was left off."""
    start = str(documents_folder() / safe_name(suggested))
    name, _ = QFileDialog.getSaveFileName(
        parent, title, start, f"{_FILTERS[kind.suffix]};;All files (*)"
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == kind.suffix else path.with_name(path.name + kind.suffix)


def _build_and_save(
    parent: QWidget,
    *,
    what: str,
    kind: OutputKind,
    path: Path,
    build: Callable[[], bytes],
    after: Callable[[Path], None] | None = None,
) -> None:
    """Build the file off the GUI thread, then write it (asking before replacing a file of
    another kind) and say so in the status bar.

    Args:
        what: the file in a sentence ("the Word document").
    """

    def saved(data: bytes) -> None:
        try:
            written = save_asking_to_replace(
                parent, lambda force: write_atomically(path, data, kind=kind, force=force)
            )
        except EsiError as exc:
            QMessageBox.warning(parent, f"Cannot save {what}", str(exc))
            return
        if written is None:
            return
        window = parent.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(f"Saved {what} to {written}.", 10000)
        if after is not None:
            after(written)

    def failed(error: EsiError) -> None:
        QMessageBox.warning(parent, f"Cannot make {what}", str(error))

    def work(report: Callable[[int, int], None]) -> bytes:
        report(0, 1)  # Cancel pressed before the work began stops it here
        return build()

    run_in_background(
        parent,
        work,
        on_success=saved,
        on_failure=failed,
        label=f"Making {what}…",
        title=what[4:].capitalize() if what.startswith("the ") else what,
        cancellable=True,
        unexpected=(
            f"{what[0].upper()}{what[1:]} could not be made because of an unexpected error; "
            "the details were written to the log file. Nothing was saved."
        ),
    )


#: Said when the Word document is saved: it, not the PDF, is the document to publish.
ACCESSIBLE_NOTE = (
    "It is the accessible version (headings, table headers, British English): "
    "Word's File ▸ Save As ▸ PDF makes a tagged PDF to publish."
)


def export_word_dialog(parent: QWidget, workspace: Workspace) -> None:
    """File ▸ Export ▸ Response and action plan as Word…"""
    from esi_desktop.export.docx_response import render_response_docx

    content = response_to_export(parent, workspace, "the Word document")
    if content is None:
        return
    draft = " (draft)" if content.missing else ""
    path = _ask_path(
        parent,
        "Save the response as a Word document",
        DOCX,
        f"{content.area} response and action plan{draft}.docx",
    )
    if path is not None:
        _build_and_save(
            parent,
            what="the Word document",
            kind=DOCX,
            path=path,
            build=lambda: render_response_docx(content),
            after=lambda written: _say_accessible(parent, written),
        )


def _say_accessible(parent: QWidget, written: Path) -> None:
    """Tell where the Word document went and that it is the accessible version (issue 18)."""
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(
            f"Saved the Word document to {written}. {ACCESSIBLE_NOTE}", 20000
        )


def export_workbook_dialog(parent: QWidget, workspace: Workspace) -> None:
    """File ▸ Export ▸ Action plan workbook (Excel)…: the Plan sheet and the Progress sheet for
    the Board meeting chosen."""
    from esi_desktop.export import progress_content
    from esi_desktop.export.xlsx_plan import render_plan_xlsx

    inspection_id = inspection_or_say_so(parent, workspace)
    if inspection_id is None:
        return
    try:
        meeting = ask_meeting(parent, workspace, inspection_id)
        if meeting is None:
            return
        content = progress_content(
            inspection_id=inspection_id,
            meeting_date=meeting,
            today=workspace.today(),
        )
    except EsiError as exc:
        QMessageBox.warning(parent, "Cannot make the workbook", str(exc))
        return
    path = _ask_path(
        parent,
        "Save the action plan as an Excel workbook",
        XLSX,
        f"{content.area} action plan {content.meeting_date:%Y-%m-%d}.xlsx",
    )
    if path is not None:
        _build_and_save(
            parent,
            what="the Excel workbook",
            kind=XLSX,
            path=path,
            build=lambda: render_plan_xlsx(content),
        )


def export_calendar_dialog(parent: QWidget, workspace: Workspace) -> None:
    """File ▸ Export ▸ Calendar for Outlook…: open milestones, target dates and Board meetings,
    with the reminder the preferences set."""
    from esi_desktop.export.calendar import calendar_bytes, calendar_content

    inspection_id = inspection_or_say_so(parent, workspace)
    if inspection_id is None:
        return
    try:
        content = calendar_content(inspection_id=inspection_id, today=workspace.today())
    except EsiError as exc:
        QMessageBox.warning(parent, "Cannot make the calendar", str(exc))
        return
    days = Settings().value(CALENDAR_REMINDER_DAYS)
    path = _ask_path(parent, "Save the calendar for Outlook", ICS, "ESI action plan.ics")
    if path is not None:
        _build_and_save(
            parent,
            what="the calendar",
            kind=ICS,
            path=path,
            build=lambda: calendar_bytes(content, reminder_days=days),
        )


class EmailDialog(QDialog):
    """Send by e-mail…: which document, to whom (checked as typed)."""

    RESPONSE = "The response and action plan (PDF)"
    PROGRESS = "A Board progress paper (PDF)"

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle("Send by e-mail")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "ESI Desktop writes an e-mail with the document attached and opens it in your "
            "e-mail program (Outlook) as a new message, ready for you to check and send."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.document = QComboBox()
        self.document.addItems([self.RESPONSE, self.PROGRESS])
        self.document.setAccessibleName("Document to send")
        form.addRow("&Document:", self.document)
        self.to = QLineEdit()
        self.to.setAccessibleName("To")
        self.to.setPlaceholderText("name@example.gov.uk; several separated by ;")
        form.addRow("&To:", self.to)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        show_errors_in(self.problem)
        self.problem.setAccessibleName("Problem with the address")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Write the e-mail")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        from esi_desktop.export.email_draft import parse_addresses

        try:
            parse_addresses(self.to.text())
        except EsiError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            self.to.setFocus()
            return
        super().accept()

    def progress_paper(self) -> bool:
        """True for a progress paper, False for the response."""
        return self.document.currentText() == self.PROGRESS


def _open_in_mail_program(written: Path) -> None:
    """Open the .eml with the system's program for it: Outlook opens it as a new message."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(written)))


def email_dialog(parent: QWidget, workspace: Workspace) -> None:
    """File ▸ Send by e-mail…: a document attached to an unsent e-mail that Outlook opens."""
    from esi_desktop.export import (
        ProgressRenderer,
        ResponseRenderer,
        progress_content,
    )
    from esi_desktop.export.email_draft import (
        mime_type_for,
        progress_email_text,
        render_email_draft,
        response_email_text,
    )

    inspection_id = inspection_or_say_so(parent, workspace)
    if inspection_id is None:
        return
    ask = EmailDialog(parent)
    if ask.exec() != QDialog.DialogCode.Accepted:
        return
    to = ask.to.text()
    try:
        if ask.progress_paper():
            meeting = ask_meeting(parent, workspace, inspection_id)
            if meeting is None:
                return
            paper = progress_content(
                inspection_id=inspection_id,
                meeting_date=meeting,
                today=workspace.today(),
            )
            words = progress_email_text(paper)
            render: Callable[[], bytes] = lambda: ProgressRenderer(paper).render()  # noqa: E731
            subject = f"Board progress paper for {long_date(paper.meeting_date)}"
        else:
            content = response_to_export(parent, workspace, "the e-mail")
            if content is None:
                return
            words = response_email_text(content)
            render = lambda: ResponseRenderer(content).render()  # noqa: E731
            subject = "response and action plan"
    except EsiError as exc:
        QMessageBox.warning(parent, "Cannot write the e-mail", str(exc))
        return
    filename = words.filename("pdf")
    path = _ask_path(parent, "Save the e-mail", EML, f"{Path(filename).stem}.eml")
    if path is None:
        return

    def build() -> bytes:
        return render_email_draft(
            to=to,
            subject=words.subject,
            body=words.body,
            attachment=render(),
            filename=filename,
            mime=mime_type_for(filename),
        )

    _build_and_save(
        parent,
        what=f"the e-mail with the {subject}",
        kind=EML,
        path=path,
        build=build,
        after=_open_in_mail_program,
    )
