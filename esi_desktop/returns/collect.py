"""What goes in each owner's progress return: their open actions and milestones, from the plan
without its internal notes, and the day to return it by."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from esi_desktop.dashboard import overdue_items
from esi_desktop.export.parts import action_status, public_plan
from esi_desktop.inspections import inspection_summary
from esi_desktop.plan import ActionView, PlanView, board_meetings, load_plan
from esi_desktop.rules import MilestoneStatus
from esi_desktop.wording import ACTION, MILESTONE, long_date

#: A return is due this many days before the Board meeting it reports to …
DAYS_BEFORE_MEETING = 7
#: … or, with no Board meeting far enough ahead, this many days after it is sent.
DAYS_WITHOUT_MEETING = 14


@dataclass(frozen=True)
class ReturnRow:
    """One row of a return: an open milestone, or an open action.

    An action is listed above its open milestones (its own status follows from them, so
    only its Comment can be answered); an action without milestones is answered on its own
    row.

    Attributes:
        editable: the owner may answer Status, Completed on and Evidence note on this row
            (every row takes a Comment).
    """

    reference: str  # "AP3" or "AP3.2"
    kind: str  # ACTION or MILESTONE
    item_id: int
    action_id: int
    version: int
    recommendations: str  # "1, 2": the recommendations the action serves
    text: str
    due: date
    overdue: bool
    status: str  # a milestone's status; for an action, its status in words
    completed_on: date | None
    evidence: str
    editable: bool


@dataclass(frozen=True)
class OwnerReturn:
    """One owner's return: the rows they are asked about, in plan order."""

    owner: str
    rows: tuple[ReturnRow, ...]


@dataclass(frozen=True)
class ReturnsPlan:
    """The returns of a round, before they are written.

    Attributes:
        inspection: the inspection as a person names it ("Gloucestershire — January 2005").
        return_by: the day the owners are asked to return them by.
        return_by_reason: why that day ("7 days before the Board meeting of 26 May 2005").
        unowned: the references of open actions that name no owner (no return asks about
            them).
    """

    inspection_id: int
    inspection: str
    area: str
    #: The report's title: with the area and the publication date, what tells this
    #: inspection from one numbered the same in another database.
    report_title: str
    published: date
    sent_on: date
    return_by: date
    return_by_reason: str
    returns: tuple[OwnerReturn, ...]
    unowned: tuple[str, ...]


def return_by_date(meetings: list[date], today: date) -> tuple[date, str]:
    """The day to return a progress return by, and why.

    :data:`DAYS_BEFORE_MEETING` days before the first coming Board meeting that leaves the
    owners at least a day to answer (a meeting closer than that is too near for a round: the
    returns report to the one after it); with no such meeting, :data:`DAYS_WITHOUT_MEETING`
    days from ``today``.
    """
    for meeting in sorted(meetings):
        due = meeting - timedelta(days=DAYS_BEFORE_MEETING)
        if due > today:
            return due, (
                f"{DAYS_BEFORE_MEETING} days before the Board meeting of {long_date(meeting)}"
            )
    due = today + timedelta(days=DAYS_WITHOUT_MEETING)
    return due, (
        f"{DAYS_WITHOUT_MEETING} days after it was sent: no Board meeting is entered far "
        "enough ahead"
    )


def _is_open(action: ActionView) -> bool:
    return not action.complete


def _rows_of(
    action: ActionView, references: dict[int, str], late: set[tuple[str, int]]
) -> list[ReturnRow]:
    served = ", ".join(references[i] for i in action.recommendation_ids if i in references)
    rows = [
        ReturnRow(
            reference=action.reference,
            kind=ACTION,
            item_id=action.id,
            action_id=action.id,
            version=action.version,
            recommendations=served,
            text=action.text.strip(),
            due=action.target_date,
            overdue=(ACTION, action.id) in late,
            status=action_status(action),
            completed_on=None,
            evidence="",
            editable=not action.milestones,
        )
    ]
    for milestone in action.milestones:
        if milestone.status == MilestoneStatus.COMPLETE:
            continue
        rows.append(
            ReturnRow(
                reference=milestone.reference,
                kind=MILESTONE,
                item_id=milestone.id,
                action_id=action.id,
                version=milestone.version,
                recommendations=served,
                text=milestone.title.strip(),
                due=milestone.due_date,
                overdue=(MILESTONE, milestone.id) in late,
                status=milestone.status,
                completed_on=milestone.completed_on,
                evidence=milestone.evidence.strip(),
                editable=True,
            )
        )
    return rows


def returns_of(plan: PlanView, today: date) -> tuple[list[OwnerReturn], list[str]]:
    """Each owner's return (owners in the order their first action comes in the plan), and
    the references of open actions without an owner."""
    plan = public_plan(plan)  # nothing internal ever goes out
    references = {r.id: r.reference for r in plan.recommendations}
    late = {(item.kind, item.id) for item in overdue_items(plan, today)}
    by_owner: dict[str, list[ReturnRow]] = defaultdict(list)
    unowned: list[str] = []
    for action in sorted(plan.actions.values(), key=lambda a: (a.position, a.id)):
        if not _is_open(action):
            continue
        if not action.owner.strip():
            unowned.append(action.reference or action.text)
            continue
        by_owner[action.owner].extend(_rows_of(action, references, late))
    returns = [OwnerReturn(owner, tuple(rows)) for owner, rows in by_owner.items()]
    return returns, unowned


def plan_returns(*, inspection_id: int, today: date, return_by: date | None = None) -> ReturnsPlan:
    """What a round of progress returns sent ``today`` holds, read from the database.

    Args:
        return_by: the day to return them by; None: :func:`return_by_date`.

    Raises:
        NotFoundError: there is no such inspection.
    """
    summary = inspection_summary(inspection_id=inspection_id)
    plan = load_plan(inspection_id=inspection_id, today=today)
    if return_by is None:
        due, reason = return_by_date(board_meetings(inspection_id=inspection_id), today)
    else:
        due, reason = return_by, "as chosen by the Board secretary"
    returns, unowned = returns_of(plan, today)
    return ReturnsPlan(
        inspection_id=inspection_id,
        inspection=summary.name,
        area=summary.area,
        report_title=summary.report_title,
        published=plan.published,
        sent_on=today,
        return_by=due,
        return_by_reason=reason,
        returns=tuple(returns),
        unowned=tuple(unowned),
    )
