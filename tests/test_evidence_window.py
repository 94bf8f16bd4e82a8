"""Evidence files in the window, kept safe (review of issue 15 §1): an undo that cannot remove
every file removes none, drops on any cell of a row or on no row, the Delete key."""

# ruff: noqa: F811  (the fixtures of test_evidence_gui, imported, are the tests' arguments)
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from db.models import Recommendation
from esi_desktop import evidence
from esi_desktop.wording import MILESTONE, RECOMMENDATION
from tests.test_evidence_gui import (  # noqa: F401  (fixtures)
    Messages,
    clip,
    drop_on,
    edits,
    file_data,
    files,
    listed,
    plan_items,
    plan_row,
    recommendations_on_show,
    view,
    workspace,
)
from ui.edits import Edits
from ui.evidence.dialog import show_evidence_dialog
from ui.plan.view import ActionPlanView
from ui.recommendations.model import RecommendationColumn
from ui.workspace import Workspace


def test_undoing_an_attachment_whose_file_went_meanwhile_removes_none_of_them(
    qtbot: QtBot,
    view: ActionPlanView,
    workspace: Workspace,
    edits: Edits,
    plan_items: tuple[int, int],
    files: dict[str, Path],
) -> None:
    _action_id, milestone_id = plan_items
    failures: list[str] = []
    workspace.failed.connect(failures.append)
    first, second = edits.attach_evidence(
        MILESTONE, milestone_id, [files["minutes"], files["audit"]]
    )
    evidence.remove(evidence_id=first)  # someone else removes the minutes meanwhile
    workspace.undo_stack.undo()  # Edit ▸ Undo "Attach 2 files to AP1.1"
    assert len(failures) == 1 and "removed in the meantime" in failures[0]
    # the audit is still attached: an undo that could not be whole changed nothing
    assert [e.id for e in evidence.evidence_of(item_kind=MILESTONE, item_id=milestone_id)] == [
        second
    ]
    assert evidence.content_of(evidence_id=second) == files["audit"].read_bytes()
    assert clip(view, MILESTONE, milestone_id) == "1"


def test_undo_and_redo_of_an_attachment_of_several_files_bring_all_back(
    workspace: Workspace, edits: Edits, plan_items: tuple[int, int], files: dict[str, Path]
) -> None:
    _action_id, milestone_id = plan_items
    ids = edits.attach_evidence(MILESTONE, milestone_id, [files["minutes"], files["audit"]])
    workspace.undo_stack.undo()
    assert evidence.evidence_of(item_kind=MILESTONE, item_id=milestone_id) == []
    workspace.undo_stack.redo()
    shown = evidence.evidence_of(item_kind=MILESTONE, item_id=milestone_id)
    assert [e.id for e in shown] == ids
    workspace.undo_stack.undo()  # the ids redo put back are those undo removes again
    assert evidence.evidence_of(item_kind=MILESTONE, item_id=milestone_id) == []


def test_files_dropped_on_the_files_cell_of_a_recommendation_attach_to_it(
    qtbot: QtBot,
    workspace: Workspace,
    edits: Edits,
    files: dict[str, Path],
    messages: Messages,
) -> None:
    widget = recommendations_on_show(qtbot, workspace, edits)
    three = int(Recommendation.get(Recommendation.reference == "3").id)
    row = widget.proxy.mapFromSource(widget.model.index(widget.model.row_of(three), 0))
    cell = row.siblingAtColumn(RecommendationColumn.EVIDENCE)  # the paper clip's own cell
    assert drop_on(widget.table, cell, file_data([files["minutes"]]))
    assert cell.data() == "1"
    assert [e.name for e in evidence.evidence_of(item_kind=RECOMMENDATION, item_id=three)] == [
        "Minutes 12 May.pdf"
    ]
    assert messages == []


def test_files_dropped_below_the_rows_or_on_the_header_attach_nothing(
    view: ActionPlanView,
    workspace: Workspace,
    plan_items: tuple[int, int],
    files: dict[str, Path],
    messages: Messages,
) -> None:
    before = workspace.undo_stack.count()
    data = file_data([files["minutes"]])
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    below = QPointF(20, view.tree.viewport().height() - 5)  # no row there
    header = QPointF(20, 5)  # the header takes no drops: the tree gets them
    for target, point in ((view.tree.viewport(), below), (view.tree, header)):
        QApplication.sendEvent(
            target, QDragEnterEvent(point.toPoint(), actions, data, buttons, modifiers)
        )
        move = QDragMoveEvent(point.toPoint(), actions, data, buttons, modifiers)
        QApplication.sendEvent(target, move)
        assert not move.isAccepted()  # the cursor says "not here"
        drop = QDropEvent(point, actions, data, buttons, modifiers)
        QApplication.sendEvent(target, drop)
        assert not drop.isAccepted()
    assert workspace.undo_stack.count() == before
    assert evidence.inspection_evidence(inspection_id=workspace.inspection_id or 0) == []
    assert messages == []


def test_the_delete_key_removes_the_selected_file_once_confirmed(
    qtbot: QtBot,
    view: ActionPlanView,
    workspace: Workspace,
    edits: Edits,
    plan_items: tuple[int, int],
    files: dict[str, Path],
    messages: Messages,
) -> None:
    _action_id, milestone_id = plan_items
    edits.attach_evidence(MILESTONE, milestone_id, [files["minutes"], files["audit"]])
    dialog = show_evidence_dialog(view, workspace, edits, MILESTONE, milestone_id)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)  # the second file
    qtbot.keyClick(dialog.table, Qt.Key.Key_Delete)
    assert messages == [
        (
            "Remove the evidence?",
            "Remove “OASys audit.xlsx” from AP1.1? Edit ▸ Undo (Ctrl+Z) puts it back.",
        )
    ]
    assert listed(dialog) == ["Minutes 12 May.pdf"]
    assert workspace.undo_stack.undoText() == "Remove OASys audit.xlsx from AP1.1"
