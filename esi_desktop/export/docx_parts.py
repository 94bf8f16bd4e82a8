"""The house style of the Word documents, and the parts python-docx does not make itself:
A4 pages, styles in the PDFs' colours, tables with fixed widths and repeated header rows,
shaded panels, running headers and footers with page numbers, the DRAFT line.

The elements python-docx has no call for (shading, borders, margins, fields) are made by
:mod:`esi_desktop.export.docx_xml`. Used by :mod:`esi_desktop.export.docx_response`; no
database and no GUI.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass
from typing import cast

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from esi_desktop.export.docx_xml import (
    add_field,
    cell_left_rule,
    cell_margins,
    header_row,
    layout_table,
    set_default_language,
    set_language,
    set_theme_language,
    shade,
    table_caption,
    table_cell_margins,
    table_rules,
)
from esi_desktop.export.office import xml_safe

FONT = "Arial"  # in every copy of Word; LibreOffice reads it as Liberation Sans, same metrics
LANGUAGE = "en-GB"

INK = RGBColor(0x0B, 0x0C, 0x0C)
MUTED = RGBColor(0x50, 0x5A, 0x5F)
ACCENT = RGBColor(0x1D, 0x3A, 0x5F)
DRAFT_RED = RGBColor(0xC8, 0x10, 0x2E)
HEAD_FILL = "E8EBEE"
ROW_FILL = "F4F5F6"
QUOTE_FILL = "F3F5F8"
GAP_FILL = "FFF4D1"
GAP_EDGE = "8A6D00"
QUOTE_EDGE = "1D3A5F"
RULE = "B1B4B6"

#: Page geometry as the PDF's (millimetres).
PAGE = (210, 297)
MARGINS = {"left": 25, "right": 22, "top": 24, "bottom": 22}
LANDSCAPE_MARGINS = {"left": 18, "right": 18, "top": 22, "bottom": 20}

# the paragraph styles made here, besides Word's own Title, Subtitle and Heading 1 to 3
KICKER = "Kicker"
MUTED_TEXT = "Muted"
SMALL = "Body Small"
LABEL = "Label"
QUOTE = "Recommendation Quote"
CELL = "Table Text"
CELL_HEAD = "Table Heading"
DRAFT_LINE = "Draft Line"


def _font(element_font: object, *, size: float, bold: bool = False, colour: RGBColor = INK) -> None:
    """Set a style's font, dropping the theme fonts Word would otherwise prefer."""
    font = element_font
    font.name = FONT  # type: ignore[attr-defined]
    font.size = Pt(size)  # type: ignore[attr-defined]
    font.bold = bold  # type: ignore[attr-defined]
    font.color.rgb = colour  # type: ignore[attr-defined]
    r_pr = font.element.rPr  # type: ignore[attr-defined]
    fonts = r_pr.find(qn("w:rFonts"))
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:cs"), FONT)
    colour_element = r_pr.find(qn("w:color"))
    for attribute in ("w:themeColor", "w:themeShade", "w:themeTint"):
        colour_element.attrib.pop(qn(attribute), None)


def _paragraph_style(
    document: WordDocument,
    name: str,
    *,
    size: float,
    bold: bool = False,
    colour: RGBColor = INK,
    before: float = 0,
    after: float = 4,
    indent: float = 0,
    base: str = "Normal",
) -> None:
    styles = document.styles
    style = styles[name] if name in [s.name for s in styles] else None
    if style is None:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
    _font(style.font, size=size, bold=bold, colour=colour)
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.left_indent = Mm(indent) if indent else None
    style.quick_style = True


def new_document() -> WordDocument:
    """An empty A4 document in the house style, British English."""
    document = Document()
    _paragraph_style(document, "Normal", size=10, after=6)
    normal_fmt = document.styles["Normal"].paragraph_format
    normal_fmt.line_spacing = 1.1
    set_language(document.styles["Normal"].element.get_or_add_rPr(), LANGUAGE, bidi="ar-SA")
    set_default_language(document.styles.element, LANGUAGE, bidi="ar-SA")
    set_theme_language(document.settings.element, LANGUAGE)
    _paragraph_style(document, "Title", size=22, bold=True, after=6)
    _paragraph_style(document, "Subtitle", size=12, colour=MUTED, after=14)
    _paragraph_style(document, "Heading 1", size=16, bold=True, colour=ACCENT, before=6, after=6)
    _paragraph_style(document, "Heading 2", size=12.5, bold=True, colour=ACCENT, before=12, after=4)
    _paragraph_style(document, "Heading 3", size=11, bold=True, before=8, after=3)
    title_p_pr = document.styles["Title"].element.get_or_add_pPr()
    for border in title_p_pr.findall(qn("w:pBdr")):  # Word's own Title has a rule under it
        title_p_pr.remove(border)
    # Word's Title is body text to a screen reader and to "Save as PDF"; at outline level 1
    # it is the document's first heading, so the cover's level-2 heading skips no level
    title_p_pr.get_or_add_outlineLvl().val = 0
    _paragraph_style(document, KICKER, size=10, bold=True, colour=ACCENT, after=10)
    _paragraph_style(document, MUTED_TEXT, size=9, colour=MUTED)
    _paragraph_style(document, SMALL, size=9)
    _paragraph_style(document, LABEL, size=9, bold=True, colour=MUTED, before=6, after=2)
    _paragraph_style(document, QUOTE, size=10.5, after=3, indent=4)
    _paragraph_style(document, CELL, size=8.5, after=0)
    _paragraph_style(document, CELL_HEAD, size=8.5, bold=True, after=0)
    _paragraph_style(document, DRAFT_LINE, size=9, bold=True, colour=DRAFT_RED, after=0)
    for name in ("Header", "Footer"):
        _paragraph_style(document, name, size=8, colour=MUTED, after=0)
        _drop(document, name, "w:pPr", "w:tabs")  # the template's tabs would catch ours
    _drop(document, "Subtitle", "w:rPr", "w:spacing")  # the template's letter-spacing
    document.styles["Subtitle"].font.italic = False
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        document.styles[name].paragraph_format.keep_with_next = True
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE[0]), Mm(PAGE[1])
    _margins(section, MARGINS)
    return document


def _drop(document: WordDocument, style: str, part: str, tag: str) -> None:
    """Remove an element the template's style sets (its tabs, its letter-spacing)."""
    properties = document.styles[style].element.find(qn(part))
    if properties is not None:
        for element in properties.findall(qn(tag)):
            properties.remove(element)


def _margins(section: Section, margins: Mapping[str, float]) -> None:
    section.left_margin = Mm(margins["left"])
    section.right_margin = Mm(margins["right"])
    section.top_margin = Mm(margins["top"])
    section.bottom_margin = Mm(margins["bottom"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(9)


def text_width(section: Section) -> float:
    """The width of the text on the section's pages, in millimetres."""
    width = section.page_width - section.left_margin - section.right_margin  # type: ignore[operator]
    return float(width) / 36000  # EMU per millimetre


def landscape_section(document: WordDocument) -> Section:
    """A new section on landscape A4 pages, starting on a new page."""
    section: Section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE[1]), Mm(PAGE[0])
    _margins(section, LANDSCAPE_MARGINS)
    return section


def portrait_section(document: WordDocument) -> Section:
    """A new section on portrait A4 pages, starting on a new page."""
    section: Section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE[0]), Mm(PAGE[1])
    _margins(section, MARGINS)
    return section


# ----- paragraphs ---------------------------------------------------------------------------


def _styled(paragraph: Paragraph, style: str | None) -> Paragraph:
    """Give ``paragraph`` the style named ``style`` by its id: python-docx's own lookup by
    name reads every style each time, which a table of a thousand rows cannot afford."""
    if style is not None:
        paragraph._p.style = style_id(style)
    return paragraph


def style_id(name: str) -> str:
    """The id of a style named here: Word's built-in ids and python-docx's for new styles
    are the name without its spaces ("Heading 1" is "Heading1")."""
    return name.replace(" ", "")


def para(
    container: WordDocument | _Cell,
    value: str = "",
    style: str | None = None,
    *,
    bold: bool = False,
    italic: bool = False,
) -> Paragraph:
    """A paragraph of plain text (line breaks kept) in ``style``."""
    paragraph = _styled(container.add_paragraph(), style)
    if value:
        run = paragraph.add_run(xml_safe(value.strip()))
        run.bold = bold or None
        run.italic = italic or None
    return paragraph


def labelled(container: WordDocument | _Cell, label: str, value: str, style: str) -> Paragraph:
    """ "**Reason:** the reason": a bold label, then plain text."""
    paragraph = _styled(container.add_paragraph(), style)
    paragraph.add_run(label).bold = True
    paragraph.add_run(" " + xml_safe(value.strip()))
    return paragraph


def box(container: WordDocument, width: float, *, fill: str, edge: str) -> _Cell:
    """A shaded panel with a thick rule on its left (a quotation, a gap): add paragraphs to
    the cell returned; its first, empty paragraph is used by the first :func:`para`."""
    table = container.add_table(rows=1, cols=1)
    table.autofit = False
    table._tbl.tblGrid.findall(qn("w:gridCol"))[0].set(qn("w:w"), str(round(width * 56.7)))
    cell = table.rows[0].cells[0]
    cell.width = Mm(width)
    cell_left_rule(cell, edge)
    shade(cell, fill)
    cell_margins(cell, top=80, bottom=60, left=160, right=120)
    row_properties = table.rows[0]._tr.get_or_add_trPr()
    row_properties.append(OxmlElement("w:cantSplit"))
    # a one-cell table only draws the panel: a screen reader should read its text, not a table
    layout_table(table, "a shaded panel around the text it holds")
    return cast(_Cell, cell)


def in_box(cell: _Cell, value: str, style: str | None = None, *, bold: bool = False) -> Paragraph:
    """A paragraph in a :func:`box`: its first paragraph, then new ones."""
    first: Paragraph = cell.paragraphs[0]
    if len(cell.paragraphs) == 1 and not first.text:
        _styled(first, style)
        first.add_run(xml_safe(value.strip())).bold = bold or None
        return first
    return para(cell, value, style, bold=bold)


def keep_together(elements: Sequence[BaseOxmlElement]) -> None:
    """Keep these body elements (paragraphs, tables) on one page where they fit: every
    paragraph but the last is kept with the next."""
    paragraphs = [p for e in elements for p in e.iter(qn("w:p"))]
    for paragraph in paragraphs[:-1]:
        paragraph.get_or_add_pPr().keepNext_val = True


# ----- tables -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A table cell's text, bold or not, and how far its first line is set in (mm)."""

    text: str
    bold: bool = False
    indent: float = 0
    muted: bool = False


CellValue = str | Cell


def _borders(table: Table) -> None:
    """Thin grey rules between rows, none between columns: the PDFs' tables."""
    table_rules(table, RULE)
    table_cell_margins(table, top=40, bottom=40, left=80, right=80)


def _fill_cell(cell: _Cell, value: CellValue, style: str) -> None:
    paragraph = cell.paragraphs[0]
    _styled(paragraph, style)
    _fill_paragraph(paragraph, value)


def _fill_paragraph(paragraph: Paragraph, value: CellValue) -> None:
    item = value if isinstance(value, Cell) else Cell(value)
    if item.indent:
        paragraph.paragraph_format.left_indent = Mm(item.indent)
    if item.text:
        run = paragraph.add_run(xml_safe(item.text.strip()))
        if item.bold:
            run.bold = True
        if item.muted:
            run.font.color.rgb = MUTED


def data_table(
    container: WordDocument | _Cell,
    header: Sequence[str],
    rows: Sequence[Sequence[CellValue]],
    widths: Sequence[float],
    *,
    shaded: Sequence[int] = (),
    right: Sequence[int] = (),
    caption: str = "",
) -> Table:
    """A table with a shaded header row repeated on every page it runs over.

    Args:
        widths: each column's width in millimetres.
        caption: the table's title for a screen reader (its columns if none is given).
        shaded: the body rows (counted from 0) given a light fill, as the PDF's action rows.
        right: the columns of figures, aligned right.
    """
    table = container.add_table(rows=1, cols=len(header))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _borders(table)
    grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
    for column, width in zip(grid, widths, strict=True):
        column.set(qn("w:w"), str(round(width * 56.7)))  # twips per millimetre
    head = table.rows[0]
    header_row(table)
    named = [title for title in header if title]
    table_caption(
        table,
        xml_safe(caption or ", ".join(named)),
        xml_safe(f"{len(rows)} rows; columns: {', '.join(named)}."),
    )
    fills = set(shaded)
    aligned = set(right)
    for index, (cell, title) in enumerate(zip(head.cells, header, strict=True)):
        cell.width = Mm(widths[index])
        _fill_cell(cell, title, CELL_HEAD)
        shade(cell, HEAD_FILL)
        if index in aligned:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    # every body row is a copy of one made up front (widths, style, alignment, fill), which
    # is many times quicker than python-docx making each row and cell afresh
    template = table.add_row()._tr
    template.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row stays on one page
    for index, cell in enumerate(_Row(template, table).cells):
        cell.width = Mm(widths[index])
        _styled(cell.paragraphs[0], CELL)
        if index in aligned:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table._tbl.remove(template)
    filled = deepcopy(template)
    for cell in _Row(filled, table).cells:
        shade(cell, ROW_FILL)
    for number, values in enumerate(rows):
        tr = deepcopy(filled if number in fills else template)
        table._tbl.append(tr)
        for tc, value in zip(tr.tc_lst, values, strict=True):
            _fill_paragraph(Paragraph(tc.p_lst[0], table), value)
    return table


def facts_table(
    container: WordDocument,
    facts: Sequence[tuple[str, str]],
    widths: Sequence[float],
    *,
    header: tuple[str, str] = ("Fact", "Detail"),
    caption: str = "Key facts",
) -> Table:
    """The cover's facts: a bold label, then its value, one per row, under a header row (so
    that a screen reader and Word's tagged PDF read it as a table of data)."""
    table = container.add_table(rows=1, cols=2)
    table.autofit = False
    grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
    for column, width in zip(grid, widths, strict=True):
        column.set(qn("w:w"), str(round(width * 56.7)))
    for cell, title, width in zip(table.rows[0].cells, header, widths, strict=True):
        cell.width = Mm(width)
        _fill_cell(cell, title, CELL_HEAD)
        shade(cell, HEAD_FILL)
    header_row(table)
    table_caption(table, xml_safe(caption), f"{len(facts)} rows: each fact, then its detail.")
    for label, value in facts:
        row = table.add_row()
        label_cell, value_cell = row.cells
        label_cell.width, value_cell.width = Mm(widths[0]), Mm(widths[1])
        _fill_cell(label_cell, Cell(label, bold=True), "Normal")
        first, *rest = (value or "").split("\n\n")
        _fill_cell(value_cell, first, "Normal")
        for more in rest:
            para(value_cell, more, MUTED_TEXT)
    return cast(Table, table)


# ----- running header and footer ------------------------------------------------------------


def running_header_footer(
    section: Section, *, left: str, right: str, footer: str, draft: str | None
) -> None:
    """The section's header ("Board · Document title", and the DRAFT line on a draft) and
    footer (a note on the left, "Page X of Y" on the right)."""
    width = Mm(text_width(section))
    header = section.header
    header.is_linked_to_previous = False
    top = header.paragraphs[0]
    top.style = "Header"
    top.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    top.add_run(xml_safe(left)).bold = True
    top.add_run("\t" + xml_safe(right))
    if draft:
        line = header.add_paragraph(style=DRAFT_LINE)
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        line.add_run(draft)
    footer_part = section.footer
    footer_part.is_linked_to_previous = False
    bottom = footer_part.paragraphs[0]
    bottom.style = "Footer"
    bottom.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    bottom.add_run(xml_safe(footer))
    if draft:
        red = bottom.add_run("    " + draft)
        red.bold = True
        red.font.color.rgb = DRAFT_RED
    bottom.add_run("\tPage ")
    add_field(bottom, "PAGE")
    bottom.add_run(" of ")
    add_field(bottom, "NUMPAGES")
