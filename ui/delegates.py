"""Reusable item delegates: dates with a calendar, a choice from a list, owners with completion."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex

#: How every date is shown and typed in the window (British order, as the Board writes it).
DATE_FORMAT = "dd/MM/yyyy"


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


_TYPED_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$|^(\d{2})(\d{2})(\d{4})$")


def parse_typed_date(text: str) -> date | None:
    """A whole date typed day first ("31/12/2004", "1.9.2005", "31122004"), else None."""
    match = _TYPED_DATE.match(text)
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups() if g is not None)
    try:
        return date(year, month, day)
    except ValueError:
        return None


class DateEdit(QDateEdit):
    """A date editor that takes "30/09/2005" typed the way it is read.

    QDateEdit checks each section as it is typed: the "/" after "30" skips the month (the
    day section was already full), and "31" in a 30-day month becomes 30 before the month is
    typed. So a separator right after a full section is swallowed, and a whole date typed in
    one go is taken as typed.
    """

    _SEPARATORS = frozenset({Qt.Key.Key_Slash, Qt.Key.Key_Period, Qt.Key.Key_Minus})
    _NEUTRAL = frozenset({Qt.Key.Key_Shift, Qt.Key.Key_Return, Qt.Key.Key_Enter})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat(DATE_FORMAT)
        self._advanced = False
        self._typed = ""

    def start_typing(self) -> None:
        """Forget what was typed (a new value was set)."""
        self._typed = ""
        self._advanced = False

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.start_typing()
        super().focusInEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        text = event.text()
        if text.isdigit() or key in self._SEPARATORS:
            self._typed += text
        elif key not in self._NEUTRAL:
            self._typed = ""
        if key in self._SEPARATORS and self._advanced:
            self._advanced = False
            event.accept()
        else:
            section = self.currentSection()
            super().keyPressEvent(event)
            self._advanced = bool(text.isdigit() and self.currentSection() != section)
        whole = parse_typed_date(self._typed)
        if whole is not None:
            self.setDate(QDate(whole.year, whole.month, whole.day))


class DateDelegate(QStyledItemDelegate):
    """Edits a date with a calendar popup; shows it as dd/MM/yyyy.

    The model's edit role holds a ``datetime.date`` (or nothing); the editor starts on
    ``default()`` when there is no date yet.
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
        editor = DateEdit(parent)
        editor.setAccessibleName(_column_name(index))
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QDateEdit)
        day = as_date(index.data(Qt.ItemDataRole.EditRole)) or self._default()
        editor.setDate(QDate(day.year, day.month, day.day))
        if isinstance(editor, DateEdit):
            editor.start_typing()
        # typing starts with the day, whichever way the editor got the focus
        editor.setSelectedSection(QDateEdit.Section.DaySection)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QDateEdit)
        editor.interpretText()
        model.setData(index, editor.date().toPython(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        # the cell may be narrower than the whole date; never cut the year off
        rect = option.rect
        rect.setWidth(max(rect.width(), editor.sizeHint().width()))
        editor.setGeometry(rect)


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


class ChoiceDelegate(QStyledItemDelegate):
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

    @Slot()
    def _commit_and_close(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        value = index.data(Qt.ItemDataRole.EditRole)
        row = editor.findText(str(value)) if value is not None else -1
        editor.setCurrentIndex(max(row, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        rect = option.rect
        rect.setWidth(max(rect.width(), editor.sizeHint().width()))
        editor.setGeometry(rect)


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
