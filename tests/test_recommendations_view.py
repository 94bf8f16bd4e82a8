"""Recommendations & responses, driven with keys and clicks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from db.models import BoardResponse, Recommendation, RecommendationCriterion
from esi_desktop.inspections import list_inspections
from ui.edits import Edits
from ui.recommendations.model import RecommendationColumn
from ui.recommendations.view import RecommendationsView
from ui.workspace import Workspace


@pytest.fixture
def view(qtbot: QtBot, sample_db: peewee.Database) -> Iterator[RecommendationsView]:
    workspace = Workspace(today=lambda: date(2005, 3, 1))
    widget = RecommendationsView(workspace, Edits(workspace))
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    workspace.set_inspection(list_inspections()[0].id)
    yield widget


def cell(view: RecommendationsView, row: int, column: RecommendationColumn) -> str:
    return str(view.proxy.data(view.proxy.index(row, column)))


def click_row(qtbot: QtBot, view: RecommendationsView, reference: str) -> int:
    for row in range(view.proxy.rowCount(QModelIndex())):
        if cell(view, row, RecommendationColumn.REF) == reference:
            rect = view.table.visualRect(view.proxy.index(row, RecommendationColumn.TEXT))
            qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return row
    raise AssertionError(f"no row {reference}")


def choose_category(qtbot: QtBot, view: RecommendationsView, text: str) -> None:
    combo = view.editor.category
    combo.setFocus()
    index = combo.findText(text)
    while combo.currentIndex() != index:
        key = Qt.Key.Key_Down if combo.currentIndex() < index else Qt.Key.Key_Up
        qtbot.keyClick(combo, key)


def test_table_lists_every_recommendation_in_printed_order(view: RecommendationsView) -> None:
    refs = [cell(view, r, RecommendationColumn.REF) for r in range(view.proxy.rowCount())]
    assert refs == [str(n) for n in range(1, 11)] + [f"T{n}" for n in range(1, 6)]
    assert cell(view, 0, RecommendationColumn.RESPONSE) == "Not yet agreed"
    assert cell(view, 5, RecommendationColumn.CRITERIA) == "B1, C2, C5"
    assert cell(view, 0, RecommendationColumn.PROGRESS) == "No actions"


def test_partly_agreed_shows_what_is_missing_then_saves(
    view: RecommendationsView, qtbot: QtBot
) -> None:
    row = click_row(qtbot, view, "7")
    editor = view.editor
    assert "Recommendation 7" in editor.heading.text()
    choose_category(qtbot, view, "Partly agreed")
    assert editor.message.isVisible()
    assert "must say which part of the recommendation is agreed" in editor.message.text()
    # kept, but as a draft: never the Board's response
    assert cell(view, row, RecommendationColumn.RESPONSE) == (
        "Draft — needs: which part is agreed, why the rest is not agreed"
    )

    editor.part_agreed.setFocus()
    qtbot.keyClicks(editor.part_agreed, "Supervision plans for community orders")
    # the list of what is missing follows the typing, before the field is left
    assert "which part" not in editor.message.text()
    assert "why the rest is not agreed" in editor.message.text()
    qtbot.keyClick(editor.part_agreed, Qt.Key.Key_Tab)
    assert cell(view, row, RecommendationColumn.RESPONSE) == (
        "Draft — needs: why the rest is not agreed"
    )
    assert QApplication.focusWidget() is editor.reason
    qtbot.keyClicks(editor.reason, "Licence plans are set by the prisons")
    assert not editor.message.isVisible()
    qtbot.keyClick(editor.reason, Qt.Key.Key_Tab)
    assert not editor.message.isVisible()
    response = BoardResponse.get()
    assert (response.category, response.reason) == (
        "Partly agreed",
        "Licence plans are set by the prisons",
    )
    assert cell(view, row, RecommendationColumn.RESPONSE) == "Partly agreed"
    view.workspace.undo_stack.undo()
    assert cell(view, row, RecommendationColumn.RESPONSE) == (
        "Draft — needs: why the rest is not agreed"
    )
    view.workspace.undo_stack.undo()  # the agreed part
    view.workspace.undo_stack.undo()  # Partly agreed
    # the Down key passed over Agreed on its way: that too was a step
    assert cell(view, row, RecommendationColumn.RESPONSE) == "Draft — needs: how and when"
    view.workspace.undo_stack.undo()
    assert cell(view, row, RecommendationColumn.RESPONSE) == "Not yet agreed"
    assert editor.category.currentText() == "Not yet agreed"


def test_a_half_written_response_survives_moving_to_another_recommendation(
    view: RecommendationsView, qtbot: QtBot
) -> None:
    """Partly agreed, the agreed part typed, then a click on another row and back."""
    row = click_row(qtbot, view, "7")
    editor = view.editor
    choose_category(qtbot, view, "Partly agreed")
    editor.part_agreed.setFocus()
    qtbot.keyClicks(editor.part_agreed, "Community orders")
    click_row(qtbot, view, "8")  # no Tab: straight to another recommendation
    assert "Recommendation 8" in editor.heading.text()
    assert editor.part_agreed.toPlainText() == ""
    click_row(qtbot, view, "7")
    assert editor.category.currentText() == "Partly agreed"
    assert editor.part_agreed.toPlainText() == "Community orders"
    assert "why the rest is not agreed" in editor.message.text()
    assert cell(view, row, RecommendationColumn.RESPONSE) == (
        "Draft — needs: why the rest is not agreed"
    )
    # stored in the database: another secretary (another workspace) sees the draft too
    other = Workspace(today=lambda: date(2005, 3, 1))
    other.set_inspection(view.workspace.inspection_id)
    plan = other.plan()
    assert plan is not None
    seven = plan.recommendation(int(Recommendation.get(Recommendation.reference == "7").id))
    assert seven.response is None and seven.draft is not None
    assert seven.draft.part_agreed == "Community orders"


def test_text_typed_before_a_category_is_kept_as_a_draft(
    view: RecommendationsView, qtbot: QtBot
) -> None:
    row = click_row(qtbot, view, "3")
    editor = view.editor
    editor.narrative.setFocus()
    qtbot.keyClicks(editor.narrative, "Training plan to the Board in May")
    assert "Choose whether the Board agrees" in editor.message.text()
    click_row(qtbot, view, "4")
    assert cell(view, row, RecommendationColumn.RESPONSE).startswith("Draft — needs: a category")
    click_row(qtbot, view, "3")
    assert editor.narrative.toPlainText() == "Training plan to the Board in May"


def test_criteria_are_ticked_with_their_baseline(view: RecommendationsView, qtbot: QtBot) -> None:
    click_row(qtbot, view, "6")
    criteria = view.editor.criteria
    texts = [criteria.item(i).text() for i in range(criteria.count())]
    assert "B1  Assessment of risk of harm — 46%" in texts
    checked = [
        criteria.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(criteria.count())
        if criteria.item(i).checkState() == Qt.CheckState.Checked
    ]
    assert checked == ["B1", "C2", "C5"]
    b3 = texts.index("B3  Case management — 53%")
    rect = criteria.visualItemRect(criteria.item(b3))
    criteria.setCurrentRow(b3)
    qtbot.keyClick(criteria, Qt.Key.Key_Space)
    six = Recommendation.get(Recommendation.reference == "6")
    codes = {r.code for r in RecommendationCriterion.select().where(
        RecommendationCriterion.recommendation == six)}  # fmt: skip
    assert codes == {"B1", "B3", "C2", "C5"}
    assert rect.height() > 0


def test_models_pass_the_model_tester(view: RecommendationsView, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    for model in view.models():
        qtmodeltester.check(model)


def test_renders(view: RecommendationsView, qtbot: QtBot, tmp_path: Path) -> None:
    click_row(qtbot, view, "6")
    image = view.grab().toImage()
    assert image.save(str(tmp_path / "recommendations.png"))
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 9) for y in range(0, image.height(), 9)
    }
    assert len(colours) > 20


def test_not_agreed_asks_for_the_reason_not_how_and_when(
    view: RecommendationsView, qtbot: QtBot
) -> None:
    row = click_row(qtbot, view, "T5")
    editor = view.editor
    assert editor.narrative.isVisible()  # Not yet agreed: the narrative may be typed first
    choose_category(qtbot, view, "Not agreed")
    assert not editor.narrative.isVisible()
    assert not editor.form.labelForField(editor.narrative).isVisible()
    assert editor.reason.isVisible() and editor.reason_label.text() == "Reason:"
    assert "must give the reason" in editor.message.text()
    assert "how and when" not in editor.message.text().lower()
    editor.reason.setFocus()
    qtbot.keyClicks(editor.reason, "The review is led nationally by the NPD.")
    click_row(qtbot, view, "T4")
    assert cell(view, row, RecommendationColumn.RESPONSE) == "Not agreed"
    # back to Agreed: how and when is asked again
    click_row(qtbot, view, "T5")
    choose_category(qtbot, view, "Agreed")
    assert editor.narrative.isVisible()


def test_not_agreed_keeps_showing_a_narrative_typed_earlier(
    view: RecommendationsView, qtbot: QtBot
) -> None:
    click_row(qtbot, view, "T5")
    editor = view.editor
    editor.narrative.setFocus()
    qtbot.keyClicks(editor.narrative, "Started before deciding")
    choose_category(qtbot, view, "Not agreed")
    assert editor.narrative.isVisible()  # never hide words that will be kept
