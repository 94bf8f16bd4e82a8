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
    qtbot.waitUntil(dialog.isActiveWindow, timeout=20000)
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


def test_tab_reaches_the_correction_buttons_and_split_keeps_the_cursor(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY, sample=False)
    dialog = open_dialog(qtbot, window)
    paste(
        qtbot,
        dialog,
        "The Management Board should:\n1. agree the plan and publish it\n2. review it yearly\n",
    )
    preview = dialog.preview
    buttons = {preview.buttons[a]: a for a in preview.buttons}
    # Shift+Tab from the table reaches every button (Merge needs a row below another)
    table = preview.table
    table.setFocus()
    table.setCurrentCell(1, TEXT)
    reached = set()
    for key in (Qt.Key.Key_Backtab,) * 4:
        qtbot.keyClick(QApplication.focusWidget(), key)
        reached.add(QApplication.focusWidget())
    assert set(buttons) <= reached, [b.text() for b in buttons if b not in reached]

    # the cursor put before "and publish it", then Shift+Tab to the Split button and Space
    editor = edit_cell(qtbot, dialog, 0, TEXT)
    qtbot.keyClick(editor, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(3):
        qtbot.keyClick(editor, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    split_button = preview.buttons[preview.split_action]
    for _ in range(5):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
        if QApplication.focusWidget() is split_button:
            break
    assert QApplication.focusWidget() is split_button
    qtbot.keyClick(split_button, Qt.Key.Key_Space)
    assert [cell(dialog, row, TEXT) for row in range(table.rowCount())] == [
        "agree the plan",
        "and publish it",
        "review it yearly",
    ]
    dialog.reject()


def test_tab_in_a_cell_editor_leaves_the_table(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY, sample=False)
    dialog = open_dialog(qtbot, window)
    paste(qtbot, dialog, READING_PASTE)
    table = dialog.preview.table
    for column in (ADDRESSEE, TEXT):
        editor = edit_cell(qtbot, dialog, 7, column)
        qtbot.keyClick(editor, Qt.Key.Key_End)
        qtbot.keyClicks(editor, " now")
        qtbot.keyClick(editor, Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        assert focus is not None and focus is not table and not table.isAncestorOf(focus)
        assert not table.isPersistentEditorOpen(table.currentIndex())
    assert cell(dialog, 7, ADDRESSEE) == "Management Board now"
    assert cell(dialog, 7, TEXT).endswith("the services they need. now")
    dialog.reject()


def test_the_correction_shortcuts(open_window: Callable[..., Any], qtbot: QtBot) -> None:
    window = open_window(TODAY, sample=False)
    dialog = open_dialog(qtbot, window)
    paste(qtbot, dialog, BROKEN_PASTE)
    table = dialog.preview.table
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    table.setFocus()
    table.setCurrentCell(5, TEXT)
    qtbot.keyClick(table, Qt.Key.Key_Up, shift_ctrl)
    assert table.rowCount() == 8
    assert cell(dialog, 4, TEXT) == "pay attention to the needs and wishes of victims."
    editor = edit_cell(qtbot, dialog, 4, TEXT)
    qtbot.keyClick(editor, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(3):
        qtbot.keyClick(editor, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Return, shift_ctrl)
    assert table.rowCount() == 9
    assert cell(dialog, 5, TEXT) == "the needs and wishes of victims."
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete, shift_ctrl)
    assert table.rowCount() == 8
    assert cell(dialog, 4, TEXT) == "pay attention to"
    dialog.reject()


def test_a_changed_paste_keeps_the_corrections_until_split_again(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY, sample=False)
    dialog = open_dialog(qtbot, window)
    paste(qtbot, dialog, BROKEN_PASTE)
    table = dialog.preview.table
    table.setCurrentCell(5, TEXT)
    click(qtbot, dialog.preview.buttons[dialog.preview.merge_action])
    assert table.rowCount() == 8
    # a word typed at the end of the paste afterwards: the merge is kept, and the dialog says so
    dialog.paste.setFocus()
    qtbot.keyClick(dialog.paste, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.paste, "Annex")
    assert table.rowCount() == 8
    assert cell(dialog, 4, TEXT) == "pay attention to the needs and wishes of victims."
    assert dialog.stale_note.isVisible() and dialog.split_again_button.isVisible()
    assert "keeps your corrections" in dialog.stale_note.text()
    # undone: the paste is the one split, nothing to say
    for _ in range(5):
        qtbot.keyClick(dialog.paste, Qt.Key.Key_Backspace)
    assert not dialog.stale_note.isVisible()
    qtbot.keyClicks(dialog.paste, "Annex")
    # the person chooses to split again: the corrections go, the new paste is split
    click(qtbot, dialog.split_again_button)
    assert table.rowCount() == 9
    assert not dialog.stale_note.isVisible()
    assert QApplication.focusWidget() is dialog.paste
    dialog.reject()


def test_a_recommendation_addressed_to_no_one_is_refused_and_its_cell_chosen(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY, sample=False)
    dialog = open_dialog(qtbot, window)
    qtbot.keyClicks(dialog.body, BODY)
    qtbot.keyClicks(dialog.published.line_edit, "03/12/2024")
    rate_with_keys(qtbot, dialog)
    # the heading of the manager's recommendations was not copied
    paste(qtbot, dialog, READING_PASTE.replace("The YJS Service Manager should:\n", ""))
    preview = dialog.preview.warnings
    warnings = [preview.item(i).text() for i in range(preview.count())]
    assert warnings[0].startswith(
        "Recommendations 1, 2, 3, 4 and 5 come before any heading saying who the report "
        "addresses it to"
    )
    click(qtbot, dialog.create_button)
    assert dialog.isVisible()
    assert dialog.error.text().startswith("Recommendation 1 is addressed to no one")
    table = dialog.preview.table
    assert QApplication.focusWidget() is table
    assert (table.currentRow(), table.currentColumn()) == (0, ADDRESSEE)
    assert Inspection.select().count() == 0
    dialog.reject()


def test_the_welcome_page_offers_a_new_inspection(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    from ui.start_pages import WelcomePage

    window = open_window(TODAY, sample=False)
    page = window.findChild(WelcomePage)
    assert page is not None and page.isVisible()
    assert page.new_inspection_button.isVisible()
    click(qtbot, page.new_inspection_button)
    shown = [d for d in window.findChildren(NewInspectionDialog) if d.isVisible()]
    assert len(shown) == 1
    shown[0].reject()


def test_escape_asks_before_dropping_what_was_typed(
    open_window: Callable[..., Any],
    qtbot: QtBot,
    messages: list[tuple[str, str]],
    monkeypatch: Any,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = open_window(TODAY, sample=False)
    dialog = open_dialog(qtbot, window)
    # nothing typed: Escape closes at once
    qtbot.keyClick(dialog.body, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and messages == []
    dialog = open_dialog(qtbot, window)
    qtbot.keyClicks(dialog.body, BODY)
    rate_with_keys(qtbot, dialog)
    asked: list[str] = []

    def keep(_parent: object, _title: str, text: str, *args: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", keep)
    qtbot.keyClick(dialog.body, Qt.Key.Key_Escape)
    assert asked == [
        "Close without creating the inspection? What you typed and pasted here will be lost."
    ]
    assert dialog.isVisible() and dialog.body.text() == BODY
    # the person means it: the dialog closes
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.keyClick(dialog.body, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert Inspection.select().count() == 0


def test_a_paste_of_five_hundred_recommendations_is_corrected_row_by_row(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY, sample=False)
    dialog = open_dialog(qtbot, window)
    lines = [f"{n}. make sure that item {n} is done well\r\n" for n in range(1, 501)]
    paste(qtbot, dialog, "The Management Board should:\r\n" + "".join(lines))
    table = dialog.preview.table
    assert table.rowCount() == 500
    assert cell(dialog, 499, TEXT) == "make sure that item 500 is done well"  # no stray "\r"
    table.setFocus()
    table.setCurrentCell(300, TEXT)
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(table, Qt.Key.Key_Up, shift_ctrl)  # 301 into 300
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Delete, shift_ctrl)  # 302 removed
    assert table.rowCount() == 498
    assert [cell(dialog, row, 0) for row in range(498)] == [str(n) for n in range(1, 499)]
    assert cell(dialog, 299, TEXT) == (
        "make sure that item 300 is done well make sure that item 301 is done well"
    )
    assert cell(dialog, 300, TEXT) == "make sure that item 303 is done well"
    # the number column is as wide as its widest number
    number_width = table.fontMetrics().horizontalAdvance("498")
    assert table.columnWidth(0) >= number_width
    dialog.reject()


def test_on_a_narrow_screen_no_standard_is_cut_off(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY, sample=False)
    dialog = open_dialog(qtbot, window)
    dialog.resize(900, 500)  # a 1366 × 768 laptop at 150 %
    qtbot.waitUntil(lambda: dialog.width() == 900)
    rate_with_keys(qtbot, dialog)  # each combo scrolled into sight as it is rated
    details = dialog.details_scroll
    assert details.widget().width() <= details.viewport().width()
    assert details.horizontalScrollBar().value() == 0
    assert dialog.ratings is not None
    for code, label in dialog.ratings.labels.items():
        left = label.mapTo(details.viewport(), label.rect().topLeft()).x()
        right = label.mapTo(details.viewport(), label.rect().topRight()).x()
        assert left >= 0 and right <= details.viewport().width(), code
    dialog.reject()


def test_the_accessibility_walk_over_the_dialog_with_a_split_shown(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    from tests.test_accessibility import Walk

    window = open_window(TODAY, sample=False)
    dialog = open_dialog(qtbot, window)
    paste(qtbot, dialog, READING_PASTE)
    dialog.preview.table.setCurrentCell(3, TEXT)  # every correction button enabled
    walk = Walk()
    walk.check_names(dialog, "new inspection")
    walk.check_tab_leaves(qtbot, dialog, "new inspection")
    walk.check_buttons_reached(qtbot, dialog, "new inspection")
    assert walk.traps == []
    assert walk.problems == []
    dialog.reject()


def test_changing_the_framework_asks_before_clearing_the_ratings(
    open_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path, monkeypatch: Any
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from esi_desktop.frameworks import FrameworkKind, frameworks_of_kind, load_framework
    from esi_desktop.resources import FRAMEWORKS_DIR
    from ui.new_inspection import dialog as dialog_module

    # a second rated framework beside the youth justice one
    text = (FRAMEWORKS_DIR / "hmip-youth-2021.toml").read_text(encoding="utf-8")
    path = tmp_path / "hmip-youth-2099.toml"
    path.write_text(
        text.replace('id = "hmip-youth-2021"', 'id = "hmip-youth-2099"').replace(
            'short_title = "Youth justice standards 2021"',
            'short_title = "Youth justice standards 2099"',
        ),
        encoding="utf-8",
    )
    second = load_framework(path)
    rated = {**frameworks_of_kind(FrameworkKind.RATED), second.id: second}
    monkeypatch.setattr(dialog_module, "frameworks_of_kind", lambda _kind: rated)
    window = open_window(TODAY, sample=False)
    dialog = open_dialog(qtbot, window)
    rate_with_keys(qtbot, dialog)
    asked: list[str] = []

    def answer(reply: QMessageBox.StandardButton) -> None:
        def ask(_parent: object, _title: str, text: str, *args: object) -> object:
            asked.append(text)
            return reply

        monkeypatch.setattr(QMessageBox, "question", ask)

    answer(QMessageBox.StandardButton.No)
    dialog.framework.setFocus()
    qtbot.keyClick(dialog.framework, Qt.Key.Key_Down)
    assert asked == [
        "Change the framework to Youth justice standards 2099? The 13 ratings chosen for the "
        "Youth justice standards 2021 standards will be cleared."
    ]
    assert dialog.framework.currentText() == "Youth justice standards 2021"
    assert dialog.ratings is not None and len(dialog.ratings.ratings()) == 13
    answer(QMessageBox.StandardButton.Yes)
    qtbot.keyClick(dialog.framework, Qt.Key.Key_Down)
    assert dialog.framework.currentText() == "Youth justice standards 2099"
    assert dialog.ratings.framework.id == "hmip-youth-2099"
    assert dialog.ratings.ratings() == {}
    dialog.reject()
