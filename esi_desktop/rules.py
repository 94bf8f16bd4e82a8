"""The domain's rules for tracking a plan: statuses, RAG, progress, deadlines, response categories.

Pure: no database, no Qt. "Today" is always passed in, so every rule can be tested on any date.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from esi_desktop.wording import plural


class ResponseCategory(StrEnum):
    """The Board's response to a recommendation (today's HMPPS action-plan template)."""

    AGREED = "Agreed"
    PARTLY_AGREED = "Partly agreed"
    NOT_AGREED = "Not agreed"


class MilestoneStatus(StrEnum):
    """A milestone's recorded status; Overdue and Due soon are derived, never stored."""

    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETE = "Complete"


class Rag(StrEnum):
    """Red, Amber, Green, and Blue for complete."""

    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"
    BLUE = "Blue"


class SelfAssessment(StrEnum):
    """The four-point scale inspectorates use for progress reviews."""

    NONE = "No meaningful progress"
    INSUFFICIENT = "Insufficient progress"
    REASONABLE = "Reasonable progress"
    GOOD = "Good progress"


class FollowUpStatus(StrEnum):
    """Where the follow-up inspection stands."""

    NOT_SCHEDULED = "Not yet scheduled"
    SCHEDULED = "Scheduled"
    FIELDWORK = "Fieldwork"
    REPORTED = "Reported"


#: A milestone due within this many days (and not complete) is "due soon".
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class ResponseProblem:
    """A rule a response breaks, with the field to correct.

    Attributes:
        field: the field to correct ("category", "narrative", "part_agreed", "reason").
        message: the whole sentence, for the person typing.
        needs: the short phrase of what is missing ("why the rest is not agreed"), for a
            draft's label in lists ("Draft — needs: …").
    """

    field: str
    message: str
    needs: str = ""


def response_problems(
    category: str | None, narrative: str, part_agreed: str, reason: str
) -> list[ResponseProblem]:
    """What is missing from a Board response, per DOMAIN.md's rules.

    Partly agreed must say which part is agreed and why not the rest; Not agreed must give
    the reason; Agreed must say how and when (the narrative).
    """
    problems: list[ResponseProblem] = []
    if category is None or category == "":
        return problems
    if category not in {c.value for c in ResponseCategory}:
        problems.append(
            ResponseProblem(
                "category",
                f"{category!r} is not a response category (Agreed, Partly agreed, Not agreed).",
            )
        )
        return problems
    if category == ResponseCategory.PARTLY_AGREED:
        if not part_agreed.strip():
            problems.append(
                ResponseProblem(
                    "part_agreed",
                    "A Partly agreed response must say which part of the recommendation is agreed.",
                    "which part is agreed",
                )
            )
        if not reason.strip():
            problems.append(
                ResponseProblem(
                    "reason",
                    "A Partly agreed response must say why the rest is not agreed.",
                    "why the rest is not agreed",
                )
            )
    elif category == ResponseCategory.NOT_AGREED:
        if not reason.strip():
            problems.append(
                ResponseProblem(
                    "reason", "A Not agreed response must give the reason.", "the reason"
                )
            )
    elif not narrative.strip():
        problems.append(
            ResponseProblem(
                "narrative",
                "An Agreed response must say how and when it will be implemented.",
                "how and when",
            )
        )
    return problems


def draft_problems(
    category: str | None, narrative: str, part_agreed: str, reason: str, lead_owner: str = ""
) -> list[ResponseProblem]:
    """What keeps a stored response a draft; empty when it is the Board's response.

    A response is a draft while it breaks a rule of :func:`response_problems`, or while it has
    words but no category yet (typed before choosing Agreed, Partly or Not agreed). A draft is
    kept so that nothing typed is lost, but it is never shown or printed as the Board's response.
    """
    if not category:
        typed = any(value.strip() for value in (narrative, part_agreed, reason, lead_owner))
        if not typed:
            return []
        return [
            ResponseProblem(
                "category",
                "Choose whether the Board agrees, partly agrees or does not agree.",
                "a category (Agreed, Partly agreed or Not agreed)",
            )
        ]
    return response_problems(category, narrative, part_agreed, reason)


def draft_label(problems: Sequence[ResponseProblem]) -> str:
    """How a list shows a draft: "Draft — needs: which part is agreed, why the rest …"."""
    return "Draft — needs: " + ", ".join(p.needs or p.field for p in problems)


@dataclass(frozen=True)
class MilestoneState:
    """What the rules need to know of a milestone."""

    due_date: date
    status: str


def is_overdue(milestone: MilestoneState, today: date) -> bool:
    """Due date passed and not complete."""
    return milestone.status != MilestoneStatus.COMPLETE and milestone.due_date < today


def is_due_soon(milestone: MilestoneState, today: date, *, days: int = DUE_SOON_DAYS) -> bool:
    """Due within the next 14 days (today included) and not complete.

    ``days`` is for a reminder period that looks further or nearer (a person's setting); the
    "Due soon" flag and the RAG always use the framework's :data:`DUE_SOON_DAYS`.
    """
    return (
        milestone.status != MilestoneStatus.COMPLETE
        and today <= milestone.due_date <= today + timedelta(days=days)
    )


def action_progress(milestones: Sequence[MilestoneState]) -> Fraction:
    """Complete milestones over milestones; an action with none has made no progress."""
    done = sum(1 for m in milestones if m.status == MilestoneStatus.COMPLETE)
    return progress_of(done, len(milestones))


def progress_of(complete: int, milestones: int) -> Fraction:
    """:func:`action_progress` from the counts: ``complete`` of ``milestones`` complete."""
    return Fraction(complete, milestones) if milestones else Fraction(0)


def action_rag(
    milestones: Sequence[MilestoneState],
    target_date: date,
    today: date,
    *,
    at_risk: bool = False,
) -> Rag:
    """The derived RAG of an action.

    Blue = complete; Red = anything overdue, or under 50% done and past its target date;
    Amber = due soon or marked at risk by the owner; Green otherwise.
    """
    return action_rag_of_counts(
        len(milestones),
        sum(1 for m in milestones if m.status == MilestoneStatus.COMPLETE),
        target_date,
        today,
        overdue=any(is_overdue(m, today) for m in milestones),
        due_soon=any(is_due_soon(m, today) for m in milestones),
        at_risk=at_risk,
    )


def action_rag_of_counts(
    milestones: int,
    complete: int,
    target_date: date,
    today: date,
    *,
    overdue: bool,
    due_soon: bool,
    at_risk: bool = False,
) -> Rag:
    """:func:`action_rag` from what a reader of many milestones has counted already.

    Args:
        milestones: how many milestones the action has; ``complete`` of them complete.
        overdue: any of them is overdue (:func:`is_overdue`).
        due_soon: any of them is due soon (:func:`is_due_soon` with :data:`DUE_SOON_DAYS`).
    """
    if milestones and complete == milestones:
        return Rag.BLUE
    if overdue:
        return Rag.RED
    if progress_of(complete, milestones) < Fraction(1, 2) and today > target_date:
        return Rag.RED
    if at_risk or due_soon:
        return Rag.AMBER
    return Rag.GREEN


_RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)


def recommendation_rag(action_rags: Sequence[Rag]) -> Rag | None:
    """A recommendation's RAG from its actions': the worst of them; Blue only when all are.

    None when the recommendation has no action yet.
    """
    if not action_rags:
        return None
    return min(action_rags, key=_RAG_ORDER.index)


def recommendation_progress(action_progresses: Sequence[Fraction]) -> Fraction:
    """Mean of its actions' progress (0 when there are none)."""
    if not action_progresses:
        return Fraction(0)
    # the numerators are added as integers for each denominator (a big plan's actions share
    # a few: their milestone counts), then one Fraction per denominator: the same exact sum
    # without hundreds of Fraction additions, each with its gcd, per recommendation
    numerators: dict[int, int] = {}
    for progress in action_progresses:
        denominator = progress.denominator
        numerators[denominator] = numerators.get(denominator, 0) + progress.numerator
    total = sum((Fraction(n, d) for d, n in numerators.items()), Fraction(0))
    return total / len(action_progresses)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class StatutoryClock:
    """The inspection's deadlines.

    ``response_due`` is None while no deadline is set: the framework fixes none (a youth
    justice inspection) and the Board has not yet agreed its date.
    """

    published: date
    response_due: date | None
    implementation_due: date


def statutory_clock(
    year: int,
    month: int,
    day: int | None = None,
    *,
    response_months: int = 3,
    implementation_months: int = 12,
) -> StatutoryClock:
    """Deadlines from the publication date.

    With only the month known (the report prints "January 2005"), publication is taken as
    the first of the month: the earliest reading, so no deadline is ever shown later than
    it may be.
    """
    published = date(year, month, day or 1)
    return StatutoryClock(
        published,
        add_months(published, response_months),
        add_months(published, implementation_months),
    )


def days_left(deadline: date, today: date) -> str:
    """ "12 days left", "due today", "3 days overdue"."""
    delta = (deadline - today).days
    if delta == 0:
        return "due today"
    if delta > 0:
        return f"{plural(delta, 'day')} left"
    return f"{plural(-delta, 'day')} overdue"


def last_meeting_before(meetings: Sequence[date], deadline: date) -> date | None:
    """The last Board meeting on or before a deadline (where the plan must be approved)."""
    earlier = [m for m in meetings if m <= deadline]
    return max(earlier) if earlier else None
