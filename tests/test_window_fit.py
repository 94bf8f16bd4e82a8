"""Issue 12 §1 and §6 in the window: references in the action plan, and the views at 1366×768.

The main window is opened as a person would (sample loaded by a click) at 1366 × 768; what is
checked is what they see: rows on screen, whole titles, toolbars not clipped. Each test saves
its screen as a PNG in the test's folder.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtWidgets import QToolBar, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from db.models import Recommendation
from esi_desktop import plan
from esi_desktop.inspections import list_inspections
from ui.plan.columns import KindRole, PlanColumn

TODAY = date(2005, 6, 1)
LONG_ACTION = (
    "Audit ten risk of harm assessments a month in each team and report the findings to the "
    "Board every quarter"
)
LONG_MILESTONE = "Audit tool agreed with the senior probation officers of every team"


def _open_at_1366(open_window: Callable[..., Any], qtbot: QtBot) -> Any:
    window = open_window(TODAY)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    return window


def _fill(window: Any) -> tuple[int, int]:
    inspection_id = list_inspections()[0].id
    six = Recommendation.get(Recommendation.reference == "6").id
    one = Recommendation.get(Recommendation.reference == "1").id
    plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[one],
        text="Costed training plan",
        owner="HR",
        target_date=date(2005, 9, 30),
    )
    action = plan.add_action(inspection_id=inspection_id, recommendation_ids=[six],
                             text=LONG_ACTION, owner="ACO Operations",
                             target_date=date(2005, 12, 31))  # fmt: skip
    milestone = plan.add_milestone(action_id=action, title=LONG_MILESTONE,
                                   due_date=date(2005, 7, 1), today=TODAY)  # fmt: skip
    window.workspace.invalidate()
    return action, milestone


def _rows(view: Any, parent: QModelIndex | None = None) -> list[QModelIndex]:
    model = view.tree.model()
    parent = parent or QModelIndex()
    found = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        found.append(index)
        found += _rows(view, index)
    return found


def _fully_shown(widget: QWidget, rect: QRect) -> bool:
    return widget.rect().contains(rect)


def test_the_action_plan_shows_references_whole_titles_and_its_toolbars(
    open_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path
) -> None:
    window = _open_at_1366(open_window, qtbot)
    _fill(window)
    window.show_view("plan")
    view = window.views.currentWidget()
    view.tree.expandAll()
    qtbot.wait(10)
    window.grab().save(str(tmp_path / "plan-1366.png"))
    shown = {}
    for index in _rows(view):
        if index.data(KindRole) != "recommendation":
            shown[index.siblingAtColumn(PlanColumn.ITEM).data()] = index
    action = shown[LONG_ACTION]
    milestone = shown[LONG_MILESTONE]
    # the references, in their own column
    assert action.siblingAtColumn(PlanColumn.REF).data() == "AP2"
    assert milestone.siblingAtColumn(PlanColumn.REF).data() == "AP2.1"
    assert shown["Costed training plan"].siblingAtColumn(PlanColumn.REF).data() == "AP1"
    assert view.tree.model().headerData(PlanColumn.REF, Qt.Orientation.Horizontal) == "Ref"
    # whole titles: the cell is tall enough for the wrapped text
    metrics = view.tree.fontMetrics()
    for index, text in ((action, LONG_ACTION), (milestone, LONG_MILESTONE)):
        rect = view.tree.visualRect(index.siblingAtColumn(PlanColumn.ITEM))
        needed = metrics.boundingRect(
            QRect(0, 0, rect.width() - 8, 10_000), int(Qt.TextFlag.TextWordWrap), text
        )
        assert needed.height() <= rect.height(), f"{text!r} is cut in the Item column"
    _check_toolbars(window, view)
    # and at the window's default size
    window.resize(1180, 760)
    qtbot.waitUntil(lambda: window.width() <= 1200)
    window.grab().save(str(tmp_path / "plan-default.png"))
    _check_toolbars(window, view)


def _check_toolbars(window: Any, view: Any) -> None:
    """Every toolbar button on screen, none behind an extension arrow; the filter row fits."""
    for toolbar in view.findChildren(QToolBar):
        for button in toolbar.findChildren(QToolButton):
            if button.objectName() == "qt_toolbar_ext_button":
                assert not button.isVisible(), "the toolbar clips its buttons"
                continue
            if button.defaultAction() is not None and button.defaultAction().isVisible():
                top_left = button.mapTo(window, button.rect().topLeft())
                assert window.rect().contains(QRect(top_left, button.size())), button.text()
    clear = view.clear_filter_button
    right = clear.mapTo(window, clear.rect().topRight()).x()
    assert right < window.width()


def test_a_reference_finds_its_row_in_the_filter(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = _open_at_1366(open_window, qtbot)
    _fill(window)
    window.show_view("plan")
    view = window.views.currentWidget()
    view.filter_edit.setFocus()
    qtbot.keyClicks(view.filter_edit, "ap2.1")

    def costed_gone() -> bool:
        shown = [i.siblingAtColumn(PlanColumn.ITEM).data() for i in _rows(view)]
        return "Costed training plan" not in shown

    qtbot.waitUntil(costed_gone)
    items = [
        i.siblingAtColumn(PlanColumn.ITEM).data()
        for i in _rows(view)
        if i.data(KindRole) != "recommendation"
    ]
    assert LONG_MILESTONE in items and "Costed training plan" not in items


def test_the_recommendations_view_opens_with_most_of_its_rows_on_screen(
    open_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window(TODAY)
    # the view is built while the window is still small (as when the program starts on it)
    window.resize(900, 600)
    window.show_view("recommendations")
    qtbot.wait(10)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366)
    view = window.views.currentWidget()
    qtbot.wait(50)
    window.grab().save(str(tmp_path / "recommendations-1366.png"))
    table = view.table
    model = table.model()
    on_screen = [
        row
        for row in range(model.rowCount())
        if _fully_shown(table.viewport(), table.visualRect(model.index(row, 1)))
    ]
    assert model.rowCount() == 15
    assert len(on_screen) >= 8, f"only {len(on_screen)} of 15 recommendations show"
    # the text is not lost: the whole recommendation is its tooltip
    first = model.index(0, 1)
    assert str(first.data()) in str(first.data(Qt.ItemDataRole.ToolTipRole))
