"""What keeps one edit of a large plan fast without changing what it shows: the re-read's SQL
built once per query shape, and the evidence counts read again only when they can change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import peewee
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot

from db.models import BoardResponse, Recommendation, as_dicts, as_tuples, database_proxy
from esi_desktop import plan
from esi_desktop.inspections import list_inspections
from esi_desktop.plan import PlanChange, fetch
from esi_desktop.plan.read import load_plan
from esi_desktop.wording import ACTION, MILESTONE, RECOMMENDATION
from ui.edits import Edits
from ui.plan import view as plan_view_module
from ui.plan.columns import ItemIdRole, KindRole, PlanColumn
from ui.plan.view import ActionPlanView
from ui.workspace import Workspace

TODAY = date(2005, 6, 1)


@pytest.fixture
def workspace(qtbot: QtBot, any_sample_db: peewee.Database) -> Workspace:
    ws = Workspace(today=lambda: TODAY)
    ws.set_inspection(list_inspections()[0].id)
    return ws


@pytest.fixture
def edits(workspace: Workspace) -> Edits:
    return Edits(workspace)


@pytest.fixture
def items(edits: Edits) -> tuple[int, int, int]:
    """Recommendation 6 with an action (AP1) and its milestone (AP1.1)."""
    six = int(Recommendation.get(Recommendation.reference == "6").id)
    action_id = edits.add_action([six], "Audit risk of harm assessments", "ACO", date(2005, 9, 30))
    milestone_id = edits.add_milestone(action_id, "Audit 20 OASys cases", date(2005, 7, 15))
    return six, action_id, milestone_id


@pytest.fixture
def changes(workspace: Workspace) -> list[PlanChange]:
    """What the workspace read again after each edit, undo and redo."""
    seen: list[PlanChange] = []
    workspace.plan()  # read once: later edits read again only what they touch
    workspace.patched.connect(seen.append)
    return seen


def sql_built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the SQL peewee builds from now on (each query it compiles)."""
    built: list[int] = []
    database = database_proxy.obj
    context = database.get_sql_context

    def counted(*args: Any, **kwargs: Any) -> Any:
        built.append(1)
        return context(*args, **kwargs)

    monkeypatch.setattr(database, "get_sql_context", counted)
    return built


# ----- the SQL of the re-read, built once ---------------------------------------------------


def test_a_second_edit_of_the_same_kind_builds_no_sql_to_read_its_rows_again(
    workspace: Workspace,
    edits: Edits,
    items: tuple[int, int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _six, action_id, milestone_id = items
    before = workspace.plan()
    assert before is not None
    plan.refresh_plan(before, milestone_ids=[milestone_id], today=TODAY)  # the first: built
    built = sql_built(monkeypatch)
    again, change = plan.refresh_plan(before, milestone_ids=[milestone_id], today=TODAY)
    assert built == []  # every query of the re-read ran its kept SQL
    assert change.action_ids == {action_id} and not change.whole
    assert again == load_plan(inspection_id=before.inspection_id, today=TODAY)
    # an edit and its re-read, still as the plan read whole (on SQLite and PostgreSQL)
    edits.update_milestone(milestone_id, {"status": "Complete"}, None, "Complete milestone")
    assert workspace.plan() == load_plan(inspection_id=before.inspection_id, today=TODAY)
    assert workspace.plan().actions[action_id].progress == 1  # type: ignore[union-attr]


def test_kept_sql_reads_what_peewee_reads_with_other_values(any_sample_db: peewee.Database) -> None:
    ids = [int(r.id) for r in Recommendation.select(Recommendation.id)]

    def build(chosen: list[int]) -> Callable[[], Any]:
        return lambda: (
            Recommendation.select(Recommendation.id, Recommendation.reference)
            .where(Recommendation.id.in_(chosen))
            .order_by(Recommendation.id)
        )

    first = fetch.cached_rows("test: references", ids[:2], build(ids[:2]))
    kept = fetch.kept_statements()
    second = fetch.cached_rows("test: references", ids[2:4], build(ids[2:4]))
    assert fetch.kept_statements() == kept  # the same shape: no new SQL
    assert first == as_tuples(build(ids[:2])())
    assert second == as_tuples(build(ids[2:4])())
    assert first != second


def test_a_query_whose_values_are_not_those_said_is_run_as_built_and_not_kept(
    any_sample_db: peewee.Database,
) -> None:
    wanted = int(Recommendation.get(Recommendation.reference == "6").id)
    kept = fetch.kept_statements()
    rows = fetch.cached_rows(
        "test: wrong values",
        [wanted + 1000],  # not the value the query takes
        lambda: Recommendation.select(Recommendation.reference).where(Recommendation.id == wanted),
    )
    assert rows == [("6",)]  # run as peewee built it
    assert fetch.kept_statements() == kept


def test_kept_dicts_name_their_columns_as_peewee_does(any_sample_db: peewee.Database) -> None:
    six = Recommendation.get(Recommendation.reference == "6")
    BoardResponse.create(recommendation=six, category="Agreed", narrative="We shall.")
    for model, query in (
        (Recommendation, Recommendation.select().where(Recommendation.id == six.id)),
        (BoardResponse, BoardResponse.select().where(BoardResponse.recommendation == six.id)),
    ):
        kept = fetch.cached_dicts(
            ("test: dicts", model.__name__), [six.id], lambda q=query: q, model
        )
        read = as_dicts(query)
        assert len(kept) == 1 and kept[0].keys() == read[0].keys()
        dated = {"created_at", "updated_at"}  # stored text, not read by the plan
        assert {k: v for k, v in kept[0].items() if k not in dated} == {
            k: v for k, v in read[0].items() if k not in dated
        }


# ----- when the evidence counts can change ---------------------------------------------------


def test_an_edit_of_values_says_the_counts_stay_and_items_coming_or_going_say_they_may_not(
    workspace: Workspace, edits: Edits, items: tuple[int, int, int], changes: list[PlanChange]
) -> None:
    six, action_id, milestone_id = items
    edits.update_milestone(milestone_id, {"title": "Audit 25 cases"}, None, "Change title")
    edits.update_action(action_id, {"owner": "Chief Officer"}, None, "Change owner")
    edits.save_response(six, {"category": "Agreed", "narrative": "Yes.", "part_agreed": "",
                              "reason": "", "lead_owner": "ACO"}, None)  # fmt: skip
    assert [c.evidence for c in changes] == [False, False, False]

    changes.clear()  # items coming and going
    edits.delete_milestone(milestone_id)
    workspace.undo_stack.undo()  # it comes back, with whatever files it had
    second = edits.add_milestone(action_id, "Report", date(2005, 8, 1))
    new_action = edits.outdent_milestone(second)
    edits.indent_action(new_action, action_id)
    assert [c.evidence for c in changes] == [True] * 5


def test_an_edit_that_names_no_row_of_the_plan_may_change_the_counts(
    workspace: Workspace, edits: Edits, changes: list[PlanChange]
) -> None:
    edits.add_board_meeting(date(2005, 7, 14))
    assert [c.evidence for c in changes] == [True]


# ----- the Files column in the window --------------------------------------------------------


@pytest.fixture
def view(
    qtbot: QtBot, workspace: Workspace, edits: Edits, items: tuple[int, int, int]
) -> ActionPlanView:
    widget = ActionPlanView(workspace, edits)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[int | None]:
    """The inspections whose evidence counts the plan view reads (one query each)."""
    reads: list[int | None] = []
    read = plan_view_module.read_counts

    def counted(inspection_id: int | None) -> Any:
        reads.append(inspection_id)
        return read(inspection_id)

    monkeypatch.setattr(plan_view_module, "read_counts", counted)
    return reads


def files_cell(view: ActionPlanView, milestone_id: int) -> QModelIndex:
    source = view.model.first_index_of(MILESTONE, milestone_id, PlanColumn.EVIDENCE)
    index = view.proxy.mapFromSource(source)
    assert index.isValid()
    return index


def test_the_files_column_is_read_again_after_an_attach_and_an_undone_delete_not_a_retitle(
    qtbot: QtBot,
    view: ActionPlanView,
    workspace: Workspace,
    edits: Edits,
    items: tuple[int, int, int],
    count_reads: list[int | None],
    tmp_path: Path,
) -> None:
    _six, _action_id, milestone_id = items
    minutes = tmp_path / "Minutes 12 May.pdf"
    minutes.write_bytes(b"%PDF-1.4\n% minutes of the Board\n")

    # a new title typed in its cell: the counts cannot change, so none is read
    title = files_cell(view, milestone_id).siblingAtColumn(PlanColumn.ITEM)
    view.tree.setCurrentIndex(title)
    qtbot.keyClick(view.tree, Qt.Key.Key_F2)
    editor = view.tree.indexWidget(view.tree.currentIndex())
    assert editor is not None
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "Audit 25 OASys cases")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.tree.state() != QAbstractItemView.State.EditingState)
    assert str(title.data()).endswith("Audit 25 OASys cases")
    assert count_reads == []

    # a file attached: read once, and the paper clip shows it
    edits.attach_evidence(MILESTONE, milestone_id, [minutes])
    assert count_reads == [workspace.inspection_id]
    assert files_cell(view, milestone_id).data() == "1"

    # deleted, then brought back by undo: its file comes back with it, on screen
    edits.delete_milestone(milestone_id)
    workspace.undo_stack.undo()
    assert len(count_reads) == 3
    assert files_cell(view, milestone_id).data() == "1"
    assert files_cell(view, milestone_id).data(Qt.ItemDataRole.DecorationRole) is not None

    # the attach undone: the clip goes
    workspace.undo_stack.undo()
    assert workspace.undo_stack.redoText().startswith("Attach")
    assert files_cell(view, milestone_id).data() == ""


def test_a_status_edit_repaints_its_row_and_its_parents_not_the_other_milestones(
    view: ActionPlanView, edits: Edits, items: tuple[int, int, int]
) -> None:
    six, action_id, milestone_id = items
    sibling = edits.add_milestone(action_id, "Report to the Board", date(2005, 8, 1))
    changed: list[QModelIndex] = []
    view.model.dataChanged.connect(lambda first, _last, _roles=(): changed.append(first))
    status = files_cell(view, milestone_id).siblingAtColumn(PlanColumn.STATUS)
    assert view.proxy.setData(status, "Complete", Qt.ItemDataRole.EditRole)
    kinds = {(i.data(KindRole), i.data(ItemIdRole)) for i in changed}
    assert kinds == {(MILESTONE, milestone_id), (ACTION, action_id), (RECOMMENDATION, six)}
    # what the rows show is right all the same, the other milestone's too
    assert status.data() == "Complete"
    action = view.model.first_index_of(ACTION, action_id, PlanColumn.STATUS)
    assert action.data() == "1 of 2 complete"
    assert action.siblingAtColumn(PlanColumn.PROGRESS).data() == "50%"
    other = files_cell(view, sibling).siblingAtColumn(PlanColumn.STATUS)
    assert other.data() == "Not started"
