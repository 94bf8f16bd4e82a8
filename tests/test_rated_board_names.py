"""A rated inspection's other exports name its management board, never a Probation Board."""

from __future__ import annotations

from datetime import date

import peewee

from esi_desktop.evidence import attach
from esi_desktop.export.bundle_content import bundle_content
from esi_desktop.export.calendar import calendar_content
from esi_desktop.plan import add_action
from esi_desktop.reminders.emails import plan_reminders

TODAY = date(2025, 1, 10)
BOARD = "Reading Youth Justice Service Management Board"


def test_the_calendar_reminders_and_bundle_name_the_management_board(
    rated_db: peewee.Database,
) -> None:
    add_action(
        inspection_id=1,
        text="Appoint a quality assurance lead",
        owner="Head of Service <head@reading.example>",
        target_date=date(2025, 1, 5),  # overdue
        recommendation_ids=[1],
    )
    calendar = calendar_content(inspection_id=1, today=TODAY)
    assert calendar.name.startswith(BOARD) and "Probation Board" not in calendar.name
    reminders = plan_reminders(inspection_id=1, today=TODAY, days=14)
    (email,) = reminders.emails
    assert email.subject.startswith("Action plan: 1 item due or overdue")
    assert "Probation Board" not in email.body
    attach(item_kind="recommendation", item_id=1, name="Minutes.txt", data=b"Board minutes")
    bundle = bundle_content(inspection_id=1, today=TODAY)
    assert bundle.board == BOARD and bundle.area_label == "Inspected body"


def test_an_esi_inspection_keeps_its_probation_board(sample_db: peewee.Database) -> None:
    calendar = calendar_content(inspection_id=1, today=TODAY)
    assert calendar.name.startswith("Gloucestershire Probation Board")
