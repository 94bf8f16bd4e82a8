"""The follow-up view, driven as a person would: typing into cells, picking from lists."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from db.models import Recommendation
from esi_desktop import plan
from esi_desktop.comparison import RowKind
from esi_desktop.follow_up import get_follow_up
from esi_desktop.frameworks import get_framework
from esi_desktop.inspections import list_inspections, stored_results
from esi_desktop.scoring import Result, round_half_up
from ui.edits import Edits
from ui.follow_up.chart import ScoreChart
from ui.follow_up.results import ResultColumn
from ui.follow_up.self_assessment import SelfAssessmentColumn
from ui.follow_up.view import FollowUpView
from ui.palette import DECLINED, IMPROVED
from ui.workspace import Workspace

TODAY = date(2005, 6, 1)
CORE = "esi-core"
THEMATIC = "esi-accommodation"


@pytest.fixture
def workspace(qtbot: QtBot, sample_db: peewee.Database) -> Workspace:
    ws = Workspace(today=lambda: TODAY)
    ws.set_inspection(list_inspections()[0].id)
    return ws


@pytest.fixture
def view(qtbot: QtBot, workspace: Workspace) -> FollowUpView:
    widget = FollowUpView(workspace, Edits(workspace))
    qtbot.addWidget(widget)
    widget.resize(1180, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def inspection(workspace: Workspace) -> int:
    assert workspace.inspection_id is not None
    return workspace.inspection_id


def result_index(
    view: FollowUpView, code: str, column: ResultColumn, *, framework: str = CORE,
    kind: RowKind = RowKind.CRITERION,
) -> QModelIndex:  # fmt: skip
    row = view.results_model.find_row(framework, kind, code)
    assert row >= 0, (framework, kind, code)
    return view.results_model.index(row, column)


def shown(view: FollowUpView, code: str, column: ResultColumn, **where: object) -> str:
    """What the person reads in a cell of the results grid."""
    return str(result_index(view, code, column, **where).data())  # type: ignore[arg-type]


def click_cell(qtbot: QtBot, table: QTableView, index: QModelIndex) -> None:
    """Put the cursor on a cell with a click (unless it is there already).

    A click on the cell that is already selected would start editing after the double-click
    interval (the view's SelectedClicked trigger), and F2 is ignored meanwhile.
    """
    table.scrollTo(index)
    if table.currentIndex() != index:
        qtbot.mouseClick(
            table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center()
        )
    assert table.currentIndex() == index


def editor_of(table: QTableView, index: QModelIndex) -> QWidget:
    editor = table.indexWidget(index)
    assert editor is not None, "no editor is open on the cell"
    return editor


def type_result(qtbot: QtBot, table: QTableView, index: QModelIndex, text: str) -> QWidget:
    """Select the cell, press F2, type over what is there and press Enter."""
    click_cell(qtbot, table, index)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = editor_of(table, index)
    assert isinstance(editor, QLineEdit)
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    return editor


def wait_for_text(qtbot: QtBot, index: QModelIndex, text: str) -> None:
    qtbot.waitUntil(lambda: index.data() == text, timeout=3000)


def test_typed_results_show_the_change_and_recompute_the_section(
    view: FollowUpView, workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    table = view.results_view
    b1 = result_index(view, "B1", ResultColumn.FOLLOW_UP)
    assert b1.data() == "—"  # missing, never 0
    assert shown(view, "B1", ResultColumn.CHANGE) == "—"

    # start typing on the selected cell, as a person would, then Enter
    click_cell(qtbot, table, b1)
    qtbot.keyClick(table, Qt.Key.Key_7)
    qtbot.keyClicks(editor_of(table, b1), "0")
    qtbot.keyClick(editor_of(table, b1), Qt.Key.Key_Return)
    wait_for_text(qtbot, b1, "70%")
    assert shown(view, "B1", ResultColumn.CHANGE) == "+24 pts"
    change = result_index(view, "B1", ResultColumn.CHANGE)
    assert (
        change.data(Qt.ItemDataRole.ForegroundRole).color().name() == IMPROVED
    )  # the house green (ui.palette)
    assert shown(view, "B", ResultColumn.FOLLOW_UP, kind=RowKind.SCORE) == "—"  # B2–B4 missing

    typed = {"B2": "75%", "B3": "60", "B4": "68 %"}
    for code, text in typed.items():
        index = result_index(view, code, ResultColumn.FOLLOW_UP)
        type_result(qtbot, table, index, text)
        wait_for_text(qtbot, index, text.replace(" ", "").removesuffix("%") + "%")
    assert shown(view, "B2", ResultColumn.CHANGE) == "−4 pts"  # 79 → 75
    decline = result_index(view, "B2", ResultColumn.CHANGE)
    assert decline.data(Qt.ItemDataRole.ForegroundRole).color().name() == DECLINED

    core = get_framework(CORE)
    values = {"B1": 70, "B2": 75, "B3": 60, "B4": 68}
    weights = {c.code: c.weight for c in core.section("B").criteria}
    assert weights == {"B1": 2, "B2": 2, "B3": 2, "B4": 1}
    exact = Fraction(sum(weights[c] * v for c, v in values.items()), sum(weights.values()))
    expected = round_half_up(exact)  # (140 + 150 + 120 + 68) / 7 = 68.29 → 68
    assert shown(view, "B", ResultColumn.FOLLOW_UP, kind=RowKind.SCORE) == f"{expected}%"
    assert shown(view, "B", ResultColumn.BASELINE, kind=RowKind.SCORE) == "61%"
    assert shown(view, "B", ResultColumn.CHANGE, kind=RowKind.SCORE) == f"+{expected - 61} pts"
    assert shown(view, "", ResultColumn.FOLLOW_UP, kind=RowKind.OVERALL) == "—"  # C, D missing

    # out of range: refused at the field with the sentence, nothing written
    before = stored_results(inspection_id=inspection(workspace), round=1)
    editor = type_result(qtbot, table, b1, "170")
    assert view.result_error.isVisible()
    assert "B1 Assessment of risk of harm takes a whole percentage from 0 to 100" in (
        view.result_error.text()
    )
    assert table.state() == QAbstractItemView.State.EditingState  # still open to correct
    assert stored_results(inspection_id=inspection(workspace), round=1) == before
    assert view.grab().save(str(tmp_path / "refused.png"))
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert b1.data() == "70%"
    assert not view.result_error.isVisible()

    # undo puts the previous value back on screen
    workspace.undo_stack.undo()
    assert result_index(view, "B4", ResultColumn.FOLLOW_UP).data() == "—"
    assert shown(view, "B", ResultColumn.FOLLOW_UP, kind=RowKind.SCORE) == "—"
    workspace.undo_stack.redo()
    assert result_index(view, "B4", ResultColumn.FOLLOW_UP).data() == "68%"


def test_words_are_refused_for_a_percentage_when_leaving_the_cell(
    view: FollowUpView, workspace: Workspace, qtbot: QtBot
) -> None:
    table = view.results_view
    c4 = result_index(view, "C4", ResultColumn.FOLLOW_UP)
    click_cell(qtbot, table, c4)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    qtbot.keyClicks(editor_of(table, c4), "good")
    qtbot.keyClick(editor_of(table, c4), Qt.Key.Key_Tab)  # leaves the cell: commits
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert "C4 Responsivity takes a whole percentage from 0 to 100" in view.result_error.text()
    assert c4.data() == "—"
    assert stored_results(inspection_id=inspection(workspace), round=1) == {}
    assert workspace.undo_stack.count() == 0


def test_a_rating_is_picked_from_the_scale_and_compared_in_steps(
    view: FollowUpView, workspace: Workspace, qtbot: QtBot
) -> None:
    table = view.results_view
    a1 = result_index(view, "A1", ResultColumn.FOLLOW_UP)
    assert shown(view, "A1", ResultColumn.BASELINE) == "Partly met"
    click_cell(qtbot, table, a1)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = editor_of(table, a1)
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "No result", "Very well met", "Well met", "Satisfactorily met", "Partly met",
        "Not met", "Poor",
    ]  # fmt: skip
    qtbot.keyClicks(combo, "Wel")  # the list jumps to "Well met" as the person types
    assert combo.currentText() == "Well met"
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    wait_for_text(qtbot, a1, "Well met")
    assert shown(view, "A1", ResultColumn.CHANGE) == "▲ 2 steps"  # Partly → Satisfactorily → Well
    assert stored_results(inspection_id=inspection(workspace), round=1) == {
        CORE: {"A1": "Well met"}
    }
    up = result_index(view, "A1", ResultColumn.CHANGE)
    assert (
        up.data(Qt.ItemDataRole.ForegroundRole).color().name() == IMPROVED
    )  # the house green (ui.palette)

    # the thematic framework's D2 is a rating too: one step down with the arrow key
    d2 = result_index(view, "D2", ResultColumn.FOLLOW_UP, framework=THEMATIC)
    click_cell(qtbot, table, d2)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = editor_of(table, d2)
    assert isinstance(combo, QComboBox) and combo.currentText() == "No result"
    for _ in range(combo.findText("Not met")):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    wait_for_text(qtbot, d2, "Not met")
    assert shown(view, "D2", ResultColumn.CHANGE, framework=THEMATIC) == "▼ 1 step"

    workspace.undo_stack.undo()
    workspace.undo_stack.undo()
    assert a1.data() == "—" and d2.data() == "—"
    assert shown(view, "A1", ResultColumn.CHANGE) == "—"


def test_aimed_at_names_recommendations_and_actions_with_progress(
    view: FollowUpView, workspace: Workspace
) -> None:
    edits = Edits(workspace)
    six = int(Recommendation.get(Recommendation.reference == "6").id)
    plan.set_recommendation_criteria(recommendation_id=six, criteria=[(CORE, "B1"), (CORE, "C5")])
    action = edits.add_action([six], "Audit risk of harm assessments monthly", "ACO Operations",
                              date(2005, 9, 30))  # fmt: skip
    plan.set_action_criteria(action_id=action, criteria=[(CORE, "B1")])
    first = edits.add_milestone(action, "Audit tool agreed", date(2005, 7, 1))
    edits.add_milestone(action, "First audit to the Board", date(2005, 8, 1))
    edits.update_milestone(first, {"status": "Complete"}, None, "Complete milestone")
    # the importer may link other recommendations to B1 too: each is listed, in report order
    aimed = shown(view, "B1", ResultColumn.AIMED_AT).split("; ")
    view_plan = workspace.plan()
    assert view_plan is not None
    others = [
        f"Rec {r.reference} (0%)"
        for r in view_plan.recommendations
        if (CORE, "B1") in r.criteria and r.reference != "6"
    ]
    assert aimed == [*others, "Rec 6 (50%)", "Audit risk of harm… (50%)"]
    assert "Rec 6 (50%)" in shown(view, "C5", ResultColumn.AIMED_AT).split("; ")
    assert "Audit risk of harm" not in shown(view, "C5", ResultColumn.AIMED_AT)
    assert "Rec 6" not in shown(view, "B1", ResultColumn.AIMED_AT, framework=THEMATIC)
    tooltip = result_index(view, "B1", ResultColumn.AIMED_AT).data(Qt.ItemDataRole.ToolTipRole)
    assert "Audit risk of harm assessments monthly" in tooltip


def test_the_follow_up_needs_a_date_before_it_is_scheduled(
    view: FollowUpView, workspace: Workspace, qtbot: QtBot, tmp_path: Path
) -> None:
    assert view.status.currentText() == "Not yet scheduled"
    assert not view.date_agreed.isChecked() and not view.planned_date.isEnabled()

    view.status.setFocus()
    qtbot.keyClick(view.status, Qt.Key.Key_Down)  # → Scheduled
    assert view.status.currentText() == "Scheduled"
    assert view.follow_up_error.isVisible()
    assert view.follow_up_error.text() == "A follow-up that is Scheduled needs its planned date."
    assert get_follow_up(inspection_id=inspection(workspace)).version is None  # nothing stored
    assert workspace.undo_stack.count() == 0

    qtbot.mouseClick(view.date_agreed, Qt.MouseButton.LeftButton)
    assert view.planned_date.isEnabled()
    assert view.planned_date.hasFocus()  # with the date selected, ready to type over
    qtbot.keyClicks(view.planned_date, "10102005")
    assert view.planned_date.hint_text() == "Monday 10 October 2005"
    qtbot.keyClick(view.planned_date, Qt.Key.Key_Return)
    stored = get_follow_up(inspection_id=inspection(workspace))
    assert (stored.planned_date, stored.status) == (date(2005, 10, 10), "Scheduled")
    assert not view.follow_up_error.isVisible()

    # a date before publication is refused with the sentence, and the stored one kept
    view.planned_date.setFocus()
    view.planned_date.select_all()
    qtbot.keyClicks(view.planned_date, "01/12/2004")
    qtbot.keyClick(view.planned_date, Qt.Key.Key_Return)
    assert "before the report was published" in view.follow_up_error.text()
    assert view.grab().save(str(tmp_path / "follow-up-refused.png"))
    assert get_follow_up(inspection_id=inspection(workspace)).planned_date == date(2005, 10, 10)

    workspace.undo_stack.undo()
    assert view.status.currentText() == "Not yet scheduled"
    assert not view.date_agreed.isChecked()


def test_a_planned_date_that_is_not_a_date_is_never_saved(
    view: FollowUpView, workspace: Workspace, qtbot: QtBot
) -> None:
    qtbot.mouseClick(view.date_agreed, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(view.planned_date, "15/11/2005")
    assert view.planned_date.hint_text() == "Tuesday 15 November 2005"
    qtbot.keyClick(view.planned_date, Qt.Key.Key_Return)
    assert get_follow_up(inspection_id=inspection(workspace)).planned_date == date(2005, 11, 15)

    view.planned_date.select_all()
    qtbot.keyClicks(view.planned_date, "31/11/2005")
    qtbot.keyClick(view.planned_date, Qt.Key.Key_Return)
    sentence = "“31/11/2005” is not a date: November 2005 has 30 days."
    assert view.planned_date.hint_text() == sentence and view.planned_date.hint.isVisible()
    assert not view.follow_up_error.isVisible()
    # a new status cannot go with it either, and the person is told why
    view.status.setFocus()
    qtbot.keyClick(view.status, Qt.Key.Key_Down)
    assert view.follow_up_error.text() == "Nothing was saved: correct the planned date first."
    stored = get_follow_up(inspection_id=inspection(workspace))
    assert (stored.planned_date, stored.status) == (date(2005, 11, 15), "Not yet scheduled")
    assert workspace.undo_stack.count() == 1


def self_assessment_cell(view: FollowUpView, reference: str) -> QModelIndex:
    model = view.self_assessment_model
    return model.index(model.row_of(reference), SelfAssessmentColumn.SELF_ASSESSMENT)


# the offscreen platform cannot raise a popup or grab the keyboard for it; harmless here
@pytest.mark.qt_log_ignore("This plugin does not support raise", "does not support grabbing")
def test_self_assessment_is_picked_from_the_scale_and_stored(
    view: FollowUpView, workspace: Workspace, qtbot: QtBot
) -> None:
    tabs = view.tabs.tabBar()
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(1).center())
    table = view.self_assessment_view
    assert table.isVisible()
    cell = self_assessment_cell(view, "6")
    assert cell.data() == "Not assessed"
    model = view.self_assessment_model
    assert model.index(cell.row(), SelfAssessmentColumn.PROGRESS).data() == "0%"
    click_cell(qtbot, table, cell)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = editor_of(table, cell)
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Not assessed", "No meaningful progress", "Insufficient progress",
        "Reasonable progress", "Good progress",
    ]  # fmt: skip
    combo.showPopup()  # Alt+Down or a click on the arrow; then choose from the list
    qtbot.waitUntil(combo.view().isVisible)
    popup = combo.view()
    for _ in range(3):
        qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # choosing closes the list and saves at once
    wait_for_text(qtbot, cell, "Reasonable progress")
    row = Recommendation.get(Recommendation.reference == "6")
    assert row.self_assessment == "Reasonable progress"
    assert workspace.undo_stack.undoText() == "Self-assessment"

    # and back to not assessed, with the keyboard
    click_cell(qtbot, table, cell)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = editor_of(table, cell)
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    wait_for_text(qtbot, cell, "Not assessed")
    assert Recommendation.get_by_id(row.id).self_assessment is None

    # someone else changes the recommendation meanwhile: refused with the sentence, then the
    # view shows the current record and a second try is stored
    plan.set_recommendation_fields(recommendation_id=row.id, changes={"internal_note": "Seen"})
    for attempt in range(2):
        click_cell(qtbot, table, cell)
        qtbot.keyClick(table, Qt.Key.Key_F2)
        combo = editor_of(table, cell)
        qtbot.keyClick(combo, Qt.Key.Key_End)  # Good progress
        qtbot.keyClick(combo, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
        if attempt == 0:
            assert "changed by someone else" in view.self_assessment_error.text()
            assert view.self_assessment_error.isVisible()
            assert cell.data() == "Not assessed"
            assert Recommendation.get_by_id(row.id).self_assessment is None
    wait_for_text(qtbot, cell, "Good progress")
    assert not view.self_assessment_error.isVisible()
    assert Recommendation.get_by_id(row.id).self_assessment == "Good progress"


def test_every_model_passes_the_model_tester(view: FollowUpView, qtmodeltester: object) -> None:
    assert len(view.models()) == 2
    for model in view.models():
        qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_chart_shows_pairs_with_a_gap_for_a_missing_follow_up(
    view: FollowUpView, workspace: Workspace
) -> None:
    Edits(workspace).set_follow_up_result(CORE, "B1", 70)
    chart = view.chart
    assert isinstance(chart, ScoreChart)
    assert chart.accessibleName()
    codes = [(c.group, c.code) for c in chart.criteria()]
    assert len(codes) == 12 + 9  # every percentage criterion of both frameworks
    b1 = chart.criteria()[0]
    assert (b1.code, b1.baseline, b1.follow_up) == ("B1", 46, 70)
    assert "B1 Assessment of risk of harm: 46% then 70%" in chart.accessibleDescription()
    bars = chart.bars()
    baseline, after = bars[0], bars[1]
    assert after.rect.width() > baseline.rect.width()
    found = chart.bar_at(after.rect.center().toPoint())
    assert found is not None and found.tooltip.endswith("Follow-up: 70% (+24 points)")
    missing = bars[3]  # B2's follow-up
    assert missing.value is None and "no result yet" in missing.tooltip


def colours(image: QImage) -> int:
    seen = set()
    step = max(1, image.width() // 150)
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
    return len(seen)


@pytest.mark.parametrize(("width", "height"), [(1180, 760), (960, 540)])
def test_the_view_renders(
    view: FollowUpView, workspace: Workspace, tmp_path: Path, width: int, height: int
) -> None:
    """1180×760 is the window's default; 960×540 is a 1920×1080 screen at 200%."""
    edits = Edits(workspace)
    results: dict[str, Result] = {"B1": 70, "B2": 75, "C1": 80, "A1": "Well met"}
    for code, value in results.items():
        edits.set_follow_up_result(CORE, code, value)
    edits.set_recommendation_fields(
        int(Recommendation.get(Recommendation.reference == "6").id),
        {"self_assessment": "Reasonable progress"},
        None,
        "Self-assessment",
    )
    view.resize(width, height)
    image = view.grab().toImage()
    assert image.save(str(tmp_path / f"follow-up-{width}x{height}.png"))
    assert colours(image) > 20
    view.tabs.setCurrentIndex(1)
    image = view.grab().toImage()
    assert image.save(str(tmp_path / f"self-assessment-{width}x{height}.png"))
    assert colours(image) > 20

    # the painted chart at twice the pixels, as on a 200% screen: crisp, not scaled up
    chart = view.chart
    chart.resize(chart.width() or 400, chart.sizeHint().height())
    pixmap = QPixmap(chart.size() * 2)
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.GlobalColor.white)
    chart.render(pixmap)
    assert pixmap.save(str(tmp_path / f"chart-{width}x{height}@2x.png"))
    assert colours(pixmap.toImage()) > 10
    assert chart.bar_at(QPoint(-5, -5)) is None
