"""The owners' update round from the window: File ▸ Export and File ▸ Import ▸ Owners'
progress returns, driven as a secretary does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from db.models import Recommendation
from esi_desktop import audit, plan
from tests.test_export import when_modal
from ui.export.returns import ReturnsPreviewDialog

TODAY = date(2005, 6, 1)


def test_returns_go_out_to_each_owner_and_their_answers_come_back(
    open_window: Callable[..., Any],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: list[tuple[str, str]],
) -> None:
    window = open_window(TODAY)
    inspection_id = window.workspace.inspection_id
    six = Recommendation.get(Recommendation.reference == "6").id
    for owner, title in (("ACO Operations", "Audit tool agreed"), ("SPO North", "Sample drawn")):
        action = plan.add_action(
            inspection_id=inspection_id,
            recommendation_ids=[six],
            text=f"Audit by {owner}",
            owner=owner,
            target_date=date(2005, 9, 30),
        )
        plan.add_milestone(action_id=action, title=title, due_date=date(2005, 7, 1), today=TODAY)
    window.workspace.invalidate()
    folder = tmp_path / "round"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))

    # File ▸ Export ▸ Owners' progress returns… (Ctrl+Shift+U)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    qtbot.keyClick(
        window,
        Qt.Key.Key_U,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: len(list(folder.glob("*.xlsx"))) == 2)
    title, question = messages[-1]
    assert "Write a progress return for each of 2 owners" in question
    assert "Wrote 2 progress returns" in window.statusBar().currentMessage()

    # the ACO marks their milestone in progress and saves the workbook
    (returned,) = [p for p in folder.glob("*.xlsx") if p.name.startswith("ACO Operations")]
    workbook = openpyxl.load_workbook(returned)
    sheet = workbook.worksheets[0]
    header = next(row for row in sheet.iter_rows() if any(c.value == "Reference" for c in row))
    column = {c.value: c.column for c in header}
    row = next(
        r
        for r in range(header[0].row + 1, sheet.max_row + 1)
        if sheet.cell(r, column["Reference"]).value == "AP1.1"
    )
    sheet.cell(row, column["Status"]).value = "In progress"
    sheet.cell(row, column["Evidence note"]).value = "Tool drafted"
    workbook.save(returned)

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(returned)], ""))
    seen: list[str] = []

    def apply(dialog: Any) -> None:
        assert isinstance(dialog, ReturnsPreviewDialog)
        seen.append(dialog.details.toPlainText())
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    when_modal(apply, ReturnsPreviewDialog)
    window.import_returns_action.trigger()  # File ▸ Import ▸ Owners' progress returns…
    assert "ACO Operations" in seen[0] and "AP1.1" in seen[0]
    assert "Applied 1 answer from 1 progress return" in window.statusBar().currentMessage()
    milestone = next(
        m
        for a in plan.load_plan(inspection_id=inspection_id, today=TODAY).actions.values()
        for m in a.milestones
        if m.reference == "AP1.1"
    )
    assert (milestone.status, milestone.evidence) == ("In progress", "Tool drafted")
    history = audit.inspection_history(inspection_id=inspection_id)
    assert "ACO Operations (progress return)" in {entry.changed_by for entry in history}


def test_the_preview_shows_uk_dates_comments_and_a_damaged_file_refused(
    open_window: Callable[..., Any],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # review 14, findings 6 and 10 (d)
    from esi_desktop.returns import write_returns

    window = open_window(TODAY)
    inspection_id = window.workspace.inspection_id
    six = Recommendation.get(Recommendation.reference == "6").id
    action = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[six],
        text="Audit risk of harm assessments",
        owner="ACO Operations",
        target_date=date(2005, 9, 30),
    )
    for title in ("Audit tool agreed", "First audit report"):
        plan.add_milestone(action_id=action, title=title, due_date=date(2005, 7, 1), today=TODAY)
    folder = tmp_path / "round"
    folder.mkdir()
    (returned,) = write_returns(inspection_id=inspection_id, folder=folder, today=TODAY)
    workbook = openpyxl.load_workbook(returned)
    sheet = workbook.worksheets[0]
    rows = {sheet.cell(r, 1).value: r for r in range(9, sheet.max_row + 1)}
    sheet.cell(rows["AP1.1"], 5).value = "Complete"
    sheet.cell(rows["AP1.1"], 6).value = date(2005, 5, 20)
    sheet.cell(rows["AP1.2"], 8).value = "Chased the SPOs"  # only a comment
    workbook.save(returned)
    damaged = folder / "damaged.xlsx"
    damaged.write_bytes(
        _with_sheet_xml(returned.read_bytes(), lambda d: d.replace(b"</sheetData>", b"<row>"))
    )
    names = [str(returned), str(damaged)]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (names, ""))
    seen: list[str] = []

    def cancel(dialog: Any) -> None:
        assert isinstance(dialog, ReturnsPreviewDialog)
        seen.append(dialog.details.toPlainText())
        dialog.reject()

    when_modal(cancel, ReturnsPreviewDialog)
    assert window.import_returns_action.trigger() is None
    qtbot.waitUntil(lambda: bool(seen))
    text = seen[0]
    assert "damaged.xlsx is not an Excel workbook or it is damaged" in text
    assert "AP1.1: status Not started → Complete; completed on — → 20/05/2005" in text
    assert "2005-05-20" not in text
    assert "AP1.2: comment “Chased the SPOs” (added to the action's internal note)" in text


def _with_sheet_xml(data: bytes, damage: Callable[[bytes], bytes]) -> bytes:
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = damage(part)
            target.writestr(info, part)
    return out.getvalue()
