"""What a review of the documents found (issue 17 §4, issue 18 §5): a response deadline not
set yet makes the response a draft; the ESI summary keeps its words apart; the Word version's
title is its first heading and no header cell is blank; the Excel ratings say which standard
does not count."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import peewee
from docx import Document
from lxml import etree
from openpyxl import load_workbook  # type: ignore[import-untyped]

from db.models import Inspection, Recommendation
from esi_desktop import follow_up, plan
from esi_desktop.export.completeness import NO_DEADLINE_MESSAGE, Gap, missing_items
from esi_desktop.export.docx_response import response_docx
from esi_desktop.export.progress import render_progress
from esi_desktop.export.progress_content import progress_content
from esi_desktop.export.response import render_response
from esi_desktop.export.response_content import response_content
from esi_desktop.export.xlsx_plan import PROGRESS_SHEET, plan_xlsx
from esi_desktop.inspections import list_inspections
from tests.test_rated_documents import TODAY, pdf_text, rate_follow_up, reading_id

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
ESI_TODAY = date(2005, 6, 1)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def answer_every_recommendation() -> None:
    """A complete response to each of Reading's recommendations: not agreed needs no action."""
    for recommendation in Recommendation.select():
        plan.save_response(
            recommendation_id=recommendation.id,
            category="Not agreed",
            narrative="",
            part_agreed="",
            reason="The Board has commissioned its own review first.",
        )


# ----- a deadline not set yet ---------------------------------------------------------------


def test_a_response_deadline_not_set_yet_keeps_the_response_a_draft(
    rated_db: peewee.Database,
) -> None:
    answer_every_recommendation()
    content = response_content(inspection_id=reading_id(), today=TODAY)
    # every recommendation answered: only the deadline is missing, and it is said so
    assert [(m.gap, m.message) for m in content.missing] == [(Gap.NO_DEADLINE, NO_DEADLINE_MESSAGE)]
    words = pdf_text(render_response(inspection_id=reading_id(), today=TODAY))
    assert "This is a draft: not yet complete" in words
    assert "The response deadline is not set yet" in words
    assert "Approved on behalf of the Board" not in words
    document = Document(io.BytesIO(response_docx(inspection_id=reading_id(), today=TODAY)))
    listed = [p.text for t in document.tables for c in t._cells for p in c.paragraphs]
    assert NO_DEADLINE_MESSAGE in listed
    # once the Board agrees its date, nothing is missing and the response can be signed off
    Inspection.update(
        agreed_response_due=date(2025, 2, 28), agreed_response_reason="Board of 9 January"
    ).execute()
    content = response_content(inspection_id=reading_id(), today=TODAY)
    assert content.missing == []
    words = pdf_text(render_response(inspection_id=reading_id(), today=TODAY))
    assert "Approved on behalf of the Board" in words
    assert "The response deadline is not set yet" not in words


def test_an_esi_inspection_never_lacks_its_deadline(sample_db: peewee.Database) -> None:
    inspection_id = list_inspections()[0].id
    content = response_content(inspection_id=inspection_id, today=ESI_TODAY)
    assert all(m.gap is not Gap.NO_DEADLINE for m in content.missing)
    assert missing_items(content.plan, content.clock) == content.missing


# ----- the ESI summary ----------------------------------------------------------------------


def test_the_esi_summary_says_the_recommendations_are_to_the_board(
    sample_db: peewee.Database,
) -> None:
    words = pdf_text(render_response(inspection_id=list_inspections()[0].id, today=ESI_TODAY))
    assert "The report makes 15 recommendations to the Board." in words


# ----- the Word version ---------------------------------------------------------------------


def _outline(data: bytes) -> list[tuple[int, str]]:
    """(level, words) of each paragraph a screen reader lists as a heading: its style's
    outline level, 1 for the first."""
    package = zipfile.ZipFile(io.BytesIO(data))
    styles = etree.fromstring(package.read("word/styles.xml"))
    levels: dict[str, int] = {}
    for style in styles.iterfind("w:style", NS):
        outline = style.find("w:pPr/w:outlineLvl", NS)
        if outline is not None and int(outline.get(_w("val"))) < 9:
            levels[str(style.get(_w("styleId")))] = int(outline.get(_w("val"))) + 1
    body = etree.fromstring(package.read("word/document.xml"))
    found = []
    for paragraph in body.iterfind(".//w:p", NS):
        style = paragraph.find("w:pPr/w:pStyle", NS)
        level = levels.get("" if style is None else str(style.get(_w("val"))))
        if level is not None:
            found.append((level, "".join(paragraph.itertext()).strip()))
    return found


def _assert_no_level_skipped(outline: list[tuple[int, str]]) -> None:
    previous = 0  # before the first heading: a screen reader starts at none
    for level, words in outline:
        assert level <= previous + 1, (level, words)
        previous = level


def test_the_word_title_is_the_first_heading_and_no_level_is_skipped(
    rated_db: peewee.Database,
) -> None:
    draft = _outline(response_docx(inspection_id=reading_id(), today=TODAY))
    assert draft[:2] == [
        (1, "Response to the inspection report and action plan"),
        (2, "This is a draft: not yet complete"),
    ]
    _assert_no_level_skipped(draft)
    answer_every_recommendation()
    Inspection.update(
        agreed_response_due=date(2025, 2, 28), agreed_response_reason="Board of 9 January"
    ).execute()
    complete = _outline(response_docx(inspection_id=reading_id(), today=TODAY))
    assert complete[1] == (2, "Approved on behalf of the Board")
    _assert_no_level_skipped(complete)


def _header_rows(data: bytes) -> list[list[str]]:
    document = Document(io.BytesIO(data))
    return [
        [cell.text for cell in table.rows[0].cells]
        for table in document.tables
        if "tblHeader" in table.rows[0]._tr.xml
    ]


def test_no_header_cell_of_a_word_table_is_blank(rated_db: peewee.Database) -> None:
    headers = _header_rows(response_docx(inspection_id=reading_id(), today=TODAY))
    assert ["Ref", "Standard", "Rating", "Counts towards the overall rating"] in headers
    rate_follow_up()
    headers = _header_rows(response_docx(inspection_id=reading_id(), today=TODAY))
    assert ["Ref", "Standard", "Inspection", "Follow-up", "Change"] in headers
    assert all(cell.strip() for header in headers for cell in header), headers


def test_no_header_cell_of_an_esi_scoring_table_is_blank(sample_db: peewee.Database) -> None:
    inspection_id = list_inspections()[0].id
    headers = _header_rows(response_docx(inspection_id=inspection_id, today=ESI_TODAY))
    assert ["Ref", "Criterion", "Weight", "Result"] in headers
    follow_up.set_follow_up_result(
        inspection_id=inspection_id, framework_id="esi-core", code="B1", value=70
    )
    headers = _header_rows(response_docx(inspection_id=inspection_id, today=ESI_TODAY))
    assert ["Ref", "Criterion", "Baseline", "Follow-up", "Change"] in headers
    assert all(cell.strip() for header in headers for cell in header), headers


# ----- Excel ----------------------------------------------------------------------------------


def test_the_excel_ratings_say_which_standard_does_not_count(rated_db: peewee.Database) -> None:
    rate_follow_up()
    workbook = load_workbook(io.BytesIO(plan_xlsx(inspection_id=reading_id(), today=TODAY)))
    rows = [list(r) for r in workbook[PROGRESS_SHEET].iter_rows(values_only=True)]
    by_code = {r[0]: r for r in rows if r[0] in ("1.1", "4.1") and r[2] is not None}
    assert by_code["4.1"][1:5] == [
        "Resettlement policy and provision (rated apart, not counted)",
        "Not rated",
        "Good",
        "not comparable",
    ]
    assert by_code["1.1"][1] == "Governance and leadership"


# ----- what the warnings call the inspected body ------------------------------------------


def test_an_unprintable_body_name_is_called_the_inspected_bodys_name(
    rated_db: peewee.Database,
) -> None:
    Inspection.update(area="Reading Youth Justice Service 👍").execute()
    response = response_content(inspection_id=reading_id(), today=TODAY)
    paper = progress_content(inspection_id=reading_id(), meeting_date=date(2025, 3, 1), today=TODAY)
    for content in (response, paper):
        assert content.unprintable[0].message.startswith(
            "The inspected body’s name has 1 character the PDF cannot print"
        ), content.unprintable[0].message


# ----- the progress paper asks the Board for its date ---------------------------------------


def test_the_progress_paper_asks_the_board_to_agree_its_response_date(
    rated_db: peewee.Database,
) -> None:
    ask = "agree the date it sends its response to the Inspectorate (none is set yet)"

    def paper() -> str:
        return pdf_text(
            render_progress(inspection_id=reading_id(), meeting_date=date(2025, 1, 23), today=TODAY)
        )

    words = paper()
    assert f"The Board is asked to • {ask} • note the progress" in words
    Inspection.update(
        agreed_response_due=date(2025, 2, 28), agreed_response_reason="Board of 9 January"
    ).execute()
    assert ask not in paper()


def test_an_esi_progress_paper_asks_for_no_date(sample_db: peewee.Database) -> None:
    words = pdf_text(
        render_progress(
            inspection_id=list_inspections()[0].id, meeting_date=date(2005, 7, 1), today=ESI_TODAY
        )
    )
    assert "The Board is asked to • note the progress" in words
    assert "agree the date" not in words


# ----- the PDF ratings table --------------------------------------------------------------


def test_no_text_of_the_pdf_ratings_table_runs_past_its_column(rated_db: peewee.Database) -> None:
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import KeepTogether, Table

    from esi_desktop.export.fonts import REGULAR
    from esi_desktop.export.rated_content import rated_tables
    from esi_desktop.export.rated_tables import ratings_table
    from esi_desktop.export.style import CELL_PADDING, stylesheet

    (rated,) = rated_tables(inspection_id=reading_id())
    (kept,) = ratings_table(stylesheet(), rated, 170 * mm, follow_up=False)
    assert isinstance(kept, KeepTogether)
    (table,) = [f for f in kept._content if isinstance(f, Table)]
    overflowing = [
        value
        for row in table._cellvalues[1:]
        for value, width in zip(row, table._colWidths, strict=True)
        if isinstance(value, str) and stringWidth(value, REGULAR, 8.5) > width - 2 * CELL_PADDING
    ]
    assert overflowing == []
