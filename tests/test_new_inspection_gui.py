"""File ▸ New inspection… in the window: a rated inspection typed, pasted, corrected, created."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from db.models import Inspection, Recommendation
from tests.rated_fixtures import BODY, READING_PASTE, READING_RATINGS
from ui.new_inspection import NewInspectionDialog
from ui.new_inspection.split_table import ADDRESSEE, TEXT

TODAY = date(2025, 1, 10)
#: The Reading paste as a PDF viewer broke it: recommendation 5 in two numbered pieces.
BROKEN_PASTE = (
    READING_PASTE.replace("5. pay attention to the needs and wishes of victims.",
                          "5. pay attention to the needs and wishes\n6. of victims.")
    .replace("6. make sure that the service", "7. make sure that the service")
    .replace("7. use the", "8. use the")
    .replace("8. make sure that children", "9. make sure that children")
)  # fmt: skip
KEYS = {"RI": "R", "I": "I", "not rated": "N"}


def open_dialog(qtbot: QtBot, window: Any) -> NewInspectionDialog:
    """File ▸ New inspection…, as a person chooses it."""
    window.new_inspection_action.trigger()
    shown = [d for d in window.findChildren(NewInspectionDialog) if d.isVisible()]
    assert len(shown) == 1
    dialog = shown[0]
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def rate_with_keys(qtbot: QtBot, dialog: NewInspectionDialog) -> None:
    """Each standard's rating picked by typing its first letter in its combo."""
    assert dialog.ratings is not None
    for code, rating in READING_RATINGS.items():
        combo = dialog.ratings.combos[code]
        dialog.details_scroll.ensureWidgetVisible(combo)
        combo.setFocus()
        qtbot.keyClicks(combo, KEYS[rating])


def paste(qtbot: QtBot, dialog: NewInspectionDialog, text: str) -> None:
    QApplication.clipboard().setText(text)
    dialog.paste.setFocus()
    qtbot.keyClick(dialog.paste, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def cell(dialog: NewInspectionDialog, row: int, column: int) -> str:
    item = dialog.preview.table.item(row, column)
    return item.text() if item is not None else ""


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def edit_cell(qtbot: QtBot, dialog: NewInspectionDialog, row: int, column: int) -> QWidget:
    """Start editing a cell with F2, as from the keyboard; the editor that opened."""
    table = dialog.preview.table
    table.setFocus()
    table.setCurrentCell(row, column)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: table.isPersistentEditorOpen(table.currentIndex()) or (
        QApplication.focusWidget() is not table
    ))  # fmt: skip
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not table
    return editor


def test_a_person_creates_the_reading_inspection(
    open_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window(TODAY, sample=False)
    dialog = open_dialog(qtbot, window)
    qtbot.keyClicks(dialog.body, BODY)
    qtbot.keyClicks(dialog.published.line_edit, "03/12/2024")
    assert dialog.published.hint_text() == "Tuesday 3 December 2024"
    assert dialog.ratings is not None
    assert "have no rating" in dialog.ratings.total.text()
    rate_with_keys(qtbot, dialog)
    assert dialog.ratings.total.text() == (
        "Total 5 / 36 — Overall rating: Inadequate. Not counted: 4.1 Resettlement policy and "
        "provision (Not rated)."
    )
    assert dialog.ratings.labels["4.1"].text().endswith("(rated apart, not counted)")
    assert "fixes no response deadline" in dialog.deadline_note.text()

    paste(qtbot, dialog, BROKEN_PASTE)
    table = dialog.preview.table
    assert table.rowCount() == 9
    assert (cell(dialog, 4, TEXT), cell(dialog, 5, TEXT)) == (
        "pay attention to the needs and wishes",
        "of victims.",
    )
    # the person merges the broken piece into the recommendation above it
    table.setCurrentCell(5, TEXT)
    click(qtbot, dialog.preview.buttons[dialog.preview.merge_action])
    assert table.rowCount() == 8
    assert cell(dialog, 4, TEXT) == "pay attention to the needs and wishes of victims."
    assert [cell(dialog, row, 0) for row in range(8)] == [str(n) for n in range(1, 9)]
    # and addresses the last one to the council instead
    editor = edit_cell(qtbot, dialog, 7, ADDRESSEE)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "Reading Borough Council")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cell(dialog, 7, ADDRESSEE) == "Reading Borough Council")

    dialog.grab().save(str(tmp_path / "new-inspection.png"))
    click(qtbot, dialog.create_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    inspection = Inspection.get(Inspection.area == BODY)
    assert window.workspace.inspection_id == inspection.id
    assert BODY in window.heading.text()
    stored = list(Recommendation.select().order_by(Recommendation.position))
    assert len(stored) == 8
    assert stored[4].text == "pay attention to the needs and wishes of victims."
    assert [r.addressee for r in stored[5:]] == ["Management Board"] * 2 + [
        "Reading Borough Council"
    ]
    assert stored[7].stem == ""  # the council's recommendation is not under the Board heading
    assert stored[5].stem == "The Management Board should:"
    assert "Created the inspection of Reading" in window.statusBar().currentMessage()


def test_a_refused_create_keeps_everything_typed_and_names_the_field(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY, sample=False)
    dialog = open_dialog(qtbot, window)
    qtbot.keyClicks(dialog.published.line_edit, "3/12/2024")
    rate_with_keys(qtbot, dialog)
    paste(qtbot, dialog, READING_PASTE)
    click(qtbot, dialog.create_button)
    assert dialog.isVisible()
    assert dialog.error.isVisible()
    assert dialog.error.text().startswith("Type the name of the inspected body")
    assert QApplication.focusWidget() is dialog.body
    # nothing typed was lost
    assert dialog.paste.toPlainText() == READING_PASTE
    assert dialog.preview.table.rowCount() == 8
    assert dialog.ratings is not None and dialog.ratings.ratings()["1.2"] == "Inadequate"
    # a rating cleared is named, and its combo gets the focus
    combo = dialog.ratings.combos["2.3"]
    combo.setCurrentIndex(-1)
    qtbot.keyClicks(dialog.body, BODY)
    click(qtbot, dialog.create_button)
    assert dialog.error.text().startswith("Standard 2.3 (Implementation and delivery) has no")
    assert QApplication.focusWidget() is combo
    # End picks the last rating, Inadequate (typing I again this soon would search for "II")
    qtbot.keyClick(combo, Qt.Key.Key_End)
    assert combo.currentText() == "Inadequate"
    click(qtbot, dialog.create_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert Inspection.select().count() == 1

    # the same inspection again: refused in the dialog, one sentence, no message box
    dialog = open_dialog(qtbot, window)
    qtbot.keyClicks(dialog.body, BODY)
    qtbot.keyClicks(dialog.published.line_edit, "03/12/2024")
    rate_with_keys(qtbot, dialog)
    paste(qtbot, dialog, READING_PASTE)
    click(qtbot, dialog.create_button)
    assert "is already stored as inspection" in dialog.error.text()
    assert QApplication.focusWidget() is dialog.body
    assert Inspection.select().count() == 1
    dialog.reject()


def test_a_recommendation_is_split_at_the_cursor(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY, sample=False)
    dialog = open_dialog(qtbot, window)
    paste(qtbot, dialog, "The Management Board should:\n1. agree the plan and publish it\n")
    editor = edit_cell(qtbot, dialog, 0, TEXT)
    # the cursor put before "and publish it" with the keyboard
    qtbot.keyClick(editor, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(3):
        qtbot.keyClick(editor, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert dialog.preview.text_delegate.editor is editor
    click(qtbot, dialog.preview.buttons[dialog.preview.split_action])
    assert dialog.preview.table.rowCount() == 2
    assert cell(dialog, 0, TEXT) == "agree the plan"
    assert cell(dialog, 1, TEXT) == "and publish it"
    assert cell(dialog, 1, ADDRESSEE) == "Management Board"
    recommendations = dialog.preview.recommendations()
    assert [r.stem for r in recommendations] == ["The Management Board should:"] * 2
    # remove the second again
    click(qtbot, dialog.preview.buttons[dialog.preview.remove_action])
    assert dialog.preview.table.rowCount() == 1
    dialog.reject()


def test_the_dialog_fits_a_1366_by_768_screen(
    open_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window(TODAY, sample=False)
    dialog = open_dialog(qtbot, window)
    dialog.resize(1366, 768)
    qtbot.waitUntil(lambda: dialog.width() == 1366)
    paste(qtbot, dialog, READING_PASTE)
    dialog.grab().save(str(tmp_path / "new-inspection-1366.png"))
    inside = dialog.rect()
    for widget in [dialog.create_button, dialog.paste, dialog.preview.table, dialog.body]:
        top_left = widget.mapTo(dialog, widget.rect().topLeft())
        assert inside.contains(QRect(top_left, widget.size())), widget.accessibleName()
    # nothing cut on the right of the scrolling details: no horizontal scrolling needed
    details = dialog.details_scroll
    assert details.widget().width() <= details.viewport().width()
    # the combos and the total are on screen or reached by the scroll bar, never clipped sideways
    assert dialog.ratings is not None
    for combo in dialog.findChildren(QComboBox):
        right = combo.mapTo(details.viewport(), combo.rect().topRight()).x()
        if details.isAncestorOf(combo) and combo.isVisible():
            assert right <= details.viewport().width(), (combo.accessibleName(), right)
    assert all(b.isVisible() for b in dialog.buttons.findChildren(QPushButton))
    dialog.reject()
