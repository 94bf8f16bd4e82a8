"""The response and action plan as a Word document: read back with python-docx, and once
through LibreOffice (converted to PDF, every recommendation's words found in it)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import peewee
import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from db.models import Recommendation
from esi_desktop import plan
from esi_desktop.export import response_content
from esi_desktop.export.docx_response import DRAFT_LINE, render_response_docx, response_docx
from esi_desktop.export.response import ResponseRenderer
from esi_desktop.wording import long_date
from tests.test_export import TODAY, FilledPlan, fill_plan, flat, rec_id


@pytest.fixture
def filled(sample_db: peewee.Database) -> FilledPlan:
    return fill_plan()


def document_text(data: bytes) -> str:
    """Every paragraph of the body, its tables, headers and footers, as flat words."""
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs]
        parts += [p.text for p in section.footer.paragraphs]
    return flat(" ".join(parts))


def complete_the_plan(filled: FilledPlan) -> None:
    """Answer every recommendation and give every agreed one an action: nothing missing."""
    for recommendation in Recommendation.select():
        if recommendation.reference in filled.responses:
            continue
        plan.save_response(
            recommendation_id=recommendation.id,
            category="Not agreed",
            narrative="",
            part_agreed="",
            reason="Outside the Board's remit.",
            lead_owner="",
        )
    plan.add_action(
        inspection_id=filled.inspection_id,
        recommendation_ids=[rec_id("7")],
        text="Review supervision plans monthly",
        owner="ACO Operations",
        target_date=date(2005, 11, 30),
    )


def test_word_document_carries_headings_properties_tables_and_every_word(
    filled: FilledPlan,
) -> None:
    data = response_docx(inspection_id=filled.inspection_id, today=TODAY)
    document = Document(io.BytesIO(data))
    words = document_text(data)
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    level_1 = [t for s, t in headings if s == "Heading 1"]
    assert level_1 == [
        "Summary of the response",
        "Scoring summary",
        "The Board’s response to each recommendation",
        "Action plan",
    ]
    for recommendation in Recommendation.select():
        assert ("Heading 2", f"Recommendation {recommendation.reference}") in headings or any(
            t.startswith(f"Recommendation {recommendation.reference} ·") for _s, t in headings
        )
        assert flat(recommendation.text) in words, recommendation.reference
        if recommendation.stem:
            assert flat(recommendation.stem) in words
    for values in filled.responses.values():
        for key in ("narrative", "part_agreed", "reason", "lead_owner"):
            for paragraph in values[key].split("\n\n"):
                assert flat(paragraph) in words, (key, paragraph)
    for owner in filled.owners:
        assert owner in words
    for day in filled.dates:
        assert long_date(day) in words
    for note in filled.notes:
        assert note not in data.decode("latin-1") and note not in words
    # the action plan as real tables, under the stable references, header rows repeated
    plan_tables = [t for t in document.tables if t.rows[0].cells[0].text == "No."]
    assert len(plan_tables) == 3  # recommendations 1, 2 (the shared action) and 6
    references = [row.cells[0].text for t in plan_tables for row in t.rows[1:]]
    assert references[:3] == ["AP1", "AP1.1", "AP1.2"] and "AP2.2" in references
    for table in plan_tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert "Also serves recommendation 2" in words
    # properties as the PDF's, marked as a draft since most recommendations are unanswered
    pdf_meta = ResponseRenderer(response_content(inspection_id=filled.inspection_id, today=TODAY))
    core = document.core_properties
    assert core.author == pdf_meta.content.board == "Gloucestershire Probation Board"
    assert core.title == f"DRAFT — {pdf_meta.metadata().title}"
    assert core.subject.startswith("DRAFT, not yet complete: The Gloucestershire Probation Board")
    assert "action plan" in core.keywords and core.created is not None
    assert core.language == "en-GB"
    # A4: portrait pages, then the action plan on landscape pages
    first, *_, last = document.sections
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert (round(last.page_width.mm), round(last.page_height.mm)) == (297, 210)
    # the draft line at the top of every page, and a PAGE field at the foot
    for section in document.sections:
        assert DRAFT_LINE in [p.text for p in section.header.paragraphs]
        footer_xml = section.footer._element.xml
        assert " PAGE " in footer_xml and " NUMPAGES " in footer_xml
    assert "This is a draft: not yet complete" in words and "Chair of the Board" not in words
    assert "Recommendation 2 has no response yet." in words


def test_a_complete_plan_is_not_marked_draft(filled: FilledPlan) -> None:
    complete_the_plan(filled)
    content = response_content(inspection_id=filled.inspection_id, today=TODAY)
    assert not content.missing
    data = render_response_docx(content)
    document = Document(io.BytesIO(data))
    words = document_text(data)
    assert "DRAFT" not in words and "This is a draft" not in words
    assert "Chair of the Board" in words and "Approved on behalf of the Board" in words
    assert not document.core_properties.title.startswith("DRAFT")
    assert document.core_properties.content_status == "Final"


def test_text_a_word_file_cannot_hold_is_dropped_not_fatal(filled: FilledPlan) -> None:
    plan.update_action(
        action_id=filled.actions["second"],
        changes={"text": "Audit\x0b ten assessments\x0c a month"},
    )
    words = document_text(response_docx(inspection_id=filled.inspection_id, today=TODAY))
    assert "Audit ten assessments a month" in words


@pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice (soffice) is not installed",
)
def test_libreoffice_converts_the_word_document_with_every_recommendation(
    filled: FilledPlan, tmp_path: Path
) -> None:
    source = tmp_path / "response.docx"
    source.write_bytes(response_docx(inspection_id=filled.inspection_id, today=TODAY))
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'lo_profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    reader = PdfReader(tmp_path / "response.pdf")
    words = flat(" ".join(page.extract_text() or "" for page in reader.pages))
    for recommendation in Recommendation.select():
        assert flat(recommendation.text) in words, recommendation.reference
    assert "Audit ten risk of harm assessments a month in each team" in words
    assert f"Page 1 of {len(reader.pages)}" in words  # the fields were computed
    assert 8 <= len(reader.pages) <= 30


# review 14, finding 7: Word validates the order of the properties' children
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ORDER = {
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW "
    "jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription tblPrChange",
    "tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark headers cellIns cellDel cellMerge tcPrChange",
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
    "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
    "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish "
    "oMath",
    "sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc "
    "pgBorders lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi "
    "rtlGutter docGrid printerSettings sectPrChange",
}


def out_of_order(xml: bytes) -> list[str]:
    """Every properties element whose children break the schema's sequence (ECMA-376)."""
    from lxml import etree

    found = []
    root = etree.fromstring(xml)
    for parent, sequence in _ORDER.items():
        rank = {name: index for index, name in enumerate(sequence.split())}
        if parent == "sectPr":
            rank["footerReference"] = rank["headerReference"]  # a choice: either order
        for element in root.iter(_W + parent):
            names = [etree.QName(child).localname for child in element]
            ranks = [rank.get(name, -1) for name in names]
            if -1 in ranks or ranks != sorted(ranks):
                found.append(f"{parent}: {' '.join(names)}")
    return found


def test_every_table_paragraph_and_run_property_is_in_the_schema_order(
    filled: FilledPlan,
) -> None:
    import zipfile

    data = response_docx(inspection_id=filled.inspection_id, today=TODAY)
    parts = zipfile.ZipFile(io.BytesIO(data))
    checked = [n for n in parts.namelist() if n.startswith("word/") and n.endswith(".xml")]
    assert "word/document.xml" in checked and "word/styles.xml" in checked
    problems = [f"{name}: {p}" for name in checked for p in out_of_order(parts.read(name))]
    assert problems == []
    ruled = [
        [child.tag.split("}")[1] for child in table._tbl.tblPr]
        for table in Document(io.BytesIO(data)).tables
        if table._tbl.tblPr.find(qn("w:tblBorders")) is not None
    ]
    assert ruled  # the data tables were checked
    for names in ruled:
        assert names.index("tblBorders") < names.index("tblLayout") < names.index("tblLook")


def test_borders_and_margins_list_their_edges_in_the_schema_order() -> None:
    """Word reads an edge list only in the order of its schema (top, left, bottom, right,
    then the inside edges); LibreOffice forgives, so check the XML itself."""
    import docx as python_docx
    from docx.oxml.ns import qn as qualified

    from esi_desktop.export import docx_xml

    document = python_docx.Document()
    table = document.add_table(rows=1, cols=2)
    docx_xml.table_rules(table, "B1B4B6")
    docx_xml.table_cell_margins(table, top=40, bottom=40, left=80, right=80)
    cell = table.cell(0, 0)
    docx_xml.cell_margins(cell, top=20, bottom=20, left=60, right=60)
    docx_xml.cell_left_rule(cell, "1D70B8")
    order = ["top", "left", "start", "bottom", "right", "end", "insideH", "insideV"]

    def edges(parent: object, tag: str) -> list[str]:
        element = parent.find(qualified(tag))  # type: ignore[attr-defined]
        assert element is not None, tag
        return [child.tag.split("}")[1] for child in element]

    tbl_pr = table._tbl.tblPr
    tc_pr = cell._tc.tcPr
    for found in (
        edges(tbl_pr, "w:tblBorders"),
        edges(tbl_pr, "w:tblCellMar"),
        edges(tc_pr, "w:tcMar"),
        edges(tc_pr, "w:tcBorders"),
    ):
        assert found == sorted(found, key=order.index), found
