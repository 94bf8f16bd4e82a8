"""What to announce while the program runs: items that became overdue or came into the
reminder period since the last look, each announced once (pure; the window's tray watcher,
:mod:`ui.reminders.tray`, asks it on a timer and at midnight).

What was already overdue or due when the inspection was opened is not announced: the "Due
and overdue" panel showed it. An item crosses a line when the day moves on: its date passes
(it is now overdue) or comes within the reminder period. An item entered or moved by someone
is not announced for that; it is announced when a day moves it over a line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from esi_desktop.dashboard import DueItem
from esi_desktop.wording import long_date, plural

#: At most this many references are named in a summary of several items.
REFERENCES_NAMED = 8


@dataclass(frozen=True)
class Crossing:
    """An item that became overdue, or came within the reminder period."""

    item: DueItem
    overdue: bool

    @property
    def key(self) -> tuple[str, int, bool]:
        """What was announced: the item, and which line it crossed."""
        return (self.item.kind, self.item.id, self.overdue)

    @property
    def name(self) -> str:
        """The item's reference, or its words when it has none."""
        return self.item.reference or self.item.text


def crossings(items: Iterable[DueItem], *, since: date, today: date, days: int) -> list[Crossing]:
    """The items that crossed a line after ``since`` and up to ``today``.

    Args:
        items: what is overdue or due within ``days`` days on ``today``
            (:func:`esi_desktop.reminders.due.due_and_overdue`).
        since: the day of the last look.
    """
    found: list[Crossing] = []
    for item in items:
        if item.due < today:
            if item.due >= since:  # not yet overdue on the day of the last look
                found.append(Crossing(item, overdue=True))
        elif item.due > since + timedelta(days=days):  # beyond the period at the last look
            found.append(Crossing(item, overdue=False))
    return found


class Announcer:
    """Remembers what was announced in this run, and from which day to look."""

    def __init__(self, today: date) -> None:
        self._since = today
        self._announced: set[tuple[str, int, bool]] = set()

    @property
    def since(self) -> date:
        """The day of the last look."""
        return self._since

    def restart(self, today: date) -> None:
        """Another plan is on show: what it has due now is the panel's, not news."""
        self._since = today
        self._announced.clear()

    def check(self, items: Iterable[DueItem], *, today: date, days: int) -> list[Crossing]:
        """What became overdue or due since the last look and was not announced yet; it
        counts as announced from now on."""
        found = [
            crossing
            for crossing in crossings(items, since=self._since, today=today, days=days)
            if crossing.key not in self._announced
        ]
        self._announced.update(crossing.key for crossing in found)
        self._since = max(self._since, today)
        return found


def _named(found: list[Crossing]) -> str:
    names = [c.name for c in found[:REFERENCES_NAMED]]
    if len(found) > REFERENCES_NAMED:
        names.append(f"and {len(found) - REFERENCES_NAMED} more")
    return ", ".join(names)


def announcement(found: list[Crossing], days: int) -> str:
    """The words of one notification for everything found at one look ("" for nothing).

    One item: "AP3.2 Audit of case files is now overdue (Head of Operations)". Several:
    "3 items became overdue: AP3.2, AP4.1, AP7", and on a second line those now due.
    """
    if len(found) == 1:
        crossing = found[0]
        item = crossing.item
        owner = f" ({item.owner.strip()})" if item.owner.strip() else ""
        if crossing.overdue:
            return f"{item.labelled_text} is now overdue{owner}"
        return f"{item.labelled_text} is due on {long_date(item.due)}{owner}"
    lines = []
    overdue = [c for c in found if c.overdue]
    due = [c for c in found if not c.overdue]
    if overdue:
        lines.append(f"{plural(len(overdue), 'item')} became overdue: {_named(overdue)}")
    if due:
        lines.append(
            f"{plural(len(due), 'item')} now due within {plural(days, 'day')}: {_named(due)}"
        )
    return "\n".join(lines)
