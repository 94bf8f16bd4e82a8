"""The progress paper's meeting question offers the Board meetings entered, the next one first."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from ui import app as ui_app
from ui.export.dialogs import MeetingDateDialog, default_meeting

PUBLISHED = date(2005, 1, 1)
TODAY = date(2005, 6, 10)
MEETINGS = [date(2005, 5, 19), date(2005, 7, 21), date(2005, 9, 15)]


def open_dialog(qtbot: QtBot, meetings: list[date]) -> MeetingDateDialog:
    ui_app.make_application()
    dialog = MeetingDateDialog(
        meetings, default_meeting(meetings, TODAY), PUBLISHED, today=lambda: TODAY
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_meetings_are_offered_with_the_next_one_chosen(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, MEETINGS)
    offered = [dialog.meeting_choice.itemText(i) for i in range(dialog.meeting_choice.count())]
    assert offered == [
        "Thursday 19 May 2005",
        "Thursday 21 July 2005 (next)",
        "Thursday 15 September 2005",
        "Another date…",
    ]
    assert dialog.meeting_choice.currentText() == "Thursday 21 July 2005 (next)"
    assert not dialog.date_edit.isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.chosen() == date(2005, 7, 21)


def test_another_meeting_is_chosen_by_keys(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, MEETINGS)
    dialog.meeting_choice.setFocus()
    qtbot.keyClick(dialog.meeting_choice, Qt.Key.Key_Down)
    assert dialog.chosen() == date(2005, 9, 15)
    qtbot.keyClick(dialog.meeting_choice, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.meeting_choice, Qt.Key.Key_Up)
    assert dialog.chosen() == date(2005, 5, 19)


def test_another_date_is_typed(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, MEETINGS)
    dialog.meeting_choice.setFocus()
    qtbot.keyClick(dialog.meeting_choice, Qt.Key.Key_End)
    assert dialog.meeting_choice.currentText() == "Another date…"
    assert dialog.date_edit.isVisible()
    line = dialog.date_edit.line_edit
    line.selectAll()
    qtbot.keyClicks(line, "01/08/2005")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen() == date(2005, 8, 1)


def test_without_meetings_the_date_is_asked(qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, [])
    assert not dialog.meeting_choice.isVisible()
    assert dialog.date_edit.isVisible()
    assert dialog.chosen() == TODAY
