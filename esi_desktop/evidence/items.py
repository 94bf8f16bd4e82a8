"""The items evidence is attached to: finding one by its reference, and checking it exists."""

from __future__ import annotations

import re
from typing import Any

from db.models import Action, Milestone, Recommendation, as_tuples
from esi_desktop.errors import NotFoundError, ValidationError
from esi_desktop.evidence.describe import ITEM_KINDS
from esi_desktop.wording import (
    ACTION,
    MILESTONE,
    RECOMMENDATION,
    action_reference,
    kind_name,
    milestone_reference,
    parse_reference,
)

#: "Rec 3", "Recommendation 3", "R3", "rec. 3": a recommendation's reference with a prefix.
_RECOMMENDATION_PREFIX = re.compile(r"^(?:recommendation|rec\.?|r)\s*", re.IGNORECASE)


def inspection_of_item(*, item_kind: str, item_id: int) -> int:
    """The inspection an item belongs to.

    Raises:
        ValidationError: ``item_kind`` is not a kind evidence can be attached to.
        NotFoundError: there is no such item (deleted in the meantime).
    """
    if item_kind not in ITEM_KINDS:
        raise ValidationError(
            "Evidence can only be attached to a recommendation, an action or a milestone."
        )
    query: Any
    if item_kind == RECOMMENDATION:
        query = Recommendation.select(Recommendation.inspection).where(Recommendation.id == item_id)
    elif item_kind == ACTION:
        query = Action.select(Action.inspection).where(Action.id == item_id)
    else:
        query = Milestone.select(Action.inspection).join(Action).where(Milestone.id == item_id)
    rows = as_tuples(query)
    if not rows:
        raise NotFoundError(
            f"The {kind_name(item_kind).lower()} was deleted in the meantime, so nothing was "
            "attached; the view is refreshed."
        )
    return int(rows[0][0])


def find_item(*, inspection_id: int, reference: str) -> tuple[str, int]:
    """The item a typed reference names: "3", "Rec 3" or "R3" a recommendation, "AP3" the
    action numbered 3, "AP3.2" that action's second milestone.

    Returns:
        The item's kind (``wording.RECOMMENDATION``, ``ACTION`` or ``MILESTONE``) and id.

    Raises:
        NotFoundError: no item of the inspection's plan has that reference; the sentence says
            which references there are.
    """
    typed = " ".join(reference.split())
    parsed = parse_reference(typed)
    if parsed is not None:
        return _plan_item(inspection_id, *parsed)
    references = as_tuples(
        Recommendation.select(Recommendation.reference, Recommendation.id)
        .where(Recommendation.inspection == inspection_id)
        .order_by(Recommendation.position, Recommendation.id)
    )
    by_reference = {str(ref).casefold(): int(row_id) for ref, row_id in references}
    for candidate in (typed, _RECOMMENDATION_PREFIX.sub("", typed, count=1)):
        found = by_reference.get(candidate.rstrip(".").strip().casefold())
        if found is not None:
            return RECOMMENDATION, found
    listed = run_of([str(ref) for ref, _ in references])
    recommendations = f"its recommendations are {listed}" if listed else "it has no recommendations"
    bare = _RECOMMENDATION_PREFIX.sub("", typed, count=1).rstrip(".").strip()
    if re.fullmatch(r"[A-Za-z]?\d+", bare):
        raise NotFoundError(
            f"There is no recommendation {bare.upper()} in this inspection; {recommendations}."
        )
    raise NotFoundError(
        f"“{typed}” names no item of this inspection's plan: {recommendations}; an action is "
        f"written like {action_reference(3)} and a milestone like {milestone_reference(3, 2)}."
    )


def _plan_item(
    inspection_id: int, action_number: int, milestone_number: int | None
) -> tuple[str, int]:
    numbers = [
        int(n)
        for (n,) in as_tuples(
            Action.select(Action.number)
            .where((Action.inspection == inspection_id) & Action.number.is_null(False))
            .order_by(Action.number)
        )
    ]
    action = Action.get_or_none(
        (Action.inspection == inspection_id) & (Action.number == action_number)
    )
    wanted = action_reference(action_number)
    if action is None:
        what = (
            f"references run {action_reference(numbers[0])} to {action_reference(numbers[-1])}"
            if numbers
            else "it has no actions yet"
        )
        if milestone_number is not None:
            wanted = milestone_reference(action_number, milestone_number)
        raise NotFoundError(f"There is no {wanted} in this inspection's plan; {what}.")
    if milestone_number is None:
        return ACTION, int(action.id)
    milestones = dict(
        as_tuples(
            Milestone.select(Milestone.number, Milestone.id)
            .where((Milestone.action == action.id) & Milestone.number.is_null(False))
            .order_by(Milestone.number)
        )
    )
    if milestone_number in milestones:
        return MILESTONE, int(milestones[milestone_number])
    held = sorted(int(n) for n in milestones)
    what = (
        f"{wanted}'s milestones run {milestone_reference(action_number, held[0])} to "
        f"{milestone_reference(action_number, held[-1])}"
        if held
        else f"{wanted} has no milestones"
    )
    raise NotFoundError(
        f"There is no {milestone_reference(action_number, milestone_number)} in this "
        f"inspection's plan; {what}."
    )


def run_of(references: list[str]) -> str:
    """References in few words: "1 to 10, T1 to T5"; a broken run is listed ("1, 3, 4")."""
    groups: list[tuple[str, list[int]]] = []
    others: list[str] = []
    for reference in references:
        found = re.fullmatch(r"(\D*)(\d+)", reference)
        if found is None:
            others.append(reference)
            continue
        prefix, number = found.group(1), int(found.group(2))
        if groups and groups[-1][0] == prefix and groups[-1][1][-1] == number - 1:
            groups[-1][1].append(number)
        else:
            groups.append((prefix, [number]))
    parts = []
    for prefix, numbers in groups:
        if len(numbers) > 2:
            parts.append(f"{prefix}{numbers[0]} to {prefix}{numbers[-1]}")
        else:
            parts.extend(f"{prefix}{n}" for n in numbers)
    return ", ".join(parts + others)
