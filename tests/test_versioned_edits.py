"""One's own run of edits undoes and redoes in full; only another connection's change conflicts.

Issue 9 §3: add an action, change its owner, change its target date, Ctrl+Z twice — the second
undo was refused as "changed by someone else" naming the user themself, and dropped from the
stack. Every versioned record (responses, recommendation fields, actions, milestones, the
follow-up and its results) is tried here, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import peewee
import pytest
from pytestqt.qtbot import QtBot

from esi_desktop import audit, follow_up, plan
from esi_desktop.inspections import list_inspections
from ui.edits import Edits
from ui.workspace import Workspace

TODAY = date(2005, 6, 1)


@pytest.fixture
def workspace(qtbot: QtBot, any_sample_db: peewee.Database) -> Iterator[Workspace]:
    ws = Workspace(today=lambda: TODAY)
    ws.set_inspection(list_inspections()[0].id)
    _FAILURES[id(ws)] = []
    ws.failed.connect(_FAILURES[id(ws)].append)
    yield ws
    del _FAILURES[id(ws)]


_FAILURES: dict[int, list[str]] = {}


def failures(workspace: Workspace) -> list[str]:
    """What the workspace said when an undo or redo could not be carried out."""
    return _FAILURES[id(workspace)]


def rec_id(workspace: Workspace, reference: str) -> int:
    view = workspace.plan()
    assert view is not None
    return next(r.id for r in view.recommendations if r.reference == reference)


@dataclass
class Subject:
    """A record, two edits of it by the person, how to read it, and another person's edit."""

    setup: Callable[[Edits], int]
    first: Callable[[Edits, int], None]
    second: Callable[[Edits, int], None]
    read: Callable[[Workspace, int], Any]
    theirs: Callable[[Workspace, int], None]


def _action(ws: Workspace, action_id: int) -> tuple[str, date]:
    view = ws.plan()
    assert view is not None
    action = view.actions[action_id]
    return action.owner, action.target_date


def _new_action(edits: Edits) -> int:
    six = rec_id(edits.workspace, "6")
    return edits.add_action([six], "Audit risk of harm assessments", "SPO", date(2005, 12, 1))


def _action_version(ws: Workspace, action_id: int) -> int:
    view = ws.plan()
    assert view is not None
    return view.actions[action_id].version


def _milestone(ws: Workspace, milestone_id: int) -> tuple[str, date]:
    # (a title typed straight after adding joins the addition; status and date do not)
    view = ws.plan()
    assert view is not None
    found = next(m for a in view.actions.values() for m in a.milestones if m.id == milestone_id)
    return found.status, found.due_date


def _milestone_version(ws: Workspace, milestone_id: int) -> int:
    view = ws.plan()
    assert view is not None
    return next(m.version for a in view.actions.values() for m in a.milestones
                if m.id == milestone_id)  # fmt: skip


def _new_milestone(edits: Edits) -> int:
    return edits.add_milestone(_new_action(edits), "Audit form agreed", date(2005, 7, 1))


def _response(ws: Workspace, recommendation_id: int) -> tuple[str | None, str]:
    view = ws.plan()
    assert view is not None
    stored = view.recommendation(recommendation_id).stored_response
    return (stored.category, stored.narrative) if stored else (None, "")


def _response_version(ws: Workspace, recommendation_id: int) -> int | None:
    view = ws.plan()
    assert view is not None
    return view.recommendation(recommendation_id).response_version


def _agreed(narrative: str) -> dict[str, str]:
    return {"category": "Agreed", "narrative": narrative, "part_agreed": "", "reason": "",
            "lead_owner": ""}  # fmt: skip


def _recommendation(ws: Workspace, recommendation_id: int) -> tuple[str | None, str]:
    view = ws.plan()
    assert view is not None
    found = view.recommendation(recommendation_id)
    return found.self_assessment, found.internal_note


def _recommendation_version(ws: Workspace, recommendation_id: int) -> int:
    view = ws.plan()
    assert view is not None
    return view.recommendation(recommendation_id).version


def _criteria(ws: Workspace, recommendation_id: int) -> tuple[tuple[str, str], ...]:
    view = ws.plan()
    assert view is not None
    return view.recommendation(recommendation_id).criteria


def _follow_up(ws: Workspace, _id: int) -> tuple[date | None, str]:
    record = follow_up.get_follow_up(inspection_id=ws.inspection_id or 0)
    return record.planned_date, record.status


def _result(ws: Workspace, _id: int) -> object:
    results = follow_up.follow_up_comparison(inspection_id=ws.inspection_id or 0)
    return results[0].criteria["B1"].follow_up


def _result_version(ws: Workspace) -> int | None:
    return follow_up.result_versions(inspection_id=ws.inspection_id or 0).get(("esi-core", "B1"))


SUBJECTS = {
    "action": Subject(
        setup=_new_action,
        first=lambda e, i: e.update_action(
            i, {"owner": "ACO Operations"}, _action_version(e.workspace, i), "Owner"
        ),
        second=lambda e, i: e.update_action(
            i, {"target_date": date(2005, 9, 30)}, _action_version(e.workspace, i), "Target date"
        ),
        read=_action,
        theirs=lambda ws, i: plan.update_action(
            action_id=i, changes={"owner": "Deputy CO"}, expected_version=_action_version(ws, i)
        ),
    ),
    "milestone": Subject(
        setup=_new_milestone,
        first=lambda e, i: e.update_milestone(
            i, {"status": "In progress"}, _milestone_version(e.workspace, i), "Status"
        ),
        second=lambda e, i: e.update_milestone(
            i, {"due_date": date(2005, 8, 1)}, _milestone_version(e.workspace, i), "Due date"
        ),
        read=_milestone,
        theirs=lambda ws, i: plan.update_milestone(
            milestone_id=i,
            changes={"title": "Form binned"},
            today=TODAY,
            expected_version=_milestone_version(ws, i),
        ),
    ),
    "response": Subject(
        setup=lambda e: rec_id(e.workspace, "6"),
        first=lambda e, i: e.save_response(
            i, _agreed("Audits from April"), _response_version(e.workspace, i)
        ),
        second=lambda e, i: e.save_response(
            i, _agreed("Audits from May, monthly"), _response_version(e.workspace, i)
        ),
        read=_response,
        theirs=lambda ws, i: plan.save_response(
            recommendation_id=i,
            expected_version=_response_version(ws, i),
            **_agreed("Their wording"),
        ),
    ),
    "recommendation": Subject(
        setup=lambda e: rec_id(e.workspace, "6"),
        first=lambda e, i: e.set_recommendation_fields(
            i,
            {"self_assessment": "Reasonable progress"},
            _recommendation_version(e.workspace, i),
            "Self-assessment",
        ),
        second=lambda e, i: e.set_recommendation_fields(
            i, {"internal_note": "Chase ACO"}, _recommendation_version(e.workspace, i), "Note"
        ),
        read=_recommendation,
        theirs=lambda ws, i: plan.set_recommendation_fields(
            recommendation_id=i,
            changes={"internal_note": "Their note"},
            expected_version=_recommendation_version(ws, i),
        ),
    ),
    "criteria": Subject(
        setup=lambda e: rec_id(e.workspace, "6"),
        first=lambda e, i: e.set_recommendation_criteria(
            i, [("esi-core", "B1")], _recommendation_version(e.workspace, i)
        ),
        second=lambda e, i: e.set_recommendation_criteria(
            i, [("esi-core", "B1"), ("esi-core", "C2")], _recommendation_version(e.workspace, i)
        ),
        read=lambda ws, i: _criteria(ws, i),
        theirs=lambda ws, i: plan.set_recommendation_criteria(
            recommendation_id=i,
            criteria=[("esi-core", "D1")],
            expected_version=_recommendation_version(ws, i),
        ),
    ),
    "follow-up": Subject(
        setup=lambda e: 0,
        first=lambda e, i: e.set_follow_up(date(2005, 10, 10), "Scheduled", None),
        second=lambda e, i: e.set_follow_up(
            date(2005, 10, 17),
            "Scheduled",
            follow_up.get_follow_up(inspection_id=e.workspace.inspection_id or 0).version,
        ),
        read=_follow_up,
        theirs=lambda ws, i: follow_up.set_follow_up(
            inspection_id=ws.inspection_id or 0,
            planned_date=date(2005, 11, 1),
            status="Fieldwork",
            expected_version=follow_up.get_follow_up(inspection_id=ws.inspection_id or 0).version,
        ),
    ),
    "follow-up result": Subject(
        setup=lambda e: 0,
        first=lambda e, i: e.set_follow_up_result("esi-core", "B1", 60, None),
        second=lambda e, i: e.set_follow_up_result(
            "esi-core", "B1", 65, _result_version(e.workspace)
        ),
        read=_result,
        theirs=lambda ws, i: follow_up.set_follow_up_result(
            inspection_id=ws.inspection_id or 0,
            framework_id="esi-core",
            code="B1",
            value=99,
            expected_version=_result_version(ws),
        ),
    ),
}


@pytest.mark.parametrize("kind", SUBJECTS)
def test_two_own_edits_to_one_record_undo_and_redo_in_full(workspace: Workspace, kind: str) -> None:
    subject = SUBJECTS[kind]
    edits = Edits(workspace)
    item = subject.setup(edits)
    start_index = workspace.undo_stack.index()
    before = subject.read(workspace, item)
    subject.first(edits, item)
    middle = subject.read(workspace, item)
    subject.second(edits, item)
    after = subject.read(workspace, item)
    assert len({repr(before), repr(middle), repr(after)}) == 3

    workspace.undo_stack.undo()
    assert subject.read(workspace, item) == middle
    workspace.undo_stack.undo()
    assert subject.read(workspace, item) == before
    assert workspace.undo_stack.index() == start_index
    workspace.undo_stack.redo()
    workspace.undo_stack.redo()
    assert subject.read(workspace, item) == after
    # and back again: every step stays on the stack
    workspace.undo_stack.undo()
    workspace.undo_stack.undo()
    assert subject.read(workspace, item) == before
    assert failures(workspace) == []
    assert workspace.undo_stack.count() == start_index + 2


@pytest.mark.parametrize("kind", SUBJECTS)
def test_undo_after_another_persons_change_is_refused_naming_them(
    workspace: Workspace, kind: str
) -> None:
    subject = SUBJECTS[kind]
    edits = Edits(workspace)
    item = subject.setup(edits)
    subject.first(edits, item)
    subject.second(edits, item)
    with audit.acting_as("bob"):
        subject.theirs(workspace, item)
    workspace.invalidate()  # read afresh (the window has not noticed their change)
    theirs = subject.read(workspace, item)
    workspace.undo_stack.undo()
    assert subject.read(workspace, item) == theirs  # their change stands
    assert len(failures(workspace)) == 1
    assert "Changed by bob" in failures(workspace)[0]


# the owner's completer pops up a list; the offscreen platform cannot raise or grab for it
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_in_the_plan_ctrl_z_twice_undoes_owner_and_target_date(
    qtbot: QtBot, open_window: Callable[..., Any], messages: list[tuple[str, str]]
) -> None:
    """The issue's own steps, by keys in the window: add an action, owner, date, Ctrl+Z twice."""
    from PySide6.QtCore import Qt

    from tests.test_plan_view import PlanColumn, cell, click, edit_cell, rec_row, row_named
    from tests.test_plan_view import type_into as type_in

    window = open_window(TODAY)
    said: list[str] = []
    window.workspace.failed.connect(said.append)
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    view = window.plan_view
    click(qtbot, view, rec_row(view, "6"))
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view.tree, Qt.Key.Key_A, ctrl_shift)
    type_in(qtbot, view, "Audit risk of harm assessments")
    action = row_named(view, "Audit risk of harm assessments")
    owner_before, date_before = cell(action, PlanColumn.OWNER), cell(action, PlanColumn.DATE)
    edit_cell(qtbot, view, action, PlanColumn.OWNER, "ACO Operations")
    action = row_named(view, "Audit risk of harm assessments")
    edit_cell(qtbot, view, action, PlanColumn.DATE, "30/09/2005")
    action = row_named(view, "Audit risk of harm assessments")
    assert (cell(action, PlanColumn.OWNER), cell(action, PlanColumn.DATE)) == (
        "ACO Operations",
        "30/09/2005",
    )
    qtbot.keyClick(view.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    action = row_named(view, "Audit risk of harm assessments")
    assert (cell(action, PlanColumn.OWNER), cell(action, PlanColumn.DATE)) == (
        owner_before,
        date_before,
    )
    assert said == [] and messages == []
    stack = window.workspace.undo_stack
    assert stack.count() - stack.index() == 2  # both edits can be redone
    qtbot.keyClick(view.tree, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.tree, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    action = row_named(view, "Audit risk of harm assessments")
    assert cell(action, PlanColumn.OWNER) == "ACO Operations"
    assert cell(action, PlanColumn.DATE) == "30/09/2005"


def test_a_result_cleared_and_recorded_again_never_reuses_a_version(
    any_sample_db: peewee.Database,
) -> None:
    """A saw B1 at version 1; B cleared it and C recorded 70: A's stale 55 is a conflict."""

    from esi_desktop.plan import ConflictError

    inspection_id = list_inspections()[0].id

    def record(value: int | None, expected: int | None) -> follow_up.ResultChange:
        return follow_up.set_follow_up_result(
            inspection_id=inspection_id, framework_id="esi-core", code="B1", value=value,
            expected_version=expected,
        )  # fmt: skip

    seen_by_a = record(50, None).version
    with audit.acting_as("bea"):
        record(None, seen_by_a)
    with audit.acting_as("cal"):
        record(70, None)
    with pytest.raises(ConflictError, match="Changed by cal"):
        record(55, seen_by_a)
    assert (
        follow_up.follow_up_comparison(inspection_id=inspection_id)[0].criteria["B1"].follow_up
        == 70
    )
