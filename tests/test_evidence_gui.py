"""Evidence files in the window: the evidence dialog, drops on the plan and the recommendations,
the paper-clip counts, undo and redo — driven with clicks and keys, checked on the screen."""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import peewee
import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from db.models import Recommendation
from esi_desktop import evidence
from esi_desktop.inspections import list_inspections
from esi_desktop.settings import EVIDENCE_MAX_MB
from esi_desktop.wording import ACTION, MILESTONE, RECOMMENDATION
from ui.edits import Edits
from ui.evidence.dialog import EvidenceColumn, EvidenceFilesDialog, show_evidence_dialog
from ui.plan.columns import PlanColumn
from ui.plan.view import ActionPlanView
from ui.recommendations.model import RecommendationColumn
from ui.recommendations.view import RecommendationsView
from ui.settings import Settings
from ui.workspace import Workspace

TODAY = date(2005, 6, 1)
CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
Messages = list[tuple[str, str]]

MINUTES = b"%PDF-1.4\n% minutes of the Board, 12 May 2005\n" + bytes(range(256)) * 40
AUDIT = b"PK\x03\x04 audit of twenty OASys cases" * 100


# ----- set-up -----------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """Two files on the person's disk, as Explorer would offer them."""
    folder = tmp_path / "from explorer"
    folder.mkdir()
    made = {"minutes": folder / "Minutes 12 May.pdf", "audit": folder / "OASys audit.xlsx"}
    made["minutes"].write_bytes(MINUTES)
    made["audit"].write_bytes(AUDIT)
    return made


@pytest.fixture
def largest_file_mb() -> Iterator[Callable[[int], None]]:
    """Sets the "Largest evidence file" preference; put back to its default afterwards."""
    settings = Settings()
    yield lambda megabytes: settings.set_value(EVIDENCE_MAX_MB, megabytes)
    settings.set_value(EVIDENCE_MAX_MB, EVIDENCE_MAX_MB.default)


@pytest.fixture
def workspace(qtbot: QtBot, sample_db: peewee.Database) -> Workspace:
    ws = Workspace(today=lambda: TODAY)
    ws.set_inspection(list_inspections()[0].id)
    return ws


@pytest.fixture
def edits(workspace: Workspace) -> Edits:
    return Edits(workspace)


@pytest.fixture
def plan_items(edits: Edits) -> tuple[int, int]:
    """An action (AP1) serving recommendation 6, with one milestone (AP1.1)."""
    six = int(Recommendation.get(Recommendation.reference == "6").id)
    action_id = edits.add_action([six], "Audit risk of harm assessments", "ACO", date(2005, 9, 30))
    milestone_id = edits.add_milestone(action_id, "Audit 20 OASys cases", date(2005, 7, 15))
    return action_id, milestone_id


@pytest.fixture
def view(
    qtbot: QtBot,
    workspace: Workspace,
    edits: Edits,
    plan_items: tuple[int, int],
    messages: Messages,
) -> ActionPlanView:
    widget = ActionPlanView(workspace, edits)
    qtbot.addWidget(widget)
    widget.resize(1366, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the program asks the system to open (nothing is really opened)."""
    seen: list[Path] = []

    def open_url(url: QUrl) -> bool:
        seen.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    return seen


def choose_files(monkeypatch: pytest.MonkeyPatch, paths: list[Path]) -> None:
    """The person picks these files in the Attach files… dialog."""
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileNames",
        lambda *_args, **_kwargs: ([str(p) for p in paths], "All files (*)"),
    )


# ----- reading the screen -----------------------------------------------------------------


def plan_row(view: ActionPlanView, kind: str, item_id: int) -> QModelIndex:
    source = view.model.first_index_of(kind, item_id)
    index = view.proxy.mapFromSource(source)
    assert index.isValid()
    return index


def clip(view: ActionPlanView, kind: str, item_id: int) -> str:
    """What the plan's Files column shows on an item's row (with its paper clip or not)."""
    cell = plan_row(view, kind, item_id).siblingAtColumn(PlanColumn.EVIDENCE)
    text = str(cell.data() or "")
    has_clip = cell.data(Qt.ItemDataRole.DecorationRole) is not None
    assert has_clip == bool(text)  # the clip shows exactly when there is a count
    return text


def listed(dialog: EvidenceFilesDialog) -> list[str]:
    model = dialog.table.model()
    return [str(model.index(row, EvidenceColumn.NAME).data()) for row in range(model.rowCount())]


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# ----- dragging files from Explorer ---------------------------------------------------------


def file_data(paths: list[Path]) -> QMimeData:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return data


def drop_on(view: QAbstractItemView, index: QModelIndex, data: QMimeData) -> bool:
    """Drag ``data`` over the row of ``index`` and drop it there; True when the drop was taken."""
    view.scrollTo(index)
    centre = view.visualRect(index).center()
    viewport = view.viewport()
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction | Qt.DropAction.LinkAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(centre, actions, data, buttons, modifiers)
    QApplication.sendEvent(viewport, enter)
    move = QDragMoveEvent(centre, actions, data, buttons, modifiers)
    QApplication.sendEvent(viewport, move)
    drop = QDropEvent(QPointF(centre), actions, data, buttons, modifiers)
    QApplication.sendEvent(viewport, drop)
    # never a move: the source must not delete the person's file
    assert not drop.isAccepted() or drop.dropAction() == Qt.DropAction.CopyAction
    return drop.isAccepted()


# ----- the tests ----------------------------------------------------------------------------


def test_attach_open_save_remove_then_undo_and_redo_from_the_window(
    qtbot: QtBot,
    open_window: Any,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, Path],
    opened: list[Path],
    messages: Messages,
    tmp_path: Path,
) -> None:
    window = open_window(TODAY)
    qtbot.waitUntil(lambda: window.workspace.plan() is not None)
    six = int(Recommendation.get(Recommendation.reference == "6").id)
    action_id = window.edits.add_action([six], "Audit risk of harm", "ACO", date(2005, 9, 30))
    milestone_id = window.edits.add_milestone(action_id, "Audit 20 OASys cases", date(2005, 7, 15))
    window.show_view("plan")
    plan = window.plan_view
    assert plan.select_item(MILESTONE, milestone_id)
    assert clip(plan, MILESTONE, milestone_id) == ""

    # Edit ▸ Evidence of the selected item… (Ctrl+Shift+V)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(plan.tree, Qt.Key.Key_V, CTRL_SHIFT)
    dialog = window.findChild(EvidenceFilesDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Evidence for AP1.1 — Audit 20 OASys cases"
    assert listed(dialog) == []
    assert "No files attached yet" in dialog.heading.text()

    # Attach files… (two at once)
    choose_files(monkeypatch, [files["minutes"], files["audit"]])
    click(qtbot, dialog.attach_button)
    assert listed(dialog) == ["Minutes 12 May.pdf", "OASys audit.xlsx"]
    model = dialog.table.model()
    first = [str(model.index(0, c).data()) for c in EvidenceColumn]
    assert first[EvidenceColumn.TYPE] == "PDF"
    assert first[EvidenceColumn.SIZE] == evidence.size_text(len(MINUTES))
    assert (
        first[EvidenceColumn.SHA256]
        == evidence.evidence_of(item_kind=MILESTONE, item_id=milestone_id)[0].sha256[:12]
    )
    sha_cell = model.index(0, EvidenceColumn.SHA256)
    assert len(str(sha_cell.data(Qt.ItemDataRole.ToolTipRole)).split()[-1]) == 64
    assert window.workspace.undo_stack.undoText() == "Attach 2 files to AP1.1"
    assert clip(plan, MILESTONE, milestone_id) == "2"
    assert clip(plan, ACTION, action_id) == ""  # the milestone's, not its action's

    # Open (Enter on the row): a read-only copy, byte for byte, given to the system
    dialog.table.setFocus()
    dialog.table.selectRow(0)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert len(opened) == 1
    assert opened[0].name == "Minutes 12 May.pdf"
    assert opened[0].read_bytes() == MINUTES
    assert not opened[0].stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)

    # Save a copy…
    out = tmp_path / "saved" / "minutes copy.pdf"
    out.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(out), "All files (*)")
    )
    click(qtbot, dialog.save_button)
    assert out.read_bytes() == MINUTES
    assert f"Saved a copy of “Minutes 12 May.pdf” to {out}" in dialog.heading.text()

    # Remove, answering Yes to the question
    click(qtbot, dialog.remove_button)
    assert messages[-1][0] == "Remove the evidence?"
    assert "Minutes 12 May.pdf" in messages[-1][1] and "AP1.1" in messages[-1][1]
    assert listed(dialog) == ["OASys audit.xlsx"]
    assert clip(plan, MILESTONE, milestone_id) == "1"
    assert window.workspace.undo_stack.undoText() == "Remove Minutes 12 May.pdf from AP1.1"

    # Close; Ctrl+Z in the main window brings it back, Ctrl+Y removes it again
    click(qtbot, dialog.close_button)
    qtbot.waitUntil(lambda: window.findChild(EvidenceFilesDialog) is None)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert clip(plan, MILESTONE, milestone_id) == "2"
    assert [e.name for e in evidence.evidence_of(item_kind=MILESTONE, item_id=milestone_id)] == [
        "Minutes 12 May.pdf",
        "OASys audit.xlsx",
    ]
    qtbot.keyClick(window, Qt.Key.Key_Y, CTRL)
    assert clip(plan, MILESTONE, milestone_id) == "1"
    # undo the removal, then the attachment: no file left, no clip
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(window, Qt.Key.Key_Z, CTRL)
    assert clip(plan, MILESTONE, milestone_id) == ""
    assert evidence.evidence_of(item_kind=MILESTONE, item_id=milestone_id) == []
    qtbot.keyClick(window, Qt.Key.Key_Y, CTRL)  # and redo puts both back
    assert clip(plan, MILESTONE, milestone_id) == "2"
    assert [t for t, _ in messages] == ["Remove the evidence?"]  # no error on the way


def test_undo_in_the_dialog_and_the_list_follows_changes_made_elsewhere(
    qtbot: QtBot,
    view: ActionPlanView,
    workspace: Workspace,
    edits: Edits,
    plan_items: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, Path],
) -> None:
    action_id, _milestone_id = plan_items
    dialog = show_evidence_dialog(view, workspace, edits, ACTION, action_id)
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "Evidence for AP1 — Audit risk of harm assessments"
    choose_files(monkeypatch, [files["audit"]])
    click(qtbot, dialog.attach_button)
    assert listed(dialog) == ["OASys audit.xlsx"]
    assert workspace.undo_stack.undoText() == "Attach OASys audit.xlsx to AP1"
    assert clip(view, ACTION, action_id) == "1"

    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, CTRL)  # Ctrl+Z in the dialog
    assert listed(dialog) == []
    assert clip(view, ACTION, action_id) == ""
    assert not dialog.open_button.isEnabled() and not dialog.remove_button.isEnabled()
    workspace.undo_stack.redo()  # Edit ▸ Redo in the window: the dialog shows it
    assert listed(dialog) == ["OASys audit.xlsx"]
    assert clip(view, ACTION, action_id) == "1"
    # asking again for the same item raises the open dialog rather than a second one
    assert show_evidence_dialog(view, workspace, edits, ACTION, action_id) is dialog


def test_dropping_two_files_on_a_milestone_row_attaches_them_as_one_undoable_edit(
    qtbot: QtBot,
    view: ActionPlanView,
    workspace: Workspace,
    plan_items: tuple[int, int],
    files: dict[str, Path],
    messages: Messages,
    qtmodeltester: Any,
) -> None:
    action_id, milestone_id = plan_items
    row = plan_row(view, MILESTONE, milestone_id)
    assert drop_on(view.tree, row, file_data([files["minutes"], files["audit"]]))
    assert clip(view, MILESTONE, milestone_id) == "2"
    assert workspace.undo_stack.undoText() == "Attach 2 files to AP1.1"
    tip = plan_row(view, MILESTONE, milestone_id).siblingAtColumn(PlanColumn.EVIDENCE)
    assert str(tip.data(Qt.ItemDataRole.ToolTipRole)).startswith("2 files attached as evidence")
    # the same files dropped on the action go to the action (the row under the cursor)
    assert drop_on(view.tree, plan_row(view, ACTION, action_id), file_data([files["audit"]]))
    assert (clip(view, ACTION, action_id), clip(view, MILESTONE, milestone_id)) == ("1", "2")
    qtmodeltester.check(view.model)
    workspace.undo_stack.undo()
    workspace.undo_stack.undo()
    assert (clip(view, ACTION, action_id), clip(view, MILESTONE, milestone_id)) == ("", "")
    assert messages == []


def test_a_drag_of_anything_but_files_is_left_alone(
    view: ActionPlanView, workspace: Workspace, plan_items: tuple[int, int], messages: Messages
) -> None:
    _action_id, milestone_id = plan_items
    text = QMimeData()
    text.setText("Audit 20 OASys cases")
    link = QMimeData()
    link.setUrls([QUrl("https://www.justiceinspectorates.gov.uk/hmiprobation/")])
    before = workspace.undo_stack.count()
    for data in (text, link):
        assert not drop_on(view.tree, plan_row(view, MILESTONE, milestone_id), data)
    assert clip(view, MILESTONE, milestone_id) == ""
    assert workspace.undo_stack.count() == before
    assert messages == []


def test_a_file_over_the_size_limit_is_one_message_and_nothing_is_attached(
    qtbot: QtBot,
    view: ActionPlanView,
    workspace: Workspace,
    edits: Edits,
    plan_items: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, Path],
    messages: Messages,
    largest_file_mb: Callable[[int], None],
) -> None:
    _action_id, milestone_id = plan_items
    largest_file_mb(1)
    big = files["minutes"].parent / "Scanned inspection file.pdf"
    big.write_bytes(b"%PDF" + b"\0" * (1024 * 1024))
    dialog = show_evidence_dialog(view, workspace, edits, MILESTONE, milestone_id)
    before = workspace.undo_stack.count()
    choose_files(monkeypatch, [files["minutes"], big, files["audit"]])
    click(qtbot, dialog.attach_button)
    assert len(messages) == 1
    title, sentence = messages[0]
    assert title == "Cannot attach the files"
    assert "Scanned inspection file.pdf" in sentence and "1 MB" in sentence
    assert "nothing was attached" in sentence
    assert listed(dialog) == []
    assert clip(view, MILESTONE, milestone_id) == ""
    assert workspace.undo_stack.count() == before
    # dropped, the same: one message, nothing attached
    assert drop_on(view.tree, plan_row(view, MILESTONE, milestone_id), file_data([big]))
    assert len(messages) == 2 and messages[1][1] == sentence
    assert evidence.evidence_of(item_kind=MILESTONE, item_id=milestone_id) == []


def test_the_dialog_reads_at_1366_by_768_and_tab_reaches_every_button(
    qtbot: QtBot,
    view: ActionPlanView,
    workspace: Workspace,
    edits: Edits,
    plan_items: tuple[int, int],
    files: dict[str, Path],
    tmp_path: Path,
) -> None:
    _action_id, milestone_id = plan_items
    edits.attach_evidence(MILESTONE, milestone_id, [files["minutes"], files["audit"]])
    dialog = show_evidence_dialog(view, workspace, edits, MILESTONE, milestone_id)
    qtbot.waitExposed(dialog)
    assert dialog.width() <= 1366 and dialog.height() <= 768
    header = dialog.table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in EvidenceColumn) <= dialog.table.viewport().width()
    assert dialog.table.accessibleName() == "Evidence files"
    dialog.grab().save(str(tmp_path / "evidence-dialog.png"))
    view.grab().save(str(tmp_path / "plan-with-counts.png"))

    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.table.setFocus()
    reached: list[QWidget] = []
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    buttons = [
        dialog.attach_button,
        dialog.open_button,
        dialog.save_button,
        dialog.remove_button,
        dialog.close_button,
    ]
    assert reached[:5] == buttons
    assert reached[5] is dialog.table  # and round again
    assert [b.accessibleName() for b in buttons] == [
        "Attach files",
        "Open",
        "Save a copy",
        "Remove",
        "Close",
    ]


def test_the_edit_menu_opens_the_evidence_of_the_selected_recommendation(
    qtbot: QtBot, open_window: Any, files: dict[str, Path], messages: Messages
) -> None:
    window = open_window(TODAY)
    qtbot.waitUntil(lambda: window.workspace.plan() is not None)
    window.show_view("recommendations")
    table = window.recommendations
    table.select_recommendation(int(Recommendation.get(Recommendation.reference == "3").id))
    window.evidence_action.trigger()
    dialog = window.findChild(EvidenceFilesDialog)
    assert dialog is not None
    assert dialog.item_kind == RECOMMENDATION
    assert dialog.windowTitle().startswith("Evidence for recommendation 3 — ")
    assert window.evidence_action.shortcut().toString() == "Ctrl+Shift+V"
    assert window.evidence_action.text() == "&Evidence of the selected item…"


def recommendations_on_show(
    qtbot: QtBot, workspace: Workspace, edits: Edits
) -> RecommendationsView:
    """The Recommendations & responses view on show, with the plan read."""
    widget = RecommendationsView(workspace, edits)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.reload()
    return widget


def test_files_dropped_on_a_recommendation_row_attach_to_it(
    qtbot: QtBot,
    workspace: Workspace,
    edits: Edits,
    files: dict[str, Path],
    messages: Messages,
) -> None:
    widget = recommendations_on_show(qtbot, workspace, edits)
    three = int(Recommendation.get(Recommendation.reference == "3").id)
    row = widget.proxy.mapFromSource(widget.model.index(widget.model.row_of(three), 0))
    count = row.siblingAtColumn(RecommendationColumn.EVIDENCE)
    assert count.data() == ""
    assert drop_on(widget.table, row, file_data([files["minutes"]]))
    assert count.data() == "1"
    assert count.data(Qt.ItemDataRole.DecorationRole) is not None
    assert workspace.undo_stack.undoText() == "Attach Minutes 12 May.pdf to recommendation 3"
    assert [e.item_id for e in evidence.evidence_of(item_kind=RECOMMENDATION, item_id=three)] == [
        three
    ]
    workspace.undo_stack.undo()
    assert count.data() == ""
    assert messages == []


def test_opening_a_file_no_program_opens_says_so_once(
    qtbot: QtBot,
    view: ActionPlanView,
    workspace: Workspace,
    edits: Edits,
    plan_items: tuple[int, int],
    files: dict[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    messages: Messages,
) -> None:
    _action_id, milestone_id = plan_items
    edits.attach_evidence(MILESTONE, milestone_id, [files["audit"]])
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)
    dialog = show_evidence_dialog(view, workspace, edits, MILESTONE, milestone_id)
    qtbot.waitExposed(dialog)
    centre = dialog.table.visualRect(dialog.table.model().index(0, 0)).center()
    # a double click: the press and release of the first click, then the second
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert len(messages) == 1
    assert messages[0][0] == "Cannot open the file"
    assert "OASys audit.xlsx" in messages[0][1]
    assert dialog.opened_copy is not None and dialog.opened_copy.read_bytes() == AUDIT
    assert not dialog.opened_copy.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
