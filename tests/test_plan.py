"""Plan use cases and their undo through the workspace's stack."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from fractions import Fraction

import peewee
import pytest
from pytestqt.qtbot import QtBot

from db.models import Action, ActionRecommendation, BoardResponse, Milestone, Recommendation
from esi_desktop import plan
from esi_desktop.errors import ValidationError
from esi_desktop.inspections import list_inspections
from esi_desktop.plan import ConflictError
from esi_desktop.rules import Rag
from ui.edits import Edits
from ui.workspace import Workspace

TODAY = date(2005, 6, 1)


@pytest.fixture
def workspace(qtbot: QtBot, any_sample_db: peewee.Database) -> Iterator[Workspace]:
    ws = Workspace(today=lambda: TODAY)
    ws.set_inspection(list_inspections()[0].id)
    yield ws


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


def test_action_with_milestones_gives_progress_and_rag(workspace: Workspace) -> None:
    edits = Edits(workspace)
    action_id = edits.add_action([rec_id("6")], "Audit 20 risk of harm assessments a month",
                                 "ACO Operations", date(2005, 9, 30))  # fmt: skip
    first = edits.add_milestone(action_id, "Audit tool agreed", date(2005, 5, 15))
    edits.add_milestone(action_id, "First audit to the Board", date(2005, 7, 30))
    view = workspace.plan()
    assert view is not None
    action = view.actions[action_id]
    assert action.progress == 0 and action.rag is Rag.RED  # first milestone overdue
    edits.update_milestone(first, {"status": "Complete"}, None, "Complete milestone")
    view = workspace.plan()
    assert view is not None
    action = view.actions[action_id]
    assert action.progress == Fraction(1, 2)
    assert action.rag is Rag.GREEN
    assert Milestone.get_by_id(first).completed_on == TODAY
    six = view.recommendation(rec_id("6"))
    assert six.progress == Fraction(1, 2) and six.rag is Rag.GREEN
    assert view.recommendation(rec_id("7")).rag is None


def test_undo_and_redo_bring_back_exactly_what_was_there(workspace: Workspace) -> None:
    edits = Edits(workspace)
    action_id = edits.add_action([rec_id("1"), rec_id("2")], "Costed training plan", "HR ACO",
                                 date(2005, 12, 31))  # fmt: skip
    milestone_id = edits.add_milestone(action_id, "Draft to Board", date(2005, 8, 1))
    edits.delete_action(action_id)
    assert Action.select().count() == 0 and Milestone.select().count() == 0
    workspace.undo_stack.undo()
    assert Action.get_by_id(action_id).text == "Costed training plan"
    assert Milestone.get_by_id(milestone_id).title == "Draft to Board"
    assert ActionRecommendation.select().count() == 2
    workspace.undo_stack.redo()
    assert Action.select().count() == 0
    workspace.undo_stack.undo()
    workspace.undo_stack.undo()  # the milestone's addition
    assert Milestone.select().count() == 0
    workspace.undo_stack.undo()  # the action's addition
    assert Action.select().count() == 0
    workspace.undo_stack.redo()
    assert Action.get_by_id(action_id).owner == "HR ACO"


def test_partly_agreed_needs_its_explanations(workspace: Workspace) -> None:
    seven = rec_id("7")
    values = {"category": "Partly agreed", "narrative": "Plans reviewed monthly.",
              "part_agreed": "", "reason": ""}  # fmt: skip
    # the use case on its own (the command line, a script) refuses an incomplete response
    with pytest.raises(ValidationError, match="must say which part") as caught:
        plan.save_response(recommendation_id=seven, **values)
    assert caught.value.field == "part_agreed"
    assert BoardResponse.select().count() == 0


def test_an_incomplete_response_is_kept_as_a_draft_never_as_the_response(
    workspace: Workspace,
) -> None:
    edits = Edits(workspace)
    seven = rec_id("7")
    values = {"category": "Partly agreed", "narrative": "Plans reviewed monthly.",
              "part_agreed": "Community orders", "reason": ""}  # fmt: skip
    edits.save_response(seven, values, None)
    view = workspace.plan()
    assert view is not None
    recommendation = view.recommendation(seven)
    assert recommendation.response is None and recommendation.category is None
    assert recommendation.draft is not None
    assert recommendation.draft.part_agreed == "Community orders"
    assert recommendation.draft.draft_label == "Draft — needs: why the rest is not agreed"
    values |= {"reason": "Licences are the prison's."}
    edits.save_response(seven, values, recommendation.response_version)
    view = workspace.plan()
    assert view is not None
    assert view.recommendation(seven).category == "Partly agreed"
    assert view.recommendation(seven).draft is None
    workspace.undo_stack.undo()
    view = workspace.plan()
    assert view is not None
    assert view.recommendation(seven).response is None
    assert view.recommendation(seven).draft is not None
    workspace.undo_stack.undo()
    assert BoardResponse.get().category is None
    view = workspace.plan()
    assert view is not None
    assert view.recommendation(seven).stored_response is None


def test_stale_edit_is_a_conflict_not_a_lost_update(workspace: Workspace) -> None:
    edits = Edits(workspace)
    action_id = edits.add_action([rec_id("8")], "Contact audit", "SPO", date(2005, 10, 1))
    stale_version = Action.get_by_id(action_id).version
    plan.update_action(
        action_id=action_id, changes={"owner": "ACO"}, expected_version=stale_version
    )
    with pytest.raises(ConflictError, match="changed by someone else") as caught:
        edits.update_action(action_id, {"owner": "Deputy CO"}, stale_version, "Owner")
    assert caught.value.current == {"owner": "ACO"}
    assert Action.get_by_id(action_id).owner == "ACO"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"target_date": date(2004, 12, 31)}, "target_date", "before the report was published"),
        ({"owner": 7}, "owner", "must be a name"),
        ({"text": ""}, "text", "cannot be empty"),
        ({"rag_override": "Red"}, "rag_override_reason", "needs a written reason"),
        ({"at_risk": True}, "at_risk_reason", "needs a reason"),
    ],
)
def test_bad_action_values_are_refused_and_nothing_is_written(
    workspace: Workspace, changes: dict[str, object], field: str, message: str
) -> None:
    edits = Edits(workspace)
    action_id = edits.add_action([rec_id("9")], "Cut waiting times", "Programmes manager",
                                 date(2005, 11, 30))  # fmt: skip
    before = Action.get_by_id(action_id).__data__.copy()
    with pytest.raises(ValidationError, match=message) as caught:
        edits.update_action(action_id, changes, None, "Edit")
    assert caught.value.field == field
    assert Action.get_by_id(action_id).__data__ == before


def test_override_shows_and_is_undoable(workspace: Workspace) -> None:
    edits = Edits(workspace)
    action_id = edits.add_action([rec_id("10")], "Victim awareness", "SPO", date(2005, 12, 1))
    edits.update_action(action_id, {"rag_override": "Amber", "rag_override_reason": "Staff off"},
                        None, "Override RAG")  # fmt: skip
    view = workspace.plan()
    assert view is not None
    assert view.actions[action_id].rag is Rag.AMBER
    assert view.actions[action_id].derived_rag is Rag.GREEN
    workspace.undo_stack.undo()
    view = workspace.plan()
    assert view is not None and view.actions[action_id].rag_override is None


def test_indent_and_outdent_round_trip(workspace: Workspace) -> None:
    edits = Edits(workspace)
    parent = edits.add_action([rec_id("5")], "Senior practitioner roles", "ACO", date(2005, 10, 1))
    child = edits.add_action([rec_id("5")], "Recruit two SPs", "ACO", date(2005, 7, 1))
    milestone_id = edits.indent_action(child, parent)
    assert Milestone.get_by_id(milestone_id).title == "Recruit two SPs"
    assert Action.get_or_none(Action.id == child) is None
    workspace.undo_stack.undo()
    assert Action.get_by_id(child).text == "Recruit two SPs"
    assert Milestone.select().count() == 0
    workspace.undo_stack.redo()
    assert Milestone.get_by_id(milestone_id).action.id == parent
    new_action = edits.outdent_milestone(milestone_id)
    assert Action.get_by_id(new_action).target_date == date(2005, 7, 1)
    assert [link.recommendation.reference for link in ActionRecommendation.select().where(
        ActionRecommendation.action == new_action)] == ["5"]  # fmt: skip


def test_board_meetings_and_follow_up(workspace: Workspace) -> None:
    edits = Edits(workspace)
    edits.add_board_meeting(date(2005, 3, 24))
    with pytest.raises(ValidationError, match="already in the list"):
        edits.add_board_meeting(date(2005, 3, 24))
    assert plan.board_meetings(inspection_id=workspace.inspection_id or 0) == [date(2005, 3, 24)]
    edits.set_follow_up(date(2005, 10, 10), "Scheduled", None)
    edits.set_follow_up_result("esi-core", "B1", 70)
    with pytest.raises(ValidationError, match="from 0 to 100"):
        edits.set_follow_up_result("esi-core", "B1", 170)
    workspace.undo_stack.undo()
    workspace.undo_stack.undo()
    from esi_desktop.follow_up import get_follow_up
    from esi_desktop.inspections import stored_results

    assert stored_results(inspection_id=workspace.inspection_id or 0, round=1) == {}
    assert get_follow_up(inspection_id=workspace.inspection_id or 0).status == "Not yet scheduled"


def test_link_undo_only_removes_what_it_made(workspace: Workspace) -> None:
    edits = Edits(workspace)
    action_id = edits.add_action([rec_id("6"), rec_id("7")], "Plan audit", "SPO", date(2005, 9, 1))

    def served() -> set[str]:
        return {
            link.recommendation.reference
            for link in ActionRecommendation.select().where(
                ActionRecommendation.action == action_id
            )
        }

    edits.link_action(action_id, rec_id("7"))  # already served: nothing to undo
    workspace.undo_stack.undo()
    assert served() == {"6", "7"}
    edits.unlink_action(action_id, rec_id("8"))  # never served
    workspace.undo_stack.undo()
    assert served() == {"6", "7"}
    edits.unlink_action(action_id, rec_id("7"))
    assert served() == {"6"}
    workspace.undo_stack.undo()
    assert served() == {"6", "7"}


def test_completion_date_needs_a_complete_milestone(workspace: Workspace) -> None:
    edits = Edits(workspace)
    action_id = edits.add_action([rec_id("3")], "Diversity plan", "CO", date(2005, 9, 1))
    milestone_id = edits.add_milestone(action_id, "Draft", date(2005, 5, 1))
    with pytest.raises(ValidationError, match="only recorded for a complete milestone"):
        edits.update_milestone(milestone_id, {"completed_on": date(2005, 4, 1)}, None, "Date")
    assert Milestone.get_by_id(milestone_id).completed_on is None
    with pytest.raises(ValidationError, match="cannot become a milestone of itself"):
        edits.indent_action(action_id, action_id)


def test_typing_the_title_of_a_new_row_is_part_of_adding_it(workspace: Workspace) -> None:
    edits = Edits(workspace)
    action_id = edits.add_action([rec_id("4")], "New action", "CO", date(2005, 12, 1))
    edits.update_action(action_id, {"text": "Review every policy"}, None, "Edit action")
    milestone_id = edits.add_milestone(action_id, "New milestone", date(2005, 6, 30))
    edits.update_milestone(milestone_id, {"title": "List the policies"}, None, "Edit milestone")
    edits.update_milestone(milestone_id, {"title": "List all policies"}, None, "Edit milestone")
    assert workspace.undo_stack.count() == 3  # add action, add milestone, the later retitle
    workspace.undo_stack.undo()
    assert Milestone.get_by_id(milestone_id).title == "List the policies"
    workspace.undo_stack.undo()
    assert Milestone.select().count() == 0
    workspace.undo_stack.redo()
    assert Milestone.get_by_id(milestone_id).title == "List the policies"
    workspace.undo_stack.undo()
    workspace.undo_stack.undo()
    assert Action.select().count() == 0
    workspace.undo_stack.redo()
    assert Action.get_by_id(action_id).text == "Review every policy"
