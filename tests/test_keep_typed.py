"""What a person typed stays theirs: through refreshes, refusals, another database, Alt+Tab.

Each case is a path a review of issue 9's window found to lose typed text or replay an edit
where it does not belong.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from db.models import BoardResponse, Recommendation
from esi_desktop import backups, database
from esi_desktop.errors import EsiError
from tests.test_recommendations_view import choose_category, click_row
from ui.date_field import DateField

TODAY = date(2005, 3, 20)


def typing_a_response(qtbot: QtBot, window: Any) -> Any:
    """Recommendations page, recommendation 3, words typed in "How and when" (not left)."""
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    view = window.recommendations
    click_row(qtbot, view, "3")
    view.editor.narrative.setFocus()
    qtbot.keyClicks(view.editor.narrative, "A costed training plan")
    return view


def refuse_saves(monkeypatch: pytest.MonkeyPatch, window: Any) -> None:
    """Every save of a response is refused from now on, as with the connection lost."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise EsiError("Lost the connection to the server; nothing was saved.")

    monkeypatch.setattr(window.edits, "save_response", refuse)


def test_undo_never_replays_into_another_database(
    qtbot: QtBot, open_window: Callable[..., Any], db_url: str, tmp_path: Path
) -> None:
    window = open_window(TODAY)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    view = window.recommendations
    click_row(qtbot, view, "3")
    choose_category(qtbot, view, "Agreed")
    assert window.workspace.undo_stack.canUndo()
    copy = tmp_path / "copy.sqlite3"
    backups.back_up(url=db_url, to=copy)  # a copy of the database, as it is now
    assert window.open_database(f"sqlite:///{copy}", create=False)
    assert not window.workspace.undo_stack.canUndo()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [r.category for r in BoardResponse.select()] == ["Agreed"]  # the copy as it was


def test_a_refresh_while_typing_keeps_the_text(
    qtbot: QtBot, open_window: Callable[..., Any]
) -> None:
    window = open_window(TODAY)
    view = typing_a_response(qtbot, window)
    window.refresh()  # another secretary's change arrived, or the server came back
    assert view.editor.narrative.toPlainText() == "A costed training plan"


def test_a_response_that_could_not_be_saved_is_not_left_behind(
    qtbot: QtBot, open_window: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(TODAY)
    view = typing_a_response(qtbot, window)
    refuse_saves(monkeypatch, window)
    click_row(qtbot, view, "4")  # the save is refused: the page stays on recommendation 3
    assert "Recommendation 3" in view.editor.heading.text()
    assert view.editor.narrative.toPlainText() == "A costed training plan"
    assert "Lost the connection" in view.editor.message.text()
    assert view.current_id() == int(Recommendation.get(Recommendation.reference == "3").id)


def test_closing_with_a_response_that_could_not_be_saved_asks_first(
    qtbot: QtBot,
    open_window: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = open_window(TODAY)
    view = typing_a_response(qtbot, window)
    refuse_saves(monkeypatch, window)
    asked: list[str] = []

    def say_no(_parent: object, title: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(title)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", say_no)
    window.close()
    assert asked == ["Close without the response you typed?"]
    assert window.isVisible()  # not closed: the text is still there to copy or retry
    assert view.editor.narrative.toPlainText() == "A costed training plan"
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    window.close()
    assert not window.isVisible()
    database.disconnect()


def test_spaces_around_a_response_are_no_step_to_undo(
    qtbot: QtBot, open_window: Callable[..., Any]
) -> None:
    window = open_window(TODAY)
    view = typing_a_response(qtbot, window)
    qtbot.keyClick(view.editor.narrative, Qt.Key.Key_Tab)
    steps = window.workspace.undo_stack.count()
    view.editor.narrative.setFocus()
    view.editor.narrative.moveCursor(view.editor.narrative.textCursor().MoveOperation.End)
    qtbot.keyClicks(view.editor.narrative, "  ")
    qtbot.keyClick(view.editor.narrative, Qt.Key.Key_Tab)
    assert window.workspace.undo_stack.count() == steps


def test_a_look_at_another_program_keeps_a_half_typed_date(qtbot: QtBot) -> None:
    field = DateField(today=lambda: TODAY)
    qtbot.addWidget(field)
    finished: list[bool] = []
    field.editingFinished.connect(lambda: finished.append(True))
    field.show()
    field.line_edit.setFocus()
    qtbot.keyClicks(field.line_edit, "15/10/200")
    # Alt+Tab: the whole window loses the focus
    QApplication.sendEvent(
        field.line_edit,
        QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.ActiveWindowFocusReason),
    )
    assert finished == []
    assert field.text() == "15/10/200"
    QApplication.sendEvent(
        field.line_edit, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.MouseFocusReason)
    )
    assert finished == [True]
