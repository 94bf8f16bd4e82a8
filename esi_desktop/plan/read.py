"""The plan as the window, the documents and the commands read it: one read model."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from db.models import (
    Action,
    ActionCriterion,
    ActionRecommendation,
    BoardResponse,
    Milestone,
    Recommendation,
    RecommendationCriterion,
    as_dicts,
    as_tuples,
)
from esi_desktop.errors import NotFoundError
from esi_desktop.inspections import get_inspection, inspection_clock, publication_date
from esi_desktop.rules import (
    MilestoneState,
    MilestoneStatus,
    Rag,
    ResponseProblem,
    StatutoryClock,
    action_progress,
    action_rag,
    draft_label,
    draft_problems,
    is_due_soon,
    is_overdue,
    recommendation_progress,
    recommendation_rag,
)
from esi_desktop.wording import action_reference, milestone_reference


@dataclass(frozen=True)
class MilestoneView:
    """A milestone as the window shows it."""

    id: int
    action_id: int
    title: str
    due_date: date
    status: str
    completed_on: date | None
    evidence: str
    position: int
    version: int
    overdue: bool
    due_soon: bool
    #: Given once within its action, never renumbered or reused (2 in "AP3.2").
    number: int | None = None
    #: Its action's number (3 in "AP3.2").
    action_number: int | None = None

    @property
    def reference(self) -> str:
        """ "AP3.2": the reference it keeps for good ("" if it was never numbered)."""
        if self.number is None or self.action_number is None:
            return ""
        return milestone_reference(self.action_number, self.number)


@dataclass(frozen=True)
class ActionView:
    """An action with its milestones and derived progress and RAG."""

    id: int
    text: str
    owner: str
    target_date: date
    position: int
    version: int
    recommendation_ids: tuple[int, ...]
    criteria: tuple[tuple[str, str], ...]
    milestones: tuple[MilestoneView, ...]
    progress: Fraction
    derived_rag: Rag
    rag_override: Rag | None
    rag_override_reason: str
    at_risk: bool
    at_risk_reason: str
    internal_note: str
    #: Given once within the inspection, never renumbered or reused (3 in "AP3").
    number: int | None = None

    @property
    def reference(self) -> str:
        """ "AP3": the reference it keeps for good ("" if it was never numbered)."""
        return action_reference(self.number) if self.number is not None else ""

    @property
    def rag(self) -> Rag:
        """The RAG shown: the override where there is one."""
        return self.rag_override or self.derived_rag

    @property
    def complete(self) -> bool:
        """Every milestone complete (an action with none is never complete)."""
        return bool(self.milestones) and all(
            m.status == MilestoneStatus.COMPLETE for m in self.milestones
        )


@dataclass(frozen=True)
class ResponseView:
    """A response to a recommendation as stored: the Board's response, or a draft of it.

    Attributes:
        problems: what keeps it a draft (empty for the Board's response).
    """

    category: str | None
    narrative: str
    part_agreed: str
    reason: str
    lead_owner: str
    version: int
    problems: tuple[ResponseProblem, ...] = ()

    @property
    def is_draft(self) -> bool:
        """True while it is incomplete: kept, shown as a draft, never printed as the response."""
        return bool(self.problems)

    @property
    def draft_label(self) -> str:
        """ "Draft — needs: why the rest is not agreed" (empty for a complete response)."""
        return draft_label(self.problems) if self.problems else ""


@dataclass(frozen=True)
class RecommendationView:
    """A recommendation with its response, actions and derived progress and RAG."""

    id: int
    reference: str
    text: str
    framework_id: str
    position: int
    version: int
    criteria: tuple[tuple[str, str], ...]
    #: The Board's (complete) response; None while there is none or only a draft.
    response: ResponseView | None
    action_ids: tuple[int, ...]
    progress: Fraction
    derived_rag: Rag | None
    rag_override: Rag | None
    rag_override_reason: str
    self_assessment: str | None
    internal_note: str
    #: What a secretary has typed but not completed; never the Board's response.
    draft: ResponseView | None = None
    #: The version of the stored response row (complete, draft or emptied), None if none:
    #: what the next save of the response expects.
    response_version: int | None = None
    #: The words the report prints before it ("The Probation Board should ensure that:"),
    #: "" when the report printed none.
    stem: str = ""

    @property
    def rag(self) -> Rag | None:
        """The RAG shown: the override where there is one."""
        return self.rag_override or self.derived_rag

    @property
    def stored_response(self) -> ResponseView | None:
        """The stored response, complete or draft: what the response editor shows."""
        return self.response or self.draft

    @property
    def category(self) -> str | None:
        """The response category, if the Board has responded."""
        return self.response.category if self.response else None


@dataclass(frozen=True)
class PlanView:
    """An inspection's whole response and action plan."""

    inspection_id: int
    published: date
    today: date
    recommendations: tuple[RecommendationView, ...]
    #: The statutory clock (:func:`esi_desktop.inspections.inspection_clock`).
    clock: StatutoryClock
    actions: dict[int, ActionView] = field(default_factory=dict)

    def recommendation(self, recommendation_id: int) -> RecommendationView:
        """The recommendation with this id."""
        for recommendation in self.recommendations:
            if recommendation.id == recommendation_id:
                return recommendation
        raise NotFoundError(f"Recommendation {recommendation_id} is not in this plan.")

    @property
    def owners(self) -> list[str]:
        """Every owner named in the plan, for completion while typing."""
        names = {a.owner for a in self.actions.values() if a.owner}
        names |= {r.stored_response.lead_owner for r in self.recommendations if r.stored_response}
        return sorted(n for n in names if n)


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


def _action_views(condition: Any, today: date) -> dict[int, ActionView]:
    """The actions matching a condition on :class:`Action`, in plan order, with milestones."""
    action_rows = as_dicts(Action.select().where(condition).order_by(Action.position, Action.id))
    if not action_rows:
        return {}
    links: dict[int, list[int]] = defaultdict(list)
    for action_id, recommendation_id in as_tuples(
        ActionRecommendation.select(
            ActionRecommendation.action, ActionRecommendation.recommendation
        )
        .join(Action)
        .where(condition)
        .order_by(ActionRecommendation.id)
    ):
        links[action_id].append(recommendation_id)
    action_criteria: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for action_id, framework_id, code in as_tuples(
        ActionCriterion.select(
            ActionCriterion.action, ActionCriterion.framework_id, ActionCriterion.code
        )
        .join(Action)
        .where(condition)
        .order_by(ActionCriterion.framework_id, ActionCriterion.code)
    ):
        action_criteria[action_id].append((framework_id, code))
    milestones: dict[int, list[MilestoneView]] = defaultdict(list)
    for milestone_row in as_tuples(
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
        .where(condition)
        .order_by(Milestone.position, Milestone.id)
    ):
        (milestone_id, action_id, title, due, status, completed, evidence, position, version,
         number, action_number) = milestone_row  # fmt: skip
        state = MilestoneState(due, status)
        milestones[action_id].append(
            MilestoneView(
                id=milestone_id,
                action_id=action_id,
                title=title,
                due_date=due,
                status=status,
                completed_on=completed,
                evidence=evidence,
                position=position,
                version=version,
                overdue=is_overdue(state, today),
                due_soon=is_due_soon(state, today),
                number=number,
                action_number=action_number,
            )
        )

    actions: dict[int, ActionView] = {}
    for row in action_rows:
        own = tuple(milestones.get(row["id"], ()))
        states = [MilestoneState(m.due_date, m.status) for m in own]
        view = ActionView(
            id=row["id"],
            text=row["text"],
            owner=row["owner"],
            target_date=row["target_date"],
            position=row["position"],
            version=row["version"],
            recommendation_ids=tuple(links.get(row["id"], ())),
            criteria=tuple(action_criteria.get(row["id"], ())),
            milestones=own,
            progress=action_progress(states),
            derived_rag=action_rag(states, row["target_date"], today, at_risk=bool(row["at_risk"])),
            rag_override=_rag(row["rag_override"]),
            rag_override_reason=row["rag_override_reason"],
            at_risk=bool(row["at_risk"]),
            at_risk_reason=row["at_risk_reason"],
            internal_note=row["internal_note"],
            number=row["number"],
        )
        actions[view.id] = view
    return actions


def _recommendation_views(
    condition: Any, actions: Mapping[int, ActionView], by_recommendation: Mapping[int, list[int]]
) -> list[RecommendationView]:
    """The recommendations matching a condition on :class:`Recommendation`, in plan order.

    ``by_recommendation`` lists the ids of each one's actions (in plan order), all in
    ``actions``: their progress and RAG are derived from those.
    """
    recommendation_rows = as_dicts(
        Recommendation.select().where(condition).order_by(Recommendation.position)
    )
    responses = {
        r["recommendation"]: r
        for r in as_dicts(BoardResponse.select().join(Recommendation).where(condition))
    }
    recommendation_criteria: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for recommendation_id, framework_id, code in as_tuples(
        RecommendationCriterion.select(
            RecommendationCriterion.recommendation,
            RecommendationCriterion.framework_id,
            RecommendationCriterion.code,
        )
        .join(Recommendation)
        .where(condition)
        .order_by(RecommendationCriterion.framework_id, RecommendationCriterion.code)
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
            )
        )
    return recommendations


def load_plan(*, inspection_id: int, today: date) -> PlanView:
    """Read an inspection's whole plan in a handful of queries.

    Raises:
        NotFoundError: there is no such inspection.
    """
    inspection = get_inspection(inspection_id=inspection_id)
    actions = _action_views(Action.inspection == inspection_id, today)
    by_recommendation: dict[int, list[int]] = defaultdict(list)
    for view in actions.values():
        for recommendation_id in view.recommendation_ids:
            by_recommendation[recommendation_id].append(view.id)
    recommendations = _recommendation_views(
        Recommendation.inspection == inspection_id, actions, by_recommendation
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
    return _action_views((Action.inspection == inspection_id) & Action.id.in_(ids), today)


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
    return {r.id: r for r in _recommendation_views(condition, actions, by_recommendation)}
