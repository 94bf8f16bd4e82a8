"""Reading the audit trail: an item's history, an inspection's, the latest change of a field,
and how to name the items the entries are about.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from db.models import (
    Action,
    AuditEntry,
    BaseModel,
    BoardMeeting,
    Evidence,
    ExtensionDecision,
    Inspection,
    Milestone,
    PlanSubmission,
    Recommendation,
    as_dicts,
    as_tuples,
)
from esi_desktop.audit.entries import ItemRef
from esi_desktop.audit.labels import CREATE, DELETE, field_label, format_value, local_time
from esi_desktop.errors import NotFoundError, ValidationError
from esi_desktop.wording import (
    ACTION,
    BOARD_MEETING,
    EVIDENCE,
    EXTENSION_DECISION,
    FOLLOW_UP,
    INSPECTION,
    MILESTONE,
    RECOMMENDATION,
    RESPONSE,
    SUBMISSION,
    action_reference,
    kind_name,
    milestone_reference,
    parse_reference,
)

#: The reference a create or delete entry's description starts with ("AP3.2: Title (…)").
_DESCRIBED_REFERENCE = re.compile(r"^(AP\d+(?:\.\d+)?): ")


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
    #: A decision's reference as its own entries describe it (it outlives the row).
    described_decisions: dict[int, str] = {}
    for entry in entries:
        wanted[entry.item_kind].add(entry.item_id)
        if entry.item_kind == EXTENSION_DECISION and entry.field == "":
            found = _DESCRIBED_REFERENCE.match(entry.new_value or entry.old_value or "")
            if found is not None:
                described_decisions[entry.item_id] = found.group(1)
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
    references = {
        ACTION: _action_references(wanted.get(ACTION, set())),
        MILESTONE: _milestone_references(wanted.get(MILESTONE, set())),
    }
    gone = _described_references(
        [(k, i) for k in (ACTION, MILESTONE) for i in wanted.get(k, ()) if i not in references[k]]
    )
    meetings = look_up(BOARD_MEETING, BoardMeeting.meeting_date, BoardMeeting)
    sent = look_up(SUBMISSION, PlanSubmission.sent_on, PlanSubmission)
    decided = {
        **described_decisions,
        **look_up(EXTENSION_DECISION, ExtensionDecision.item_reference, ExtensionDecision),
    }
    areas = look_up(INSPECTION, Inspection.area, Inspection)
    files = look_up(EVIDENCE, Evidence.name, Evidence)
    for kind, ids in wanted.items():
        for item_id in ids:
            label: str | None = None
            if kind == RECOMMENDATION and item_id in references_by_id:
                label = f"Recommendation {references_by_id[item_id]}"
            elif kind == RESPONSE and item_id in references_by_id:
                label = f"Response to recommendation {references_by_id[item_id]}"
            elif kind == ACTION and item_id in texts:
                label = _named("Action", references[ACTION].get(item_id), texts[item_id])
            elif kind == MILESTONE and item_id in titles:
                label = _named("Milestone", references[MILESTONE].get(item_id), titles[item_id])
            elif (kind, item_id) in gone:
                label = f"{kind_name(kind)} {gone[(kind, item_id)]} (since deleted)"
            elif kind == BOARD_MEETING and item_id in meetings:
                label = f"Board meeting on {format_value(meetings[item_id])}"
            elif kind == SUBMISSION and item_id in sent:
                label = f"Plan as sent on {format_value(sent[item_id])}"
            elif kind == EXTENSION_DECISION and item_id in decided:
                label = f"Extension decision on {decided[item_id]}"
            elif kind == INSPECTION and item_id in areas:
                label = f"Inspection report: {areas[item_id]}"
            elif kind == FOLLOW_UP:
                label = "Follow-up inspection"
            elif kind == EVIDENCE and item_id in files:
                label = f"Evidence “{files[item_id]}”"
            if label is None:
                label = f"{kind_name(kind)} {item_id} (since deleted)"
            labels[(kind, item_id)] = label
    return labels


def _named(kind: str, reference: str | None, text: str) -> str:
    """ "Action AP3: Audit …", or "Action: Audit …" for one never numbered."""
    return f"{kind} {reference}: {text}" if reference else f"{kind}: {text}"


def _action_references(action_ids: Collection[int]) -> dict[int, str]:
    """The stored references of existing actions, by id ("AP3")."""
    found: dict[int, str] = {}
    ids = sorted(action_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for action_id, number in as_tuples(
            Action.select(Action.id, Action.number).where(Action.id.in_(chunk))
        ):
            if number is not None:
                found[action_id] = action_reference(number)
    return found


def _milestone_references(milestone_ids: Collection[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    ids = sorted(milestone_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for milestone_id, number, action_number in as_tuples(
            Milestone.select(Milestone.id, Milestone.number, Action.number)
            .join(Action)
            .where(Milestone.id.in_(chunk))
        ):
            if number is not None and action_number is not None:
                found[milestone_id] = milestone_reference(action_number, number)
    return found


def _described_references(items: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The references deleted items had, read from their create or delete entries."""
    wanted = list(items)
    found: dict[tuple[str, int], str] = {}
    for kind in (ACTION, MILESTONE):
        ids = sorted(i for k, i in wanted if k == kind)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = as_tuples(
                AuditEntry.select(AuditEntry.item_id, AuditEntry.old_value, AuditEntry.new_value)
                .where(
                    (AuditEntry.item_kind == kind)
                    & AuditEntry.item_id.in_(chunk)
                    & (AuditEntry.field == "")
                )
                .order_by(AuditEntry.id)
            )
            for item_id, old, new in rows:
                described = _DESCRIBED_REFERENCE.match(new or old or "")
                if described:
                    found[(kind, item_id)] = described.group(1)
    return found


def items_of_reference(*, inspection_id: int, reference: str) -> set[tuple[str, int]]:
    """The items a typed reference names in an inspection's plan or history.

    "AP3.2" names that milestone; "AP3" the action and its milestones. Deleted items are
    found by the references their history recorded.

    Raises:
        ValidationError: ``reference`` is not a reference ("B1").
        NotFoundError: no action or milestone of the inspection ever had it.
    """
    parsed = parse_reference(reference)
    if parsed is None:
        raise ValidationError(
            f"{reference.strip()!r} is not an action or milestone reference; type one such as "
            f"{action_reference(3)} or {milestone_reference(3, 2)}."
        )
    action_number, milestone_number = parsed
    wanted = (
        action_reference(action_number)
        if milestone_number is None
        else milestone_reference(action_number, milestone_number)
    )
    found: set[tuple[str, int]] = set()
    action = Action.get_or_none(
        (Action.inspection == inspection_id) & (Action.number == action_number)
    )
    if action is not None:
        if milestone_number is None:
            found.add((ACTION, int(action.id)))
        milestones = Milestone.select(Milestone.id).where(Milestone.action == action.id)
        if milestone_number is not None:
            milestones = milestones.where(Milestone.number == milestone_number)
        found |= {(MILESTONE, int(row.id)) for row in milestones}
    described = AuditEntry.select(
        AuditEntry.item_kind, AuditEntry.item_id, AuditEntry.old_value, AuditEntry.new_value
    ).where(
        (AuditEntry.inspection_id == inspection_id)
        & AuditEntry.item_kind.in_([ACTION, MILESTONE])
        & (AuditEntry.field == "")
    )
    for kind, item_id, old, new in as_tuples(described):
        match = _DESCRIBED_REFERENCE.match(new or old or "")
        if match is None:
            continue
        seen = match.group(1)
        if seen == wanted or (milestone_number is None and seen.startswith(wanted + ".")):
            found.add((kind, item_id))
    if not found:
        raise NotFoundError(
            f"No action or milestone of this inspection was ever numbered {wanted}; "
            "`main.py status` lists the plan's references."
        )
    return found
