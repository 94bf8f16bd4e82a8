"""The audit trail: every change recorded in its own transaction, shown, exported, and named
in the conflict message — on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import getpass
import io
import os
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import peewee
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from db.models import Action, AuditEntry, BoardResponse, Milestone, Recommendation, database_proxy
from esi_desktop import audit, follow_up, plan
from esi_desktop.audit.trail import AuditView
from esi_desktop.cli import main
from esi_desktop.errors import EsiError, ValidationError
from esi_desktop.inspections import list_inspections
from esi_desktop.plan import ConflictError, submission
from esi_desktop.report import importer as report_import
from esi_desktop.resources import SAMPLE_REPORT
from tests.conftest import REFERENCE_TEXT
from ui.edits import Edits
from ui.history_dialog import HistoryColumn, HistoryDialog, export_history_csv, show_history
from ui.workspace import Workspace

TODAY = date(2005, 6, 1)


@pytest.fixture
def secretary(any_sample_db: peewee.Database) -> Iterator[int]:
    """The sample inspection's id, with changes recorded as made by "secretary"."""
    with audit.acting_as("secretary"):
        yield list_inspections()[0].id


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


def changes_of(kind: str, item_id: int) -> list[tuple[str, str, str | None, str | None]]:
    """(action, field, old, new) of every entry of an item, oldest first."""
    return [
        (e.action, e.field, e.old_value, e.new_value)
        for e in audit.history(item_kind=kind, item_id=item_id)
    ]


def new_entries(since: int) -> list[AuditView]:
    return [e for e in audit.inspection_history(inspection_id=None) if e.id > since]


def last_id() -> int:
    return int(AuditEntry.select(peewee.fn.MAX(AuditEntry.id)).scalar() or 0)


def add_action(inspection_id: int, *references: str, text: str = "Audit 20 cases a month") -> int:
    return plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[rec_id(r) for r in references or ("6",)],
        text=text,
        owner="ACO Operations",
        target_date=date(2005, 9, 30),
    )


# ----- what each use case records -----------------------------------------------------------


def test_an_import_records_the_inspection_its_recommendations_and_results(
    any_sample_db: peewee.Database, tmp_path: Path
) -> None:
    inspection_id = list_inspections()[0].id
    entries = audit.inspection_history(inspection_id=inspection_id)
    created = [(e.item_kind, e.field) for e in entries if e.action == audit.CREATE]
    assert created.count((audit.INSPECTION, "")) == 1
    assert sum(1 for kind, _ in created if kind == audit.RECOMMENDATION) == 15
    results = [e for e in entries if e.field.startswith("baseline:")]
    assert len(results) == 33
    b1 = next(e for e in results if e.field == "baseline:esi-core:B1")
    assert (b1.old_value, b1.new_value, b1.field_label) == (
        "",
        "46",
        "B1 baseline result (ESI core)",
    )
    ten = audit.history(item_kind=audit.RECOMMENDATION, item_id=rec_id("10"))
    assert ten[0].new_value is not None and ten[0].new_value.startswith("10. victim issues")

    before = last_id()
    report_import.load_sample()  # the same report again: nothing changed, nothing recorded
    assert new_entries(before) == []

    changed = tmp_path / "corrected.txt"
    b1_row = "B1: Assessment of risk of harm\t"
    text = REFERENCE_TEXT.replace(b1_row + "46%", b1_row + "48%")
    text = text.replace(
        "victim issues are addressed sufficiently", "victim issues are addressed fully"
    )
    changed.write_text(text, encoding="utf-8")
    with audit.acting_as("importer"):
        report_import.import_report(
            preview=report_import.preview_report(path=changed), refresh=True
        )
    found = {(e.item_kind, e.item_id, e.field): e for e in new_entries(before)}
    result = found[(audit.INSPECTION, inspection_id, "baseline:esi-core:B1")]
    assert (result.old_value, result.new_value, result.changed_by) == ("46", "48", "importer")
    recommendation = found[(audit.RECOMMENDATION, rec_id("10"), "text")]
    assert recommendation.old_value is not None and "sufficiently" in recommendation.old_value
    assert recommendation.new_value is not None and "addressed fully" in recommendation.new_value
    assert len(found) == 2  # nothing else changed


def test_an_import_writes_its_entries_in_a_few_statements(
    any_db: peewee.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements: list[str] = []
    execute = any_db.execute_sql

    def counting(sql: str, *args: Any, **kwargs: Any) -> Any:
        if "audit_entry" in sql and sql.lstrip().upper().startswith("INSERT"):
            statements.append(sql)
        return execute(sql, *args, **kwargs)

    monkeypatch.setattr(any_db, "execute_sql", counting)
    report_import.load_sample()
    written = AuditEntry.select().count()
    assert written == 1 + 15 + 33
    assert len(statements) == -(-written // audit._CHUNK)  # insert_many, not one per entry


def test_action_edits_record_each_field_old_and_new(secretary: int) -> None:
    action_id = add_action(secretary, "6", "7")
    plan.update_action(
        action_id=action_id,
        changes={"owner": "SPO", "target_date": date(2005, 10, 31), "at_risk": True,
                 "at_risk_reason": "Two vacancies"},
    )  # fmt: skip
    plan.update_action(action_id=action_id, changes={"owner": "SPO"})  # no change: no entry
    plan.unlink_action(action_id=action_id, recommendation_id=rec_id("7"))
    plan.link_action(action_id=action_id, recommendation_id=rec_id("8"))
    plan.set_action_criteria(action_id=action_id, criteria=[("esi-core", "B1"), ("esi-core", "C5")])
    plan.set_action_criteria(action_id=action_id, criteria=[("esi-core", "C5"), ("esi-core", "B1")])
    assert changes_of(audit.ACTION, action_id) == [
        ("create", "", None,
         "AP1: Audit 20 cases a month (owner ACO Operations; target date 2005-09-30; "
         "recommendations 6, 7)"),
        ("update", "owner", "ACO Operations", "SPO"),
        ("update", "target_date", "2005-09-30", "2005-10-31"),
        ("update", "at_risk", "No", "Yes"),
        ("update", "at_risk_reason", "", "Two vacancies"),
        ("update", "recommendations", "6, 7", "6"),
        ("update", "recommendations", "6", "6, 8"),
        ("update", "criteria", "", "B1, C5"),
    ]  # fmt: skip
    entries = audit.history(item_kind=audit.ACTION, item_id=action_id)
    assert {e.changed_by for e in entries} == {"secretary"}
    assert {e.inspection_id for e in entries} == {secretary}
    assert [e.field_label for e in entries][:3] == ["Created", "Owner", "Target date"]
    assert entries[1].change_text == "ACO Operations → SPO"
    assert entries[4].change_text == "(empty) → Two vacancies"


def test_responses_and_recommendation_fields_are_in_the_recommendations_history(
    secretary: int,
) -> None:
    seven = rec_id("7")
    plan.save_response(recommendation_id=seven, category="Agreed", narrative="Plans reviewed.",
                       part_agreed="", reason="", lead_owner="ACO")  # fmt: skip
    version = BoardResponse.get().version
    plan.save_response(recommendation_id=seven, category="Agreed", narrative="Plans reviewed "
                       "monthly.", part_agreed="", reason="", lead_owner="ACO",
                       expected_version=version)  # fmt: skip
    long_note = "A long note. " * 400
    plan.set_recommendation_fields(
        recommendation_id=seven,
        changes={"self_assessment": "Reasonable progress", "internal_note": long_note},
    )
    plan.set_recommendation_criteria(recommendation_id=seven, criteria=[("esi-core", "C2")])
    assert changes_of(audit.RESPONSE, seven) == [
        ("create", "category", "", "Agreed"),
        ("create", "narrative", "", "Plans reviewed."),
        ("create", "lead_owner", "", "ACO"),
        ("update", "narrative", "Plans reviewed.", "Plans reviewed monthly."),
    ]
    history = audit.history(item_kind=audit.RECOMMENDATION, item_id=seven)
    fields = [(e.item_kind, e.field_label) for e in history if e.action != audit.CREATE or e.field]
    assert fields == [
        (audit.RESPONSE, "Response"),
        (audit.RESPONSE, "Response narrative"),
        (audit.RESPONSE, "Lead owner"),
        (audit.RESPONSE, "Response narrative"),
        (audit.RECOMMENDATION, "Self-assessment"),
        (audit.RECOMMENDATION, "Internal note"),
        (audit.RECOMMENDATION, "Criteria targeted"),
    ]
    note = next(e for e in history if e.field == "internal_note")
    assert note.new_value == long_note  # kept whole
    criteria = history[-1]
    assert criteria.new_value == "C2" and criteria.old_value


def test_milestones_and_deleting_an_action_with_them(secretary: int) -> None:
    action_id = add_action(secretary)
    first = plan.add_milestone(
        action_id=action_id, title="Audit tool agreed", due_date=date(2005, 5, 15), today=TODAY
    )
    second = plan.add_milestone(
        action_id=action_id, title="First audit", due_date=date(2005, 7, 30), today=TODAY
    )
    plan.update_milestone(milestone_id=first, changes={"status": "Complete"}, today=TODAY)
    assert changes_of(audit.MILESTONE, first) == [
        ("create", "", None, "AP1.1: Audit tool agreed (due date 2005-05-15; status Not started)"),
        ("update", "status", "Not started", "Complete"),
        ("update", "completed_on", "", "2005-06-01"),
    ]
    before = last_id()
    snapshot = plan.delete_action(action_id=action_id)
    deleted = [(e.item_kind, e.item_id, e.action) for e in new_entries(before)]
    assert deleted == [
        (audit.ACTION, action_id, "delete"),
        (audit.MILESTONE, first, "delete"),
        (audit.MILESTONE, second, "delete"),
    ]
    assert all(e.inspection_id == secretary for e in new_entries(before))
    before = last_id()
    plan.restore(snapshot=snapshot)  # undo of the deletion
    assert [(e.item_kind, e.action) for e in new_entries(before)] == [
        (audit.ACTION, "create"),
        (audit.MILESTONE, "create"),
        (audit.MILESTONE, "create"),
    ]
    before = last_id()
    plan.delete_milestone(milestone_id=second)
    assert [(e.item_kind, e.item_id, e.action) for e in new_entries(before)] == [
        (audit.MILESTONE, second, "delete")
    ]
    assert audit.history(item_kind=audit.MILESTONE, item_id=second)[-1].change_text == (
        "AP1.2: First audit (due date 2005-07-30; status Not started)"
    )


def test_indent_and_outdent_record_the_row_removed_and_the_row_made(secretary: int) -> None:
    parent = add_action(secretary, text="Senior practitioner roles")
    child = add_action(secretary, text="Recruit two SPs")
    before = last_id()
    milestone_id, snapshot = plan.action_to_milestone(
        action_id=child, parent_action_id=parent, today=TODAY
    )
    assert [(e.item_kind, e.item_id, e.action) for e in new_entries(before)] == [
        (audit.ACTION, child, "delete"),
        (audit.MILESTONE, milestone_id, "create"),
    ]
    before = last_id()
    new_action, _ = plan.milestone_to_action(milestone_id=milestone_id)
    assert [(e.item_kind, e.item_id, e.action) for e in new_entries(before)] == [
        (audit.MILESTONE, milestone_id, "delete"),
        (audit.ACTION, new_action, "create"),
    ]
    before = last_id()
    plan.delete_rows(snapshot=snapshot)  # redo of an undone restore removes rows again
    plan.restore(snapshot=snapshot)
    assert [(e.item_id, e.action) for e in new_entries(before)] == [
        (child, "delete"),
        (child, "create"),
    ]


def test_follow_up_board_meetings_and_the_plan_as_sent(secretary: int) -> None:
    follow_up.set_follow_up(inspection_id=secretary, planned_date=date(2005, 10, 10),
                            status="Scheduled")  # fmt: skip
    follow_up.set_follow_up(inspection_id=secretary, planned_date=date(2005, 10, 17),
                            status="Scheduled", expected_version=1)  # fmt: skip
    follow_up.set_follow_up_result(
        inspection_id=secretary, framework_id="esi-core", code="B1", value=70
    )
    follow_up.set_follow_up_result(
        inspection_id=secretary, framework_id="esi-core", code="A1", value="Well met"
    )
    follow_up.set_follow_up_result(
        inspection_id=secretary, framework_id="esi-core", code="B1", value=None, expected_version=1
    )
    assert changes_of(audit.FOLLOW_UP, secretary) == [
        ("create", "planned_date", "", "2005-10-10"),
        ("create", "status", "Not yet scheduled", "Scheduled"),
        ("update", "planned_date", "2005-10-10", "2005-10-17"),
        ("update", "result:esi-core:B1", "", "70"),
        ("update", "result:esi-core:A1", "", "Well met"),
        ("update", "result:esi-core:B1", "70", ""),
    ]
    labels = [e.field_label for e in audit.history(item_kind=audit.FOLLOW_UP, item_id=secretary)]
    assert labels[3] == "B1 result (ESI core)"

    before = last_id()
    meeting = plan.add_board_meeting(inspection_id=secretary, meeting_date=date(2005, 3, 24))
    plan.delete_board_meeting(inspection_id=secretary, meeting_date=date(2005, 3, 24))
    add_action(secretary)
    sent = submission.mark_plan_sent(force=True, inspection_id=secretary, sent_on=date(2005, 4, 12),
                                     today=TODAY)  # fmt: skip
    submission.withdraw_submission(submission_id=sent)
    summary = [(e.item_kind, e.item_id, e.action, e.new_value or e.old_value)
               for e in new_entries(before) if e.item_kind != audit.ACTION]  # fmt: skip
    assert summary == [
        (audit.BOARD_MEETING, meeting, "create", "Board meeting on 2005-03-24"),
        (audit.BOARD_MEETING, meeting, "delete", "Board meeting on 2005-03-24"),
        (audit.SUBMISSION, sent, "create", "Plan sent on 2005-04-12 (1 date recorded)"),
        (audit.SUBMISSION, sent, "delete", "Plan sent on 2005-04-12 (1 date recorded)"),
    ]


# ----- same transaction ---------------------------------------------------------------------


def test_a_refused_edit_records_nothing(secretary: int) -> None:
    action_id = add_action(secretary)
    before = last_id()
    with pytest.raises(ValidationError):
        plan.update_action(action_id=action_id, changes={"text": "  "})
    with pytest.raises(ValidationError):
        plan.save_response(recommendation_id=rec_id("7"), category="Partly agreed",
                           narrative="x", part_agreed="", reason="")  # fmt: skip
    stale = Action.get_by_id(action_id).version
    plan.update_action(action_id=action_id, changes={"owner": "CO"}, expected_version=stale)
    after_good_edit = last_id()
    assert after_good_edit > before
    with pytest.raises(ConflictError):
        plan.update_action(action_id=action_id, changes={"owner": "SPO"}, expected_version=stale)
    assert last_id() == after_good_edit
    assert Action.get_by_id(action_id).owner == "CO"


EDITS: dict[str, Callable[[int, int], object]] = {
    "update_action": lambda _i, a: plan.update_action(action_id=a, changes={"owner": "Deputy"}),
    "add_milestone": lambda _i, a: plan.add_milestone(
        action_id=a, title="Step", due_date=date(2005, 8, 1), today=TODAY
    ),
    "delete_action": lambda _i, a: plan.delete_action(action_id=a),
    "link_action": lambda _i, a: plan.link_action(action_id=a, recommendation_id=rec_id("9")),
    "save_response": lambda _i, _a: plan.save_response(
        recommendation_id=rec_id("3"), category="Agreed", narrative="Yes.", part_agreed="",
        reason=""),
    "set_follow_up": lambda i, _a: follow_up.set_follow_up(
        inspection_id=i, planned_date=date(2005, 10, 1), status="Scheduled"),
    "mark_plan_sent": lambda i, _a: submission.mark_plan_sent(force=True,
        inspection_id=i, sent_on=date(2005, 4, 1), today=TODAY),
}  # fmt: skip


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_transaction_that_fails_after_the_change_leaves_no_entry(
    secretary: int, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    action_id = add_action(secretary)
    tables = ("action", "milestone", "action_recommendation", "board_response",
              "follow_up_inspection", "plan_submission", "audit_entry")  # fmt: skip

    def counts() -> dict[str, int]:
        return {t: database_proxy.execute_sql(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in tables}  # fmt: skip

    owner_before = Action.get_by_id(action_id).owner
    before = counts()
    record = audit.record

    def record_then_fail(entries: Any) -> int:
        written = record(entries)
        assert written > 0
        assert database_proxy.in_transaction()
        raise OSError("the disk failed after the change")

    monkeypatch.setattr(audit, "record", record_then_fail)
    with pytest.raises(OSError, match="disk failed"):
        EDITS[edit](secretary, action_id)
    assert counts() == before
    assert Action.get_by_id(action_id).owner == owner_before


def test_entries_are_only_written_inside_a_transaction(any_db: peewee.Database) -> None:
    entry = audit.Entry(audit.ACTION, 1, None, "owner", "A", "B", audit.UPDATE)
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit.record([entry])
    with database_proxy.atomic():
        assert audit.record([entry]) == 1
    assert audit.record([]) == 0


def test_undo_and_redo_appear_in_the_history(qtbot: QtBot, secretary: int) -> None:
    workspace = Workspace(today=lambda: TODAY)
    workspace.set_inspection(secretary)
    edits = Edits(workspace)
    action_id = edits.add_action([rec_id("8")], "Contact audit", "SPO", date(2005, 10, 1))
    milestone_id = edits.add_milestone(action_id, "Audit tool", date(2005, 7, 1))
    edits.update_action(action_id, {"owner": "ACO"}, None, "Owner")
    workspace.undo_stack.undo()
    workspace.undo_stack.redo()
    edits.delete_action(action_id)
    workspace.undo_stack.undo()
    workspace.undo_stack.redo()
    assert [(a, f, o, n) for a, f, o, n in changes_of(audit.ACTION, action_id) if f] == [
        ("update", "owner", "SPO", "ACO"),
        ("update", "owner", "ACO", "SPO"),  # undo
        ("update", "owner", "SPO", "ACO"),  # redo
    ]
    assert [a for a, f, _, _ in changes_of(audit.ACTION, action_id) if not f] == [
        "create", "delete", "create", "delete"
    ]  # fmt: skip
    assert [a for a, _, _, _ in changes_of(audit.MILESTONE, milestone_id)] == [
        "create", "delete", "create", "delete"
    ]  # fmt: skip


# ----- who, and the conflict message --------------------------------------------------------


def test_who_is_the_login_name_unless_overridden(
    any_db: peewee.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert audit.current_user() == getpass.getuser()
    with audit.acting_as("alice"):
        assert audit.current_user() == "alice"
        with audit.acting_as("bob"):
            assert audit.current_user() == "bob"
        assert audit.current_user() == "alice"
    assert audit.current_user() == getpass.getuser()

    def no_login() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(getpass, "getuser", no_login)
    if isinstance(any_db, peewee.PostgresqlDatabase):
        role = any_db.execute_sql("SELECT current_user").fetchone()[0]
        assert audit.current_user() == role == "postgres"
    else:
        assert audit.current_user() == "unknown user"


def test_a_conflict_names_who_changed_it_when_and_their_value(secretary: int) -> None:
    action_id = add_action(secretary)
    opened = Action.get_by_id(action_id).version  # bob opens the plan
    with audit.acting_as("alice"):
        plan.update_action(action_id=action_id, changes={"owner": "Deputy Chief Officer"},
                           expected_version=opened)  # fmt: skip
    theirs = audit.last_change(item_kind=audit.ACTION, item_id=action_id)
    assert theirs is not None and theirs.changed_by == "alice"
    with audit.acting_as("bob"), pytest.raises(ConflictError) as caught:
        plan.update_action(action_id=action_id, changes={"owner": "SPO"}, expected_version=opened)
    error = caught.value
    when = audit.local_time(theirs.changed_at).strftime("%H:%M on %d/%m/%Y")
    message = str(error)
    assert f"Changed by alice at {when} since you opened it" in message
    assert "the owner is now “Deputy Chief Officer”" in message
    assert "changed by someone else" in message
    assert error.changed_by == "alice" and error.changed_at == theirs.changed_at
    assert error.current == {"owner": "Deputy Chief Officer"}
    assert Action.get_by_id(action_id).owner == "Deputy Chief Officer"

    # a change of another kind (a new link) does not move the row's version: not named
    with audit.acting_as("carol"):
        plan.link_action(action_id=action_id, recommendation_id=rec_id("9"))
    with pytest.raises(ConflictError, match="Changed by alice"):
        plan.update_action(action_id=action_id, changes={"owner": "SPO"}, expected_version=opened)


def test_a_conflict_on_a_response_shows_the_fields_that_differ(secretary: int) -> None:
    seven = rec_id("7")
    with audit.acting_as("alice"):
        plan.save_response(recommendation_id=seven, category="Agreed", narrative="Monthly.",
                           part_agreed="", reason="")  # fmt: skip
    opened = BoardResponse.get().version
    with audit.acting_as("alice"):
        plan.save_response(recommendation_id=seven, category="Agreed", narrative="Weekly.",
                           part_agreed="", reason="", expected_version=opened)  # fmt: skip
    with pytest.raises(ConflictError) as caught:
        plan.save_response(recommendation_id=seven, category="Agreed", narrative="Daily.",
                           part_agreed="", reason="", expected_version=opened)  # fmt: skip
    message = str(caught.value)
    assert "The response was changed by someone else. Changed by alice at" in message
    assert "the response narrative is now “Weekly.”" in message
    assert "category" not in message  # the same on both sides: not worth a word


def test_without_an_entry_the_conflict_falls_back_to_the_rows_time(secretary: int) -> None:
    action_id = add_action(secretary)
    opened = Action.get_by_id(action_id).version
    # a change made before the audit trail existed (or by a program that bypassed it)
    Action.update(owner="Someone", version=Action.version + 1).where(
        Action.id == action_id
    ).execute()
    AuditEntry.delete().execute()
    with pytest.raises(ConflictError) as caught:
        plan.update_action(action_id=action_id, changes={"owner": "SPO"}, expected_version=opened)
    row = Action.get_by_id(action_id)
    assert caught.value.changed_by is None
    assert caught.value.changed_at == row.updated_at
    assert "was changed by someone else at " in str(caught.value)
    assert "the owner is now “Someone”" in str(caught.value)


# ----- values, history, export --------------------------------------------------------------


def test_values_are_written_as_people_read_them() -> None:
    assert audit.format_value(None) == ""
    assert audit.format_value(True) == "Yes" and audit.format_value(False) == "No"
    assert audit.format_value(date(2005, 9, 30)) == "2005-09-30"
    assert audit.format_value(46) == "46"
    text = "Line one\nline two — « quoted » " * 300
    assert audit.format_value(text) == text
    assert audit.format_criteria([("esi-core", "C5"), ("esi-core", "B1")]) == "B1, C5"
    assert (
        audit.format_criteria([("esi-core", "B1"), ("esi-accommodation", "B1")])
        == "B1 (Offender accommodation), B1 (ESI core)"
    )
    assert audit.field_label(audit.FOLLOW_UP, "round2.status") == "Round 2: Status"
    assert audit.field_label(audit.ACTION, "", audit.DELETE) == "Deleted"


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark: Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_export_has_every_change_of_the_inspection(secretary: int, tmp_path: Path) -> None:
    action_id = add_action(secretary, text="Audit risk assessments")
    note = 'The ACO said "monthly", not weekly;\nsee the minutes — réunion of 3 March.'
    plan.update_action(action_id=action_id, changes={"internal_note": note})
    plan.delete_action(action_id=action_id)
    folder = tmp_path / "exports"
    folder.mkdir()
    path = folder / "history.csv"
    count = audit.export_csv(inspection_id=secretary, path=path)
    rows = read_csv(path)
    assert rows[0] == ["When", "Who", "Item", "Field", "Old", "New"]
    assert len(rows) == count + 1 == len(audit.inspection_history(inspection_id=secretary)) + 1
    by_field = {(row[2], row[3]): row for row in rows[1:]}
    edited = by_field[("Action AP1 (since deleted)", "Internal note")]
    assert edited[1] == "secretary" and edited[4:] == ["", note]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", edited[0])
    assert by_field[("Recommendation 6", "Created")][5].startswith("6. a system for monitoring")
    assert ("Inspection report: Gloucestershire", "B1 baseline result (ESI core)") in by_field
    assert os.listdir(folder) == ["history.csv"]


@pytest.mark.parametrize(
    "typed",
    ["@SUM(1+1)*cmd|' /C calc'!A0", '=HYPERLINK("http://x")', "+1+1", "-2+3", "\tx"],
)
def test_csv_export_never_hands_a_spreadsheet_a_formula(
    secretary: int, tmp_path: Path, typed: str
) -> None:
    """Issue 10 §5: text that Excel would run as a formula is written as text."""
    action_id = add_action(secretary, text="Audit risk assessments")
    plan.update_action(action_id=action_id, changes={"internal_note": typed})
    path = tmp_path / "history.csv"
    audit.export_csv(inspection_id=secretary, path=path)
    rows = read_csv(path)
    new_values = [row[5] for row in rows[1:] if row[3] == "Internal note"]
    assert new_values == ["'" + typed]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for row in rows for cell in row)


def test_csv_export_is_whole_or_not_at_all(
    secretary: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    path = folder / "history.csv"
    path.write_text("the earlier export\n", encoding="utf-8")

    def full(_descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(EsiError, match="the disk is full"):
        audit.export_csv(inspection_id=secretary, path=path)
    assert path.read_text(encoding="utf-8") == "the earlier export\n"
    assert os.listdir(folder) == ["history.csv"]  # no temporary file left

    monkeypatch.undo()

    def locked(source: object, destination: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(EsiError, match="open in another program \\(such as Excel\\)"):
        audit.export_csv(inspection_id=secretary, path=path)
    assert path.read_text(encoding="utf-8") == "the earlier export\n"
    assert os.listdir(folder) == ["history.csv"]
    with pytest.raises(EsiError, match="does not exist"):
        audit.export_csv(inspection_id=secretary, path=tmp_path / "missing" / "h.csv")


def test_the_cli_exports_the_history(
    any_db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def run(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()

    assert run("import", str(SAMPLE_REPORT), "--db", any_db_url)[0] == 0
    path = tmp_path / "trail.csv"
    status, out, err = run("history", "--db", any_db_url, "--inspection", "1", "--csv", str(path))
    assert (status, err) == (0, "")
    assert out == f"Wrote 49 recorded changes of the Gloucestershire inspection to {path}.\n"
    rows = read_csv(path)
    assert len(rows) == 50 and rows[1][2] == "Inspection report: Gloucestershire"
    status, out, _ = run("--db", any_db_url, "history", "--csv", str(tmp_path / "all.csv"))
    assert status == 0 and "of every inspection" in out
    status, _, err = run("history", "--db", any_db_url, "--inspection", "7", "--csv", str(path))
    assert status == 2 and err.startswith("main.py history: ")
    status, _, _ = run("history", "--db", any_db_url)
    assert status == 2 and "the following arguments are required: --csv" in capsys.readouterr().err


# ----- the window ---------------------------------------------------------------------------


Messages = list[tuple[str, str]]


@pytest.fixture
def history_parent(qtbot: QtBot, sample_db: peewee.Database) -> QWidget:
    parent = QWidget()
    qtbot.addWidget(parent)
    return parent


def test_the_history_dialog_lists_changes_newest_first(
    qtbot: QtBot, qtmodeltester: Any, history_parent: QWidget
) -> None:
    inspection_id = list_inspections()[0].id
    with audit.acting_as("alice"):
        action_id = add_action(inspection_id, text="Audit risk assessments")
        plan.update_action(action_id=action_id, changes={"owner": "SPO"})
    with audit.acting_as("bob"):
        plan.update_action(action_id=action_id, changes={"target_date": date(2005, 12, 31)})
    show_history(history_parent, item_kind=audit.ACTION, item_id=action_id,
                 title="Action: Audit risk assessments")  # fmt: skip
    dialog = history_parent.findChild(HistoryDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    # named by its reference, whatever the caller called it
    assert dialog.windowTitle() == "History — Action AP1: Audit risk assessments"
    rows = dialog.row_texts()
    assert [row[1:] for row in rows] == [
        ("bob", "Target date", "2005-09-30 → 2005-12-31"),
        ("alice", "Owner", "ACO Operations → SPO"),
        ("alice", "Created",
         "AP1: Audit risk assessments (owner ACO Operations; target date 2005-09-30; "
         "recommendation 6)"),
    ]  # fmt: skip
    assert not dialog.empty_label.isVisible()
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(dialog.proxy)
    tip = dialog.proxy.index(0, HistoryColumn.CHANGE).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Before:\n2005-09-30\n\nAfter:\n2005-12-31"
    dialog.table.sortByColumn(HistoryColumn.WHO, Qt.SortOrder.AscendingOrder)
    assert [row[1] for row in dialog.row_texts()] == ["alice", "alice", "bob"]
    dialog.reject()


def test_an_item_without_changes_says_so(qtbot: QtBot, history_parent: QWidget) -> None:
    show_history(history_parent, item_kind=audit.MILESTONE, item_id=999, title="Milestone")
    dialog = history_parent.findChild(HistoryDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.row_texts() == []
    assert dialog.empty_label.isVisible()
    dialog.reject()


def test_exporting_from_the_window(
    history_parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, messages: Messages
) -> None:
    chosen = tmp_path / "board history"  # the extension is added

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kw: (str(chosen), ""))
    path = export_history_csv(history_parent, inspection_id=list_inspections()[0].id)
    assert path == tmp_path / "board history.csv"
    assert len(read_csv(path)) == 50
    assert messages == [("History exported", f"Wrote 49 recorded changes to {path}.")]

    messages.clear()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args, **kw: (str(tmp_path / "no" / "h.csv"), "")
    )
    assert export_history_csv(history_parent, inspection_id=None) is None
    assert messages[0][0] == "Cannot export the history"
    assert "the folder" in messages[0][1] and "does not exist" in messages[0][1]

    messages.clear()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kw: ("", ""))
    assert export_history_csv(history_parent, inspection_id=None) is None
    assert messages == []


def test_the_milestone_of_a_deleted_action_keeps_its_history(secretary: int) -> None:
    action_id = add_action(secretary)
    milestone_id = plan.add_milestone(
        action_id=action_id, title="Draft", due_date=date(2005, 8, 1), today=TODAY
    )
    plan.delete_action(action_id=action_id)
    assert Milestone.get_or_none(Milestone.id == milestone_id) is None
    history = audit.history(item_kind=audit.MILESTONE, item_id=milestone_id)
    assert [e.action for e in history] == ["create", "delete"]
    assert history[-1].inspection_id == secretary
