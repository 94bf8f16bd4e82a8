"""Writing audit entries: naming an item, the entries of a change, and recording them.

Every use case that changes the database records what it changed here, inside its own
transaction, so a change and its audit entries are committed or rolled back together.

What is recorded:

* a field changed: one entry per field, with the old and the new value;
* an item created or deleted (an action, a milestone, a Board meeting, a recommendation, the
  plan as sent): one entry with an empty field and a description of the item as its new or
  old value; deleting an action records the action and each of its milestones
  (:mod:`esi_desktop.audit.rows`);
* a response to a recommendation is recorded under the kind ``response`` with the
  recommendation's id (a recommendation has one response, and the window knows it by its
  recommendation); the follow-up inspection (its date, status and results) under the kind
  ``follow_up`` with the inspection's id;
* an import records the inspection, each recommendation and each baseline result it created,
  changed or removed, and one entry for each of the findings, published scores and national
  targets when they changed (:mod:`esi_desktop.audit.imports`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from db.models import (
    Action,
    AuditEntry,
    BaseModel,
    BoardMeeting,
    BoardResponse,
    ExtensionDecision,
    FollowUpInspection,
    Inspection,
    Milestone,
    PlanSubmission,
    Recommendation,
    as_tuples,
    database_proxy,
    utc_now,
)
from esi_desktop.audit.actor import current_user
from esi_desktop.audit.labels import CREATE, CRITERIA, DELETE, UPDATE, format_criteria, format_value
from esi_desktop.notifications import announce_change
from esi_desktop.wording import (
    ACTION,
    BOARD_MEETING,
    EXTENSION_DECISION,
    FOLLOW_UP,
    INSPECTION,
    MILESTONE,
    RECOMMENDATION,
    RESPONSE,
    SUBMISSION,
)

#: Entries written by one INSERT (SQLite caps the variables of a statement).
_CHUNK = 60


@dataclass(frozen=True)
class ItemRef:
    """An item of the plan as the audit names it.

    Attributes:
        kind: RECOMMENDATION, ACTION, ... (the item kinds of :mod:`esi_desktop.wording`).
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


def action_inspection(action_id: int) -> int | None:
    """The inspection an action belongs to (None: there is no such action)."""
    value = Action.select(Action.inspection).where(Action.id == action_id).scalar()
    return None if value is None else int(value)


def action_number(action_id: int) -> int | None:
    """The number an action was given ("AP3": 3); None for no such action or none given."""
    value = Action.select(Action.number).where(Action.id == action_id).scalar()
    return None if value is None else int(value)


def item_of(row: BaseModel) -> ItemRef:
    """How the audit names the item a row stands for."""
    data = row.__data__
    if isinstance(row, Recommendation | Action | BoardMeeting | PlanSubmission | ExtensionDecision):
        kind = {Recommendation: RECOMMENDATION, Action: ACTION, BoardMeeting: BOARD_MEETING,
                PlanSubmission: SUBMISSION,
                ExtensionDecision: EXTENSION_DECISION}[type(row)]  # fmt: skip
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
        return ItemRef(MILESTONE, int(row.id), action_inspection(int(data["action"])))
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
