"""What an inspection already holds from earlier imports, and what a sheet's row would change
in it (the database part of the preview)."""

from __future__ import annotations

from dataclasses import dataclass
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
from esi_desktop.tracker.rows import TrackerAction, TrackerMilestone

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
    served: dict[int, list[str]] = {}
    links = (
        ActionRecommendation.select(ActionRecommendation.action, Recommendation.reference)
        .join(Recommendation)
        .where(Recommendation.inspection == inspection_id)
        .order_by(Recommendation.position)
    )
    for action_id, reference in as_tuples(links):
        served.setdefault(action_id, []).append(reference)
    actions = {
        str(row.import_key): StoredAction(
            row.id, row.number, row.text, row.owner, row.target_date, tuple(served.get(row.id, ()))
        )
        for row in Action.select().where(
            (Action.inspection == inspection_id) & Action.import_key.is_null(False)
        )
    }
    ids = [a.id for a in actions.values()]
    milestones: dict[tuple[int, str], Milestone] = {}
    for start in range(0, len(ids), 500):
        query = Milestone.select().where(
            Milestone.action.in_(ids[start : start + 500]) & Milestone.import_key.is_null(False)
        )
        milestones.update({(m.action_id, str(m.import_key)): m for m in query})
    return actions, milestones


def action_changes(action: TrackerAction, stored: StoredAction) -> list[FieldChange]:
    changes: list[FieldChange] = []
    if action.key.startswith("ref:") and action.text != stored.text:
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


def milestone_changes(milestone: TrackerMilestone, stored: Milestone) -> list[FieldChange]:
    changes: list[FieldChange] = []
    if milestone.key.startswith("ref:") and milestone.title != stored.title:
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
