"""Giving an action or a milestone its number: once, from counters that only go up.

An action's number comes from ``inspection.last_action_number``, a milestone's from its
action's ``last_milestone_number``; each counter is raised by one UPDATE that is the caller's
transaction's write, so two secretaries adding at once wait for each other (SQLite's write
lock, PostgreSQL's row lock) and never get the same number. The unique indexes
``action_number`` and ``milestone_number`` stand behind it: should they ever refuse a number,
the addition is refused with a sentence, never a raw database error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import peewee

from db.models import Action, Inspection, database_proxy
from esi_desktop.errors import EsiError

T = TypeVar("T")


def next_action_number(inspection_id: int) -> int:
    """Raise the inspection's counter by one and return it (inside the caller's transaction)."""
    Inspection.update(last_action_number=Inspection.last_action_number + 1).where(
        Inspection.id == inspection_id
    ).execute()
    number = (
        Inspection.select(Inspection.last_action_number)
        .where(Inspection.id == inspection_id)
        .scalar()
    )
    return int(number)


def next_milestone_number(action_id: int) -> int:
    """Raise the action's milestone counter by one and return it (in the caller's transaction).

    The action's version is left alone: adding a milestone is not a change of the action that
    someone editing the action must be told about.
    """
    Action.update(last_milestone_number=Action.last_milestone_number + 1).where(
        Action.id == action_id
    ).execute()
    number = Action.select(Action.last_milestone_number).where(Action.id == action_id).scalar()
    return int(number)


def numbered(what: str, create: Callable[[], T]) -> T:
    """Run ``create`` (which numbers a new item), refusing a number already given clearly.

    Raises:
        EsiError: the database refused the new item's number (someone added one at the same
            moment); nothing is written.
    """
    try:
        with database_proxy.atomic():
            return create()
    except peewee.IntegrityError:
        raise EsiError(
            f"The new {what} could not be numbered because someone else added one at the same "
            "moment; nothing was added. Try again."
        ) from None
