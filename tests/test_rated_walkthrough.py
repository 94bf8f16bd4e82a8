"""Issue 17's walk-through: a rated inspection made, answered and sent out, all in the window.

A secretary creates the Reading inspection with File ▸ New inspection… (keys and a paste),
answers two recommendations, plans one of them, then exports both PDFs; their words are read
back with pypdf, and their pages are rendered to PNG files (in the test's folder) to look at.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from db.models import Action, BoardResponse, Inspection, Milestone, Recommendation
from tests.rated_fixtures import BODY, READING_PASTE
from tests.test_export import when_modal
from tests.test_new_inspection_gui import click, open_dialog, paste, rate_with_keys
from tests.test_plan_view import children_of, rec_row, row_named, type_into
from tests.test_recommendations_view import choose_category, click_row

#: Two weeks after the report was published.
TODAY = date(2024, 12, 17)
MANAGER_ANSWER = "Team managers audit ten cases a month from January 2025"
BOARD_ANSWER = "The Board reviews staffing against demand at each meeting from February 2025"


def flat(text: str) -> str:
    return " ".join(text.split())


def answer(qtbot: QtBot, window: Any, reference: str, how_and_when: str, owner: str) -> None:
    """Choose Agreed, type how and when, then the lead owner, with clicks and keys."""
    view = window.recommendations
    click_row(qtbot, view, reference)
    choose_category(qtbot, view, "Agreed")
    qtbot.mouseClick(view.editor.narrative.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(view.editor.narrative, how_and_when)
    qtbot.mouseClick(view.editor.lead_owner, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(view.editor.lead_owner, owner)
    qtbot.keyClick(view.editor.lead_owner, Qt.Key.Key_Tab)


def export(
    qtbot: QtBot,
    window: Any,
    action: Any,
    target: Path,
    monkeypatch: pytest.MonkeyPatch,
    before: list[tuple[type[QWidget], Callable[[Any], None]]],
) -> bytes:
    """Trigger an export, answer the questions before the preview, save, return the file."""
    from ui.export import dialogs as export_dialogs
    from ui.export.dialogs import PdfPreviewDialog

    monkeypatch.setattr(
        export_dialogs.QFileDialog,
        "getSaveFileName",
        lambda *args, **kwargs: (str(target), "PDF documents (*.pdf)"),
    )
    done: list[str] = []

    def save(dialog: QWidget) -> None:
        assert isinstance(dialog, PdfPreviewDialog)
        dialog.save_button.click()
        done.append(dialog.status.text())
        dialog.close_button.click()

    for kind, act in before:
        when_modal(act, kind)
    when_modal(save, PdfPreviewDialog)
    action.trigger()
    qtbot.waitUntil(lambda: bool(done), timeout=30000)
    qtbot.waitUntil(lambda: not export_dialogs._RUNNING, timeout=20000)
    assert done == [f"Saved to {target}"]
    return target.read_bytes()


def pages_text(data: bytes) -> list[str]:
    return [flat(page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages]


def render_pages(pdf: Path) -> list[Path]:
    """Each page as a PNG at 50 dpi beside the PDF, to look at (none without pdftoppm)."""
    if shutil.which("pdftoppm") is None:
        return []
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
    return sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))


# the owner completer pops up a list; the offscreen platform cannot raise or grab for it
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_a_secretary_makes_answers_and_sends_out_a_rated_inspection(
    open_window: Callable[..., Any],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    from ui.export.missing_items import MissingItemsDialog
    from ui.export.questions import MeetingDateDialog
    from ui.plan.columns import PlanColumn

    window = open_window(TODAY, sample=False)
    # File ▸ New inspection…: typed, rated by keys, pasted
    dialog = open_dialog(qtbot, window)
    qtbot.keyClicks(dialog.body, BODY)
    qtbot.keyClicks(dialog.published.line_edit, "03/12/2024")
    rate_with_keys(qtbot, dialog)
    paste(qtbot, dialog, READING_PASTE)
    assert dialog.preview.table.rowCount() == 8
    click(qtbot, dialog.create_button)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)
    inspection = Inspection.get(Inspection.area == BODY)
    assert window.workspace.inspection_id == inspection.id

    # two recommendations answered: one to the service manager, one to the Board
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=20000)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    answer(qtbot, window, "1", MANAGER_ANSWER, "YJS Service Manager")
    answer(qtbot, window, "6", BOARD_ANSWER, "Chair of the Management Board")
    responses = {
        r.recommendation.reference: (r.category, r.narrative, r.lead_owner)
        for r in BoardResponse.select()
    }
    assert responses == {
        "1": ("Agreed", MANAGER_ANSWER, "YJS Service Manager"),
        "6": ("Agreed", BOARD_ANSWER, "Chair of the Management Board"),
    }

    # the first planned: an action with a milestone
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    plan = window.plan_view
    rect = plan.tree.visualRect(rec_row(plan, "1"))
    qtbot.mouseClick(plan.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(plan.tree, Qt.Key.Key_A, shift_ctrl)
    type_into(qtbot, plan, "Monthly case audits by team managers")
    qtbot.keyClick(plan.tree, Qt.Key.Key_Insert)
    type_into(qtbot, plan, "Audit tool agreed")
    action = row_named(plan, "Monthly case audits by team managers")
    assert children_of(plan, action) == ["Audit tool agreed"]
    assert action.siblingAtColumn(PlanColumn.ITEM).data() == "Monthly case audits by team managers"
    assert [a.text for a in Action.select()] == ["Monthly case audits by team managers"]
    assert [m.title for m in Milestone.select()] == ["Audit tool agreed"]

    # the response and action plan: six recommendations unanswered, so a draft
    response_pdf = tmp_path / "response.pdf"
    data = export(
        qtbot,
        window,
        window.export_response_action,
        response_pdf,
        monkeypatch,
        [(MissingItemsDialog, lambda d: d.export_button.click())],
    )
    pages = pages_text(data)
    text = " ".join(pages)
    assert "Reading Youth Justice Service" in pages[0]
    assert "5 / 36" in text and "Inadequate" in text and "Requires improvement" in text
    assert "Resettlement policy and provision" in text and "Not rated" in text
    assert "percent" not in text.casefold() and "%" not in text.split("Action plan")[0]
    assert MANAGER_ANSWER in text and BOARD_ANSWER in text
    assert "YJS Service Manager" in text and "Management Board" in text
    assert "Monthly case audits by team managers" in text and "Audit tool agreed" in text
    for reference in range(1, 9):
        assert Recommendation.get(Recommendation.reference == str(reference)).text[:40] in text

    # the Board progress paper for the meeting the secretary chooses
    def meeting(dialog: Any) -> None:
        dialog.date_edit.setDate(date(2025, 1, 23))
        dialog.ok_button.click()

    progress_pdf = tmp_path / "progress.pdf"
    data = export(
        qtbot,
        window,
        window.export_progress_action,
        progress_pdf,
        monkeypatch,
        [(MeetingDateDialog, meeting)],
    )
    progress = " ".join(pages_text(data))
    assert "Reading Youth Justice Service" in progress
    assert "23 January 2025" in progress
    assert "5 / 36" in progress and "Inadequate" in progress
    assert "1 action is live and 0 are complete, across 8 recommendations" in progress
    assert "Addressed to: Management Board" in progress

    # every page rendered to look at (tmp_path keeps them for the person reviewing)
    for pdf in (response_pdf, progress_pdf):
        for image in render_pages(pdf):
            assert image.stat().st_size > 1000
    assert messages == []
