"""SMART actions: adding, changing, linking to recommendations, deleting."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import peewee

from db.models import (
    Action,
    ActionCriterion,
    ActionRecommendation,
    BaseModel,
    Milestone,
    Recommendation,
    database_proxy,
)
from esi_desktop import audit
from esi_desktop.errors import ValidationError
from esi_desktop.inspections import get_inspection, publication_date
from esi_desktop.plan._checks import (
    check_action_fields,
    check_override,
    inspection_of_action,
    replace_criteria,
)
from esi_desktop.plan.numbers import next_action_number, numbered
from esi_desktop.text import check_values
from esi_desktop.versioned import (
    Change,
    Snapshot,
    get_row,
    snapshot_of,
    update_row,
)


def add_action(
    *,
    inspection_id: int,
    recommendation_ids: Iterable[int],
    text: str,
    owner: str,
    target_date: date,
    position: int | None = None,
    note: str = "",
) -> int:
    """Add a SMART action serving one or more recommendations.

    It is numbered once from the inspection's counter ("AP4" after AP1 to AP3, even when
    AP2 was deleted); ``note`` is added to the history's description (a conversion names the
    item it came from there).

    Returns:
        The new action's id.

    An empty ``owner`` leaves the action waiting for one (a recommendation without a lead
    owner): the documents list it as missing until it is named.

    Raises:
        ValidationError: an empty text, or a target date before publication.
    """
    inspection = get_inspection(inspection_id=inspection_id)
    values: dict[str, Any] = {"text": text, "owner": owner, "target_date": target_date}
    check_action_fields(values, publication_date(inspection))
    check_values(values, "the action")
    served = list(dict.fromkeys(recommendation_ids))

    def create() -> Action:
        # the counter first: the transaction's first write, so adders wait for each other
        number = next_action_number(inspection_id)
        at = position
        if at is None:
            last = (
                Action.select(peewee.fn.MAX(Action.position))
                .where(Action.inspection == inspection_id)
                .scalar()
            )
            at = (last or 0) + 1
        return Action.create(inspection=inspection_id, position=at, number=number, **values)

    with database_proxy.atomic():
        action = numbered("action", create)
        for recommendation_id in served:
            recommendation = get_row(Recommendation, recommendation_id, "recommendation")
            if recommendation.inspection_id != inspection_id:
                raise ValidationError("An action can only serve this inspection's recommendations.")
            ActionRecommendation.create(action=action, recommendation=recommendation_id)
        links = [("action_recommendation", {"action": action.id, "recommendation": r})
                 for r in served]  # fmt: skip
        entries = audit.row_entries([("action", action.__data__), *links], audit.CREATE)
        audit.record(audit.noted(entries, note))
    return int(action.id)


def update_action(
    *, action_id: int, changes: Mapping[str, Any], expected_version: int | None = None
) -> Change:
    """Change an action's text, owner, target date, risk flag, RAG override or note.

    Raises:
        ValidationError: a value breaks a rule; nothing is written.
        ConflictError: someone else changed the action meanwhile.
    """
    allowed = {"text", "owner", "target_date", "at_risk", "at_risk_reason", "rag_override",
               "rag_override_reason", "internal_note", "position"}  # fmt: skip
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"An action has no editable field {sorted(unknown)[0]!r}.")
    with database_proxy.atomic():
        action = get_row(Action, action_id, "action")
        clean = dict(changes)
        check_action_fields(clean, publication_date(inspection_of_action(action)))
        at_risk = clean.get("at_risk", action.at_risk)
        reason = str(clean.get("at_risk_reason", action.at_risk_reason) or "").strip()
        if at_risk and not reason:
            raise ValidationError(
                "Marking an action at risk needs a reason; type what puts it at risk.",
                "at_risk_reason",
            )
        check_override(action, clean)
        previous, version = update_row(action, clean, expected_version, "action")
        return Change(action.id, previous, version)


def link_action(*, action_id: int, recommendation_id: int) -> bool:
    """Let an action serve one more recommendation.

    Returns:
        False when it already did (nothing to undo).
    """
    with database_proxy.atomic():
        action = get_row(Action, action_id, "action")
        recommendation = get_row(Recommendation, recommendation_id, "recommendation")
        if recommendation.inspection_id != action.inspection_id:
            raise ValidationError("An action can only serve its own inspection's recommendations.")
        exists = ActionRecommendation.get_or_none(
            (ActionRecommendation.action == action_id)
            & (ActionRecommendation.recommendation == recommendation_id)
        )
        if exists is not None:
            return False
        before = _served(action_id)
        ActionRecommendation.create(action=action_id, recommendation=recommendation_id)
        _record_served(action, before)
        return True


def _served(action_id: int) -> list[int]:
    return [
        link.recommendation_id
        for link in ActionRecommendation.select().where(ActionRecommendation.action == action_id)
    ]


def _record_served(action: Action, before: list[int]) -> None:
    audit.record(
        audit.changes(
            audit.item_of(action),
            {audit.RECOMMENDATIONS: audit.references(before)},
            {audit.RECOMMENDATIONS: audit.references(_served(action.id))},
        )
    )


def unlink_action(*, action_id: int, recommendation_id: int) -> bool:
    """Stop an action serving a recommendation; the last link cannot go (delete instead).

    Returns:
        False when the action did not serve it (nothing to undo).

    Raises:
        ValidationError: it is the action's only recommendation.
    """
    with database_proxy.atomic():
        links = ActionRecommendation.select().where(ActionRecommendation.action == action_id)
        if not any(link.recommendation_id == recommendation_id for link in links):
            return False
        if links.count() <= 1:
            raise ValidationError(
                "Every action must serve at least one recommendation; delete the action instead."
            )
        before = _served(action_id)
        ActionRecommendation.delete().where(
            (ActionRecommendation.action == action_id)
            & (ActionRecommendation.recommendation == recommendation_id)
        ).execute()
        _record_served(get_row(Action, action_id, "action"), before)
        return True


def set_action_criteria(
    *, action_id: int, criteria: Iterable[tuple[str, str]], expected_version: int | None = None
) -> Change:
    """Choose the criteria an action aims to improve (versioned with the action).

    Returns:
        The change; ``previous["criteria"]`` is the previous choice, to undo.

    Raises:
        ConflictError: someone else changed the action meanwhile.
    """
    with database_proxy.atomic():
        action = get_row(Action, action_id, "action")
        _, version = update_row(action, {}, expected_version, "action")
        previous = replace_criteria(action, ActionCriterion, ActionCriterion.action, criteria)
        return Change(action.id, {"criteria": previous}, version)


def delete_action(*, action_id: int) -> Snapshot:
    """Delete an action with its milestones and links.

    Returns:
        A snapshot that :func:`restore` puts back exactly.
    """
    with database_proxy.atomic():
        action = get_row(Action, action_id, "action")
        rows: list[BaseModel] = [action]
        rows += list(ActionRecommendation.select().where(ActionRecommendation.action == action_id))
        rows += list(ActionCriterion.select().where(ActionCriterion.action == action_id))
        rows += list(Milestone.select().where(Milestone.action == action_id))
        snapshot = snapshot_of(rows)
        action.delete_instance()  # the schema cascades to links and milestones
        audit.record(audit.row_entries(snapshot.rows, audit.DELETE))
    return snapshot
