"""The Word document is the accessible version of the response (issue 18 §5): its XML read
back for real heading styles, header rows, table captions, alt text, reading order and
British English, so that Word's "Save as PDF" writes a tagged PDF."""

from __future__ import annotations

import io
import zipfile

import peewee
import pytest
from lxml import etree

from esi_desktop.export.docx_response import response_docx
from esi_desktop.export.response import DOCUMENT_TITLE
from tests.test_export import TODAY, FilledPlan, fill_plan

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


@pytest.fixture
def parts(sample_db: peewee.Database) -> dict[str, etree._Element]:
    """The parts of the sample inspection's response as a Word document, parsed."""
    filled: FilledPlan = fill_plan()
    data = response_docx(inspection_id=filled.inspection_id, today=TODAY)
    package = zipfile.ZipFile(io.BytesIO(data))
    names = ("word/document.xml", "word/styles.xml", "docProps/core.xml", "word/settings.xml")
    return {name: etree.fromstring(package.read(name)) for name in names}


def _style_of(paragraph: etree._Element) -> str:
    found = paragraph.find("w:pPr/w:pStyle", NS)
    return "" if found is None else str(found.get(_w("val")))


def _text(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()


def test_headings_use_the_heading_styles_in_order(parts: dict[str, etree._Element]) -> None:
    styles = parts["word/styles.xml"]
    levels = {}
    for style_id in ("Title", "Heading1", "Heading2", "Heading3"):
        style = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
        assert style is not None and style.get(_w("type")) == "paragraph", style_id
        outline = style.find("w:pPr/w:outlineLvl", NS)
        if style_id != "Title":  # a heading's outline level makes it a heading (H1, H2, H3)
            assert outline is not None, style_id
            levels[style_id] = int(outline.get(_w("val")))
    assert levels == {"Heading1": 0, "Heading2": 1, "Heading3": 2}
    body = parts["word/document.xml"].find("w:body", NS)
    paragraphs = body.findall(".//w:p", NS)
    titles = [_text(p) for p in paragraphs if _style_of(p) == "Title"]
    assert titles == [DOCUMENT_TITLE]
    outline = [(_style_of(p), _text(p)) for p in paragraphs if _style_of(p) in levels]
    assert len(outline) >= 10
    assert ("Heading1", "Summary of the response") in outline
    # never a level skipped (the Title counts as level 1: the cover's draft notice is a 2)
    previous = 1
    for style_id, words in outline:
        level = levels[style_id] + 1
        assert words, "an empty heading"
        assert level <= previous + 1, (style_id, words)
        previous = level
    # no paragraph poses as a heading by bold large text alone
    fake = [
        _text(p)
        for p in paragraphs
        if _style_of(p) in ("", "Normal")
        and p.find("w:pPr/w:outlineLvl", NS) is None
        and any(int(sz.get(_w("val"))) >= 24 for sz in p.iterfind(".//w:rPr/w:sz", NS))
    ]
    assert fake == []


def test_every_table_is_a_data_table_with_a_header_row_or_a_marked_layout_table(
    parts: dict[str, etree._Element],
) -> None:
    tables = parts["word/document.xml"].findall(".//w:tbl", NS)
    data, layout = [], []
    for table in tables:
        description = table.find("w:tblPr/w:tblDescription", NS)
        look = table.find("w:tblPr/w:tblLook", NS)
        first_row = table.find("w:tr", NS)
        repeated = first_row.find("w:trPr/w:tblHeader", NS) is not None
        if description is not None and description.get(_w("val")).startswith("Layout table"):
            layout.append(table)
            assert len(table.findall(".//w:tc", NS)) == 1  # a panel: one cell
            assert not repeated and look.get(_w("firstRow")) == "0"
            assert table.find("w:tblPr/w:tblCaption", NS) is None
            continue
        data.append(table)
        assert repeated, _text(first_row)
        assert look.get(_w("firstRow")) == "1"
        caption = table.find("w:tblPr/w:tblCaption", NS)
        assert caption is not None and caption.get(_w("val")).strip(), _text(first_row)
        assert description is not None
        described = str(description.get(_w("val")))
        assert "columns:" in described or "each fact" in described, described
        # only the first row is the header
        assert all(
            row.find("w:trPr/w:tblHeader", NS) is None for row in table.findall("w:tr", NS)[1:]
        )
    captions = [t.find("w:tblPr/w:tblCaption", NS).get(_w("val")) for t in data]
    assert "The response at a glance" in captions
    assert "Each recommendation and the Board’s response" in captions
    assert "The actions for recommendation 1" in captions
    assert layout, "the quotations and gaps are shaded panels"
    assert len(data) >= 5


def test_drawings_have_alt_text_and_nothing_floats(parts: dict[str, etree._Element]) -> None:
    document = parts["word/document.xml"]
    for drawing in document.iterfind(".//w:drawing", NS):
        properties = drawing.find(".//wp:docPr", NS)
        assert properties is not None and properties.get("descr", "").strip()
    # a logical reading order: no floating shapes, text boxes or frames pulled out of the flow
    assert document.find(".//wp:anchor", NS) is None
    assert document.find(".//w:txbxContent", NS) is None
    assert document.find(".//w:framePr", NS) is None
    assert document.find(".//w:tblpPr", NS) is None  # no floating table


def test_language_is_british_english_and_the_title_is_set(
    parts: dict[str, etree._Element],
) -> None:
    default = parts["word/styles.xml"].find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert default is not None and default.get(_w("val")) == "en-GB"
    assert default.get(_w("eastAsia")) == "en-GB"
    languages = {lang.get(_w("val")) for lang in parts["word/styles.xml"].iterfind(".//w:lang", NS)}
    languages |= {
        lang.get(_w("val")) for lang in parts["word/document.xml"].iterfind(".//w:lang", NS)
    }
    assert languages == {"en-GB"}
    theme = parts["word/settings.xml"].find("w:themeFontLang", NS)
    assert theme.get(_w("val")) == "en-GB"
    core = parts["docProps/core.xml"]
    assert core.findtext("dc:language", namespaces=NS) == "en-GB"
    title = core.findtext("dc:title", namespaces=NS)
    assert title and "Gloucestershire" in title and DOCUMENT_TITLE.lower() in title.lower()
