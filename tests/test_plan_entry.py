"""Issue 12 §4: what can be seen can be entered, and what is entered is checked.

The milestone's evidence note and an action's criteria are entered in the window (undoable,
versioned); criterion codes are checked against the inspection's frameworks; a new action
takes its own recommendation's lead owner, never another's; a Not agreed response asks for
its reason, not how and when.
"""

from __future__ import annotations

from datetime import date

import peewee
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QPlainTextEdit
from pytestqt.qtbot import QtBot

from db.models import Action, ActionCriterion, Milestone, RecommendationCriterion
from esi_desktop import plan
from esi_desktop.errors import ValidationError
from tests.test_plan_view import (
    Messages,
    PlanColumn,
    cell,
    click,
    rec_id,
    rec_row,
    row_named,
)
from ui.edits import Edits
from ui.plan.view import ActionPlanView
from ui.workspace import Workspace

TODAY = date(2005, 6, 1)


# ----- criterion codes are checked ----------------------------------------------------------


def test_a_code_no_framework_has_is_refused_naming_the_codes(
    workspace: Workspace, edits: Edits
) -> None:
    with pytest.raises(ValidationError) as caught:
        plan.set_recommendation_criteria(
            recommendation_id=rec_id("6"), criteria=[("esi-core", "B1"), ("esi-core", "Z9")]
        )
    message = str(caught.value)
    assert "Z9" in message and "B1" in message and "D4" in message
    assert {r.code for r in RecommendationCriterion.select().where(
        RecommendationCriterion.recommendation == rec_id("6"))} == {"B1", "C2", "C5"}  # fmt: skip
    action_id = plan.add_action(inspection_id=workspace.inspection_id or 0,
                                recommendation_ids=[rec_id("6")], text="Audit",
                                owner="ACO", target_date=date(2005, 9, 30))  # fmt: skip
    with pytest.raises(ValidationError, match="Z9"):
        plan.set_action_criteria(action_id=action_id, criteria=[("esi-core", "Z9")])
    with pytest.raises(ValidationError, match="no-such-framework"):
        plan.set_action_criteria(action_id=action_id, criteria=[("no-such-framework", "B1")])
    assert ActionCriterion.select().count() == 0
    plan.set_action_criteria(action_id=action_id, criteria=[("esi-core", "B1")])
    assert [c.code for c in ActionCriterion.select()] == ["B1"]


# ----- the evidence note --------------------------------------------------------------------


def _dialog(qtbot: QtBot) -> QDialog:
    found: list[QDialog] = []

    def shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets()
                    if isinstance(w, QDialog) and w.isVisible()]  # fmt: skip
        return bool(found)

    qtbot.waitUntil(shown)
    return found[0]


def test_the_evidence_note_is_typed_in_the_window_and_undone(
    view: ActionPlanView, workspace: Workspace, edits: Edits, qtbot: QtBot
) -> None:
    action_id = edits.add_action([rec_id("6")], "Audit risk of harm", "ACO", date(2005, 9, 30))
    milestone_id = edits.add_milestone(action_id, "Audit tool agreed", date(2005, 7, 1))
    view.tree.expandAll()
    click(qtbot, view, row_named(view, "Audit tool agreed"))
    assert view.evidence_act.isEnabled()
    # named apart from Edit ▸ Evidence of the selected item… (the files)
    assert view.evidence_act.text() == "Evidence note…"
    qtbot.keyClick(view.tree, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    dialog = _dialog(qtbot)
    assert dialog.windowTitle() == "Evidence note"
    box = dialog.findChild(QPlainTextEdit)
    assert box is not None
    qtbot.waitUntil(box.hasFocus)  # the cursor waits in the note
    qtbot.keyClicks(box, "Tool approved by SMT, minute 4.2")
    dialog.accept()
    assert Milestone.get_by_id(milestone_id).evidence == "Tool approved by SMT, minute 4.2"
    milestone = row_named(view, "Audit tool agreed")
    assert "Evidence: Tool approved by SMT" in milestone.data(Qt.ItemDataRole.ToolTipRole)
    version = Milestone.get_by_id(milestone_id).version
    workspace.undo_stack.undo()
    assert Milestone.get_by_id(milestone_id).evidence == ""
    assert Milestone.get_by_id(milestone_id).version == version + 1  # versioned like the rest
    workspace.undo_stack.redo()
    assert Milestone.get_by_id(milestone_id).evidence == "Tool approved by SMT, minute 4.2"


def test_the_evidence_command_needs_a_milestone(
    view: ActionPlanView, edits: Edits, qtbot: QtBot
) -> None:
    edits.add_action([rec_id("6")], "Audit risk of harm", "ACO", date(2005, 9, 30))
    click(qtbot, view, row_named(view, "Audit risk of harm"))
    assert not view.evidence_act.isEnabled()


# ----- an action's criteria -----------------------------------------------------------------


def test_an_actions_criteria_are_ticked_in_a_dialog_and_undone(
    view: ActionPlanView, workspace: Workspace, edits: Edits, qtbot: QtBot
) -> None:
    action_id = edits.add_action([rec_id("6")], "Audit risk of harm", "ACO", date(2005, 9, 30))
    click(qtbot, view, row_named(view, "Audit risk of harm"))
    assert view.criteria_act.isEnabled()
    qtbot.keyClick(view.tree, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    dialog = _dialog(qtbot)
    texts = dialog.list.item(0).text(), [dialog.list.item(i).text()
                                         for i in range(dialog.list.count())]  # fmt: skip
    assert "B1  Assessment of risk of harm — 46%" in texts[1]
    # the recommendation's criteria are offered first as a starting point: none ticked yet
    assert dialog.chosen() == set()
    b1 = texts[1].index("B1  Assessment of risk of harm — 46%")
    dialog.list.setCurrentRow(b1)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
    c5 = next(i for i, t in enumerate(texts[1]) if t.startswith("C5  "))
    dialog.list.setCurrentRow(c5)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    codes = {c.code for c in ActionCriterion.select().where(ActionCriterion.action == action_id)}
    assert codes == {"B1", "C5"}
    action = row_named(view, "Audit risk of harm")
    assert "Targets B1, C5" in action.data(Qt.ItemDataRole.ToolTipRole)
    workspace.undo_stack.undo()
    assert ActionCriterion.select().where(ActionCriterion.action == action_id).count() == 0


# ----- the owner of a new action ------------------------------------------------------------


def test_a_new_action_takes_its_own_recommendations_lead_owner_or_none(
    view: ActionPlanView, edits: Edits, qtbot: QtBot, messages: Messages
) -> None:
    plan.save_response(recommendation_id=rec_id("6"), category="Agreed",
                       narrative="Audits monthly.", part_agreed="", reason="",
                       lead_owner="ACO Operations")  # fmt: skip
    edits.add_action([rec_id("1")], "Training plan", "Head of Learning", date(2005, 9, 30))
    # recommendation 7 has no lead owner: the new action's owner is left empty, to be typed
    click(qtbot, view, rec_row(view, "7"))
    qtbot.keyClick(view.tree, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    qtbot.keyClicks(view.tree.focusWidget(), "Review supervision plans")
    qtbot.keyClick(view.tree.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: Action.select().where(Action.text == "Review supervision plans")
                    .exists())  # fmt: skip
    new = Action.get(Action.text == "Review supervision plans")
    assert new.owner == ""
    assert messages == []
    shown = row_named(view, "Review supervision plans")
    assert cell(shown, PlanColumn.OWNER) == ""
    # recommendation 6 has one: it is the default
    click(qtbot, view, rec_row(view, "6"))
    qtbot.keyClick(view.tree, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    qtbot.keyClicks(view.tree.focusWidget(), "Audit monthly")
    qtbot.keyClick(view.tree.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: Action.select().where(Action.text == "Audit monthly").exists())
    assert Action.get(Action.text == "Audit monthly").owner == "ACO Operations"


def test_an_action_may_wait_for_its_owner_but_the_documents_say_so(
    workspace: Workspace,
) -> None:
    from esi_desktop.export.completeness import missing_items

    action_id = plan.add_action(inspection_id=workspace.inspection_id or 0,
                                recommendation_ids=[rec_id("6")], text="Audit", owner="",
                                target_date=date(2005, 9, 30))  # fmt: skip
    assert Action.get_by_id(action_id).owner == ""
    view = workspace.plan()
    assert view is not None
    assert any("has no owner" in m.message for m in missing_items(view))
    plan.update_action(action_id=action_id, changes={"owner": "ACO Operations"})
    # cleared again (or an undo back to none): it waits for its owner once more
    plan.update_action(action_id=action_id, changes={"owner": "  "})
    assert Action.get_by_id(action_id).owner == ""


@pytest.fixture
def workspace(qtbot: QtBot, sample_db: peewee.Database) -> Workspace:
    from esi_desktop.inspections import list_inspections

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
