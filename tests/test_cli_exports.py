"""``main.py export`` in every format: the format follows the file name's ending."""

from __future__ import annotations

import io
from datetime import date, timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path

import icalendar
import peewee
import pytest

from db.models import Recommendation
from esi_desktop import plan
from esi_desktop.cli import main
from esi_desktop.inspections import list_inspections


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def with_plan(sample_db: peewee.Database) -> int:
    inspection_id = list_inspections()[0].id
    six = Recommendation.get(Recommendation.reference == "6").id
    action = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[six],
        text="Audit risk of harm assessments",
        owner="ACO Operations",
        target_date=date(2099, 9, 30),
    )
    plan.add_milestone(
        action_id=action, title="Audit tool agreed", due_date=date(2099, 5, 15), today=date.today()
    )
    plan.add_board_meeting(inspection_id=inspection_id, meeting_date=date(2099, 5, 26))
    return inspection_id


def test_the_calendar_has_every_date_with_the_reminder_asked_for(
    with_plan: int, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "plan.ics"
    status, printed, err = run("export", "calendar", "--out", str(out), "--db", db_url)
    assert (status, err) == (0, "")
    assert printed == (f"Wrote the Gloucestershire calendar (reminders 7 days before) to {out}.\n")
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    assert str(calendar["METHOD"]) == "PUBLISH"
    events = calendar.walk("VEVENT")
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert any(s.startswith("AP1.1 Audit tool agreed") for s in summaries)
    assert any(s.startswith("AP1 ") for s in summaries)
    assert len(events) == 3  # the milestone, the action's target date, the meeting
    assert {a["TRIGGER"].dt for a in calendar.walk("VALARM")} == {-timedelta(days=7)}
    status, printed, _ = run(
        "export", "calendar", "--out", str(out), "--db", db_url, "--remind", "0"
    )
    assert status == 0 and "reminders on the day" in printed
    again = icalendar.Calendar.from_ical(out.read_bytes())
    assert {a["TRIGGER"].dt for a in again.walk("VALARM")} == {timedelta(0)}


def test_the_email_is_an_unsent_draft_with_the_pdf_attached(
    with_plan: int, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "response.eml"
    status, printed, err = run(
        "export",
        "email",
        "response",
        "--to",
        "inspectorate@example.gov.uk",
        "--out",
        str(out),
        "--db",
        db_url,
    )
    assert status == 0, err
    assert "warning:" in err  # the plan is incomplete: DRAFT, as with the PDF
    assert printed.startswith("Wrote an e-mail with the response and action plan for Gloucest")
    assert printed.rstrip().endswith("missing.")
    message = BytesParser(policy=policy.default).parsebytes(out.read_bytes())
    assert message["X-Unsent"] == "1" and message["From"] is None
    assert message["To"] == "inspectorate@example.gov.uk"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "email", "response", "--to", "a@b"], "“a@b” is not an e-mail address"),
        (["export", "email", "--to", "a@example.gov.uk"], "An e-mail carries a document"),
        (["export", "email", "response"], "An e-mail needs its recipient: add --to"),
        (["export", "email", "progress", "--to", "a@example.gov.uk"], "needs the meeting's date"),
        (["export", "calendar", "response"], "takes no second word"),
    ],
)
def test_an_export_that_cannot_be_is_one_line_and_writes_nothing(
    with_plan: int, db_url: str, tmp_path: Path, argv: list[str], message: str
) -> None:
    ending = ".eml" if argv[1] == "email" else ".ics"
    out = tmp_path / f"out{ending}"
    status, printed, err = run(*argv, "--out", str(out), "--db", db_url)
    assert (status, printed) == (2, "")
    assert message in err and err.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize(
    ("document", "name", "message"),
    [
        ("response", "response.xlsx", "response.xlsx: the response and action plan is written "
         "as .pdf or .docx, not .xlsx; end the file name with one of them."),
        ("progress", "paper.docx", "paper.docx: a Board progress paper is written as .pdf, not "
         ".docx; end the file name with it."),
        ("calendar", "dates.csv", "dates.csv: the calendar is written as .ics, not .csv"),
    ],
)  # fmt: skip
def test_the_ending_of_another_of_our_formats_is_a_sentence(
    with_plan: int, db_url: str, tmp_path: Path, document: str, name: str, message: str
) -> None:
    out = tmp_path / name
    status, _, err = run(
        "export", document, "--out", str(out), "--db", db_url, "--meeting", "26/05/2099"
    )
    assert status == 2 and message in err
    assert not out.exists()


def test_the_response_as_word_and_the_plan_as_excel(
    with_plan: int, db_url: str, tmp_path: Path
) -> None:
    import docx
    import openpyxl  # type: ignore[import-untyped]

    word = tmp_path / "response.docx"
    status, printed, err = run("export", "response", "--out", str(word), "--db", db_url)
    assert status == 0 and "warning:" in err
    assert printed.startswith("Wrote the response and action plan for Gloucestershire (Word)")
    assert ", marked DRAFT:" in printed
    document = docx.Document(str(word))
    text = "\n".join(p.text for p in document.paragraphs)
    six = Recommendation.get(Recommendation.reference == "6").text
    assert " ".join(six.split())[:60] in " ".join(text.split())
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any("AP1.1" in c for c in cells)

    workbook_path = tmp_path / "plan.xlsx"
    status, printed, err = run(
        "export", "plan", "--out", str(workbook_path), "--db", db_url, "--meeting", "26/05/2099"
    )
    assert (status, err) == (0, "")
    assert printed == (
        f"Wrote the action plan workbook (progress for 26 May 2099) to {workbook_path}.\n"
    )
    workbook = openpyxl.load_workbook(workbook_path)
    assert workbook.sheetnames[:2] == ["Plan", "Progress"]
    values = [c.value for row in workbook["Plan"].iter_rows() for c in row]
    assert "AP1.1" in values and date(2099, 5, 15) in [
        v.date() if hasattr(v, "date") else v for v in values
    ]
    # the format follows the ending: a .docx name cannot take the workbook
    status, _, err = run("export", "plan", "--out", str(word), "--db", db_url)
    assert status == 2 and "the action plan workbook is written as .xlsx" in err


def test_an_ending_of_no_format_of_ours_gets_the_default_pdf(
    with_plan: int, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "response.v2"
    status, _, _ = run("export", "response", "--out", str(out), "--db", db_url)
    assert status == 0 and out.read_bytes().startswith(b"%PDF-")


def test_the_office_libraries_load_only_when_a_file_of_theirs_is_made() -> None:
    """Start-up (the command line, the window) pays nothing for Word, Excel or calendars."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "import esi_desktop.cli, ui.main_window, ui.menus\n"
        "print(sorted(m for m in ('openpyxl', 'docx', 'icalendar') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.stdout.strip() == "[]"


def test_the_owners_returns_go_out_and_come_back_through_the_command_line(
    with_plan: int, db_url: str, tmp_path: Path
) -> None:
    import json

    import openpyxl  # type: ignore[import-untyped]

    folder = tmp_path / "returns"
    folder.mkdir()
    status, printed, err = run("export", "returns", "--out", str(folder), "--db", db_url)
    assert status == 0, err
    (written,) = sorted(folder.glob("*.xlsx"))
    assert written.name.startswith("ACO Operations")
    # the owner fills in their return in Excel
    workbook = openpyxl.load_workbook(written)
    sheet = workbook.worksheets[0]
    header = next(row for row in sheet.iter_rows() if any(c.value == "Reference" for c in row))
    column = {c.value: c.column for c in header}
    milestone_row = next(
        r
        for r in range(header[0].row + 1, sheet.max_row + 1)
        if sheet.cell(r, column["Reference"]).value == "AP1.1"
    )
    sheet.cell(milestone_row, column["Status"]).value = "In progress"
    workbook.save(written)
    status, printed, err = run("import-returns", str(written), "--db", db_url, "--json")
    assert status == 0, err
    (document,) = json.loads(printed)["files"]
    assert document["owner"] == "ACO Operations"
    assert [a["reference"] for a in document["applied"]] == ["AP1.1"]
    status, _, err = run("import-returns", str(tmp_path / "nothing.xlsx"), "--db", db_url)
    assert status == 2 and err
