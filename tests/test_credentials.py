"""Server passwords: PGPASSWORD or the system keyring, never the settings."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from esi_desktop import credentials


class MemoryKeyring(KeyringBackend):
    """A keyring in memory, standing in for Windows Credential Manager in tests."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    yield ring
    keyring.set_keyring(previous)


URL = "postgresql://secretary@db.board.local:5433/esi"


def test_password_comes_from_the_keyring(memory_keyring: MemoryKeyring) -> None:
    assert credentials.with_password(URL) == URL
    credentials.remember_password(URL, "p@ss word")
    assert memory_keyring.store == {
        ("ESI Desktop", "secretary@db.board.local:5433/esi"): "p@ss word"
    }
    assert credentials.with_password(URL) == (
        "postgresql://secretary:p%40ss%20word@db.board.local:5433/esi"
    )
    credentials.forget_password(URL)
    assert credentials.with_password(URL) == URL


def test_pgpassword_wins_over_the_keyring(
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials.remember_password(URL, "from-keyring")
    monkeypatch.setenv("PGPASSWORD", "from-env")
    assert ":from-env@" in credentials.with_password(URL)
    assert ":typed@" in credentials.with_password(URL, "typed")


def test_sqlite_urls_and_passwords_in_urls_are_left_alone() -> None:
    assert credentials.with_password("sqlite:///x.sqlite3") == "sqlite:///x.sqlite3"
    assert credentials.without_password("postgresql://u:secret@h:5432/db") == (
        "postgresql://u@h:5432/db"
    )


def test_no_keyring_is_a_sentence_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    from keyring.backends.fail import Keyring as NoKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        assert credentials.stored_password(URL) is None
        with pytest.raises(credentials.EsiError, match="could not be kept in the system keyring"):
            credentials.remember_password(URL, "x")
    finally:
        keyring.set_keyring(previous)


def test_the_dialog_builds_a_server_url_and_keeps_the_password_out_of_settings(
    qtbot: QtBot, memory_keyring: MemoryKeyring
) -> None:
    from PySide6.QtCore import Qt

    from ui.database.open_dialog import OpenDatabaseDialog

    dialog = OpenDatabaseDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentIndex(1)
    dialog.host.clear()
    qtbot.keyClicks(dialog.host, "db.board.local")
    dialog.port.setValue(5433)
    qtbot.keyClicks(dialog.name, "esi")
    dialog.accept()
    assert dialog.message.text() == "Fill in the user."
    qtbot.keyClicks(dialog.user, "secretary")
    qtbot.keyClicks(dialog.password, "s3cret")
    qtbot.mouseClick(dialog.remember, Qt.MouseButton.LeftButton)
    dialog.accept()
    assert dialog.result() == OpenDatabaseDialog.DialogCode.Accepted
    assert dialog.url == URL
    assert credentials.stored_password(URL) == "s3cret"
    settings = QSettings()
    assert all("s3cret" not in str(settings.value(key)) for key in settings.allKeys())


def test_a_malformed_server_url_is_left_for_the_database_to_refuse() -> None:
    assert credentials.with_password("postgresql://me@localhost:port/esi") == (
        "postgresql://me@localhost:port/esi"
    )
    assert credentials.without_password("postgresql://me:pw@localhost:port/esi") == (
        "postgresql://me@localhost:port/esi"
    )


def test_a_password_typed_without_remember_forgets_the_remembered_one(
    qtbot: QtBot, memory_keyring: MemoryKeyring
) -> None:
    from ui.database.open_dialog import OpenDatabaseDialog

    credentials.remember_password(URL, "old password")
    dialog = OpenDatabaseDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentIndex(1)
    dialog.host.clear()
    qtbot.keyClicks(dialog.host, "db.board.local")
    dialog.port.setValue(5433)
    qtbot.keyClicks(dialog.name, "esi")
    qtbot.keyClicks(dialog.user, "secretary")
    qtbot.keyClicks(dialog.password, "new password")
    assert not dialog.remember.isChecked()
    dialog.accept()
    assert dialog.result() == OpenDatabaseDialog.DialogCode.Accepted
    assert dialog.typed_password == "new password"
    assert credentials.stored_password(URL) is None
    assert memory_keyring.store == {}
