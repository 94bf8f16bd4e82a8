"""What is overdue or falls due within the reminder period, as the reminders word it.

The rule of what is overdue or due soon is the dashboard's
(:func:`esi_desktop.dashboard.overdue_items`, :func:`esi_desktop.dashboard.due_soon_items`);
this module only puts the two lists together
(overdue first), words how late or near each item is ("Overdue by 12 days", "Due in 3 days")
and groups the items by owner the way a person reads a name: case and spacing aside.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from esi_desktop.dashboard import SET_RESPONSE_DATE, DueItem, due_soon_items, overdue_items
from esi_desktop.plan import PlanView, load_plan
from esi_desktop.wording import plural

#: An e-mail address inside an owner's text, with the angle brackets around it, if any.
_ADDRESS_IN_OWNER = re.compile(r"<[^<>]*@[^<>]*>|[^\s<>,;()\"]+@[^\s<>,;()\"]+")
#: Brackets with nothing left in them once the address is taken out.
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")


@dataclass(frozen=True)
class DueAndOverdue:
    """What an inspection's plan has overdue or falling due within ``days`` days, as of ``today``.

    Attributes:
        overdue: overdue actions and milestones, the longest overdue first.
        due_soon: milestones falling due within ``days`` days (today included), soonest first.
        days: the reminder period the list looks ahead by.
        to_do: reminders that are no plan item and are never overdue:
            :data:`~esi_desktop.dashboard.SET_RESPONSE_DATE` while the response deadline is
            not set (the framework fixes none and the Board has not agreed its date).
    """

    overdue: tuple[DueItem, ...]
    due_soon: tuple[DueItem, ...]
    days: int
    today: date
    to_do: tuple[str, ...] = ()

    @property
    def items(self) -> tuple[DueItem, ...]:
        """The overdue items, then those due soon."""
        return self.overdue + self.due_soon

    def __bool__(self) -> bool:
        return bool(self.overdue or self.due_soon or self.to_do)

    @property
    def summary(self) -> str:
        """ "2 items overdue and 3 due within 14 days", "1 item overdue"; a reminder to do
        comes first ("Set the date the Board agreed to send its response; 1 item overdue")."""
        late = self._late_summary
        if not self.to_do:
            return late
        return "; ".join([*self.to_do, *([late] if self.overdue or self.due_soon else [])])

    @property
    def _late_summary(self) -> str:
        parts = []
        if self.overdue:
            parts.append(f"{plural(len(self.overdue), 'item')} overdue")
        if self.due_soon:
            due = f"due within {plural(self.days, 'day')}"
            parts.append(
                f"{len(self.due_soon)} {due}"
                if parts
                else f"{plural(len(self.due_soon), 'item')} {due}"
            )
        return " and ".join(parts) if parts else "Nothing is overdue or due soon"


def due_and_overdue(plan: PlanView, today: date, days: int) -> DueAndOverdue:
    """What ``plan`` has overdue or due within ``days`` days on ``today`` (pure)."""
    return DueAndOverdue(
        overdue=tuple(overdue_items(plan, today)),
        due_soon=tuple(due_soon_items(plan, today, due_soon_days=days)),
        days=days,
        today=today,
        to_do=(SET_RESPONSE_DATE,) if plan.clock.response_due is None else (),
    )


def load_due_and_overdue(*, inspection_id: int, today: date, days: int) -> DueAndOverdue:
    """What an inspection's plan has overdue or due within ``days`` days, read from the database.

    Raises:
        NotFoundError: there is no such inspection.
    """
    return due_and_overdue(load_plan(inspection_id=inspection_id, today=today), today, days)


def when_text(due: date, today: date) -> str:
    """ "Overdue by 12 days", "Due today", "Due tomorrow", "Due in 3 days"."""
    delta = (due - today).days
    if delta < 0:
        return f"Overdue by {plural(-delta, 'day')}"
    if delta == 0:
        return "Due today"
    if delta == 1:
        return "Due tomorrow"
    return f"Due in {plural(delta, 'day')}"


# ----- owners -----------------------------------------------------------------------------


def owner_name(owner: str) -> str:
    """The owner's name without any e-mail address in it: "Jane Smith" for
    "Jane Smith <jane.smith@glos.probation.gov.uk>"; the address when there is nothing else."""
    # brackets that held only an address go with it; a name's own brackets stay
    name = _EMPTY_BRACKETS.sub(" ", _ADDRESS_IN_OWNER.sub(" ", owner))
    name = " ".join(name.split()).strip(" ,;:-–—")
    if name:
        return name
    return " ".join(owner.split()).strip("<> ")


def owner_key(owner: str) -> str:
    """Who an owner is, whatever the case, spacing or address written with the name: two
    actions of "Head of Operations" and "head of  operations" are one person's."""
    return owner_name(owner).casefold()


@dataclass(frozen=True)
class OwnersItems:
    """One owner's overdue and due-soon items.

    Attributes:
        owner: the owner as first written in the plan (with any address written there).
        spellings: every way the plan writes this owner, in the order first met.
    """

    owner: str
    spellings: tuple[str, ...]
    overdue: tuple[DueItem, ...]
    due_soon: tuple[DueItem, ...]

    @property
    def name(self) -> str:
        """The owner's name without an address ("Jane Smith")."""
        return owner_name(self.owner)

    @property
    def items(self) -> tuple[DueItem, ...]:
        """The overdue items, then those due soon."""
        return self.overdue + self.due_soon


def by_owner(due: DueAndOverdue) -> tuple[list[OwnersItems], list[DueItem]]:
    """Each owner's items, owners in the order of their first item in the list (overdue
    first), and the items that name no owner."""
    groups: dict[str, tuple[list[str], list[DueItem], list[DueItem]]] = {}
    unowned: list[DueItem] = []

    def add(items: Iterable[DueItem], overdue: bool) -> None:
        for item in items:
            if not item.owner.strip():
                unowned.append(item)
                continue
            spellings, late, soon = groups.setdefault(owner_key(item.owner), ([], [], []))
            written = " ".join(item.owner.split())
            if written not in spellings:
                spellings.append(written)
            (late if overdue else soon).append(item)

    add(due.overdue, True)
    add(due.due_soon, False)
    owners = [
        OwnersItems(spellings[0], tuple(spellings), tuple(late), tuple(soon))
        for spellings, late, soon in groups.values()
    ]
    return owners, unowned
