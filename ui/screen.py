"""Windows that fit the screen they are on: a 1366 × 768 laptop, or 1920 × 1080 at 200%."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QWidget


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Size a window to ``width`` × ``height``, or less where the screen is smaller.

    Leaves room for the window's frame and the desktop's taskbar, so that its buttons are
    never off the screen.
    """
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width() - 40)
        height = min(height, room.height() - 80)
    window.resize(width, height)


class _ReadableColumn(QObject):
    """Stretches a column while the view has room for it, else keeps it readable (see below)."""

    def __init__(self, view: QAbstractItemView, header: QHeaderView, column: int, width: int):
        super().__init__(view)
        self.view = view
        self.header = header
        self.column = column
        self.width = width
        view.viewport().installEventFilter(self)
        header.sectionResized.connect(self._section_resized)
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.update()
        return False

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if column != self.column:  # another column made wider or narrower by hand
            self.update()

    def update(self) -> None:
        header = self.header
        others = sum(
            header.sectionSize(column)
            for column in range(header.count())
            if column != self.column and not header.isSectionHidden(column)
        )
        stretch = self.view.viewport().width() - others >= self.width
        mode = QHeaderView.ResizeMode.Stretch if stretch else QHeaderView.ResizeMode.Interactive
        if header.sectionResizeMode(self.column) != mode:
            header.setSectionResizeMode(self.column, mode)
            if not stretch:
                header.resizeSection(self.column, self.width)


def keep_column_readable(
    view: QAbstractItemView, header: QHeaderView, column: int, width: int
) -> None:
    """Let ``column`` take the room the view has, but never less than ``width``.

    A stretched column of a narrow view (a small screen, or one at 200%) would otherwise be
    squeezed to nothing by the columns beside it. Here it keeps ``width`` and the view
    scrolls sideways to the other columns instead; given room again, it stretches again.
    """
    _ReadableColumn(view, header, column, width)
