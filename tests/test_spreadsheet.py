"""One rule for spreadsheet-bound text: a formula is never handed over live (issue 10 §5)."""

from __future__ import annotations

from datetime import date

import pytest

from esi_desktop.spreadsheet import safe_cell, safe_row


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1452 000000", "'+44 1452 000000"),
        ("-5 points", "'-5 points"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("Agreed = yes", "Agreed = yes"),
        ("", ""),
        (42, 42),
        (-3, -3),
        (None, None),
    ],
)
def test_text_a_spreadsheet_would_run_is_marked_as_text(value: object, cell: object) -> None:
    assert safe_cell(value) == cell


def test_a_row_is_made_safe_cell_by_cell() -> None:
    assert safe_row(["=A1", date(2005, 3, 15), "ok"]) == ["'=A1", date(2005, 3, 15), "ok"]
