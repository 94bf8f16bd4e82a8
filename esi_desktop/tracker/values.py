"""One cell of a Board's tracker read as what it means: a date, recommendation references, a
status, or text. Pure: no database.

Each reader returns the value or raises :class:`CellProblem` with a sentence saying what the
cell holds and why it cannot be read; :mod:`esi_desktop.tracker.rows` puts the sheet, row and
cell in front of it.

Statuses are read by meaning (:data:`STATUS_WORDS`): "Done", "Achieved", "Closed" are
Complete; "Ongoing", "On track" are In progress; "To do", "Not yet started" are Not started.
Trackers often hold a RAG rating in their status column instead. This program works RAG out
for itself (from dates and milestones), so a RAG word is read for what it says about the
*status*: Blue (the Inspectorate's "complete") is Complete, Green and Amber (work under way, on
or slightly off track) are In progress, and Red — which may mean "not started" or "started
but badly behind" — sets no status: the status is left as it was (Not started for a new item)
and a warning says so.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from esi_desktop.dates import parse_date
from esi_desktop.errors import EsiError, ValidationError
from esi_desktop.rules import MilestoneStatus
from esi_desktop.wording import MONTHS, long_date


class CellProblem(EsiError):
    """A cell that cannot be read as what its column means; the message says why."""


def heading_key(text: object) -> str:
    """A heading reduced for matching: lower case, words only ("Rec No." → "rec no").

    A bracketed aside ("Target date (dd/mm/yyyy)") and "&" / "and" differences do not count.
    """
    words = re.sub(r"\([^)]*\)", " ", str(text or "")).lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", words).split())


def text_of(value: object, *, keep_lines: bool = False) -> str:
    """A cell's value as text: whole numbers without ".0", surrounding space removed.

    Args:
        keep_lines: keep the line breaks (an evidence note); otherwise runs of space and line
            breaks become one space.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if keep_lines:
        return "\n".join(" ".join(line.split()) for line in text.strip().split("\n")).strip()
    return " ".join(text.split())


# ----- dates ---------------------------------------------------------------------------------

#: Excel's day 0 (the 1900 date system, with its phantom 29 February 1900 before day 60).
_EXCEL_EPOCH = date(1899, 12, 30)
#: A number below this in a date column is not read as Excel's day count (before 1927).
_FIRST_SERIAL = 10000
_MONTH_WORDS = {name.lower(): n for n, name in enumerate(MONTHS, start=1)}
_MONTH_WORDS.update({name[:3].lower(): n for n, name in enumerate(MONTHS, start=1)})
_MONTH_WORDS["sept"] = 9
_MONTH_ONLY = re.compile(
    r"^(?:by\s+)?(?:the\s+)?(?:end\s+(?:of\s+)?)?([a-z]+)\.?[\s\-/,']*(\d{2}|\d{4})$", re.I
)


@dataclass(frozen=True)
class DateReading:
    """A date read from a cell, and how it was read when that is worth saying."""

    day: date
    #: Empty, or a sentence such as "read as 31 March 2005, the last day of that month".
    note: str = ""


def read_date(value: object, *, today: date) -> DateReading:
    """A cell's date: a real date cell, a UK date typed as text (day first), Excel's day number
    in a cell not formatted as a date (a formula's result, 38442 for 31 March 2005; from 1927
    on, so a small number is never taken for a date), or a month and year ("March 2005",
    "end of Mar 05"), read as the last day of that month with a note saying so.

    Raises:
        CellProblem: the cell holds no date.
    """
    if isinstance(value, datetime):
        return DateReading(value.date())
    if isinstance(value, date):
        return DateReading(value)
    if isinstance(value, bool):
        raise CellProblem(f"{_shown(value)} is not a date")
    if isinstance(value, int | float):
        if value >= _FIRST_SERIAL and float(value).is_integer() and value < 80000:
            day = _EXCEL_EPOCH + timedelta(days=int(value))
            return DateReading(day)
        raise CellProblem(f"{_shown(value)} is a number, not a date")
    text = text_of(value)
    if not text:
        raise CellProblem("the cell is empty")
    month_only = _MONTH_ONLY.match(text)
    if month_only is not None and month_only.group(1).lower() in _MONTH_WORDS:
        month = _MONTH_WORDS[month_only.group(1).lower()]
        digits = month_only.group(2)
        year = int(digits) if len(digits) == 4 else 2000 + int(digits)
        if not 1900 <= year <= 2099:
            raise CellProblem(f"{_shown(text)} is not a date this program takes")
        day = date(year, month, calendar.monthrange(year, month)[1])
        return DateReading(day, f"{_shown(text)} read as {long_date(day)}, the end of that month")
    try:
        return DateReading(parse_date(text, today=today))
    except ValidationError as refused:
        raise CellProblem(_quoted_reason(text, str(refused))) from None


_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{2}|\d{4})\s*$")


def written_order(text: str) -> str:
    """How a date typed as numbers can be read: "month first" when only the American way
    reads it (03/31/2006), "either" when both ways read it as different days (04/05/2005),
    "" otherwise (31/03/2006, 05/05/2005, or not such a date)."""
    found = _NUMERIC_DATE.match(text)
    if found is None:
        return ""
    first, second = int(found.group(1)), int(found.group(3))
    if 1 <= first <= 12 < second <= 31:
        return "month first"
    if 1 <= first <= 12 and 1 <= second <= 12 and first != second:
        return "either"
    return ""


def _quoted_reason(text: str, message: str) -> str:
    """parse_date's sentence as a clause: "'31/02/2005' is not a date (February 2005 has 28
    days)"."""
    reason = message.rstrip(".")
    quoted = f"“{text}”"
    if reason.startswith(f"{quoted} is not a date: "):
        return f"{_shown(text)} is not a date ({reason.removeprefix(f'{quoted} is not a date: ')})"
    if reason.startswith(quoted):
        return f"{_shown(text)}{reason.removeprefix(quoted)}"
    return f"{_shown(text)} is not a date ({reason})"


def _shown(value: object) -> str:
    """A cell's value quoted as a person would write it in a sentence: '31/02/2005'."""
    text = text_of(value)
    if len(text) > 60:
        text = text[:57] + "…"
    return f"'{text}'"


# ----- recommendation references -------------------------------------------------------------

_SEPARATORS = re.compile(r"\s*(?:[,;&+]|\band\b)\s*", re.I)
_REFERENCE = re.compile(
    r"^\(?\s*(?:(?:recommendation|recomm|rec)s?\.?\s*(?:no\.?|number|num\.?|ref\.?|#)?\s*|r\s*)?"
    r"([a-z]{0,2}\s*\d+)\s*\)?(?:[.):\-]\s*|\s+|$)",
    re.I,
)


def recommendation_references(value: object, known: Mapping[str, str]) -> tuple[str, ...]:
    """The recommendations a cell names, as the inspection's own references.

    Read: ``3``, ``3.``, ``Rec 3``, ``Rec No. 3``, ``R3``, ``Recommendation 3``, ``T2``,
    ``03``, several at once (``3, 4``, ``3 & T2``), a reference followed by the text
    (``3. Ensure that …``), or the recommendation's text itself.

    Args:
        known: the inspection's recommendations, reference → text.

    Raises:
        CellProblem: the cell names no recommendation of this inspection.
    """
    by_key = {_reference_key(reference): reference for reference in known}
    if isinstance(value, int | float) and not isinstance(value, bool):
        found = by_key.get(_reference_key(text_of(value)))
        if found is None:
            raise CellProblem(_unknown(value, known))
        return (found,)
    text = text_of(value)
    if not text:
        raise CellProblem("the cell is empty")
    direct = by_key.get(_reference_key(text))
    if direct is not None:
        return (direct,)
    parts = [part for part in _SEPARATORS.split(text) if part]
    if len(parts) > 1:
        found_all = [_one_reference(part, by_key) for part in parts]
        if all(found_all):
            return tuple(dict.fromkeys(r for r in found_all if r))
    whole = _one_reference(text, by_key)
    if whole is not None:
        return (whole,)
    by_text = _by_text(text, known)
    if by_text is not None:
        return (by_text,)
    raise CellProblem(_unknown(text, known))


def _reference_key(text: str) -> str:
    """ "T02" and "t 2" → "T2"; "03" → "3"."""
    compact = re.sub(r"\s+", "", text).upper()
    match = re.fullmatch(r"([A-Z]*)0*(\d+)", compact)
    return f"{match.group(1)}{match.group(2)}" if match else compact


def _one_reference(text: str, by_key: Mapping[str, str]) -> str | None:
    direct = by_key.get(_reference_key(text))
    if direct is not None:
        return direct
    match = _REFERENCE.match(text)
    if match is None:
        return None
    return by_key.get(_reference_key(match.group(1)))


def _by_text(text: str, known: Mapping[str, str]) -> str | None:
    """The recommendation whose text the cell quotes (whole, or its first 40 characters on)."""
    typed = heading_key(text)
    if len(typed) < 20:
        return None
    for reference, wording in known.items():
        words = heading_key(wording)
        if words and (typed == words or words.startswith(typed) or typed.startswith(words)):
            return reference
    return None


def _unknown(value: object, known: Mapping[str, str]) -> str:
    return (
        f"{_shown(value)} is not one of this inspection's recommendations "
        f"({describe_references(list(known))})"
    )


def describe_references(references: Sequence[str]) -> str:
    """ "1–10, T1–T5": the references with runs of consecutive numbers shortened."""
    runs: list[list[tuple[str, int]]] = []
    others: list[str] = []
    for reference in references:
        match = re.fullmatch(r"([A-Za-z]*)(\d+)", reference)
        if match is None:
            others.append(reference)
            continue
        prefix, number = match.group(1), int(match.group(2))
        if runs and runs[-1][-1][0] == prefix and runs[-1][-1][1] == number - 1:
            runs[-1].append((prefix, number))
        else:
            runs.append([(prefix, number)])
    words = [
        f"{run[0][0]}{run[0][1]}"
        if len(run) == 1
        else f"{run[0][0]}{run[0][1]}–{run[-1][0]}{run[-1][1]}"
        for run in runs
    ]
    return ", ".join([*words, *others]) or "none"


# ----- statuses -------------------------------------------------------------------------------

#: Status words by meaning (compared after :func:`heading_key`; a cell may add words after
#: them, "Completed - see minutes"). RAG words are in :data:`RAG_STATUS`.
STATUS_WORDS: Mapping[MilestoneStatus, tuple[str, ...]] = {
    MilestoneStatus.COMPLETE: (
        "complete", "completed", "done", "achieved", "closed", "finished", "met", "delivered",
        "implemented", "fully implemented", "fully achieved", "signed off",
    ),
    MilestoneStatus.IN_PROGRESS: (
        "in progress", "ongoing", "on going", "started", "on track", "on target", "underway",
        "under way", "in hand", "partially complete", "partly complete", "part complete",
        "partially achieved", "partly achieved", "progressing", "wip", "work in progress",
        "behind schedule", "off track",
    ),
    MilestoneStatus.NOT_STARTED: (
        "not started", "not yet started", "to do", "todo", "not begun", "not yet begun",
        "yet to start", "not commenced", "not yet commenced", "planned", "pending",
    ),
}  # fmt: skip
#: RAG ratings typed where a status belongs: what each says about the status (None: nothing).
RAG_STATUS: Mapping[str, MilestoneStatus | None] = {
    "blue": MilestoneStatus.COMPLETE,
    "green": MilestoneStatus.IN_PROGRESS,
    "amber": MilestoneStatus.IN_PROGRESS,
    "red": None,
}
_PHRASES = sorted(
    ((phrase, status) for status, phrases in STATUS_WORDS.items() for phrase in phrases),
    key=lambda pair: -len(pair[0]),
)
#: What a status cell may say without setting a status (our own workbook's word included).
NO_STATUS = frozenset({"n a", "na", "none", "tbc", "tba", "no milestones yet", "not applicable"})
_PERCENT = re.compile(r"^(\d{1,3})(?:\.\d+)?\s*%")


@dataclass(frozen=True)
class StatusReading:
    """A status read from a cell (None: the cell sets none) and a note worth a warning."""

    status: MilestoneStatus | None
    note: str = ""


def read_status(value: object) -> StatusReading:
    """A cell's status by meaning; an empty cell sets none.

    A percentage reads as Not started (0%), Complete (100%) or In progress (anything
    between); a RAG word as explained in this module's description.

    Raises:
        CellProblem: the cell says something that is not a status.
    """
    if value is None or text_of(value) == "":
        return StatusReading(None)
    if isinstance(value, int | float) and not isinstance(value, bool):
        fraction = value if value <= 1 else value / 100
        return StatusReading(_from_fraction(fraction, value))
    text = text_of(value)
    percent = _PERCENT.match(text)
    if percent is not None:
        return StatusReading(_from_fraction(int(percent.group(1)) / 100, text))
    key = heading_key(text)
    if key in NO_STATUS or not key:
        return StatusReading(None)
    first = key.split(" ")[0] if key else ""
    if first in RAG_STATUS and (key == first or key.startswith(f"{first} ")):
        status = RAG_STATUS[first]
        if status is None:
            return StatusReading(
                None,
                f"{_shown(text)} is a RAG rating, not a status: it may mean not started or "
                "badly behind, so the status was left as it was (Not started for a new item); "
                "this program works the RAG rating out for itself",
            )
        return StatusReading(status)
    for phrase, status in _PHRASES:
        if key == phrase or key.startswith(f"{phrase} "):
            return StatusReading(status)
    raise CellProblem(
        f"{_shown(text)} is not a status this program knows (Not started, In progress, "
        "Complete, or words meaning one of them such as Done or Ongoing)"
    )


def _from_fraction(fraction: float, shown: object) -> MilestoneStatus:
    if fraction < 0 or fraction > 1:
        raise CellProblem(f"{_shown(shown)} is not a percentage of progress")
    if fraction == 0:
        return MilestoneStatus.NOT_STARTED
    if fraction == 1:
        return MilestoneStatus.COMPLETE
    return MilestoneStatus.IN_PROGRESS
