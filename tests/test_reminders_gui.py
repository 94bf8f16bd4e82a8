"""The reminders in the window: the "Due and overdue" panel on opening (once a day per
database and inspection), opening an item from it, the tray watcher with a fake clock and a
fake notifier, the Preferences check box for starting with the computer, and File ▸ Export ▸
Reminder e-mails for owners…"""

from __future__ import annotations

import email
from collections.abc import Callable
from datetime import date, datetime
from email import policy
from pathlib import Path
from typing import Any

import peewee
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from esi_desktop import autostart, plan
from esi_desktop.dashboard import DueItem
from esi_desktop.inspections import list_inspections
from esi_desktop.reminders import DueAndOverdue
from esi_desktop.report.importer import import_report, preview_report
from esi_desktop.resources import SAMPLE_REPORT
from tests.conftest import Messages
from tests.test_export import rec_id
from ui import app as ui_app
from ui.preferences import AUTOSTART_LABEL, PreferencesDialog
from ui.reminders.controller import OFFER_AFTER_MS
from ui.reminders.panel import ITEM, OWNER, WHEN, DuePanel
from ui.reminders.tray import TITLE, TrayNotifier, TrayWatcher
from ui.settings import Settings
from ui.workspace import Workspace

TODAY = date(2005, 6, 1)


def add_due_items() -> dict[str, int]:
    """Two owners' items: one overdue since 15 May, one action past its target date, one
    milestone due in 3 days, one due in 30 days (beyond the 14-day period)."""
    inspection_id = list_inspections()[0].id
    audit = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[rec_id("6")],
        text="Audit ten risk of harm assessments a month",
        owner="Head of Operations",
        target_date=date(2005, 12, 31),
    )
    housing = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[rec_id("T1")],
        text="Accommodation protocol",
        owner="Jane Smith <jane.smith@glos.probation.gov.uk>",
        target_date=date(2005, 5, 31),
    )
    return {
        "audit": audit,
        "housing": housing,
        "tool": plan.add_milestone(
            action_id=audit, title="Audit tool agreed", due_date=date(2005, 5, 15), today=TODAY
        ),
        "cases": plan.add_milestone(
            action_id=audit, title="Audit of case files", due_date=date(2005, 6, 4), today=TODAY
        ),
        "later": plan.add_milestone(
            action_id=audit, title="First report", due_date=date(2005, 7, 1), today=TODAY
        ),
    }


def panel_of(window: Any) -> DuePanel | None:
    panel: DuePanel | None = window.reminders.panel
    return panel


def shown(window: Any) -> bool:
    panel = panel_of(window)
    return panel is not None and panel.isVisible()


def wait_past_the_offer(qtbot: QtBot) -> None:
    """Long enough for the panel to have been offered, had it been going to be."""
    qtbot.wait(OFFER_AFTER_MS * 3)


def test_the_panel_on_opening_once_a_day_per_database_and_inspection(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY)
    wait_past_the_offer(qtbot)
    assert not shown(window)  # the sample has no action yet: nothing is due, no panel
    ids = add_due_items()
    window.open_database(window.database_url, create=False)  # opened again: now it is offered
    qtbot.waitUntil(lambda: shown(window))
    panel = panel_of(window)
    assert panel is not None
    assert panel.heading.text().startswith("<b>Gloucestershire — January 2005</b>: ")
    assert "2 items overdue and 1 due within 14 days (as at 1 June 2005)" in panel.heading.text()
    assert panel.rows() == [
        ("AP1.1", "Audit tool agreed", "Head of Operations", "15 May 2005", "Overdue by 17 days"),
        ("AP2", "Accommodation protocol", "Jane Smith", "31 May 2005", "Overdue by 1 day"),
        ("AP1.2", "Audit of case files", "Head of Operations", "4 June 2005", "Due in 3 days"),
    ]  # fmt: skip
    assert not panel.more.isVisible()
    # it does not take the keyboard from the window
    qtbot.wait(200)
    assert QApplication.activeWindow() is window
    # Enter on a row opens the item in the Action plan
    panel.table.setCurrentItem(panel.table.topLevelItem(2))
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_view_name() == "plan")
    node = window.plan_view.current_node()
    assert (node.kind, node.item.id) == ("milestone", ids["cases"])
    # Dismiss closes it; opening again the same day does not bring it back
    qtbot.mouseClick(panel.dismiss_button, Qt.MouseButton.LeftButton)
    assert not panel.isVisible()
    window.open_database(window.database_url, create=False)
    wait_past_the_offer(qtbot)
    assert not panel.isVisible()
    # View ▸ Due and overdue… (Ctrl+Shift+D) shows it whenever asked
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_D,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(panel.isVisible)
    assert len(panel.rows()) == 3


def test_a_new_day_offers_it_again_and_the_same_day_does_not(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    first = open_window(TODAY)
    add_due_items()
    first.open_database(first.database_url, create=False)
    qtbot.waitUntil(lambda: shown(first))
    first.close()
    # the program started again the same day, on the same database: not again
    again = open_window(TODAY, sample=False)
    wait_past_the_offer(qtbot)
    assert not shown(again)
    again.close()
    # the next day: again, one day later
    tomorrow = open_window(date(2005, 6, 2), sample=False)
    qtbot.waitUntil(lambda: shown(tomorrow))
    panel = panel_of(tomorrow)
    assert panel is not None and panel.rows()[0][-1] == "Overdue by 18 days"


def test_a_long_list_is_cut_and_points_to_the_dashboard(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY)
    ids = add_due_items()
    for day in range(1, 61):
        plan.add_milestone(
            action_id=ids["audit"], title=f"Team visit {day}", due_date=date(2005, 3, 1 + day % 28),
            today=TODAY,
        )  # fmt: skip
    window.open_database(window.database_url, create=False)
    qtbot.waitUntil(lambda: shown(window))
    panel = panel_of(window)
    assert panel is not None and len(panel.rows()) == 50
    assert panel.more.text() == "and 13 more — see the Dashboard"


# ----- the tray watcher ------------------------------------------------------------------------


class FakeNotifier:
    def __init__(self) -> None:
        self.said: list[tuple[str, str]] = []

    def notify(self, title: str, message: str) -> None:
        self.said.append((title, message))


def test_the_watcher_announces_an_item_crossing_into_overdue_once(
    sample_db: peewee.Database, qtbot: QtBot
) -> None:
    ui_app.make_application()
    add_due_items()
    clock = [TODAY]
    workspace = Workspace(today=lambda: clock[0])
    workspace.set_inspection(list_inspections()[0].id)
    notifier = FakeNotifier()
    watcher = TrayWatcher(
        workspace, days=lambda: 14, notifier=notifier, now=lambda: datetime(2005, 6, 1, 23, 59)
    )
    watcher.start()
    # set for five seconds past midnight, and every half hour
    assert watcher.midnight.interval() == 65_000
    assert watcher.timer.isActive() and watcher.timer.interval() == 30 * 60 * 1000
    assert watcher.check() == []  # what was due on opening is the panel's
    clock[0] = date(2005, 6, 5)  # "Audit of case files" was due on 4 June
    with qtbot.waitSignal(watcher.announced) as announced:
        watcher.check()
    assert notifier.said == [
        (TITLE, "AP1.2 Audit of case files is now overdue (Head of Operations)")
    ]
    assert announced.args == ["AP1.2 Audit of case files is now overdue (Head of Operations)"]
    with qtbot.assertNotEmitted(watcher.announced):
        watcher.check()
    clock[0] = date(2005, 6, 6)
    assert watcher.check() == []
    assert len(notifier.said) == 1  # never repeated
    # 17 June: "First report" (1 July) comes within 14 days
    clock[0] = date(2005, 6, 17)
    watcher.check()
    assert notifier.said[-1] == (
        TITLE, "AP1.3 First report is due on 1 July 2005 (Head of Operations)"
    )  # fmt: skip


def test_without_a_system_tray_the_status_bar_says_it(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY)
    notifier = TrayNotifier(window)
    notifier.notify(TITLE, "3 items became overdue: AP3.2, AP4.1, AP7")
    assert window.statusBar().currentMessage() == "3 items became overdue: AP3.2, AP4.1, AP7"
    assert notifier.tray is None  # offscreen: no tray, and no error


# ----- starting with the computer --------------------------------------------------------------


@pytest.fixture
def settings(qtbot: QtBot) -> Settings:
    ui_app.make_application()
    QSettings().sync()
    return Settings()


def open_preferences(qtbot: QtBot, settings: Settings) -> PreferencesDialog:
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_the_preferences_check_box_starts_it_with_the_computer(
    qtbot: QtBot, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    entry = tmp_path / "autostart" / "esi-desktop.desktop"
    dialog = open_preferences(qtbot, settings)
    box = dialog.autostart_box
    assert box.text() == AUTOSTART_LABEL and box.isEnabled() and not box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert not entry.exists()  # nothing changes until OK
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert entry.is_file() and autostart.is_enabled()
    dialog = open_preferences(qtbot, settings)
    assert dialog.autostart_box.isChecked()
    qtbot.mouseClick(dialog.autostart_box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not entry.exists() and not autostart.is_enabled()


def test_where_it_is_not_offered_the_box_says_why(
    qtbot: QtBot, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(autostart, "supported", lambda: False)
    dialog = open_preferences(qtbot, settings)
    assert not dialog.autostart_box.isEnabled()
    assert "not offered on macOS" in dialog.autostart_box.toolTip()


# ----- the owners' e-mails from the window ------------------------------------------------------


def test_export_reminder_e_mails_from_the_file_menu(
    open_window: Callable[..., Any],
    qtbot: QtBot,
    messages: Messages,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(TODAY)
    folder = tmp_path / "reminders"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(folder))
    window.export_reminders_action.trigger()
    assert messages[-1] == (
        "Reminder e-mails for owners",
        "Nobody has anything overdue or due within 14 days, so there is no reminder to send.",
    )
    add_due_items()
    window.workspace.invalidate()
    window.export_reminders_action.trigger()
    said = (
        f"Wrote 2 e-mails to {folder}. 1 owner has no e-mail address in the plan: fill in To "
        "in Outlook before sending."
    )
    assert messages[-1] == ("Reminder e-mails for owners", said)
    assert window.statusBar().currentMessage() == said
    files = sorted(folder.glob("*.eml"))
    assert [p.name for p in files] == [
        "Head of Operations – due and overdue 1 June 2005.eml",
        "Jane Smith – due and overdue 1 June 2005.eml",
    ]
    jane = email.message_from_bytes(files[1].read_bytes(), policy=policy.default)
    assert jane["X-Unsent"] == "1" and "jane.smith@glos.probation.gov.uk" in jane["To"]
    # again: asked before the files there are replaced (the fixture answers Yes)
    window.export_reminders_action.trigger()
    assert messages[-2][1].endswith("Replace them?")
    assert messages[-1] == ("Reminder e-mails for owners", said)


# ----- found in review -----------------------------------------------------------------------


def import_another_area(tmp_path: Path) -> int:
    """The sample report as if of another area (Wiltshire): a second inspection, nothing due."""
    text = SAMPLE_REPORT.read_text(encoding="utf-8").replace("Gloucestershire", "Wiltshire")
    path = tmp_path / "wiltshire.txt"
    path.write_text(text, encoding="utf-8")
    return import_report(preview=preview_report(path=path)).inspection_id


def test_switching_to_another_inspection_never_leaves_the_first_ones_list_on_show(
    open_window: Callable[..., Any], qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window(TODAY)
    add_due_items()
    other = import_another_area(tmp_path)
    window.open_database(window.database_url, create=False)
    qtbot.waitUntil(lambda: shown(window))
    panel = panel_of(window)
    assert panel is not None and "Gloucestershire" in panel.heading.text()
    first = window.workspace.inspection_id
    # the secretary picks the other inspection, which has nothing due
    switcher = window.inspection_switcher
    switcher.setCurrentIndex(window.inspection_model.row_of(other))
    assert window.workspace.inspection_id == other
    wait_past_the_offer(qtbot)
    # Gloucestershire's list (whose rows would open items of the other plan) is not left up
    assert not panel.isVisible()
    # back and forth the same day: no storm, it was shown for Gloucestershire today
    switcher.setCurrentIndex(window.inspection_model.row_of(first))
    wait_past_the_offer(qtbot)
    switcher.setCurrentIndex(window.inspection_model.row_of(other))
    switcher.setCurrentIndex(window.inspection_model.row_of(first))
    wait_past_the_offer(qtbot)
    assert not panel.isVisible()


def test_the_items_words_keep_their_room_beside_a_long_owner(qtbot: QtBot) -> None:
    ui_app.make_application()
    owner = (
        "Assistant Chief Officer (Interventions and Public Protection) "
        "<aco.interventions@glos.probation.gov.uk>"
    )
    item = DueItem(
        "milestone", 1, 1, "Audit of case files against the national standard", owner, (),
        date(2005, 5, 15), "Audit ten risk of harm assessments", "Not started", TODAY,
        reference="AP1.1", action_reference="AP1",
    )  # fmt: skip
    panel = DuePanel()
    qtbot.addWidget(panel)
    panel.resize(860, 360)  # as on a 1920 × 1080 screen at 200%
    panel.set_items("Gloucestershire — January 2005", DueAndOverdue((item,), (), 14, TODAY))
    panel.show()
    qtbot.waitExposed(panel)
    # the owner's name, not the address written with it (the tooltip has it all)
    assert panel.rows()[0][OWNER] == "Assistant Chief Officer (Interventions and Public Protection)"
    assert owner in panel.table.topLevelItem(0).toolTip(OWNER)
    header = panel.table.header()
    em = panel.table.fontMetrics().horizontalAdvance("M")
    assert header.sectionSize(ITEM) >= em * 20
    # the date and how late it is are in sight, not scrolled off to the right
    viewport = panel.table.viewport().width()
    assert header.sectionViewportPosition(WHEN) + header.sectionSize(WHEN) <= viewport


def test_the_panel_waits_while_a_dialog_is_in_use_and_never_takes_its_keyboard(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout

    window = open_window(TODAY)
    add_due_items()
    dialog = QDialog(window)
    typed = QLineEdit(dialog)
    QVBoxLayout(dialog).addWidget(typed)
    dialog.open()  # window-modal, as the program's import and export dialogs are
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    # the database opened again (as a refresh after an import does): its offer falls while
    # the dialog is in use
    window.open_database(window.database_url, create=False)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    wait_past_the_offer(qtbot)
    assert not shown(window)
    assert dialog.isActiveWindow()
    qtbot.keyClicks(typed, "still mine")
    assert typed.text() == "still mine"
    dialog.accept()
    qtbot.waitUntil(lambda: shown(window))  # offered once the dialog is closed


def test_only_a_left_or_double_click_on_the_tray_icon_opens_the_panel() -> None:
    from PySide6.QtWidgets import QSystemTrayIcon

    from ui.reminders.tray import opens_panel

    reason = QSystemTrayIcon.ActivationReason
    assert opens_panel(reason.Trigger) and opens_panel(reason.DoubleClick)
    assert not opens_panel(reason.Context)  # the right button: the icon's menu, not the panel
    assert not opens_panel(reason.MiddleClick)
