"""Tables in the house style: cells that wrap only when they must, the ruled data table that
splits across pages, RAG-coloured cells, and label and value pairs of key facts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Table, TableStyle

from esi_desktop.export.fonts import BOLD, REGULAR
from esi_desktop.export.scripts import Paragraph, needs_mending
from esi_desktop.export.style import (
    BODY_CELL,
    BODY_CELL_RIGHT,
    CELL_PADDING,
    HEAD_CELL,
    HEAD_CELL_RIGHT,
    HEAD_FILL,
    INK,
    RAG_COLOURS,
    RULE,
)
from esi_desktop.export.text import text
from esi_desktop.rules import Rag


def cell(value: str, style: ParagraphStyle, width: float) -> str | Paragraph:
    """A table cell in ``style``: plain text when it fits on one line of a column ``width``
    wide (far cheaper to lay out), else a Paragraph that wraps.

    Plain text takes the table's font, so use this for cells in the table's own font; text
    that needs a fallback font or right-to-left order is always a Paragraph.
    """
    flat = " ".join(value.split())
    if needs_mending(flat, style.fontName):
        return Paragraph(text(value), style)
    if stringWidth(flat, style.fontName, style.fontSize) <= width - 2 * CELL_PADDING - 1:
        return flat
    return Paragraph(text(value), style)


def house_style(commands: Iterable[tuple[Any, ...]]) -> TableStyle:
    """A table style whose cells use the house font (reportlab would fall back to Helvetica)."""
    return TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 8.5, 11), *commands])


def grid_style(*, header_rows: int = 1, extra: Iterable[tuple[Any, ...]] = ()) -> TableStyle:
    """The house table: ruled rows, a shaded bold header, text aligned to the top."""
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 8.5, 11),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header_rows:
        commands += [
            ("FONT", (0, 0), (-1, header_rows - 1), BOLD, 8.5, 11),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, INK),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "BOTTOM"),
        ]
    commands.extend(extra)
    return TableStyle(commands)


def data_table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header_rows: int = 1,
    extra: Iterable[tuple[Any, ...]] = (),
    numeric: Iterable[int] = (),
) -> Table:
    """A table that splits across pages, repeating its header rows (whose words wrap).

    Args:
        numeric: the columns of figures, aligned right with their headings.
    """
    right = set(numeric)
    body = [list(row) for row in rows]
    for row in body[:header_rows]:
        row[:] = [
            Paragraph(text(c), HEAD_CELL_RIGHT if i in right else HEAD_CELL)
            if isinstance(c, str) and c
            else c
            for i, c in enumerate(row)
        ]
    for row in body[header_rows:]:  # a table draws plain text in one font, left to right
        row[:] = [
            Paragraph(text(c), BODY_CELL_RIGHT if i in right else BODY_CELL)
            if isinstance(c, str) and needs_mending(c, REGULAR)
            else c
            for i, c in enumerate(row)
        ]
    commands = [("ALIGN", (i, header_rows), (i, -1), "RIGHT") for i in sorted(right)]
    table = Table(body, colWidths=list(widths), repeatRows=header_rows, hAlign="LEFT", splitInRow=1)
    table.setStyle(grid_style(header_rows=header_rows, extra=[*commands, *extra]))
    return table


def rag_cell_commands(column: int, row: int, rag: Rag | None) -> list[tuple[Any, ...]]:
    """Colour one cell for a RAG (the cell also holds the word)."""
    if rag is None:
        return []
    fill, ink = RAG_COLOURS[rag]
    return [
        ("BACKGROUND", (column, row), (column, row), fill),
        ("TEXTCOLOR", (column, row), (column, row), ink),
        ("FONT", (column, row), (column, row), BOLD, 8.5, 11),
    ]


def facts_table(
    styles: StyleSheet1, rows: Sequence[tuple[str, str]], widths: Sequence[float]
) -> Table:
    """Label and value pairs, lightly ruled (a cover's or a paper's key facts)."""
    body = [
        [Paragraph(text(label), styles["CellHead"]), Paragraph(value, styles["Body"])]
        for label, value in rows
    ]
    table = Table(body, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(
        house_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table
