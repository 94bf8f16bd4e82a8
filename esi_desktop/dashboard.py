"""The dashboard read model: one inspection at a glance, as of one day.

:func:`load_dashboard` gathers what the Dashboard view and ``main.py status`` show: the
statutory clock with the time left, the Board meetings and the one that must approve the plan,
the RAG counts, the overdue and due-soon items, and the scores, baseline against follow-up.
:func:`overdue_items` is the one rule of what is overdue, which the Board progress paper uses
too, so screen and paper always list the same items (DOMAIN.md): a milestone past its due date
and not complete, and an action past its target date and not complete, whether or not it has
milestones. ``main.py status`` prints it (:mod:`esi_desktop.cli.status`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from esi_desktop.comparison import ComparisonRow, has_follow_up_results, score_rows
from esi_desktop.dashboard_clock import Clock, Deadline, FollowUpLine
from esi_desktop.follow_up import follow_up_comparison, latest_round
from esi_desktop.frameworks import get_framework
from esi_desktop.inspections import (
    InspectionSummary,
    get_inspection,
    inspection_clock,
    inspection_summary,
)
from esi_desktop.plan import ActionView, MilestoneView, PlanView, board_meetings, load_plan
from esi_desktop.plan.fetch import BIG_PLAN_ACTIONS, gc_paused
from esi_desktop.plan.items import PlanItem
from esi_desktop.plan.views import direct_maker
from esi_desktop.rules import (
    DUE_SOON_DAYS,
    MilestoneStatus,
    Rag,
    last_meeting_before,
)
from esi_desktop.wording import ACTION, MILESTONE, long_date, plural

if TYPE_CHECKING:
    from esi_desktop.rated_follow_up import RatedComparison

#: The reminder of an inspection whose response deadline is not set yet (the framework fixes
#: none, and the Board has not agreed its date): never overdue, always to do.
SET_RESPONSE_DATE = "Set the date the Board agreed to send its response"

#: The RAGs in the order the dashboard counts them.
RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)


# ----- RAG counts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RagCounts:
    """How many actions and recommendations have each RAG, and what the plan still lacks.

    Attributes:
        drafts: (reference, what it needs) of each recommendation with only a draft response.
    """

    actions: dict[Rag, int]
    recommendations: dict[Rag, int]
    recommendation_count: int
    without_action: int
    without_response: int
    drafts: tuple[tuple[str, str], ...]

    def actions_text(self) -> str:
        """ "1 Red · 1 Amber · 1 Green · 1 Blue"."""
        return " · ".join(f"{self.actions[rag]} {rag.value}" for rag in RAG_ORDER)

    def recommendations_text(self) -> str:
        """ "15 recommendations: 1 Red · … · 11 with no action yet · 15 with no response yet"."""
        by_rag = " · ".join(f"{self.recommendations[rag]} {rag.value}" for rag in RAG_ORDER)
        text = (
            f"{plural(self.recommendation_count, 'recommendation')}: {by_rag} · "
            f"{self.without_action} with no action yet · "
            f"{self.without_response} with no response yet"
        )
        if self.drafts:
            # a draft is not the Board's response: say so, and what each still needs
            needs = "; ".join(f"{reference}: {what}" for reference, what in self.drafts)
            text += f" · {plural(len(self.drafts), 'draft response')} ({needs})"
        return text


def rag_counts(plan: PlanView) -> RagCounts:
    """The RAG counts of a plan (the RAG shown: an override where there is one)."""
    recommendations = plan.recommendations
    return RagCounts(
        actions={rag: sum(1 for a in plan.actions.values() if a.rag == rag) for rag in RAG_ORDER},
        recommendations={rag: sum(1 for r in recommendations if r.rag == rag) for rag in RAG_ORDER},
        recommendation_count=len(recommendations),
        without_action=sum(1 for r in recommendations if not r.action_ids),
        without_response=sum(1 for r in recommendations if r.category is None and r.draft is None),
        drafts=tuple(
            (r.reference, r.draft.draft_label.removeprefix("Draft — "))
            for r in recommendations
            if r.draft is not None
        ),
    )


# ----- overdue and due soon -----------------------------------------------------------------


def due_flag(due: date, today: date) -> str:
    """ "Overdue (12 days)", "Due soon (in 5 days)", "Due soon (today)", "Due in 20 days".

    "Due soon" is the framework's flag (:data:`DUE_SOON_DAYS`); an item further off, listed
    because a person's reminder period looks further ahead, is only "Due in N days".
    """
    delta = (due - today).days
    if delta < 0:
        return f"Overdue ({plural(-delta, 'day')})"
    if delta == 0:
        return "Due soon (today)"
    if delta > DUE_SOON_DAYS:
        return f"Due in {plural(delta, 'day')}"
    return f"Due soon (in {plural(delta, 'day')})"


@dataclass(frozen=True)
class DueItem(PlanItem):
    """An action or a milestone that is overdue or due soon: a :class:`PlanItem` (so a
    progress paper names it the same way) with what the Dashboard and the paper say of it.

    Attributes:
        action_text: the text of the action (of the milestone's action).
        status: a milestone's status; for an action "2 of 3 milestones complete" or
            "No milestones".
        today: the day it is late or due soon on.
    """

    action_text: str
    status: str
    today: date
    #: The reference of the action ("AP3"; the milestone's action's for a milestone).
    action_reference: str = field(default="", kw_only=True)

    @property
    def labelled_text(self) -> str:
        """ "AP3.2 Audit tool agreed": the item's reference, then its words."""
        return f"{self.reference} {self.text}" if self.reference else self.text

    @property
    def labelled_action(self) -> str:
        """ "AP3 Audit risk assessments": the action's reference, then its words."""
        return (
            f"{self.action_reference} {self.action_text}"
            if self.action_reference
            else (self.action_text)
        )

    @property
    def overdue(self) -> bool:
        """Past its date (else it is due soon, or listed by a longer reminder period)."""
        return self.due < self.today

    @property
    def urgency(self) -> Rag | None:
        """Red when overdue, Amber when due soon (the framework's 14 days), else None."""
        if self.overdue:
            return Rag.RED
        return Rag.AMBER if (self.due - self.today).days <= DUE_SOON_DAYS else None

    @property
    def days_overdue(self) -> int:
        """How many days past its date (0 when not overdue)."""
        return max(0, (self.today - self.due).days)

    @property
    def flag(self) -> str:
        """ "Overdue (12 days)", "Due soon (in 5 days)", "Due soon (today)"."""
        return due_flag(self.due, self.today)


def _action_item(action: ActionView, today: date) -> DueItem:
    done = sum(1 for m in action.milestones if m.status == MilestoneStatus.COMPLETE)
    status = (
        f"{done} of {len(action.milestones)} milestones complete"
        if action.milestones
        else "No milestones"
    )
    return DueItem(
        ACTION,
        action.id,
        action.id,
        action.text,
        action.owner,
        action.recommendation_ids,
        action.target_date,
        action.text,
        status,
        today,
        reference=action.reference,
        action_reference=action.reference,
    )


_due_item = direct_maker(DueItem)  # DueItem(...) made faster: a big plan has thousands late


def _milestone_item(
    action: ActionView, milestone: MilestoneView, today: date, action_reference: str | None = None
) -> DueItem:
    """The item of a milestone; ``action_reference`` is its action's, when known already."""
    return _due_item(
        kind=MILESTONE,
        id=milestone.id,
        action_id=action.id,
        text=milestone.title,
        owner=action.owner,
        recommendation_ids=action.recommendation_ids,
        due=milestone.due_date,
        action_text=action.text,
        status=milestone.status,
        today=today,
        reference=milestone.reference,
        action_reference=action.reference if action_reference is None else action_reference,
    )


def _by_date(item: DueItem) -> tuple[date, int, bool]:
    """Earliest first; an action before its milestones on the same day."""
    return (item.due, item.action_id, item.kind != ACTION)


def overdue_items(plan: PlanView, today: date) -> list[DueItem]:
    """What is overdue on ``today``: the one rule for the dashboard and the progress paper.

    A milestone past its due date and not complete; an action past its target date and not
    complete (all its milestones complete), whether or not it has milestones. Earliest first,
    an action before its milestones on the same day. Worked out once per plan read and day.
    """
    return list(plan.remembered(("overdue", today), lambda: tuple(_overdue(plan, today))))


def _overdue(plan: PlanView, today: date) -> list[DueItem]:
    found: list[DueItem] = []
    complete = MilestoneStatus.COMPLETE.value
    with gc_paused(len(plan.actions) >= BIG_PLAN_ACTIONS):
        for action in plan.actions.values():
            if action.target_date < today and not action.complete:
                found.append(_action_item(action, today))
            reference = None
            for milestone in action.milestones:
                # is_overdue (esi_desktop.rules), inlined: it runs once per milestone
                if milestone.due_date < today and milestone.status != complete:
                    if reference is None:
                        reference = action.reference
                    found.append(_milestone_item(action, milestone, today, reference))
        found.sort(key=_by_date)
    return found


def due_soon_items(
    plan: PlanView, today: date, *, due_soon_days: int = DUE_SOON_DAYS
) -> list[DueItem]:
    """Milestones due within ``due_soon_days`` days (today included) and not complete."""
    key = ("due soon", today, due_soon_days)  # once per plan read, as overdue_items
    return list(plan.remembered(key, lambda: tuple(_due_soon(plan, today, due_soon_days))))


def _due_soon(plan: PlanView, today: date, due_soon_days: int) -> list[DueItem]:
    found: list[DueItem] = []
    complete = MilestoneStatus.COMPLETE.value
    last = today + timedelta(days=due_soon_days)
    with gc_paused(len(plan.actions) >= BIG_PLAN_ACTIONS):
        for action in plan.actions.values():
            reference = None
            for milestone in action.milestones:
                # is_due_soon (esi_desktop.rules), inlined: it runs once per milestone
                if today <= milestone.due_date <= last and milestone.status != complete:
                    if reference is None:
                        reference = action.reference
                    found.append(_milestone_item(action, milestone, today, reference))
        found.sort(key=_by_date)
    return found


# ----- the dashboard ------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreTable:
    """One framework's scores, baseline against follow-up: each section's, then the overall."""

    framework_id: str
    title: str
    rows: tuple[ComparisonRow, ...]


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard shows of one inspection as of one day."""

    inspection: InspectionSummary
    today: date
    clock: Clock
    meetings: tuple[date, ...]
    #: The last Board meeting on or before the response is due: it must approve the plan.
    approval_meeting: date | None
    rag: RagCounts
    overdue: tuple[DueItem, ...]
    due_soon: tuple[DueItem, ...]
    due_soon_days: int
    #: The scored frameworks' scores, baseline against the first follow-up.
    scores: tuple[ScoreTable, ...]
    has_follow_up_results: bool
    #: The rated frameworks' ratings, totals and overall ratings: the inspection's
    #: (``before``) against the first follow-up's (``after``); empty for an ESI inspection.
    rated: tuple[RatedComparison, ...] = ()

    @property
    def to_do(self) -> tuple[str, ...]:
        """Reminders that are no plan item: :data:`SET_RESPONSE_DATE` while no response
        deadline is set."""
        return (SET_RESPONSE_DATE,) if self.clock.response_due is None else ()

    @property
    def late_items(self) -> tuple[DueItem, ...]:
        """The overdue items, then those due soon."""
        return self.overdue + self.due_soon

    @property
    def approval_text(self) -> str:
        """Where the plan must be approved, or that no meeting is entered in time."""
        if self.clock.response_due is None:
            return (
                "No date is set yet for the response: set the date the Board agreed to send "
                "its response in the inspection record; the plan is approved at the last Board "
                "meeting before it."
            )
        due = long_date(self.clock.response_due.due)
        if self.approval_meeting is None:
            return (
                f"No Board meeting is entered on or before {due}, when the response is due: "
                "add the meeting that will approve the plan."
            )
        return (
            f"The plan must be approved at the Board meeting on "
            f"{long_date(self.approval_meeting)}, the last before the response is due on {due}."
        )


def load_dashboard(
    *,
    inspection_id: int,
    today: date,
    plan: PlanView | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
) -> Dashboard:
    """Read the dashboard of an inspection as of ``today``.

    Args:
        plan: the inspection's plan as of ``today`` when the caller has it already read.
        due_soon_days: how far ahead the list of what falls due looks (the reminder
            period); the "Due soon" flag and the RAG stay at :data:`DUE_SOON_DAYS`.

    Raises:
        NotFoundError: there is no such inspection.
    """
    inspection = get_inspection(inspection_id=inspection_id)
    if plan is None:
        plan = load_plan(inspection_id=inspection_id, today=today)
    statutory = inspection_clock(inspection)
    follow_up = latest_round(inspection_id=inspection_id)  # the visit the Board awaits
    clock = Clock(
        published=statutory.published,
        published_text=statutory.published_text,
        response_due=(
            None if statutory.response_due is None else Deadline(statutory.response_due, today)
        ),
        response_basis=statutory.response_basis,
        implementation_due=Deadline(statutory.implementation_due, today),
        follow_up=FollowUpLine(
            follow_up.planned_date,
            follow_up.status,
            (inspection.follow_up_expected or "").strip(),
            today,
            round=follow_up.round,
            kind=follow_up.kind,
        ),
    )
    meetings = board_meetings(inspection_id=inspection_id)
    comparisons = follow_up_comparison(inspection_id=inspection_id)
    rated: tuple[RatedComparison, ...] = ()  # an ESI inspection: no frameworks read again
    if any(get_framework(c.framework_id).is_rated for c in comparisons):
        from esi_desktop.rated_follow_up import rated_comparison  # an ESI start-up: not loaded

        rated = tuple(rated_comparison(inspection_id=inspection_id))
    return Dashboard(
        inspection=inspection_summary(inspection_id=inspection_id),
        today=today,
        clock=clock,
        meetings=tuple(meetings),
        approval_meeting=(
            None
            if statutory.response_due is None
            else last_meeting_before(meetings, statutory.response_due)
        ),
        rag=rag_counts(plan),
        overdue=tuple(overdue_items(plan, today)),
        due_soon=tuple(due_soon_items(plan, today, due_soon_days=due_soon_days)),
        due_soon_days=due_soon_days,
        scores=tuple(
            ScoreTable(c.framework_id, framework.title, tuple(score_rows(c)))
            for c in comparisons
            if not (framework := get_framework(c.framework_id)).is_rated
        ),
        has_follow_up_results=has_follow_up_results(comparisons),
        rated=rated,
    )
