"""The editors of the follow-up view's cells: a result (a list of the rating scale, or a
percentage checked on Enter) and a self-assessment (a list of the four-point scale).

A choice picked from an open list commits at once; a percentage that is not valid keeps its
field open and says why.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from esi_desktop import follow_up
from esi_desktop.errors import ValidationError
from esi_desktop.frameworks import ResultKind, get_framework
from esi_desktop.rated_frameworks import NOT_RATED
from esi_desktop.rules import SelfAssessment
from ui.follow_up.common import (
    NO_RESULT,
    NOT_ASSESSED,
    CodeRole,
    FrameworkIdRole,
    Index,
    ResultKindRole,
)
from ui.palette import legible

#: The frame of a result refused as typed (a graphic: 3:1 against the field, WCAG 1.4.11).
REFUSED_FRAME = "#b00020"


class ChoiceCombo(QComboBox):
    """A combo box for a grid cell that says when an entry is chosen from its open list.

    Choosing from the list commits at once; moving through a closed list with the keys (or
    typing the start of an entry) waits for Enter, so a person can pass over entries.

    Signals:
        chosen: an entry was picked from the open list.
    """

    chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._list_open = False
        self.activated.connect(self._on_activated)

    def showPopup(self) -> None:
        self._list_open = True
        super().showPopup()

    def hidePopup(self) -> None:
        super().hidePopup()
        # the choice is announced (activated) after the list hides; forget the list after it
        QTimer.singleShot(0, self, self._forget_list)

    def _forget_list(self) -> None:
        self._list_open = False

    def _on_activated(self, _row: int) -> None:
        if self._list_open:
            self._list_open = False
            self.chosen.emit()


class ResultLineEdit(QLineEdit):
    """The editor of a percentage result; knows its criterion to check the text."""

    def __init__(self, framework_id: str, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.framework_id = framework_id
        self.code = code


def _commit_on_choice(delegate: QStyledItemDelegate, combo: ChoiceCombo) -> None:
    """Picking from the open list commits at once, as a person expects of a drop-down."""

    def commit() -> None:
        delegate.commitData.emit(combo)
        delegate.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    combo.chosen.connect(commit)


class FollowUpResultDelegate(QStyledItemDelegate):
    """Edits a follow-up result: a list of the scale for ratings, a text field for percentages.

    Enter on a percentage that is not valid keeps the field open and says why.

    Signals:
        refused: the sentence saying why the text was not accepted.
        cleared: the person started again or gave up; any sentence shown can go.
    """

    refused = Signal(str)
    cleared = Signal()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        self.cleared.emit()
        framework_id = str(index.data(FrameworkIdRole))
        code = str(index.data(CodeRole))
        if index.data(ResultKindRole) == ResultKind.RATING.value:
            combo = ChoiceCombo(parent)
            combo.addItem(NO_RESULT, "")
            framework = get_framework(framework_id)
            for rating in framework.rating_scale:
                combo.addItem(rating, rating)
            rules = framework.rated
            if rules is not None and code in rules.may_be_not_rated:
                # only where the framework allows it (resettlement with no cases)
                combo.addItem(NOT_RATED, NOT_RATED)
            combo.setAccessibleName(f"Follow-up rating for {code}")
            _commit_on_choice(self, combo)
            return combo
        editor = ResultLineEdit(framework_id, code, parent)
        editor.setPlaceholderText("0–100")
        editor.setAccessibleName(f"Follow-up percentage for {code}")
        editor.setFrame(False)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = str(index.data(Qt.ItemDataRole.EditRole) or "")
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QLineEdit):
            editor.setText(value)
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, ResultLineEdit) and isinstance(event, QKeyEvent):
            if event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
            ):
                try:
                    follow_up.parse_result_text(watched.framework_id, watched.code, watched.text())
                except ValidationError as exc:
                    # the house red, made visible on the field's background (a black theme)
                    back = watched.palette().color(QPalette.ColorRole.Base)
                    frame = legible(REFUSED_FRAME, back, "graphic").name()
                    watched.setStyleSheet(f"border: 2px solid {frame};")
                    watched.setToolTip(str(exc))
                    self.refused.emit(str(exc))
                    return True  # keep the field open so the person can correct it
            elif event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
                self.cleared.emit()
        return super().eventFilter(watched, event)


class SelfAssessmentDelegate(QStyledItemDelegate):
    """A list of the four-point progress scale (and "Not assessed") for a self-assessment."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = ChoiceCombo(parent)
        combo.addItem(NOT_ASSESSED, "")
        for value in SelfAssessment:
            combo.addItem(value.value, value.value)
        combo.setAccessibleName("Self-assessment")
        _commit_on_choice(self, combo)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            value = str(index.data(Qt.ItemDataRole.EditRole) or "")
            editor.setCurrentIndex(max(0, editor.findData(value)))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
