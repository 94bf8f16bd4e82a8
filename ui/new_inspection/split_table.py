"""The preview of the pasted recommendations as split, to correct before saving.

Each row is a recommendation: its number as it will be stored, the person or body it is
addressed to and its text, both editable in the cell. Merge joins a row to the one above,
Split cuts the row being edited at the text cursor, Remove drops a row; the splitter's
warnings show beside the table (:func:`esi_desktop.report.pasted.split_recommendations`).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.new_inspection import NewRecommendation

NUMBER, ADDRESSEE, TEXT = range(3)
#: The heading each row's words came under ("The Management Board should:"), on its number.
StemRole = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


class _TextDelegate(QStyledItemDelegate):
    """Edits a recommendation's text in a box of several lines, and remembers that box so
    Split can read where its cursor is."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.editor: QPlainTextEdit | None = None
        self.row = -1
        #: The row, text and cursor position of the box when it last lost the focus (to the
        #: Split button reached by Tab), for Split once the box has closed.
        self.left_at: tuple[int, str, int] | None = None
        # a closed box lives on until deleted later: it is no longer the one being edited
        self.closeEditor.connect(lambda *_: self._gone())

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        editor.setAccessibleName(f"Text of recommendation {index.row() + 1}")
        self.editor, self.row = editor, index.row()
        editor.destroyed.connect(self._gone)
        return editor

    def _gone(self) -> None:
        self.editor, self.row = None, -1

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        editor = self.editor
        if watched is editor and editor is not None:
            kind = event.type()
            tab = (
                kind == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and (event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab))
            )
            if tab or kind == QEvent.Type.FocusOut:
                self.left_at = (self.row, editor.toPlainText(), editor.textCursor().position())
        return super().eventFilter(watched, event)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QPlainTextEdit)
        editor.setPlainText(str(index.data() or ""))
        editor.moveCursor(editor.textCursor().MoveOperation.End)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QPlainTextEdit)
        model.setData(index, editor.toPlainText())

    def finish(self) -> None:
        """Keep what is typed in the open box and close it."""
        editor = self.editor
        if editor is not None:
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self._gone()


class _Table(QTableWidget):
    """The table of rows: Tab in a cell's editor leaves the table, as Tab on a cell does.

    Qt's editors turn Tab into "edit the next cell", which would keep a keyboard user going
    round the cells for ever; here the edit is kept and the focus goes on to the next control.
    """

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        hints = QAbstractItemDelegate.EndEditHint
        onward = hint in (hints.EditNextItem, hints.EditPreviousItem)
        super().closeEditor(editor, hints.NoHint if onward else hint)
        if onward:
            self.setFocus(Qt.FocusReason.OtherFocusReason)  # from the table, not the closed box
            self.focusNextPrevChild(hint == hints.EditNextItem)


class SplitPreview(QWidget):
    """The recommendations as split, editable, with the splitter's warnings beside them.

    Signals:
        edited: a row was corrected (edited, merged, split or removed).

    Attributes:
        table: one row per recommendation: number, addressee, text.
        warnings: what the splitter asks the person to check, one sentence a line.
        buttons: the Merge, Split and Remove buttons by their action.
        note: the last thing Merge, Split or Remove said (why it could not, or what it did).
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self.table = _Table(0, 3)
        self.table.setAccessibleName("Recommendations as split")
        self.table.setHorizontalHeaderLabels(["No.", "Addressed to", "Recommendation"])
        self.table.setWordWrap(True)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the next control
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NUMBER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ADDRESSEE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(ADDRESSEE, self.fontMetrics().averageCharWidth() * 22)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.text_delegate = _TextDelegate(self.table)
        self.table.setItemDelegateForColumn(TEXT, self.text_delegate)
        self.table.itemChanged.connect(self._item_changed)

        self.merge_action = self._action(
            "&Merge into the one above", "Ctrl+Shift+Up", self.merge_into_above
        )
        self.split_action = self._action("S&plit at the cursor", "Ctrl+Shift+Return", self.split)
        self.remove_action = self._action("Re&move", "Ctrl+Shift+Delete", self.remove)
        buttons = QHBoxLayout()
        self.buttons: dict[QAction, QToolButton] = {}
        for action in (self.merge_action, self.split_action, self.remove_action):
            button = QToolButton()
            self.buttons[action] = button
            button.setDefaultAction(action)
            # reached by Tab, but not focused by a click: the text being edited keeps its
            # cursor for Split (the delegate remembers it when Tab takes the focus away)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName("What the last correction did")

        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addLayout(buttons)
        left_column.addWidget(self.table, 1)
        left_column.addWidget(self.note)

        self.warnings = QListWidget()
        self.warnings.setWordWrap(True)
        self.warnings.setAccessibleName("What to check in the split")
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(QLabel("Check:"))
        right_column.addWidget(self.warnings, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._update_actions()
        self.table.currentCellChanged.connect(lambda *_: self._update_actions())

    def _action(self, text: str, shortcut: str, slot: object) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{text.replace('&', '')} ({shortcut})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # ----- filling and reading --------------------------------------------------------------

    def set_items(self, items: list[NewRecommendation], warnings: list[str]) -> None:
        """Show a new split: its items and the warnings (or the sentence saying none was found)."""
        self.text_delegate.finish()
        self._filling = True
        self.table.setRowCount(0)
        for item in items:
            self._insert(self.table.rowCount(), item)
        self._filling = False
        self.warnings.clear()
        self.warnings.addItems(warnings or (["Nothing doubtful was found."] if items else []))
        self.note.clear()
        self._renumber()

    def recommendations(self) -> list[NewRecommendation]:
        """The rows as they stand, in order: what is stored."""
        self.text_delegate.finish()
        rows = [self._row(row) for row in range(self.table.rowCount())]
        # a row moved to another addressee takes that addressee's heading
        stems: dict[str, str] = {}
        for _text, addressee, stem, original in rows:
            if stem and addressee == original:
                stems.setdefault(addressee, stem)
        return [
            NewRecommendation(
                text, addressee, stem if addressee == original else stems.get(addressee, "")
            )
            for text, addressee, stem, original in rows
        ]

    def _row(self, row: int) -> tuple[str, str, str, str]:
        """A row's text, addressee, heading, and the addressee that heading names."""
        number = self.table.item(row, NUMBER)
        stem, original = number.data(StemRole) if number is not None else ("", "")
        return (self._text(row, TEXT), self._text(row, ADDRESSEE), stem, original)

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _insert(self, row: int, item: NewRecommendation, original: str | None = None) -> None:
        self.table.insertRow(row)
        number = QTableWidgetItem()
        number.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        number.setData(StemRole, (item.stem, item.addressee if original is None else original))
        self.table.setItem(row, NUMBER, number)
        self.table.setItem(row, ADDRESSEE, QTableWidgetItem(item.addressee))
        self.table.setItem(row, TEXT, QTableWidgetItem(item.text))

    def _renumber(self) -> None:
        self._filling = True
        header = self.table.horizontalHeader()
        # sized once at the end: sized to its contents after each number, a paste of
        # hundreds of recommendations took seconds to merge one row
        header.setSectionResizeMode(NUMBER, QHeaderView.ResizeMode.Fixed)
        for row in range(self.table.rowCount()):
            number = self.table.item(row, NUMBER)
            if number is not None:
                number.setText(str(row + 1))
        header.setSectionResizeMode(NUMBER, QHeaderView.ResizeMode.ResizeToContents)
        self._filling = False
        self.table.resizeRowsToContents()
        self._update_actions()

    def _item_changed(self, _item: QTableWidgetItem) -> None:
        if not self._filling:
            self.table.resizeRowToContents(_item.row())
            self.edited.emit()

    def _update_actions(self) -> None:
        row = self.table.currentRow()
        self.merge_action.setEnabled(row > 0)
        self.split_action.setEnabled(row >= 0)
        self.remove_action.setEnabled(row >= 0)

    # ----- corrections ----------------------------------------------------------------------

    def merge_into_above(self) -> None:
        """Join the current recommendation to the end of the one above it."""
        self.text_delegate.finish()
        row = self.table.currentRow()
        if row <= 0:
            self.note.setText("Choose a recommendation below another to merge it into that one.")
            return
        above, text = self._text(row - 1, TEXT).rstrip(), self._text(row, TEXT).strip()
        joined = f"{above} {text}".strip()
        self._filling = True
        item = self.table.item(row - 1, TEXT)
        if item is not None:
            item.setText(joined)
        self.table.removeRow(row)
        self._filling = False
        self.table.setCurrentCell(row - 1, TEXT)
        self._renumber()
        self.note.setText(f"Recommendation {row + 1} was merged into recommendation {row}.")
        self.edited.emit()

    def split(self) -> None:
        """Cut the recommendation being edited at the text cursor: the rest becomes the next."""
        delegate = self.text_delegate
        editor, row = delegate.editor, delegate.row
        left_at, delegate.left_at = delegate.left_at, None
        if editor is not None and row >= 0:
            text, at = editor.toPlainText(), editor.textCursor().position()
        elif left_at is not None and self._still(left_at):
            row, text, at = left_at  # the box closed when Tab took the focus to this button
        else:
            self.note.setText(
                "To split a recommendation, edit its text (double-click it or press F2), put "
                "the cursor where the next one starts, then choose Split."
            )
            return
        head, tail = text[:at].rstrip(), text[at:].strip()
        if not head or not tail:
            self.note.setText(
                "The cursor is at the start or the end of the text: put it where the next "
                "recommendation starts, then choose Split."
            )
            return
        delegate.finish()
        number = self.table.item(row, NUMBER)
        stem, original = number.data(StemRole) if number is not None else ("", "")
        self._filling = True
        item = self.table.item(row, TEXT)
        if item is not None:
            item.setText(head)
        addressee = self._text(row, ADDRESSEE)
        self._insert(row + 1, NewRecommendation(tail, addressee, stem), original)
        self._filling = False
        self.table.setCurrentCell(row + 1, TEXT)
        self._renumber()
        self.note.setText(f"Recommendation {row + 1} was split in two at the cursor.")
        self.edited.emit()

    def _still(self, left_at: tuple[int, str, int]) -> bool:
        """Whether the row a closed box was editing still holds the text it held."""
        row, text, _at = left_at
        return row == self.table.currentRow() and self._text(row, TEXT) == text

    def remove(self) -> None:
        """Drop the current recommendation (a heading or a note split as one)."""
        self.text_delegate.finish()
        row = self.table.currentRow()
        if row < 0:
            return
        self.table.removeRow(row)
        self.table.setCurrentCell(min(row, self.table.rowCount() - 1), TEXT)
        self._renumber()
        self.note.setText(f"Recommendation {row + 1} was removed; the ones after it moved up.")
        self.edited.emit()
