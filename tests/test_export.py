"""The PDF documents: every approved word is in them, nothing internal is, and they look right.

Text is read back with pypdf; page 1 is rendered to a PNG with QtPdf in the test's folder.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import peewee
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from db.models import Milestone, PlanSubmission, Recommendation
from esi_desktop import follow_up, plan
from esi_desktop.cli import main
from esi_desktop.export import (
    ProgressRenderer,
    ResponseRenderer,
    progress_content,
    render_progress,
    render_response,
    response_content,
)
from esi_desktop.inspections import list_inspections
from esi_desktop.plan import submission
from esi_desktop.wording import long_date
from ui.export.missing_items import MissingItemsDialog

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2005, 6, 1)
BASE_14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")


def flat(value: str) -> str:
    """Whitespace-normalised text, as words compare across line breaks."""
    return " ".join(value.split())


def pdf_text(data: bytes) -> str:
    return flat(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages))


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


@dataclass
class FilledPlan:
    """A realistic plan on the sample inspection, and the words the documents must carry."""

    inspection_id: int
    responses: dict[str, dict[str, str]] = field(default_factory=dict)
    owners: list[str] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    milestones: dict[str, int] = field(default_factory=dict)
    actions: dict[str, int] = field(default_factory=dict)


def fill_plan() -> FilledPlan:
    """Responses of every category, actions with milestones, internal notes that must not leak."""
    filled = FilledPlan(list_inspections()[0].id)
    responses = {
        "1": {
            "category": "Agreed",
            "narrative": "A costed training plan – £48,000 in 2005–06 – "
            "will go to the Board’s July meeting.\n\nIt will be reviewed every six months.",
            "part_agreed": "",
            "reason": "",
            "lead_owner": "Head of Learning and Development",
        },
        "6": {
            "category": "Agreed",
            "narrative": "Senior probation officers will audit risk of "
            "harm assessments every month and report to the Board each quarter.",
            "part_agreed": "",
            "reason": "",
            "lead_owner": "ACO Operations",
        },
        "7": {
            "category": "Partly agreed",
            "narrative": "Supervision plans are reviewed monthly.",
            "part_agreed": "Community orders supervised by the area",
            "reason": "Licence plans are drawn up with the prison; their timing is not ours.",
            "lead_owner": "",
        },
        "T5": {
            "category": "Not agreed",
            "narrative": "",
            "part_agreed": "",
            "reason": "The approved premises review is led nationally by the NPD.",
            "lead_owner": "",
        },
    }
    for reference, values in responses.items():
        plan.save_response(recommendation_id=rec_id(reference), **values)
    filled.responses = responses
    first = plan.add_action(
        inspection_id=filled.inspection_id,
        recommendation_ids=[rec_id("1"), rec_id("2")],
        text="Draw up a costed staff training and development plan linked to the business plan",
        owner="Zoë Brontë, Head of Learning and Development",
        target_date=date(2005, 9, 30),
    )
    second = plan.add_action(
        inspection_id=filled.inspection_id,
        recommendation_ids=[rec_id("6")],
        text="Audit ten risk of harm assessments a month in each team",
        owner="ACO Operations",
        target_date=date(2005, 12, 31),
    )
    plan.set_action_criteria(action_id=second, criteria=[("esi-core", "B1"), ("esi-core", "C5")])
    filled.actions = {"first": first, "second": second}
    filled.owners = ["Zoë Brontë, Head of Learning and Development", "ACO Operations"]
    filled.dates = [date(2005, 9, 30), date(2005, 12, 31)]
    for key, action, title, due in (
        ("analysis", first, "Training needs analysis completed", date(2005, 4, 30)),
        ("draft", first, "Draft plan approved by the Board", date(2005, 7, 21)),
        ("tool", second, "Audit tool agreed", date(2005, 5, 15)),
        ("report", second, "First audit report to the Board", date(2005, 10, 20)),
    ):
        filled.milestones[key] = plan.add_milestone(
            action_id=action, title=title, due_date=due, today=TODAY
        )
        filled.dates.append(due)
    plan.update_milestone(
        milestone_id=filled.milestones["analysis"],
        changes={
            "status": "Complete",
            "completed_on": date(2005, 4, 28),
            "evidence": "Analysis report",
        },
        today=TODAY,
    )
    filled.notes = ["NOTE-ON-REC-ONE-not-for-print", "NOTE-ON-ACTION-not-for-print"]
    plan.set_recommendation_fields(
        recommendation_id=rec_id("1"), changes={"internal_note": filled.notes[0]}
    )
    plan.update_action(action_id=second, changes={"internal_note": filled.notes[1]})
    return filled


@pytest.fixture
def filled(sample_db: peewee.Database) -> FilledPlan:
    return fill_plan()


@pytest.fixture(scope="module")
def qapp_for_pdf() -> QApplication:
    from ui.app import make_application

    return make_application()


def render_page_one(data: bytes, path: Path) -> int:
    """Render page 1 with QtPdf to a PNG; return how many distinct colours it has."""
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    pdf = path.with_suffix(".pdf")
    pdf.write_bytes(data)
    document = QPdfDocument(None)
    assert document.load(str(pdf)) == QPdfDocument.Error.None_
    size = document.pagePointSize(0)
    image = document.render(0, QSize(int(size.width()), int(size.height())))
    assert image.save(str(path))
    document.close()
    colours = set()
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            colours.add(image.pixel(x, y))
    return len(colours)


# ----- the response and action plan ----------------------------------------------------------


def test_response_carries_every_approved_word_and_no_internal_note(filled: FilledPlan) -> None:
    data = render_response(inspection_id=filled.inspection_id, today=TODAY)
    words = pdf_text(data)
    for recommendation in Recommendation.select():
        assert f"Recommendation {recommendation.reference}" in words
        assert flat(recommendation.text) in words, recommendation.reference
    for values in filled.responses.values():
        assert values["category"] in words
        for key in ("narrative", "part_agreed", "reason", "lead_owner"):
            for paragraph in values[key].split("\n\n"):
                assert flat(paragraph) in words, (key, paragraph)
    for owner in filled.owners:
        assert owner in words
    for day in filled.dates:
        assert long_date(day) in words
    assert "28 April 2005" in words  # a milestone's completion date
    for note in filled.notes:
        assert note not in words
    assert "Response not yet agreed" in words  # recommendation 2 and others have none
    assert "£48,000 in 2005–06" in words and "Board’s July" in words
    assert "Action plan submitted:" in words
    # most recommendations are unanswered: a draft, listing them, with no sign-off
    assert "This is a draft: not yet complete" in words and "Chair of the Board" not in words
    assert "B1 Assessment of risk of harm" in words  # a criterion, code and title
    pages = PdfReader(io.BytesIO(data)).pages
    assert 8 <= len(pages) <= 30
    assert f"Page 1 of {len(pages)}" in words and f"Page {len(pages)} of {len(pages)}" in words


def test_response_metadata_language_fonts_and_outline(filled: FilledPlan) -> None:
    data = render_response(inspection_id=filled.inspection_id, today=TODAY)
    reader = PdfReader(io.BytesIO(data))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == (
        "DRAFT — Response to the inspection report and action plan: Gloucestershire Probation Board"
    )  # most recommendations are unanswered (tests/test_export_completeness.py)
    assert meta.author == "Gloucestershire Probation Board"
    assert meta.subject and "HM Inspectorate of Probation" in meta.subject
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"

    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font)["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
    assert {name.split("+", 1)[1] for name in fonts} == {
        "LiberationSans",
        "LiberationSans-Bold",
        "LiberationSans-Italic",
    }
    assert all("+" in name for name in fonts)  # subsets
    assert not any(name.lstrip("/").startswith(BASE_14) for name in fonts)

    outline = [
        (item.title, reader.get_destination_page_number(item)) for item in _flatten(reader.outline)
    ]
    titles = [title for title, _page in outline]
    for recommendation in Recommendation.select():
        assert titles.count(f"Recommendation {recommendation.reference}") == 2
    pages = dict(outline)
    assert pages["Cover"] == 0 and pages["Action plan"] > pages["Scoring summary"] > 0
    assert len({page for _title, page in outline}) > 5  # bookmarks point at their own pages
    one = next(page for title, page in outline if title == "Recommendation 1")
    assert flat(Recommendation.get(Recommendation.reference == "1").text) in flat(
        reader.pages[one].extract_text()
    )


def _flatten(items: list[Any]) -> Iterator[Any]:
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def test_action_plan_is_landscape_and_its_tables_repeat_their_header(
    filled: FilledPlan,
) -> None:
    for step in range(60):
        plan.add_milestone(
            action_id=filled.actions["second"],
            title=f"Monthly audit {step + 1}",
            due_date=date(2005, 6, 1 + step % 28),
            today=TODAY,
        )
    renderer = ResponseRenderer(response_content(inspection_id=filled.inspection_id, today=TODAY))
    reader = PdfReader(io.BytesIO(renderer.render()))
    assert renderer.page_count == len(reader.pages)
    first = reader.pages[0].mediabox
    assert first.width < first.height  # the cover is portrait A4
    assert (round(float(first.width)), round(float(first.height))) == (595, 842)
    wide = [p for p in reader.pages if p.mediabox.width > p.mediabox.height]
    assert wide, "the action plan has landscape pages"
    with_audits = [p.extract_text() for p in wide if "Monthly audit" in p.extract_text()]
    assert len(with_audits) >= 2, "the long table splits across pages"
    assert all("Action and its milestones" in t for t in with_audits)
    for page in reader.pages[1:]:
        assert "Gloucestershire Probation Board" in page.extract_text()  # running header


def test_sample_without_a_plan_marks_every_gap(sample_db: peewee.Database) -> None:
    inspection_id = list_inspections()[0].id
    words = pdf_text(render_response(inspection_id=inspection_id, today=TODAY))
    assert words.count("Response not yet agreed") == 15
    assert "No actions recorded yet" in words
    assert "The action plan has no actions yet" in words
    assert "0 actions with 0 milestones" in words
    assert "Action plan submitted: ____" in words  # a line to fill in by hand


def test_follow_up_results_add_columns_and_the_comparison(filled: FilledPlan) -> None:
    before = pdf_text(render_response(inspection_id=filled.inspection_id, today=TODAY))
    assert "Follow-up" not in before
    follow_up.set_follow_up(
        inspection_id=filled.inspection_id, planned_date=date(2005, 10, 10), status="Reported"
    )
    follow_up.set_follow_up_result(
        inspection_id=filled.inspection_id, framework_id="esi-core", code="B1", value=70
    )
    follow_up.set_follow_up_result(
        inspection_id=filled.inspection_id, framework_id="esi-core", code="A1", value="Well met"
    )
    after = pdf_text(render_response(inspection_id=filled.inspection_id, today=TODAY))
    assert "Baseline Follow-up Change" in after
    assert "46% 70% +24 points" in after
    assert "Partly met Well met up 2 steps" in after
    paper = pdf_text(
        render_progress(
            inspection_id=filled.inspection_id,
            meeting_date=date(2005, 11, 17),
            today=date(2005, 11, 10),
        )
    )
    assert "has reported" in paper and "46% 70% +24 points" in paper


# ----- the Board progress paper -------------------------------------------------------------


def test_progress_paper_lists_completions_overdue_items_and_extension_requests(
    filled: FilledPlan, tmp_path: Path, qapp_for_pdf: QApplication
) -> None:
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
        changes={
            "status": "Complete",
            "completed_on": date(2005, 5, 30),
            "evidence": "Tool approved by SMT",
        },
        today=TODAY,
    )
    plan.update_action(
        action_id=filled.actions["second"],
        changes={"rag_override": "Amber", "rag_override_reason": "Two SPO posts vacant"},
    )
    content = progress_content(
        inspection_id=inspection_id, meeting_date=date(2005, 7, 21), today=date(2005, 7, 8)
    )
    renderer = ProgressRenderer(content)
    data = renderer.render()
    words = pdf_text(data)
    assert "Board progress paper" in words and "Board meeting of 21 July 2005" in words.replace(
        "BOARD MEETING OF 21 JULY 2005", "Board meeting of 21 July 2005"
    )
    assert "Since the Board meeting of 19 May 2005" in words
    assert "Plan sent to the Inspectorate 12 April 2005" in words
    # completed since the previous meeting (the analysis was done before it)
    assert "Audit tool agreed" in words and "Tool approved by SMT" in words
    assert "Analysis report" not in words
    # the slipped milestone, for decision, with both dates
    assert "6. Extension requests" in words
    assert "Draft plan approved by the Board" in words
    assert "21 July 2005 15 September 2005 56 days" in words
    assert "decide the 1 extension request (section 6)" in words
    # RAG words, the override shown as such, the chart's labels
    for word in ("Red", "Amber", "Green", "Complete", "No actions yet"):
        assert word in words
    assert "set to Amber by hand — Two SPO posts vacant" in words
    assert "2 actions are live and 0 are complete, across 15 recommendations" in words
    assert "Progress by recommendation" in words and "100%" in words
    assert "The follow-up inspection is not yet scheduled" in words
    for note in filled.notes:
        assert note not in words
    reader = PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.metadata is not None and reader.metadata.title.startswith("Board progress paper")
    assert 2 <= len(reader.pages) <= 8 and renderer.page_count == len(reader.pages)
    assert render_page_one(data, tmp_path / "progress-page-1.png") > 20


def test_progress_paper_names_overdue_items_and_a_plan_not_yet_sent(filled: FilledPlan) -> None:
    words = pdf_text(
        render_progress(
            inspection_id=filled.inspection_id,
            meeting_date=date(2005, 8, 18),
            today=date(2005, 8, 10),
        )
    )
    assert "Since the report was published in January 2005" in words
    assert "Draft plan approved by the Board" in words  # overdue since 21 July
    assert "20 days" in words
    assert "has not been marked as sent" in words


def test_response_page_one_renders(
    filled: FilledPlan, tmp_path: Path, qapp_for_pdf: QApplication
) -> None:
    data = render_response(inspection_id=filled.inspection_id, today=TODAY)
    assert render_page_one(data, tmp_path / "response-page-1.png") > 20


def test_progress_before_publication_is_refused(filled: FilledPlan) -> None:
    from esi_desktop.errors import ValidationError

    with pytest.raises(ValidationError, match="before the report was published"):
        progress_content(
            inspection_id=filled.inspection_id, meeting_date=date(2004, 12, 1), today=TODAY
        )


# ----- the command line ---------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_cli_exports_both_documents_and_marks_the_plan_sent(
    filled: FilledPlan, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "response.pdf"
    status, printed, err = run("export", "response", "--out", str(out), "--db", db_url)
    assert status == 0 and "warning: Recommendation 2 has no response yet.\n" in err
    assert "Wrote the response and action plan for Gloucestershire" in printed
    assert flat(Recommendation.get(Recommendation.reference == "6").text) in pdf_text(
        out.read_bytes()
    )
    # an incomplete plan is not marked sent without --force: the warnings say why
    status, printed, err = run("mark-sent", "--db", db_url, "--date", "2005-04-12")
    assert status == 2 and printed == ""
    assert "warning: 11 of 15 recommendations have no response from the Board: 2, 3, 4" in err
    assert "nothing was recorded" in err and "pass --force" in err
    assert PlanSubmission.select().count() == 0
    status, printed, err = run("mark-sent", "--db", db_url, "--date", "2005-04-12", "--force")
    assert status == 0 and "warning: 11 of 15 recommendations" in err
    assert "2 action target dates and 4 milestone due dates" in printed
    paper = tmp_path / "paper.pdf"
    status, printed, err = run(
        "export",
        "progress",
        "--out",
        str(paper),
        "--db",
        db_url,
        "--meeting",
        "21/07/2005",  # typed the British way, as in the window (ISO works too, above)
        "--inspection",
        str(filled.inspection_id),
    )
    assert (status, err) == (0, "")
    assert "Board progress paper for the meeting of 21 July 2005" in printed
    assert "Plan sent to the Inspectorate 12 April 2005" in pdf_text(paper.read_bytes())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "progress"], "needs the meeting's date: add --meeting"),
        (["export", "progress", "--meeting", "31/02/2005"], "February 2005 has 28 days"),
        (["export", "progress", "--meeting", "07/21/2005"], "is not a date"),
        (["export", "response", "--inspection", "99"], "There is no inspection with id 99"),
        (["mark-sent", "--date", "2099-01-01"], "is in the future"),
    ],
)
def test_cli_errors_are_one_line(
    filled: FilledPlan,
    db_url: str,
    tmp_path: Path,
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, _, err = run(
        *argv, "--db", db_url, *(["--out", str(tmp_path / "x.pdf")] if argv[0] == "export" else [])
    )
    err += capsys.readouterr().err  # argparse writes its own errors to stderr
    assert status == 2
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "x.pdf").exists()


def test_cli_refuses_an_unwritable_path_before_rendering(
    filled: FilledPlan, db_url: str, tmp_path: Path
) -> None:
    status, _, err = run(
        "export", "response", "--db", db_url, "--out", str(tmp_path / "missing" / "x.pdf")
    )
    assert status == 2 and "does not exist. Choose another folder." in err


def test_cli_asks_for_an_inspection_when_there_are_several(db_url: str, tmp_path: Path) -> None:
    from esi_desktop.resources import SAMPLE_REPORT

    other = tmp_path / "northshire.txt"
    other.write_text(
        SAMPLE_REPORT.read_text(encoding="utf-8").replace("Gloucestershire", "Northshire")
    )
    assert run("import", str(SAMPLE_REPORT), "--db", db_url)[0] == 0
    assert run("import", str(other), "--db", db_url)[0] == 0
    status, _, err = run("export", "response", "--db", db_url, "--out", str(tmp_path / "x.pdf"))
    assert status == 2 and "holds 2 inspections; choose one with --inspection ID" in err


def test_cli_export_end_to_end_in_a_process(db_url: str, tmp_path: Path) -> None:
    from esi_desktop.resources import SAMPLE_REPORT

    assert run("import", str(SAMPLE_REPORT), "--db", db_url)[0] == 0
    out = tmp_path / "Board’s response.pdf"
    done = subprocess.run(
        [sys.executable, "main.py", "export", "response", "--out", str(out), "--db", db_url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "pages) to" in done.stdout
    # nothing is answered yet: the file is written, and stderr says what is missing
    warnings = done.stderr.splitlines()
    assert len(warnings) == 15 and warnings[0] == "warning: Recommendation 1 has no response yet."
    assert PdfReader(str(out)).metadata.author == "Gloucestershire Probation Board"


# ----- the window ---------------------------------------------------------------------------


Messages = list[tuple[str, str]]


@pytest.fixture
def window(qtbot: QtBot, filled: FilledPlan) -> Iterator[tuple[QMainWindow, Any]]:
    from ui.app import make_application
    from ui.workspace import Workspace

    make_application()
    main_window = QMainWindow()
    qtbot.addWidget(main_window)
    main_window.resize(900, 700)
    main_window.show()
    workspace = Workspace(today=lambda: TODAY)
    workspace.set_inspection(filled.inspection_id)
    yield main_window, workspace
    main_window.close()


def when_modal(action: Callable[[QWidget], None], kind: type[QWidget]) -> None:
    """Act on the next modal dialog of a kind as soon as it appears."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, poll)
            return
        try:
            action(dialog)
        except BaseException:
            # the test fails with what went wrong (pytest-qt reports an exception raised in a
            # Qt callback) instead of waiting for ever on a dialog nobody will answer
            if isinstance(dialog, QDialog):
                dialog.reject()
            else:
                dialog.close()
            raise

    QTimer.singleShot(20, poll)


def export_as_draft(dialog: QWidget) -> None:
    """Go on past the list of what is missing (the filled plan is not complete)."""
    assert isinstance(dialog, MissingItemsDialog)
    dialog.export_button.click()


def test_export_dialog_previews_saves_and_opens_the_folder(
    window: tuple[QMainWindow, Any],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: Messages,
) -> None:
    from ui.export import dialogs as export_dialog
    from ui.export.dialogs import PdfPreviewDialog

    parent, workspace = window
    target = tmp_path / "out" / "response"
    target.parent.mkdir()
    monkeypatch.setattr(
        export_dialog.QFileDialog,
        "getSaveFileName",
        lambda *args, **kwargs: (str(target), "PDF documents (*.pdf)"),
    )
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    seen: dict[str, Any] = {}

    def use_preview(dialog: QWidget) -> None:
        assert isinstance(dialog, PdfPreviewDialog)
        qtbot.waitUntil(lambda: dialog.document.pageCount() > 0, timeout=10000)
        seen["pages"] = dialog.document.pageCount()
        seen["status"] = dialog.status.text()
        dialog.grab().save(str(tmp_path / "preview.png"))
        assert not dialog.open_folder_button.isVisible()
        dialog.save_button.click()
        seen["saved"] = dialog.status.text()
        assert dialog.open_folder_button.isVisible()
        dialog.open_folder_button.click()
        dialog.close_button.click()
        seen["closed"] = True

    when_modal(export_as_draft, MissingItemsDialog)
    when_modal(use_preview, PdfPreviewDialog)
    export_dialog.export_response_dialog(parent, workspace)
    qtbot.waitUntil(lambda: seen.get("closed", False), timeout=20000)
    qtbot.waitUntil(lambda: not export_dialog._RUNNING, timeout=5000)
    saved = target.with_name("response.pdf")
    assert seen["pages"] >= 8 and f"{seen['pages']} pages" in seen["status"]
    assert seen["saved"] == f"Saved to {saved}"
    assert saved.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in saved.parent.iterdir()) == ["response.pdf"]
    assert opened == [str(saved.parent)]
    assert messages == []


def test_saving_to_a_locked_file_is_a_sentence(
    window: tuple[QMainWindow, Any],
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: Messages,
) -> None:
    import os

    from ui.export import dialogs as export_dialog
    from ui.export.dialogs import PdfPreviewDialog

    parent, workspace = window
    target = tmp_path / "locked.pdf"
    target.write_bytes(b"%PDF-1.4 open in a viewer")
    monkeypatch.setattr(
        export_dialog.QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "")
    )

    def locked(_source: object, _destination: object) -> None:
        raise PermissionError(32, "The file is being used by another process")

    monkeypatch.setattr(os, "replace", locked)
    done: list[bool] = []

    def try_to_save(dialog: QWidget) -> None:
        assert isinstance(dialog, PdfPreviewDialog)
        dialog.save_button.click()
        assert not dialog.open_folder_button.isVisible()
        dialog.reject()
        done.append(True)

    when_modal(export_as_draft, MissingItemsDialog)
    when_modal(try_to_save, PdfPreviewDialog)
    export_dialog.export_response_dialog(parent, workspace)
    qtbot.waitUntil(lambda: bool(done), timeout=20000)
    qtbot.waitUntil(lambda: not export_dialog._RUNNING, timeout=5000)
    title, text = messages[-1]
    assert title == "Cannot save the PDF"
    assert "open in another program" in text and "Traceback" not in text
    assert target.read_bytes() == b"%PDF-1.4 open in a viewer"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_progress_dialog_asks_the_meeting_then_previews(
    window: tuple[QMainWindow, Any],
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.export import dialogs as export_dialog
    from ui.export.dialogs import MeetingDateDialog, PdfPreviewDialog

    parent, workspace = window
    plan.add_board_meeting(inspection_id=workspace.inspection_id, meeting_date=date(2005, 5, 19))
    plan.add_board_meeting(inspection_id=workspace.inspection_id, meeting_date=date(2005, 7, 21))
    seen: dict[str, Any] = {}

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, MeetingDateDialog)
        seen["default"] = dialog.chosen()  # the next meeting after today
        dialog.date_edit.setDate(date(2005, 7, 21))
        dialog.ok_button.click()

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, PdfPreviewDialog)
        seen["title"] = dialog.windowTitle()
        seen["text"] = pdf_text(dialog.data)
        dialog.reject()

    when_modal(choose, MeetingDateDialog)
    when_modal(look, PdfPreviewDialog)
    export_dialog.export_progress_dialog(parent, workspace)
    qtbot.waitUntil(lambda: "text" in seen, timeout=20000)
    qtbot.waitUntil(lambda: not export_dialog._RUNNING, timeout=5000)
    assert seen["default"] == date(2005, 7, 21)
    assert seen["title"] == "Board progress paper — preview"
    assert "Since the Board meeting of 19 May 2005" in seen["text"]


def test_mark_plan_sent_dialog_records_and_undoes(
    window: tuple[QMainWindow, Any],
    qtbot: QtBot,
) -> None:
    from ui.export.dialogs import MarkSentDialog, mark_plan_sent_dialog

    parent, workspace = window
    inspection_id = workspace.inspection_id

    def confirm(dialog: QWidget) -> None:
        assert isinstance(dialog, MarkSentDialog)
        dialog.date_edit.setDate(date(2005, 4, 12))
        dialog.ok_button.click()

    warned: list[str] = []

    def cancel(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        warned.append(box.informativeText())
        box.button(QMessageBox.StandardButton.Cancel).click()

    # the plan has unanswered recommendations: the secretary is warned and can stop
    when_modal(confirm, MarkSentDialog)
    when_modal(cancel, QMessageBox)
    mark_plan_sent_dialog(parent, workspace)
    assert "recommendations have no response from the Board" in warned[0]
    assert submission.latest_submission(inspection_id=inspection_id) is None

    def anyway(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        next(b for b in box.buttons() if "anyway" in b.text()).click()

    when_modal(confirm, MarkSentDialog)
    when_modal(anyway, QMessageBox)
    mark_plan_sent_dialog(parent, workspace)
    record = submission.latest_submission(inspection_id=inspection_id)
    assert record is not None and record.sent_on == date(2005, 4, 12)
    assert "Marked the plan as sent on 12 April 2005" in parent.statusBar().currentMessage()
    assert workspace.undo_stack.undoText() == "Mark plan as sent"
    workspace.undo_stack.undo()
    assert submission.latest_submission(inspection_id=inspection_id) is None
    workspace.undo_stack.redo()
    again = submission.latest_submission(inspection_id=inspection_id)
    assert again is not None and (again.id, again.milestones) == (record.id, 4)
    assert Milestone.select().count() == 4
