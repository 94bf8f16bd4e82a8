"""Reading the audit trail: an item's history, an inspection's, the latest change of a field,
and how to name the items the entries are about.
"""

from __future__ import annotations

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
    Inspection,
    Milestone,
    PlanSubmission,
    Recommendation,
    as_dicts,
    as_tuples,
)
from esi_desktop.audit.entries import ItemRef
from esi_desktop.audit.labels import CREATE, DELETE, field_label, format_value, local_time
from esi_desktop.wording import (
    ACTION,
    BOARD_MEETING,
    FOLLOW_UP,
    INSPECTION,
    MILESTONE,
    RECOMMENDATION,
    RESPONSE,
    SUBMISSION,
    kind_name,
)


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
                label = f"{kind_name(kind)} {item_id} (since deleted)"
            labels[(kind, item_id)] = label
    return labels
