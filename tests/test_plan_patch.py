"""An edit reads again only the rows it touched, and the views update just those rows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import peewee
import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from db.models import Action, Recommendation
from esi_desktop import plan
from esi_desktop.inspections import list_inspections
from esi_desktop.plan import PlanChange, PlanView
from esi_desktop.plan.read import load_plan
from esi_desktop.wording import ACTION, MILESTONE
from ui.edits import Edits
from ui.plan.columns import ItemIdRole, KindRole, PlanColumn
from ui.plan.view import ActionPlanView
from ui.workspace import Workspace

TODAY = date(2005, 6, 1)


@pytest.fixture
def workspace(qtbot: QtBot, sample_db: peewee.Database) -> Workspace:
    ws = Workspace(today=lambda: TODAY)
    ws.set_inspection(list_inspections()[0].id)
    return ws


@pytest.fixture
def edits(workspace: Workspace) -> Edits:
    return Edits(workspace)


@pytest.fixture
def view(qtbot: QtBot, workspace: Workspace, edits: Edits) -> ActionPlanView:
    widget = ActionPlanView(workspace, edits)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def no_whole_reads(monkeypatch: pytest.MonkeyPatch, workspace: Workspace) -> Iterator[list[int]]:
    """Counts the whole-plan reads the workspace makes (after its first)."""
    workspace.plan()
    reads: list[int] = []
    load = plan.load_plan

    def counted(**kwargs: Any) -> PlanView:
        reads.append(kwargs["inspection_id"])
        return load(**kwargs)

    monkeypatch.setattr(plan, "load_plan", counted)
    yield reads


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


def assert_as_read_whole(workspace: Workspace) -> None:
    """The patched plan is the plan read whole, in the same order."""
    patched = workspace.plan()
    assert patched is not None and workspace.inspection_id is not None
    whole = load_plan(inspection_id=workspace.inspection_id, today=TODAY)
    assert patched == whole
    assert list(patched.actions) == list(whole.actions)


class Signals:
    """What a model told its views."""

    def __init__(self, model: Any) -> None:
        self.resets = 0
        self.changed: list[QModelIndex] = []
        self.inserted: list[tuple[QModelIndex, int, int]] = []
        self.removed: list[tuple[QModelIndex, int, int]] = []
        model.modelReset.connect(self._reset)
        model.dataChanged.connect(lambda first, _last, _roles=(): self.changed.append(first))
        model.rowsInserted.connect(lambda p, a, b: self.inserted.append((p, a, b)))
        model.rowsRemoved.connect(lambda p, a, b: self.removed.append((p, a, b)))

    def _reset(self) -> None:
        self.resets += 1

    def changed_items(self) -> set[tuple[str, int]]:
        return {(i.data(KindRole), i.data(ItemIdRole)) for i in self.changed}


# ----- the read model -----------------------------------------------------------------------


def test_each_kind_of_edit_and_its_undo_leaves_the_plan_as_read_whole(
    workspace: Workspace, edits: Edits, no_whole_reads: list[int]
) -> None:
    six, seven = rec_id("6"), rec_id("7")
    action_id = edits.add_action([six], "Audit supervision plans", "ACO", date(2005, 9, 30))
    assert_as_read_whole(workspace)
    first = edits.add_milestone(action_id, "Choose cases", date(2005, 7, 1))
    second = edits.add_milestone(action_id, "Report", date(2005, 8, 1))
    assert_as_read_whole(workspace)
    edits.update_milestone(first, {"status": "Complete"}, None, "Complete milestone")
    assert_as_read_whole(workspace)
    edits.update_action(action_id, {"owner": "Chief Officer"}, None, "Change owner")
    edits.link_action(action_id, seven)
    assert_as_read_whole(workspace)
    edits.unlink_action(action_id, seven)
    edits.save_response(six, {"category": "Agreed", "narrative": "Yes.", "part_agreed": "",
                              "reason": "", "lead_owner": "ACO"}, None)  # fmt: skip
    assert_as_read_whole(workspace)
    new_action = edits.outdent_milestone(second)
    assert new_action in (workspace.plan() or pytest.fail()).actions
    assert_as_read_whole(workspace)
    edits.indent_action(new_action, action_id)
    assert_as_read_whole(workspace)
    edits.delete_milestone(first)
    assert_as_read_whole(workspace)
    edits.delete_action(action_id)
    assert_as_read_whole(workspace)
    stack = workspace.undo_stack
    while stack.canUndo():
        stack.undo()
        assert_as_read_whole(workspace)
    while stack.canRedo():
        stack.redo()
        assert_as_read_whole(workspace)
    assert no_whole_reads == []  # every one read only what it touched


def test_an_edit_of_nothing_in_the_plan_reads_nothing_again(
    workspace: Workspace, edits: Edits, no_whole_reads: list[int]
) -> None:
    before = workspace.plan()
    edits.add_board_meeting(date(2005, 7, 14))
    assert workspace.plan() == before
    assert no_whole_reads == []


def test_another_day_reads_the_whole_plan_again(
    workspace: Workspace, no_whole_reads: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    changes: list[PlanChange] = []
    workspace.patched.connect(changes.append)
    monkeypatch.setattr(workspace, "today", lambda: date(2005, 6, 2))
    Edits(workspace).add_board_meeting(date(2005, 7, 14))  # overdue counts from today
    plan_now = workspace.plan()
    assert plan_now is not None and plan_now.today == date(2005, 6, 2)
    assert [change.whole for change in changes] == [True]


# ----- the plan's tree model ----------------------------------------------------------------


def milestone_index(view: ActionPlanView, milestone_id: int, column: int) -> QModelIndex:
    index = view.model.first_index_of(MILESTONE, milestone_id, column)
    assert index.isValid()
    return view.proxy.mapFromSource(index)


def test_a_status_edit_updates_its_rows_without_a_reset(
    view: ActionPlanView, edits: Edits, qtmodeltester: Any, no_whole_reads: list[int]
) -> None:
    qtmodeltester.check(view.model)
    action_id = edits.add_action([rec_id("6")], "Audit", "ACO", date(2005, 9, 30))
    milestone_id = edits.add_milestone(action_id, "Choose cases", date(2005, 7, 1))
    elsewhere = edits.add_action([rec_id("7")], "Train", "ACO", date(2005, 9, 30))
    other = edits.add_milestone(elsewhere, "Book the room", date(2005, 7, 1))
    signals = Signals(view.model)
    index = milestone_index(view, milestone_id, PlanColumn.STATUS)
    assert view.proxy.setData(index, "Complete", Qt.ItemDataRole.EditRole)
    assert signals.resets == 0
    assert signals.inserted == [] and signals.removed == []
    changed = signals.changed_items()
    assert (MILESTONE, milestone_id) in changed
    assert (ACTION, action_id) in changed  # its progress and RAG follow
    assert ("recommendation", rec_id("6")) in changed
    assert (MILESTONE, other) not in changed  # nothing else is said to change
    assert index.data() == "Complete"
    action_row = view.model.first_index_of(ACTION, action_id, PlanColumn.PROGRESS)
    assert action_row.data() == "100%"
    assert no_whole_reads == []
    assert view.model.plan is view.workspace.plan()


def test_adding_and_deleting_rows_inserts_and_removes_them(
    view: ActionPlanView, edits: Edits, qtmodeltester: Any, no_whole_reads: list[int]
) -> None:
    qtmodeltester.check(view.model)
    signals = Signals(view.model)
    action_id = edits.add_action([rec_id("6")], "Audit", "ACO", date(2005, 9, 30))
    parent, first, last = signals.inserted[-1]
    assert parent.data(ItemIdRole) == rec_id("6") and first == last
    milestone_id = edits.add_milestone(action_id, "Choose cases", date(2005, 7, 1))
    parent, first, last = signals.inserted[-1]
    assert parent.data(ItemIdRole) == action_id and (first, last) == (0, 0)
    edits.delete_milestone(milestone_id)
    parent, first, last = signals.removed[-1]
    assert parent.data(ItemIdRole) == action_id and (first, last) == (0, 0)
    view.workspace.undo_stack.undo()  # the milestone comes back
    assert view.model.first_index_of(MILESTONE, milestone_id).isValid()
    assert signals.inserted[-1][0].data(ItemIdRole) == action_id
    edits.delete_action(action_id)
    assert not view.model.first_index_of(ACTION, action_id).isValid()
    view.workspace.undo_stack.undo()
    assert view.model.first_index_of(MILESTONE, milestone_id).isValid()
    assert signals.resets == 0
    assert no_whole_reads == []
    assert view.model.plan == load_plan(inspection_id=view.workspace.inspection_id or 0,
                                        today=TODAY)  # fmt: skip


def test_linking_an_action_shows_it_under_both_recommendations(
    view: ActionPlanView, edits: Edits, qtmodeltester: Any
) -> None:
    qtmodeltester.check(view.model)
    action_id = edits.add_action([rec_id("6")], "Audit", "ACO", date(2005, 9, 30))
    signals = Signals(view.model)
    edits.link_action(action_id, rec_id("7"))
    assert view.model.index_of_path((rec_id("7"), action_id)).isValid()
    assert signals.resets == 0
    edits.unlink_action(action_id, rec_id("7"))
    assert not view.model.index_of_path((rec_id("7"), action_id)).isValid()
    assert view.model.index_of_path((rec_id("6"), action_id)).isValid()
    assert signals.resets == 0


def test_the_filter_follows_a_patched_row(view: ActionPlanView, edits: Edits) -> None:
    action_id = edits.add_action([rec_id("6")], "Audit", "ACO", date(2005, 9, 30))
    view.set_filter(text="quarterly review")
    source = view.model.first_index_of(ACTION, action_id)
    assert not view.proxy.mapFromSource(source).isValid()
    edits.update_action(action_id, {"text": "Quarterly review"}, None, "Edit action text")
    assert view.proxy.mapFromSource(view.model.first_index_of(ACTION, action_id)).isValid()


def test_a_change_from_elsewhere_is_shown_by_a_whole_reload(
    view: ActionPlanView, edits: Edits
) -> None:
    action_id = plan.add_action(inspection_id=view.workspace.inspection_id or 0,
                                recommendation_ids=[rec_id("6")], text="Elsewhere", owner="",
                                target_date=date(2005, 9, 30))  # fmt: skip
    assert not view.model.first_index_of(ACTION, action_id).isValid()
    view.workspace.invalidate()
    assert view.model.first_index_of(ACTION, action_id).isValid()
    assert Action.get_by_id(action_id).text == "Elsewhere"


def test_a_view_that_missed_a_change_reloads_instead_of_patching(
    view: ActionPlanView, edits: Edits, workspace: Workspace
) -> None:
    action_id = edits.add_action([rec_id("6")], "Audit", "ACO", date(2005, 9, 30))
    other = edits.add_action([rec_id("7")], "Train", "ACO", date(2005, 9, 30))
    workspace.patched.disconnect(view._patched)  # the view misses the next change
    workspace.changed.disconnect(view.reload)
    milestone_id = edits.add_milestone(action_id, "Choose cases", date(2005, 7, 1))
    workspace.patched.connect(view._patched)
    workspace.changed.connect(view.reload)
    edits.update_action(other, {"owner": "Chief Officer"}, None, "Change owner")
    assert view.model.first_index_of(MILESTONE, milestone_id).isValid()
    assert view.model.plan is workspace.plan()


@pytest.mark.parametrize(
    ("live", "wanted"),
    [
        ([], [1, 2, 3]),
        ([1, 2, 3], []),
        ([1, 2, 3, 4, 5], [2, 4]),
        ([2, 4], [1, 2, 3, 4, 5]),
        ([1, 2, 3, 4], [1, 5, 6, 4, 7]),
        ([9, 1, 8, 2, 7], [0, 1, 2, 3]),
    ],
)
def test_the_runs_removed_then_inserted_turn_the_rows_into_those_wanted(
    live: list[int], wanted: list[int]
) -> None:
    """The one rule the plan model's patch and the filter share: remove the runs that go,
    last first, then insert the runs that come, first first."""
    from ui.plan.nodes import insertion_runs, removal_runs

    rows = list(live)
    for start, end in removal_runs(rows, set(wanted)):
        del rows[start : end + 1]
    for start, stop in insertion_runs(wanted, set(rows)):
        rows[start:start] = wanted[start:stop]
    assert rows == wanted
