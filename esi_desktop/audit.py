"""The audit trail: who changed which item of a plan, when, and from what to what.

Every use case that changes the database records what it changed here, inside its own
transaction, so a change and its audit entries are committed or rolled back together.

Who is acting (:func:`current_user`) is the operating-system login (``getpass.getuser()``):
on a Board secretary's Windows desktop it is personal and the name colleagues recognise,
whereas a shared PostgreSQL server is often reached through one application role that
everybody uses. Only when the login cannot be found (no login name in the environment and no
password database, as in some services) is the PostgreSQL role (``SELECT current_user``)
used instead, and failing that "unknown user". Tests, and any program that acts for a named
person, override the name with :func:`acting_as` or :func:`set_current_user`.

What is recorded:

* a field changed: one entry per field, with the old and the new value;
* an item created or deleted (an action, a milestone, a Board meeting, a recommendation, the
  plan as sent): one entry with an empty field and a description of the item as its new or
  old value; deleting an action records the action and each of its milestones;
* a response to a recommendation is recorded under the kind ``response`` with the
  recommendation's id (a recommendation has one response, and the window knows it by its
  recommendation); the follow-up inspection (its date, status and results) under the kind
  ``follow_up`` with the inspection's id;
* an import records the inspection, each recommendation and each baseline result it created,
  changed or removed, and one entry for each of the findings, published scores and national
  targets when they changed.

Values are stored as the history shows them: dates as ISO (2005-09-30), nothing as an empty
text, booleans as Yes/No, long texts whole. Times are stored in UTC and shown in local time.
"""

from __future__ import annotations

import contextlib
import csv
import getpass
import io
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import peewee

from db.models import (
    Action,
    AuditEntry,
    BaseModel,
    BoardMeeting,
    BoardResponse,
    CriterionResult,
    Finding,
    FollowUpInspection,
    Inspection,
    Milestone,
    NationalTarget,
    PlanSubmission,
    PublishedScore,
    Recommendation,
    as_dicts,
    as_tuples,
    database_proxy,
    utc_now,
)
from esi_desktop.errors import FrameworkError
from esi_desktop.files import CSV, check_output_path, write_atomically
from esi_desktop.notifications import announce_change
from esi_desktop.spreadsheet import safe_row

# ----- what is recorded ---------------------------------------------------------------------

INSPECTION = "inspection"
RECOMMENDATION = "recommendation"
#: The Board's response; its item id is the recommendation's id.
RESPONSE = "response"
ACTION = "action"
MILESTONE = "milestone"
#: The follow-up inspection (date, status, results); its item id is the inspection's id.
FOLLOW_UP = "follow_up"
BOARD_MEETING = "board_meeting"
SUBMISSION = "submission"

CREATE = "create"
UPDATE = "update"
DELETE = "delete"

#: Extra fields of an item that are not columns of its row.
CRITERIA = "criteria"
RECOMMENDATIONS = "recommendations"

_KIND_NAMES = {
    INSPECTION: "Inspection",
    RECOMMENDATION: "Recommendation",
    RESPONSE: "Response",
    ACTION: "Action",
    MILESTONE: "Milestone",
    FOLLOW_UP: "Follow-up inspection",
    BOARD_MEETING: "Board meeting",
    SUBMISSION: "Plan as sent",
}

_LABELS = {
    "text": "Text",
    "owner": "Owner",
    "target_date": "Target date",
    "at_risk": "At risk",
    "at_risk_reason": "Why at risk",
    "rag_override": "RAG override",
    "rag_override_reason": "Reason for the RAG override",
    "internal_note": "Internal note",
    "position": "Position",
    "title": "Title",
    "due_date": "Due date",
    "status": "Status",
    "completed_on": "Completed on",
    "evidence": "Evidence",
    "self_assessment": "Self-assessment",
    "reference": "Reference",
    "framework_id": "Framework",
    "planned_date": "Planned date",
    "meeting_date": "Meeting date",
    "note": "Note",
    "area": "Area",
    "programme": "Programme",
    "report_title": "Report title",
    "published_year": "Year published",
    "published_month": "Month published",
    "published_day": "Day published",
    "response_due_months": "Response due (months)",
    "implementation_months": "Implementation expected (months)",
    "follow_up_expected": "Follow-up expected",
    "findings": "Findings",
    "published_scores": "Published scores",
    "national_targets": "National performance targets",
    CRITERIA: "Criteria targeted",
    RECOMMENDATIONS: "Recommendations served",
}

_RESPONSE_LABELS = {
    "category": "Response",
    "narrative": "Response narrative",
    "part_agreed": "Part agreed",
    "reason": "Reason for not agreeing",
    "lead_owner": "Lead owner",
}

#: Entries written by one INSERT (SQLite caps the variables of a statement).
_CHUNK = 60


# ----- who is acting ------------------------------------------------------------------------

_override: str | None = None


def set_current_user(name: str | None) -> None:
    """Record changes as made by ``name`` from now on (None: back to the login name)."""
    global _override
    _override = name.strip() if name and name.strip() else None


@contextlib.contextmanager
def acting_as(name: str) -> Iterator[None]:
    """Record the changes made inside the ``with`` block as made by ``name``."""
    before = _override
    set_current_user(name)
    try:
        yield
    finally:
        set_current_user(before)


def _login_name() -> str | None:
    try:
        name = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in the environment, no pwd entry
        return None
    return name.strip() or None


def _database_role() -> str | None:
    database = database_proxy.obj
    if not isinstance(database, peewee.PostgresqlDatabase):
        return None
    try:
        row = database.execute_sql("SELECT current_user").fetchone()
    except peewee.DatabaseError:
        return None
    return str(row[0]) if row and row[0] else None


def current_user() -> str:
    """Who is making changes: the override, else the login name, else the database role."""
    return _override or _login_name() or _database_role() or "unknown user"


# ----- values as the history shows them -----------------------------------------------------


def format_value(value: object) -> str:
    """A value as text: ISO dates, empty for nothing, Yes/No for booleans, texts whole."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Enum):
        return format_value(value.value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _framework_title(framework_id: str) -> str:
    from esi_desktop.frameworks import get_framework

    try:
        return get_framework(framework_id).short_title
    except FrameworkError:
        return framework_id


def format_criteria(
    criteria: Iterable[tuple[str, str]], *, with_framework: bool | None = None
) -> str:
    """Criteria as "B1, C5", naming the framework when there are several ("B1 (ESI core)")."""
    pairs = sorted(set(criteria))
    if with_framework is None:
        with_framework = len({framework_id for framework_id, _ in pairs}) > 1
    if not with_framework:
        return ", ".join(code for _, code in pairs)
    return ", ".join(f"{code} ({_framework_title(framework_id)})" for framework_id, code in pairs)


def result_field(framework_id: str, code: str, round: int) -> str:
    """The field name of a criterion's result: ``baseline:esi-core:B1``, ``result:…`` after."""
    if round == 0:
        return f"baseline:{framework_id}:{code}"
    prefix = "" if round == 1 else f"round{round}."
    return f"{prefix}result:{framework_id}:{code}"


def field_label(item_kind: str, field: str, action: str = UPDATE) -> str:
    """How the history names a field ("Target date", "B1 result (ESI core)")."""
    if not field:
        return {CREATE: "Created", DELETE: "Deleted"}.get(action, "Changed")
    if field.startswith("round") and "." in field:
        number, _, rest = field.partition(".")
        return f"Round {number.removeprefix('round')}: {field_label(item_kind, rest, action)}"
    kind, _, rest = field.partition(":")
    if kind in ("baseline", "result") and ":" in rest:
        framework_id, _, code = rest.partition(":")
        word = "baseline result" if kind == "baseline" else "result"
        return f"{code} {word} ({_framework_title(framework_id)})"
    if item_kind == RESPONSE and field in _RESPONSE_LABELS:
        return _RESPONSE_LABELS[field]
    return _LABELS.get(field, field.replace("_", " ").capitalize())


def local_time(moment: datetime) -> datetime:
    """A stored UTC time in the computer's own time zone."""
    return moment.replace(tzinfo=UTC).astimezone()


# ----- writing entries ----------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRef:
    """An item of the plan as the audit names it.

    Attributes:
        kind: RECOMMENDATION, ACTION, ... (the constants of this module).
        id: the item's id (for RESPONSE the recommendation's, for FOLLOW_UP the inspection's).
        inspection_id: the inspection it belongs to.
        prefix: put before its column names (a follow-up round other than the first).
    """

    kind: str
    id: int
    inspection_id: int | None
    prefix: str = ""


@dataclass(frozen=True)
class Entry:
    """An audit entry about to be written."""

    item_kind: str
    item_id: int
    inspection_id: int | None
    field: str
    old_value: str | None
    new_value: str | None
    action: str


def record(entries: Iterable[Entry]) -> int:
    """Write entries in the current transaction, as made now by :func:`current_user`.

    Returns:
        How many entries were written.

    Raises:
        RuntimeError: no transaction is open (the entries would not share the change's fate).
    """
    pending = list(entries)
    if not pending:
        return 0
    if not database_proxy.in_transaction():
        raise RuntimeError("Audit entries are written inside the transaction of the change.")
    now = utc_now()
    who = current_user()
    rows = [
        {
            "changed_at": now,
            "changed_by": who,
            "item_kind": entry.item_kind,
            "item_id": entry.item_id,
            "inspection_id": entry.inspection_id,
            "field": entry.field,
            "old_value": entry.old_value,
            "new_value": entry.new_value,
            "action": entry.action,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        for entry in pending
    ]
    for start in range(0, len(rows), _CHUNK):
        AuditEntry.insert_many(rows[start : start + _CHUNK]).as_rowcount().execute()
    # delivered to the other copies of the program when, and only if, this change commits
    announce_change()
    return len(rows)


def changes(
    item: ItemRef,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    action: str = UPDATE,
) -> list[Entry]:
    """One entry per field whose value differs between ``old`` and ``new``."""
    found = []
    for name, value in new.items():
        before, after = format_value(old.get(name)), format_value(value)
        if before != after:
            found.append(
                Entry(item.kind, item.id, item.inspection_id, item.prefix + name, before, after,
                      action)
            )  # fmt: skip
    return found


def created(item: ItemRef, description: str) -> Entry:
    """The entry of an item created (``description`` says what it is)."""
    return Entry(item.kind, item.id, item.inspection_id, "", None, description, CREATE)


def deleted(item: ItemRef, description: str) -> Entry:
    """The entry of an item deleted (``description`` says what it was)."""
    return Entry(item.kind, item.id, item.inspection_id, "", description, None, DELETE)


def criteria_changes(
    item: ItemRef, old: Iterable[tuple[str, str]], new: Iterable[tuple[str, str]]
) -> list[Entry]:
    """The entry of a change of the criteria an item targets (none when they are the same)."""
    before, after = sorted(set(old)), sorted(set(new))
    if before == after:
        return []
    several = len({framework_id for framework_id, _ in (*before, *after)}) > 1
    return changes(
        item,
        {CRITERIA: format_criteria(before, with_framework=several)},
        {CRITERIA: format_criteria(after, with_framework=several)},
    )


def references(recommendation_ids: Iterable[int]) -> str:
    """Recommendations by their references, in the report's order ("6, 7")."""
    ids = list(dict.fromkeys(recommendation_ids))
    if not ids:
        return ""
    rows = as_tuples(
        Recommendation.select(Recommendation.reference)
        .where(Recommendation.id.in_(ids))
        .order_by(Recommendation.position, Recommendation.id)
    )
    return ", ".join(reference for (reference,) in rows)


def _action_inspection(action_id: int) -> int | None:
    value = Action.select(Action.inspection).where(Action.id == action_id).scalar()
    return None if value is None else int(value)


def item_of(row: BaseModel) -> ItemRef:
    """How the audit names the item a row stands for."""
    data = row.__data__
    if isinstance(row, Recommendation | Action | BoardMeeting | PlanSubmission):
        kind = {Recommendation: RECOMMENDATION, Action: ACTION, BoardMeeting: BOARD_MEETING,
                PlanSubmission: SUBMISSION}[type(row)]  # fmt: skip
        return ItemRef(kind, int(row.id), int(data["inspection"]))
    if isinstance(row, BoardResponse):
        recommendation_id = int(data["recommendation"])
        inspection = (
            Recommendation.select(Recommendation.inspection)
            .where(Recommendation.id == recommendation_id)
            .scalar()
        )
        return ItemRef(RESPONSE, recommendation_id, inspection)
    if isinstance(row, Milestone):
        return ItemRef(MILESTONE, int(row.id), _action_inspection(int(data["action"])))
    if isinstance(row, FollowUpInspection):
        return follow_up_item(int(data["inspection"]), int(data["round"]))
    if isinstance(row, Inspection):
        return ItemRef(INSPECTION, int(row.id), int(row.id))
    return ItemRef(type(row)._meta.table_name, int(row.id), None)


def follow_up_item(inspection_id: int, round: int = 1) -> ItemRef:
    """The follow-up inspection of a round (fields of a later round carry "roundN.")."""
    return ItemRef(FOLLOW_UP, inspection_id, inspection_id, "" if round == 1 else f"round{round}.")


def row_fields(row: BaseModel) -> list[str]:
    """The audit field names of a row's own columns (with the item's prefix)."""
    prefix = item_of(row).prefix if isinstance(row, FollowUpInspection) else ""
    return [prefix + name for name in type(row)._meta.fields]


# ----- items created, deleted and restored as whole rows ------------------------------------


def _describe_action(values: Mapping[str, Any], served: str) -> str:
    parts = [f"owner {values.get('owner', '')}",
             f"target date {format_value(values.get('target_date'))}"]  # fmt: skip
    if served:
        parts.append(f"recommendation{'s' if ',' in served else ''} {served}")
    return f"{values.get('text', '')} ({'; '.join(parts)})"


def _describe_milestone(values: Mapping[str, Any]) -> str:
    parts = [f"due date {format_value(values.get('due_date'))}",
             f"status {values.get('status', '')}"]  # fmt: skip
    if values.get("completed_on"):
        parts.append(f"completed on {format_value(values['completed_on'])}")
    return f"{values.get('title', '')} ({'; '.join(parts)})"


def _describe_meeting(values: Mapping[str, Any]) -> str:
    note = values.get("note") or ""
    return f"Board meeting on {format_value(values.get('meeting_date'))}" + (
        f": {note}" if note else ""
    )


def describe_recommendation(values: Mapping[str, Any]) -> str:
    """A recommendation as its create or delete entry describes it ("6. Text")."""
    return f"{values.get('reference', '')}. {values.get('text', '')}"


_WHOLE_ROWS = {"action", "milestone", "board_meeting", "plan_submission", "recommendation"}


def row_entries(rows: Sequence[tuple[str, Mapping[str, Any]]], action: str) -> list[Entry]:
    """Entries for whole rows created or deleted together (a snapshot's rows).

    Actions, milestones, Board meetings, records of the plan as sent and recommendations each
    get one entry; their links, criteria and recorded dates are part of their description.
    Rows are given as (table name, field values), the form of :class:`esi_desktop.plan.Snapshot`.
    """
    links: dict[int, list[int]] = defaultdict(list)
    dates: dict[int, int] = defaultdict(int)
    inspections: dict[int, int] = {}
    for table, values in rows:
        if table == "action_recommendation":
            links[int(values["action"])].append(int(values["recommendation"]))
        elif table == "submitted_date":
            dates[int(values["submission"])] += 1
        elif table == "action":
            inspections[int(values["id"])] = int(values["inspection"])
    found = []
    for table, values in rows:
        if table not in _WHOLE_ROWS:
            continue
        row_id = int(values["id"])
        if table == "action":
            item = ItemRef(ACTION, row_id, int(values["inspection"]))
            description = _describe_action(values, references(links.get(row_id, ())))
        elif table == "milestone":
            action_id = int(values["action"])
            inspection = inspections.get(action_id) or _action_inspection(action_id)
            item = ItemRef(MILESTONE, row_id, inspection)
            description = _describe_milestone(values)
        elif table == "board_meeting":
            item = ItemRef(BOARD_MEETING, row_id, int(values["inspection"]))
            description = _describe_meeting(values)
        elif table == "plan_submission":
            item = ItemRef(SUBMISSION, row_id, int(values["inspection"]))
            count = dates.get(row_id, 0)
            description = (
                f"Plan sent on {format_value(values.get('sent_on'))} "
                f"({count} date{'s' if count != 1 else ''} recorded)"
            )
        elif table == "recommendation":
            item = ItemRef(RECOMMENDATION, row_id, int(values["inspection"]))
            description = describe_recommendation(values)
        else:
            continue
        found.append(created(item, description) if action == CREATE else deleted(item, description))
    return found


# ----- imports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportState:
    """What an import writes for one inspection, to compare before and after it."""

    inspection: dict[str, Any]
    recommendations: dict[str, dict[str, Any]]  # by reference
    baseline: dict[tuple[str, str], Any]  # (framework, code) -> percent or rating
    findings: list[tuple[Any, ...]]
    published_scores: list[tuple[Any, ...]]
    national_targets: list[tuple[Any, ...]]


_INSPECTION_FIELDS = ("area", "programme", "report_title", "published_year", "published_month",
                      "published_day", "response_due_months", "implementation_months",
                      "follow_up_expected")  # fmt: skip
_RECOMMENDATION_FIELDS = ("text", "framework_id", "position")


def report_state(inspection_id: int | None, *, report_text: bool = True) -> ReportState:
    """What the database holds of an imported report (empty for None: a new report).

    Args:
        inspection_id: the stored inspection, or None.
        report_text: read the findings, published scores and national targets too.
    """
    if inspection_id is None:
        return ReportState({}, {}, {}, [], [], [])
    inspection = Inspection.get_by_id(inspection_id)
    recommendations = {
        row["reference"]: row
        for row in as_dicts(
            Recommendation.select(
                Recommendation.id,
                Recommendation.reference,
                Recommendation.text,
                Recommendation.framework_id,
                Recommendation.position,
            ).where(Recommendation.inspection == inspection_id)
        )
    }
    baseline = {
        (framework_id, code): percent if percent is not None else rating
        for framework_id, code, percent, rating in as_tuples(
            CriterionResult.select(
                CriterionResult.framework_id,
                CriterionResult.code,
                CriterionResult.percent,
                CriterionResult.rating,
            ).where((CriterionResult.inspection == inspection_id) & (CriterionResult.round == 0))
        )
    }
    fields = {name: getattr(inspection, name) for name in _INSPECTION_FIELDS}
    if not report_text:
        return ReportState(fields, recommendations, baseline, [], [], [])
    findings = as_tuples(
        Finding.select(Finding.framework_id, Finding.code, Finding.kind, Finding.position,
                       Finding.text)
        .where(Finding.inspection == inspection_id)
        .order_by(Finding.framework_id, Finding.code, Finding.position)
    )  # fmt: skip
    scores = as_tuples(
        PublishedScore.select(
            PublishedScore.framework_id, PublishedScore.section, PublishedScore.percent
        )
        .where(PublishedScore.inspection == inspection_id)
        .order_by(PublishedScore.framework_id, PublishedScore.section)
    )
    targets = as_tuples(
        NationalTarget.select(NationalTarget.position, NationalTarget.measure,
                              NationalTarget.target, NationalTarget.area_result,
                              NationalTarget.national_average)
        .where(NationalTarget.inspection == inspection_id)
        .order_by(NationalTarget.position)
    )  # fmt: skip
    return ReportState(fields, recommendations, baseline, findings, scores, targets)


def import_entries(inspection_id: int, before: ReportState) -> list[Entry]:
    """What an import changed, from what was stored before it (:func:`report_state`).

    Returns:
        Entries for the inspection, each recommendation and baseline result created, changed
        or removed, and one for each of the findings, published scores and national targets
        when a refresh changed them.
    """
    after = report_state(inspection_id, report_text=bool(before.inspection))
    item = ItemRef(INSPECTION, inspection_id, inspection_id)
    found: list[Entry] = []
    if not before.inspection:
        values = after.inspection
        found.append(
            created(item, f"{values['area']}: {values['report_title']} (published "
                          f"{values['published_year']}-{values['published_month']:02d})")
        )  # fmt: skip
    else:
        found += changes(item, before.inspection, after.inspection)
    for reference, row in after.recommendations.items():
        old = before.recommendations.get(reference)
        ref = ItemRef(RECOMMENDATION, int(row["id"]), inspection_id)
        if old is None:
            found.append(created(ref, describe_recommendation(row)))
        else:
            found += changes(
                ref,
                {name: old[name] for name in _RECOMMENDATION_FIELDS},
                {name: row[name] for name in _RECOMMENDATION_FIELDS},
            )
    for reference, old in before.recommendations.items():
        if reference not in after.recommendations:
            ref = ItemRef(RECOMMENDATION, int(old["id"]), inspection_id)
            found.append(deleted(ref, describe_recommendation(old)))
    for key in sorted({*before.baseline, *after.baseline}):
        previous, value = before.baseline.get(key), after.baseline.get(key)
        if format_value(previous) != format_value(value):
            action = CREATE if previous is None else DELETE if value is None else UPDATE
            found.append(
                Entry(INSPECTION, inspection_id, inspection_id, result_field(*key, 0),
                      format_value(previous), format_value(value), action)
            )  # fmt: skip
    if before.inspection:
        for name, word in (
            ("findings", "finding"),
            ("published_scores", "published score"),
            ("national_targets", "national target"),
        ):
            old_rows, new_rows = getattr(before, name), getattr(after, name)
            if old_rows != new_rows:
                old_text = _count(len(old_rows), word)
                new_text = _count(len(new_rows), word)
                if old_text == new_text:
                    new_text += " (reworded)"
                found.append(
                    Entry(INSPECTION, inspection_id, inspection_id, name, old_text, new_text,
                          UPDATE)
                )  # fmt: skip
    return found


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


# ----- reading the trail --------------------------------------------------------------------


@dataclass(frozen=True)
class AuditView:
    """A recorded change as the history shows it."""

    id: int
    changed_at: datetime  # UTC, as stored
    changed_by: str
    item_kind: str
    item_id: int
    inspection_id: int | None
    field: str
    old_value: str | None
    new_value: str | None
    action: str

    @property
    def local_changed_at(self) -> datetime:
        """When, in the computer's own time zone."""
        return local_time(self.changed_at)

    @property
    def when_text(self) -> str:
        """When, as a person reads it ("2005-06-01 14:32")."""
        return self.local_changed_at.strftime("%Y-%m-%d %H:%M")

    @property
    def field_label(self) -> str:
        """The field in words ("Target date"; "Created" for a created item)."""
        return field_label(self.item_kind, self.field, self.action)

    @property
    def change_text(self) -> str:
        """The change in one line of words: "old → new", or what was created or deleted."""
        old, new = self.old_value or "", self.new_value or ""
        if self.action == CREATE and not self.field:
            return new
        if self.action == DELETE and not self.field:
            return old
        return f"{old or '(empty)'} → {new or '(empty)'}"


def _view(row: Mapping[str, Any]) -> AuditView:
    return AuditView(
        id=row["id"],
        changed_at=row["changed_at"],
        changed_by=row["changed_by"],
        item_kind=row["item_kind"],
        item_id=row["item_id"],
        inspection_id=row["inspection_id"],
        field=row["field"],
        old_value=row["old_value"],
        new_value=row["new_value"],
        action=row["action"],
    )


def _kinds(item_kind: str) -> list[str]:
    # a recommendation's history includes its response, which is recorded under its id
    return [RECOMMENDATION, RESPONSE] if item_kind == RECOMMENDATION else [item_kind]


def history(*, item_kind: str, item_id: int) -> list[AuditView]:
    """Every recorded change of one item, oldest first (a recommendation's include its
    response's)."""
    query = (
        AuditEntry.select()
        .where(AuditEntry.item_kind.in_(_kinds(item_kind)) & (AuditEntry.item_id == item_id))
        .order_by(AuditEntry.changed_at, AuditEntry.id)
    )
    return [_view(row) for row in as_dicts(query)]


def inspection_history(*, inspection_id: int | None) -> list[AuditView]:
    """Every recorded change of an inspection's items, oldest first (None: of every one)."""
    query = AuditEntry.select().order_by(AuditEntry.changed_at, AuditEntry.id)
    if inspection_id is not None:
        query = query.where(AuditEntry.inspection_id == inspection_id)
    return [_view(row) for row in as_dicts(query)]


def change_count(item: ItemRef, field: str) -> int:
    """How many changes of one field of an item the trail holds (it only ever grows)."""
    count: int = (
        AuditEntry.select()
        .where(
            (AuditEntry.item_kind == item.kind)
            & (AuditEntry.item_id == item.id)
            & (AuditEntry.field == item.prefix + field)
        )
        .count()
    )
    return count


def last_change(
    *, item_kind: str, item_id: int, fields: Collection[str] | None = None
) -> AuditView | None:
    """The latest recorded change of an item (only of these fields, when given), or None.

    A created item's entry (empty field) counts whenever ``fields`` is given.
    """
    query = AuditEntry.select().where(
        (AuditEntry.item_kind == item_kind) & (AuditEntry.item_id == item_id)
    )
    if fields is not None:
        query = query.where(AuditEntry.field.in_([*fields, ""]))
    rows = as_dicts(query.order_by(AuditEntry.changed_at.desc(), AuditEntry.id.desc()).limit(1))
    return _view(rows[0]) if rows else None


def item_labels(entries: Iterable[AuditView]) -> dict[tuple[str, int], str]:
    """How to name each item of some entries ("Recommendation 6", "Action: Audit …")."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        wanted[entry.item_kind].add(entry.item_id)
    labels: dict[tuple[str, int], str] = {}

    def look_up(kind: str, column: Any, model: type[BaseModel]) -> dict[int, Any]:
        ids = sorted(wanted.get(kind, ()))
        found: dict[int, Any] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            found.update(dict(as_tuples(model.select(model.id, column).where(model.id.in_(chunk)))))
        return found

    references_by_id = {
        **look_up(RECOMMENDATION, Recommendation.reference, Recommendation),
        **look_up(RESPONSE, Recommendation.reference, Recommendation),
    }
    texts = look_up(ACTION, Action.text, Action)
    titles = look_up(MILESTONE, Milestone.title, Milestone)
    meetings = look_up(BOARD_MEETING, BoardMeeting.meeting_date, BoardMeeting)
    sent = look_up(SUBMISSION, PlanSubmission.sent_on, PlanSubmission)
    areas = look_up(INSPECTION, Inspection.area, Inspection)
    for kind, ids in wanted.items():
        for item_id in ids:
            label: str | None = None
            if kind == RECOMMENDATION and item_id in references_by_id:
                label = f"Recommendation {references_by_id[item_id]}"
            elif kind == RESPONSE and item_id in references_by_id:
                label = f"Response to recommendation {references_by_id[item_id]}"
            elif kind == ACTION and item_id in texts:
                label = f"Action: {texts[item_id]}"
            elif kind == MILESTONE and item_id in titles:
                label = f"Milestone: {titles[item_id]}"
            elif kind == BOARD_MEETING and item_id in meetings:
                label = f"Board meeting on {format_value(meetings[item_id])}"
            elif kind == SUBMISSION and item_id in sent:
                label = f"Plan as sent on {format_value(sent[item_id])}"
            elif kind == INSPECTION and item_id in areas:
                label = f"Inspection report: {areas[item_id]}"
            elif kind == FOLLOW_UP:
                label = "Follow-up inspection"
            if label is None:
                name = _KIND_NAMES.get(kind, kind.replace("_", " ").capitalize())
                label = f"{name} {item_id} (since deleted)"
            labels[(kind, item_id)] = label
    return labels


# ----- exporting ----------------------------------------------------------------------------

CSV_COLUMNS = ("When", "Who", "Item", "Field", "Old", "New")


def export_csv(
    *,
    inspection_id: int | None,
    path: Path,
    force: bool = False,
    keep: Iterable[Path] = (),
) -> int:
    """Write the audit trail of an inspection (None: of the whole database) to a CSV file.

    The file is UTF-8 with a byte-order mark, so Excel reads its accents and quotes right;
    times are local; text that a spreadsheet would run as a formula is marked as text. It
    is written to a temporary file beside ``path`` and renamed into place, so a failure leaves
    any earlier file as it was.

    Returns:
        How many changes were written.

    Args:
        inspection_id: the inspection (None: every inspection).
        path: the CSV file.
        force: replace an existing file that is not text (the user confirmed).
        keep: files never to replace (see :func:`esi_desktop.files.check_output_path`).

    Raises:
        OtherKindOfFile: the file there is not text (a database, a spreadsheet, a PDF), and
            ``force`` is false.
        EsiError: the file cannot be written; the sentence names it and says what to do.
    """
    check_output_path(path, kind=CSV, force=force, keep=keep)
    entries = inspection_history(inspection_id=inspection_id)
    labels = item_labels(entries)
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow(
            safe_row(
                (
                    entry.local_changed_at.strftime("%Y-%m-%d %H:%M:%S"),
                    entry.changed_by,
                    labels[(entry.item_kind, entry.item_id)],
                    entry.field_label,
                    entry.old_value or "",
                    entry.new_value or "",
                )
            )
        )
    # UTF-8 with a byte-order mark: Excel then reads the accents and quotes right
    write_atomically(
        Path(path), text.getvalue().encode("utf-8-sig"), kind=CSV, force=force, keep=keep
    )
    return len(entries)
