"""Reading and writing the settings through one QSettings wrapper.

The preferences are declared once, in :mod:`esi_desktop.settings` (key, type, default, label,
bounds); :meth:`Settings.value` and :meth:`Settings.set_value` read and write any of them. The
window's remembered state (geometry, splitters, the last and recent databases) is kept here too.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from esi_desktop.database import remembered_url
from esi_desktop.settings import (
    BACKUPS_TO_KEEP,
    FORCE_ROLLBACK_JOURNAL,
    REMINDER_DAYS,
    SERVER_TIMEOUT,
    Setting,
)

V = TypeVar("V", int, float, bool)

MAX_RECENT = 8
#: Where the remembered state is kept.
_RECENT_KEY, _LAST_KEY, _GEOMETRY_GROUP = "databases/recent", "databases/last", "geometry"
#: The last day the "Due and overdue" panel was shown, per database and inspection.
_PANEL_GROUP = "reminders/panel_shown"


def _panel_key(place: str) -> str:
    # a URL holds "/" and ":", which QSettings reads as groups: the key is a digest of it
    return f"{_PANEL_GROUP}/{hashlib.sha256(place.encode('utf-8')).hexdigest()[:24]}"


class Settings:
    """The preferences and the window's remembered state, read and written through QSettings."""

    def __init__(self) -> None:
        self._store = QSettings()

    # ----- the preferences (declared in esi_desktop.settings) -----------------------------------

    def value(self, setting: Setting[V]) -> V:
        """A preference's value: the default until one is set, always within its bounds.

        Values come back right from an INI file too, where they are strings ("true", "12").
        """
        return setting.read(self._store.value(setting.key, setting.default))

    def any_value(self, setting: Setting[Any]) -> int | float | bool:
        """A preference's value, whatever its type (for the Preferences dialog)."""
        value: int | float | bool = setting.read(self._store.value(setting.key, setting.default))
        return value

    def set_value(self, setting: Setting[Any], value: object) -> None:
        """Set a preference (read as its type, and brought within its bounds)."""
        self._store.setValue(setting.key, setting.read(value))

    def backups_to_keep(self) -> int:
        """How many automatic backups of a database file to keep (at least 1)."""
        return self.value(BACKUPS_TO_KEEP)

    def force_rollback_journal(self) -> bool:
        """Use SQLite's rollback journal everywhere (for a network drive not seen as one)."""
        return self.value(FORCE_ROLLBACK_JOURNAL)

    def server_timeout(self) -> float:
        """A PostgreSQL server's statement timeout in seconds (at least 1)."""
        return self.value(SERVER_TIMEOUT)

    def reminder_days(self) -> int:
        """How far ahead the Dashboard lists what falls due (not the 14-day "Due soon" flag)."""
        return self.value(REMINDER_DAYS)

    # ----- the window's remembered state ----------------------------------------------------

    def geometry(self, key: str) -> QByteArray | None:
        """A saved geometry or splitter state."""
        value = self._store.value(f"{_GEOMETRY_GROUP}/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, key: str, value: QByteArray) -> None:
        """Remember a geometry or splitter state."""
        self._store.setValue(f"{_GEOMETRY_GROUP}/{key}", value)

    def forget_geometry(self) -> None:
        """Forget every remembered window size and splitter position."""
        self._store.remove(_GEOMETRY_GROUP)

    def recent_databases(self) -> list[str]:
        """Database URLs opened lately, newest first."""
        value = self._store.value(_RECENT_KEY, [])
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def add_recent_database(self, url: str) -> None:
        """Put a URL at the top of the recent list."""
        url = remembered_url(url)  # a password never goes into the settings
        recent = [url, *(u for u in self.recent_databases() if u != url)][:MAX_RECENT]
        self._store.setValue(_RECENT_KEY, recent)

    def last_database(self) -> str | None:
        """The database open when the window last closed."""
        value = self._store.value(_LAST_KEY)
        return str(value) if value else None

    def set_last_database(self, url: str) -> None:
        """Remember the open database for next time (without a password)."""
        self._store.setValue(_LAST_KEY, remembered_url(url))

    def panel_shown_on(self, place: str) -> date | None:
        """The last day the "Due and overdue" panel was shown for ``place`` (a database and an
        inspection: :func:`ui.reminders.panel.panel_place`), or None."""
        value = self._store.value(_panel_key(place))
        try:
            return date.fromisoformat(str(value)) if value else None
        except ValueError:
            return None

    def set_panel_shown_on(self, place: str, day: date) -> None:
        """Remember that the "Due and overdue" panel was shown for ``place`` on ``day``."""
        self._store.setValue(_panel_key(place), day.isoformat())

    def sync(self) -> None:
        """Write to disk now."""
        self._store.sync()
