"""Importing a Board's own tracker workbook (issue 14 §3): headings found under titles,
references, dates and statuses read by meaning, every row left out named, one transaction,
and a second import that updates instead of duplicating."""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import peewee
import pytest
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from db.models import Action, AuditEntry, Milestone
from esi_desktop import database
from esi_desktop.cli.tracker import tracker_document
from esi_desktop.errors import EsiError, ValidationError
from esi_desktop.plan import add_action
from esi_desktop.rules import MilestoneStatus
from esi_desktop.tracker import importer
from esi_desktop.tracker.importer import import_tracker, preview_tracker
from esi_desktop.tracker.sheet import TrackerRefused, field_of
from esi_desktop.tracker.values import (
    CellProblem,
    read_date,
    read_status,
    recommendation_references,
)

TODAY = date(2005, 6, 1)
HEADINGS = ("Rec No.", "Action", "Lead officer", "By when", "Progress", "Comments")
SHEET = "Action plan"
KNOWN = {str(n): f"Recommendation {n} text" for n in range(1, 11)} | {
    f"T{n}": f"Thematic {n}" for n in range(1, 6)
}

# ----- building workbooks ---------------------------------------------------------------------


def tracker(
    path: Path,
    rows: Sequence[Sequence[Any]],
    headings: Sequence[str] = HEADINGS,
    *,
    sheet: str = SHEET,
) -> Path:
    """A tracker as Boards keep them: a title, a blank row, the headings, then the rows."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws["A1"] = "Gloucestershire Probation Board — HMIP ESI action plan (January 2005)"
    ws.append([])
    ws.append(list(headings))
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return path


ROWS: list[list[Any]] = [
    ["Rec 3", "Audit case records each month", "ACO Operations", date(2005, 3, 31), "Done",
     "First audit reported to SMT"],
    ["R3", "Train all staff in risk of harm", "Head of Training", "31/03/2005", "Ongoing", ""],
    ["T2", "Review accommodation referrals", "ACO Partnerships", "31 March 2005", "", None],
    [7, "Appoint a quality lead", "Chief Officer", datetime(2005, 9, 30), "Not yet started",
     None],
]  # fmt: skip


def preview(sample: int, path: Path, **kwargs: Any) -> importer.TrackerPreview:
    return preview_tracker(inspection_id=sample, path=path, today=TODAY, **kwargs)


def stored_actions() -> list[Action]:
    return list(Action.select().order_by(Action.id))


@pytest.fixture
def sample(sample_db: peewee.Database) -> int:
    from db.models import Inspection

    return int(Inspection.select().get().id)


# ----- reading cells --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, ("3",)),
        (3.0, ("3",)),
        ("3", ("3",)),
        ("3.", ("3",)),
        ("Rec 3", ("3",)),
        ("Rec No. 3", ("3",)),
        ("R3", ("3",)),
        ("Recommendation 3", ("3",)),
        ("03", ("3",)),
        ("T2", ("T2",)),
        ("t2", ("T2",)),
        ("Rec T2", ("T2",)),
        ("3, 4", ("3", "4")),
        ("3 & T2", ("3", "T2")),
        ("3 and 4", ("3", "4")),
        ("3. Recommendation 3 text", ("3",)),
        ("Recommendation 9 text", ("9",)),
    ],
)
def test_recommendation_references_are_read_as_people_write_them(
    value: object, expected: tuple[str, ...]
) -> None:
    assert recommendation_references(value, KNOWN) == expected


@pytest.mark.parametrize("value", ["Rec 12", "R11", "T9", 12, "Theme A"])
def test_an_unknown_recommendation_is_a_problem_naming_the_known_ones(value: object) -> None:
    with pytest.raises(
        CellProblem,
        match=r"is not one of this inspection's recommendations "
        r"\(1–10, T1–T5\)",
    ):
        recommendation_references(value, KNOWN)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2005, 3, 31, 0, 0), date(2005, 3, 31)),
        (date(2005, 3, 31), date(2005, 3, 31)),
        ("31/03/2005", date(2005, 3, 31)),
        ("31 March 2005", date(2005, 3, 31)),
        ("31-Mar-05", date(2005, 3, 31)),
        ("31.3.05", date(2005, 3, 31)),
        (38442, date(2005, 3, 31)),  # Excel's day number in a cell not formatted as a date
    ],
)
def test_dates_are_read_from_date_cells_and_uk_text(value: object, expected: date) -> None:
    assert read_date(value, today=TODAY).day == expected


def test_a_month_and_year_is_read_as_the_end_of_the_month_and_says_so() -> None:
    reading = read_date("March 2005", today=TODAY)
    assert reading.day == date(2005, 3, 31)
    assert "the end of that month" in reading.note
    assert read_date("End of Sept 05", today=TODAY).day == date(2005, 9, 30)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("31/02/2005", "'31/02/2005' is not a date (February 2005 has 28 days)"),
        ("03/31/2005", "there is no month 31"),
        ("Ongoing", "'Ongoing' is not a date"),
        (12, "'12' is a number, not a date"),
    ],
)
def test_a_date_that_is_not_one_says_why(value: object, reason: str) -> None:
    with pytest.raises(CellProblem, match=re.escape(reason)):
        read_date(value, today=TODAY)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Complete", MilestoneStatus.COMPLETE),
        ("Completed - see SMT minutes", MilestoneStatus.COMPLETE),
        ("Done", MilestoneStatus.COMPLETE),
        ("Achieved", MilestoneStatus.COMPLETE),
        ("closed", MilestoneStatus.COMPLETE),
        ("Blue", MilestoneStatus.COMPLETE),
        ("100%", MilestoneStatus.COMPLETE),
        (1.0, MilestoneStatus.COMPLETE),
        ("In progress (1 of 3 milestones complete)", MilestoneStatus.IN_PROGRESS),
        ("Ongoing", MilestoneStatus.IN_PROGRESS),
        ("On track", MilestoneStatus.IN_PROGRESS),
        ("Green", MilestoneStatus.IN_PROGRESS),
        ("Amber", MilestoneStatus.IN_PROGRESS),
        ("50%", MilestoneStatus.IN_PROGRESS),
        ("Not started", MilestoneStatus.NOT_STARTED),
        ("Not yet started", MilestoneStatus.NOT_STARTED),
        ("To do", MilestoneStatus.NOT_STARTED),
        ("0%", MilestoneStatus.NOT_STARTED),
        ("", None),
        (None, None),
        ("No milestones yet", None),  # what our own workbook says of such an action
    ],
)
def test_statuses_are_read_by_meaning(value: object, expected: MilestoneStatus | None) -> None:
    reading = read_status(value)
    assert reading.status == expected
    assert reading.note == ""


def test_red_sets_no_status_and_says_why() -> None:
    reading = read_status("Red")
    assert reading.status is None
    assert "RAG rating, not a status" in reading.note
    with pytest.raises(CellProblem, match="'Awaiting HR' is not a status"):
        read_status("Awaiting HR")


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Rec No.", "recommendation"),
        ("REC  NO", "recommendation"),
        ("Recommendation number", "recommendation"),
        ("Lead officer", "owner"),
        ("Responsible", "owner"),
        ("Lead Officer / Owner", "owner"),
        ("By when", "target_date"),
        ("Timescale", "target_date"),
        ("Target date (dd/mm/yyyy)", "target_date"),
        ("Deadline", "target_date"),
        ("What we will do", "action"),
        ("Task", "milestone"),
        ("Progress", "status"),
        ("RAG", "rag"),
        ("Comments", "evidence"),
        ("Date completed", "completed"),
        ("Budget", None),
    ],
)
def test_headings_match_by_their_synonyms(heading: str, expected: str | None) -> None:
    assert field_of(heading) == expected


# ----- the preview ----------------------------------------------------------------------------


def test_the_header_row_is_found_under_a_title_and_every_row_read(
    sample: int, tmp_path: Path
) -> None:
    result = preview(sample, tracker(tmp_path / "plan.xlsx", ROWS))
    assert result.warnings == ()
    [table] = result.sheets
    assert (table.sheet, table.header_row) == (SHEET, 3)
    assert dict(table.headings) == {
        "recommendation": "Rec No.",
        "action": "Action",
        "owner": "Lead officer",
        "target_date": "By when",
        "status": "Progress",
        "evidence": "Comments",
    }
    actions = [
        (
            a.values["recommendations"],
            a.values["text"],
            a.values["owner"],
            a.values["target_date"],
            a.outcome,
        )
        for a in result.actions
    ]
    assert actions == [
        (("3",), "Audit case records each month", "ACO Operations", date(2005, 3, 31), "new"),
        (("3",), "Train all staff in risk of harm", "Head of Training", date(2005, 3, 31), "new"),
        (("T2",), "Review accommodation referrals", "ACO Partnerships", date(2005, 3, 31), "new"),
        (("7",), "Appoint a quality lead", "Chief Officer", date(2005, 9, 30), "new"),
    ]
    # progress is kept on a milestone of each action whose row gives some
    progress = [
        (m.values["title"], m.values["status"], m.values["evidence"]) for m in result.milestones
    ]
    assert progress == [
        ("Audit case records each month", "Complete", "First audit reported to SMT"),
        ("Train all staff in risk of harm", "In progress", None),
        ("Appoint a quality lead", "Not started", None),
    ]


def test_every_row_that_cannot_be_placed_is_a_warning_naming_sheet_row_and_cell(
    sample: int, tmp_path: Path
) -> None:
    rows = [
        *ROWS,
        ["Rec 12", "Something for a recommendation the report never made", "ACO", "31/03/2005"],
        [4, "Report to the Board", "Chief Officer", "31/02/2005"],
        [5, "Refresh the policy", "ACO", "31/12/2004"],
        [6, "", "ACO", "31/03/2005"],
        [8, "Lead the review", "", "30/06/2005", "Red"],
    ]
    result = preview(sample, tracker(tmp_path / "plan.xlsx", rows))
    assert result.warnings == (
        "Sheet 'Action plan', row 8, cell A8: 'Rec 12' is not one of this inspection's "
        "recommendations (1–10, T1–T5); the row was not imported.",
        "Sheet 'Action plan', row 9, cell D9: '31/02/2005' is not a date (February 2005 has "
        "28 days); the row was not imported.",
        "Sheet 'Action plan', row 10, cell D10: the target date 31 December 2004 is before the "
        "report was published (January 2005); the row was not imported.",
        "Sheet 'Action plan', row 11, cell B11: there is no action in this row, so it was not "
        "imported.",
        "Sheet 'Action plan', row 12, cell C12: no owner; the action is imported waiting for one.",
        "Sheet 'Action plan', row 12, cell E12: 'Red' is a RAG rating, not a status: it may "
        "mean not started or badly behind, so the status was left as it was (Not started for "
        "a new item); this program works the RAG rating out for itself.",
    )
    assert [a.values["text"] for a in result.actions][-1] == "Lead the review"
    assert len(result.actions) == len(ROWS) + 1


def test_a_missing_required_column_is_refused_in_one_sentence_and_nothing_is_stored(
    sample: int, tmp_path: Path
) -> None:
    headings = ("Rec No.", "Lead officer", "By when", "Progress", "Comments")
    path = tracker(tmp_path / "plan.xlsx", [[r[0], *r[2:]] for r in ROWS], headings)
    with pytest.raises(TrackerRefused) as refused:
        preview(sample, path)
    message = str(refused.value)
    assert message == (
        "The workbook plan.xlsx cannot be imported: its sheet 'Action plan' has no Action "
        "column (its headings are Rec No., Lead officer, By when, Progress, Comments); give "
        "that column a heading such as 'Action' and import again."
    )
    assert message.count(". ") == 0  # one sentence
    assert stored_actions() == []


def test_a_workbook_that_is_not_one_is_refused_with_a_sentence(sample: int, tmp_path: Path) -> None:
    text = tmp_path / "plan.xlsx"
    text.write_text("Rec No.,Action\n3,Audit\n", encoding="utf-8")
    with pytest.raises(
        TrackerRefused,
        match=r"plan.xlsx is not an Excel workbook or it is "
        "damaged",
    ):
        preview(sample, text)
    old = tmp_path / "plan.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(TrackerRefused, match=r"Excel 97-2003 workbook \(.xls\)"):
        preview(sample, old)


def _with_cached_results(path: Path, results: dict[str, str]) -> None:
    """Give formula cells the results Excel would have saved (openpyxl saves none)."""
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    xml = parts[member].decode()
    for cell, result in results.items():
        xml, count = re.subn(
            rf'(<c r="{cell}"[^>]*>)<f>(.*?)</f><v\s*/?>(</v>)?',
            rf"\1<f>\2</f><v>{result}</v>",
            xml,
        )
        assert count == 1, cell
    parts[member] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)


def test_a_formula_cell_is_read_by_its_saved_result_and_one_without_is_named(
    sample: int, tmp_path: Path
) -> None:
    rows = [
        ["=2+1", "Audit case records each month", "ACO Operations", "=DATE(2005,3,31)"],
        ["=1+1", "Train staff", "Head of Training", "31/03/2005"],
    ]
    path = tracker(tmp_path / "plan.xlsx", rows)
    _with_cached_results(path, {"A4": "3", "D4": "38442"})
    result = preview(sample, path)
    [action] = result.actions
    assert action.values["recommendations"] == ("3",)
    assert action.values["target_date"] == date(2005, 3, 31)  # a number: Excel's day count
    assert result.warnings == (
        "Sheet 'Action plan', row 5, cell A5: the formula =1+1 has no result saved with the "
        "file; open the workbook in Excel or LibreOffice, save it, and import again; the row "
        "was not imported.",
    )


def test_text_that_looks_like_a_formula_is_kept_as_text(sample: int, tmp_path: Path) -> None:
    path = tracker(tmp_path / "plan.xlsx", [[3, "Audit", "ACO", "31/03/2005", "", ""]])
    book = load_workbook(path)
    cell = book[SHEET]["F4"]
    cell.value, cell.data_type = '=HYPERLINK("http://evil","x")', "s"
    book.save(path)
    result = preview(sample, path)
    assert result.milestones[0].values["evidence"] == '=HYPERLINK("http://evil","x")'
    import_tracker(preview=result)
    assert Milestone.get().evidence == '=HYPERLINK("http://evil","x")'


def test_milestones_are_grouped_under_their_action(sample: int, tmp_path: Path) -> None:
    headings = (
        "Rec",
        "Actions",
        "Responsible",
        "Target date",
        "Milestone",
        "Due date",
        "Status",
        "Evidence",
        "Date completed",
    )
    rows: list[list[Any]] = [
        ["Recommendation 3"],  # a heading row for the rows under it
        [
            None,
            "Audit case records",
            "ACO Operations",
            "30/09/2005",
            "Design the audit tool",
            "31/03/2005",
            "Complete",
            "Tool agreed at SMT",
            "15/03/2005",
        ],
        [None, None, None, None, "Run the first audit", "30/06/2005", "In progress"],
        [None, None, None, None, "Report to the Board", "30/09/2005"],
        [
            "T2",
            "Review referrals",
            "ACO Partnerships",
            "31/12/2005",
            "Map the referral routes",
            "31/07/2005",
        ],
    ]
    result = preview(sample, tracker(tmp_path / "plan.xlsx", rows, headings))
    assert result.warnings == ()
    assert [(a.values["text"], a.values["target_date"]) for a in result.actions] == [
        ("Audit case records", date(2005, 9, 30)),
        ("Review referrals", date(2005, 12, 31)),
    ]
    assert [
        (m.action_key, m.values["title"], m.values["status"], m.values["completed_on"])
        for m in result.milestones
    ] == [
        ("text:3|audit case records", "Design the audit tool", "Complete", date(2005, 3, 15)),
        ("text:3|audit case records", "Run the first audit", "In progress", None),
        ("text:3|audit case records", "Report to the Board", None, None),
        ("text:T2|review referrals", "Map the referral routes", None, None),
    ]
    outcome = import_tracker(preview=result)
    assert outcome.created_actions == ("AP1", "AP2")
    assert outcome.created_milestones == ("AP1.1", "AP1.2", "AP1.3", "AP2.1")
    first = Milestone.get(Milestone.title == "Design the audit tool")
    assert (first.status, first.completed_on, first.evidence) == (
        "Complete",
        date(2005, 3, 15),
        "Tool agreed at SMT",
    )


def test_a_column_mapping_replaces_what_the_headings_say(sample: int, tmp_path: Path) -> None:
    headings = ("Rec No.", "Action", "Lead officer", "Budget holder", "By when")
    rows = [[3, "Audit", "ACO Operations", "Treasurer", "31/03/2005"]]
    path = tracker(tmp_path / "plan.xlsx", rows, headings)
    assert preview(sample, path).actions[0].values["owner"] == "ACO Operations"
    mapped = preview(sample, path, columns={SHEET: {"owner": 4}})
    assert mapped.actions[0].values["owner"] == "Treasurer"
    assert mapped.sheets[0].headings["owner"] == "Budget holder"


# ----- importing ------------------------------------------------------------------------------


def test_import_stores_through_the_plan_and_a_second_import_updates_instead(
    sample: int, tmp_path: Path
) -> None:
    path = tracker(tmp_path / "plan.xlsx", ROWS)
    outcome = import_tracker(preview=preview(sample, path))
    assert outcome.created_actions == ("AP1", "AP2", "AP3", "AP4")
    assert outcome.backup is not None and outcome.backup.is_file()
    actions = stored_actions()
    assert [a.import_key for a in actions] == [
        "text:3|audit case records each month",
        "text:3|train all staff in risk of harm",
        "text:T2|review accommodation referrals",
        "text:7|appoint a quality lead",
    ]
    # recorded in the history like an action typed in the window, naming where it came from
    created = AuditEntry.select().where(AuditEntry.item_kind == "action").first()
    assert "imported from plan.xlsx, sheet 'Action plan', row 4" in (created.new_value or "")
    actions[0].internal_note = "Kept from the Board's eyes"
    actions[0].save()

    again = preview(sample, path)
    assert {a.outcome for a in (*again.actions, *again.milestones)} == {"unchanged"}
    import_tracker(preview=again)
    assert len(stored_actions()) == 4
    assert Milestone.select().count() == 3

    changed_rows = [list(row) for row in ROWS]
    changed_rows[0][2] = "ACO Quality"  # a new owner
    changed_rows[1][4] = "Complete"
    changed_rows[1][5] = "All 120 staff trained"
    changed_rows[3][3] = "31/10/2005"
    tracker(path, changed_rows)
    third = preview(sample, path)
    assert [(a.reference, a.outcome, [c[0] for c in a.changes]) for a in third.actions] == [
        ("AP1", "changed", ["owner"]),
        ("AP2", "unchanged", []),
        ("AP3", "unchanged", []),
        ("AP4", "changed", ["target_date"]),
    ]
    outcome = import_tracker(preview=third)
    assert (outcome.created_actions, outcome.created_milestones) == ((), ())
    assert outcome.changed_actions == ("AP1", "AP4")
    # AP2.1 is complete now; AP4.1, which holds AP4's progress, is due on its new date
    assert outcome.changed_milestones == ("AP2.1", "AP4.1")
    first = Action.get(Action.number == 1)
    assert (first.owner, first.internal_note) == ("ACO Quality", "Kept from the Board's eyes")
    trained = Milestone.get(Milestone.title == "Train all staff in risk of harm")
    assert (trained.status, trained.evidence, trained.completed_on) == (
        "Complete",
        "All 120 staff trained",
        TODAY,
    )
    assert len(stored_actions()) == 4 and Milestone.select().count() == 3


class _Boom:
    """Lets the first call through and fails the second, as a broken row would."""

    def __init__(self, real: Any, error: Exception) -> None:
        self.real, self.error, self.calls = real, error, 0

    def __call__(self, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls == 2:
            raise self.error
        return self.real(**kwargs)


@pytest.mark.parametrize(
    "error",
    [ValidationError("The action cannot be empty."), peewee.OperationalError("disk I/O error")],
)
def test_the_whole_import_is_one_transaction(
    sample: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    path = tracker(tmp_path / "plan.xlsx", ROWS)
    result = preview(sample, path)
    boom = _Boom(add_action, error)
    monkeypatch.setattr("esi_desktop.tracker.importer.add_action", boom)  # as the importer calls it
    with pytest.raises(EsiError, match=r"[Nn]othing was imported") as refused:
        import_tracker(preview=result)
    assert boom.calls == 2
    if isinstance(error, ValidationError):
        assert str(refused.value).startswith("Sheet 'Action plan', row 5: The action cannot")
    assert stored_actions() == []
    assert Milestone.select().count() == 0
    assert AuditEntry.select().where(AuditEntry.item_kind == "action").count() == 0


# ----- the command line -----------------------------------------------------------------------


def _arguments(path: Path, db_url: str, **flags: Any) -> argparse.Namespace:
    values = {"path": path, "db": db_url, "inspection": None, "dry_run": False, "json": False}
    return argparse.Namespace(**(values | flags))


@pytest.fixture
def sample_url(db_url: str) -> str:
    from esi_desktop.report.importer import load_sample

    database.connect(db_url)
    load_sample()
    database.disconnect()
    return db_url


def _count_actions(url: str) -> int:
    database.connect(url, read_only=True)
    try:
        return int(Action.select().count())
    finally:
        database.disconnect()


def test_import_plan_json_dry_run_stores_nothing_then_imports(
    sample_url: str, tmp_path: Path
) -> None:
    from esi_desktop.cli.tracker import import_plan

    path = tracker(tmp_path / "plan.xlsx", [*ROWS, ["Rec 12", "x", "y", "31/03/2005"]])
    out = io.StringIO()
    assert import_plan(_arguments(path, sample_url, dry_run=True, json=True), out) == 0
    document = json.loads(out.getvalue())
    assert isinstance(document["actions"], list) and len(document["actions"]) == 4
    assert isinstance(document["milestones"], list) and len(document["milestones"]) == 3
    assert document["warnings"] == [
        "Sheet 'Action plan', row 8, cell A8: 'Rec 12' is not one of this inspection's "
        "recommendations (1–10, T1–T5); the row was not imported."
    ]
    assert document["actions"][0] | {"key": None} == {
        "key": None,
        "sheet": SHEET,
        "row": 4,
        "reference": None,
        "outcome": "new",
        "changes": [],
        "recommendations": ["3"],
        "text": "Audit case records each month",
        "owner": "ACO Operations",
        "target_date": "2005-03-31",
    }
    assert document["imported"] is False
    assert _count_actions(sample_url) == 0

    out, err = io.StringIO(), io.StringIO()
    assert import_plan(_arguments(path, sample_url), out, err) == 0
    assert "4 actions: 4 created, 0 changed, 0 unchanged." in out.getvalue()
    assert "Created AP1, AP2, AP3, AP4." in out.getvalue()
    assert err.getvalue().startswith("warning: Sheet 'Action plan', row 8, cell A8:")
    assert _count_actions(sample_url) == 4

    out = io.StringIO()
    assert import_plan(_arguments(path, sample_url, json=True), out) == 0
    document = json.loads(out.getvalue())
    assert [a["reference"] for a in document["actions"]] == ["AP1", "AP2", "AP3", "AP4"]
    assert {a["outcome"] for a in document["actions"]} == {"unchanged"}
    assert document["imported"] is True
    assert _count_actions(sample_url) == 4


def test_import_plan_refuses_a_sheet_without_the_columns(sample_url: str, tmp_path: Path) -> None:
    from esi_desktop.cli.tracker import import_plan

    path = tracker(tmp_path / "plan.xlsx", [[3, "Audit", "ACO"]], ("Rec No.", "Action", "Owner"))
    with pytest.raises(EsiError, match="has no Target date column"):
        import_plan(_arguments(path, sample_url), io.StringIO())
    assert _count_actions(sample_url) == 0


# ----- an independent writer ------------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice is not installed here; .ci/run installs it",
)
def test_a_workbook_saved_by_libreoffice_imports_with_its_formula_results(
    sample: int, tmp_path: Path
) -> None:
    rows = [
        [
            "=1+2",
            "Audit case records each month",
            "ACO Operations",
            "=DATE(2005,3,31)",
            "Done",
            "First audit",
        ],
        *ROWS[1:],
    ]
    written = tracker(tmp_path / "written.xlsx", rows)
    saved = tmp_path / "saved"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo_profile_tracker'}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(saved),
            str(written),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    result = preview(sample, saved / "written.xlsx")
    assert result.warnings == ()
    first = result.actions[0].values
    assert (first["recommendations"], first["target_date"]) == (("3",), date(2005, 3, 31))
    assert [a.values["text"] for a in result.actions] == [r[1] for r in ROWS]
    outcome = import_tracker(preview=result)
    assert len(outcome.created_actions) == 4


def test_the_pure_parts_touch_no_database() -> None:
    from tests.test_architecture import PERSISTENCE, ROOT, Rule

    rule = Rule(
        "tracker",
        (
            "esi_desktop/tracker/values.py",
            "esi_desktop/tracker/sheet.py",
            "esi_desktop/tracker/rows.py",
        ),
        PERSISTENCE,
        transitive=True,
    )
    assert rule.offenders(ROOT) == []


def test_the_document_is_plain_data(sample: int, tmp_path: Path) -> None:
    document = tracker_document(preview(sample, tracker(tmp_path / "plan.xlsx", ROWS)))
    assert json.loads(json.dumps(document)) == document
    assert document["sheets"][0]["columns"]["owner"] == {"column": "C", "heading": "Lead officer"}
    assert document["counts"] == {
        "actions": {"new": 4, "changed": 0, "unchanged": 0},
        "milestones": {"new": 3, "changed": 0, "unchanged": 0},
    }


# ----- review findings (issue 14 §3) ----------------------------------------------------------


def _rewrite_member(path: Path, member: str, change: Any, *, stored: bool = False) -> None:
    """Rewrite one part of a workbook's zip (``change`` takes and returns its bytes)."""
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    parts[member] = change(parts[member])
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", method) as book:
        for name, data in parts.items():
            book.writestr(name, data)


def test_two_sheets_numbering_their_own_actions_from_1_are_kept_apart(
    sample: int, tmp_path: Path
) -> None:
    headings = ("Ref", "Rec No.", "Action", "Lead officer", "By when", "Status")
    path = tracker(
        tmp_path / "plan.xlsx",
        [
            ["AP1", 1, "Draw up a costed training plan", "Head of L&D", "30/09/2005", "On track"],
            ["AP2", 3, "Draw up a diversity action plan", "ACO Diversity", "31/10/2005", ""],
        ],
        headings,
    )
    book = load_workbook(path)
    thematic = book.create_sheet("Thematic")
    thematic.append(list(headings))
    thematic.append(["AP1", "T1", "Accommodation protocol", "Housing lead", "31/10/2005", ""])
    thematic.append(["AP2", "T2", "Accommodation database", "Housing lead", "30/11/2005", "Done"])
    book.save(path)
    result = preview(sample, path)
    assert result.warnings == ()
    assert [(a.values["recommendations"], a.values["text"]) for a in result.actions] == [
        (("1",), "Draw up a costed training plan"),
        (("3",), "Draw up a diversity action plan"),
        (("T1",), "Accommodation protocol"),
        (("T2",), "Accommodation database"),
    ]
    assert [(m.values["title"], m.values["status"]) for m in result.milestones] == [
        ("Draw up a costed training plan", "In progress"),
        ("Accommodation database", "Complete"),  # on T2's action, not recommendation 1's
    ]
    import_tracker(preview=result)
    again = preview(sample, path)
    assert {i.outcome for i in (*again.actions, *again.milestones)} == {"unchanged"}


def test_a_number_restarting_per_recommendation_is_a_clash_not_a_repeat(
    sample: int, tmp_path: Path
) -> None:
    headings = ("No.", "Rec No.", "Action", "Owner", "Target date")
    rows = [
        [1, 1, "Draw up a costed training plan", "Head of L&D", "30/09/2005"],
        [1, 1, "Train all SPOs", "Head of L&D", "31/12/2005"],
        [2, 6, "Audit ten assessments a month", "ACO Operations", "31/12/2005"],
        [2, 6, "Audit ten assessments a month", "ACO Operations", "31/12/2005"],
    ]
    result = preview(sample, tracker(tmp_path / "plan.xlsx", rows, headings))
    assert [a.values["text"] for a in result.actions] == [
        "Draw up a costed training plan",
        "Train all SPOs",
        "Audit ten assessments a month",
    ]
    assert result.warnings == (
        "Sheet 'Action plan', row 5, cell A5: the reference '1' is also that of row 4, a "
        "different action ('Draw up a costed training plan'); this action was imported, known "
        "by its recommendation and wording instead.",
        "Sheet 'Action plan', row 7, cell C7: this repeats the action of row 6 (the same "
        "recommendation and wording, or reference), so it was not imported again.",
    )


def _typed_plan(sample: int) -> None:
    """A plan typed in the window: AP1 (recommendations 1, 2) with AP1.1 and AP1.2, and AP2
    (recommendation 6) without milestones."""
    from db.models import Recommendation
    from esi_desktop.plan import add_milestone

    ids = {r.reference: r.id for r in Recommendation.select()}
    first = add_action(
        inspection_id=sample,
        recommendation_ids=[ids["1"], ids["2"]],
        text="Draw up a costed training plan",
        owner="Head of L&D",
        target_date=date(2005, 9, 30),
    )
    for title, due in (("Needs analysis", date(2005, 4, 30)), ("Plan approved", date(2005, 7, 21))):
        add_milestone(action_id=first, title=title, due_date=due, today=TODAY)
    add_action(
        inspection_id=sample,
        recommendation_ids=[ids["6"]],
        text="Audit risk of harm assessments",
        owner="ACO Operations",
        target_date=date(2005, 12, 31),
    )


def test_the_programs_own_plan_workbook_updates_the_plan_instead_of_duplicating_it(
    sample: int, tmp_path: Path
) -> None:
    from esi_desktop.export.xlsx_plan import plan_xlsx

    _typed_plan(sample)
    path = tmp_path / "plan-export.xlsx"
    path.write_bytes(plan_xlsx(inspection_id=sample, today=TODAY))
    result = preview(sample, path)
    assert result.counts() == {
        "actions": {"new": 0, "changed": 0, "unchanged": 2},
        "milestones": {"new": 0, "changed": 0, "unchanged": 2},
    }
    assert [i.reference for i in (*result.actions, *result.milestones)] == [
        "AP1",
        "AP2",
        "AP1.1",
        "AP1.2",
    ]
    # edited in Excel: a new wording, AP1.2 complete, a new owner for AP2
    book = load_workbook(path)
    sheet = book["Plan"]
    heading = {cell.value: cell.column for cell in sheet[1]}
    for row in sheet.iter_rows(min_row=2):
        reference = row[heading["Reference"] - 1].value
        if reference == "AP1.2":
            row[heading["Status"] - 1].value = "Complete"
        if reference == "AP2":
            row[heading["Owner"] - 1].value = "ACO Quality"
            row[heading["Action"] - 1].value = "Audit ten risk of harm assessments a month"
    book.save(path)
    changed = preview(sample, path)
    assert [(i.reference, i.outcome, [c[0] for c in i.changes]) for i in changed.actions] == [
        ("AP1", "unchanged", []),
        ("AP2", "changed", ["text", "owner"]),
    ]
    assert [(i.reference, i.outcome) for i in changed.milestones] == [
        ("AP1.1", "unchanged"),
        ("AP1.2", "changed"),
    ]
    outcome = import_tracker(preview=changed)
    assert (outcome.created_actions, outcome.created_milestones) == ((), ())
    assert len(stored_actions()) == 2 and Milestone.select().count() == 2
    assert Action.get(Action.number == 2).owner == "ACO Quality"


def test_a_board_reference_like_ours_for_another_recommendation_is_not_taken_for_it(
    sample: int, tmp_path: Path
) -> None:
    _typed_plan(sample)
    headings = ("Ref", "Rec No.", "Action", "Owner", "Target date")
    rows = [["AP2", "T1", "Accommodation protocol", "Housing lead", "31/10/2005"]]
    result = preview(sample, tracker(tmp_path / "plan.xlsx", rows, headings))
    assert [(a.outcome, a.values["text"]) for a in result.actions] == [
        ("new", "Accommodation protocol")
    ]
    assert result.warnings == (
        "Sheet 'Action plan', row 4: AP2 is this plan's reference of another action ('Audit "
        "risk of harm assessments', for recommendation 6), not one for recommendation T1, so "
        "the row is imported as a new action.",
    )
    import_tracker(preview=result)
    assert Action.get(Action.number == 2).text == "Audit risk of harm assessments"


def test_hidden_rows_are_left_out_with_a_warning(sample: int, tmp_path: Path) -> None:
    path = tracker(tmp_path / "plan.xlsx", ROWS)
    book = load_workbook(path)
    book[SHEET].row_dimensions[5].hidden = True  # "Train all staff in risk of harm"
    book.save(path)
    result = preview(sample, path)
    assert "Train all staff in risk of harm" not in [a.values["text"] for a in result.actions]
    assert len(result.actions) == len(ROWS) - 1
    assert result.warnings == (
        "Sheet 'Action plan', row 5 is hidden, so it was not imported; show the row in Excel "
        "(or delete it) and import again if it belongs in the plan.",
    )


def test_a_status_shown_only_by_colour_is_warned_about_once_for_its_column(
    sample: int, tmp_path: Path
) -> None:
    from openpyxl.styles import PatternFill  # type: ignore[import-untyped]

    rows = [[r[0], r[1], r[2], r[3], None, r[5]] for r in ROWS]
    path = tracker(tmp_path / "plan.xlsx", rows)
    book = load_workbook(path)
    for cell, colour in (("E4", "00B050"), ("E5", "FF0000"), ("E6", "00B050")):
        book[SHEET][cell].fill = PatternFill("solid", fgColor=colour)
    book[SHEET]["E7"].fill = PatternFill("solid", fgColor="FFFFFF")  # white: no RAG
    book.save(path)
    result = preview(sample, path)
    assert result.warnings == (
        "Sheet 'Action plan': column E ('Progress') shows a status only by its colour in 3 "
        "rows (4, 5, 6); this program reads what a cell says, not its colour, so their status "
        "was left as it was — type the status (or Red, Amber, Green, Blue) in those cells and "
        "import again.",
    )


@pytest.mark.parametrize("damage", ["xml", "crc"])
def test_a_damaged_worksheet_is_refused_in_a_sentence(
    sample_url: str, tmp_path: Path, damage: str
) -> None:
    from esi_desktop.cli.tracker import import_plan

    # past openpyxl's first read of a sheet (16 KB), where only reading its rows finds damage
    many = [[3, f"Action {n}", "ACO", "31/03/2005"] for n in range(400)]
    path = tracker(tmp_path / "plan.xlsx", [*ROWS, *many])
    member = "xl/worksheets/sheet1.xml"
    if damage == "xml":  # a cell never closed: the sheet's XML does not parse
        _rewrite_member(
            path, member, lambda data: data.replace(b"</sheetData>", b'<row r="999"><c r="A9">')
        )
    else:  # a byte changed inside the stored sheet: the zip's CRC check fails on reading
        _rewrite_member(path, member, lambda data: data, stored=True)
        raw = bytearray(path.read_bytes())
        at = raw.index(b"<v>", raw.index(b'<c r="A400"'))  # 3: still XML, still a number
        raw[at + 3] = ord("4")
        path.write_bytes(bytes(raw))
    with pytest.raises(
        TrackerRefused, match=r"^plan\.xlsx is not an Excel workbook or it is damaged"
    ):
        database.connect(sample_url)
        try:
            from db.models import Inspection

            read_id = int(Inspection.select().get().id)
            preview_tracker(inspection_id=read_id, path=path, today=TODAY)
        finally:
            database.disconnect()
    with pytest.raises(EsiError, match="damaged"):
        import_plan(_arguments(path, sample_url, dry_run=True), io.StringIO())


def test_a_column_with_dates_only_america_writes_warns_of_its_either_way_dates(
    sample: int, tmp_path: Path
) -> None:
    rows = [
        [3, "Audit case records", "ACO Operations", "04/05/2005"],
        [4, "Report to the Board", "Chief Officer", "03/31/2006"],
        [5, "Review referrals", "ACO Partnerships", "30/09/2005"],
        [6, "Refresh the policy", "ACO", "06/07/2005"],
    ]
    result = preview(sample, tracker(tmp_path / "plan.xlsx", rows))
    assert result.actions[0].values["target_date"] == date(2005, 5, 4)  # day first, as ever
    assert result.warnings[0] == (
        "Sheet 'Action plan': column D ('By when') has dates that can be read only month "
        "first, the American way ('03/31/2006', row 5), so its dates that read either way "
        "('04/05/2005', row 4 and 1 more) may be month first too; they were read day first "
        "('04/05/2005' as 4 May 2005) — check them, or write the months as words, and import "
        "again."
    )
    assert len(result.warnings) == 2  # and row 5 itself, refused as before
    uk_only = [rows[0], rows[2], rows[3]]
    assert preview(sample, tracker(tmp_path / "uk.xlsx", uk_only)).warnings == ()


def test_a_ref_column_holding_the_recommendation_is_read_when_recommendation_holds_titles(
    sample: int, tmp_path: Path
) -> None:
    headings = ("Ref", "Recommendation", "Action", "Owner", "Target date")
    rows = [
        [1, "Training plan", "Draw up a costed training plan", "Head of L&D", "30/09/2005"],
        [1, "Training plan", "Train all SPOs", "Head of L&D", "31/12/2005"],
        [6, "Risk audit", "Audit ten assessments a month", "ACO Operations", "31/12/2005"],
    ]
    result = preview(sample, tracker(tmp_path / "plan.xlsx", rows, headings))
    assert [(a.values["recommendations"], a.values["text"]) for a in result.actions] == [
        (("1",), "Draw up a costed training plan"),
        (("1",), "Train all SPOs"),
        (("6",), "Audit ten assessments a month"),
    ]
    assert result.warnings == (
        "Sheet 'Action plan': column B ('Recommendation') names no recommendation of this "
        "inspection (it holds 'Training plan'), so each row's recommendation was read from "
        "column A ('Ref').",
    )


def test_a_comments_column_is_said_to_be_printed_as_evidence_in_board_papers(
    sample: int, tmp_path: Path
) -> None:
    path = tracker(tmp_path / "plan.xlsx", ROWS)
    result = preview(sample, path)
    assert result.warnings == ()
    [note] = result.notes
    assert note.startswith(
        "Comments (sheet 'Action plan', column F) will be printed as evidence in Board papers"
    )
    assert "'(not in this sheet)'" in note
    headings = (*HEADINGS[:-1], "Evidence of progress")
    assert preview(sample, tracker(tmp_path / "evidence.xlsx", ROWS, headings)).notes == ()
    unmapped = preview(sample, path, columns={SHEET: {"evidence": 0}})
    assert unmapped.notes == ()
    assert {m.values["evidence"] for m in unmapped.milestones} == {None}


def test_import_plan_prints_the_notes(sample_url: str, tmp_path: Path) -> None:
    from esi_desktop.cli.tracker import import_plan

    path = tracker(tmp_path / "plan.xlsx", ROWS)
    out, err = io.StringIO(), io.StringIO()
    assert import_plan(_arguments(path, sample_url, dry_run=True), out, err) == 0
    [note] = [line for line in err.getvalue().splitlines() if line.startswith("note: ")]
    assert "Comments (sheet 'Action plan', column F) will be printed as evidence" in note
    out = io.StringIO()
    assert import_plan(_arguments(path, sample_url, dry_run=True, json=True), out) == 0
    assert json.loads(out.getvalue())["notes"] == [note.removeprefix("note: ")]
