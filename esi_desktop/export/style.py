"""The house style of exported documents: colours, the words and colours of a RAG, and the
one stylesheet every paragraph takes its style from.

The fonts are registered from files (:mod:`esi_desktop.export.fonts`) before any style is
used to lay anything out.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle, StyleSheet1

from esi_desktop.contrast import ColourPair, Kind
from esi_desktop.export.fonts import BOLD, ITALIC, REGULAR, register_fonts
from esi_desktop.rules import Rag

# ----- colours: near-black text, one dark accent, greys; RAG colours only for RAG --------------

INK = colors.HexColor("#0B0C0C")
MUTED = colors.HexColor("#505A5F")
ACCENT = colors.HexColor("#1D3A5F")
RULE = colors.HexColor("#B1B4B6")
HEAD_FILL = colors.HexColor("#E8EBEE")
ROW_FILL = colors.HexColor("#F4F5F6")
QUOTE_FILL = colors.HexColor("#F3F5F8")
GAP_FILL = colors.HexColor("#FFF4D1")
GAP_EDGE = colors.HexColor("#8A6D00")
#: The chart's axes (its baseline): a graphic a reader needs, so 3:1 or more against white.
AXIS = colors.HexColor("#6F777B")
#: The DRAFT mark across a draft's pages.
DRAFT_COLOUR = colors.HexColor("#C8102E")
PAPER = colors.white

RAG_COLOURS: dict[Rag, tuple[colors.Color, colors.Color]] = {
    Rag.RED: (colors.HexColor("#C8102E"), colors.white),
    Rag.AMBER: (colors.HexColor("#FFBF47"), INK),
    Rag.GREEN: (colors.HexColor("#00703C"), colors.white),
    Rag.BLUE: (colors.HexColor("#1D70B8"), colors.white),
}
#: How a RAG is worded in a document (Blue means complete).
RAG_WORDS = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green", Rag.BLUE: "Complete"}


def _hex(colour: colors.Color) -> str:
    """``#RRGGBB`` of a reportlab colour."""
    return "#" + str(colour.hexval())[2:].upper()


def _pair(name: str, fg: colors.Color, bg: colors.Color, kind: Kind = "text") -> ColourPair:
    return ColourPair(name, _hex(fg), _hex(bg), kind)


#: Every fixed colour pair the PDFs draw that a reader needs to see, with the contrast its use
#: needs (WCAG 2.2 AA: 1.4.3 for text, 1.4.11 for graphics); tests/test_document_contrast.py
#: checks each. Text 14 pt bold or 18 pt and over is "large".
COLOUR_PAIRS: tuple[ColourPair, ...] = (
    _pair("Body text", INK, PAPER),
    _pair("Title", INK, PAPER, "large"),
    _pair("Subtitle and muted text", MUTED, PAPER),
    _pair("Kicker, running header's title, caption of an image page", ACCENT, PAPER),
    _pair("Heading 1", ACCENT, PAPER, "large"),
    _pair("Label, footer, page numbers", MUTED, PAPER),
    _pair("Table header cell", INK, HEAD_FILL),
    _pair("Muted text in a table header row", MUTED, HEAD_FILL),
    _pair("Shaded table row (an action)", INK, ROW_FILL),
    _pair("Muted text in a shaded row", MUTED, ROW_FILL),
    _pair("Quoted recommendation", INK, QUOTE_FILL),
    _pair("Gap panel text", INK, GAP_FILL),
    _pair("Muted text in a gap panel", MUTED, GAP_FILL),
    _pair("DRAFT in the footer", DRAFT_COLOUR, PAPER),
    *(_pair(f"{RAG_WORDS[rag]} RAG cell", ink, fill) for rag, (fill, ink) in RAG_COLOURS.items()),
    _pair("Chart bar", ACCENT, PAPER, "graphic"),
    _pair("Chart axis and baseline", AXIS, PAPER, "graphic"),
    _pair("Chart labels", INK, PAPER),
    _pair("Chart scale", MUTED, PAPER),
    _pair("Rule under a table's header row", INK, PAPER, "graphic"),
    _pair("Rule on a quotation's left", ACCENT, QUOTE_FILL, "graphic"),
    _pair("Gap panel's edge, inside", GAP_EDGE, GAP_FILL, "graphic"),
    _pair("Gap panel's edge, on the page", GAP_EDGE, PAPER, "graphic"),
)

#: Colours drawn only to decorate, whose contrast no reader depends on (WCAG 1.4.11 asks
#: nothing of them): the thin rules between table rows and under the running header, the
#: chart's grid (each bar carries its figure), the fills behind text (the text on them is
#: checked above), and the see-through DRAFT across a page (DRAFT is also in the footer).
DECORATIVE: tuple[ColourPair, ...] = (
    _pair("Rule between table rows, under the running header", RULE, PAPER, "graphic"),
    _pair("Chart grid line", RULE, PAPER, "graphic"),
    _pair("Table header fill", HEAD_FILL, PAPER, "graphic"),
    _pair("Shaded row fill", ROW_FILL, PAPER, "graphic"),
    _pair("Quotation fill", QUOTE_FILL, PAPER, "graphic"),
)

#: The left and right padding of table cells.
CELL_PADDING = 4

#: The style of header cells (the fonts are registered before anything is laid out).
HEAD_CELL = ParagraphStyle("HeadCell", fontName=BOLD, fontSize=8.5, leading=11, textColor=INK)
HEAD_CELL_RIGHT = ParagraphStyle("HeadCellRight", parent=HEAD_CELL, alignment=TA_RIGHT)
#: The style of plain body cells that need a fallback font or right-to-left order.
BODY_CELL = ParagraphStyle("BodyCell", fontName=REGULAR, fontSize=8.5, leading=11, textColor=INK)
BODY_CELL_RIGHT = ParagraphStyle("BodyCellRight", parent=BODY_CELL, alignment=TA_RIGHT)


def stylesheet() -> StyleSheet1:
    """Every paragraph style of the exported documents."""
    font = register_fonts()
    sheet = StyleSheet1()

    def add(name: str, **values: Any) -> None:
        parent = values.pop("parent", None)
        base = {
            "fontName": font,
            "bulletFontName": font,
            "fontSize": 10,
            "leading": 14,
            "textColor": INK,
        }
        if parent is not None:
            sheet.add(ParagraphStyle(name, parent=sheet[parent], **values))
        else:
            sheet.add(ParagraphStyle(name, **(base | values)))

    add("Body", spaceAfter=6)
    add("BodySmall", parent="Body", fontSize=9, leading=12.5, spaceAfter=4)
    add("Muted", parent="BodySmall", textColor=MUTED)
    add("Kicker", fontName=BOLD, fontSize=10, leading=13, textColor=ACCENT, spaceAfter=10)
    add("Title", fontName=BOLD, fontSize=26, leading=31, spaceAfter=14)
    add("Subtitle", fontSize=13, leading=18, textColor=MUTED, spaceAfter=18)
    add(
        "H1",
        fontName=BOLD,
        fontSize=17,
        leading=21,
        textColor=ACCENT,
        spaceBefore=16,
        spaceAfter=10,
        keepWithNext=1,
    )
    add("H2", fontName=BOLD, fontSize=13, leading=17, spaceBefore=12, spaceAfter=6, keepWithNext=1)
    add("H3", fontName=BOLD, fontSize=10.5, leading=14, spaceBefore=8, spaceAfter=3, keepWithNext=1)
    add(
        "Label",
        fontName=BOLD,
        fontSize=9,
        leading=12,
        textColor=MUTED,
        spaceBefore=6,
        spaceAfter=2,
        keepWithNext=1,
    )
    add("Quote", fontSize=10.5, leading=15)
    add("Cell", fontSize=8.5, leading=11)
    add("CellBold", parent="Cell", fontName=BOLD)
    add("CellMuted", parent="Cell", textColor=MUTED)
    add("CellIndent", parent="Cell", leftIndent=10)
    add("CellHead", parent="Cell", fontName=BOLD)
    add("CellRight", parent="Cell", alignment=TA_RIGHT)
    add("Gap", fontName=BOLD, fontSize=10, leading=13)
    add("GapNote", parent="BodySmall", spaceAfter=0)
    add("GapItem", parent="GapNote", leftIndent=11, bulletIndent=1, spaceBefore=2)
    add("Sign", fontSize=9, leading=12, textColor=MUTED)
    add("Footnote", fontName=ITALIC, fontSize=8.5, leading=11, textColor=MUTED)
    return sheet
