"""What the undo stack just did, said in the status bar: "Saved: …", "Undone: …", "Redone: …".

The status bar's messages are announced to screen readers too (:mod:`ui.accessibility`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QStatusBar

#: How long the message stays, in milliseconds.
SHOWN_MS = 4000


class UndoOutcomes(QObject):
    """Follows one undo stack's index and says each save, undo and redo in ``bar``."""

    def __init__(self, stack: QUndoStack, bar: QStatusBar) -> None:
        super().__init__(bar)
        self._stack = stack
        self._bar = bar
        self._index = stack.index()
        #: The command Edit ▸ Redo would redo now (None: nothing to redo).
        self._next_redo: QUndoCommand | None = self._redo_candidate()
        stack.indexChanged.connect(self.index_changed)

    def stop(self) -> None:
        """Say nothing more (the window is closing)."""
        self._stack.indexChanged.disconnect(self.index_changed)

    def _redo_candidate(self) -> QUndoCommand | None:
        index = self._stack.index()
        return self._stack.command(index) if index < self._stack.count() else None

    @Slot(int)
    def index_changed(self, index: int) -> None:
        stack = self._stack
        previous, self._index = self._index, index
        # a redo brings back the very command that was next to redo; a new edit is another,
        # though the stack's size can be the same (one redo waiting, then a new edit)
        redone = self._next_redo is not None and stack.command(index - 1) is self._next_redo
        self._next_redo = self._redo_candidate()
        if index < previous and stack.canRedo():
            self._bar.showMessage(f"Undone: {stack.redoText()}", SHOWN_MS)
        elif index > previous and stack.canUndo():
            verb = "Redone" if redone else "Saved"
            self._bar.showMessage(f"{verb}: {stack.undoText()}", SHOWN_MS)
