"""Settings declared once with their defaults, read and written through one QSettings wrapper."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


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
        recent = [url, *(u for u in self.recent_databases() if u != url)][:MAX_RECENT]
        self._store.setValue("databases/recent", recent)

    def last_database(self) -> str | None:
        """The database open when the window last closed."""
        value = self._store.value("databases/last")
        return str(value) if value else None

    def set_last_database(self, url: str) -> None:
        """Remember the open database for next time."""
        self._store.setValue("databases/last", url)

    def sync(self) -> None:
        """Write to disk now."""
        self._store.sync()
