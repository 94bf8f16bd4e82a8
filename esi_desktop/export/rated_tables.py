"""The ratings table of a rated inspection in the PDFs, in place of the scoring summary.

Each domain, its standards with their rating and whether they count towards the overall
rating, then the total ("5 / 36") and the overall rating; with a follow-up's ratings beside
the inspection's and the change in words once a follow-up round has ratings. The rows come
from :mod:`esi_desktop.export.rated_content`, as in the Word and Excel versions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.styles import StyleSheet1
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from esi_desktop.export.fonts import BOLD
from esi_desktop.export.rated_content import RatedTable
from esi_desktop.export.scripts import Paragraph
from esi_desktop.export.style import INK, ROW_FILL
from esi_desktop.export.tables import cell, data_table
from esi_desktop.export.text import text

#: What the ratings table's introduction says, for both PDFs.
RATINGS_INTRO = (
    "Each standard as the Inspectorate rated it. The overall rating comes from the total "
    "points of the standards that count (Outstanding 3, Good 2, Requires improvement 1, "
    "Inadequate 0); a standard rated apart is shown but not counted."
)


def ratings_table(
    styles: StyleSheet1, table: RatedTable, width: float, *, follow_up: bool = True
) -> list[Flowable]:
    """One rated framework's table: its heading, then the rows.

    Args:
        follow_up: show the follow-up's ratings and the change when the table has them.
    """
    s = styles
    later = follow_up and table.follow_up is not None
    if later:
        widths = [12 * mm, width - 12 * mm - 2 * 35 * mm - 28 * mm, 35 * mm, 35 * mm, 28 * mm]
        rows: list[list[Any]] = [["Ref", "Standard", "Inspection", table.follow_up_label, "Change"]]
    else:
        widths = [12 * mm, width - 12 * mm - 36 * mm - 34 * mm, 36 * mm, 34 * mm]
        rows = [["Ref", "Standard", "Rating", "Counts towards the overall rating"]]
    extra: list[tuple[Any, ...]] = []
    for row in table.rows():
        at = len(rows)
        if row.kind == "domain":
            rows.append(
                [row.code, Paragraph(text(row.title), s["CellBold"])] + [""] * (len(widths) - 2)
            )
            extra += [
                ("BACKGROUND", (0, at), (-1, at), ROW_FILL),
                ("FONT", (0, at), (0, at), BOLD, 8.5, 11),
                ("SPAN", (1, at), (-1, at)),
            ]
        elif row.kind == "standard":
            title = text(row.title)
            if later and row.counts != "Counted":
                title += " <font color='#505A5F'>(rated apart, not counted)</font>"
            standard: Any = (
                Paragraph(title, s["Cell"]) if later else cell(row.title, s["Cell"], widths[1])
            )
            if later:
                values = [row.rating, row.follow_up, row.change]
                rows.append(
                    [
                        row.code,
                        standard,
                        *[cell(v, s["Cell"], w) for v, w in zip(values, widths[2:], strict=True)],
                    ]
                )
            else:
                counts = row.counts if row.counts == "Counted" else f"No: {row.counts.lower()}"
                rows.append(
                    [
                        row.code,
                        standard,
                        cell(row.rating, s["Cell"], widths[2]),
                        cell(counts, s["Cell"], widths[3]),  # "No: rated apart…" wraps
                    ]
                )
        else:
            values = [row.rating, row.follow_up, row.change] if later else [row.rating, ""]
            rows.append(
                [
                    "",
                    row.title,
                    *[cell(v, s["CellBold"], w) for v, w in zip(values, widths[2:], strict=True)],
                ]
            )
            extra.append(("FONT", (1, at), (-1, at), BOLD, 8.5, 11))
            if row.kind == "total":
                extra.append(("LINEABOVE", (0, at), (-1, at), 0.8, INK))
    # the table is short (a framework's standards): it stays on one page with its heading
    return [
        KeepTogether([Paragraph(text(table.title), s["H2"]), data_table(rows, widths, extra=extra)])
    ]


def ratings_tables(
    styles: StyleSheet1, tables: Sequence[RatedTable], width: float, *, follow_up: bool = True
) -> list[Flowable]:
    """Every rated framework's table, in order."""
    flowables: list[Flowable] = []
    for table in tables:
        flowables += ratings_table(styles, table, width, follow_up=follow_up)
    return flowables
