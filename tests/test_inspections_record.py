"""The inspection record: publication day, fieldwork, an agreed deadline, archive and delete."""

from __future__ import annotations

import io
import json
from datetime import date

import peewee
import pytest

from db.models import Action, AuditEntry, CriterionResult, Inspection, Recommendation
from esi_desktop import backups, inspection_record, inspections
from esi_desktop.cli import main
from esi_desktop.dashboard import load_dashboard
from esi_desktop.errors import ValidationError
from esi_desktop.versioned import ConflictError


def _only() -> int:
    return inspections.list_inspections()[0].id


def _edit(inspection_id: int, **values: object) -> None:
    record = inspection_record.get_inspection_record(inspection_id=inspection_id)
    inspection_record.update_inspection_record(
        inspection_id=inspection_id, values=values, expected_version=record.version
    )


def test_an_unknown_day_is_assumed_the_first_and_says_so(any_sample_db: peewee.Database) -> None:
    inspection_id = _only()
    clock = inspections.statutory_clock_of(inspection_id=inspection_id)
    assert clock.published == date(2005, 1, 1)
    assert not clock.published_day_known
    assert clock.published_text == "January 2005 (day not known: assumed 1st)"
    assert clock.response_basis == "3 months after publication"

    _edit(inspection_id, published_day=14)
    clock = inspections.statutory_clock_of(inspection_id=inspection_id)
    assert clock.published == date(2005, 1, 14)
    assert clock.published_text == "14 January 2005"
    assert clock.response_due == date(2005, 4, 14)


def test_an_agreed_deadline_overrides_the_statutory_one_with_its_reason(
    any_sample_db: peewee.Database,
) -> None:
    inspection_id = _only()
    with pytest.raises(ValidationError, match="reason"):
        _edit(inspection_id, agreed_response_due=date(2005, 5, 2))
    _edit(
        inspection_id,
        agreed_response_due=date(2005, 5, 2),
        agreed_response_reason="Board meeting moved",
    )
    clock = inspections.statutory_clock_of(inspection_id=inspection_id)
    assert clock.response_due == date(2005, 5, 2)
    assert clock.statutory_response_due == date(2005, 4, 1)
    assert clock.response_basis == "agreed with the Inspectorate: Board meeting moved"
    board = load_dashboard(inspection_id=inspection_id, today=date(2005, 4, 20))
    assert board.clock.response_due.due == date(2005, 5, 2)


def test_the_record_is_checked_versioned_and_audited(sample_db: peewee.Database) -> None:
    inspection_id = _only()
    with pytest.raises(ValidationError, match="February 2005 has 28 days"):
        _edit(inspection_id, published_month=2, published_day=31)
    with pytest.raises(ValidationError, match="fieldwork"):
        _edit(inspection_id, fieldwork_start=date(2004, 10, 8), fieldwork_end=date(2004, 10, 1))
    with pytest.raises(ValidationError, match="before the report was published"):
        _edit(
            inspection_id,
            agreed_response_due=date(2004, 12, 1),
            agreed_response_reason="x",
        )
    record = inspection_record.get_inspection_record(inspection_id=inspection_id)
    change = inspection_record.update_inspection_record(
        inspection_id=inspection_id,
        values={"fieldwork_start": date(2004, 9, 20), "fieldwork_end": date(2004, 10, 1)},
        expected_version=record.version,
    )
    assert change.previous == {"fieldwork_start": None, "fieldwork_end": None}
    with pytest.raises(ConflictError):
        inspection_record.update_inspection_record(
            inspection_id=inspection_id,
            values={"fieldwork_end": date(2004, 10, 2)},
            expected_version=record.version,
        )
    fields = {e.field for e in AuditEntry.select().where(AuditEntry.item_kind == "inspection")}
    assert {"fieldwork_start", "fieldwork_end"} <= fields


def test_status_shows_the_agreed_deadline(db_url: str, sample_db: peewee.Database) -> None:
    inspection_id = _only()
    _edit(
        inspection_id,
        published_day=10,
        agreed_response_due=date(2005, 5, 2),
        agreed_response_reason="Board meeting moved",
    )
    out, err = io.StringIO(), io.StringIO()
    assert main(["status", "--db", db_url, "--date", "2005-04-20"], out=out, err=err) == 0
    assert "2 May 2005 (12 days left)" in out.getvalue()
    out = io.StringIO()
    assert main(["status", "--db", db_url, "--json", "--date", "2005-04-20"], out=out) == 0
    document = json.loads(out.getvalue())
    assert document["clock"]["response_due"] == {"date": "2005-05-02", "days_left": 12}
    assert document["clock"]["published"] == "2005-01-10"


def test_archive_hides_and_unarchive_shows(any_sample_db: peewee.Database) -> None:
    inspection_id = _only()
    inspection_record.archive_inspection(inspection_id=inspection_id, today=date(2006, 3, 1))
    assert inspections.list_inspections(include_archived=False) == []
    (summary,) = inspections.list_inspections()
    assert summary.archived
    assert summary.label == "Gloucestershire — January 2005 (archived)"
    inspection_record.unarchive_inspection(inspection_id=inspection_id)
    assert [s.id for s in inspections.list_inspections(include_archived=False)] == [inspection_id]


def test_delete_backs_up_first_then_removes_everything(
    any_sample_db: peewee.Database, any_db_url: str
) -> None:
    inspection_id = _only()
    with pytest.raises(ValidationError, match="Gloucestershire — January 2005"):
        inspection_record.delete_inspection(inspection_id=inspection_id, confirmation="Somewhere")
    assert Recommendation.select().count() > 0
    deleted = inspection_record.delete_inspection(
        inspection_id=inspection_id, confirmation="Gloucestershire — January 2005"
    )
    assert Inspection.select().count() == 0
    assert Recommendation.select().count() == CriterionResult.select().count() == 0
    assert Action.select().count() == 0
    assert (
        AuditEntry.select()
        .where((AuditEntry.item_kind == "inspection") & (AuditEntry.action == "delete"))
        .exists()
    )
    if any_db_url.startswith("sqlite"):
        assert deleted.backup is not None and deleted.backup.path.is_file()
        assert deleted.backup.why == "made before deleting an inspection"
        assert backups.list_backups(url=any_db_url)[0].path == deleted.backup.path
    else:
        assert deleted.backup is None  # a server is backed up on the server (pg_dump)
