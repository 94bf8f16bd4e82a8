"""The evidence dialog of one item: its files listed, attached, opened, saved out, removed.

Every change goes on the workspace's undo stack (Ctrl+Z in the dialog or the main window
undoes it), and the list follows undo and redo made anywhere.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMargins, QModelIndex, QPersistentModelIndex, Qt, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from esi_desktop import evidence
from esi_desktop.errors import EsiError
from esi_desktop.evidence import EvidenceView
from esi_desktop.evidence.describe import item_words, short_hash
from esi_desktop.wording import ACTION, MILESTONE, RECOMMENDATION, plural
from ui.edits import Edits
from ui.evidence.dropping import show_refusal
from ui.evidence.words import attached_on_text, dialog_title, item_in_plan, type_text
from ui.models import ColumnTableModel
from ui.saving import documents_folder
from ui.workspace import Workspace

if TYPE_CHECKING:
    from ui.main_window import MainWindow

Index = QModelIndex | QPersistentModelIndex

#: The id of the piece of evidence a row shows.
EvidenceIdRole = Qt.ItemDataRole.UserRole + 1


class EvidenceColumn(IntEnum):
    """Columns of the evidence table."""

    NAME = 0
    TYPE = 1
    SIZE = 2
    ATTACHED_BY = 3
    ATTACHED_ON = 4
    SHA256 = 5


_HEADERS = {
    EvidenceColumn.NAME: "Name",
    EvidenceColumn.TYPE: "Type",
    EvidenceColumn.SIZE: "Size",
    EvidenceColumn.ATTACHED_BY: "Attached by",
    EvidenceColumn.ATTACHED_ON: "Attached on",
    EvidenceColumn.SHA256: "SHA-256",
}


class EvidenceTableModel(ColumnTableModel):
    """One row per file attached to the item, in the order they were attached."""

    COLUMNS = EvidenceColumn
    HEADERS = _HEADERS

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[EvidenceView] = []

    def set_rows(self, rows: list[EvidenceView]) -> None:
        """Show these files."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def piece(self, row: int) -> EvidenceView:
        """The file shown in a row."""
        return self._rows[row]

    @property
    def pieces(self) -> list[EvidenceView]:
        """Every file shown, in order (read only)."""
        return self._rows

    def _text(self, piece: EvidenceView, column: EvidenceColumn) -> str:
        if column is EvidenceColumn.NAME:
            return piece.name
        if column is EvidenceColumn.TYPE:
            return type_text(piece.media_type, piece.name)
        if column is EvidenceColumn.SIZE:
            return evidence.size_text(piece.size)
        if column is EvidenceColumn.ATTACHED_BY:
            return piece.attached_by
        if column is EvidenceColumn.ATTACHED_ON:
            return attached_on_text(piece.attached_at)
        return short_hash(piece.sha256)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        piece = self._rows[index.row()]
        column = EvidenceColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(piece, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is EvidenceColumn.SHA256:
                return f"SHA-256 {piece.sha256}"
            if column is EvidenceColumn.TYPE:
                return piece.media_type
            if column is EvidenceColumn.SIZE:
                return plural(piece.size, "byte")
            return piece.name if column is EvidenceColumn.NAME else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column is EvidenceColumn.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == EvidenceIdRole:
            return piece.id
        return None


class EvidenceFilesDialog(QDialog):
    """The files attached as evidence to one recommendation, action or milestone.

    It stays open beside the window (not modal), so the person can go on with the plan;
    it follows every change, undo and redo of the workspace.
    """

    def __init__(
        self, parent: QWidget, workspace: Workspace, edits: Edits, item_kind: str, item_id: int
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.edits = edits
        self.item_kind = item_kind
        self.item_id = item_id
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setObjectName("evidence_files_dialog")
        #: The last read-only copy opened (for tests and for a person wondering where it is).
        self.opened_copy: Path | None = None

        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.heading)

        self.model = EvidenceTableModel()
        self.table = QTableView()
        self.table.setAccessibleName("Evidence files")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the buttons
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a long name keeps its ending
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(EvidenceColumn.NAME, QHeaderView.ResizeMode.Stretch)
        metrics = self.table.fontMetrics()
        em = metrics.horizontalAdvance("M")
        for column, sample in (
            (EvidenceColumn.TYPE, "Word document"),
            (EvidenceColumn.SIZE, "999.9 MB"),
            (EvidenceColumn.ATTACHED_BY, "Board secretary"),
            (EvidenceColumn.ATTACHED_ON, "30/09/2005 23:59"),
            (EvidenceColumn.SHA256, "0123456789ab"),
        ):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + em * 2)
        self.table.activated.connect(self._open_index)  # Enter, or a double click
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.attach_button = self._button("&Attach files…", self.attach_files, buttons)
        self.open_button = self._button("&Open", self.open_selected, buttons)
        self.save_button = self._button("&Save a copy…", self.save_selected, buttons)
        self.remove_button = self._button("&Remove", self.remove_selected, buttons)
        buttons.addStretch(1)
        self.close_button = self._button("Close", self.close, buttons)
        layout.addLayout(buttons)
        self.attach_button.setToolTip("Choose files to attach (or drop them on the item's row)")
        self.open_button.setToolTip("Open a read-only copy in its program (Enter)")
        self.close_button.setAutoDefault(False)

        # the window's Undo and Redo, here too: the dialog's changes are on its undo stack
        for keys, act in (
            ([QKeySequence("Ctrl+Z")], workspace.undo_stack.undo),
            ([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")], workspace.undo_stack.redo),
        ):
            action = QAction(self)
            action.setShortcuts(keys)
            action.triggered.connect(act)
            self.addAction(action)

        # Delete in the list removes the selected file (after the question), as in Explorer
        delete = QAction(self.table)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.remove_selected)
        self.table.addAction(delete)
        self.remove_button.setToolTip("Remove the file from the item (Delete; Ctrl+Z puts it back)")

        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        workspace.changed.connect(self.reload)
        self.reload()
        self._fit()

    def _button(self, text: str, slot: object, row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "").replace("…", ""))
        button.setAutoDefault(False)  # Enter in the table opens the file, not a button
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    def _fit(self) -> None:
        """Wide enough for every column and a readable name, within the screen (1366 × 768)."""
        em = self.fontMetrics().horizontalAdvance("M")
        header = self.table.horizontalHeader()
        columns = sum(header.sectionSize(c) for c in EvidenceColumn if c != EvidenceColumn.NAME)
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else QMargins()
        scroll_bar = self.table.verticalScrollBar().sizeHint().width()  # once the list is long
        frame = self.table.frameWidth() * 2 + margins.left() + margins.right()
        width = columns + em * 24 + scroll_bar + frame
        height = em * 32  # ten rows or so before the list scrolls
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width = min(width, screen.width() - 40)
            height = min(height, screen.height() - 80)
        self.resize(width, height)

    # ----- reading ------------------------------------------------------------------------

    def selected(self) -> EvidenceView | None:
        """The file selected in the table."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.piece(rows[0].row()) if rows else None

    @Slot()
    def reload(self) -> None:
        """Show the item's files as they are now, keeping the selected one selected."""
        chosen = self.selected()
        try:
            reference, title = item_in_plan(self.workspace.plan(), self.item_kind, self.item_id)
            pieces = evidence.evidence_of(item_kind=self.item_kind, item_id=self.item_id)
        except EsiError as error:  # a lost connection: the window says so too
            reference, title, pieces = "", "", []
            self.heading.setText(str(error))
        else:
            self.heading.setText(self._summary(pieces, gone=not reference and not title))
        if reference or title:
            self.setWindowTitle(dialog_title(self.item_kind, reference, title))
        self.model.set_rows(pieces)
        ids = [piece.id for piece in pieces]
        row = ids.index(chosen.id) if chosen is not None and chosen.id in ids else 0
        if pieces:
            self.table.selectRow(min(row, len(pieces) - 1))
        self.attach_button.setEnabled(bool(reference or title))
        self._update_buttons()

    def _summary(self, pieces: list[EvidenceView], gone: bool) -> str:
        if gone:
            return "This item is no longer in the plan (deleted, or another inspection is on show)."
        if not pieces:
            return (
                "No files attached yet. Attach files…, or drop files on the item's row in the "
                "action plan."
            )
        total = evidence.size_text(sum(piece.size for piece in pieces))
        return f"{plural(len(pieces), 'file')}, {total} in all, kept in the database."

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for button in (self.open_button, self.save_button, self.remove_button):
            button.setEnabled(chosen)

    # ----- doing --------------------------------------------------------------------------

    @Slot()
    def attach_files(self) -> None:
        """Attach files chosen in a file dialog (several at once: all or none)."""
        names, _filter = QFileDialog.getOpenFileNames(
            self, "Attach files as evidence", str(documents_folder()), "All files (*)"
        )
        if not names:
            return
        try:
            ids = self.edits.attach_evidence(self.item_kind, self.item_id, [Path(n) for n in names])
        except EsiError as error:
            show_refusal(self, "Cannot attach the files", error)
            return
        self._select_id(ids[-1] if ids else None)

    def _select_id(self, evidence_id: int | None) -> None:
        for row, piece in enumerate(self.model.pieces):
            if piece.id == evidence_id:
                self.table.selectRow(row)
                return

    @Slot(QModelIndex)
    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.table.selectRow(index.row())
            self.open_selected()

    @Slot()
    def open_selected(self) -> None:
        """Open a read-only copy of the selected file in the program the system uses for it."""
        piece = self.selected()
        if piece is None:
            return
        try:
            path = evidence.open_copy(evidence_id=piece.id)
        except EsiError as error:
            show_refusal(self, "Cannot open the file", error)
            self.reload()
            return
        self.opened_copy = path
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.warning(
                self,
                "Cannot open the file",
                f"No program on this computer opens “{piece.name}”. A read-only copy is at "
                f"{path}; or Save a copy… and open it from there.",
            )

    @Slot()
    def save_selected(self) -> None:
        """Save a copy of the selected file where the person chooses."""
        piece = self.selected()
        if piece is None:
            return
        name, _filter = QFileDialog.getSaveFileName(
            self, "Save a copy of the evidence", str(documents_folder() / piece.name)
        )
        if not name:
            return
        try:
            # the file dialog has asked whether to replace a file already there: a yes is
            # the person's choice (the database in use is refused even so)
            evidence.save_copy(evidence_id=piece.id, path=Path(name), force=True)
        except EsiError as error:
            show_refusal(self, "Cannot save the copy", error)
            return
        message = f"Saved a copy of “{piece.name}” to {name}"
        owner = self.parentWidget()
        window = owner.window() if owner is not None else None
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, 8000)
        self.heading.setText(message)

    @Slot()
    def remove_selected(self) -> None:
        """Remove the selected file from the item, once the person confirms (Ctrl+Z undoes)."""
        piece = self.selected()
        if piece is None:
            return
        item = item_words(piece.item_kind, piece.item_reference)
        answer = QMessageBox.question(
            self,
            "Remove the evidence?",
            f"Remove “{piece.name}” from {item}? Edit ▸ Undo (Ctrl+Z) puts it back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.edits.remove_evidence(piece.id, piece)
        except EsiError as error:
            show_refusal(self, "Cannot remove the evidence", error)
            self.reload()


def show_evidence_dialog(
    parent: QWidget, workspace: Workspace, edits: Edits, item_kind: str, item_id: int
) -> EvidenceFilesDialog:
    """Show the evidence dialog of an item (the one already open for it, or a new one)."""
    for open_dialog in parent.findChildren(EvidenceFilesDialog):
        if (open_dialog.item_kind, open_dialog.item_id) == (item_kind, item_id):
            open_dialog.activateWindow()
            return open_dialog
    dialog = EvidenceFilesDialog(parent, workspace, edits, item_kind, item_id)
    dialog.show()
    dialog.activateWindow()
    return dialog


def evidence_of_selected(window: MainWindow) -> EvidenceFilesDialog | None:
    """Edit ▸ Evidence of the selected item…: the evidence dialog of the recommendation,
    action or milestone selected in the view on show."""
    from ui.history_dialog import selected_item  # the menus load it on first use too

    selected = selected_item(window)
    if selected is None or selected[0] not in (RECOMMENDATION, ACTION, MILESTONE):
        window.statusBar().showMessage(
            "Select a recommendation, action or milestone first (in Recommendations & "
            "responses or the Action plan); its evidence files show.",
            6000,
        )
        return None
    kind, item_id, _title = selected
    return show_evidence_dialog(window, window.workspace, window.edits, kind, item_id)
