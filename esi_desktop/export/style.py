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

RAG_COLOURS: dict[Rag, tuple[colors.Color, colors.Color]] = {
    Rag.RED: (colors.HexColor("#C8102E"), colors.white),
    Rag.AMBER: (colors.HexColor("#FFBF47"), INK),
    Rag.GREEN: (colors.HexColor("#00703C"), colors.white),
    Rag.BLUE: (colors.HexColor("#1D70B8"), colors.white),
}
#: How a RAG is worded in a document (Blue means complete).
RAG_WORDS = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green", Rag.BLUE: "Complete"}

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
