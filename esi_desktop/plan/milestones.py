"""Milestones of an action, and turning one into the other (indent, outdent)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import peewee

from db.models import (
    Action,
    ActionRecommendation,
    Milestone,
    database_proxy,
)
from esi_desktop import audit
from esi_desktop.errors import ValidationError
from esi_desktop.inspections import publication_date
from esi_desktop.plan._checks import (
    check_milestone_fields,
    inspection_of_action,
)
from esi_desktop.plan.actions import add_action, delete_action
from esi_desktop.plan.numbers import next_milestone_number, numbered
from esi_desktop.text import check_values
from esi_desktop.versioned import (
    Change,
    Snapshot,
    get_row,
    snapshot_of,
    update_row,
)
from esi_desktop.wording import ACTION, MILESTONE, action_reference, milestone_reference


def add_milestone(
    *,
    action_id: int,
    title: str,
    due_date: date,
    today: date,
    status: str = "Not started",
    note: str = "",
) -> int:
    """Add a dated step to an action.

    It is numbered once from the action's counter ("AP3.3" after AP3.1 and AP3.2, even when
    AP3.2 was deleted); ``note`` is added to the history's description.

    Returns:
        The new milestone's id.

    Raises:
        ValidationError: an empty title or a due date before publication.
    """
    with database_proxy.atomic():
        action = get_row(Action, action_id, "action")
        values: dict[str, Any] = {"title": title, "due_date": due_date, "status": status}
        check_milestone_fields(
            values, status, publication_date(inspection_of_action(action)), today
        )
        check_values(values, "the milestone")

        def create() -> Milestone:
            number = next_milestone_number(action_id)
            last = (
                Milestone.select(peewee.fn.MAX(Milestone.position))
                .where(Milestone.action == action_id)
                .scalar()
            )
            return Milestone.create(
                action=action_id, position=(last or 0) + 1, number=number, **values
            )

        milestone = numbered("milestone", create)
        entries = audit.row_entries([("milestone", milestone.__data__)], audit.CREATE)
        audit.record(audit.noted(entries, note))
    return int(milestone.id)


def update_milestone(
    *,
    milestone_id: int,
    changes: Mapping[str, Any],
    today: date,
    expected_version: int | None = None,
) -> Change:
    """Change a milestone's title, due date, status, completion date or evidence.

    Completing a milestone records today as its completion date unless one is given;
    re-opening it clears the date.

    Raises:
        ValidationError: a value breaks a rule; nothing is written.
        ConflictError: someone else changed the milestone meanwhile.
    """
    allowed = {"title", "due_date", "status", "completed_on", "evidence", "position"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"A milestone has no editable field {sorted(unknown)[0]!r}.")
    with database_proxy.atomic():
        milestone = get_row(Milestone, milestone_id, "milestone")
        action = Action.get_by_id(milestone.action_id)
        clean = dict(changes)
        check_milestone_fields(
            clean, milestone.status, publication_date(inspection_of_action(action)), today
        )
        previous, version = update_row(milestone, clean, expected_version, "milestone")
        return Change(milestone.id, previous, version)


def delete_milestone(*, milestone_id: int) -> Snapshot:
    """Delete a milestone.

    Returns:
        A snapshot that :func:`restore` puts back exactly.
    """
    with database_proxy.atomic():
        milestone = get_row(Milestone, milestone_id, "milestone")
        snapshot = snapshot_of([milestone])
        audit.record(audit.row_entries(snapshot.rows, audit.DELETE))
        milestone.delete_instance()
    return snapshot


def milestone_to_action(*, milestone_id: int) -> tuple[int, Snapshot]:
    """Outdent: a milestone becomes an action of its own, serving the same recommendations.

    The new action takes the milestone's title as its text, the parent action's owner and
    the milestone's due date as its target date.

    Returns:
        The new action's id and a snapshot of the removed milestone (for undo).
    """
    with database_proxy.atomic():
        milestone = get_row(Milestone, milestone_id, "milestone")
        parent = Action.get_by_id(milestone.action_id)
        recommendation_ids = [
            link.recommendation_id
            for link in ActionRecommendation.select().where(ActionRecommendation.action == parent)
        ]
        snapshot = snapshot_of([milestone])
        audit.record(audit.row_entries(snapshot.rows, audit.DELETE))
        milestone.delete_instance()
        new_id = add_action(
            inspection_id=parent.inspection_id,
            recommendation_ids=recommendation_ids,
            text=milestone.title,
            owner=parent.owner,
            target_date=milestone.due_date,
            position=parent.position,
            note=f"was milestone {_reference_of(milestone, parent)}",
        )
        _carry_evidence(MILESTONE, milestone_id, ACTION, new_id, _reference_of(milestone, parent))
    return new_id, snapshot


def action_to_milestone(
    *, action_id: int, parent_action_id: int, today: date
) -> tuple[int, Snapshot]:
    """Indent: an action without milestones becomes a milestone of the action above it.

    Returns:
        The new milestone's id and a snapshot of the removed action (for undo).

    Raises:
        ValidationError: the action has milestones of its own.
    """
    if action_id == parent_action_id:
        raise ValidationError("An action cannot become a milestone of itself.")
    with database_proxy.atomic():
        action = get_row(Action, action_id, "action")
        parent = get_row(Action, parent_action_id, "action")
        if parent.inspection_id != action.inspection_id:
            raise ValidationError("An action can only become a milestone of the same plan.")
        if Milestone.select().where(Milestone.action == action_id).exists():
            raise ValidationError(
                "Only an action without milestones can become a milestone; move or delete its "
                "milestones first."
            )
        snapshot = delete_action(action_id=action_id)
        milestone_id = add_milestone(
            action_id=parent_action_id,
            title=action.text,
            due_date=action.target_date,
            today=today,
            note=f"was action {action_reference(action.number)}" if action.number else "",
        )
        was = action_reference(action.number) if action.number else repr(action.text)
        _carry_evidence(ACTION, action_id, MILESTONE, milestone_id, was)
    return milestone_id, snapshot


def _carry_evidence(from_kind: str, from_id: int, to_kind: str, to_id: int, was: str) -> None:
    """The evidence of a converted item goes with it; the old item keeps its own rows, so
    undoing the conversion (which puts the old item back) finds them."""
    from esi_desktop.evidence.store import carry_evidence  # loaded when first converting

    carry_evidence(
        from_kind=from_kind, from_id=from_id, to_kind=to_kind, to_id=to_id,
        note=f"moved from {was}",
    )  # fmt: skip


def _reference_of(milestone: Milestone, action: Action) -> str:
    """ "AP3.2", or the milestone's title for one made before numbering."""
    if milestone.number is None or action.number is None:
        return repr(milestone.title)
    return milestone_reference(action.number, milestone.number)
