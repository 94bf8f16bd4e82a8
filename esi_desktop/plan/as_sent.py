"""The whole plan as it went to the Inspectorate, and every change made to it since.

Marking the plan as sent keeps it whole (:func:`plan_as_sent`, stored as JSON by
:func:`to_json`): each recommendation's response, and every action and milestone with its
reference, wording, owner and date. A Board progress paper then lists what changed since
(:func:`changes_since`): items added, items withdrawn (a deleted item is never silently
gone: it was in the plan the Inspectorate holds), wording and owners changed, responses
changed, and dates brought forward. A date moved *later* is a slip, an extension request the
Board decides (:mod:`esi_desktop.plan.extensions`); it is listed there, not here.

Items are matched by their id, which never changes; references ("AP3.2") are what the
paper prints. Internal notes are never kept: they never leave the building.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from esi_desktop.errors import EsiError
from esi_desktop.plan.read import PlanView, ResponseView
from esi_desktop.rules import MilestoneStatus
from esi_desktop.wording import ACTION, MILESTONE, long_date

#: The JSON layout's version; a later layout reads older ones or says it cannot.
FORMAT = 1

#: What kind of item a change is about, beside ACTION and MILESTONE.
RESPONSE = "response"

# What happened to an item.
ADDED = "Added"
WITHDRAWN = "Withdrawn"
REWORDED = "Reworded"
NEW_OWNER = "Owner changed"
BROUGHT_FORWARD = "Brought forward"
RELINKED = "Recommendations changed"
NEW_CRITERIA = "Criteria changed"
RESPONSE_CHANGED = "Response changed"
PART_AGREED_CHANGED = "Part agreed changed"
REASON_CHANGED = "Reason changed"
#: Completed, but on a date later than the plan as sent gave: never put to the Board as an
#: extension request (complete items are not), so said here.
COMPLETED_LATE = "Completed after a later date"


@dataclass(frozen=True)
class SentResponse:
    """The Board's response to a recommendation as sent."""

    category: str
    narrative: str
    part_agreed: str
    reason: str
    lead_owner: str


@dataclass(frozen=True)
class SentRecommendation:
    """A recommendation and the Board's response to it as sent (None: not answered)."""

    id: int
    reference: str
    response: SentResponse | None
    #: The criterion codes it was linked to ("B1", "C5"), in order.
    criteria: tuple[str, ...] = ()


@dataclass(frozen=True)
class SentMilestone:
    """A milestone as sent."""

    id: int
    reference: str
    title: str
    due: date


@dataclass(frozen=True)
class SentAction:
    """An action as sent, with its milestones."""

    id: int
    reference: str
    text: str
    owner: str
    target: date
    recommendations: tuple[str, ...]  # the references of the recommendations it answers
    milestones: tuple[SentMilestone, ...]
    #: The criterion codes it was linked to ("B1", "C5"), in order.
    criteria: tuple[str, ...] = ()


@dataclass(frozen=True)
class SentPlan:
    """The whole plan as it went to the Inspectorate."""

    recommendations: tuple[SentRecommendation, ...]
    actions: tuple[SentAction, ...]


@dataclass(frozen=True)
class PlanChange:
    """One change to the plan since it was sent, as a Board paper lists it.

    Attributes:
        kind: ACTION, MILESTONE or RESPONSE.
        reference: "AP3", "AP3.2", or the recommendation's reference for a response.
        change: what happened (ADDED, WITHDRAWN, REWORDED, ...).
        before: what the plan as sent said ("" for an added item).
        after: what the plan says now ("" for a withdrawn item).
    """

    kind: str
    reference: str
    change: str
    before: str
    after: str


# ----- taking the plan as it stands ------------------------------------------------------


def _sent_response(response: ResponseView | None) -> SentResponse | None:
    if response is None or response.category is None:
        return None
    return SentResponse(
        category=response.category,
        narrative=response.narrative,
        part_agreed=response.part_agreed,
        reason=response.reason,
        lead_owner=response.lead_owner,
    )


def plan_as_sent(plan: PlanView) -> SentPlan:
    """The plan as it stands, to keep as the plan sent (the Board's responses only, never a
    draft; no internal notes)."""
    references = {r.id: r.reference for r in plan.recommendations}
    return SentPlan(
        recommendations=tuple(
            SentRecommendation(r.id, r.reference, _sent_response(r.response), _codes(r.criteria))
            for r in plan.recommendations
        ),
        actions=tuple(
            SentAction(
                id=a.id,
                reference=a.reference,
                text=a.text,
                owner=a.owner,
                target=a.target_date,
                recommendations=tuple(references.get(i, "?") for i in a.recommendation_ids),
                milestones=tuple(
                    SentMilestone(m.id, m.reference, m.title, m.due_date) for m in a.milestones
                ),
                criteria=_codes(a.criteria),
            )
            for a in plan.actions.values()
        ),
    )


def _codes(criteria: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    return tuple(sorted({code for _framework, code in criteria}))


# ----- keeping it as JSON ----------------------------------------------------------------


def to_json(sent: SentPlan) -> str:
    """The plan as sent as JSON text: items keyed by their references, dates as ISO dates."""
    data = {
        "format": FORMAT,
        "recommendations": [
            {
                "id": r.id,
                "reference": r.reference,
                "response": None
                if r.response is None
                else {
                    "category": r.response.category,
                    "narrative": r.response.narrative,
                    "part_agreed": r.response.part_agreed,
                    "reason": r.response.reason,
                    "lead_owner": r.response.lead_owner,
                },
                "criteria": list(r.criteria),
            }
            for r in sent.recommendations
        ],
        "actions": [
            {
                "id": a.id,
                "reference": a.reference,
                "text": a.text,
                "owner": a.owner,
                "target_date": a.target.isoformat(),
                "recommendations": list(a.recommendations),
                "milestones": [
                    {
                        "id": m.id,
                        "reference": m.reference,
                        "title": m.title,
                        "due_date": m.due.isoformat(),
                    }
                    for m in a.milestones
                ],
                "criteria": list(a.criteria),
            }
            for a in sent.actions
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1)


def from_json(data: str) -> SentPlan:
    """Read back what :func:`to_json` wrote.

    Raises:
        EsiError: the text is not a plan as sent this version can read.
    """
    try:
        raw: Any = json.loads(data)
        if raw.get("format") != FORMAT:
            raise ValueError(f"format {raw.get('format')!r}")
        return SentPlan(
            recommendations=tuple(
                SentRecommendation(
                    int(r["id"]),
                    str(r["reference"]),
                    None if r["response"] is None else SentResponse(**r["response"]),
                    tuple(str(c) for c in r.get("criteria", ())),
                )
                for r in raw["recommendations"]
            ),
            actions=tuple(
                SentAction(
                    id=int(a["id"]),
                    reference=str(a["reference"]),
                    text=str(a["text"]),
                    owner=str(a["owner"]),
                    target=date.fromisoformat(a["target_date"]),
                    recommendations=tuple(str(r) for r in a["recommendations"]),
                    milestones=tuple(
                        SentMilestone(
                            int(m["id"]),
                            str(m["reference"]),
                            str(m["title"]),
                            date.fromisoformat(m["due_date"]),
                        )
                        for m in a["milestones"]
                    ),
                    criteria=tuple(str(c) for c in a.get("criteria", ())),
                )
                for a in raw["actions"]
            ),
        )
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise EsiError(
            "The record of the plan as sent cannot be read by this version of ESI Desktop "
            f"({exc}); open the database with the version that marked it sent."
        ) from exc


# ----- what changed since ----------------------------------------------------------------


def _response_words(response: SentResponse | None) -> str:
    """The whole of a response as the paper quotes it: category, how, what part, why not."""
    if response is None:
        return "No response"
    parts = [
        f"{response.category}: {response.narrative}" if response.narrative else response.category
    ]
    if response.part_agreed:
        parts.append(f"Agreed: {response.part_agreed}")
    if response.reason:
        parts.append(f"Reason: {response.reason}")
    return ". ".join(parts)


def _response_changes(
    reference: str, was: SentResponse | None, now: SentResponse | None
) -> list[PlanChange]:
    """One row per part of a response that changed; the whole response when its category
    changed (or it was answered or emptied)."""
    if was == now:
        return []
    if was is None or now is None or was.category != now.category:
        return [
            PlanChange(
                RESPONSE, reference, RESPONSE_CHANGED, _response_words(was), _response_words(now)
            )
        ]
    found: list[PlanChange] = []
    for change, before, after in (
        (REWORDED, was.narrative, now.narrative),
        (PART_AGREED_CHANGED, was.part_agreed, now.part_agreed),
        (REASON_CHANGED, was.reason, now.reason),
        (NEW_OWNER, was.lead_owner, now.lead_owner),
    ):
        if before != after:
            found.append(PlanChange(RESPONSE, reference, change, before, after))
    return found


def _ordered(references: set[str], order: dict[str, int]) -> str:
    return ", ".join(sorted(references, key=lambda r: (order.get(r, len(order)), r)))


def changes_since(sent: SentPlan, plan: PlanView) -> list[PlanChange]:
    """Every change to the plan since it was sent, in the plan's order: responses first
    (recommendations added or gone included), then each action followed by its milestones,
    then what was withdrawn.

    Dates moved later on items not yet complete are not here: they are extension requests
    (:func:`esi_desktop.plan.submission.slips`). An item completed after its date moved later
    is here (:data:`COMPLETED_LATE`): it was never put to the Board.
    """
    found: list[PlanChange] = []
    order = {r.reference: i for i, r in enumerate(plan.recommendations)}
    was_recommendations = {r.id: r for r in sent.recommendations}
    for recommendation in plan.recommendations:
        response = _sent_response(recommendation.response)
        was_recommendation = was_recommendations.get(recommendation.id)
        if was_recommendation is None:
            found.append(
                PlanChange(RESPONSE, recommendation.reference, ADDED, "", _response_words(response))
            )
            continue
        found += _response_changes(recommendation.reference, was_recommendation.response, response)
        codes = _codes(recommendation.criteria)
        if was_recommendation.criteria and was_recommendation.criteria != codes:
            found.append(
                PlanChange(
                    RESPONSE,
                    recommendation.reference,
                    NEW_CRITERIA,
                    ", ".join(was_recommendation.criteria),
                    ", ".join(codes),
                )
            )
    now_ids = {r.id for r in plan.recommendations}
    for gone in sent.recommendations:
        if gone.id not in now_ids:
            found.append(
                PlanChange(RESPONSE, gone.reference, WITHDRAWN, _response_words(gone.response), "")
            )
    now = plan_as_sent(plan)
    was_actions = {a.id: a for a in sent.actions}
    was_milestones = {m.id: m for a in sent.actions for m in a.milestones}
    for action in now.actions:
        view = plan.actions[action.id]
        was = was_actions.get(action.id)
        if was is None:
            found.append(PlanChange(ACTION, action.reference, ADDED, "", _action_words(action)))
        else:
            found += _item_changes(
                ACTION,
                action.reference,
                (was.text, action.text),
                (was.target, action.target),
                view.complete,
            )
            if was.owner != action.owner:
                found.append(
                    PlanChange(ACTION, action.reference, NEW_OWNER, was.owner, action.owner)
                )
            if set(was.recommendations) != set(action.recommendations):
                found.append(
                    PlanChange(
                        ACTION,
                        action.reference,
                        RELINKED,
                        _ordered(set(was.recommendations), order),
                        _ordered(set(action.recommendations), order),
                    )
                )
            if was.criteria and was.criteria != action.criteria:
                found.append(
                    PlanChange(
                        ACTION,
                        action.reference,
                        NEW_CRITERIA,
                        ", ".join(was.criteria),
                        ", ".join(action.criteria),
                    )
                )
        complete = {m.id: m.status == MilestoneStatus.COMPLETE for m in view.milestones}
        for milestone in action.milestones:
            was_milestone = was_milestones.get(milestone.id)
            if was_milestone is None:
                found.append(
                    PlanChange(
                        MILESTONE,
                        milestone.reference,
                        ADDED,
                        "",
                        f"{milestone.title} (due {long_date(milestone.due)})",
                    )
                )
            else:
                found += _item_changes(
                    MILESTONE,
                    milestone.reference,
                    (was_milestone.title, milestone.title),
                    (was_milestone.due, milestone.due),
                    complete[milestone.id],
                )
    now_actions = {a.id for a in now.actions}
    now_milestones = {m.id for a in now.actions for m in a.milestones}
    for action in sent.actions:
        if action.id not in now_actions:
            found.append(PlanChange(ACTION, action.reference, WITHDRAWN, _action_words(action), ""))
        for milestone in action.milestones:
            if milestone.id not in now_milestones and action.id in now_actions:
                found.append(
                    PlanChange(
                        MILESTONE,
                        milestone.reference,
                        WITHDRAWN,
                        f"{milestone.title} (due {long_date(milestone.due)})",
                        "",
                    )
                )
    return found


def _action_words(action: SentAction) -> str:
    words = f"{action.text} (owner: {action.owner or 'none'}; target {long_date(action.target)}"
    if action.milestones:
        words += f"; milestones {', '.join(m.reference or m.title for m in action.milestones)}"
    return words + ")"


def _item_changes(
    kind: str,
    reference: str,
    texts: tuple[str, str],
    dates: tuple[date, date],
    complete: bool,
) -> list[PlanChange]:
    """Rewording, a date brought forward, or completion after a date moved later."""
    (was_text, text), (was_due, due) = texts, dates
    found: list[PlanChange] = []
    if was_text != text:
        found.append(PlanChange(kind, reference, REWORDED, was_text, text))
    if due < was_due:
        found.append(
            PlanChange(kind, reference, BROUGHT_FORWARD, long_date(was_due), long_date(due))
        )
    elif due > was_due and complete:
        found.append(
            PlanChange(kind, reference, COMPLETED_LATE, long_date(was_due), long_date(due))
        )
    return found
