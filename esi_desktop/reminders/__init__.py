"""Reminders that reach people: what is due or overdue, announced while the program runs,
and e-mailed to its owners.

``due``: what an inspection has overdue or due within the reminder period (the dashboard's
rule), worded and grouped by owner; ``announce``: what became overdue or due since the last
look, each announced once; ``emails``: an unsent e-mail per owner (``main.py export
reminders``), loaded on first use.
"""

from esi_desktop.reminders.announce import Announcer, Crossing, announcement, crossings
from esi_desktop.reminders.due import (
    DueAndOverdue,
    OwnersItems,
    by_owner,
    due_and_overdue,
    load_due_and_overdue,
    owner_key,
    owner_name,
    when_text,
)

__all__ = [
    "Announcer",
    "Crossing",
    "DueAndOverdue",
    "OwnersItems",
    "announcement",
    "by_owner",
    "crossings",
    "due_and_overdue",
    "load_due_and_overdue",
    "owner_key",
    "owner_name",
    "when_text",
]
