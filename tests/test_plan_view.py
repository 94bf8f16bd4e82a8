"""The Action plan view, driven with keys and clicks, checking what the tree shows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QMainWindow,
    QWidget,
)
from pytestqt.qtbot import QtBot

from db.models import Action, Milestone, Recommendation
from esi_desktop.inspections import list_inspections
from esi_desktop.wording import date_in_words
from ui.date_field import DateField
from ui.delegates import ChoiceBox
from ui.edits import Edits
from ui.plan.columns import KindRole, PlanColumn, RagRole
from ui.plan.filtering import PlanFilter, PlanFilterModel
from ui.plan.model import PlanTreeModel
from ui.plan.view import ActionPlanView
from ui.workspace import Workspace

TODAY = date(2005, 6, 1)
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier

Messages = list[tuple[str, str]]


@pytest.fixture
def workspace(qtbot: QtBot, sample_db: peewee.Database) -> Workspace:
    ws = Workspace(today=lambda: TODAY)
    ws.set_inspection(list_inspections()[0].id)
    return ws


@pytest.fixture
def edits(workspace: Workspace) -> Edits:
    return Edits(workspace)


@pytest.fixture
def view(qtbot: QtBot, workspace: Workspace, edits: Edits, messages: Messages) -> ActionPlanView:
    widget = ActionPlanView(workspace, edits)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


# ----- reading the screen -------------------------------------------------------------------


def visible(view: ActionPlanView, parent: QModelIndex | None = None) -> list[QModelIndex]:
    """Every row of the tree as shown (filtered), depth first."""
    model = view.tree.model()
    parent = parent or QModelIndex()
    found = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        found.append(index)
        found += visible(view, index)
    return found


def cell(index: QModelIndex | QPersistentModelIndex, column: PlanColumn) -> str:
    return str(index.siblingAtColumn(column).data() or "")


def row_named(view: ActionPlanView, text: str, start: str = "") -> QModelIndex:
    """The first visible row whose item text is (or, with ``start``, starts with) ``text``."""
    for index in visible(view):
        shown = cell(index, PlanColumn.ITEM)
        if shown == text or (start and shown.startswith(start)):
            return index
    raise AssertionError(f"no row {text or start!r} on screen")


def rec_row(view: ActionPlanView, reference: str) -> QModelIndex:
    return row_named(view, "", start=f"{reference}. ")


def shape(view: ActionPlanView, parent: QModelIndex | None = None) -> list[object]:
    """The tree as nested lists of item texts (recommendations by reference)."""
    model = view.tree.model()
    parent = parent or QModelIndex()
    result: list[object] = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        text = cell(index, PlanColumn.ITEM)
        if index.data(KindRole) == "recommendation":
            text = text.split(".")[0]
        children = shape(view, index)
        result.append((text, children) if children else text)
    return result


def children_of(view: ActionPlanView, index: QModelIndex) -> list[str]:
    model = view.tree.model()
    return [
        cell(model.index(row, 0, index), PlanColumn.ITEM) for row in range(model.rowCount(index))
    ]


# ----- acting on the screen -----------------------------------------------------------------


def click(qtbot: QtBot, view: ActionPlanView, index: QModelIndex) -> None:
    view.tree.scrollTo(index)  # as a person scrolls to a row below the fold
    rect = view.tree.visualRect(index)
    qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.tree.currentIndex() == index


def editor(view: ActionPlanView) -> QWidget:
    assert view.tree.state() == QAbstractItemView.State.EditingState, "no editor is open"
    widget = view.tree.indexWidget(view.tree.currentIndex())
    assert widget is not None
    return widget


def finish(qtbot: QtBot, view: ActionPlanView, widget: QWidget) -> None:
    """Press Enter in an editor and wait for the (queued) commit."""
    qtbot.keyClick(widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.tree.state() != QAbstractItemView.State.EditingState)
    if not view.isActiveWindow():
        # the offscreen platform leaves no window active once a completer popup has shown
        view.activateWindow()
        qtbot.waitUntil(view.isActiveWindow)


def type_into(qtbot: QtBot, view: ActionPlanView, text: str) -> None:
    """Type into the open editor and press Enter."""
    widget = editor(view)
    qtbot.keyClicks(widget, text)
    finish(qtbot, view, widget)


def edit_cell(
    qtbot: QtBot, view: ActionPlanView, index: QModelIndex, column: PlanColumn, text: str
) -> None:
    """Go to a cell, press F2, type and press Enter."""
    view.tree.setCurrentIndex(index.siblingAtColumn(column))
    qtbot.keyClick(view.tree, Qt.Key.Key_F2)
    type_into(qtbot, view, text)


# ----- the tests ----------------------------------------------------------------------------


# the owner's completer pops up a list; the offscreen platform cannot raise or grab for it
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_an_action_and_its_milestones_are_typed_in_and_tracked(
    view: ActionPlanView, workspace: Workspace, qtbot: QtBot, messages: Messages
) -> None:
    assert [cell(i, PlanColumn.ITEM)[:5] for i in visible(view)][:2] == ["1. a ", "2. re"]
    six = rec_row(view, "6")
    assert cell(six, PlanColumn.ITEM).startswith("6. a system for monitoring the impact")
    assert cell(six, PlanColumn.STATUS) == "No actions"
    assert six.data(Qt.ItemDataRole.FontRole).bold()
    click(qtbot, view, six)

    qtbot.keyClick(view.tree, Qt.Key.Key_A, CTRL_SHIFT)
    new = editor(view)
    assert isinstance(new, QLineEdit) and new.text() == "New action"
    type_into(qtbot, view, "Audit 20 risk of harm assessments a month")

    action = row_named(view, "Audit 20 risk of harm assessments a month")
    assert action.parent() == rec_row(view, "6")
    assert cell(action, PlanColumn.OWNER) == ""  # recommendation 6 has no lead owner yet
    assert cell(action, PlanColumn.DATE) == "01/01/2006"  # implementation due: 12 months
    assert cell(action, PlanColumn.STATUS) == "No milestones"

    edit_cell(qtbot, view, action, PlanColumn.OWNER, "ACO Operations")
    action = row_named(view, "Audit 20 risk of harm assessments a month")
    assert cell(action, PlanColumn.OWNER) == "ACO Operations"
    edit_cell(qtbot, view, action, PlanColumn.DATE, "30/09/2005")
    action = row_named(view, "Audit 20 risk of harm assessments a month")
    assert cell(action, PlanColumn.DATE) == "30/09/2005"

    # Insert adds a milestone to the current action, due on its target date
    qtbot.keyClick(view.tree, Qt.Key.Key_Insert)
    assert editor(view).text() == "New milestone"  # type: ignore[attr-defined]
    type_into(qtbot, view, "Audit tool agreed")
    first = row_named(view, "Audit tool agreed")
    assert cell(first, PlanColumn.DATE) == "30/09/2005"
    assert cell(first, PlanColumn.STATUS) == "Not started"
    # Right moves along the row (its reference, the owner) to the date; F2 edits it
    qtbot.keyClick(view.tree, Qt.Key.Key_Right)
    assert view.tree.currentIndex().data() == "AP1.1"
    qtbot.keyClick(view.tree, Qt.Key.Key_Right)
    qtbot.keyClick(view.tree, Qt.Key.Key_Right)
    assert view.tree.currentIndex().column() == PlanColumn.DATE
    qtbot.keyClick(view.tree, Qt.Key.Key_F2)
    type_into(qtbot, view, "10/06/2005")

    qtbot.keyClick(view.tree, Qt.Key.Key_M, CTRL_SHIFT)
    type_into(qtbot, view, "First audit to the Board")
    action = row_named(view, "Audit 20 risk of harm assessments a month")
    assert children_of(view, action) == ["Audit tool agreed", "First audit to the Board"]
    first = row_named(view, "Audit tool agreed")
    assert cell(first, PlanColumn.RAG) == "Due soon"  # 10 June is within 14 days of 1 June
    assert cell(action, PlanColumn.RAG) == "Amber"
    assert cell(action, PlanColumn.PROGRESS) == "0%"

    view.tree.setCurrentIndex(first.siblingAtColumn(PlanColumn.STATUS))
    qtbot.keyClick(view.tree, Qt.Key.Key_F2)
    status = editor(view)
    assert isinstance(status, QComboBox)
    qtbot.keyClicks(status, "C")
    assert status.currentText() == "Complete"
    finish(qtbot, view, status)

    action = row_named(view, "Audit 20 risk of harm assessments a month")
    first = row_named(view, "Audit tool agreed")
    assert cell(first, PlanColumn.STATUS) == "Complete"
    assert cell(first, PlanColumn.COMPLETED) == "01/06/2005"
    assert cell(first, PlanColumn.RAG) == ""
    assert cell(action, PlanColumn.STATUS) == "1 of 2 complete"
    assert cell(action, PlanColumn.PROGRESS) == "50%"
    assert cell(action, PlanColumn.RAG) == "Green"
    assert action.siblingAtColumn(PlanColumn.RAG).data(RagRole) == "Green"
    six = rec_row(view, "6")
    assert (cell(six, PlanColumn.PROGRESS), cell(six, PlanColumn.RAG)) == ("50%", "Green")
    assert cell(six, PlanColumn.STATUS) == "1 action"

    second = row_named(view, "First audit to the Board")
    click(qtbot, view, second)
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    action = row_named(view, "Audit 20 risk of harm assessments a month")
    assert children_of(view, action) == ["Audit tool agreed"]
    assert cell(action, PlanColumn.RAG) == "Blue"
    assert cell(action, PlanColumn.COMPLETED) == "01/06/2005"
    assert view.current_node() is not None and view.current_node().item.title == (  # type: ignore[union-attr]
        "Audit tool agreed"
    )

    workspace.undo_stack.undo()
    action = row_named(view, "Audit 20 risk of harm assessments a month")
    assert children_of(view, action) == ["Audit tool agreed", "First audit to the Board"]
    assert cell(action, PlanColumn.PROGRESS) == "50%"
    assert messages == []


# the date editor's words show in a tool-tip window; the offscreen platform cannot raise it
@pytest.mark.qt_log_ignore("does not support raise")
def test_a_target_date_before_publication_is_refused_and_nothing_is_written(
    view: ActionPlanView, edits: Edits, workspace: Workspace, qtbot: QtBot, messages: Messages
) -> None:
    action_id = edits.add_action(
        [rec_id("2")], "Monthly performance report", "ACO", date(2005, 9, 30)
    )
    depth = workspace.undo_stack.count()
    action = row_named(view, "Monthly performance report")

    edit_cell(qtbot, view, action, PlanColumn.DATE, "31/12/2004")

    qtbot.waitUntil(lambda: len(messages) == 1)
    title, text = messages[0]
    assert title == "Cannot change the target date"
    assert text == (
        "The target date 31/12/2004 is before the report was published (January 2005); "
        "choose a later date."
    )
    assert Action.get_by_id(action_id).target_date == date(2005, 9, 30)
    assert workspace.undo_stack.count() == depth
    assert cell(row_named(view, "Monthly performance report"), PlanColumn.DATE) == "30/09/2005"

    # an owner cleared leaves the action waiting for one (the documents list it as missing)
    edit_cell(qtbot, view, row_named(view, "Monthly performance report"), PlanColumn.OWNER, " ")
    qtbot.waitUntil(lambda: Action.get_by_id(action_id).owner == "")
    assert len(messages) == 1
    assert cell(row_named(view, "Monthly performance report"), PlanColumn.OWNER) == ""


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
def test_a_date_cell_takes_only_the_date_it_shows(
    view: ActionPlanView, edits: Edits, workspace: Workspace, qtbot: QtBot, messages: Messages
) -> None:
    action_id = edits.add_action(
        [rec_id("2")], "Monthly performance report", "ACO", date(2005, 9, 30)
    )
    depth = workspace.undo_stack.count()
    editing = QAbstractItemView.State.EditingState

    def open_date() -> DateField:
        action = row_named(view, "Monthly performance report")
        view.tree.setCurrentIndex(action.siblingAtColumn(PlanColumn.DATE))
        qtbot.keyClick(view.tree, Qt.Key.Key_F2)
        field = editor(view)
        assert isinstance(field, DateField)
        return field

    field = open_date()
    assert field.hint.isVisible() and field.hint_text() == "Friday 30 September 2005"
    qtbot.keyClicks(field, "31/09/2005")  # over the selected date
    sentence = "“31/09/2005” is not a date: September 2005 has 30 days."
    assert field.toolTip() == sentence and field.hint_text() == sentence
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Tab):
        qtbot.keyClick(field, key)
        assert view.tree.state() == editing and field.hint.isVisible()  # still saying why
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not field.hint.isVisible()
    qtbot.waitUntil(lambda: view.tree.state() != editing)
    assert Action.get_by_id(action_id).target_date == date(2005, 9, 30)

    # half a date is not written when the person clicks elsewhere
    field = open_date()
    qtbot.keyClicks(field, "15/1")
    click(qtbot, view, rec_row(view, "5"))
    assert view.tree.state() != editing
    assert Action.get_by_id(action_id).target_date == date(2005, 9, 30)
    assert workspace.undo_stack.count() == depth and messages == []

    # Tab takes a whole date, as Enter does
    field = open_date()
    qtbot.keyClicks(field, "1 Oct 2005")
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: Action.get_by_id(action_id).target_date == date(2005, 10, 1))
    if view.tree.state() == editing:  # Tab moved on to the next cell
        qtbot.keyClick(editor(view), Qt.Key.Key_Escape)

    # a day picked from the calendar is taken at once
    field = open_date()
    qtbot.keyClick(field.line_edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = field._popup
    assert popup is not None and popup.isVisible()
    popup.calendar.activated.emit(popup.calendar.selectedDate().addDays(3))
    qtbot.waitUntil(lambda: Action.get_by_id(action_id).target_date == date(2005, 10, 4))
    qtbot.waitUntil(lambda: view.tree.state() != editing)
    assert cell(row_named(view, "Monthly performance report"), PlanColumn.DATE) == "04/10/2005"
    assert messages == []


def test_filter_box_owner_and_rag_combos(view: ActionPlanView, edits: Edits, qtbot: QtBot) -> None:
    audit = edits.add_action([rec_id("6")], "Audit risk of harm assessments", "ACO Operations",
                             date(2005, 9, 30))  # fmt: skip
    edits.add_action([rec_id("6")], "Train staff in OASys", "HR Manager", date(2005, 12, 31))
    late = edits.add_action([rec_id("8")], "Contact standards briefing", "ACO Operations",
                            date(2005, 7, 1))  # fmt: skip
    edits.add_milestone(late, "Briefing pack drafted", date(2005, 5, 1))  # overdue: Red
    edits.add_milestone(audit, "Audit tool agreed", date(2005, 9, 1))
    assert len(visible(view)) == 15 + 3 + 2

    qtbot.keyClicks(view.filter_edit, "AUDIT")
    qtbot.waitUntil(lambda: len(visible(view)) < 20)
    assert shape(view) == [("6", [("Audit risk of harm assessments", ["Audit tool agreed"])])]

    view.filter_edit.clear()
    qtbot.waitUntil(lambda: len(visible(view)) == 20)

    view.rag_filter.setCurrentIndex(view.rag_filter.findText("Red"))
    assert shape(view) == [("8", [("Contact standards briefing", ["Briefing pack drafted"])])]
    assert {i.siblingAtColumn(PlanColumn.RAG).data(RagRole) for i in visible(view)} == {
        "Red",
        "Overdue",
    }

    view.rag_filter.setCurrentIndex(0)
    view.owner_filter.setCurrentIndex(view.owner_filter.findText("HR Manager"))
    assert shape(view) == [("6", ["Train staff in OASys"])]

    view.owner_filter.setCurrentIndex(0)
    view.status_filter.setCurrentIndex(view.status_filter.findText("Overdue"))
    assert shape(view) == [("8", [("Contact standards briefing", ["Briefing pack drafted"])])]

    qtbot.mouseClick(view.clear_filter_button, Qt.MouseButton.LeftButton)
    assert len(visible(view)) == 20
    assert all(view.tree.isExpanded(i) for i in visible(view) if view.tree.model().hasChildren(i))


def test_tab_indents_an_action_under_the_one_above_and_shift_tab_outdents(
    view: ActionPlanView, edits: Edits, workspace: Workspace, qtbot: QtBot, messages: Messages
) -> None:
    edits.add_action([rec_id("6")], "Design the audit", "ACO", date(2005, 9, 30))
    edits.add_action([rec_id("6")], "Pilot the audit", "ACO", date(2005, 8, 31))
    click(qtbot, view, row_named(view, "Pilot the audit"))

    qtbot.keyClick(view.tree, Qt.Key.Key_Tab)
    six = rec_row(view, "6")
    assert shape(view, six.parent())[5] == ("6", [("Design the audit", ["Pilot the audit"])])
    pilot = row_named(view, "Pilot the audit")
    assert view.tree.currentIndex() == pilot
    assert pilot.data(KindRole) == "milestone"
    assert cell(pilot, PlanColumn.DATE) == "31/08/2005"

    # the first action has nothing above it: a hint, nothing changes
    click(qtbot, view, row_named(view, "Design the audit"))
    depth = workspace.undo_stack.count()
    qtbot.keyClick(view.tree, Qt.Key.Key_Tab)
    assert "no action above" in messages[-1][1]
    assert workspace.undo_stack.count() == depth

    click(qtbot, view, row_named(view, "Pilot the audit"))
    qtbot.keyClick(view.tree, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert shape(view)[5] == ("6", ["Design the audit", "Pilot the audit"])
    pilot = row_named(view, "Pilot the audit")
    assert pilot.data(KindRole) == "action"
    assert view.tree.currentIndex() == pilot
    assert cell(pilot, PlanColumn.OWNER) == "ACO"

    workspace.undo_stack.undo()
    workspace.undo_stack.undo()
    assert shape(view)[5] == ("6", ["Design the audit", "Pilot the audit"])
    assert Milestone.select().count() == 0


def test_delete_asks_before_removing_an_action_with_milestones(
    view: ActionPlanView, edits: Edits, workspace: Workspace, qtbot: QtBot, messages: Messages
) -> None:
    action = edits.add_action([rec_id("3")], "Diversity action plan", "CO", date(2005, 10, 31))
    edits.add_milestone(action, "Draft to the Board", date(2005, 7, 31))
    click(qtbot, view, row_named(view, "Diversity action plan"))

    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)

    assert messages[-1][0] == "Delete action"
    assert "its 1 milestone" in messages[-1][1]
    assert shape(view)[2] == "3"
    assert view.tree.currentIndex() == rec_row(view, "3")
    workspace.undo_stack.undo()
    assert shape(view)[2] == ("3", [("Diversity action plan", ["Draft to the Board"])])


def test_override_rag_needs_a_reason_and_shows_as_overridden(
    view: ActionPlanView, edits: Edits, qtbot: QtBot, messages: Messages
) -> None:
    edits.add_action([rec_id("9")], "Cut waiting times", "Programmes manager", date(2005, 11, 30))
    click(qtbot, view, row_named(view, "Cut waiting times"))

    qtbot.keyClick(view.tree, Qt.Key.Key_O, CTRL_SHIFT)
    dialog = view.rag_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.choice.setCurrentText("Amber")
    dialog.accept()
    assert messages[-1] == (
        "Cannot override the RAG",
        "A RAG override needs a written reason; type why the status should be Amber.",
    )
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.reason, "Programme staff vacancies")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.rag_dialog is None)

    rag = row_named(view, "Cut waiting times").siblingAtColumn(PlanColumn.RAG)
    assert rag.data() == "Amber (overridden)"
    font = rag.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.italic()
    assert "Programme staff vacancies" in rag.data(Qt.ItemDataRole.ToolTipRole)
    assert "derived: Green" in rag.data(Qt.ItemDataRole.ToolTipRole)


def test_ctrl_l_lets_an_action_serve_another_recommendation(
    view: ActionPlanView, edits: Edits, workspace: Workspace, qtbot: QtBot
) -> None:
    edits.add_action([rec_id("7")], "Supervision plan audit", "SPO", date(2005, 9, 30))
    click(qtbot, view, row_named(view, "Supervision plan audit"))

    qtbot.keyClick(view.tree, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = view.recommendations_dialog
    assert dialog is not None
    dialog.list.setFocus()
    dialog.list.setCurrentRow(7)  # recommendation 8
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.recommendations_dialog is None)

    assert shape(view)[6:8] == [
        ("7", ["Supervision plan audit"]),
        ("8", ["Supervision plan audit"]),
    ]
    workspace.undo_stack.undo()
    assert shape(view)[6:8] == [("7", ["Supervision plan audit"]), "8"]


def test_select_item_reveals_a_milestone_the_filter_hid(view: ActionPlanView, edits: Edits) -> None:
    action = edits.add_action([rec_id("10")], "Victim contact checklist", "ACO", date(2005, 9, 1))
    milestone = edits.add_milestone(action, "Checklist issued", date(2005, 5, 20))
    view.set_filter(text="nothing matches this")
    assert visible(view) == []

    assert view.select_item("milestone", milestone)

    assert view.proxy.criteria() == PlanFilter()
    current = view.tree.currentIndex()
    assert cell(current, PlanColumn.ITEM) == "Checklist issued"
    assert cell(current, PlanColumn.RAG) == "Overdue"
    assert view.tree.isExpanded(current.parent())


def test_models_pass_the_model_tester(
    qtmodeltester: object, workspace: Workspace, edits: Edits
) -> None:
    first = edits.add_action([rec_id("1"), rec_id("2")], "Training plan", "HR", date(2005, 9, 30))
    edits.add_milestone(first, "Training needs analysis", date(2005, 5, 1))
    edits.add_milestone(first, "Plan costed", date(2005, 6, 10))
    edits.add_action([rec_id("T1")], "Accommodation database", "ACO", date(2005, 12, 1))
    model = PlanTreeModel(edits)
    model.set_plan(workspace.plan())
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    proxy = PlanFilterModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)  # type: ignore[attr-defined]
    proxy.set_criteria(PlanFilter(text="plan"))
    qtmodeltester.check(proxy)  # type: ignore[attr-defined]
    # an edit elsewhere changes values in place: no reset
    edits.update_action(first, {"owner": "HR ACO"}, None, "owner")
    assert model.set_plan(workspace.plan()) is False
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_the_view_renders(view: ActionPlanView, edits: Edits, qtbot: QtBot, tmp_path: Path) -> None:
    audit = edits.add_action([rec_id("6")], "Audit 20 risk of harm assessments a month",
                             "ACO Operations", date(2005, 9, 30))  # fmt: skip
    done = edits.add_milestone(audit, "Audit tool agreed", date(2005, 5, 15))
    edits.update_milestone(done, {"status": "Complete"}, None, "done")
    edits.add_milestone(audit, "First audit to the Board", date(2005, 6, 10))
    late = edits.add_action([rec_id("6"), rec_id("10")], "Risk of harm refresher training",
                            "Training manager", date(2005, 7, 31))  # fmt: skip
    edits.add_milestone(late, "Trainer booked", date(2005, 5, 1))
    green = edits.add_action([rec_id("7")], "Supervision plans countersigned", "SPO",
                             date(2005, 12, 1))  # fmt: skip
    edits.update_action(green, {"rag_override": "Amber", "rag_override_reason": "Staffing"},
                        None, "override")  # fmt: skip
    complete = edits.add_action([rec_id("8")], "National standards briefing", "ACO",
                                date(2005, 4, 1))  # fmt: skip
    step = edits.add_milestone(complete, "Briefing given", date(2005, 4, 1))
    edits.update_milestone(step, {"status": "Complete", "completed_on": date(2005, 3, 30)},
                           None, "done")  # fmt: skip
    view.tree.scrollTo(rec_row(view, "6"), QAbstractItemView.ScrollHint.PositionAtTop)
    image = view.grab().toImage()
    path = tmp_path / "action-plan.png"
    assert image.save(str(path))
    colours = {
        image.pixel(x, y) for y in range(0, image.height(), 4) for x in range(0, image.width(), 4)
    }
    assert len(colours) > 20


def test_folding_and_cursor_stay_when_rows_come_and_go(
    view: ActionPlanView, edits: Edits, workspace: Workspace, qtbot: QtBot
) -> None:
    edits.add_action([rec_id("7")], "Supervision plan audit", "SPO", date(2005, 9, 30))
    seven = rec_row(view, "7")
    assert view.tree.isExpanded(seven)
    click(qtbot, view, seven)
    qtbot.keyClick(view.tree, Qt.Key.Key_Left)  # folds the recommendation
    assert not view.tree.isExpanded(rec_row(view, "7"))

    edits.add_action([rec_id("6")], "Audit risk of harm assessments", "ACO", date(2005, 9, 30))
    edits.add_milestone(
        workspace.plan().recommendation(rec_id("6")).action_ids[0],  # type: ignore[union-attr]
        "Audit tool agreed",
        date(2005, 8, 1),
    )

    assert not view.tree.isExpanded(rec_row(view, "7"))
    assert view.tree.isExpanded(row_named(view, "Audit risk of harm assessments"))
    assert view.tree.currentIndex() == rec_row(view, "7")
    workspace.undo_stack.undo()
    workspace.undo_stack.undo()
    assert not view.tree.isExpanded(rec_row(view, "7"))
    assert view.tree.currentIndex() == rec_row(view, "7")


@pytest.mark.parametrize(
    ("start", "typed", "expected"),
    [
        (date(2006, 1, 1), "30/09/2005", date(2005, 9, 30)),
        (date(2005, 9, 30), "31/12/2004", date(2004, 12, 31)),  # 31 in a 30-day month
        (date(2006, 1, 1), "1/9/2005", date(2005, 9, 1)),
        (date(2006, 1, 1), "31.1.2006", date(2006, 1, 31)),
        (date(2006, 1, 1), "10062005", date(2005, 6, 10)),
    ],
)
@pytest.mark.qt_log_ignore("does not support raise")
def test_the_date_editor_takes_dates_typed_day_first(
    qtbot: QtBot, start: date, typed: str, expected: date
) -> None:
    edit = DateField(compact=True)
    qtbot.addWidget(edit)
    edit.setDate(start)
    edit.show()
    qtbot.waitExposed(edit)
    edit.activateWindow()
    qtbot.waitUntil(edit.isActiveWindow)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.select_all()
    qtbot.keyClicks(edit, typed)
    assert edit.date() == expected
    assert edit.text() == typed  # the text stays as typed; the words say what it means
    assert edit.toolTip() == date_in_words(expected)


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
def test_the_context_menu_marks_an_action_at_risk_with_a_reason(
    view: ActionPlanView, edits: Edits, qtbot: QtBot, messages: Messages
) -> None:
    action_id = edits.add_action(
        [rec_id("5")], "Revise SPO role profiles", "ACO", date(2005, 12, 1)
    )
    action = row_named(view, "Revise SPO role profiles")
    click(qtbot, view, action)
    assert cell(action, PlanColumn.RAG) == "Green"

    view.tree.customContextMenuRequested.emit(view.tree.visualRect(action).center())
    menu = view.context_menu
    assert menu is not None
    entries = {a.text(): a for a in menu.actions() if not a.isSeparator()}
    assert list(entries) == [
        "Add action", "Add milestone", "Delete", "Indent", "Outdent",
        "Also serves recommendation…", "Criteria…", "Override RAG…", "Mark at risk…",
        "Evidence note…",
    ]  # fmt: skip
    assert all(not a.shortcut().isEmpty() for a in entries.values())
    assert not entries["Indent"].isEnabled()  # nothing above it
    menu.close()
    entries["Mark at risk…"].trigger()

    dialog = view.at_risk_dialog
    assert dialog is not None
    dialog.accept()
    assert messages[-1] == (
        "Cannot mark the action at risk",
        "Marking an action at risk needs a reason; type what puts it at risk.",
    )
    qtbot.keyClicks(dialog.reason, "Consultation with staff side not yet agreed")
    dialog.accept()
    qtbot.waitUntil(lambda: view.at_risk_dialog is None)
    action = row_named(view, "Revise SPO role profiles")
    assert cell(action, PlanColumn.RAG) == "Amber"
    assert "staff side" in action.siblingAtColumn(PlanColumn.RAG).data(Qt.ItemDataRole.ToolTipRole)
    assert Action.get_by_id(action_id).at_risk


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_an_edit_of_a_row_someone_else_changed_is_refused_and_the_view_catches_up(
    view: ActionPlanView, edits: Edits, qtbot: QtBot, messages: Messages
) -> None:
    from esi_desktop import plan

    action_id = edits.add_action([rec_id("4")], "Policy review timetable", "ACO", date(2005, 9, 1))
    plan.update_action(action_id=action_id, changes={"owner": "Policy officer"})  # elsewhere

    edit_cell(qtbot, view, row_named(view, "Policy review timetable"), PlanColumn.OWNER, "CO")

    qtbot.waitUntil(lambda: len(messages) == 1)
    assert messages[0][0] == "Cannot change the owner"
    assert "changed by someone else" in messages[0][1]
    assert cell(row_named(view, "Policy review timetable"), PlanColumn.OWNER) == "Policy officer"


def test_ctrl_tab_leaves_the_tree_for_the_next_control(view: ActionPlanView, qtbot: QtBot) -> None:
    click(qtbot, view, rec_row(view, "1"))
    view.tree.setFocus()
    qtbot.keyClick(view.tree, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert not view.tree.hasFocus()
    assert view.filter_edit.accessibleName() == "Filter by text or owner"
    assert view.tree.accessibleName() == "Action plan tree"


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
def test_a_choice_is_final_when_picked_from_the_list_not_while_arrowing(qtbot: QtBot) -> None:
    box = ChoiceBox()
    box.addItems(["Not started", "In progress", "Complete"])
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    picked: list[str] = []
    box.picked.connect(lambda: picked.append(box.currentText()))

    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert box.currentText() == "In progress" and picked == []

    box.showPopup()
    box.view().setCurrentIndex(box.model().index(2, 0))
    qtbot.keyClick(box.view(), Qt.Key.Key_Return)
    assert picked == ["Complete"]


def test_the_tree_keeps_its_keys_when_the_window_uses_them_too(
    qtbot: QtBot, workspace: Workspace, edits: Edits, messages: Messages
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    sent: list[bool] = []
    mark_sent = QAction("Mark plan as sent…", window)
    mark_sent.setShortcut(QKeySequence("Ctrl+Shift+M"))
    mark_sent.triggered.connect(lambda: sent.append(True))
    window.addAction(mark_sent)
    view = ActionPlanView(workspace, edits)
    window.setCentralWidget(view)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    edits.add_action([rec_id("6")], "Audit the audits", "ACO", date(2005, 9, 30))
    click(qtbot, view, row_named(view, "Audit the audits"))

    qtbot.keyClick(view.tree, Qt.Key.Key_M, CTRL_SHIFT)

    type_into(qtbot, view, "Audit tool agreed")
    assert children_of(view, row_named(view, "Audit the audits")) == ["Audit tool agreed"]
    assert sent == []
    assert window.statusBar().currentMessage() == ""
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    assert children_of(view, row_named(view, "Audit the audits")) == []
    assert "Undo" in window.statusBar().currentMessage()  # hints go to the status bar
