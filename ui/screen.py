"""Windows that fit the screen they are on: a 1366 × 768 laptop, or 1920 × 1080 at 200%."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


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
