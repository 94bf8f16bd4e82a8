"""The History names every field of every audited item in words, never a column's name."""

from __future__ import annotations

from datetime import date

import peewee
import pytest

from db.models import (
    Action,
    BaseModel,
    BoardMeeting,
    BoardResponse,
    ExtensionDecision,
    FollowUpInspection,
    Inspection,
    Milestone,
    PlanSubmission,
    Recommendation,
)
from esi_desktop import audit, inspection_record, inspections
from esi_desktop.audit.labels import explicit_label

#: The models whose changes the History shows, by the item kind it records them under (an
#: extension decision has no kind of its own yet: its table's name, as ``audit.item_of`` gives).
AUDITED: tuple[tuple[type[BaseModel], str], ...] = (
    (Inspection, audit.INSPECTION),
    (Recommendation, audit.RECOMMENDATION),
    (BoardResponse, audit.RESPONSE),
    (Action, audit.ACTION),
    (Milestone, audit.MILESTONE),
    (FollowUpInspection, audit.FOLLOW_UP),
    (BoardMeeting, audit.BOARD_MEETING),
    (PlanSubmission, audit.SUBMISSION),
    (ExtensionDecision, "extension_decision"),
)

#: Columns that are bookkeeping, never a change a person makes or reads in the History: the
#: row's identity and stamps, the counters that hand out references, the plan as sent in JSON.
BOOKKEEPING = {
    "id",
    "created_at",
    "updated_at",
    "version",
    "last_action_number",
    "last_milestone_number",
    "plan_json",
}


def _own_fields(model: type[BaseModel]) -> list[str]:
    """A model's columns a person changes: not bookkeeping, not links to other rows."""
    return [
        name
        for name, column in model._meta.fields.items()
        if name not in BOOKKEEPING and not isinstance(column, peewee.ForeignKeyField)
    ]


@pytest.mark.parametrize(("model", "kind"), AUDITED, ids=[kind for _, kind in AUDITED])
def test_every_field_of_an_audited_item_has_its_own_words(
    model: type[BaseModel], kind: str
) -> None:
    unlabelled = [name for name in _own_fields(model) if explicit_label(kind, name) is None]
    assert unlabelled == [], f"{model.__name__} fields with no label: {unlabelled}"


def test_the_new_fields_read_as_words() -> None:
    assert audit.field_label(audit.INSPECTION, "fieldwork_start") == "Fieldwork began"
    assert audit.field_label(audit.INSPECTION, "agreed_response_due") == "Agreed response date"
    assert audit.field_label(audit.INSPECTION, "agreed_response_reason") == (
        "Why the response deadline was agreed"
    )
    assert audit.field_label(audit.RECOMMENDATION, "stem") == "Opening words as printed"
    assert audit.field_label(audit.FOLLOW_UP, "round2.kind") == (
        "Round 2: Follow-up or re-inspection"
    )
    assert audit.field_label("extension_decision", "requested_date") == "New date requested"
    # a response's own words still win over the general ones
    assert audit.field_label(audit.RESPONSE, "reason") == "Reason for not agreeing"
    # a field nobody has named yet still reads as words, not as a column's name
    assert audit.field_label(audit.ACTION, "some_new_field") == "Some new field"
    assert explicit_label(audit.ACTION, "some_new_field") is None


def test_an_edited_inspection_record_reads_in_words_in_the_history(
    sample_db: peewee.Database,
) -> None:
    inspection_id = inspections.list_inspections()[0].id
    record = inspection_record.get_inspection_record(inspection_id=inspection_id)
    with audit.acting_as("secretary"):
        inspection_record.update_inspection_record(
            inspection_id=inspection_id,
            values={
                "published_day": 14,
                "fieldwork_start": date(2004, 9, 6),
                "fieldwork_end": date(2004, 9, 17),
                "agreed_response_due": date(2005, 5, 2),
                "agreed_response_reason": "The Board meets on 28 April",
            },
            expected_version=record.version,
        )
        inspection_record.archive_inspection(inspection_id=inspection_id, today=date(2006, 3, 1))
    shown = {
        e.field_label: e.new_value
        for e in audit.history(item_kind=audit.INSPECTION, item_id=inspection_id)
        if e.action == audit.UPDATE
    }
    assert shown == {
        "Day published": "14",
        "Fieldwork began": "2004-09-06",
        "Fieldwork ended": "2004-09-17",
        "Agreed response date": "2005-05-02",
        "Why the response deadline was agreed": "The Board meets on 28 April",
        "Archived on": "2006-03-01",
    }
