"""Edit ▸ Preferences…: built from the declarations, driven with keys, values kept right."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QSpinBox
from pytestqt.qtbot import QtBot

from esi_desktop.rules import DUE_SOON_DAYS
from esi_desktop.settings import (
    BACKUPS_TO_KEEP,
    FORCE_ROLLBACK_JOURNAL,
    PREFERENCES,
    REMINDER_DAYS,
    SERVER_TIMEOUT,
)
from ui import app as ui_app
from ui.preferences import APPLIES, PreferencesDialog
from ui.settings import Settings


@pytest.fixture
def settings(qtbot: QtBot) -> Iterator[Settings]:
    ui_app.make_application()
    store = QSettings()
    for setting in PREFERENCES:
        store.remove(setting.key)
    yield Settings()
    for setting in PREFERENCES:
        store.remove(setting.key)
    store.sync()


@pytest.fixture
def dialog(qtbot: QtBot, settings: Settings) -> PreferencesDialog:
    shown = PreferencesDialog(settings)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def type_into(qtbot: QtBot, spin: QSpinBox | QDoubleSpinBox, text: str) -> None:
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)


def test_the_defaults_are_declared_once(settings: Settings) -> None:
    assert settings.value(BACKUPS_TO_KEEP) == settings.backups_to_keep() == 10
    assert settings.value(FORCE_ROLLBACK_JOURNAL) is False
    assert settings.value(SERVER_TIMEOUT) == settings.server_timeout() == 15.0
    assert settings.value(REMINDER_DAYS) == settings.reminder_days() == DUE_SOON_DAYS == 14


def test_the_dialog_has_an_editor_per_declaration(dialog: PreferencesDialog) -> None:
    backups_editor = dialog.editors[BACKUPS_TO_KEEP.key]
    assert isinstance(backups_editor, QSpinBox)
    assert (backups_editor.minimum(), backups_editor.maximum()) == (1, 999)
    assert backups_editor.value() == 10
    assert backups_editor.toolTip() == BACKUPS_TO_KEEP.tooltip
    journal = dialog.editors[FORCE_ROLLBACK_JOURNAL.key]
    assert isinstance(journal, QCheckBox) and journal.text() == FORCE_ROLLBACK_JOURNAL.label
    timeout = dialog.editors[SERVER_TIMEOUT.key]
    assert isinstance(timeout, QDoubleSpinBox) and timeout.suffix() == " seconds"
    days = dialog.editors[REMINDER_DAYS.key]
    assert isinstance(days, QSpinBox) and days.value() == 14 and days.suffix() == " days"
    assert APPLIES.startswith("The reminder period applies at once; the database settings")


def test_values_typed_are_saved_on_ok(
    dialog: PreferencesDialog, qtbot: QtBot, settings: Settings
) -> None:
    backups_editor = dialog.editors[BACKUPS_TO_KEEP.key]
    assert isinstance(backups_editor, QSpinBox)
    type_into(qtbot, backups_editor, "25")
    days = dialog.editors[REMINDER_DAYS.key]
    assert isinstance(days, QSpinBox)
    type_into(qtbot, days, "21")
    timeout = dialog.editors[SERVER_TIMEOUT.key]
    assert isinstance(timeout, QDoubleSpinBox)
    type_into(qtbot, timeout, "30")
    journal = dialog.editors[FORCE_ROLLBACK_JOURNAL.key]
    journal.setFocus()
    qtbot.keyClick(journal, Qt.Key.Key_Space)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == PreferencesDialog.DialogCode.Accepted
    again = Settings()
    assert again.backups_to_keep() == 25
    assert again.reminder_days() == 21
    assert again.server_timeout() == 30.0
    assert again.force_rollback_journal() is True


def test_cancel_saves_nothing(dialog: PreferencesDialog, qtbot: QtBot) -> None:
    backups_editor = dialog.editors[BACKUPS_TO_KEEP.key]
    assert isinstance(backups_editor, QSpinBox)
    type_into(qtbot, backups_editor, "3")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert Settings().backups_to_keep() == 10


def test_a_value_below_the_bounds_is_clamped_with_a_sentence(
    dialog: PreferencesDialog, qtbot: QtBot
) -> None:
    backups_editor = dialog.editors[BACKUPS_TO_KEEP.key]
    assert isinstance(backups_editor, QSpinBox)
    type_into(qtbot, backups_editor, "0")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # not saved yet: the person reads why first
    assert dialog.problem.text() == "Backups to keep can be from 1 to 999: 0 was changed to 1."
    assert backups_editor.value() == 1
    assert Settings().backups_to_keep() == 10
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert Settings().backups_to_keep() == 1


def test_a_value_above_the_bounds_cannot_be_typed(dialog: PreferencesDialog, qtbot: QtBot) -> None:
    days = dialog.editors[REMINDER_DAYS.key]
    assert isinstance(days, QSpinBox)
    type_into(qtbot, days, "4000")  # a digit past the bound is refused as it is typed
    assert days.cleanText() == "40"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.problem.text() == ""
    assert Settings().reminder_days() == 40
    assert REMINDER_DAYS.check("400") == (
        365,
        "Reminder period can be from 1 to 365 days: 400 was changed to 365.",
    )


def test_a_typed_value_that_is_not_a_number_is_refused() -> None:
    kept, problem = SERVER_TIMEOUT.check("soon")
    assert kept == 15.0
    assert problem == "Server timeout must be a number from 1 to 600 seconds; “soon” is not one."
    assert BACKUPS_TO_KEEP.check("12") == (12, "")


def test_ini_strings_read_back_right(settings: Settings) -> None:
    store = QSettings()
    store.setValue(FORCE_ROLLBACK_JOURNAL.key, "true")
    store.setValue(BACKUPS_TO_KEEP.key, "12")
    store.setValue(SERVER_TIMEOUT.key, "7.5")
    store.setValue(REMINDER_DAYS.key, "not a number")
    assert settings.force_rollback_journal() is True
    assert settings.backups_to_keep() == 12
    assert settings.server_timeout() == 7.5
    assert settings.value(REMINDER_DAYS) == 14  # unreadable: the default
    store.setValue(FORCE_ROLLBACK_JOURNAL.key, "false")
    store.setValue(BACKUPS_TO_KEEP.key, "0")
    assert settings.force_rollback_journal() is False
    assert settings.backups_to_keep() == 1  # within the bounds


def test_the_window_offers_preferences_in_the_edit_menu(
    open_window: object, qtbot: QtBot, settings: Settings
) -> None:
    from datetime import date

    from PySide6.QtWidgets import QApplication

    window = open_window(date(2005, 3, 20), sample=False)  # type: ignore[operator]
    assert window.preferences_action.text() == "&Preferences…"
    assert not window.preferences_action.shortcut().isEmpty()
    seen: list[str] = []

    def look() -> None:
        shown = QApplication.activeModalWidget()
        if not isinstance(shown, PreferencesDialog):
            from PySide6.QtCore import QTimer

            QTimer.singleShot(20, look)
            return
        seen.append(shown.windowTitle())
        shown.reject()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(20, look)
    window.preferences_action.trigger()
    assert seen == ["Preferences"]


def test_the_dashboard_reads_the_reminder_period_when_it_refreshes(
    open_window: object, settings: Settings
) -> None:
    from datetime import date

    window = open_window(date(2005, 3, 20), sample=True)  # type: ignore[operator]
    window.show_view("dashboard")
    assert window.dashboard.nothing_due_label.text().endswith("in the next 14 days.")
    settings.set_value(REMINDER_DAYS, 30)
    window.refresh()
    assert window.dashboard.nothing_due_label.text().endswith("in the next 30 days.")


def test_nan_or_infinity_in_the_settings_file_is_not_a_timeout(settings: Settings) -> None:
    store = QSettings()
    for written in ("nan", "inf", "-inf"):
        store.setValue(SERVER_TIMEOUT.key, written)
        assert settings.server_timeout() == SERVER_TIMEOUT.default  # never unbounded
    assert SERVER_TIMEOUT.check("nan")[1].startswith("Server timeout must be a number")


def test_a_value_typed_then_changed_with_the_arrows_keeps_what_is_shown(
    dialog: PreferencesDialog, qtbot: QtBot, settings: Settings
) -> None:
    backups_editor = dialog.editors[BACKUPS_TO_KEEP.key]
    assert isinstance(backups_editor, QSpinBox)
    type_into(qtbot, backups_editor, "0")
    for _ in range(3):
        qtbot.keyClick(backups_editor, Qt.Key.Key_Up)
    shown = backups_editor.value()
    assert shown >= 3  # 0 is no value the box can show: it went up from its bound
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == PreferencesDialog.DialogCode.Accepted
    assert dialog.problem.text() == ""
    assert Settings().backups_to_keep() == shown


def test_the_layers_below_fall_back_to_the_declared_defaults() -> None:
    """db cannot import the declarations; its own fallback must agree with them."""
    from db.server import DEFAULT_TIMEOUT_SECONDS
    from esi_desktop import backups

    assert SERVER_TIMEOUT.default == DEFAULT_TIMEOUT_SECONDS
    assert BACKUPS_TO_KEEP.default == backups.DEFAULT_KEEP
