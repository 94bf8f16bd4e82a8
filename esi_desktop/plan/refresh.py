"""Reading again only the part of a plan an edit touched (the rest is kept as it was read).

An edit of one milestone in a plan of tens of thousands need not read the whole plan again:
:func:`refresh_plan` reads the actions and recommendations it touched, with the same
derivations as :func:`esi_desktop.plan.read.load_plan`, and says what it read in a
:class:`PlanChange` so that a view can update just those rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from db.models import Action, ActionRecommendation, Milestone
from esi_desktop.plan.fetch import cached_rows
from esi_desktop.plan.read import (
    ActionView,
    PlanView,
    load_actions,
    load_plan,
    load_recommendations,
)


@dataclass(frozen=True)
class PlanChange:
    """What :func:`refresh_plan` read again.

    Attributes:
        action_ids: the actions read again (changed, added, or gone from the plan).
        recommendation_ids: the recommendations read again, with the list of their actions
            and their progress and RAG.
        whole: the whole plan was read again (the parts could not be told apart).
        evidence: the items' evidence counts may have changed: items came or went (added,
            deleted, brought back, indented, outdented), or the edit touched no row of the
            plan (a file attached or removed). False after an edit of items' values only,
            whose counts stay as they were.
    """

    action_ids: frozenset[int] = frozenset()
    recommendation_ids: frozenset[int] = frozenset()
    whole: bool = False
    evidence: bool = True


def _actions_of_milestones(plan: PlanView, milestone_ids: set[int]) -> set[int]:
    """The actions the milestones belong to now, or belonged to when the plan was read."""
    if not milestone_ids:
        return set()
    ids = sorted(milestone_ids)
    found = cached_rows(
        "actions of milestones",
        ids,
        lambda: Milestone.select(Milestone.id, Milestone.action).where(Milestone.id.in_(ids)),
    )
    actions = {action_id for _, action_id in found}
    missing = milestone_ids - {milestone_id for milestone_id, _ in found}
    if missing:  # deleted: the action that had it
        for action in plan.actions.values():
            if any(m.id in missing for m in action.milestones):
                actions.add(action.id)
    return actions


def _items_moved(old: ActionView | None, new: ActionView | None) -> bool:
    """Whether an action, or any of its milestones, came or went between two reads."""
    if old is None or new is None:
        return old is not new
    return {m.id for m in old.milestones} != {m.id for m in new.milestones}


def refresh_plan(
    plan: PlanView,
    *,
    action_ids: Iterable[int] = (),
    milestone_ids: Iterable[int] = (),
    recommendation_ids: Iterable[int] = (),
    today: date,
) -> tuple[PlanView, PlanChange]:
    """The plan with the rows an edit touched read again, the rest as it was.

    A milestone is read again with its action (whose progress and RAG follow it), an action
    with every recommendation it serves or served (theirs follow it). The derivations are
    those of :func:`~esi_desktop.plan.read.load_plan`, so the result equals what it reads.

    Args:
        plan: the plan as read before the edit.
        action_ids, milestone_ids, recommendation_ids: what the edit touched (a row may
            have been added, changed or deleted).
        today: the date the plan is read on; another date than the plan's reads it whole
            (what is overdue has moved on).

    Raises:
        NotFoundError: the inspection is gone.
    """
    inspection_id = plan.inspection_id
    if today != plan.today:
        return load_plan(inspection_id=inspection_id, today=today), PlanChange(whole=True)
    touched_milestones = set(milestone_ids)
    touched_actions = set(action_ids) | _actions_of_milestones(plan, touched_milestones)
    fresh = load_actions(inspection_id=inspection_id, action_ids=touched_actions, today=today)
    touched_recommendations = set(recommendation_ids)
    # an edit naming no row of the plan (an evidence file's) may change the counts
    items_moved = not (touched_actions or touched_milestones or touched_recommendations)
    for action_id in touched_actions:
        for source in (plan.actions, fresh):
            action = source.get(action_id)
            if action is not None:
                touched_recommendations.update(action.recommendation_ids)
    actions = dict(plan.actions)
    reorder = False
    for action_id in touched_actions:
        old, new = actions.get(action_id), fresh.get(action_id)
        items_moved = items_moved or _items_moved(old, new)
        if new is not None:
            reorder = reorder or old is None or old.position != new.position
            actions[action_id] = new
        elif old is not None:
            del actions[action_id]
    if not touched_recommendations:
        change = PlanChange(frozenset(touched_actions), evidence=items_moved)
        return replace(plan, actions=actions), change

    by_recommendation: dict[int, list[int]] = defaultdict(list)
    recommendation_ids = sorted(touched_recommendations)
    for recommendation_id, action_id in cached_rows(
        "actions of recommendations",
        (inspection_id, *recommendation_ids),
        lambda: (
            ActionRecommendation.select(ActionRecommendation.recommendation, Action.id)
            .join(Action)
            .where(
                (Action.inspection == inspection_id)
                & ActionRecommendation.recommendation.in_(recommendation_ids)
            )
            .order_by(Action.position, Action.id)
        ),
    ):
        by_recommendation[recommendation_id].append(action_id)
    unknown = {i for ids in by_recommendation.values() for i in ids} - actions.keys()
    if unknown:  # changed without the edit saying so: read them too
        actions.update(load_actions(inspection_id=inspection_id, action_ids=unknown, today=today))
        touched_actions |= unknown
        reorder = items_moved = True
    if reorder:  # plan order, as load_plan reads them
        actions = dict(sorted(actions.items(), key=lambda item: (item[1].position, item[0])))
    read_again = load_recommendations(
        inspection_id=inspection_id,
        recommendation_ids=touched_recommendations,
        actions=actions,
        by_recommendation=by_recommendation,
    )
    shown = {r.id for r in plan.recommendations}
    if read_again.keys() != touched_recommendations or not touched_recommendations <= shown:
        # a recommendation came or went (another import): read it all
        return load_plan(inspection_id=inspection_id, today=today), PlanChange(whole=True)
    recommendations = tuple(read_again.get(r.id, r) for r in plan.recommendations)
    change = PlanChange(
        frozenset(touched_actions), frozenset(touched_recommendations), evidence=items_moved
    )
    return replace(plan, recommendations=recommendations, actions=actions), change
