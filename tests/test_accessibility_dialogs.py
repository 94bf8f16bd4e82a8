"""Issue 18 §1–§2: the accessibility walk over the dialogs the first walk did not open.

The tracker import, the evidence window (Ctrl+Shift+V), File ▸ New inspection…, the export
dialogs, the inspection record editor, the Due and overdue panel and the plan's own dialogs are
opened as a person opens them (their menu action or shortcut where one exists) and checked as
:mod:`tests.test_accessibility` checks every view: every control named with its visible label,
every label heard with what it shows, Tab leaving every table and reaching every button.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from db.models import Recommendation
from tests.rated_fixtures import READING_PASTE
from tests.test_accessibility import Walk
from tests.test_tracker_dialog import tracker

TODAY = date(2005, 6, 1)
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _shown_dialog(window: Any, kind: type) -> QWidget:
    shown = [d for d in window.findChildren(kind) if d.isVisible()]
    assert len(shown) == 1, f"{kind.__name__} is not on show"
    dialog: QWidget = shown[0]
    return dialog


def _activated(dialog: QWidget) -> bool:
    """Ask for the keyboard, as a person's click on the dialog does, until it has it."""
    if not dialog.isActiveWindow():
        dialog.activateWindow()
    return dialog.isActiveWindow()


def _openers(
    window: Any, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> dict[str, Callable[[], QWidget]]:
    """How a person opens each dialog, by name."""
    from ui.evidence.dialog import EvidenceFilesDialog
    from ui.export.office import EmailDialog
    from ui.export.returns import ReturnsPreviewDialog
    from ui.importing.tracker_dialog import TrackerImportDialog
    from ui.inspection import InspectionEditor
    from ui.new_inspection import NewInspectionDialog
    from ui.plan.dialogs import CriteriaDialog, EvidenceDialog
    from ui.plan.extensions import ExtensionsDialog
    from ui.reminders.panel import DuePanel

    six = int(Recommendation.get(Recommendation.reference == "6").id)
    action_id = window.edits.add_action([six], "Audit risk of harm", "ACO", date(2005, 5, 30))
    milestone_id = window.edits.add_milestone(action_id, "Audit 20 OASys cases", date(2005, 5, 15))
    inspection_id = window.workspace.inspection_id

    def tracker_import() -> QWidget:
        path = tracker(tmp_path / "tracker.xlsx")
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
        window.import_tracker_action.trigger()
        return _shown_dialog(window, TrackerImportDialog)

    def evidence() -> QWidget:
        window.show_view("plan")
        assert window.plan_view.select_item("milestone", milestone_id)
        qtbot.waitUntil(lambda: _activated(window))
        qtbot.keyClick(window.plan_view.tree, Qt.Key.Key_V, CTRL_SHIFT)
        return _shown_dialog(window, EvidenceFilesDialog)

    def new_inspection() -> QWidget:
        window.new_inspection_action.trigger()
        dialog = _shown_dialog(window, NewInspectionDialog)
        dialog.paste.setPlainText(READING_PASTE)  # type: ignore[attr-defined]
        return dialog

    def inspection_record() -> QWidget:
        window.edit_inspection_action.trigger()
        return _shown_dialog(window, InspectionEditor)

    def due_panel() -> QWidget:
        window.due_panel_action.trigger()
        return _shown_dialog(window, DuePanel)

    return {
        "tracker import": tracker_import,
        "evidence window": evidence,
        "new inspection": new_inspection,
        "inspection record": inspection_record,
        "due and overdue panel": due_panel,
        "send by e-mail": lambda: EmailDialog(window),
        "progress returns": lambda: ReturnsPreviewDialog(
            [], ["Progress return ACO.xlsx: not a progress return of this plan."], window
        ),
        "plan: extensions": lambda: ExtensionsDialog(window.workspace, inspection_id, window),
        "plan: criteria": lambda: CriteriaDialog(
            window,
            action_text="Audit risk of harm",
            criteria=[(("esi-2004", "1.1"), "1.1 Assessment of risk of harm")],
            chosen=[],
            apply=lambda _chosen: True,
        ),
        "plan: evidence note": lambda: EvidenceDialog(
            window, milestone_title="Audit 20 OASys cases", evidence="", apply=lambda _t: True
        ),
    }


def test_the_accessibility_walk_over_the_other_dialogs(
    open_window: Callable[..., Any],
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    window = open_window(TODAY)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    walk = Walk()
    openers = _openers(window, qtbot, monkeypatch, tmp_path)
    for name, make in openers.items():
        dialog = make()
        if not dialog.isVisible():
            qtbot.addWidget(dialog)
            dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.waitUntil(lambda d=dialog: _activated(d))
        walk.check_names(dialog, name)
        walk.check_tab_leaves(qtbot, dialog, name)
        walk.check_buttons_reached(qtbot, dialog, name)
        dialog.close()
    print(
        f"\nAccessibility walk of the other dialogs: {len(openers)} dialogs, "
        f"{walk.controls} controls checked, {walk.labels} labels heard, "
        f"{len(walk.traps)} traps found"
    )
    assert walk.traps == []
    assert walk.problems == []
