"""The Board's decisions on extension requests.

An extension request is a slip (:func:`esi_desktop.plan.submission.slips`): an action's
target date or a milestone's due date now later than in the plan as sent. A progress paper
puts each to the Board; the secretary records what the Board decided — approved or refused,
at which meeting, under which minute — and later papers show it. A decision is for one
request: the item (by its reference, which never changes) and the date it asked for. Should
the date move again, that is a new request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import peewee

from db.models import ExtensionDecision, database_proxy
from esi_desktop import audit
from esi_desktop.errors import NotFoundError, ValidationError
from esi_desktop.plan.read import load_plan
from esi_desktop.plan.submission import Slip, latest_submission, slips, submitted_dates
from esi_desktop.text import check_values
from esi_desktop.versioned import Snapshot, snapshot_of
from esi_desktop.wording import (
    action_reference,
    long_date,
    milestone_reference,
    parse_reference,
)

APPROVED = "Approved"
REFUSED = "Refused"
DECISIONS = (APPROVED, REFUSED)

#: What a person may type for a decision, and what is stored.
_TYPED = {
    "approved": APPROVED,
    "approve": APPROVED,
    "a": APPROVED,
    "refused": REFUSED,
    "refuse": REFUSED,
    "r": REFUSED,
}


@dataclass(frozen=True)
class DecisionView:
    """The Board's decision on one extension request."""

    id: int
    submission_id: int
    item_kind: str
    reference: str  # "AP3.2"
    requested: date  # the date the request asked for
    decision: str  # APPROVED or REFUSED
    meeting_date: date
    minute_reference: str

    @property
    def words(self) -> str:
        """ "Approved at the Board meeting of 24 March 2005 (minute 12/05)"."""
        said = f"{self.decision} at the Board meeting of {long_date(self.meeting_date)}"
        return f"{said} (minute {self.minute_reference})" if self.minute_reference else said


@dataclass(frozen=True)
class ExtensionRequest:
    """A slip and, once the Board has decided it, the decision."""

    slip: Slip
    decision: DecisionView | None


def decision_named(typed: str) -> str:
    """APPROVED or REFUSED for "approved", "Refuse", "A", ...

    Raises:
        ValidationError: it is neither.
    """
    found = _TYPED.get(typed.strip().lower())
    if found is None:
        raise ValidationError(
            f"{typed.strip()!r} is not a decision: the Board approves or refuses an extension.",
            "decision",
        )
    return found


def _view(row: ExtensionDecision) -> DecisionView:
    return DecisionView(
        id=int(row.id),
        submission_id=int(row.submission_id),
        item_kind=str(row.item_kind),
        reference=str(row.item_reference),
        requested=row.requested_date,
        decision=str(row.decision),
        meeting_date=row.meeting_date,
        minute_reference=str(row.minute_reference),
    )


def extension_decisions(*, inspection_id: int) -> list[DecisionView]:
    """Every decision the Board made on the inspection's extension requests, oldest first."""
    return [
        _view(row)
        for row in ExtensionDecision.select()
        .where(ExtensionDecision.inspection == inspection_id)
        .order_by(ExtensionDecision.meeting_date, ExtensionDecision.id)
    ]


def match_decisions(
    found_slips: Iterable[Slip], decisions: Iterable[DecisionView], *, submission_id: int
) -> list[ExtensionRequest]:
    """Each slip with the decision made on exactly that request (same plan as sent, same
    item, same date asked for), or None while it waits for the Board."""
    by_request = {
        (d.reference, d.requested): d for d in decisions if d.submission_id == submission_id
    }
    return [
        ExtensionRequest(slip, by_request.get((slip.item.reference, slip.item.due)))
        for slip in found_slips
    ]


def extension_requests(*, inspection_id: int, today: date) -> list[ExtensionRequest]:
    """The extension requests now open against the latest plan as sent (latest slip first),
    each with the Board's decision where it has made one. Empty when the plan was not sent."""
    submission = latest_submission(inspection_id=inspection_id)
    if submission is None:
        return []
    plan = load_plan(inspection_id=inspection_id, today=today)
    found = slips(plan, submitted_dates(submission_id=submission.id))
    found.sort(key=lambda s: (-s.days, s.item.due))
    return match_decisions(
        found, extension_decisions(inspection_id=inspection_id), submission_id=submission.id
    )


def _normal_reference(typed: str) -> str:
    parsed = parse_reference(typed)
    if parsed is None:
        raise ValidationError(
            f"{typed.strip()!r} is not an action or milestone reference; type one such as "
            f"{action_reference(3)} or {milestone_reference(3, 2)}.",
            "reference",
        )
    action, milestone = parsed
    return action_reference(action) if milestone is None else milestone_reference(action, milestone)


def record_decision(
    *,
    inspection_id: int,
    reference: str,
    decision: str,
    meeting_date: date,
    minute_reference: str = "",
    requested_date: date | None = None,
    today: date,
) -> int:
    """Record the Board's decision on the extension request of the item ``reference``.

    Args:
        requested_date: the date the request put to the Board asked for; the decision is
            refused if the item's date has moved since (the Board did not see that date).
            None: the date the item has now (the command line, where it was just listed).

    Returns:
        The decision's id.

    Raises:
        NotFoundError: there is no such inspection.
        ValidationError: the plan was not marked as sent; the reference names no item with
            an open extension request; its date is no longer ``requested_date``; the
            decision is neither approved nor refused; the meeting is before the plan was
            sent or in the future; the minute reference has a line break; the request was
            already decided.
    """
    wanted = _normal_reference(reference)
    stored = decision_named(decision)
    if not isinstance(meeting_date, date):
        raise ValidationError("The Board meeting needs a date such as 24/03/2005.", "meeting_date")
    check_values({"minute_reference": minute_reference}, "the decision")
    minute = minute_reference.strip()
    if "\n" in minute or "\r" in minute:
        raise ValidationError(
            "A minute reference is one line, such as 12/05; remove the line break.",
            "minute_reference",
        )
    with database_proxy.atomic():
        submission = latest_submission(inspection_id=inspection_id)
        if submission is None:
            raise ValidationError(
                "The plan has not been marked as sent to the Inspectorate, so no date has "
                "slipped and there is no extension to decide.",
                "reference",
            )
        if meeting_date < submission.sent_on:
            raise ValidationError(
                f"The Board meeting of {long_date(meeting_date)} is before the plan was sent "
                f"on {long_date(submission.sent_on)}; choose the meeting that decided it.",
                "meeting_date",
            )
        if meeting_date > today:
            raise ValidationError(
                f"The Board meeting of {long_date(meeting_date)} has not happened yet; record "
                "the decision after the meeting.",
                "meeting_date",
            )
        requests = {
            r.slip.item.reference: r
            for r in extension_requests(inspection_id=inspection_id, today=today)
        }
        request = requests.get(wanted)
        if request is None:
            listed = ", ".join(requests) or "none"
            raise ValidationError(
                f"{wanted} has no extension request: its date is not later than in the plan "
                f"sent on {long_date(submission.sent_on)}, it is complete, or it is not in "
                f"the plan. Open requests: {listed}.",
                "reference",
            )
        if requested_date is not None and request.slip.item.due != requested_date:
            raise ValidationError(
                f"{wanted} now asks for {long_date(request.slip.item.due)}, not "
                f"{long_date(requested_date)}: its date moved again after the request was "
                "listed. Record the Board's decision on the date the Board saw; a new date is "
                "a new request.",
                "reference",
            )
        if request.decision is not None:
            raise ValidationError(
                f"The Board's decision on {wanted}'s request for "
                f"{long_date(request.slip.item.due)} is already recorded: "
                f"{request.decision.words}. Withdraw it first (Withdraw decision in File ▸ "
                f"Extension requests and decisions…, or decide-extension {wanted} --withdraw) "
                "to record another.",
                "reference",
            )
        try:
            with database_proxy.atomic():  # a savepoint: the refusal below leaves no trace
                row = ExtensionDecision.create(
                    inspection=inspection_id,
                    submission=submission.id,
                    item_kind=request.slip.item.kind,
                    item_reference=wanted,
                    requested_date=request.slip.item.due,
                    decision=stored,
                    meeting_date=meeting_date,
                    minute_reference=minute,
                )
        except peewee.IntegrityError:
            # someone else recorded a decision on the same request at the same moment
            raise ValidationError(
                f"Someone else has just recorded the Board's decision on {wanted}'s request "
                f"for {long_date(request.slip.item.due)}; the list now shows it.",
                "reference",
            ) from None
        audit.record(audit.row_entries([("extension_decision", row.__data__)], audit.CREATE))
    return int(row.id)


def decision_on(*, inspection_id: int, reference: str, today: date) -> DecisionView:
    """The decision recorded on the open extension request of ``reference``.

    Raises:
        ValidationError: the reference is not one, or its request has no decision recorded.
    """
    wanted = _normal_reference(reference)
    for request in extension_requests(inspection_id=inspection_id, today=today):
        if request.slip.item.reference == wanted and request.decision is not None:
            return request.decision
    raise ValidationError(
        f"{wanted} has no recorded decision on an open extension request to withdraw; "
        "`main.py extensions` lists them.",
        "reference",
    )


def withdraw_decision(*, decision_id: int) -> Snapshot:
    """Remove a recorded decision (a mistake, or the undo of recording it).

    Returns:
        A snapshot that :func:`esi_desktop.plan.restore` puts back exactly.

    Raises:
        NotFoundError: the decision was removed in the meantime.
    """
    with database_proxy.atomic():
        row = ExtensionDecision.get_or_none(ExtensionDecision.id == decision_id)
        if row is None:
            raise NotFoundError(
                "That decision on an extension request was removed in the meantime."
            )
        snapshot = snapshot_of([row])
        row.delete_instance()
        audit.record(audit.row_entries(snapshot.rows, audit.DELETE))
    return snapshot
