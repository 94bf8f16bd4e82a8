"""File ▸ Import ▸ Action plan from Excel… (issue 14 §3) in the window: the column-mapping step,
the preview, the warnings, the import in the background and a second import that changes
nothing; driven with keys and clicks."""

from __future__ import annotations

import contextlib
import os
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook  # type: ignore[import-untyped]
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from esi_desktop.errors import EsiError
from esi_desktop.plan import load_plan
from esi_desktop.tracker import importer
from tests.conftest import Messages
from ui.importing.tracker_dialog import NOT_IN_SHEET, TrackerImportDialog, import_tracker_dialog

TODAY = date(2005, 6, 1)
HEADINGS = ("Rec No.", "Action", "Lead officer", "By when", "Progress", "Comments")
ROWS: list[list[Any]] = [
    ["Rec 3", "Audit case records each month", "ACO Operations", date(2005, 3, 31), "Done",
     "First audit reported to SMT"],
    ["R3", "Train all staff in risk of harm", "Head of Training", "31/03/2005", "Ongoing", ""],
    [5, "Review accommodation referrals", "ACO Partnerships", "31 March 2005", "", None],
    [7, "Appoint a quality lead", "Chief Officer", "sometime next year", "", None],
    [7, "Publish the quality standards", "Chief Officer", date(2005, 9, 30), "Not yet started",
     None],
]  # fmt: skip
TEXTS = {row[1] for row in ROWS if row[3] != "sometime next year"}


def tracker(path: Path, rows: list[list[Any]] = ROWS, headings: tuple[str, ...] = HEADINGS) -> Path:
    """A tracker as Boards keep them: a title, a blank row, the headings, then the rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    sheet["A1"] = "Gloucestershire Probation Board — HMIP ESI action plan"
    sheet.append([])
    sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def open_dialog(qtbot: Any, window: Any) -> TrackerImportDialog:
    """File ▸ Import ▸ Action plan from Excel… (the menu's action once it is wired)."""
    action = getattr(window, "import_tracker_action", None)
    if action is not None:
        action.trigger()
    else:
        import_tracker_dialog(window)
    shown = [d for d in window.findChildren(TrackerImportDialog) if d.isVisible()]
    assert len(shown) == 1
    dialog = shown[0]
    assert isinstance(dialog, TrackerImportDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def text(dialog: TrackerImportDialog, row: int, column: int) -> str:
    item = dialog.table.item(row, column)
    assert item is not None
    return item.text()


def column(dialog: TrackerImportDialog, heading: str) -> list[str]:
    headings = [
        dialog.table.model().headerData(c, Qt.Orientation.Horizontal)
        for c in range(dialog.table.columnCount())
    ]
    index = headings.index(heading)
    return [text(dialog, r, index) for r in range(dialog.table.rowCount())]


def warnings(dialog: TrackerImportDialog) -> list[str]:
    return [dialog.warnings.item(i).text() for i in range(dialog.warnings.count())]


def status(window: Any) -> str:
    return str(window.statusBar().currentMessage())


def test_map_preview_import_and_import_again(
    qtbot: Any,
    open_window: Any,
    messages: Messages,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(TODAY)
    inspection_id = window.workspace.inspection_id
    assert inspection_id is not None
    choose(monkeypatch, tracker(tmp_path / "plan.xlsx"))
    dialog = open_dialog(qtbot, window)

    # the mapping step shows the columns its headings name, the others as not in the sheet
    combos = dialog.column_combos
    assert combos["recommendation"].currentText() == "A — Rec No."
    assert combos["action"].currentText() == "B — Action"
    assert combos["owner"].currentText() == "C — Lead officer"
    assert combos["target_date"].currentText() == "D — By when"
    assert combos["status"].currentText() == "E — Progress"
    assert combos["evidence"].currentText() == "F — Comments"
    assert combos["milestone"].currentText() == NOT_IN_SHEET
    offered = [combos["rag"].itemText(i) for i in range(combos["rag"].count())]
    assert offered == [NOT_IN_SHEET, *(f"{'ABCDEF'[i]} — {h}" for i, h in enumerate(HEADINGS))]

    # the preview: every row new, the bad date named by sheet, row and cell
    items = column(dialog, "Action or milestone")
    assert {text.strip() for text in items} >= TEXTS
    assert {outcome for outcome in column(dialog, "Outcome")} == {"New"}
    assert any("row 7" in w and "D7" in w and "sometime next year" in w for w in warnings(dialog))
    assert "will be added" in dialog.summary.text()
    assert "1 row cannot be placed (see the warnings)" in dialog.summary.text()
    assert dialog.import_button.isEnabled()

    # Owner set to "(not in this sheet)" with the keyboard: its mnemonic, then Home
    qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is combos["owner"]
    qtbot.keyClick(combos["owner"], Qt.Key.Key_Home)
    assert combos["owner"].currentText() == NOT_IN_SHEET
    assert set(column(dialog, "Owner")) == {""}
    assert any("has no Owner column" in w for w in warnings(dialog))
    # and back to column C with the arrow key
    qtbot.keyClick(combos["owner"], Qt.Key.Key_Down)
    qtbot.keyClick(combos["owner"], Qt.Key.Key_Down)
    qtbot.keyClick(combos["owner"], Qt.Key.Key_Down)
    assert combos["owner"].currentText() == "C — Lead officer"
    assert "ACO Operations" in column(dialog, "Owner")
    assert not any("has no Owner column" in w for w in warnings(dialog))

    # Tab leaves the preview table instead of walking its cells
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not dialog.table

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status(window).startswith("Imported from plan.xlsx"), timeout=20000)
    assert status(window) == (
        "Imported from plan.xlsx: 4 actions and 3 milestones added, 0 changed; 1 warning."
    )
    assert messages == []
    plan = load_plan(inspection_id=inspection_id, today=TODAY)
    stored = {action.text: action.owner for action in plan.actions.values()}
    assert set(stored) >= TEXTS
    assert stored["Audit case records each month"] == "ACO Operations"

    # the same workbook again: nothing would change, so Import is disabled
    dialog = open_dialog(qtbot, window)
    assert {outcome for outcome in column(dialog, "Outcome")} == {"Unchanged"}
    assert not dialog.import_button.isEnabled()
    assert dialog.summary.text().startswith("Nothing will be added, 0 changed, 7 unchanged")
    dialog.reject()


def test_a_changed_row_is_shown_with_what_changes(
    qtbot: Any, open_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(TODAY)
    path = tracker(tmp_path / "plan.xlsx")
    choose(monkeypatch, path)
    dialog = open_dialog(qtbot, window)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status(window).startswith("Imported from"), timeout=20000)
    changed = [list(row) for row in ROWS]
    changed[0][2] = "Director of Operations"
    changed[0][3] = date(2005, 4, 30)
    tracker(path, changed)
    dialog = open_dialog(qtbot, window)
    outcomes = column(dialog, "Outcome")
    assert outcomes[0] == "Changed: owner, target date"
    outcome = dialog.table.item(0, 1)
    assert outcome is not None
    assert "Director of Operations" in outcome.toolTip()
    assert dialog.import_button.isEnabled()
    qtbot.keyClick(dialog.import_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: "1 changed" in status(window) or "2 changed" in status(window))
    assert status(window).startswith("Imported from plan.xlsx: 0 actions and 0 milestones added")


def test_a_mapping_without_a_required_column_is_said_in_the_dialog(
    qtbot: Any,
    open_window: Any,
    messages: Messages,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(TODAY)
    choose(monkeypatch, tracker(tmp_path / "plan.xlsx"))
    dialog = open_dialog(qtbot, window)
    qtbot.keyClick(dialog, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.column_combos["action"]
    qtbot.keyClick(dialog.column_combos["action"], Qt.Key.Key_Home)
    assert dialog.problem.isVisible()
    assert "Action column" in dialog.problem.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.table.rowCount() == 0
    qtbot.keyClick(dialog.column_combos["action"], Qt.Key.Key_Down)
    qtbot.keyClick(dialog.column_combos["action"], Qt.Key.Key_Down)
    assert dialog.column_combos["action"].currentText() == "B — Action"
    assert not dialog.problem.isVisible()
    assert dialog.import_button.isEnabled()
    assert messages == []
    dialog.reject()


def test_a_workbook_refused_is_one_message(
    qtbot: Any,
    open_window: Any,
    messages: Messages,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(TODAY)
    choose(monkeypatch, tracker(tmp_path / "plan.xlsx", headings=("Rec No.", "Notes", "Owner")))
    import_tracker_dialog(window)
    assert window.findChild(TrackerImportDialog) is None
    assert len(messages) == 1
    title, text = messages[0]
    assert title == "Cannot import the action plan"
    assert "plan.xlsx" in text and "Action" in text


def test_a_failed_import_is_one_message_and_stores_nothing(
    qtbot: Any,
    open_window: Any,
    messages: Messages,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(TODAY)
    inspection_id = window.workspace.inspection_id
    before = len(load_plan(inspection_id=inspection_id, today=TODAY).actions)
    choose(monkeypatch, tracker(tmp_path / "plan.xlsx"))
    dialog = open_dialog(qtbot, window)
    added: list[dict[str, Any]] = []
    threads: set[threading.Thread] = set()

    def add_milestone(**kwargs: Any) -> int:
        # the last row's milestone is refused, after the other rows were stored
        if len(added) == 2:
            raise EsiError("The plan refuses this milestone.")
        added.append(kwargs)
        threads.add(threading.current_thread())
        return int(real(**kwargs))

    real = importer.add_milestone  # type: ignore[attr-defined]
    monkeypatch.setattr(importer, "add_milestone", add_milestone)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(messages), timeout=20000)
    assert len(messages) == 1
    title, text = messages[0]
    assert title == "Cannot import the action plan"
    assert "The plan refuses this milestone." in text and "Nothing was imported" in text
    assert status(window) == "Import stopped; nothing was changed."
    # the engine's one transaction, on the worker's connection, was rolled back whole
    assert len(added) == 2
    # stored off the GUI thread, so the window stays painted through a long import
    assert threading.main_thread() not in threads
    assert len(load_plan(inspection_id=inspection_id, today=TODAY).actions) == before


def test_every_field_has_a_label_with_a_mnemonic(
    qtbot: Any, open_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(TODAY)
    choose(monkeypatch, tracker(tmp_path / "plan.xlsx"))
    dialog = open_dialog(qtbot, window)
    labels = {label.buddy(): label.text() for label in dialog.findChildren(QLabel) if label.buddy()}
    letters = []
    for widget in [*dialog.column_combos.values(), dialog.table, dialog.warnings]:
        assert widget in labels
        assert "&" in labels[widget]
        assert widget.accessibleName()
        letters.append(labels[widget].split("&")[1][0].lower())
    letters.append("i")  # &Import
    assert len(letters) == len(set(letters))
    assert not dialog.warnings.tabKeyNavigation()
    dialog.reject()


def test_no_inspection_on_show_is_said(
    qtbot: Any,
    open_window: Any,
    messages: Messages,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(TODAY, sample=False)
    choose(monkeypatch, tracker(tmp_path / "plan.xlsx"))
    import_tracker_dialog(window)
    assert len(messages) == 1
    assert "Open an inspection first" in messages[0][1]


def _wal_files() -> int:
    """How many SQLite write-ahead logs this process has open: one per connection."""
    folder = Path("/proc/self/fd")
    found = 0
    for entry in folder.iterdir():
        with contextlib.suppress(OSError):
            found += os.readlink(entry).endswith(".sqlite3-wal")
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to count files")
def test_the_import_leaves_no_connection_open(
    qtbot: Any, open_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(TODAY)
    choose(monkeypatch, tracker(tmp_path / "plan.xlsx"))
    dialog = open_dialog(qtbot, window)
    before = _wal_files()
    assert before >= 1
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: status(window).startswith("Imported from"), timeout=20000)
    # the worker thread's own connection went with it; the window's is still the one open
    qtbot.waitUntil(lambda: _wal_files() == before, timeout=5000)
    assert load_plan(inspection_id=window.workspace.inspection_id, today=TODAY).actions


def test_each_sheet_has_its_own_columns(
    qtbot: Any, open_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(TODAY)
    book = Workbook()
    first = book.active
    first.title = "Plan A"
    first.append(list(HEADINGS))
    first.append(ROWS[0])
    second = book.create_sheet("Plan B")
    second.append(["Title of the tracker"])
    second.append(["Rec", "Actions", "Responsible", "Timescale", "Notes for SMT"])
    second.append([5, "Review accommodation referrals", "ACO Partnerships", "31/05/2005", "x"])
    book.save(tmp_path / "two.xlsx")
    choose(monkeypatch, tmp_path / "two.xlsx")
    dialog = open_dialog(qtbot, window)
    assert dialog.sheet_combo is not None
    assert dialog.column_combos["owner"].currentText() == "C — Lead officer"
    assert column(dialog, "Row") == ["Plan A: 2", "Plan A: 2", "Plan B: 3"]
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(dialog.sheet_combo, Qt.Key.Key_Down)
    assert dialog.current_sheet() == "Plan B"
    assert "row 2" in dialog.header_note.text()
    assert dialog.column_combos["owner"].currentText() == "C — Responsible"
    rag = dialog.column_combos["rag"]
    assert rag.itemText(rag.count() - 1) == "E — Notes for SMT"
    qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(dialog.column_combos["owner"], Qt.Key.Key_Home)
    # only Plan B's owners are no longer read
    assert column(dialog, "Owner") == ["ACO Operations", "", ""]
    assert dialog.current_sheet() == "Plan B"
    assert dialog.column_combos["owner"].currentText() == NOT_IN_SHEET
    dialog.reject()


def test_the_summary_says_a_comments_column_is_printed_as_evidence_until_it_is_unmapped(
    qtbot: Any, open_window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(TODAY)
    choose(monkeypatch, tracker(tmp_path / "plan.xlsx"))
    dialog = open_dialog(qtbot, window)
    printed = "Comments (sheet 'Action plan', column F) will be printed as evidence in Board papers"
    assert printed in dialog.summary.text()
    combo = dialog.column_combos["evidence"]
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)  # (not in this sheet)
    assert combo.currentText() == NOT_IN_SHEET
    qtbot.waitUntil(lambda: printed not in dialog.summary.text())
    assert "will be added" in dialog.summary.text()
    dialog.reject()
