"""File ▸ Extension requests and decisions…: every date later than in the plan as sent, and the
Board's decision on each (approved or refused, at which meeting, under which minute).

Recording a decision is one undoable edit (Edit ▸ Undo takes it back); a refusal of the
rules (a meeting in the future, one before the plan was sent, a request already decided)
is said under the form, with the focus on the field at fault.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.errors import EsiError, ValidationError
from esi_desktop.plan import board_meetings, extensions, submission
from esi_desktop.wording import kind_name, long_date, plural
from ui.date_field import DateField
from ui.edits import restore_row
from ui.palette import show_errors_in
from ui.screen import fit_to_screen
from ui.workspace import Touches, Workspace

COLUMNS = ("Ref", "Item", "In the plan sent", "Proposed date", "Later by", "Board decision")


def default_decision_meeting(meetings: list[date], today: date) -> date:
    """The latest Board meeting on or before today (the one that decided), else today."""
    held = [m for m in meetings if m <= today]
    return max(held) if held else today


class ExtensionsDialog(QDialog):
    """The extension requests against the latest plan as sent, and the Board's decisions."""

    def __init__(self, workspace: Workspace, inspection_id: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.inspection_id = inspection_id
        self.requests: list[extensions.ExtensionRequest] = []
        self.setWindowTitle("Extension requests and the Board's decisions")
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Extension requests")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the form below
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)

        self.form = QGroupBox("The Board's decision on the selected request")
        form = QFormLayout(self.form)
        choice = QHBoxLayout()
        self.approved = QRadioButton("&Approved")
        self.refused = QRadioButton("Re&fused")
        self.decision = QButtonGroup(self)
        self.decision.addButton(self.approved)
        self.decision.addButton(self.refused)
        self.approved.setChecked(True)
        choice.addWidget(self.approved)
        choice.addWidget(self.refused)
        choice.addStretch(1)
        decision_label = QLabel("Decision:")
        form.addRow(decision_label, choice)
        today = workspace.today()
        self.meeting = DateField(today=workspace.today)
        self.meeting.setAccessibleName("Board meeting that decided")
        self.meeting.setDate(
            default_decision_meeting(board_meetings(inspection_id=inspection_id), today)
        )
        meeting_label = QLabel("Board &meeting:")
        meeting_label.setBuddy(self.meeting.line_edit)
        form.addRow(meeting_label, self.meeting)
        self.minute = QLineEdit()
        self.minute.setAccessibleName("Minute reference")
        self.minute.setPlaceholderText("for example 12/05")
        minute_label = QLabel("M&inute reference:")
        minute_label.setBuddy(self.minute)
        form.addRow(minute_label, self.minute)
        self.record_button = QPushButton("&Record decision")
        self.record_button.clicked.connect(self.record)
        form.addRow("", self.record_button)
        self.withdraw_button = QPushButton("&Withdraw decision")
        self.withdraw_button.setToolTip(
            "Remove the decision recorded on the selected request (a mistake); Edit ▸ Undo "
            "puts it back."
        )
        self.withdraw_button.clicked.connect(self.withdraw)
        self.message = QLabel()
        self.message.setWordWrap(True)
        show_errors_in(self.message)
        self.message.setAccessibleName("Problem with the decision")
        self.message.hide()
        form.addRow(self.message)
        layout.addWidget(self.form)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.withdraw_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.refresh()
        fit_to_screen(self, 900, 560)

    # ----- reading ---------------------------------------------------------------------------

    def refresh(self, select: str | None = None) -> None:
        """Read the requests again and show them, selecting ``select`` (a reference) or the
        first one waiting for a decision."""
        today = self.workspace.today()
        sent = submission.latest_submission(inspection_id=self.inspection_id)
        self.requests = extensions.extension_requests(inspection_id=self.inspection_id, today=today)
        waiting = [r for r in self.requests if r.decision is None]
        if sent is None:
            self.summary.setText(
                "The plan has not been marked as sent to the Inspectorate (File ▸ Mark plan "
                "as sent), so no date has slipped and there is nothing to decide."
            )
        elif not self.requests:
            self.summary.setText(
                f"No date is later than in the plan sent on {long_date(sent.sent_on)}."
            )
        else:
            what_next = (
                "Choose one, then record what the Board decided."
                if waiting
                else "Edit ▸ Undo takes back a decision recorded by mistake."
            )
            self.summary.setText(
                f"Against the plan sent on {long_date(sent.sent_on)}: "
                f"{plural(len(self.requests), 'extension request')}, "
                f"{len(waiting)} awaiting the Board's decision. {what_next}"
            )
        self.table.setRowCount(len(self.requests))
        for row, request in enumerate(self.requests):
            slip = request.slip
            cells = (
                slip.item.reference,
                f"{kind_name(slip.item.kind)}: {slip.item.text} (owner: {slip.item.owner})",
                long_date(slip.submitted),
                long_date(slip.item.due),
                plural(slip.days, "day"),
                request.decision.words if request.decision else "Awaiting the Board's decision",
            )
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        first = waiting or self.requests  # the first waiting, else the first decided
        wanted = select or (first[0].slip.item.reference if first else None)
        rows = [i for i, r in enumerate(self.requests) if r.slip.item.reference == wanted]
        if rows:
            self.table.selectRow(rows[0])
        self._selection_changed()

    def selected(self) -> extensions.ExtensionRequest | None:
        """The request chosen in the table."""
        rows = self.table.selectionModel().selectedRows()
        return self.requests[rows[0].row()] if rows else None

    @Slot()
    def _selection_changed(self) -> None:
        request = self.selected()
        open_request = request is not None and request.decision is None
        self.form.setEnabled(open_request)
        self.withdraw_button.setEnabled(request is not None and request.decision is not None)
        if request is None:
            self.form.setTitle("The Board's decision on the selected request")
        elif request.decision is not None:
            self.form.setTitle(f"{request.slip.item.reference}: {request.decision.words}")
        else:
            self.form.setTitle(
                f"The Board's decision on {request.slip.item.reference}: "
                f"{long_date(request.slip.item.due)} instead of "
                f"{long_date(request.slip.submitted)}"
            )

    # ----- recording -------------------------------------------------------------------------

    def _say(self, sentence: str, focus: QWidget | None = None) -> None:
        self.message.setText(sentence)
        self.message.setVisible(bool(sentence))
        if focus is not None:
            focus.setFocus()

    @Slot()
    def record(self) -> None:
        """Record the decision on the selected request as one undoable edit."""
        request = self.selected()
        if request is None or request.decision is not None:
            return
        meeting = self.meeting.date()
        if meeting is None or not self.meeting.is_valid():
            self._say(
                "Type the date of the Board meeting that decided, such as 24/03/2005.",
                self.meeting.line_edit,
            )
            return
        reference = request.slip.item.reference
        requested = request.slip.item.due  # the date on screen: the one the Board saw
        decision = extensions.APPROVED if self.approved.isChecked() else extensions.REFUSED
        minute = self.minute.text()
        today = self.workspace.today()

        def do() -> Any:
            return extensions.record_decision(
                inspection_id=self.inspection_id,
                reference=reference,
                decision=decision,
                meeting_date=meeting,
                minute_reference=minute,
                requested_date=requested,
                today=today,
            )

        try:
            self.workspace.run(
                f"Record the Board's decision on {reference}",
                do=do,
                undo=lambda decision_id: extensions.withdraw_decision(decision_id=decision_id),
                redo=restore_row,
                touches=Touches(),  # the plan's rows are as they were
            )
        except ValidationError as exc:
            if exc.field == "reference":  # the request changed meanwhile: show it as it is
                self.refresh(select=reference)
            at_fault = {"meeting_date": self.meeting.line_edit, "minute_reference": self.minute}
            self._say(str(exc), at_fault.get(exc.field or "", self.table))
            return
        except EsiError as exc:
            QMessageBox.warning(self, "The decision was not recorded", str(exc))
            return
        self._say("")
        self.minute.clear()
        self.refresh(select=None)
        self._tell(f"Recorded: the extension of {reference} was {decision.lower()}.")

    @Slot()
    def withdraw(self) -> None:
        """Remove the decision on the selected request, as one undoable edit."""
        request = self.selected()
        if request is None or request.decision is None:
            return
        decided = request.decision
        try:
            self.workspace.run(
                f"Withdraw the Board's decision on {decided.reference}",
                do=lambda: extensions.withdraw_decision(decision_id=decided.id),
                undo=restore_row,
                redo=lambda decision_id: extensions.withdraw_decision(decision_id=decision_id),
                touches=Touches(),
            )
        except EsiError as exc:
            self.refresh(select=decided.reference)
            self._say(str(exc), self.table)
            return
        self.refresh(select=decided.reference)
        self._tell(f"Withdrawn: the decision on {decided.reference} ({decided.words}).")

    def _tell(self, sentence: str) -> None:
        window = self.parent()
        status = getattr(window, "statusBar", None)
        if callable(status):
            status().showMessage(sentence, 8000)


def extensions_dialog(parent: QWidget, workspace: Workspace) -> ExtensionsDialog | None:
    """Open the extension requests of the selected inspection.

    Returns:
        The dialog, open and modal (tests drive it), or None when there is nothing to show.
    """
    inspection_id = workspace.inspection_id
    if inspection_id is None:
        QMessageBox.information(
            parent, "Extension requests", "Import a report or load the sample inspection first."
        )
        return None
    try:
        dialog = ExtensionsDialog(workspace, inspection_id, parent)
    except EsiError as exc:
        QMessageBox.warning(parent, "Cannot show the extension requests", str(exc))
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setModal(True)
    dialog.show()
    return dialog
