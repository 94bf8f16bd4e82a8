"""Settings declared once with their defaults, read and written through one QSettings wrapper."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from esi_desktop.database import remembered_url

MAX_RECENT = 8
#: How many automatic backups of a database file to keep.
DEFAULT_BACKUPS_TO_KEEP = 10
#: Use SQLite's rollback journal even where the file does not look like it is on a network.
DEFAULT_FORCE_ROLLBACK_JOURNAL = False
#: How long a PostgreSQL server may take over one request (seconds): the statement timeout.
#: A stalled server is given up on a few seconds after it, so the window never waits longer.
DEFAULT_SERVER_TIMEOUT_SECONDS = 15


class Settings:
    """The window's remembered state: geometry, splitters, the last and recent databases."""

    def __init__(self) -> None:
        self._store = QSettings()

    def geometry(self, key: str) -> QByteArray | None:
        """A saved geometry or splitter state."""
        value = self._store.value(f"geometry/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, key: str, value: QByteArray) -> None:
        """Remember a geometry or splitter state."""
        self._store.setValue(f"geometry/{key}", value)

    def recent_databases(self) -> list[str]:
        """Database URLs opened lately, newest first."""
        value = self._store.value("databases/recent", [])
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def add_recent_database(self, url: str) -> None:
        """Put a URL at the top of the recent list."""
        url = remembered_url(url)  # a password never goes into the settings
        recent = [url, *(u for u in self.recent_databases() if u != url)][:MAX_RECENT]
        self._store.setValue("databases/recent", recent)

    def last_database(self) -> str | None:
        """The database open when the window last closed."""
        value = self._store.value("databases/last")
        return str(value) if value else None

    def set_last_database(self, url: str) -> None:
        """Remember the open database for next time (without a password)."""
        self._store.setValue("databases/last", remembered_url(url))

    def backups_to_keep(self) -> int:
        """How many automatic backups of a database file to keep (at least 1)."""
        value = self._store.value("backups/keep", DEFAULT_BACKUPS_TO_KEEP)
        try:
            return max(1, int(str(value)))
        except ValueError:
            return DEFAULT_BACKUPS_TO_KEEP

    def set_backups_to_keep(self, count: int) -> None:
        """Keep the newest ``count`` automatic backups."""
        self._store.setValue("backups/keep", max(1, count))

    def force_rollback_journal(self) -> bool:
        """Use SQLite's rollback journal everywhere (for a network drive not seen as one)."""
        value = self._store.value(
            "databases/force_rollback_journal", DEFAULT_FORCE_ROLLBACK_JOURNAL
        )
        if isinstance(value, str):  # INI files give back strings
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value) if value is not None else DEFAULT_FORCE_ROLLBACK_JOURNAL

    def set_force_rollback_journal(self, force: bool) -> None:
        """Force (or stop forcing) SQLite's rollback journal."""
        self._store.setValue("databases/force_rollback_journal", force)

    def server_timeout(self) -> float:
        """A PostgreSQL server's statement timeout in seconds (at least 1)."""
        value = self._store.value("databases/server_timeout", DEFAULT_SERVER_TIMEOUT_SECONDS)
        try:
            return max(1.0, float(str(value)))
        except ValueError:
            return float(DEFAULT_SERVER_TIMEOUT_SECONDS)

    def set_server_timeout(self, seconds: float) -> None:
        """Give a server ``seconds`` per request."""
        self._store.setValue("databases/server_timeout", max(1.0, seconds))

    def sync(self) -> None:
        """Write to disk now."""
        self._store.sync()
