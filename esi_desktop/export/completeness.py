"""What a response and action plan still lacks before the Board can approve and send it.

The one place that decides whether the response document is complete: the PDF marks itself
DRAFT and lists these on its cover, the command line prints them as warnings, and the window
shows them before exporting.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from esi_desktop.inspections import InspectionClock
from esi_desktop.plan import ActionView, PlanView, RecommendationView
from esi_desktop.rules import ResponseCategory
from esi_desktop.wording import shorten

#: How much of an action's text names it in a sentence.
ACTION_TEXT_LIMIT = 60


class Gap(StrEnum):
    """The kinds of thing a response and action plan can lack."""

    NO_RESPONSE = "no response"
    DRAFT_RESPONSE = "draft response"
    NO_ACTIONS = "no actions"
    NO_OWNER = "no owner"
    NO_TARGET_DATE = "no target date"
    NO_DEADLINE = "no response deadline"


#: What a response whose deadline is not set yet lacks (a rated framework fixes none).
#: Worded for the cover a Board member reads as well as for the window and the command line.
NO_DEADLINE_MESSAGE = (
    "The response deadline is not set yet: the Board agrees the date it sends its response."
)


@dataclass(frozen=True)
class MissingItem:
    """One thing missing, as a sentence that names the item by its reference.

    Attributes:
        reference: the recommendation it belongs to ("7"); for an action, the first
            recommendation it serves ("" if it serves none).
        gap: what kind of thing is missing.
        message: the sentence for the person: "Recommendation 3 has no response yet."
        action_id: the action at fault, for the action gaps.
    """

    reference: str
    gap: Gap
    message: str
    action_id: int | None = None

    def __str__(self) -> str:
        return self.message


def missing_items(plan: PlanView, clock: InspectionClock | None = None) -> list[MissingItem]:
    """Everything the response and action plan lacks, in the order of the recommendations.

    First the response deadline when ``clock`` says none is set yet (a framework that fixes
    none, and the Board has not agreed its date): the document cannot say when it is due,
    so it is not ready to send. Then each recommendation needs the Board's complete
    response (a draft does not count); an agreed or partly agreed one needs at least one
    action, since the action plan is how it is carried out; every action needs an owner and
    a target date. An action serving several recommendations is named once, under the
    first of them.
    """
    missing: list[MissingItem] = []
    if clock is not None and clock.needs_agreed_date:
        missing.append(MissingItem("", Gap.NO_DEADLINE, NO_DEADLINE_MESSAGE))
    named: set[int] = set()
    references = {r.id: r.reference for r in plan.recommendations}
    for recommendation in plan.recommendations:
        missing += _response_gaps(recommendation)
        for action_id in recommendation.action_ids:
            if action_id not in named:
                named.add(action_id)
                missing += _action_gaps(plan.actions[action_id], references)
    for action in plan.actions.values():  # an action serving no recommendation at all
        if action.id not in named:
            missing += _action_gaps(action, references)
    return missing


def _response_gaps(recommendation: RecommendationView) -> list[MissingItem]:
    reference = recommendation.reference
    name = f"Recommendation {reference}"
    if recommendation.draft is not None:
        label = recommendation.draft.draft_label  # "Draft — needs: …", worded in one place
        return [
            MissingItem(
                reference,
                Gap.DRAFT_RESPONSE,
                f"{name}’s response is a {label[:1].lower()}{label[1:]}.",
            )
        ]
    if recommendation.response is None:
        return [MissingItem(reference, Gap.NO_RESPONSE, f"{name} has no response yet.")]
    category = recommendation.response.category
    needs_actions = category in (ResponseCategory.AGREED, ResponseCategory.PARTLY_AGREED)
    if needs_actions and not recommendation.action_ids:
        return [
            MissingItem(
                reference,
                Gap.NO_ACTIONS,
                f"{name} is {str(category).lower()} but has no actions yet.",
            )
        ]
    return []


def _action_gaps(action: ActionView, references: dict[int, str]) -> list[MissingItem]:
    served = [references[i] for i in action.recommendation_ids if i in references]
    reference = served[0] if served else ""
    name = f"Action “{shorten(action.text, ACTION_TEXT_LIMIT)}”"
    if served:
        noun = "recommendation" if len(served) == 1 else "recommendations"
        listed = served[0] if len(served) == 1 else f"{', '.join(served[:-1])} and {served[-1]}"
        name += f" ({noun} {listed})"
    gaps: list[MissingItem] = []
    if not action.owner.strip():
        gaps.append(MissingItem(reference, Gap.NO_OWNER, f"{name} has no owner.", action.id))
    # the database insists on a date; a plan read from elsewhere may still lack one
    if action.target_date is None:
        gaps.append(
            MissingItem(reference, Gap.NO_TARGET_DATE, f"{name} has no target date.", action.id)
        )
    return gaps
