"""Text bound for a spreadsheet (CSV now, Excel later), made safe to open.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel and LibreOffice as a formula: a response reading ``@SUM(1+1)*cmd|' /C calc'!A0`` would
run when the file is opened (CSV/formula injection, OWASP). Every spreadsheet-bound writer
passes each cell through :func:`safe_cell`, which puts an apostrophe in front of such text —
the spreadsheet's own "this is text" mark, shown to nobody — and leaves every other value as
it is.
"""

from __future__ import annotations

from collections.abc import Iterable

#: What makes a spreadsheet read a cell as a formula (or, for tab and CR, hide one after it).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` as a cell that a spreadsheet shows as text, never runs as a formula.

    Numbers, dates and None pass through (they are not text and cannot be formulas).
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[object]) -> list[object]:
    """Every cell of a row through :func:`safe_cell`."""
    return [safe_cell(value) for value in values]
