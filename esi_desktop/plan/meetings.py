"""The Board meetings the secretary plans papers for."""

from __future__ import annotations

from datetime import date

from db.models import (
    BoardMeeting,
    database_proxy,
)
from esi_desktop import audit
from esi_desktop.errors import NotFoundError, ValidationError
from esi_desktop.inspections import get_inspection
from esi_desktop.text import check_values
from esi_desktop.versioned import (
    Snapshot,
    snapshot_of,
)


def board_meetings(*, inspection_id: int) -> list[date]:
    """The Board meeting dates entered for an inspection, in order."""
    return [
        row.meeting_date
        for row in BoardMeeting.select()
        .where(BoardMeeting.inspection == inspection_id)
        .order_by(BoardMeeting.meeting_date)
    ]


def add_board_meeting(*, inspection_id: int, meeting_date: date, note: str = "") -> int:
    """Record a Board meeting date.

    Raises:
        ValidationError: the date is already there or is not a date.
    """
    if not isinstance(meeting_date, date):
        raise ValidationError("A Board meeting needs a date such as 14/03/2005.", "meeting_date")
    check_values({"note": note}, "the Board meeting")
    with database_proxy.atomic():
        get_inspection(inspection_id=inspection_id)
        exists = BoardMeeting.get_or_none(
            (BoardMeeting.inspection == inspection_id) & (BoardMeeting.meeting_date == meeting_date)
        )
        if exists is not None:
            raise ValidationError(
                f"A Board meeting on {meeting_date:%d/%m/%Y} is already in the list.",
                "meeting_date",
            )
        meeting = BoardMeeting.create(
            inspection=inspection_id, meeting_date=meeting_date, note=note
        )
        audit.record(audit.row_entries([("board_meeting", meeting.__data__)], audit.CREATE))
    return int(meeting.id)


def delete_board_meeting(*, inspection_id: int, meeting_date: date) -> Snapshot:
    """Remove a Board meeting date.

    Returns:
        A snapshot that :func:`restore` puts back.
    """
    with database_proxy.atomic():
        rows = list(
            BoardMeeting.select().where(
                (BoardMeeting.inspection == inspection_id)
                & (BoardMeeting.meeting_date == meeting_date)
            )
        )
        if not rows:
            raise NotFoundError(f"There is no Board meeting on {meeting_date:%d/%m/%Y} to remove.")
        snapshot = snapshot_of(rows)
        audit.record(audit.row_entries(snapshot.rows, audit.DELETE))
        for row in rows:
            row.delete_instance()
    return snapshot
