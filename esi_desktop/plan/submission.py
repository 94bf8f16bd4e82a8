"""The plan as sent to the Inspectorate, what Board progress papers list, and saving PDFs safely.

Marking the plan as sent keeps the whole plan as it went (:mod:`esi_desktop.plan.as_sent`,
stored as JSON) and records every action's target date and every milestone's due date as
they stand; a later date beyond the recorded one is a slip, which a progress paper puts to
the Board as an extension request (:mod:`esi_desktop.plan.extensions` records its decision).
Marking a plan with no actions or with recommendations not answered is refused unless the
caller has shown the warnings (:func:`sending_warnings`) and the user went on.

The listing functions (:func:`slips`, :func:`completed_between`) are pure, over a
:class:`~esi_desktop.plan.PlanView` the paper reads once; what is overdue is
the dashboard's one rule, :func:`esi_desktop.dashboard.overdue_items`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import peewee

from db.models import (
    ExtensionDecision,
    PlanSubmission,
    SubmittedDate,
    as_tuples,
    database_proxy,
    utc_now,
)
from esi_desktop import audit
from esi_desktop.errors import EsiError, NotFoundError, ValidationError
from esi_desktop.files import PDF, check_output_path, write_atomically
from esi_desktop.inspections import get_inspection, publication_date
from esi_desktop.plan import ActionView, PlanView, Snapshot, board_meetings, load_plan
from esi_desktop.plan.as_sent import SentPlan, from_json, plan_as_sent, to_json
from esi_desktop.plan.items import PlanItem
from esi_desktop.rules import MilestoneStatus, ResponseCategory
from esi_desktop.versioned import snapshot_of
from esi_desktop.wording import ACTION, MILESTONE, long_date, month_year, plural

#: An item of the plan by kind ("action" or "milestone") and id.
ItemKey = tuple[str, int]


# ----- marking the plan as sent ------------------------------------------------------------


@dataclass(frozen=True)
class SubmissionView:
    """A record of the plan as sent."""

    id: int
    inspection_id: int
    sent_on: date
    actions: int
    milestones: int


def check_sent_on(sent_on: object, *, published: date, today: date) -> None:
    """Refuse a date the plan cannot have been sent on (the window asks before it is typed in).

    Raises:
        ValidationError: the date is not a date, is before publication or is in the future.
    """
    if not isinstance(sent_on, date):
        raise ValidationError("The date sent must be a date such as 12/04/2005.", "sent_on")
    if sent_on < published:
        raise ValidationError(
            f"The date sent, {sent_on:%d/%m/%Y}, is before the report was published "
            f"({month_year(published)}); choose a later date.",
            "sent_on",
        )
    if sent_on > today:
        raise ValidationError(
            f"The date sent, {sent_on:%d/%m/%Y}, is in the future; mark the plan as sent on "
            "the day it goes to the Inspectorate.",
            "sent_on",
        )


class SendingWarnings(EsiError):
    """Marking the plan as sent was refused: it has gaps the user has not yet been shown.

    Attributes:
        warnings: one sentence per gap (:func:`sending_warnings`).
    """

    def __init__(self, warnings: list[str]) -> None:
        super().__init__(
            "The plan was not marked as sent: "
            + " ".join(warnings)
            + " Mark it as sent anyway only if this is the plan the Inspectorate received."
        )
        self.warnings = warnings


def _listed(references: list[str]) -> str:
    if len(references) == 1:
        return references[0]
    return f"{', '.join(references[:-1])} and {references[-1]}"


def plan_warnings(plan: PlanView) -> list[str]:
    """What is missing from a plan about to be sent, one sentence each; empty when nothing is.

    A plan with no actions; recommendations with no response from the Board (a draft is not
    one); recommendations agreed or partly agreed with no action.
    """
    found: list[str] = []
    if not plan.actions:
        found.append(
            "The plan has no actions: the Inspectorate expects an action plan with the response."
        )
    unanswered = [r.reference for r in plan.recommendations if r.response is None]
    if unanswered:
        drafts = sum(1 for r in plan.recommendations if r.response is None and r.draft)
        draft_note = f" ({plural(drafts, 'is only a draft', 'are only drafts')})" if drafts else ""
        found.append(
            f"{len(unanswered)} of {len(plan.recommendations)} recommendations "
            f"{'has' if len(unanswered) == 1 else 'have'} no response from the Board"
            f"{draft_note}: {_listed(unanswered)}."
        )
    agreed = (ResponseCategory.AGREED, ResponseCategory.PARTLY_AGREED)
    without_action = [
        r.reference for r in plan.recommendations if r.category in agreed and not r.action_ids
    ]
    if without_action:
        found.append(
            f"{'Recommendation' if len(without_action) == 1 else 'Recommendations'} "
            f"{_listed(without_action)} {'is' if len(without_action) == 1 else 'are'} "
            f"agreed but {'has' if len(without_action) == 1 else 'have'} no action."
        )
    return found


def sending_warnings(*, inspection_id: int, today: date) -> list[str]:
    """What is missing from the inspection's plan (see :func:`plan_warnings`).

    Raises:
        NotFoundError: there is no such inspection.
    """
    return plan_warnings(load_plan(inspection_id=inspection_id, today=today))


def mark_plan_sent(*, inspection_id: int, sent_on: date, today: date, force: bool = False) -> int:
    """Record the plan as sent to the Inspectorate on ``sent_on``: the whole plan as it went
    (:mod:`esi_desktop.plan.as_sent`) and every date it holds.

    Marking it again (a revised plan was sent) keeps the earlier record; slips and changes
    are measured from the latest.

    Args:
        force: mark it even when :func:`sending_warnings` finds gaps (the user was shown
            them and went on).

    Returns:
        The new submission's id.

    Raises:
        NotFoundError: there is no such inspection.
        ValidationError: the date is not a date, is before publication or is in the future.
        SendingWarnings: the plan has gaps and ``force`` is false; nothing was recorded.
    """
    inspection = get_inspection(inspection_id=inspection_id)
    check_sent_on(sent_on, published=publication_date(inspection), today=today)
    with database_proxy.atomic():
        plan = load_plan(inspection_id=inspection_id, today=today)
        warnings = plan_warnings(plan)
        if warnings and not force:
            raise SendingWarnings(warnings)
        submission = PlanSubmission.create(
            inspection=inspection_id, sent_on=sent_on, plan_json=to_json(plan_as_sent(plan))
        )
        rows: list[dict[str, object]] = []
        for action in plan.actions.values():
            rows.append(
                _submitted_row(submission.id, ACTION, action.id, action.text, action.target_date)
            )
            for m in action.milestones:
                rows.append(_submitted_row(submission.id, MILESTONE, m.id, m.title, m.due_date))
        for start in range(0, len(rows), 200):  # SQLite caps the variables of one statement
            SubmittedDate.insert_many(rows[start : start + 200]).execute()
        recorded = [("submitted_date", row) for row in rows]
        audit.record(
            audit.row_entries([("plan_submission", submission.__data__), *recorded], audit.CREATE)
        )
    return int(submission.id)


def sent_plan(*, submission_id: int) -> SentPlan | None:
    """The whole plan as a record of it sent holds it; None for one marked sent before
    version 6 kept the whole plan (only its dates were kept).

    Raises:
        EsiError: the record cannot be read by this version.
    """
    data = (
        PlanSubmission.select(PlanSubmission.plan_json)
        .where(PlanSubmission.id == submission_id)
        .scalar()
    )
    return from_json(data) if data else None


def _submitted_row(
    submission_id: int, kind: str, item_id: int, title: str, due: date
) -> dict[str, object]:
    now = utc_now()
    return {
        "submission": submission_id,
        "item_kind": kind,
        "item_id": item_id,
        "title": title,
        "due_date": due,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }


def withdraw_submission(*, submission_id: int) -> Snapshot:
    """Forget a record of the plan as sent (the undo of marking it).

    Returns:
        A snapshot that :func:`esi_desktop.plan.restore` puts back exactly.

    Raises:
        NotFoundError: the record was deleted in the meantime.
    """
    with database_proxy.atomic():
        submission = PlanSubmission.get_or_none(PlanSubmission.id == submission_id)
        if submission is None:
            raise NotFoundError("That record of the plan as sent was deleted in the meantime.")
        dates = list(SubmittedDate.select().where(SubmittedDate.submission == submission_id))
        decisions = list(
            ExtensionDecision.select().where(ExtensionDecision.submission == submission_id)
        )
        snapshot = snapshot_of([submission, *dates, *decisions])
        submission.delete_instance()  # the schema cascades to its dates and decisions
        audit.record(audit.row_entries(snapshot.rows, audit.DELETE))
    return snapshot


def latest_submission(*, inspection_id: int) -> SubmissionView | None:
    """The latest record of the plan as sent, or None when it has not been sent."""
    row = (
        PlanSubmission.select()
        .where(PlanSubmission.inspection == inspection_id)
        .order_by(PlanSubmission.sent_on.desc(), PlanSubmission.id.desc())
        .first()
    )
    if row is None:
        return None
    counts = dict(
        as_tuples(
            SubmittedDate.select(SubmittedDate.item_kind, peewee.fn.COUNT(SubmittedDate.id))
            .where(SubmittedDate.submission == row.id)
            .group_by(SubmittedDate.item_kind)
        )
    )
    return SubmissionView(
        id=row.id,
        inspection_id=inspection_id,
        sent_on=row.sent_on,
        actions=int(counts.get(ACTION, 0)),
        milestones=int(counts.get(MILESTONE, 0)),
    )


def submitted_dates(*, submission_id: int) -> dict[ItemKey, date]:
    """Every date of a plan as sent, by (kind, id)."""
    return {
        (kind, item_id): due
        for kind, item_id, due in as_tuples(
            SubmittedDate.select(
                SubmittedDate.item_kind, SubmittedDate.item_id, SubmittedDate.due_date
            ).where(SubmittedDate.submission == submission_id)
        )
    }


# ----- what a progress paper lists ---------------------------------------------------------


@dataclass(frozen=True)
class Slip:
    """An item whose date moved later than in the plan as sent: an extension request."""

    item: PlanItem
    submitted: date

    @property
    def days(self) -> int:
        """How many days later than the plan as sent."""
        return (self.item.due - self.submitted).days


@dataclass(frozen=True)
class CompletedItem:
    """An item completed within a period."""

    item: PlanItem
    completed_on: date
    evidence: str


def _action_item(action: ActionView) -> PlanItem:
    return PlanItem(
        ACTION,
        action.id,
        action.id,
        action.text,
        action.owner,
        action.recommendation_ids,
        action.target_date,
        reference=action.reference,
    )


def _milestone_items(action: ActionView) -> list[tuple[PlanItem, str, date | None, str]]:
    return [
        (
            PlanItem(
                MILESTONE,
                m.id,
                action.id,
                m.title,
                action.owner,
                action.recommendation_ids,
                m.due_date,
                reference=m.reference,
            ),
            m.status,
            m.completed_on,
            m.evidence,
        )
        for m in action.milestones
    ]


def slips(plan: PlanView, submitted: Mapping[ItemKey, date]) -> list[Slip]:
    """Items not yet complete whose date is later than in the plan as sent, in the plan's
    order (a progress paper lists them latest slip first).

    Items added since the plan was sent have no recorded date and are not slips.
    """
    found: list[Slip] = []
    for action in plan.actions.values():
        sent = submitted.get((ACTION, action.id))
        if sent is not None and action.target_date > sent and not action.complete:
            found.append(Slip(_action_item(action), sent))
        for item, status, _completed, _evidence in _milestone_items(action):
            sent = submitted.get((MILESTONE, item.id))
            if sent is not None and item.due > sent and status != MilestoneStatus.COMPLETE:
                found.append(Slip(item, sent))
    return found


def completed_between(plan: PlanView, start: date, end: date) -> list[CompletedItem]:
    """Milestones completed after ``start`` up to ``end``, and actions they completed.

    An action is complete when all its milestones are; it counts on its last completion date.
    """
    found: list[CompletedItem] = []
    for action in plan.actions.values():
        for item, status, completed, evidence in _milestone_items(action):
            if status == MilestoneStatus.COMPLETE and completed and start < completed <= end:
                found.append(CompletedItem(item, completed, evidence))
        if action.complete:
            days = [m.completed_on for m in action.milestones if m.completed_on is not None]
            if days and start < max(days) <= end:
                found.append(CompletedItem(_action_item(action), max(days), ""))
    found.sort(key=lambda c: (c.completed_on, c.item.action_id, c.item.kind != ACTION))
    return found


@dataclass(frozen=True)
class PeriodStart:
    """Where "since the previous meeting" starts, and how a paper names it."""

    day: date
    description: str  # "the Board meeting of 24 March 2005"


def check_meeting_date(meeting_date: date, *, published: date) -> None:
    """Refuse a Board meeting a progress paper cannot be for.

    Raises:
        ValidationError: the meeting is before the report was published.
    """
    if meeting_date < published:
        raise ValidationError(
            f"The Board meeting date {meeting_date:%d/%m/%Y} is before the report was "
            f"published ({month_year(published)}); choose a later date.",
            "meeting_date",
        )


def period_start(*, inspection_id: int, meeting_date: date) -> PeriodStart:
    """The previous Board meeting before ``meeting_date``; else the day the plan was sent;
    else publication."""
    earlier = [m for m in board_meetings(inspection_id=inspection_id) if m < meeting_date]
    if earlier:
        return PeriodStart(max(earlier), f"the Board meeting of {long_date(max(earlier))}")
    submission = latest_submission(inspection_id=inspection_id)
    if submission is not None and submission.sent_on < meeting_date:
        return PeriodStart(
            submission.sent_on,
            f"the plan was sent to the Inspectorate on {long_date(submission.sent_on)}",
        )
    published = publication_date(get_inspection(inspection_id=inspection_id))
    return PeriodStart(
        published,
        f"the report was published in {month_year(published)}",
    )


# ----- writing a PDF -----------------------------------------------------------------------


def check_pdf_path(path: Path, *, force: bool = False, keep: Iterable[Path] = ()) -> Path:
    """Refuse at once a path a PDF must not be saved to (before a long rendering).

    See :func:`esi_desktop.files.check_output_path`.

    Returns:
        The file to write (a symbolic link's target).

    Raises:
        OtherKindOfFile: the file there is not a PDF, and ``force`` is false.
        EsiError: the folder does not exist; the path is a folder, too long, read-only or
            the database in use.
    """
    return check_output_path(path, kind=PDF, force=force, keep=keep)


def write_pdf_atomically(
    path: Path, data: bytes, *, force: bool = False, keep: Iterable[Path] = ()
) -> Path:
    """Write a PDF whole or not at all (see :func:`esi_desktop.files.write_atomically`).

    Returns:
        The file written (a symbolic link's target).

    Raises:
        OtherKindOfFile: the file there is not a PDF, and ``force`` is false.
        EsiError: the folder is missing or not writable, the file is the database in use,
            read-only or open in a PDF viewer, or the disk is full; the sentence names the
            path and what to do.
    """
    return write_atomically(path, data, kind=PDF, force=force, keep=keep)
