"""Checks on a whole column of a tracker sheet before its rows are read. Pure: no database.

- :func:`recommendation_column`: headings Ref | Recommendation | Action where the
  Recommendation column holds short titles and Ref the recommendation's number: the
  recommendations are read from Ref, and a warning says so.
- :func:`date_order`: a date column in which some dates can be read only month first
  (03/31/2006, the American way): its dates that read either way (04/05/2005) are read day
  first as everywhere else, and one warning for the column says they may be wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from esi_desktop.tracker.sheet import SheetTable
from esi_desktop.tracker.values import (
    CellProblem,
    read_date,
    recommendation_references,
    text_of,
    written_order,
)
from esi_desktop.wording import long_date


def recommendation_column(
    table: SheetTable, recommendations: Mapping[str, str], warnings: list[str]
) -> str:
    """The field holding each row's recommendation: "reference" when the Recommendation
    column names no recommendation at all and the Reference column does (with a warning in
    ``warnings``), else "recommendation"."""
    if "reference" not in table.columns or "recommendation" not in table.columns:
        return "recommendation"
    example = ""
    read_from: dict[str, int] = {"recommendation": 0, "reference": 0}
    for row in table.rows:
        for name in read_from:
            value = row.value(name)
            if value is None or text_of(value) == "":
                continue
            try:
                recommendation_references(value, recommendations)
            except CellProblem:
                example = example or (text_of(value) if name == "recommendation" else "")
            else:
                read_from[name] += 1
    if read_from["recommendation"] or not read_from["reference"] or not example:
        return "recommendation"
    warnings.append(
        f"Sheet {table.sheet!r}: column {table.column_letter('recommendation')} "
        f"({table.headings['recommendation']!r}) names no recommendation of this inspection "
        f"(it holds {example!r}), so each row's recommendation was read from column "
        f"{table.column_letter('reference')} ({table.headings['reference']!r})."
    )
    return "reference"


def date_order(table: SheetTable, name: str, today: date) -> list[str]:
    """One warning (or none) for a date column whose dates are written month first in places:
    its dates that read either way were read day first and may be wrong."""
    month_first: list[tuple[int, str]] = []
    either: list[tuple[int, str]] = []
    for row in table.rows:
        value = row.value(name)
        if not isinstance(value, str):
            continue  # a real date cell has no order to guess
        order = written_order(value)
        if order == "month first":
            month_first.append((row.number, text_of(value)))
        elif order == "either":
            either.append((row.number, text_of(value)))
    if not (month_first and either):
        return []
    (us_row, us_text), (row_number, text) = month_first[0], either[0]
    try:
        read_as = f" ({text!r} as {long_date(read_date(text, today=today).day)})"
    except CellProblem:
        read_as = ""
    others = f" and {len(either) - 1} more" if len(either) > 1 else ""
    return [
        f"Sheet {table.sheet!r}: column {table.column_letter(name)} "
        f"({table.headings[name]!r}) has dates that can be read only month first, the "
        f"American way ({us_text!r}, row {us_row}), so its dates that read either way "
        f"({text!r}, row {row_number}{others}) may be month first too; they were read day "
        f"first{read_as} — check them, or write the months as words, and import again."
    ]
