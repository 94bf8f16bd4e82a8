"""The window's heading names the inspection's publication day when the report gives it.

"published 12 January 2005" once the day is known; "published January 2005" while only the
month is (the Dashboard says the 1st is assumed). The heading follows an edit of the
inspection record, its undo and its redo.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from ui.inspection import InspectionEditor

TODAY = date(2005, 3, 10)


def heading(window: Any) -> str:
    """The heading as a person reads it (its rich text without the markup)."""
    document = QTextDocument()
    document.setHtml(window.heading.text())
    return " ".join(document.toPlainText().replace("\u00a0", " ").split())


def test_the_heading_gives_the_publication_day_once_it_is_known(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY)
    qtbot.waitUntil(window.isActiveWindow)  # the keys go to the window a person is using
    # the sample report prints the month only
    assert heading(window).startswith("Gloucestershire · published January 2005 Effective")

    # Inspection ▸ Edit inspection… (Ctrl+Shift+I): the report was published on the 12th
    qtbot.keyClick(
        window,
        Qt.Key.Key_I,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.findChild(InspectionEditor)
    assert isinstance(dialog, InspectionEditor)
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.day_known, Qt.MouseButton.LeftButton)
    dialog.published.setFocus()
    dialog.published.select_all()
    qtbot.keyClicks(dialog.published, "12/01/2005")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    assert heading(window).startswith("Gloucestershire · published 12 January 2005 Effective")
    assert "Effective Supervision Inspection" in heading(window)

    # Ctrl+Z: the day is not known again, and the heading says the month only
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert heading(window).startswith("Gloucestershire · published January 2005 Effective")
    # Ctrl+Y: the 12th again
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert heading(window).startswith("Gloucestershire · published 12 January 2005 Effective")
