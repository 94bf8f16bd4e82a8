"""What an inspection already holds from earlier imports, and what a sheet's row would change
in it (the database part of the preview).

A sheet's item is the stored one with its import key; failing that, for a row giving this
program's own reference ("AP3", "AP3.2": the Plan workbook it exports, edited and brought
back), the item with that reference — when it serves one of the row's recommendations and no
other row of the sheet is that item by its key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from db.models import (
    Action,
    ActionRecommendation,
    Milestone,
    Recommendation,
    as_tuples,
)
from esi_desktop.rules import MilestoneStatus
from esi_desktop.tracker.rows import TrackerAction, TrackerMilestone, where
from esi_desktop.wording import action_reference

#: A change: (field, old value, new value).
FieldChange = tuple[str, Any, Any]


def recommendations_of(inspection_id: int) -> dict[str, str]:
    """The inspection's recommendations, reference → text, in the report's order."""
    query = (
        Recommendation.select(Recommendation.reference, Recommendation.text)
        .where(Recommendation.inspection == inspection_id)
        .order_by(Recommendation.position)
    )
    return {reference: text for reference, text in as_tuples(query)}


@dataclass
class StoredAction:
    """An action an earlier import created, as the comparison needs it."""

    id: int
    number: int | None
    text: str
    owner: str
    target_date: date
    recommendations: tuple[str, ...]


def stored_items(
    inspection_id: int,
) -> tuple[dict[str, StoredAction], dict[tuple[int, str], Milestone]]:
    """The inspection's imported actions by key, and their imported milestones by
    (action id, key)."""
    stored = stored_plan(inspection_id)
    return stored.actions, stored.milestones


@dataclass
class StoredPlan:
    """The inspection's actions and milestones as an import looks them up."""

    #: Actions an earlier import created, by import key.
    actions: dict[str, StoredAction]
    #: Their milestones an earlier import created, by (action id, import key).
    milestones: dict[tuple[int, str], Milestone]
    #: Every action, by number (3 for AP3).
    numbered: dict[int, StoredAction] = field(default_factory=dict)
    #: Every milestone of those actions, by (action id, number).
    numbered_milestones: dict[tuple[int, int], Milestone] = field(default_factory=dict)


def stored_plan(inspection_id: int) -> StoredPlan:
    """The inspection's actions and milestones, by import key and by reference."""
    served: dict[int, list[str]] = {}
    links = (
        ActionRecommendation.select(ActionRecommendation.action, Recommendation.reference)
        .join(Recommendation)
        .where(Recommendation.inspection == inspection_id)
        .order_by(Recommendation.position)
    )
    for action_id, reference in as_tuples(links):
        served.setdefault(action_id, []).append(reference)
    actions: dict[str, StoredAction] = {}
    numbered: dict[int, StoredAction] = {}
    for row in Action.select().where(Action.inspection == inspection_id):
        item = StoredAction(
            row.id, row.number, row.text, row.owner, row.target_date, tuple(served.get(row.id, ()))
        )
        if row.import_key is not None:
            actions[str(row.import_key)] = item
        if row.number is not None:
            numbered[int(row.number)] = item
    ids = [a.id for a in numbered.values()] + [a.id for a in actions.values() if a.number is None]
    milestones: dict[tuple[int, str], Milestone] = {}
    numbered_milestones: dict[tuple[int, int], Milestone] = {}
    for start in range(0, len(ids), 500):
        query = Milestone.select().where(Milestone.action.in_(ids[start : start + 500]))
        for m in query:
            if m.import_key is not None:
                milestones[(m.action_id, str(m.import_key))] = m
            if m.number is not None:
                numbered_milestones[(m.action_id, int(m.number))] = m
    return StoredPlan(actions, milestones, numbered, numbered_milestones)


class Matcher:
    """Finds the stored item of each of a sheet's actions and milestones (see above); the
    preview and the import ask in the same order, so they find the same items."""

    def __init__(self, stored: StoredPlan, actions: Sequence[TrackerAction]) -> None:
        self.stored = stored
        self.claimed = {stored.actions[a.key].id for a in actions if a.key in stored.actions}
        self.claimed_milestones: set[int] = set()
        #: Sentences about a reference of this program's that names another item.
        self.warnings: list[str] = []

    def action(self, action: TrackerAction) -> tuple[StoredAction | None, bool]:
        """The stored action, and whether it was found by its reference (None: new)."""
        found = self.stored.actions.get(action.key)
        if found is not None or action.stable is None:
            return found, False
        candidate = self.stored.numbered.get(action.stable)
        if candidate is None or candidate.id in self.claimed:
            return None, False
        if not set(candidate.recommendations) & set(action.recommendations):
            served = ", ".join(candidate.recommendations) or "no recommendation"
            self.warnings.append(
                f"{where(action.sheet, action.row)}: {action_reference(action.stable)} is "
                f"this plan's reference of another action ({candidate.text!r}, for "
                f"recommendation {served}), not one for recommendation "
                f"{', '.join(action.recommendations)}, so the row is imported as a new action."
            )
            return None, False
        self.claimed.add(candidate.id)
        return candidate, True

    def milestone(
        self, milestone: TrackerMilestone, action: TrackerAction, stored: StoredAction
    ) -> tuple[Milestone | None, bool]:
        """The stored milestone of ``stored``, and whether it was found by its reference."""
        found = self.stored.milestones.get((stored.id, milestone.key))
        if found is not None or milestone.stable is None or milestone.stable[0] != stored.number:
            return found, False
        candidate = self.stored.numbered_milestones.get((stored.id, milestone.stable[1]))
        if candidate is None or candidate.id in self.claimed_milestones:
            return None, False
        keyed = {
            self.stored.milestones[(stored.id, m.key)].id
            for m in action.milestones
            if (stored.id, m.key) in self.stored.milestones
        }
        if candidate.id in keyed:
            return None, False
        self.claimed_milestones.add(candidate.id)
        return candidate, True


def action_changes(
    action: TrackerAction, stored: StoredAction, *, by_reference: bool = False
) -> list[FieldChange]:
    """What the sheet changes; the wording only for an item the sheet names by a reference."""
    changes: list[FieldChange] = []
    if (by_reference or action.key.startswith("ref:")) and action.text != stored.text:
        changes.append(("text", stored.text, action.text))
    if action.owner and action.owner != stored.owner:
        changes.append(("owner", stored.owner, action.owner))
    if action.target_date != stored.target_date:
        changes.append(("target_date", stored.target_date, action.target_date))
    added = [r for r in action.recommendations if r not in stored.recommendations]
    if added:
        changes.append(
            ("recommendations", stored.recommendations, (*stored.recommendations, *added))
        )
    return changes


def milestone_changes(
    milestone: TrackerMilestone, stored: Milestone, *, by_reference: bool = False
) -> list[FieldChange]:
    changes: list[FieldChange] = []
    if (by_reference or milestone.key.startswith("ref:")) and milestone.title != stored.title:
        changes.append(("title", stored.title, milestone.title))
    if milestone.due_date != stored.due_date:
        changes.append(("due_date", stored.due_date, milestone.due_date))
    status = milestone.status or stored.status
    if status != stored.status:
        changes.append(("status", stored.status, str(status)))
    if (
        status == MilestoneStatus.COMPLETE
        and milestone.completed_on is not None
        and milestone.completed_on != stored.completed_on
    ):
        changes.append(("completed_on", stored.completed_on, milestone.completed_on))
    if milestone.evidence is not None and milestone.evidence != stored.evidence:
        changes.append(("evidence", stored.evidence, milestone.evidence))
    return changes
