"""The window, driven as a person would: clicks and keys, checking what is on screen."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QTableView, QWidget
from pytestqt.qtbot import QtBot

from db.models import Action, Recommendation
from esi_desktop import database
from esi_desktop.comparison import RowKind
from esi_desktop.errors import EsiError
from esi_desktop.resources import SAMPLE_REPORT
from ui import app as ui_app
from ui.follow_up.results import ResultColumn
from ui.importing.preview_dialog import ImportPreviewDialog
from ui.main_window import PAGE_EMPTY, PAGE_NO_DATABASE, PAGE_WORKSPACE, MainWindow

Messages = list[tuple[str, str]]
TODAY = date(2005, 3, 20)


@pytest.fixture
def window(qtbot: QtBot, db_url: str, messages: Messages) -> Iterator[MainWindow]:
    ui_app.make_application()
    main = MainWindow(today=lambda: TODAY)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.open_initial_database(db_url)
    yield main
    main.close()
    database.disconnect()


def result_cell(window: MainWindow, framework: str, kind: RowKind, code: str, column: int) -> str:
    """A cell of the follow-up view's results grid, as the person reads it."""
    model = window.follow_up.results_model
    row = model.find_row(framework, kind, code)
    assert row >= 0, (framework, kind, code)
    return str(model.data(model.index(row, column)) or "")


def render(widget: QWidget, path: Path) -> QImage:
    """Render a widget to a PNG and return the image."""
    image = widget.grab().toImage()
    assert image.save(str(path))
    return image


def distinct_colours(image: QImage) -> int:
    colours = set()
    step = max(1, image.width() // 120)
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            colours.add(image.pixel(x, y))
    return len(colours)


def test_empty_database_offers_the_sample_and_loads_it_on_a_click(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    assert window.pages.currentIndex() == PAGE_EMPTY
    assert window.load_sample_button.isVisible()
    render(window, tmp_path / "welcome.png")

    qtbot.mouseClick(window.load_sample_button, Qt.MouseButton.LeftButton)

    assert window.pages.currentIndex() == PAGE_WORKSPACE
    assert window.inspection_switcher.currentText() == "Gloucestershire — January 2005"
    assert "Gloucestershire" in window.heading.text()
    assert window.current_view_name() == "dashboard"
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view_name() == "follow-up"
    core, thematic = "esi-core", "esi-accommodation"
    baseline = ResultColumn.BASELINE
    assert [result_cell(window, core, RowKind.SCORE, code, baseline) for code in "BCD"] == [
        "61%",
        "72%",
        "70%",
    ]
    assert result_cell(window, core, RowKind.OVERALL, "", baseline) == "68%"
    assert [result_cell(window, thematic, RowKind.SCORE, code, baseline) for code in "BCD"] == [
        "44%",
        "62%",
        "76%",
    ]
    assert result_cell(window, core, RowKind.CRITERION, "B1", baseline) == "46%"
    assert result_cell(window, core, RowKind.CRITERION, "A4", baseline) == "Satisfactorily met"
    image = render(window, tmp_path / "follow-up.png")
    assert distinct_colours(image) > 20


def test_each_page_renders_something(window: MainWindow, tmp_path: Path) -> None:
    for page in (PAGE_NO_DATABASE, PAGE_EMPTY):
        window.pages.setCurrentIndex(page)
        image = render(window, tmp_path / f"page-{page}.png")
        assert distinct_colours(image) > 5, f"page {page} looks blank"


def test_a_damaged_database_is_a_sentence_not_a_traceback(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database" * 500)
    shown: list[str] = []

    def cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        shown.append(f"{dialog.windowTitle()}: {dialog.text()} {dialog.informativeText()}")
        dialog.reject()

    run_when_modal(qtbot, cancel, QMessageBox)
    assert not window.open_database(f"sqlite:///{bad}", create=False)
    assert window.pages.currentIndex() == PAGE_NO_DATABASE
    assert shown[0].startswith("The database is damaged: ")
    assert "There is no backup of it to restore" in shown[0]
    assert "Traceback" not in shown[0]
    assert "damaged" in window.no_database_label.text()


def test_a_damaged_database_is_restored_from_its_newest_backup(
    window: MainWindow, qtbot: QtBot, db_url: str
) -> None:
    from esi_desktop import backups

    qtbot.mouseClick(window.load_sample_button, Qt.MouseButton.LeftButton)
    backups.back_up(url=db_url)
    path = Path(db_url.removeprefix("sqlite:///"))
    window.open_database(f"sqlite:///{path.parent / 'other.sqlite3'}")  # close the damaged one
    with path.open("r+b") as damaged:  # a disk fault in the middle of the file
        damaged.seek(4096)
        damaged.write(b"\xff" * 8192)

    offered: list[str] = []

    def restore(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        offered.append(dialog.informativeText())
        button = next(b for b in dialog.buttons() if b.text() == "Restore the newest backup")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    run_when_modal(qtbot, restore, QMessageBox)
    assert window.open_database(db_url, create=False)
    assert offered and offered[0].startswith("You can restore its newest backup")
    assert window.pages.currentIndex() == PAGE_WORKSPACE
    assert window.inspection_switcher.currentText() == "Gloucestershire — January 2005"


def run_when_modal(
    qtbot: QtBot, action: Callable[[QWidget], None], kind: type[QWidget] = QWidget
) -> None:
    """Act on the next modal dialog of a kind as soon as it appears."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, poll)
        else:
            action(dialog)

    QTimer.singleShot(20, poll)


def test_import_through_the_menu_previews_then_stores(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(
        "ui.main_window.QFileDialog.getOpenFileName",
        lambda *args, **kwargs: (str(SAMPLE_REPORT), ""),
    )
    seen: dict[str, object] = {}

    def confirm(dialog: QWidget) -> None:
        assert isinstance(dialog, ImportPreviewDialog)
        seen["recommendations"] = dialog.recommendations.count()
        seen["first"] = dialog.recommendations.item(0).text()
        seen["scores"] = dialog.scores.rowCount()
        render(dialog, tmp_path / "import-preview.png")
        button = dialog.import_button
        assert isinstance(button, QPushButton)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    run_when_modal(qtbot, confirm, ImportPreviewDialog)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.pages.currentIndex() == PAGE_WORKSPACE, timeout=10000)
    assert seen["recommendations"] == 15
    assert str(seen["first"]).startswith("1. a costed staff training and development plan")
    assert seen["scores"] == 7  # core B, C, D and overall; thematic B, C, D
    assert window.inspection_switcher.currentText() == "Gloucestershire — January 2005"
    assert "Imported the Gloucestershire report" in window.statusBar().currentMessage()


def test_a_file_that_is_not_a_report_is_refused_in_a_sentence(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, messages: Messages
) -> None:
    notes = tmp_path / "minutes.txt"
    notes.write_text("Minutes of the Board meeting\n\nApologies were received.\n")
    window.import_report_file(notes)
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    title, text = messages[-1]
    assert title == "Cannot import the report"
    assert "Traceback" not in text
    assert window.pages.currentIndex() == PAGE_EMPTY  # nothing was stored


def test_about_names_the_versions(window: MainWindow, qtbot: QtBot) -> None:
    texts: list[str] = []

    def read_and_close(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        texts.append(dialog.text())
        dialog.accept()

    run_when_modal(qtbot, read_and_close, QMessageBox)
    qtbot.keyClick(window, Qt.Key.Key_F1, Qt.KeyboardModifier.ControlModifier)  # F1: the guide
    assert "ESI Desktop 0.1.0" in texts[0]
    assert "PySide6" in texts[0]


def test_every_menu_action_has_a_shortcut(window: MainWindow) -> None:
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if action.isSeparator() or action.menu() is not None:
                continue
            assert not action.shortcut().isEmpty(), action.text()


def test_crash_hook_logs_and_shows_one_friendly_dialog(
    qtbot: QtBot, messages: Messages, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ui_app.make_application()
    log = tmp_path / "esi.log"
    monkeypatch.setattr(ui_app, "log_file", lambda: log)
    ui_app._setup_logging()
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError:
        ui_app.crash_hook(*sys.exc_info())  # type: ignore[arg-type]
    title, text = messages[-1]
    assert "something went wrong" in title
    assert "Traceback" not in text and str(log) in text
    for handler in ui_app.log.handlers:
        handler.flush()
    assert "RuntimeError: boom in a slot" in log.read_text()


# the owner completer pops up a list; the offscreen platform cannot raise or grab for it
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_a_secretary_answers_a_recommendation_and_plans_it(
    window: MainWindow, qtbot: QtBot, messages: Messages, tmp_path: Path
) -> None:
    """Issue 4's walk-through, through keys and clicks only."""
    from db.models import Action, BoardResponse, Milestone
    from tests.test_plan_view import (
        cell,
        children_of,
        editor,
        finish,
        rec_row,
        row_named,
        type_into,
    )
    from tests.test_recommendations_view import choose_category, click_row
    from ui.plan.columns import PlanColumn

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.mouseClick(window.load_sample_button, Qt.MouseButton.LeftButton)
    render(window, tmp_path / "1-dashboard.png")

    # Recommendations & responses: a Partly agreed response, a draft until it is explained
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    view = window.recommendations
    click_row(qtbot, view, "7")
    choose_category(qtbot, view, "Partly agreed")
    assert view.editor.message.isVisible()
    assert "must say which part of the recommendation is agreed" in view.editor.message.text()
    assert "Kept as a draft" in view.editor.message.text()
    qtbot.mouseClick(view.editor.part_agreed.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(view.editor.part_agreed, "Plans and reviews for community orders")
    qtbot.keyClick(view.editor.part_agreed, Qt.Key.Key_Tab)
    qtbot.keyClicks(view.editor.reason, "Licence supervision plans are set with the prisons")
    qtbot.keyClick(view.editor.reason, Qt.Key.Key_Tab)
    qtbot.keyClicks(view.editor.narrative, "SPOs audit ten plans a month from April 2005")
    qtbot.keyClick(view.editor.narrative, Qt.Key.Key_Tab)
    assert not view.editor.message.isVisible()
    assert BoardResponse.get().category == "Partly agreed"
    render(window, tmp_path / "2-recommendations.png")

    # Action plan: an action with two milestones, one completed
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    plan = window.plan_view
    seven = rec_row(plan, "7")
    rect = plan.tree.visualRect(seven)
    qtbot.mouseClick(plan.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(plan.tree, Qt.Key.Key_A, shift_ctrl)
    type_into(qtbot, plan, "SPOs audit ten supervision plans a month")
    qtbot.keyClick(plan.tree, Qt.Key.Key_Insert)
    type_into(qtbot, plan, "Audit form agreed")
    qtbot.keyClick(plan.tree, Qt.Key.Key_Insert)
    type_into(qtbot, plan, "First audit reported to the Board")
    action = row_named(plan, "SPOs audit ten supervision plans a month")
    assert children_of(plan, action) == ["Audit form agreed", "First audit reported to the Board"]

    first = row_named(plan, "Audit form agreed")
    plan.tree.setCurrentIndex(first.siblingAtColumn(PlanColumn.STATUS))
    qtbot.keyClick(plan.tree, Qt.Key.Key_F2)
    status = editor(plan)
    qtbot.keyClicks(status, "C")
    finish(qtbot, plan, status)
    action = row_named(plan, "SPOs audit ten supervision plans a month")
    assert cell(action, PlanColumn.PROGRESS) == "50%"
    assert cell(action, PlanColumn.RAG) == "Green"
    assert (
        cell(rec_row(plan, "7"), PlanColumn.PROGRESS),
        cell(rec_row(plan, "7"), PlanColumn.RAG),
    ) == (
        "50%",
        "Green",
    )
    render(window, tmp_path / "3-action-plan.png")

    # Edit ▸ Undo twice: the completion, then the second milestone
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    action = row_named(plan, "SPOs audit ten supervision plans a month")
    assert children_of(plan, action) == ["Audit form agreed"]
    assert cell(action, PlanColumn.PROGRESS) == "0%"
    assert [m.status for m in Milestone.select()] == ["Not started"]
    assert [m.title for m in Milestone.select()] == ["Audit form agreed"]
    assert Action.get().text == "SPOs audit ten supervision plans a month"
    assert BoardResponse.get().category == "Partly agreed"
    assert messages == []

    for name in ("dashboard", "follow-up"):
        window.show_view(name)
        image = render(window, tmp_path / f"4-{name}.png")
        assert distinct_colours(image) > 20


def test_changes_by_someone_else_show_when_the_window_refreshes(
    window: MainWindow, qtbot: QtBot, db_url: str
) -> None:
    import sqlite3

    qtbot.mouseClick(window.load_sample_button, Qt.MouseButton.LeftButton)
    window.show_view("recommendations")
    view = window.recommendations
    assert not window.refresh_if_changed()  # nothing new yet

    other = sqlite3.connect(db_url.removeprefix("sqlite:///"))  # another secretary's program
    with other:
        other.execute(
            "INSERT INTO board_response (recommendation_id, category, narrative, created_at, "
            "updated_at) SELECT id, 'Agreed', 'Monthly audit', '2005-02-01', '2005-02-01' "
            "FROM recommendation WHERE reference = '8'"
        )
    other.close()

    assert window.refresh_if_changed()
    responses = [view.proxy.data(view.proxy.index(row, 3)) for row in range(view.proxy.rowCount())]
    assert responses[7] == "Agreed"
    assert not window.refresh_if_changed()


@pytest.mark.parametrize("choice", ["Reload and see their change", "Overwrite with mine"])
def test_a_stale_edit_shows_the_other_change_and_lets_the_user_choose(
    window: MainWindow, qtbot: QtBot, db_url: str, messages: Messages, choice: str
) -> None:
    import sqlite3

    qtbot.mouseClick(window.load_sample_button, Qt.MouseButton.LeftButton)
    window.edits.add_action(
        [Recommendation.get(Recommendation.reference == "8").id],
        "Contact audit",
        "SPO Gloucester",
        date(2005, 9, 30),
    )
    plan = window.workspace.plan()
    assert plan is not None
    (action,) = plan.actions.values()

    other = sqlite3.connect(db_url.removeprefix("sqlite:///"))  # the deputy, meanwhile
    with other:
        other.execute(
            "UPDATE action SET owner = 'ACO Operations', version = version + 1 WHERE id = ?",
            (action.id,),
        )
    other.close()

    seen: list[str] = []

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        seen.append(dialog.text() + " | " + dialog.informativeText())
        button = next(b for b in dialog.buttons() if b.text() == choice)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    run_when_modal(qtbot, choose, QMessageBox)
    try:
        window.edits.update_action(action.id, {"owner": "Deputy CO"}, action.version, "Owner")
        outcome = "saved"
    except EsiError as exc:
        outcome = str(exc)
    assert "since you opened it" in seen[0]
    assert "owner: ACO Operations" in seen[0]
    if choice.startswith("Overwrite"):
        assert outcome == "saved"
        assert Action.get_by_id(action.id).owner == "Deputy CO"
    else:
        assert "now shows the other change" in outcome
        assert Action.get_by_id(action.id).owner == "ACO Operations"
        refreshed = window.workspace.plan()
        assert refreshed is not None and refreshed.actions[action.id].owner == "ACO Operations"


def test_history_of_the_selected_action_shows_who_changed_what(
    window: MainWindow, qtbot: QtBot
) -> None:
    from esi_desktop import audit
    from tests.test_plan_view import click, row_named
    from ui.history_dialog import HistoryDialog

    qtbot.mouseClick(window.load_sample_button, Qt.MouseButton.LeftButton)
    with audit.acting_as("Board secretary"):
        action_id = window.edits.add_action(
            [Recommendation.get(Recommendation.reference == "9").id],
            "Weekly programme waiting list review",
            "Programmes manager",
            date(2005, 9, 30),
        )
        window.edits.update_action(action_id, {"owner": "ACO Interventions"}, None, "Owner")
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    click(
        qtbot, window.plan_view, row_named(window.plan_view, "Weekly programme waiting list review")
    )
    texts: list[str] = []

    def read(dialog: QWidget) -> None:
        assert isinstance(dialog, HistoryDialog)
        model = dialog.findChild(QTableView).model()  # type: ignore[union-attr]
        for row in range(model.rowCount()):
            texts.append(
                " | ".join(str(model.index(row, c).data()) for c in range(model.columnCount()))
            )
        dialog.close()

    run_when_modal(qtbot, read, HistoryDialog)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(texts))
    assert any("Board secretary" in t and "ACO Interventions" in t for t in texts)
    assert any("Programmes manager" in t for t in texts)


def test_on_a_shared_server_another_secretarys_change_shows_at_once(
    qtbot: QtBot, any_db_url: str, messages: Messages
) -> None:
    """PostgreSQL tells the window (LISTEN/NOTIFY); SQLite is compared when it regains focus."""
    import subprocess
    import sys as system

    ui_app.make_application()
    window = MainWindow(today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    window.open_database(any_db_url)
    qtbot.mouseClick(window.load_sample_button, Qt.MouseButton.LeftButton)
    window.show_view("recommendations")
    script = (
        "from esi_desktop import database, plan\n"
        "from db.models import Recommendation\n"
        f"database.connect({any_db_url!r}, create=False)\n"
        "r = Recommendation.get(Recommendation.reference == '8')\n"
        "plan.save_response(recommendation_id=r.id, category='Agreed', narrative='Weekly audit',"
        " part_agreed='', reason='')\n"
    )
    subprocess.run([system.executable, "-c", script], check=True, cwd=Path(__file__).parent.parent)
    view = window.recommendations

    def shows_agreed() -> bool:
        return view.proxy.data(view.proxy.index(7, 3)) == "Agreed"

    if any_db_url.startswith("postgresql"):
        qtbot.waitUntil(shows_agreed, timeout=5000)  # no focus change needed
        assert "someone else" in window.statusBar().currentMessage()
    else:
        assert not shows_agreed()
        assert window.refresh_if_changed()
        assert shows_agreed()
    window.close()
    database.disconnect()


def test_walk_through_the_inspection_record_and_a_second_follow_up_round(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """Issue 12 §3 by keys and clicks: the inspection editor, then a re-inspection round."""
    from PySide6.QtWidgets import QLineEdit

    from esi_desktop import follow_up
    from ui.inspection import InspectionEditor

    qtbot.mouseClick(window.load_sample_button, Qt.MouseButton.LeftButton)
    window.resize(1366, 768)
    inspection_id = window.workspace.inspection_id
    assert inspection_id is not None

    # Inspection ▸ Edit inspection… (Ctrl+Shift+I)
    qtbot.keyClick(
        window,
        Qt.Key.Key_I,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.findChild(InspectionEditor)
    assert isinstance(dialog, InspectionEditor) and dialog.isVisible()
    qtbot.waitExposed(dialog)
    assert not dialog.day_known.isChecked()
    assert dialog.assumed.text() == (
        "Day not known: assumed 1st — the deadlines count from 1 January 2005."
    )
    assert dialog.statutory.text() == "1 April 2005 (3 months after publication)"
    # the day is known after all: the 14th
    qtbot.mouseClick(dialog.day_known, Qt.MouseButton.LeftButton)
    dialog.published.setFocus()
    dialog.published.select_all()
    qtbot.keyClicks(dialog.published, "14/01/2005")
    assert dialog.assumed.text() == "Published on 14 January 2005."
    qtbot.keyClick(dialog.published, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.fieldwork_start, "20/09/2004")
    dialog.fieldwork_end.setFocus()
    qtbot.keyClicks(dialog.fieldwork_end, "01/10/2004")
    # an agreed deadline without its reason is refused in the dialog, which stays open
    qtbot.mouseClick(dialog.agreed, Qt.MouseButton.LeftButton)
    dialog.agreed_due.setFocus()
    dialog.agreed_due.select_all()
    qtbot.keyClicks(dialog.agreed_due, "02/05/2005")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "needs its reason" in dialog.error.text()
    qtbot.keyClicks(dialog.reason, "The Board meets on 28 April")
    assert render(dialog, tmp_path / "inspection-editor.png").width() <= 1366
    assert dialog.height() <= 768
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    # the Dashboard counts from the agreed deadline
    window.show_view("dashboard")
    board = window.dashboard
    assert board.response_due_label.text() == "2 May 2005 (agreed with the Inspectorate)"
    assert board.response_due_label.toolTip() == (
        "Agreed with the Inspectorate: The Board meets on 28 April"
    )  # the reason exactly as typed
    assert board.published_label.text() == "14 January 2005"
    render(window, tmp_path / "dashboard-agreed-deadline.png")
    # one undoable edit: Ctrl+Z puts the record back
    assert window.workspace.undo_stack.undoText() == "Edit the inspection record"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert board.response_due_label.text() == "1 April 2005"
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert board.response_due_label.text() == "2 May 2005 (agreed with the Inspectorate)"
    assert board.response_due_label.toolTip().startswith("Agreed with the Inspectorate: ")

    # the follow-up view (Ctrl+4): round 1 reported, then a re-inspection
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    view = window.follow_up
    follow_up.set_follow_up(
        inspection_id=inspection_id,
        planned_date=date(2005, 3, 1),
        status="Reported",
        today=TODAY,
    )
    follow_up.set_follow_up_result(
        inspection_id=inspection_id, framework_id="esi-core", code="B1", value=55
    )
    window.workspace.invalidate()
    assert view.round_choice.currentText() == "Round 1: Follow-up, 1 March 2005"
    assert view.new_round_kind.currentText() == "Re-inspection"
    qtbot.mouseClick(view.add_round_button, Qt.MouseButton.LeftButton)
    assert view.round_choice.currentText() == "Round 2: Re-inspection, not yet scheduled"
    assert view.results_view.isColumnHidden(ResultColumn.PREVIOUS) is False
    model = view.results_model
    header = model.headerData(ResultColumn.PREVIOUS, Qt.Orientation.Horizontal)
    assert header == "Round 1"

    # type round 2's B1 result in its cell
    table = view.results_view
    row = model.find_row("esi-core", RowKind.CRITERION, "B1")
    cell = model.index(row, ResultColumn.FOLLOW_UP)
    table.scrollTo(cell)
    qtbot.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(cell).center()
    )
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.indexWidget(cell)
    assert isinstance(editor, QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "62")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: result_cell(window, "esi-core", RowKind.CRITERION, "B1", 3) == "62%")
    assert result_cell(window, "esi-core", RowKind.CRITERION, "B1", ResultColumn.PREVIOUS) == "55%"
    assert (
        result_cell(window, "esi-core", RowKind.CRITERION, "B1", ResultColumn.CHANGE) == "+16 pts"
    )
    assert (
        result_cell(window, "esi-core", RowKind.CRITERION, "B1", ResultColumn.SINCE_PREVIOUS)
        == "+7 pts"
    )

    # round 2 marked Reported with a date still to come: refused with the sentence
    qtbot.mouseClick(view.date_agreed, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(view.planned_date, "04/09/2005")
    qtbot.keyClick(view.planned_date, Qt.Key.Key_Return)
    view.status.setFocus()
    qtbot.keyClicks(view.status, "R")  # → Reported
    assert view.status.currentText() == "Reported"
    assert "cannot have a date still to come" in view.follow_up_error.text()
    render(window, tmp_path / "follow-up-round-2.png")
    stored = follow_up.get_follow_up(inspection_id=inspection_id, round=2)
    assert (stored.planned_date, stored.status) == (date(2005, 9, 4), "Not yet scheduled")

    # choose round 1 again: its own result, no previous-round columns
    view.round_choice.setFocus()
    qtbot.keyClick(view.round_choice, Qt.Key.Key_Up)
    assert view.round == 1
    assert result_cell(window, "esi-core", RowKind.CRITERION, "B1", 3) == "55%"
    assert view.results_view.isColumnHidden(ResultColumn.PREVIOUS)


def test_archive_hides_an_inspection_and_delete_asks_and_backs_up_first(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, messages: Messages
) -> None:
    """Inspection ▸ Archive (Ctrl+Shift+R), Show archived (Ctrl+Alt+H), Delete (Ctrl+Shift+Del)."""
    from esi_desktop.report.importer import import_report, preview_report

    other = tmp_path / "northshire.txt"
    other.write_text(
        SAMPLE_REPORT.read_text(encoding="utf-8").replace("Gloucestershire", "Northshire")
    )
    qtbot.mouseClick(window.load_sample_button, Qt.MouseButton.LeftButton)
    import_report(preview=preview_report(path=other))
    window.refresh()
    switcher = window.inspection_switcher
    names = [switcher.itemText(i) for i in range(switcher.count())]
    assert sorted(names) == ["Gloucestershire — January 2005", "Northshire — January 2005"]
    switcher.setCurrentIndex(switcher.findText("Northshire — January 2005"))
    shown = switcher.currentText()
    assert "Northshire</span>" in window.heading.text()
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier

    qtbot.keyClick(window, Qt.Key.Key_R, ctrl_shift)  # archive
    assert [switcher.itemText(i) for i in range(switcher.count())] == [
        n for n in names if n != shown
    ]
    assert switcher.currentText() != shown  # the other inspection is on show
    qtbot.keyClick(
        window,
        Qt.Key.Key_H,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier,
    )
    assert f"{shown} (archived)" in [switcher.itemText(i) for i in range(switcher.count())]
    switcher.setCurrentIndex(switcher.findText(f"{shown} (archived)"))
    qtbot.keyClick(window, Qt.Key.Key_R, ctrl_shift)  # unarchive
    assert shown in [switcher.itemText(i) for i in range(switcher.count())]

    # delete: the question names the inspection; a backup is made first
    switcher.setCurrentIndex(switcher.findText(shown))
    messages.clear()
    qtbot.keyClick(window, Qt.Key.Key_Delete, ctrl_shift)
    assert messages[0][0] == "Delete the inspection"
    assert f"Delete “{shown}”" in messages[0][1]
    assert messages[1][0] == "Inspection deleted"
    assert "A backup was made first: " in messages[1][1]
    backup = Path(messages[1][1].split("A backup was made first: ")[1])
    assert backup.is_file() and "before-delete" in backup.name
    assert [switcher.itemText(i) for i in range(switcher.count())] == [
        n for n in names if n != shown
    ]


def test_ctrl_h_shows_the_history_of_the_item_selected(window: MainWindow, qtbot: QtBot) -> None:
    from ui.history_dialog import HistoryDialog

    qtbot.mouseClick(window.load_sample_button, Qt.MouseButton.LeftButton)
    window.show_view("dashboard")
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage().startswith("Select a recommendation, action")
    window.show_view("recommendations")
    first = Recommendation.select().order_by(Recommendation.position).first()
    window.recommendations.select_recommendation(first.id)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)

    def opened() -> list[HistoryDialog]:
        return [
            w for w in QApplication.topLevelWidgets()
            if isinstance(w, HistoryDialog) and w.isVisible()
        ]  # fmt: skip

    qtbot.waitUntil(lambda: bool(opened()))
    assert f"Recommendation {first.reference}" in opened()[-1].windowTitle()
    opened()[-1].close()


def test_walk_through_the_boards_decision_on_an_extension_request(
    qtbot: QtBot, db_url: str, messages: Messages, tmp_path: Path
) -> None:
    """Issue 12 §2 by keys and clicks: a date slips after the plan was sent; the secretary
    records the Board's refusal, sees it in the list and in the next paper, and undoes it."""
    from db.models import Recommendation
    from esi_desktop import plan
    from esi_desktop.export import render_progress
    from esi_desktop.plan import extensions, submission
    from ui.plan.extensions import ExtensionsDialog

    today = date(2005, 6, 1)
    ui_app.make_application()
    window = MainWindow(today=lambda: today)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.open_initial_database(db_url)
    qtbot.mouseClick(window.load_sample_button, Qt.MouseButton.LeftButton)
    window.resize(1366, 768)
    inspection_id = window.workspace.inspection_id
    assert inspection_id is not None
    six = Recommendation.get(Recommendation.reference == "6").id
    action = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[six],
        text="Audit risk of harm assessments",
        owner="ACO Operations",
        target_date=date(2005, 9, 30),
    )
    milestone = plan.add_milestone(
        action_id=action, title="First audit to the Board", due_date=date(2005, 7, 21), today=today
    )
    submission.mark_plan_sent(
        inspection_id=inspection_id, sent_on=date(2005, 4, 12), today=today, force=True
    )
    plan.update_milestone(
        milestone_id=milestone, changes={"due_date": date(2005, 9, 15)}, today=today
    )
    plan.add_board_meeting(inspection_id=inspection_id, meeting_date=date(2005, 5, 26))
    window.workspace.invalidate()

    # File ▸ Extension requests and decisions… (Ctrl+Shift+X)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_X,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.findChild(ExtensionsDialog)
    assert isinstance(dialog, ExtensionsDialog) and dialog.isVisible()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.summary.text().startswith(
        "Against the plan sent on 12 April 2005: 1 extension request, 1 awaiting"
    )
    table = dialog.table
    assert [table.item(0, c).text() for c in (0, 2, 3, 4, 5)] == [
        "AP1.1",
        "21 July 2005",
        "15 September 2005",
        "56 days",
        "Awaiting the Board's decision",
    ]
    # the request waiting is chosen; the meeting offered is the one held, 26 May 2005
    assert dialog.form.isEnabled() and dialog.meeting.text() == "26/05/2005"
    # Refused, then a meeting still to come: said under the form, focus on the date
    qtbot.mouseClick(dialog.refused, Qt.MouseButton.LeftButton)
    assert dialog.refused.isChecked()
    dialog.meeting.line_edit.selectAll()
    qtbot.keyClicks(dialog.meeting.line_edit, "30/06/2005")
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    assert "has not happened yet" in dialog.message.text() and dialog.message.isVisible()
    assert dialog.meeting.line_edit.hasFocus()
    assert extensions.extension_decisions(inspection_id=inspection_id) == []
    # the meeting that decided, typed the British way, and its minute
    dialog.meeting.line_edit.selectAll()
    qtbot.keyClicks(dialog.meeting.line_edit, "26/05/2005")
    dialog.minute.setFocus()
    qtbot.keyClicks(dialog.minute, "12/05")
    render(dialog, tmp_path / "extension-decision.png")
    assert dialog.width() <= 1366 and dialog.height() <= 768
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    assert not dialog.message.isVisible()
    assert table.item(0, 5).text() == ("Refused at the Board meeting of 26 May 2005 (minute 12/05)")
    assert not dialog.form.isEnabled()  # decided: nothing more to record on it
    assert "1 extension request, 0 awaiting" in dialog.summary.text()
    assert "was refused" in window.statusBar().currentMessage()
    render(dialog, tmp_path / "extension-decided.png")
    # the next Board paper shows the decision
    words = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(
            io.BytesIO(
                render_progress(
                    inspection_id=inspection_id, meeting_date=date(2005, 7, 21), today=today
                )
            )
        ).pages
    )
    assert "Refused at the Board meeting of 26 May 2005" in words
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.findChild(ExtensionsDialog) is None)  # closed and deleted
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    # one undoable edit: Ctrl+Z takes the decision back, Ctrl+Y records it again
    assert window.workspace.undo_stack.undoText() == "Record the Board's decision on AP1.1"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert extensions.extension_decisions(inspection_id=inspection_id) == []
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    (decision,) = extensions.extension_decisions(inspection_id=inspection_id)
    assert (decision.reference, decision.decision, decision.minute_reference) == (
        "AP1.1",
        "Refused",
        "12/05",
    )
    # recorded by mistake: the dialog's Withdraw decision takes it off for good
    qtbot.keyClick(
        window,
        Qt.Key.Key_X,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.findChild(ExtensionsDialog)
    assert isinstance(dialog, ExtensionsDialog)
    assert dialog.withdraw_button.isEnabled() and not dialog.form.isEnabled()
    qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
    assert dialog.table.item(0, 5).text() == "Awaiting the Board's decision"
    assert dialog.form.isEnabled() and not dialog.withdraw_button.isEnabled()
    assert extensions.extension_decisions(inspection_id=inspection_id) == []
    assert "Withdrawn: the decision on AP1.1" in window.statusBar().currentMessage()
    dialog.close()
    window.close()
    database.disconnect()
