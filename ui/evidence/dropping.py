"""Files dropped on a row of the plan tree or the recommendations table attach to its item.

:class:`FileDrops` watches a view's viewport: a drag carrying files (from Explorer, the
desktop or an e-mail program) is taken on the row under the cursor and attached to that item
as one undoable edit; any other drag is left to the view, so its own dragging keeps working.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QModelIndex, QObject, Qt
from PySide6.QtGui import QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QMainWindow, QMessageBox, QWidget

from esi_desktop.database import DatabaseOutage
from esi_desktop.errors import EsiError
from ui.edits import Edits
from ui.workspace import ConflictReloaded

#: The item a row stands for, as (kind, id); None for a row that takes no files.
DropTarget = Callable[[QModelIndex], tuple[str, int] | None]


def dropped_files(mime: QMimeData | None) -> list[Path]:
    """The local files a drag carries; empty when it carries anything else too (a web link,
    text): such a drag is not a drop of files."""
    if mime is None or not mime.hasUrls():
        return []
    urls = mime.urls()
    if not urls or not all(url.isLocalFile() for url in urls):
        return []
    return [Path(url.toLocalFile()) for url in urls]


def show_refusal(parent: QWidget, title: str, error: EsiError) -> None:
    """Say once why evidence could not be attached or removed: one message box with the
    sentence, or the status bar when the window already says why (a lost connection)."""
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(str(error), 10000)
    if isinstance(error, DatabaseOutage | ConflictReloaded):
        return
    QMessageBox.warning(parent, title, str(error))


class FileDrops(QObject):
    """Attaches files dropped on a row of ``view`` to the item the row stands for.

    Args:
        view: the tree or table; its viewport is watched.
        edits: the undoable edits (the attachment goes on the workspace's undo stack).
        target: the item a row stands for, or None when files cannot go there.
    """

    def __init__(self, view: QAbstractItemView, edits: Edits, target: DropTarget) -> None:
        super().__init__(view)
        self._view = view
        self._edits = edits
        self._target = target
        view.setAcceptDrops(True)
        view.viewport().setAcceptDrops(True)
        view.viewport().installEventFilter(self)

    def target_at(self, event: QDragMoveEvent | QDropEvent) -> tuple[str, int] | None:
        """The item under the cursor of a drag, if files can go there."""
        index = self._view.indexAt(event.position().toPoint())
        return self._target(index) if index.isValid() else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        assert isinstance(event, QDropEvent)  # DragEnter and DragMove events are drop events
        paths = dropped_files(event.mimeData())
        if not paths:
            return False  # not files: the view's own dragging, if any, handles it
        # always a copy: a "move" accepted here would let the source delete the person's file
        event.setDropAction(Qt.DropAction.CopyAction)
        if kind == QEvent.Type.DragEnter:
            event.accept()  # so that the moves over the rows come
            return True
        target = self.target_at(event)
        if target is None:
            event.ignore()
            return True
        event.accept()
        if kind == QEvent.Type.Drop:
            self.attach(target, paths)
        return True

    def attach(self, target: tuple[str, int], paths: list[Path]) -> None:
        """Attach the files to the item; a refusal (too large, unreadable) is one message."""
        kind, item_id = target
        try:
            self._edits.attach_evidence(kind, item_id, paths)
        except EsiError as error:
            show_refusal(self._view, "Cannot attach the files", error)
