"""The plan as the window, the documents and the commands read it: one read model.

The views it is made of are in :mod:`esi_desktop.plan.views` (named here too).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from operator import attrgetter
from typing import Any, NamedTuple

from db.models import (
    Action,
    ActionCriterion,
    ActionRecommendation,
    BoardResponse,
    Milestone,
    Recommendation,
    RecommendationCriterion,
)
from esi_desktop.inspections import get_inspection, inspection_clock, publication_date
from esi_desktop.plan.fetch import (
    BIG_PLAN_ACTIONS,
    cached_dicts,
    cached_rows,
    gc_paused,
    value_reader,
)
from esi_desktop.plan.views import (
    ActionView,
    MilestoneView,
    PlanView,
    RecommendationView,
    ResponseView,
    milestone_view,
)
from esi_desktop.rules import (
    DUE_SOON_DAYS,
    MilestoneStatus,
    Rag,
    action_rag_of_counts,
    draft_problems,
    progress_of,
    recommendation_progress,
    recommendation_rag,
)

__all__ = [
    "ActionView",
    "MilestoneView",
    "PlanView",
    "RecommendationView",
    "ResponseView",
    "load_actions",
    "load_plan",
    "load_recommendations",
]


class _Where(NamedTuple):
    """Which rows a read takes: a peewee condition, the form of it and the values it takes.

    The queries' SQL is built once per form (:func:`~esi_desktop.plan.fetch.cached_rows`):
    ``params`` are the condition's values in the order its SQL names them.
    """

    condition: Any
    shape: str
    params: tuple[Any, ...]


def _rag(value: str | None) -> Rag | None:
    return Rag(value) if value else None


def _response_view(row: Mapping[str, Any] | None) -> ResponseView | None:
    """A stored response row as the views see it; None for no row or an empty one."""
    if row is None:
        return None
    fields = (row["category"], row["narrative"], row["part_agreed"], row["reason"])
    problems = tuple(draft_problems(*fields, row["lead_owner"]))
    if not row["category"] and not problems:
        return None  # nothing typed (a response undone back to empty)
    return ResponseView(
        category=row["category"],
        narrative=row["narrative"],
        part_agreed=row["part_agreed"],
        reason=row["reason"],
        lead_owner=row["lead_owner"],
        version=row["version"],
        problems=problems,
    )


def _milestone_views(where: _Where, today: date) -> dict[int, list[MilestoneView]]:
    """The milestones of the actions matching a condition on :class:`Action`, by action."""
    due_date = value_reader(Milestone.due_date)
    completed_on = value_reader(Milestone.completed_on)
    # is_overdue and is_due_soon (esi_desktop.rules), inlined: they run once per milestone
    complete = MilestoneStatus.COMPLETE.value
    soon = today + timedelta(days=DUE_SOON_DAYS)
    rows = cached_rows(
        ("milestones", where.shape),
        where.params,
        lambda: (
            Milestone.select(
                Milestone.id,
                Milestone.action,
                Milestone.title,
                Milestone.due_date,
                Milestone.status,
                Milestone.completed_on,
                Milestone.evidence,
                Milestone.position,
                Milestone.version,
                Milestone.number,
                Action.number,
            )
            .join(Action)
            .where(where.condition)
        ),
        # unordered: the database sorting every row costs more than sorting each action's
        # milestones below
    )
    milestones: dict[int, list[MilestoneView]] = defaultdict(list)
    for row in rows:
        (milestone_id, action_id, title, due_value, status, completed, evidence, position,
         version, number, action_number) = row  # fmt: skip
        due = due_date(due_value)
        open_ = status != complete
        milestones[action_id].append(
            milestone_view(  # MilestoneView(...), made faster: it runs once per milestone
                milestone_id,
                action_id,
                title,
                due,
                status,
                completed_on(completed),
                evidence,
                position,
                version,
                open_ and due < today,  # overdue
                open_ and today <= due <= soon,  # due soon
                number,
                action_number,
            )
        )
    for own in milestones.values():
        own.sort(key=_PLAN_ORDER)
    return milestones


#: A milestone's place in its action: by position, then as created.
_PLAN_ORDER = attrgetter("position", "id")


def _action_views(where: _Where, today: date) -> dict[int, ActionView]:
    """The actions matching a condition on :class:`Action`, in plan order, with milestones."""
    condition = where.condition
    action_rows = cached_rows(
        ("actions", where.shape),
        where.params,
        lambda: (
            Action.select(
                Action.id,
                Action.text,
                Action.owner,
                Action.target_date,
                Action.position,
                Action.version,
                Action.rag_override,
                Action.rag_override_reason,
                Action.at_risk,
                Action.at_risk_reason,
                Action.internal_note,
                Action.number,
            )
            .where(condition)
            .order_by(Action.position, Action.id)
        ),
    )
    if not action_rows:
        return {}
    links: dict[int, list[int]] = defaultdict(list)
    for action_id, recommendation_id in cached_rows(
        ("links", where.shape),
        where.params,
        lambda: (
            ActionRecommendation.select(
                ActionRecommendation.action, ActionRecommendation.recommendation
            )
            .join(Action)
            .where(condition)
            .order_by(ActionRecommendation.id)
        ),
    ):
        links[action_id].append(recommendation_id)
    action_criteria: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for action_id, framework_id, code in cached_rows(
        ("action criteria", where.shape),
        where.params,
        lambda: (
            ActionCriterion.select(
                ActionCriterion.action, ActionCriterion.framework_id, ActionCriterion.code
            )
            .join(Action)
            .where(condition)
            .order_by(ActionCriterion.framework_id, ActionCriterion.code)
        ),
    ):
        action_criteria[action_id].append((framework_id, code))
    with gc_paused(len(action_rows) >= BIG_PLAN_ACTIONS):
        milestones = _milestone_views(where, today)

        target_date = value_reader(Action.target_date)
        complete = MilestoneStatus.COMPLETE.value
        actions: dict[int, ActionView] = {}
        for row in action_rows:
            (action_id, text, owner, target_value, position, version, rag_override,
             rag_override_reason, at_risk, at_risk_reason, internal_note, number) = row  # fmt: skip
            own = tuple(milestones.get(action_id, ()))
            done = 0
            overdue = due_soon = False
            for milestone in own:
                if milestone.status == complete:
                    done += 1
                elif milestone.overdue:
                    overdue = True
                elif milestone.due_soon:
                    due_soon = True
            target = target_date(target_value)
            actions[action_id] = ActionView(
                id=action_id,
                text=text,
                owner=owner,
                target_date=target,
                position=position,
                version=version,
                recommendation_ids=tuple(links.get(action_id, ())),
                criteria=tuple(action_criteria.get(action_id, ())),
                milestones=own,
                progress=progress_of(done, len(own)),
                derived_rag=action_rag_of_counts(
                    len(own),
                    done,
                    target,
                    today,
                    overdue=overdue,
                    due_soon=due_soon,
                    at_risk=bool(at_risk),
                ),
                rag_override=_rag(rag_override),
                rag_override_reason=rag_override_reason,
                at_risk=bool(at_risk),
                at_risk_reason=at_risk_reason,
                internal_note=internal_note,
                number=number,
            )
    return actions


def _recommendation_views(
    where: _Where, actions: Mapping[int, ActionView], by_recommendation: Mapping[int, list[int]]
) -> list[RecommendationView]:
    """The recommendations matching a condition on :class:`Recommendation`, in plan order.

    ``by_recommendation`` lists the ids of each one's actions (in plan order), all in
    ``actions``: their progress and RAG are derived from those.
    """
    condition, shape, params = where
    # their text and number columns, as stored (no date is read)
    recommendation_rows = cached_dicts(
        ("recommendations", shape),
        params,
        lambda: Recommendation.select().where(condition).order_by(Recommendation.position),
        Recommendation,
    )
    responses = {
        r["recommendation"]: r
        for r in cached_dicts(
            ("responses", shape),
            params,
            lambda: BoardResponse.select().join(Recommendation).where(condition),
            BoardResponse,
        )
    }
    recommendation_criteria: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for recommendation_id, framework_id, code in cached_rows(
        ("recommendation criteria", shape),
        params,
        lambda: (
            RecommendationCriterion.select(
                RecommendationCriterion.recommendation,
                RecommendationCriterion.framework_id,
                RecommendationCriterion.code,
            )
            .join(Recommendation)
            .where(condition)
            .order_by(RecommendationCriterion.framework_id, RecommendationCriterion.code)
        ),
    ):
        recommendation_criteria[recommendation_id].append((framework_id, code))

    recommendations = []
    for row in recommendation_rows:
        action_ids = tuple(by_recommendation.get(row["id"], ()))
        own_actions = [actions[i] for i in action_ids]
        response_row = responses.get(row["id"])
        stored = _response_view(response_row)
        response = stored if stored is not None and not stored.is_draft else None
        draft = stored if stored is not None and stored.is_draft else None
        recommendations.append(
            RecommendationView(
                id=row["id"],
                reference=row["reference"],
                text=row["text"],
                framework_id=row["framework_id"],
                position=row["position"],
                version=row["version"],
                criteria=tuple(recommendation_criteria.get(row["id"], ())),
                response=response,
                action_ids=action_ids,
                progress=recommendation_progress([a.progress for a in own_actions]),
                derived_rag=recommendation_rag([a.rag for a in own_actions]),
                rag_override=_rag(row["rag_override"]),
                rag_override_reason=row["rag_override_reason"],
                self_assessment=row["self_assessment"],
                internal_note=row["internal_note"],
                draft=draft,
                response_version=response_row["version"] if response_row else None,
                stem=row["stem"],
                addressee=row["addressee"],
            )
        )
    return recommendations


def load_plan(*, inspection_id: int, today: date) -> PlanView:
    """Read an inspection's whole plan in a handful of queries.

    Raises:
        NotFoundError: there is no such inspection.
    """
    inspection = get_inspection(inspection_id=inspection_id)
    actions = _action_views(
        _Where(Action.inspection == inspection_id, "inspection", (inspection_id,)), today
    )
    by_recommendation: dict[int, list[int]] = defaultdict(list)
    for view in actions.values():
        for recommendation_id in view.recommendation_ids:
            by_recommendation[recommendation_id].append(view.id)
    recommendations = _recommendation_views(
        _Where(Recommendation.inspection == inspection_id, "inspection", (inspection_id,)),
        actions,
        by_recommendation,
    )
    return PlanView(
        inspection_id=inspection_id,
        published=publication_date(inspection),
        today=today,
        recommendations=tuple(recommendations),
        clock=inspection_clock(inspection),
        actions=actions,
    )


def load_actions(
    *, inspection_id: int, action_ids: Iterable[int], today: date
) -> dict[int, ActionView]:
    """Read some of an inspection's actions again, with their milestones, progress and RAG.

    Returns:
        The actions found, by id, in plan order; an id not found (deleted, or of another
        inspection) is left out.
    """
    ids = sorted(set(action_ids))
    if not ids:
        return {}
    condition = (Action.inspection == inspection_id) & Action.id.in_(ids)
    return _action_views(_Where(condition, "some", (inspection_id, *ids)), today)


def load_recommendations(
    *,
    inspection_id: int,
    recommendation_ids: Iterable[int],
    actions: Mapping[int, ActionView],
    by_recommendation: Mapping[int, list[int]],
) -> dict[int, RecommendationView]:
    """Read some of an inspection's recommendations again, with their responses.

    Args:
        actions: every action they list, by id: their progress and RAG derive from these.
        by_recommendation: the ids of each one's actions, in plan order.

    Returns:
        The recommendations found, by id.
    """
    ids = sorted(set(recommendation_ids))
    if not ids:
        return {}
    condition = (Recommendation.inspection == inspection_id) & Recommendation.id.in_(ids)
    where = _Where(condition, "some", (inspection_id, *ids))
    return {r.id: r for r in _recommendation_views(where, actions, by_recommendation)}
