"""A rated inspection in the window, driven as a person would (issue 17 §4/§5).

A secretary opens the Reading Youth Justice Service inspection (tests/rated_fixtures.py): the
Dashboard shows the standards' ratings and the total "5 / 36 — Inadequate" instead of
percentages, and that no response deadline is set; the follow-up's ratings are chosen from
the scale with the keyboard, each with its change in grades and the round's new total; the
recommendations are filtered by whom they are addressed to; an addressee is corrected and
the correction undone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import peewee
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QTableView, QWidget
from pytestqt.qtbot import QtBot

from esi_desktop import database, follow_up
from esi_desktop.comparison import RowKind
from esi_desktop.inspections import stored_results
from esi_desktop.plan import load_plan
from tests.rated_fixtures import FRAMEWORK, READING_RATINGS

TODAY = date(2025, 1, 10)


@pytest.fixture
def window(rated_db: peewee.Database, open_window: Callable[..., Any]) -> Any:
    """The main window on the database holding only the Reading inspection."""
    database.disconnect()  # the window opens the database itself, as it does for a person
    return open_window(TODAY, sample=False)


def texts(model: Any, role: int = Qt.ItemDataRole.DisplayRole) -> list[list[str]]:
    """Every cell of a table model as the person reads it."""
    return [
        [str(model.data(model.index(row, column), role)) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def click_cell(qtbot: QtBot, table: QTableView, index: QModelIndex) -> None:
    """Put the cursor on a cell with a click (unless it is there already)."""
    table.scrollTo(index)
    if table.currentIndex() != index:
        qtbot.mouseClick(
            table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
        )
    assert table.currentIndex() == index


def test_the_dashboard_shows_the_ratings_and_the_total_not_percentages(
    window: Any, qtbot: QtBot
) -> None:
    window.show_view("dashboard")
    dashboard = window.dashboard
    assert dashboard.scores_box.title() == "Ratings: inspection and follow-up"
    assert len(dashboard.ratings_area.parts) == 1
    ratings = dashboard.ratings_area.parts[0]
    assert ratings.isVisible()
    rows = texts(ratings.model, Qt.ItemDataRole.AccessibleTextRole)
    first_domain = "1 Organisational delivery"
    assert [row[:4] for row in rows[:2]] == [
        [first_domain, "1.1 Governance and leadership", "Requires improvement", "Yes"],
        [first_domain, "1.2 Staff", "Inadequate", "Yes"],
    ]
    assert rows[-1][:4] == [
        "4 Resettlement", "4.1 Resettlement policy and provision", "Not rated", "No: rated apart",
    ]  # fmt: skip
    shown = texts(ratings.model)
    assert sum(row[2] == "Inadequate" for row in shown) == 7
    assert sum(row[2] == "Requires improvement" for row in shown) == 5
    # the domain names its group once, on its first standard
    assert [row[0] for row in shown[:5]] == [
        "1 Organisational delivery",
        "",
        "",
        "",
        "2 Court disposals",
    ]
    total = ratings.total_label.text()
    assert total == "Total 5 / 36 — Inadequate (4.1 rated apart: not rated)"
    assert ratings.total_label.isVisible()
    assert not ratings.follow_up_total_label.isVisible()
    # no percentages anywhere in the scores part, and no empty score table
    everything = " ".join(" ".join(row) for row in shown) + total
    assert "%" not in everything
    assert not dashboard.no_follow_up_label.isVisible()
    assert all(not view.isVisible() for view in dashboard.score_views)
    # the youth justice framework fixes no response deadline: the Board agrees one
    assert dashboard.response_due_label.text() == "not set"
    assert "the Board agrees a date" in dashboard.response_left_label.text()
    assert "Edit inspection" in dashboard.response_left_label.text()


def test_follow_up_ratings_are_chosen_with_the_keyboard_and_the_total_recomputed(
    window: Any, qtbot: QtBot
) -> None:
    window.show_view("follow-up")
    view = window.follow_up
    table = view.results_view
    model = view.results_model
    assert view.tabs.isTabVisible(0) is False  # no percentages to chart
    assert view.tabs.currentIndex() == 1  # the self-assessment is what is left beside the grid

    def cell(code: str, column: int) -> QModelIndex:
        row = model.find_row(FRAMEWORK, RowKind.CRITERION, code)
        assert row >= 0, code
        return model.index(row, column)

    from ui.follow_up.results import ResultColumn

    def choose(code: str, rating: str) -> QWidget:
        """F2 on the standard's follow-up cell, arrow keys down to the rating, Enter."""
        index = cell(code, ResultColumn.FOLLOW_UP)
        click_cell(qtbot, table, index)
        qtbot.keyClick(table, Qt.Key.Key_F2)
        combo = table.indexWidget(index)
        assert isinstance(combo, QComboBox)
        for _ in range(combo.findText(rating) - combo.currentIndex()):
            qtbot.keyClick(combo, Qt.Key.Key_Down)
        assert combo.currentText() == rating
        qtbot.keyClick(combo, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: index.data() == rating, timeout=3000)
        return combo

    combo = choose("1.1", "Good")  # Requires improvement → Good
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "No result",
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
    ]  # fmt: skip  (1.1 must be rated: no "Not rated")
    assert cell("1.1", ResultColumn.CHANGE).data() == "up one grade"
    choose("1.3", "Inadequate")  # Requires improvement → Inadequate
    assert cell("1.3", ResultColumn.CHANGE).data() == "down one grade"
    choose("1.2", "Inadequate")
    assert cell("1.2", ResultColumn.CHANGE).data() == "no change"
    assert "%" not in " ".join(" ".join(row) for row in texts(model))

    inspection_id = window.workspace.inspection_id
    assert stored_results(inspection_id=inspection_id, round=1)[FRAMEWORK] == {
        "1.1": "Good", "1.2": "Inadequate", "1.3": "Inadequate",
    }  # fmt: skip
    totals = view.rated_totals_label
    assert totals.isVisible()
    assert totals.text().splitlines() == [
        "At the inspection: Total 5 / 36 — Inadequate (4.1 rated apart: not rated)",
        "Round 1: 3 of 12 standards rated — the total and the overall rating are worked out "
        "when every standard has its rating.",
    ]

    # resettlement may be not rated: the only standard whose list offers it
    index = cell("4.1", ResultColumn.FOLLOW_UP)
    click_cell(qtbot, table, index)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    resettlement = table.indexWidget(index)
    assert isinstance(resettlement, QComboBox)
    assert resettlement.itemText(resettlement.count() - 1) == "Not rated"
    qtbot.keyClick(resettlement, Qt.Key.Key_Escape)

    # the other standards get Good; the total crosses into the Good band (20 / 36)
    for code in READING_RATINGS:
        if code not in ("1.1", "1.2", "1.3", "4.1"):
            choose(code, "Good")
    assert totals.text().splitlines()[1] == (
        "Round 1: Total 20 / 36 — Good (4.1 rated apart: not rated) (was Inadequate)"
    )
    assert cell("2.1", ResultColumn.CHANGE).data() == "up two grades"

    # the Dashboard shows the follow-up's ratings beside the inspection's, in grades too
    window.show_view("dashboard")
    ratings = window.dashboard.ratings_area.parts[0]
    assert ratings.follow_up_total_label.text() == (
        "Follow-up (round 1): Total 20 / 36 — Good (4.1 rated apart: not rated)"
    )
    first = texts(ratings.model)[0]
    assert first[4:] == ["Good", "up one grade"]

    # undo takes the last rating back, and the round's total with it
    window.show_view("follow-up")
    window.workspace.undo_stack.undo()
    assert cell("3.4", ResultColumn.FOLLOW_UP).data() == "—"
    assert totals.text().splitlines()[1].startswith("Round 1: 11 of 12 standards rated")
    assert view.round == follow_up.FIRST_FOLLOW_UP


def test_the_recommendations_are_filtered_by_whom_they_are_addressed_to(
    window: Any, qtbot: QtBot
) -> None:
    window.show_view("recommendations")
    view = window.recommendations
    from ui.recommendations.model import RecommendationColumn

    header = view.table.horizontalHeader()
    assert (
        view.model.headerData(RecommendationColumn.ADDRESSEE, Qt.Orientation.Horizontal)
        == "Addressed to"
    )
    # read right after the recommendation's text
    assert header.visualIndex(RecommendationColumn.ADDRESSEE) == (
        header.visualIndex(RecommendationColumn.TEXT) + 1
    )
    choices = view.addressee_filter
    assert view.filter_bar.isVisible()  # two addressees: a choice to offer
    assert [choices.itemText(i) for i in range(choices.count())] == [
        "All", "YJS Service Manager", "Management Board",
    ]  # fmt: skip
    assert view.proxy.rowCount() == 8

    # the person opens the list with the keyboard and picks the Management Board
    choices.setFocus()
    for _ in range(2):
        qtbot.keyClick(choices, Qt.Key.Key_Down)
    assert choices.currentText() == "Management Board"
    proxy = view.proxy
    assert proxy.rowCount() == 3
    shown = [
        (
            proxy.index(row, RecommendationColumn.REF).data(),
            proxy.index(row, RecommendationColumn.ADDRESSEE).data(),
        )
        for row in range(proxy.rowCount())
    ]
    assert shown == [
        ("6", "Management Board"),
        ("7", "Management Board"),
        ("8", "Management Board"),
    ]
    # the one shown in the editor is one of those listed
    assert view.editor.recommendation is not None
    assert view.editor.recommendation.reference == "6"
    assert view.editor.addressee.text() == "Management Board"

    qtbot.keyClick(choices, Qt.Key.Key_Up)
    assert choices.currentText() == "YJS Service Manager" and proxy.rowCount() == 5
    qtbot.keyClick(choices, Qt.Key.Key_Up)
    assert choices.currentText() == "All" and proxy.rowCount() == 8


def test_an_addressee_is_corrected_in_the_response_editor_and_undone(
    window: Any, qtbot: QtBot
) -> None:
    window.show_view("recommendations")
    view = window.recommendations
    editor = view.editor
    view.select_recommendation(window.workspace.plan().recommendations[0].id)
    assert editor.recommendation.reference == "1"
    assert editor.addressee.text() == "YJS Service Manager"
    assert editor.addressee.accessibleName() == "Addressed to"

    editor.addressee.setFocus()
    qtbot.keyClick(editor.addressee, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor.addressee, "Head of   Service")
    qtbot.keyClick(editor.addressee, Qt.Key.Key_Return)

    inspection_id = window.workspace.inspection_id

    def stored() -> list[str]:
        return [
            r.addressee for r in load_plan(inspection_id=inspection_id, today=TODAY).recommendations
        ]

    assert stored()[0] == "Head of Service"  # spacing tidied
    from ui.recommendations.model import RecommendationColumn

    first = view.model.index(
        view.model.row_of(editor.recommendation.id), RecommendationColumn.ADDRESSEE
    )
    assert first.data() == "Head of Service"
    filter_choices = [
        view.addressee_filter.itemText(i) for i in range(view.addressee_filter.count())
    ]
    assert "Head of Service" in filter_choices
    assert window.workspace.undo_stack.undoText() == "Change who it is addressed to"

    window.workspace.undo_stack.undo()
    assert stored()[0] == "YJS Service Manager"
    assert first.data() == "YJS Service Manager"
    assert editor.addressee.text() == "YJS Service Manager"

    # an empty addressee is refused with a sentence, and nothing is written
    editor.addressee.setFocus()
    qtbot.keyClick(editor.addressee, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor.addressee, Qt.Key.Key_Delete)
    qtbot.keyClick(editor.addressee, Qt.Key.Key_Return)
    assert editor.message.isVisible()
    assert "addressed to someone" in editor.message.text()
    assert stored()[0] == "YJS Service Manager"


def test_the_plan_filter_finds_recommendations_by_their_addressee(
    window: Any, qtbot: QtBot
) -> None:
    window.show_view("plan")
    plan_view = window.plan_view
    qtbot.keyClicks(plan_view.filter_edit, "management board")
    qtbot.waitUntil(lambda: plan_view.proxy.rowCount() == 3, timeout=3000)
    from ui.plan.columns import PlanColumn

    index = plan_view.proxy.index(0, PlanColumn.ITEM)
    assert "Addressed to Management Board" in str(index.data(Qt.ItemDataRole.ToolTipRole))


def test_the_board_sets_its_own_response_date_in_the_inspection_record(
    window: Any, qtbot: QtBot, tmp_path: Any
) -> None:
    from ui.inspection import InspectionEditor

    window.resize(1366, 768)
    # Inspection ▸ Edit inspection…
    from PySide6.QtGui import QAction

    (edit,) = [a for a in window.findChildren(QAction) if a.text() == "&Edit inspection…"]
    edit.trigger()
    dialog = window.findChild(InspectionEditor)
    assert isinstance(dialog, InspectionEditor) and dialog.isVisible()
    qtbot.waitExposed(dialog)
    assert dialog.statutory.text().startswith("No deadline is fixed by the framework")
    assert dialog.agreed_label.text().replace("&", "") == (
        "Date the Board agreed to send its response:"
    )
    assert not dialog.agreed.isChecked()
    qtbot.mouseClick(dialog.agreed, Qt.MouseButton.LeftButton)
    dialog.agreed_due.setFocus()
    dialog.agreed_due.select_all()
    qtbot.keyClicks(dialog.agreed_due, "20/12/2024")  # 17 days after publication, as Reading
    image = dialog.grab()
    image.save(str(tmp_path / "rated-inspection-editor.png"))
    assert image.width() <= 1366 and dialog.height() <= 768
    # no reason is needed: the date is the Board's own
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible(), dialog.error.text()

    window.show_view("dashboard")
    board = window.dashboard
    assert board.response_due_label.text() == "20 December 2024 (agreed by the Board)"
    assert "the Board agrees a date" not in board.response_left_label.text()


def test_the_new_models_pass_the_model_tester(window: Any, qtmodeltester: Any) -> None:
    window.show_view("dashboard")
    qtmodeltester.check(window.dashboard.ratings_area.parts[0].model)
    window.show_view("recommendations")
    view = window.recommendations
    view.addressee_filter.setCurrentIndex(view.addressee_filter.findText("Management Board"))
    qtmodeltester.check(view.proxy)


def test_an_esi_inspection_offers_no_addressee_filter(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    # every ESI recommendation is the Probation Board's: a filter would only take a row's place
    esi = open_window(TODAY)
    esi.show_view("recommendations")
    view = esi.recommendations
    assert not view.filter_bar.isVisible()
    from ui.recommendations.model import RecommendationColumn

    first = view.proxy.index(0, RecommendationColumn.ADDRESSEE)
    assert first.data() == "Probation Board"
