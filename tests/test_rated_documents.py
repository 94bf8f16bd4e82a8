"""The documents of a rated inspection (the Reading case): a ratings table in place of the
scoring summary in both PDFs, the Word and the Excel versions, who each recommendation is
addressed to, and a response deadline the Board has not set yet; and the other exports
working for it. An ESI inspection's documents keep their scoring summary."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import peewee
import pytest
from docx import Document
from openpyxl import load_workbook  # type: ignore[import-untyped]
from pypdf import PdfReader

from db.models import Inspection, Recommendation
from esi_desktop import plan
from esi_desktop.export.docx_response import response_docx
from esi_desktop.export.email_draft import progress_email_text, response_email_text
from esi_desktop.export.progress import render_progress
from esi_desktop.export.progress_content import progress_content
from esi_desktop.export.rated_content import NO_DEADLINE_YET, rated_tables
from esi_desktop.export.response import render_response
from esi_desktop.export.response_content import response_content
from esi_desktop.export.xlsx_plan import PLAN_SHEET, PROGRESS_SHEET, plan_xlsx
from esi_desktop.follow_up import set_follow_up_result
from esi_desktop.inspections import list_inspections
from esi_desktop.reminders.emails import plan_reminders
from esi_desktop.returns import plan_returns, write_returns
from tests.rated_fixtures import FRAMEWORK, READING_ADDRESSEES

TODAY = date(2025, 1, 10)
MEETING = date(2025, 3, 1)

#: A follow-up's ratings: 14 / 36, Requires improvement (each counted standard as below).
FOLLOW_UP = {
    "1.1": "G",
    "1.2": "RI",
    "1.3": "RI",
    "1.4": "G",
    "2.1": "RI",
    "2.2": "G",
    "2.3": "I",
    "2.4": "RI",
    "3.1": "RI",
    "3.2": "I",
    "3.3": "G",
    "3.4": "RI",
    "4.1": "G",
}


def flat(value: str) -> str:
    return " ".join(value.split())


def pdf_text(data: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def reading_id() -> int:
    return list_inspections()[0].id


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


def rate_follow_up() -> None:
    for code, rating in FOLLOW_UP.items():
        set_follow_up_result(
            inspection_id=reading_id(), framework_id=FRAMEWORK, code=code, value=rating
        )


def between(words: str, start: str, end: str) -> str:
    """The words from ``start`` up to ``end`` (the part of a document between headings)."""
    begin = words.index(start)
    return words[begin : words.index(end, begin + len(start))]


# ----- the response PDF ---------------------------------------------------------------------


def test_response_pdf_has_a_ratings_table_and_no_percentage(rated_db: peewee.Database) -> None:
    words = pdf_text(render_response(inspection_id=reading_id(), today=TODAY))
    assert "Scoring summary" not in words
    ratings = between(words, "Ratings Each standard", "The Board’s response to each")
    assert "1 Organisational delivery" in ratings
    assert "1.1 Governance and leadership Requires improvement Counted" in ratings
    assert "1.2 Staff Inadequate Counted" in ratings
    assert "4.1 Resettlement policy and provision Not rated No: rated apart, not rated" in ratings
    assert "Total of the counted standards 5 / 36" in ratings
    assert "Overall rating Inadequate" in ratings
    assert "%" not in ratings
    # the cover names the body and its management board
    assert "READING YOUTH JUSTICE SERVICE MANAGEMENT BOARD" in words
    assert "Inspected body Reading Youth Justice Service" in words
    assert "Probation Board" not in words


def test_response_pdf_names_who_each_recommendation_is_addressed_to(
    rated_db: peewee.Database,
) -> None:
    words = pdf_text(render_response(inspection_id=reading_id(), today=TODAY))
    summary = between(words, "Summary of the response", "Ratings Each standard")
    assert "8 recommendations: 5 to the YJS Service Manager and 3 to the Management Board" in (
        summary
    )
    responses = words[words.index("The Board’s response to each recommendation") :]
    found = re.findall(
        r"Recommendation (\d) .*?Addressed to: (YJS Service Manager|Management Board)", responses
    )
    assert found == [(str(n), who) for n, who in enumerate(READING_ADDRESSEES, start=1)]
    assert "Standards it aims to improve" in responses


def test_response_deadline_not_set_yet_is_said_in_every_document(
    rated_db: peewee.Database,
) -> None:
    content = response_content(inspection_id=reading_id(), today=TODAY)
    assert content.response_due is None
    assert content.response_due_text == NO_DEADLINE_YET
    cover = pdf_text(render_response(inspection_id=reading_id(), today=TODAY))
    assert f"Response due {NO_DEADLINE_YET}" in cover
    document = Document(io.BytesIO(response_docx(inspection_id=reading_id(), today=TODAY)))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any(NO_DEADLINE_YET in c for c in cells)
    email = response_email_text(content).body
    assert "No date is set yet for sending it to the Inspectorate" in email
    assert "due with the Inspectorate on" not in email


def test_an_agreed_date_is_printed_once_the_board_sets_one(rated_db: peewee.Database) -> None:
    Inspection.update(
        agreed_response_due=date(2024, 12, 20), agreed_response_reason="endorsed by the Board"
    ).execute()
    content = response_content(inspection_id=reading_id(), today=TODAY)
    assert content.response_due == date(2024, 12, 20)
    words = pdf_text(render_response(inspection_id=reading_id(), today=TODAY))
    assert "Response due 20 December 2024" in words and NO_DEADLINE_YET not in words


# ----- the progress paper -------------------------------------------------------------------


def test_progress_paper_shows_the_ratings_until_a_follow_up_is_rated(
    rated_db: peewee.Database,
) -> None:
    words = pdf_text(render_progress(inspection_id=reading_id(), meeting_date=MEETING, today=TODAY))
    follow_up = words[words.index("7. The follow-up inspection") :]
    assert "There are no follow-up ratings to compare yet" in follow_up
    assert "Total of the counted standards 5 / 36" in follow_up
    assert "%" not in follow_up
    assert "Addressed to: Management Board" in words
    assert "Reading Youth Justice Service Management Board" in words


def test_progress_paper_puts_the_follow_up_ratings_beside_the_inspections(
    rated_db: peewee.Database,
) -> None:
    rate_follow_up()
    words = pdf_text(render_progress(inspection_id=reading_id(), meeting_date=MEETING, today=TODAY))
    follow_up = words[words.index("7. The follow-up inspection") :]
    assert "Standard Inspection Follow-up Change" in follow_up
    assert "1.1 Governance and leadership Requires improvement Good up one grade" in follow_up
    assert "1.4 Information and facilities Inadequate Good up two grades" in follow_up
    assert "2.3 Implementation and delivery Inadequate Inadequate no change" in follow_up
    assert "(rated apart, not counted) Not rated Good not comparable" in follow_up
    assert "Total of the counted standards 5 / 36 14 / 36" in follow_up
    assert "Overall rating Inadequate Requires improvement up one grade" in follow_up
    assert "%" not in follow_up


def test_the_ratings_table_rows_come_from_the_stored_ratings(rated_db: peewee.Database) -> None:
    (table,) = rated_tables(inspection_id=reading_id())
    assert table.follow_up is None
    rows = {r.code: r for r in table.rows() if r.kind == "standard"}
    assert rows["3.4"].rating == "Inadequate" and rows["3.4"].counts == "Counted"
    assert rows["4.1"].counts == "Rated apart, not rated"
    rate_follow_up()
    (table,) = rated_tables(inspection_id=reading_id())
    assert table.follow_up is not None and table.follow_up_label == "Follow-up"
    overall = table.rows()[-1]
    assert (overall.rating, overall.follow_up, overall.change) == (
        "Inadequate",
        "Requires improvement",
        "up one grade",
    )


# ----- Word and Excel -----------------------------------------------------------------------


def test_word_response_has_the_ratings_table_and_each_addressee(
    rated_db: peewee.Database,
) -> None:
    data = response_docx(inspection_id=reading_id(), today=TODAY)
    document = Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Ratings" in headings and "Scoring summary" not in headings
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["1.1", "Governance and leadership", "Requires improvement", "Counted"] in rows
    assert any(r[1:3] == ["Total of the counted standards", "5 / 36"] for r in rows)
    assert any(r[1:3] == ["Overall rating", "Inadequate"] for r in rows)
    assert not any("%" in c for r in rows for c in r)
    labelled = [p.text for p in document.paragraphs if p.text.startswith("Addressed to:")]
    # once under each recommendation's response (no actions yet: no action plan entries)
    assert labelled == [f"Addressed to: {who}" for who in READING_ADDRESSEES]
    with io.BytesIO(data) as raw:
        import zipfile

        xml = zipfile.ZipFile(raw).read("word/document.xml").decode("utf-8")
    assert xml.count("YJS Service Manager") >= 5 and "Management Board" in xml


def test_excel_plan_has_the_addressee_column_and_the_ratings(rated_db: peewee.Database) -> None:
    inspection_id = reading_id()
    plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[rec_id("6"), rec_id("1")],
        text="Review the service's structure and resourcing",
        owner="Head of Service",
        target_date=date(2025, 6, 30),
    )
    workbook = load_workbook(io.BytesIO(plan_xlsx(inspection_id=inspection_id, today=TODAY)))
    sheet = workbook[PLAN_SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[-1] == "Addressed to"
    assert rows[1][header.index("RAG")] in {"Red", "Amber", "Green", "Complete"}
    assert rows[1][-1] == "Management Board, YJS Service Manager"
    assert sheet.auto_filter.ref.startswith("A1:M")
    progress = [list(r) for r in workbook[PROGRESS_SHEET].iter_rows(values_only=True)]
    header_row = next(r for r in progress if r[:2] == ["Ref", "Recommendation"])
    at = header_row.index("Addressed to")
    start = progress.index(header_row) + 1
    assert [r[at] for r in progress[start : start + 8]] == list(READING_ADDRESSEES)
    assert ["1.1", "Governance and leadership", "Requires improvement", "Counted"] in [
        r[:4] for r in progress
    ]
    assert any(r[1:3] == ["Total of the counted standards", "5 / 36"] for r in progress)


# ----- the ESI documents are unchanged in those parts ---------------------------------------


def test_esi_documents_keep_their_scores_and_name_the_probation_board(
    sample_db: peewee.Database,
) -> None:
    inspection_id = list_inspections()[0].id
    words = pdf_text(render_response(inspection_id=inspection_id, today=date(2005, 6, 1)))
    assert "Scoring summary" in words and "%" in words and "Ratings Each standard" not in words
    assert "Probation area" in words
    assert words.count("Addressed to: Probation Board") == Recommendation.select().count()
    content = response_content(inspection_id=inspection_id, today=date(2005, 6, 1))
    assert not content.is_rated and content.board.endswith("Probation Board")
    assert content.response_due is not None
    workbook = load_workbook(
        io.BytesIO(plan_xlsx(inspection_id=inspection_id, today=date(2005, 6, 1)))
    )
    progress = [list(r) for r in workbook[PROGRESS_SHEET].iter_rows(values_only=True)]
    assert not any(r[0] == "7. Ratings" for r in progress)


# ----- the other exports work for a rated inspection ----------------------------------------


def test_email_drafts_name_the_management_board(rated_db: peewee.Database) -> None:
    progress = progress_content(inspection_id=reading_id(), meeting_date=MEETING, today=TODAY)
    text = progress_email_text(progress)
    assert text.subject.startswith("Reading Youth Justice Service Management Board meeting of")
    response = response_email_text(response_content(inspection_id=reading_id(), today=TODAY))
    assert "Reading Youth Justice Service Management Board’s draft response" in response.body


def test_owners_returns_and_reminders_work_for_a_rated_inspection(
    rated_db: peewee.Database, tmp_path: Path
) -> None:
    inspection_id = reading_id()
    action = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[rec_id("2")],
        text="Audit assessments for safety",
        owner="YJS Service Manager",
        target_date=date(2025, 2, 1),
    )
    plan.add_milestone(
        action_id=action, title="Audit tool agreed", due_date=date(2025, 1, 15), today=TODAY
    )
    returns = plan_returns(inspection_id=inspection_id, today=TODAY)
    assert [r.owner for r in returns.returns] == ["YJS Service Manager"]
    written = write_returns(inspection_id=inspection_id, folder=tmp_path, today=TODAY)
    assert len(written) == 1 and written[0].exists()
    reminders = plan_reminders(inspection_id=inspection_id, today=TODAY, days=14)
    assert len(reminders.emails) == 1
    assert "Audit tool agreed" in reminders.emails[0].body


@pytest.mark.parametrize("reference", ["1", "8"])
def test_the_action_plan_names_the_addressee(rated_db: peewee.Database, reference: str) -> None:
    plan.add_action(
        inspection_id=reading_id(),
        recommendation_ids=[rec_id(reference)],
        text="An action",
        owner="Someone",
        target_date=date(2025, 6, 1),
    )
    words = pdf_text(render_response(inspection_id=reading_id(), today=TODAY))
    action_plan = words[words.index("Action plan Each action") :]
    who = READING_ADDRESSEES[int(reference) - 1]
    assert f"Recommendation {reference}" in action_plan
    assert action_plan.count("Addressed to:") == 8
    assert f"Addressed to: {who}" in action_plan
    assert "Completed on Standards" in action_plan and "Completed on Criteria" not in action_plan
