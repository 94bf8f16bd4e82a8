"""One home for the words the product prints: dates, counts, shortened text, item kinds.

Pure: no database, no Qt. The window, the PDFs, the audit trail and the command line all
take their wording from here, so a date or a count reads the same everywhere.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

ELLIPSIS = "…"
#: The minus sign (U+2212) printed before a fall, not the hyphen.
MINUS = "−"

# ----- item kinds ---------------------------------------------------------------------------
# What an item of an inspection is, as the audit trail records it and the window and the
# PDFs name it.

INSPECTION = "inspection"
RECOMMENDATION = "recommendation"
#: The Board's response; its item id is the recommendation's id.
RESPONSE = "response"
ACTION = "action"
MILESTONE = "milestone"
#: The follow-up inspection (date, status, results); its item id is the inspection's id.
FOLLOW_UP = "follow_up"
BOARD_MEETING = "board_meeting"
SUBMISSION = "submission"
#: The Board's decision on an extension request (a date slipped since the plan was sent).
EXTENSION_DECISION = "extension_decision"
#: A file attached as evidence to a recommendation, an action or a milestone.
EVIDENCE = "evidence"

KIND_NAMES = {
    INSPECTION: "Inspection",
    RECOMMENDATION: "Recommendation",
    RESPONSE: "Response",
    ACTION: "Action",
    MILESTONE: "Milestone",
    FOLLOW_UP: "Follow-up inspection",
    BOARD_MEETING: "Board meeting",
    SUBMISSION: "Plan as sent",
    EXTENSION_DECISION: "Extension decision",
    EVIDENCE: "Evidence",
}


def kind_name(kind: str) -> str:
    """ "Action": an item kind as a person reads it."""
    return KIND_NAMES.get(kind, kind.replace("_", " ").capitalize())


# ----- references of the action plan --------------------------------------------------------
# An action's number is given once within its inspection, a milestone's once within its
# action, and neither is ever renumbered or reused. "AP" (action plan) keeps them apart from
# every criterion code ("A1", "B4"); the frameworks loader refuses a code of this form.

#: Whom every ESI recommendation is addressed to ("The Probation Board should ensure that:").
ESI_ADDRESSEE = "Probation Board"

REFERENCE_PREFIX = "AP"

#: A typed reference: "AP3", "ap3", "AP 3.2" (case and spaces forgiven).
REFERENCE_PATTERN = re.compile(r"^\s*AP\s*(\d+)(?:\s*\.\s*(\d+))?\s*$", re.IGNORECASE)


def action_reference(number: int) -> str:
    """ "AP3": the reference of the action numbered 3."""
    return f"{REFERENCE_PREFIX}{number}"


def milestone_reference(action_number: int, number: int) -> str:
    """ "AP3.2": the second milestone of action AP3."""
    return f"{REFERENCE_PREFIX}{action_number}.{number}"


def parse_reference(typed: str) -> tuple[int, int | None] | None:
    """(3, None) for "AP3", (3, 2) for "ap 3.2"; None when ``typed`` is not a reference."""
    found = REFERENCE_PATTERN.match(typed)
    if found is None:
        return None
    milestone = found.group(2)
    return int(found.group(1)), int(milestone) if milestone is not None else None


# ----- dates --------------------------------------------------------------------------------


def long_date(day: date) -> str:
    """ "30 September 2005": the way public documents write a date."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def date_in_words(day: date) -> str:
    """ "Tuesday 15 March 2005": a date with its weekday, whatever the computer's language."""
    return f"{WEEKDAYS[day.weekday()]} {long_date(day)}"


def month_year(day: date) -> str:
    """ "September 2005": a report's publication month."""
    return f"{MONTHS[day.month - 1]} {day.year}"


def month_name(month: int) -> str:
    """ "March" for 3."""
    return MONTHS[month - 1]


# ----- counts and text ----------------------------------------------------------------------


def plural(count: int, word: str, plural_form: str | None = None) -> str:
    """ "1 action", "3 actions", "2 people" (with ``plural_form="people"``)."""
    return f"{count} {word if count == 1 else plural_form or word + 's'}"


def shorten(value: str, limit: int) -> str:
    """``value`` on one line, cut at a word boundary to at most ``limit`` characters plus "…".

    A single word longer than ``limit`` is cut inside the word. Punctuation left dangling at
    the cut is dropped, so the ellipsis never follows a comma.
    """
    flat = " ".join(value.split())
    if len(flat) <= limit:
        return flat
    head = flat[: limit + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head[:limit] else flat[:limit]
    return cut.rstrip(" ,.;:") + ELLIPSIS
