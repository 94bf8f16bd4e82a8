"""The action plan's tree widget: Tab indents, Left and Right move between cells."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from ui.accessibility import keeps_tab

#: How the keys work in the tree: its tooltip and what a screen reader says of it.
KEYS_TOLD = (
    "Tab indents a row and Shift+Tab outdents it; Ctrl+Tab leaves the plan "
    "(Ctrl+Shift+Tab goes back). Arrow keys move between rows and cells."
)


class PlanTree(QTreeView):
    """The tree: Tab and Shift+Tab indent and outdent; Left and Right move between cells.

    Ctrl+Tab and Ctrl+Shift+Tab move the focus out of the tree.

    Signals:
        indent_requested: Tab pressed on a row (not while editing).
        outdent_requested: Shift+Tab pressed on a row.
    """

    indent_requested = Signal()
    outdent_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # an outline: Tab indents, so the tree keeps it and Ctrl+Tab leaves (told to all)
        keeps_tab(self)
        self.setTabKeyNavigation(False)
        self.setToolTip(KEYS_TOLD)
        self.setAccessibleDescription(KEYS_TOLD)
        #: Commands whose keys the tree keeps for itself while it has the focus, so that a
        #: window-wide shortcut on the same keys does not make them ambiguous.
        self.own_actions: list[QAction] = []

    def expand_rows(self, indexes: Iterable[QModelIndex]) -> None:
        """Unfold these rows, without the ``expanded`` signal.

        They are stored for the next layout of all rows (which a reset or an insertion
        schedules anyway) instead of each being laid out and its rows inserted one by one,
        which is quadratic on a large plan.
        """
        self.scheduleDelayedItemsLayout()
        blocked = self.blockSignals(True)
        try:
            for index in indexes:
                self.setExpanded(index, True)
        finally:
            self.blockSignals(blocked)

    def _own_action_for(self, event: QKeyEvent) -> QAction | None:
        pressed = QKeySequence(event.keyCombination())
        for action in self.own_actions:
            for shortcut in action.shortcuts():
                if shortcut.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                    return action
        return None

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.type() in (
            QEvent.Type.ShortcutOverride,
            QEvent.Type.KeyPress,
        ):
            own = self._own_action_for(event)
            if own is not None:
                event.accept()
                if event.type() == QEvent.Type.KeyPress and own.isEnabled():
                    own.trigger()
                return True
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            modifiers = event.modifiers()  # type: ignore[attr-defined]
            control = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
            alt = bool(modifiers & Qt.KeyboardModifier.AltModifier)
            shifted = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
            plain = not control and not alt
            backwards = key == Qt.Key.Key_Backtab or shifted
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and control and not alt:
                # Tab indents here, so Ctrl+Tab and Ctrl+Shift+Tab leave the tree
                return self.focusNextPrevChild(not backwards)
            if plain and key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                if backwards:
                    self.outdent_requested.emit()
                else:
                    self.indent_requested.emit()
                return True
        return super().event(event)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        # Left/Right reach the Owner, Date … cells; + and - (or Left in the first column)
        # still collapse and expand.
        current = self.currentIndex()
        if current.isValid():
            column = current.column()
            last = self.model().columnCount(current.parent()) - 1
            if cursorAction == QAbstractItemView.CursorAction.MoveRight and column < last:
                return current.siblingAtColumn(column + 1)
            if cursorAction == QAbstractItemView.CursorAction.MoveLeft and column > 0:
                return current.siblingAtColumn(column - 1)
        return super().moveCursor(cursorAction, modifiers)
