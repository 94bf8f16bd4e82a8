"""The preferences a person can set, each declared once: key, type, default, label and bounds.

Pure data (no Qt, no database): the window reads and writes the values through QSettings
(:mod:`ui.settings`) and builds its Preferences dialog from :data:`PREFERENCES`
(:mod:`ui.preferences`); the application layer is handed the values (opening a database
takes the backups to keep, the journal switch and the server's timeout; the reminders take
:data:`REMINDER_DAYS`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

from esi_desktop.rules import DUE_SOON_DAYS

V = TypeVar("V", int, float, bool)

#: Strings an INI file (or a platform's settings store) gives back for a true switch.
_TRUE_WORDS = ("true", "1", "yes", "on")


@dataclass(frozen=True)
class Setting(Generic[V]):
    """One preference.

    Attributes:
        key: where QSettings keeps it ("backups/keep").
        type: ``int``, ``float`` (seconds) or ``bool``.
        default: the value until the person sets one.
        label: the words beside its editor in the Preferences dialog.
        tooltip: one or two sentences saying what it does.
        minimum: the least value allowed (numbers only).
        maximum: the greatest value allowed (numbers only).
        unit: the unit shown after a number ("seconds", "days"), or "".
    """

    key: str
    type: type[V]
    default: V
    label: str
    tooltip: str
    minimum: V | None = None
    maximum: V | None = None
    unit: str = ""

    def read(self, stored: object) -> V:
        """The value from what the settings store gave back (perhaps a string from an INI
        file); the default when it is missing or unreadable, clamped to the bounds."""
        if stored is None:
            return self.default
        if self.type is bool:
            if isinstance(stored, str):
                return self.type(stored.strip().lower() in _TRUE_WORDS)
            return self.type(bool(stored))
        try:
            value = self.type(str(stored).strip())
        except ValueError:
            return self.default
        if isinstance(value, float) and not math.isfinite(value):
            return self.default  # "nan" and "inf" read as floats but are no timeout
        return self.clamp(value)

    def clamp(self, value: V) -> V:
        """``value`` brought within the bounds."""
        if self.minimum is not None and value < self.minimum:
            return self.minimum
        if self.maximum is not None and value > self.maximum:
            return self.maximum
        return value

    def bounds(self) -> str:
        """The allowed values in words ("from 1 to 999 days")."""
        unit = f" {self.unit}" if self.unit else ""
        return f"from {_number(self.minimum)} to {_number(self.maximum)}{unit}"

    def check(self, typed: str) -> tuple[V, str]:
        """A number typed by the person: the value to keep, and a sentence when it is not
        kept as typed (empty when it is).

        A value outside the bounds is brought to the nearest bound, and the sentence says
        so; something that is not a number is refused (the default is returned with the
        sentence, and nothing should be saved).
        """
        text = typed.strip().removesuffix(self.unit).strip()
        kind = "whole number" if self.type is int else "number"
        try:
            value = self.type(text)
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(text)
        except ValueError:
            shown = f"“{text}” is not one" if text else "nothing was typed"
            return self.default, f"{self.label} must be a {kind} {self.bounds()}; {shown}."
        kept = self.clamp(value)
        if kept != value:
            return kept, (
                f"{self.label} can be {self.bounds()}: {_number(value)} was changed to "
                f"{_number(kept)}."
            )
        return kept, ""


def _number(value: float | None) -> str:
    if value is None:
        return "any"
    return f"{value:g}" if isinstance(value, float) else str(value)


BACKUPS_TO_KEEP: Setting[int] = Setting(
    key="backups/keep",
    type=int,
    default=10,
    label="Backups to keep",
    tooltip="How many automatic backups of a database file to keep; older ones are removed.",
    minimum=1,
    maximum=999,
)

FORCE_ROLLBACK_JOURNAL: Setting[bool] = Setting(
    key="databases/force_rollback_journal",
    type=bool,
    default=False,
    label="Always use SQLite's rollback journal",
    tooltip=(
        "Use SQLite's rollback journal even where the database file does not look like it is "
        "on a network drive: safer on a network drive the system does not report as one, but "
        "slower."
    ),
)

SERVER_TIMEOUT: Setting[float] = Setting(
    key="databases/server_timeout",
    type=float,
    default=15.0,
    label="Server timeout",
    tooltip=(
        "How long a PostgreSQL server may take over one request (its statement timeout); a "
        "stalled server is given up on a few seconds after it, so the window never waits longer."
    ),
    minimum=1.0,
    maximum=600.0,
    unit="seconds",
)

REMINDER_DAYS: Setting[int] = Setting(
    key="reminders/due_soon_days",
    type=int,
    default=DUE_SOON_DAYS,
    label="Reminder period",
    tooltip=(
        "How many days ahead the Dashboard lists what falls due. The “Due soon” flag and the "
        "RAG status always use 14 days, the framework's rule, so every secretary sees the same."
    ),
    minimum=1,
    maximum=365,
    unit="days",
)

CALENDAR_REMINDER_DAYS: Setting[int] = Setting(
    key="reminders/calendar_alarm_days",
    type=int,
    default=7,
    label="Calendar reminder",
    tooltip=(
        "How many days before a milestone, target date or Board meeting Outlook reminds you, "
        "in the calendar file File ▸ Export ▸ Calendar writes."
    ),
    minimum=0,
    maximum=90,
    unit="days",
)

EVIDENCE_MAX_MB: Setting[int] = Setting(
    key="evidence/max_file_mb",
    type=int,
    default=25,
    label="Largest evidence file",
    tooltip=(
        "The largest file that can be attached as evidence. Evidence is kept in the database, "
        "so every backup carries it; a shared plan's evidence is shared with it."
    ),
    minimum=1,
    maximum=500,
    unit="MB",
)

#: The preferences the Preferences dialog shows, in its order.
PREFERENCES: tuple[Setting[int] | Setting[float] | Setting[bool], ...] = (
    BACKUPS_TO_KEEP,
    FORCE_ROLLBACK_JOURNAL,
    SERVER_TIMEOUT,
    REMINDER_DAYS,
    CALENDAR_REMINDER_DAYS,
    EVIDENCE_MAX_MB,
)
