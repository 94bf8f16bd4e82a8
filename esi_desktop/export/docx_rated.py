"""A rated inspection's ratings table in the Word response, as the PDF prints it.

The rows come from :mod:`esi_desktop.export.rated_content`; the Word parts (tables with a
repeated header row and a caption) from :mod:`esi_desktop.export.docx_parts`.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as WordDocument

from esi_desktop.export import docx_parts as w
from esi_desktop.export.docx_parts import Cell, CellValue, para
from esi_desktop.export.rated_content import RatedTable
from esi_desktop.export.rated_tables import RATINGS_INTRO


def ratings_section(document: WordDocument, tables: Sequence[RatedTable], width: float) -> None:
    """The "Ratings" heading, its introduction and each rated framework's table."""
    document.add_heading("Ratings", level=1)
    intro = RATINGS_INTRO
    if any(t.follow_up is not None for t in tables):
        intro += " The follow-up’s ratings are shown beside the inspection’s."
    para(document, intro, w.SMALL)
    for table in tables:
        ratings_table(document, table, width)


def ratings_table(document: WordDocument, table: RatedTable, width: float) -> None:
    """One rated framework's heading and table: each standard's rating and whether it
    counts, then the total and the overall rating; the follow-up's beside them if any."""
    document.add_heading(table.title, level=2)
    later = table.follow_up is not None
    rows: list[list[CellValue]] = []
    shaded: list[int] = []
    for row in table.rows():
        if row.kind == "domain":
            shaded.append(len(rows))
            rows.append(
                [Cell(row.code, bold=True), Cell(row.title, bold=True)] + [""] * (3 if later else 2)
            )
        elif row.kind == "standard":
            if later:
                title = row.title
                if row.counts != "Counted":
                    title += " (rated apart, not counted)"
                rows.append([row.code, title, row.rating, row.follow_up, row.change])
            else:
                counts = row.counts if row.counts == "Counted" else f"No: {row.counts.lower()}"
                rows.append([row.code, row.title, row.rating, counts])
        else:
            values = [row.rating, row.follow_up, row.change] if later else [row.rating, ""]
            rows.append(["", Cell(row.title, bold=True), *[Cell(v, bold=True) for v in values]])
    if later:
        header = ["Ref", "Standard", "Inspection", table.follow_up_label, "Change"]
        widths = [12, width - 12 - 35 - 35 - 28, 35, 35, 28]
        caption = f"{table.title}: each standard’s rating at the inspection and the follow-up"
    else:
        header = ["Ref", "Standard", "Rating", "Counts towards the overall rating"]
        widths = [12, width - 12 - 36 - 34, 36, 34]
        caption = f"{table.title}: each standard’s rating"
    w.data_table(document, header, rows, widths, shaded=shaded, caption=caption)
