"""The WordprocessingML that python-docx has no call for, made element by element: the
document's language, a paragraph's or a cell's shading and left rule, a cell's or a table's
borders and margins, and page-number fields.

Each element is inserted where the schema orders it among its parent's children. The house
style these are given in (colours, sizes, which table has which rules) is
:mod:`esi_desktop.export.docx_parts`; no database and no GUI.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

#: The elements that may follow each one made here, in the order the schema
#: (ECMA-376 Part 1, WordprocessingML) sets for its parent: Word refuses a document whose
#: properties are out of order, so each is inserted before the first of these found.
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
               "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
               "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
               "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
               "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
               "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")  # fmt: skip
_AFTER_PARAGRAPH_SHD = _AFTER_PBDR[1:]
_AFTER_TC_BORDERS = ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText",
                     "w:vAlign", "w:hideMark", "w:headers", "w:cellIns", "w:cellDel",
                     "w:cellMerge", "w:tcPrChange")  # fmt: skip
_AFTER_CELL_SHD = _AFTER_TC_BORDERS[1:]
_AFTER_TC_MAR = _AFTER_TC_BORDERS[3:]
_AFTER_TBL_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                      "w:tblDescription", "w:tblPrChange")  # fmt: skip
_AFTER_TBL_CELL_MAR = _AFTER_TBL_BORDERS[3:]


def _insert(parent: BaseOxmlElement, element: BaseOxmlElement, after: Sequence[str]) -> None:
    """Put ``element`` into ``parent`` where the schema wants it: before the first child
    named in ``after`` (those that must follow it), else last."""
    parent.insert_element_before(element, *after)


def set_language(r_pr: BaseOxmlElement, language: str, *, bidi: str) -> None:
    """Run properties ``r_pr`` in ``language`` (and East Asian text too), right-to-left text
    in ``bidi``, replacing any language they had."""
    element = OxmlElement("w:lang")
    element.set(qn("w:val"), language)
    element.set(qn("w:eastAsia"), language)
    element.set(qn("w:bidi"), bidi)
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    _insert(r_pr, element, _AFTER_LANG)


def shade(paragraph_or_cell: Paragraph | _Cell, fill: str, *, edge: str | None = None) -> None:
    """A background fill (and a thick left rule) on a paragraph or a table cell."""
    if isinstance(paragraph_or_cell, _Cell):
        properties = paragraph_or_cell._tc.get_or_add_tcPr()
    else:
        properties = paragraph_or_cell._p.get_or_add_pPr()
    if edge is not None and not isinstance(paragraph_or_cell, _Cell):
        borders = OxmlElement("w:pBdr")
        left = OxmlElement("w:left")
        for key, val in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6")):
            left.set(qn(key), val)
        left.set(qn("w:color"), edge)
        borders.append(left)
        _insert(properties, borders, _AFTER_PBDR)
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    for old in properties.findall(qn("w:shd")):
        properties.remove(old)
    cell = isinstance(paragraph_or_cell, _Cell)
    _insert(properties, shading, _AFTER_CELL_SHD if cell else _AFTER_PARAGRAPH_SHD)


def cell_left_rule(cell: _Cell, colour: str) -> None:
    """A thick rule down the cell's left, and no border on its other sides."""
    properties = cell._tc.get_or_add_tcPr()
    borders = OxmlElement("w:tcBorders")
    for side in ("top", "left", "bottom", "right"):
        line = OxmlElement(f"w:{side}")
        if side == "left":
            for key, val in (("w:val", "single"), ("w:sz", "24"), ("w:space", "0")):
                line.set(qn(key), val)
            line.set(qn("w:color"), colour)
        else:
            line.set(qn("w:val"), "nil")
        borders.append(line)
    _insert(properties, borders, _AFTER_TC_BORDERS)


def cell_margins(cell: _Cell, *, top: int, bottom: int, left: int, right: int) -> None:
    """The space between the cell's edges and its text, in twips."""
    properties = cell._tc.get_or_add_tcPr()
    margins = OxmlElement("w:tcMar")
    # the schema's order (CT_TcMar): top, left, bottom, right
    for side, twips in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    _insert(properties, margins, _AFTER_TC_MAR)


def table_rules(table: Table, colour: str) -> None:
    """Thin rules above, below and between the table's rows; none between its columns."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    # the schema's order (CT_TblBorders): top, left, bottom, right, insideH, insideV
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        if edge in ("left", "right", "insideV"):
            line.set(qn("w:val"), "nil")
        else:
            line.set(qn("w:val"), "single")
            line.set(qn("w:sz"), "4")
            line.set(qn("w:space"), "0")
            line.set(qn("w:color"), colour)
        borders.append(line)
    _insert(tbl_pr, borders, _AFTER_TBL_BORDERS)


def table_cell_margins(table: Table, *, top: int, bottom: int, left: int, right: int) -> None:
    """The space between every cell's edges and its text, in twips."""
    margins = OxmlElement("w:tblCellMar")
    # the schema's order (CT_TblCellMar): top, left, bottom, right
    for edge, twips in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        margin = OxmlElement(f"w:{edge}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    _insert(table._tbl.tblPr, margins, _AFTER_TBL_CELL_MAR)


def add_field(paragraph: Paragraph, instruction: str, shown: str = "1") -> None:
    """A field (PAGE, NUMPAGES) that Word and LibreOffice compute as they lay out pages."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(begin)
    run._r.append(code)
    run._r.append(separate)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


# ----- accessibility: language, table captions, layout tables ------------------------------

_AFTER_TBL_LOOK = ("w:tblCaption", "w:tblDescription", "w:tblPrChange")
_AFTER_TBL_CAPTION = ("w:tblDescription", "w:tblPrChange")
_AFTER_TBL_DESCRIPTION = ("w:tblPrChange",)


def set_default_language(styles: BaseOxmlElement, language: str, *, bidi: str) -> None:
    """The document's default language (``w:docDefaults``), which every run inherits unless
    it says otherwise: what a screen reader speaks in, and Word's tagged PDF's /Lang."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    r_pr_default = defaults.find(qn("w:rPrDefault"))
    if r_pr_default is None:
        r_pr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, r_pr_default)
    r_pr = r_pr_default.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        r_pr_default.append(r_pr)
    set_language(r_pr, language, bidi=bidi)


def _table_text(table: Table, tag: str, value: str, after: Sequence[str]) -> None:
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn(tag)):
        tbl_pr.remove(old)
    element = OxmlElement(tag)
    element.set(qn("w:val"), value)
    _insert(tbl_pr, element, after)


def table_caption(table: Table, caption: str, description: str = "") -> None:
    """The table's title and description (Word's Alt Text), which a screen reader announces
    on entering it and Word writes into a tagged PDF."""
    _table_text(table, "w:tblCaption", caption, _AFTER_TBL_CAPTION)
    if description:
        _table_text(table, "w:tblDescription", description, _AFTER_TBL_DESCRIPTION)


def _table_look(table: Table, *, first_row: bool, first_column: bool) -> None:
    """Which of the table's rows and columns are headings (``w:tblLook``)."""
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblLook")):
        tbl_pr.remove(old)
    look = OxmlElement("w:tblLook")
    flags = {
        "w:firstRow": first_row,
        "w:lastRow": False,
        "w:firstColumn": first_column,
        "w:lastColumn": False,
        "w:noHBand": True,
        "w:noVBand": True,
    }
    for name, on in flags.items():
        look.set(qn(name), "1" if on else "0")
    look.set(
        qn("w:val"), f"{0x0600 | (0x20 if first_row else 0) | (0x80 if first_column else 0):04X}"
    )
    _insert(tbl_pr, look, _AFTER_TBL_LOOK)


def header_row(table: Table) -> None:
    """Mark the table's first row as its header: read as column headings, repeated at the top
    of every page the table runs over, and tagged as header cells in Word's PDF."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        # CT_TrPr is a choice of its children in any order; cantSplit before tblHeader is usual
        tr_pr.append(OxmlElement("w:tblHeader"))
    _table_look(table, first_row=True, first_column=False)


def layout_table(table: Table, description: str) -> None:
    """Mark a table that only lays text out (a shaded panel) as holding no data: no header
    row or column, and a description that says so, for a screen reader to pass over."""
    _table_look(table, first_row=False, first_column=False)
    _table_text(table, "w:tblDescription", f"Layout table: {description}", _AFTER_TBL_DESCRIPTION)


def set_theme_language(settings: BaseOxmlElement, language: str) -> None:
    """The language of the theme's fonts in ``settings.xml`` (python-docx's template says
    en-US), so that nothing in the package claims another language."""
    element = settings.find(qn("w:themeFontLang"))
    if element is not None:
        element.set(qn("w:val"), language)
