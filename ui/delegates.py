"""Reusable item delegates: dates with a calendar, a choice from a list, owners with completion."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from ui.date_field import DateField

Index = QModelIndex | QPersistentModelIndex


def as_date(value: object) -> date | None:
    """A Python date from what a model or editor holds (date, QDate or nothing)."""
    if isinstance(value, QDate):
        return value.toPython() if value.isValid() else None  # type: ignore[return-value]
    if isinstance(value, date):
        return value
    return None


def format_date(value: object) -> str:
    """``30/09/2005``, or an empty string for no date."""
    day = as_date(value)
    return f"{day:%d/%m/%Y}" if day is not None else ""


def _column_name(index: Index) -> str:
    """The header of an index's column, to name its editor for screen readers."""
    model = index.model()
    title = model.headerData(index.column(), Qt.Orientation.Horizontal) if model else None
    return str(title or "")


class _PickingDelegate(QStyledItemDelegate):
    """A delegate whose editor commits when something is picked, and is never cut short."""

    @Slot()
    def _commit_and_close(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        # the cell may be narrower than the editor (a whole date, a long choice); widen it
        rect = option.rect
        rect.setWidth(max(rect.width(), editor.sizeHint().width()))
        editor.setGeometry(rect)


class DateDelegate(_PickingDelegate):
    """Edits a date in a :class:`~ui.date_field.DateField`; shows it as dd/MM/yyyy.

    The model's edit role holds a ``datetime.date`` (or nothing); the editor starts on
    ``default()`` when there is no date yet. Text that is not a date is never written: Enter
    and Tab leave the editor open with the red sentence, and leaving the cell writes nothing.
    """

    def __init__(
        self, parent: QWidget | None = None, default: Callable[[], date] = date.today
    ) -> None:
        super().__init__(parent)
        self._default = default

    def displayText(self, value: object, locale: QLocale | QLocale.Language) -> str:
        if isinstance(value, date | QDate):
            return format_date(value)
        return super().displayText(value, locale)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = DateField(parent, compact=True, today=self._default)
        editor.setAccessibleName(_column_name(index))
        # a day picked from the calendar is final, as a choice picked from a list
        editor.picked.connect(lambda _day, e=editor: self._commit_and_close(e))
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, DateField)
        editor.setDate(as_date(index.data(Qt.ItemDataRole.EditRole)) or self._default())
        editor.select_all()  # typing replaces the date

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, DateField)
        day = editor.date()
        if day is not None:  # never a date other than the one shown; nothing for no date
            model.setData(index, day, Qt.ItemDataRole.EditRole)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, DateField)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in _FINISHING_KEYS
            and not watched.is_valid()
        ):
            # the editor stays open on the text, its sentence in red under the cell
            watched.select_all()
            return True
        return super().eventFilter(watched, event)


_FINISHING_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


class ChoiceBox(QComboBox):
    """A combo box that says when a choice was picked from its list with the mouse.

    QComboBox reports arrow keys and typed letters as "activated" too; only a pick from the
    open list is final, so the keyboard can still move through the choices before Enter.

    Signals:
        picked: an item was chosen from the open list.
    """

    picked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._from_list = False
        self.activated.connect(self._activated)

    def hidePopup(self) -> None:
        self._from_list = True  # activated follows when the list closed on a choice
        super().hidePopup()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self._from_list = False
        super().keyPressEvent(event)

    @Slot(int)
    def _activated(self, _row: int) -> None:
        if self._from_list:
            self._from_list = False
            self.picked.emit()


class ChoiceDelegate(_PickingDelegate):
    """Edits a value chosen from a fixed list (for example a milestone's status)."""

    def __init__(self, choices: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = list(choices)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = ChoiceBox(parent)
        editor.addItems(self.choices)
        editor.setAccessibleName(_column_name(index))
        # a choice picked from the list is final: commit at once
        editor.picked.connect(lambda e=editor: self._commit_and_close(e))
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        value = index.data(Qt.ItemDataRole.EditRole)
        row = editor.findText(str(value)) if value is not None else -1
        editor.setCurrentIndex(max(row, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class OwnerDelegate(QStyledItemDelegate):
    """Edits an owner's name, completing from the owners already named in the plan."""

    def __init__(self, owners: Callable[[], Sequence[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._owners = owners

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAccessibleName("Owner")
        editor.setPlaceholderText("Owner, e.g. ACO Operations")
        completer = QCompleter(list(self._owners()), editor)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        editor.setCompleter(completer)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QLineEdit)
        value = index.data(Qt.ItemDataRole.EditRole)
        editor.setText("" if value is None else str(value))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QLineEdit)
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class WrappingDelegate(QStyledItemDelegate):
    """Sizes a tree's cells to their text wrapped at the column's width, so a long title shows
    whole on two or three lines instead of being cut (the view needs non-uniform row heights
    and word wrap, and lays its rows out again when the column is resized)."""

    def __init__(
        self,
        view: QTreeView,
        column: int,
        max_lines: Callable[[Index], int | None] = lambda _index: None,
    ) -> None:
        """``max_lines(index)``: the most lines a row may take (None: as many as it needs)."""
        super().__init__(view)
        self._view = view
        self._column = column
        self._max_lines = max_lines

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        view = self._view
        width = view.header().sectionSize(self._column)
        if view.header().visualIndex(self._column) == 0:  # the tree's indented column
            depth = 0
            parent = index.parent()
            while parent.isValid():
                depth += 1
                parent = parent.parent()
            width -= view.indentation() * (depth + (1 if view.rootIsDecorated() else 0))
        wrapped = QStyleOptionViewItem(option)
        # the style wraps at the option's rectangle only when it is valid (height too)
        wrapped.rect = QRect(0, 0, max(1, width), max(1, wrapped.rect.height()))
        wrapped.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        hint = super().sizeHint(wrapped, index)
        lines = self._max_lines(index)
        if lines is not None:
            one = super().sizeHint(option, index).height()  # a single line with its margins
            hint.setHeight(min(hint.height(), one + (lines - 1) * view.fontMetrics().lineSpacing()))
        return hint
