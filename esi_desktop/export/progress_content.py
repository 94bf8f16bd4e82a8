"""What a Board progress paper shows, read once from the database.

:func:`progress_content` runs on the caller's thread; the renderer
(:mod:`esi_desktop.export.progress`) lays the paper out with no database and no GUI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from esi_desktop.comparison import has_follow_up_results
from esi_desktop.dashboard import DueItem, overdue_items
from esi_desktop.export.parts import public_plan
from esi_desktop.export.rated_content import (
    RatedDocument,
    rated_tables,
    recommendation_addressees,
)
from esi_desktop.export.unprintable import UnprintableText, plan_parts, unprintable_texts
from esi_desktop.follow_up import FollowUpView, follow_up_comparison, get_follow_up
from esi_desktop.inspections import (
    FrameworkSummary,
    get_inspection,
    inspection_summary,
    publication_date,
    scoring_summary,
)
from esi_desktop.plan import PlanView, load_plan
from esi_desktop.plan.as_sent import PlanChange, changes_since
from esi_desktop.plan.extensions import (
    DecisionView,
    ExtensionRequest,
    extension_decisions,
    match_decisions,
)
from esi_desktop.plan.submission import (
    CompletedItem,
    PeriodStart,
    Slip,
    check_meeting_date,
    completed_between,
    latest_submission,
    period_start,
    sent_plan,
    slips,
    submitted_dates,
)
from esi_desktop.scoring import FrameworkDeltas


@dataclass(frozen=True)
class ProgressContent(RatedDocument):
    """Everything a Board progress paper shows, read once from the database."""

    area: str
    report_title: str
    published: date
    meeting_date: date
    as_at: date  # the position reported: today, or the meeting date if that is earlier
    period: PeriodStart
    plan: PlanView  # as at ``as_at``, without internal notes
    completed: tuple[CompletedItem, ...]
    overdue: tuple[DueItem, ...]  # the dashboard's rule (:func:`overdue_items`) as at ``as_at``
    slips: tuple[Slip, ...]
    #: Each slip with the Board's decision on it, if made by ``as_at`` (same order).
    requests: tuple[ExtensionRequest, ...]
    #: Every decision the Board made on an extension request before this meeting.
    decisions: tuple[DecisionView, ...]
    #: What changed since the plan was sent; None when it was not sent, or was marked sent
    #: before the whole plan was kept (only its dates are known).
    changes: tuple[PlanChange, ...] | None
    sent_on: date | None
    follow_up: FollowUpView
    follow_up_expected: str | None
    scoring: tuple[FrameworkSummary, ...]
    comparison: tuple[FrameworkDeltas, ...] | None  # only once there are follow-up results
    prepared_on: date

    @property
    def unprintable(self) -> list[UnprintableText]:
        """Characters the paper would print as empty boxes, by where they are."""
        return unprintable_texts(
            [
                (self._place_name, self.area),
                ("The report’s title", self.report_title),
                *plan_parts(self.plan, progress=True),
            ]
        )


def progress_content(*, inspection_id: int, meeting_date: date, today: date) -> ProgressContent:
    """Read a progress paper's content for the Board meeting on ``meeting_date``.

    Raises:
        NotFoundError: there is no such inspection.
        ValidationError: the meeting date is before the report was published.
    """
    inspection = get_inspection(inspection_id=inspection_id)
    published = publication_date(inspection)
    check_meeting_date(meeting_date, published=published)
    summary = inspection_summary(inspection_id=inspection_id)
    as_at = min(today, meeting_date)
    view = public_plan(load_plan(inspection_id=inspection_id, today=as_at))
    period = period_start(inspection_id=inspection_id, meeting_date=meeting_date)
    submission = latest_submission(inspection_id=inspection_id)
    found_slips = slips(view, submitted_dates(submission_id=submission.id)) if submission else []
    found_slips.sort(key=lambda s: (-s.days, s.item.due))
    # decided before this meeting: the paper for the meeting that decides still asks it
    decisions = [
        d
        for d in extension_decisions(inspection_id=inspection_id)
        if d.meeting_date < meeting_date and d.meeting_date <= as_at
    ]
    requests = (
        match_decisions(found_slips, decisions, submission_id=submission.id) if submission else []
    )
    as_sent = sent_plan(submission_id=submission.id) if submission else None
    rated = rated_tables(inspection_id=inspection_id)
    # a rated inspection's follow-up is its ratings table's (the scored comparison is for ESI)
    comparison = () if rated else tuple(follow_up_comparison(inspection_id=inspection_id))
    return ProgressContent(
        area=summary.area,
        report_title=summary.report_title,
        published=published,
        meeting_date=meeting_date,
        as_at=as_at,
        period=period,
        plan=view,
        completed=tuple(completed_between(view, period.day, as_at)),
        overdue=tuple(overdue_items(view, as_at)),
        slips=tuple(found_slips),
        requests=tuple(requests),
        decisions=tuple(decisions),
        changes=tuple(changes_since(as_sent, view)) if as_sent is not None else None,
        sent_on=submission.sent_on if submission else None,
        follow_up=get_follow_up(inspection_id=inspection_id),
        follow_up_expected=inspection.follow_up_expected,
        scoring=tuple(scoring_summary(inspection_id=inspection_id)),
        comparison=comparison if has_follow_up_results(comparison) else None,
        prepared_on=today,
        rated=rated,
        addressees=recommendation_addressees(inspection_id=inspection_id),
    )
