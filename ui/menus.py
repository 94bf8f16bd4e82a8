"""The main window's menu bar: every action, its shortcut and what it calls.

:func:`build_menus` makes the actions as attributes of the window (tests and the user guide
find them there) and connects them to the window's slots and to the flows' modules.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from esi_desktop import database

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def _action(window: MainWindow, text: str, shortcut: QKeySequence | str, slot: object) -> QAction:
    action = QAction(text, window)
    action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(slot)
    return action


def build_menus(window: MainWindow, views: tuple[tuple[str, str, str], ...]) -> None:
    """File, Edit, Inspection, View and Help, with their shortcuts."""
    file_menu = window.menuBar().addMenu("&File")
    window.new_database_action = _action(
        window, "&New database…", "Ctrl+N", window.new_database_dialog
    )
    window.open_database_action = _action(
        window, "&Open database…", "Ctrl+O", window.open_database_dialog
    )
    window.recent_menu = file_menu.addMenu("Open &recent")
    window.recent_menu.aboutToShow.connect(lambda: _fill_recent_menu(window))
    window.import_action = _action(
        window, "Inspection &report…", "Ctrl+I", window.import_report_dialog
    )
    window.sample_action = _action(
        window, "Load &sample inspection", "Ctrl+Shift+S", window.load_sample
    )
    window.new_inspection_action = _action(
        window, "Ne&w inspection…", "Ctrl+Alt+N", lambda: _new_inspection(window)
    )
    window.export_menu = QMenu("&Export", window)
    window.export_response_action = _action(
        window, "&Response and action plan…", "Ctrl+E", window.export_response
    )
    window.export_progress_action = _action(
        window, "Board &progress paper…", "Ctrl+Shift+E", window.export_progress
    )
    window.export_word_action = _action(
        window,
        "Response and action plan as &Word…",
        "Ctrl+Shift+W",
        lambda: _office(window, "word"),
    )
    window.export_workbook_action = _action(
        window,
        "Action plan as E&xcel workbook…",
        "Ctrl+Shift+K",
        lambda: _office(window, "workbook"),
    )
    window.export_calendar_action = _action(
        window, "&Calendar for Outlook…", "Ctrl+Shift+C", lambda: _office(window, "calendar")
    )
    window.email_action = _action(
        window, "Sen&d by e-mail…", "Ctrl+Shift+M", lambda: _office(window, "email")
    )
    window.export_menu.addAction(window.export_response_action)
    window.export_menu.addAction(window.export_progress_action)
    window.export_menu.addSeparator()
    window.export_menu.addAction(window.export_word_action)
    window.export_menu.addAction(window.export_workbook_action)
    window.export_menu.addAction(window.export_calendar_action)
    window.export_returns_action = _action(
        window, "Owners' progress &returns…", "Ctrl+Shift+U", lambda: _returns(window, "out")
    )
    window.export_menu.addAction(window.export_returns_action)
    window.export_bundle_action = _action(
        window, "Evidence &bundle for the inspectors…", "Ctrl+Shift+J", lambda: _bundle(window)
    )
    window.export_menu.addAction(window.export_bundle_action)
    window.export_reminders_action = _action(
        window, "Reminder &e-mails for owners…", "", lambda: _reminders_export(window)
    )
    window.export_menu.addAction(window.export_reminders_action)
    window.export_menu.addSeparator()
    window.import_menu = QMenu("&Import", window)
    window.import_tracker_action = _action(
        window, "&Action plan from Excel…", "Ctrl+Shift+P", lambda: _tracker(window)
    )
    window.import_returns_action = _action(
        window, "Owners' progress &returns…", "Ctrl+Shift+G", lambda: _returns(window, "in")
    )
    window.mark_sent_action = _action(
        window, "&Mark plan as sent to the Inspectorate…", "Ctrl+Shift+T", window.mark_plan_sent
    )
    window.extensions_action = _action(
        window, "E&xtension requests and decisions…", "Ctrl+Shift+X", lambda: _extensions(window)
    )

    window.export_history_action = _action(
        window,
        "Export the change &history (CSV)…",
        "Ctrl+Shift+H",
        lambda: _history_dialog().export_history(window),
    )
    window.export_menu.addAction(window.export_history_action)
    window.restore_action = _action(
        window, "Restore &backup…", "Ctrl+Shift+B", window.restore_backup
    )
    window.quit_action = _action(window, "&Quit", "Ctrl+Q", window.close)
    file_menu.addAction(window.new_database_action)
    file_menu.addAction(window.open_database_action)
    file_menu.addMenu(window.recent_menu)
    file_menu.addSeparator()
    window.import_menu.addAction(window.import_action)
    window.import_menu.addAction(window.import_tracker_action)
    window.import_menu.addAction(window.import_returns_action)
    file_menu.addAction(window.new_inspection_action)
    file_menu.addMenu(window.import_menu)
    file_menu.addAction(window.sample_action)
    file_menu.addMenu(window.export_menu)
    file_menu.addAction(window.email_action)
    file_menu.addAction(window.mark_sent_action)
    file_menu.addAction(window.extensions_action)
    file_menu.addSeparator()
    file_menu.addAction(window.restore_action)
    file_menu.addSeparator()
    file_menu.addAction(window.quit_action)

    edit_menu = window.menuBar().addMenu("&Edit")
    window.undo_action = window.workspace.undo_stack.createUndoAction(window, "&Undo")
    window.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
    window.redo_action = window.workspace.undo_stack.createRedoAction(window, "&Redo")
    window.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
    edit_menu.addAction(window.undo_action)
    edit_menu.addAction(window.redo_action)
    edit_menu.addSeparator()
    window.history_action = _action(
        window,
        "&History of the selected item…",
        "Ctrl+H",
        lambda: _history_dialog().history_of_selected(window),
    )
    edit_menu.addAction(window.history_action)
    window.evidence_action = _action(
        window,
        "&Evidence of the selected item…",
        "Ctrl+Shift+V",
        lambda: _evidence_dialog().evidence_of_selected(window),
    )
    edit_menu.addAction(window.evidence_action)
    edit_menu.addSeparator()
    # the platform's own Preferences shortcut where it has one (Ctrl+, elsewhere)
    standard = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
    window.preferences_action = _action(
        window, "&Preferences…", standard[0] if standard else "Ctrl+,", window.show_preferences
    )
    window.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
    edit_menu.addAction(window.preferences_action)

    inspection_menu = window.menuBar().addMenu("&Inspection")
    window.edit_inspection_action = _action(
        window, "&Edit inspection…", "Ctrl+Shift+I", lambda: _inspection().edit_current(window)
    )
    window.archive_action = _action(
        window,
        "&Archive or unarchive inspection",
        "Ctrl+Shift+R",
        lambda: _inspection().archive_or_unarchive(window),
    )
    window.show_archived_action = _action(
        window,
        "&Show archived inspections",
        "Ctrl+Alt+H",
        lambda: _inspection().show_archived(window, window.show_archived_action.isChecked()),
    )
    window.show_archived_action.setCheckable(True)
    window.delete_inspection_action = _action(
        window,
        "&Delete inspection…",
        "Ctrl+Shift+Del",
        lambda: _inspection().delete_current(window),
    )
    for action in (window.edit_inspection_action, window.archive_action):
        inspection_menu.addAction(action)
    inspection_menu.addAction(window.show_archived_action)
    inspection_menu.addSeparator()
    inspection_menu.addAction(window.delete_inspection_action)

    view_menu = window.menuBar().addMenu("&View")
    window.view_actions = []
    for name, title, shortcut in views:
        action = _action(window, f"&{title}", shortcut, lambda _=False, n=name: window.show_view(n))
        view_menu.addAction(action)
        window.view_actions.append(action)
    view_menu.addSeparator()
    # shown when asked, even if it was shown today already
    window.due_panel_action = _action(
        window, "&Due and overdue…", "Ctrl+Shift+D", lambda: window.reminders.show_panel()
    )
    view_menu.addAction(window.due_panel_action)

    help_menu = window.menuBar().addMenu("&Help")
    window.guide_action = _action(
        window, "&User guide", "F1", lambda: _help().show_user_guide(window)
    )
    window.about_action = _action(
        window, "&About ESI Desktop", "Ctrl+F1", lambda: _help().show_about(window)
    )
    window.log_action = _action(
        window, "Open the &log folder", "Ctrl+Shift+L", lambda: _help().open_log_folder()
    )
    help_menu.addAction(window.guide_action)
    help_menu.addSeparator()
    help_menu.addAction(window.about_action)
    help_menu.addAction(window.log_action)
    # what needs an inspection chosen: greyed out until there is one
    window.inspection_actions = [
        window.export_response_action,
        window.export_progress_action,
        window.mark_sent_action,
        window.extensions_action,
        window.export_word_action,
        window.export_workbook_action,
        window.export_calendar_action,
        window.email_action,
        window.export_returns_action,
        window.export_reminders_action,
        window.export_bundle_action,
        window.due_panel_action,
        window.import_tracker_action,
        window.import_returns_action,
        window.history_action,
        window.evidence_action,
        window.export_history_action,
        *window.view_actions,
    ]
    window.enable_inspection_actions(False)


def _help() -> ModuleType:
    from ui import help  # the guide and the About box, loaded when asked for

    return help


def _office(window: MainWindow, what: str) -> None:
    from ui.export import office  # loaded on first use (python-docx, openpyxl, icalendar later)

    dialog = {
        "word": office.export_word_dialog,
        "workbook": office.export_workbook_dialog,
        "calendar": office.export_calendar_dialog,
        "email": office.email_dialog,
    }[what]
    dialog(window, window.workspace)


def _returns(window: MainWindow, way: str) -> None:
    from ui.export import returns  # loaded on first use (openpyxl)

    if way == "out":
        returns.export_returns_dialog(window, window.workspace)
    else:
        returns.import_returns_dialog(window, window.workspace)


def _reminders_export(window: MainWindow) -> None:
    from ui.reminders.export import export_reminders_dialog  # loaded on first use

    export_reminders_dialog(window, window.workspace, window.settings.reminder_days())


def _bundle(window: MainWindow) -> None:
    from ui.export.bundle import export_bundle_dialog  # loaded on first use (pypdf)

    export_bundle_dialog(window, window.workspace)


def _tracker(window: MainWindow) -> None:
    from ui.importing.tracker_dialog import import_tracker_dialog  # loaded on first use

    import_tracker_dialog(window)


def _new_inspection(window: MainWindow) -> None:
    from ui.new_inspection import new_inspection_dialog  # loaded on first use

    new_inspection_dialog(window)


def _extensions(window: MainWindow) -> None:
    from ui.plan.extensions import extensions_dialog  # loaded on first use

    extensions_dialog(window, window.workspace)


def _fill_recent_menu(window: MainWindow) -> None:
    """File ▸ Open recent, filled each time it opens."""
    window.recent_menu.clear()
    recent = window.settings.recent_databases()
    if not recent:
        window.recent_menu.addAction("(none yet)").setEnabled(False)
    for number, url in enumerate(recent, start=1):
        action = window.recent_menu.addAction(f"&{number} {database.describe_url(url)}")
        action.setShortcut(QKeySequence(f"Ctrl+Alt+{number}"))
        action.triggered.connect(lambda _=False, u=url: window.open_database(u, create=False))


# what the menus open is loaded when first chosen: start-up does not pay for the inspection
# record's editor (and through it the follow-up view) or the history dialog


def _inspection() -> ModuleType:
    from ui import inspection

    return inspection


def _history_dialog() -> ModuleType:
    from ui import history_dialog

    return history_dialog


def _evidence_dialog() -> ModuleType:
    from ui.evidence import dialog

    return dialog
