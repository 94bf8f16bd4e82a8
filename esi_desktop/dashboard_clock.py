"""The statutory clock as the Dashboard and ``main.py status`` show it, as of one day: the
response and implementation deadlines with the time left, and the follow-up inspection.

:func:`esi_desktop.dashboard.load_dashboard` builds it from the inspection's statutory
clock (:func:`esi_desktop.inspections.inspection_clock`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from esi_desktop.inspections import NOT_SET
from esi_desktop.rules import FollowUpStatus, Rag, days_left
from esi_desktop.wording import long_date

#: Within this many days a statutory deadline is near (the dashboard shows it in amber).
NEAR_DAYS = 14


@dataclass(frozen=True)
class Deadline:
    """A statutory deadline as of a day."""

    due: date
    today: date

    @property
    def days(self) -> int:
        """Days from today to the deadline; negative once it has passed."""
        return (self.due - self.today).days

    @property
    def overdue(self) -> bool:
        """The deadline has passed."""
        return self.days < 0

    @property
    def near(self) -> bool:
        """Due within :data:`NEAR_DAYS` days (today included), not yet passed."""
        return 0 <= self.days <= NEAR_DAYS

    @property
    def urgency(self) -> Rag | None:
        """Red once passed, Amber when near, None otherwise."""
        return Rag.RED if self.overdue else Rag.AMBER if self.near else None

    @property
    def left_text(self) -> str:
        """ "12 days left", "due today", "3 days overdue"."""
        return days_left(self.due, self.today)


@dataclass(frozen=True)
class FollowUpLine:
    """The latest follow-up round as the clock shows it (round 1 until another is added)."""

    planned_date: date | None
    status: str
    expected: str  # when the report expects it ("Autumn 2005"); "" if it does not say
    today: date
    round: int = 1
    kind: str = "Follow-up"

    @property
    def text(self) -> str:
        """ "10 October 2005 (Scheduled)", "Expected Autumn 2005 (from the report)"; a later
        round says which: "Round 2 (Re-inspection): 4 September 2006 (Scheduled)"."""
        if self.planned_date is not None:
            when = f"{long_date(self.planned_date)} ({self.status})"
        elif self.expected and self.round == 1:
            when = f"Expected {self.expected} (from the report)"
        else:
            when = "Not yet scheduled"
        return when if self.round == 1 else f"Round {self.round} ({self.kind}): {when}"

    @property
    def left_text(self) -> str:
        """The time left to a scheduled follow-up; "" otherwise."""
        if self.planned_date is None or self.status != FollowUpStatus.SCHEDULED:
            return ""
        return days_left(self.planned_date, self.today)


@dataclass(frozen=True)
class Clock:
    """The statutory clock of an inspection as of a day."""

    published: date
    #: "15 January 2005", or "January 2005 (day not known: assumed 1st)".
    published_text: str
    #: None while no deadline is set: the framework fixes none and the Board has not yet
    #: agreed its date (``response_basis`` says so).
    response_due: Deadline | None
    implementation_due: Deadline
    follow_up: FollowUpLine
    #: Where the response deadline comes from ("3 months after publication", "agreed with
    #: the Inspectorate: <reason>", "agreed by the Board: <reason>", or "no deadline is
    #: fixed: the Board sets an agreed date").
    response_basis: str = ""

    @property
    def response_due_text(self) -> str:
        """ "3 March 2005", or "not set yet"."""
        return NOT_SET if self.response_due is None else long_date(self.response_due.due)
