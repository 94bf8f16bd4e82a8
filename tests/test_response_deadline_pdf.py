"""The response's cover gives the deadline in force: agreed with the Inspectorate, or statutory
and, when the day of publication is not known, counted from an assumed 1st."""

from __future__ import annotations

import io
from datetime import date

import peewee
from pypdf import PdfReader

from esi_desktop import inspection_record, inspections
from esi_desktop.export import render_response

TODAY = date(2005, 6, 1)
REASON = "The Board meets on 28 April"


def cover_text(inspection_id: int) -> str:
    """The cover page's words, whitespace-normalised."""
    data = render_response(inspection_id=inspection_id, today=TODAY)
    return " ".join((PdfReader(io.BytesIO(data)).pages[0].extract_text() or "").split())


def _edit(inspection_id: int, **values: object) -> None:
    record = inspection_record.get_inspection_record(inspection_id=inspection_id)
    inspection_record.update_inspection_record(
        inspection_id=inspection_id, values=values, expected_version=record.version
    )


def _only() -> int:
    return inspections.list_inspections()[0].id


def test_the_statutory_deadline_says_it_counts_from_an_assumed_first(
    sample_db: peewee.Database,
) -> None:
    words = cover_text(_only())
    assert "Published January 2005 (day not known: assumed 1st)" in words
    assert "Response due 1 April 2005 (3 months after publication)" in words
    assert (
        "Counted from an assumed 1st (1 January 2005), as the day of publication is not known."
        in words
    )
    assert "agreed with the Inspectorate" not in words


def test_an_agreed_deadline_is_printed_with_its_reason_and_the_statutory_one(
    sample_db: peewee.Database,
) -> None:
    inspection_id = _only()
    _edit(inspection_id, agreed_response_due=date(2005, 5, 2), agreed_response_reason=REASON)
    words = cover_text(inspection_id)
    assert f"Response due 2 May 2005 (agreed with the Inspectorate: {REASON})" in words
    assert (
        "The statutory deadline is 1 April 2005, counted from an assumed 1st (1 January 2005), "
        "as the day of publication is not known." in words
    )
    assert "April 2005 (3 months after publication)" not in words


def test_a_known_day_needs_no_assumption(sample_db: peewee.Database) -> None:
    inspection_id = _only()
    _edit(inspection_id, published_day=14)
    words = cover_text(inspection_id)
    assert "Published 14 January 2005" in words
    assert "Response due 14 April 2005 (3 months after publication)" in words
    assert "assumed 1st" not in words

    _edit(inspection_id, agreed_response_due=date(2005, 5, 2), agreed_response_reason=REASON)
    words = cover_text(inspection_id)
    assert f"Response due 2 May 2005 (agreed with the Inspectorate: {REASON})" in words
    assert "The statutory deadline is 14 April 2005." in words
    assert "assumed 1st" not in words
