"""The main window: the inspection switcher, navigation between the views, and undo.

The menu bar is built by :mod:`ui.menus`, an item's history by :mod:`ui.history_dialog`, the
guide and the About box by :mod:`ui.help`, what undo did is said by :mod:`ui.undo_outcomes`;
the database and its outages live in :mod:`ui.database.connection`, importing in
:mod:`ui.importing`, exporting in :mod:`ui.export`, long work in :mod:`ui.runner`; the window
keeps thin methods by the old names that call them.
"""

# Over 500 lines: the slots the menus call, and thin delegates to the database, import, views.

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from esi_desktop import database, inspections
from esi_desktop.errors import EsiError
from esi_desktop.plan import ConflictError
from esi_desktop.wording import long_date, month_year
from ui import accessibility, runner
from ui.database.connection import DatabaseConnection
from ui.edits import Edits
from ui.lazy_stack import LazyStack
from ui.models import InspectionListModel
from ui.reminders import Reminders
from ui.runner import BackgroundTask
from ui.screen import fit_to_screen
from ui.settings import Settings
from ui.start_pages import NoDatabasePage, WelcomePage
from ui.undo_outcomes import UndoOutcomes
from ui.view_stack import NAMES as VIEW_NAMES
from ui.view_stack import VIEWS, ViewStack
from ui.workspace import OVERWRITE, RELOAD, Workspace

if TYPE_CHECKING:
    from esi_desktop.report.importer import ImportPreview
    from ui.help import GuideDialog
    from ui.importing.flow import ReportImport

PAGE_NO_DATABASE, PAGE_EMPTY, PAGE_WORKSPACE = range(3)

#: The workspace's views, in the navigation's order: (name, title, shortcut).


class MainWindow(QMainWindow):
    """ESI Desktop's main window: the menus, the inspection switcher and the views.

    The open database and what happens to it (other people's changes, a file replaced
    underneath, a server lost) are :attr:`connection`'s (:mod:`ui.database.connection`); importing a
    report is :attr:`importer`'s (:mod:`ui.importing`).
    """

    # the menu bar's actions (made by ui.menus.build_menus)
    about_action: QAction
    archive_action: QAction
    delete_inspection_action: QAction
    due_panel_action: QAction
    edit_inspection_action: QAction
    evidence_action: QAction
    export_history_action: QAction
    export_menu: QMenu
    export_progress_action: QAction
    export_response_action: QAction
    guide_action: QAction
    history_action: QAction
    import_action: QAction
    log_action: QAction
    mark_sent_action: QAction
    extensions_action: QAction
    export_word_action: QAction
    export_workbook_action: QAction
    export_calendar_action: QAction
    email_action: QAction
    export_returns_action: QAction
    export_reminders_action: QAction
    export_bundle_action: QAction
    import_tracker_action: QAction
    import_returns_action: QAction
    import_menu: QMenu
    new_database_action: QAction
    new_inspection_action: QAction
    open_database_action: QAction
    preferences_action: QAction
    quit_action: QAction
    recent_menu: QMenu
    redo_action: QAction
    restore_action: QAction
    sample_action: QAction
    show_archived_action: QAction
    undo_action: QAction
    view_actions: list[QAction]
    inspection_actions: list[QAction]
    #: Help ▸ User guide's window, once opened (ui.help.show_user_guide)
    user_guide: GuideDialog

    def __init__(self, today: Callable[[], date] = date.today) -> None:
        super().__init__()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            accessibility.install(app)  # every view and dialog: Tab leaves tables (issue 18)
        self.settings = Settings()
        self.workspace = Workspace(today=today)
        self.edits = Edits(self.workspace)
        self.workspace.failed.connect(self._edit_failed)
        self.workspace.resolve_conflict = self.resolve_conflict
        self.workspace.navigate.connect(self.navigate)
        self.workspace.changed.connect(self._show_heading)
        self.connection = DatabaseConnection(self)
        self._importer: ReportImport | None = None  # made on first use (the importer)
        self.setWindowTitle("ESI Desktop")
        self.setAccessibleName("ESI Desktop")

        # the welcome page of an empty database is built when first shown (issue 13)
        self.pages = LazyStack(
            [self._build_no_database_page, self._build_empty_page, self._build_workspace_page]
        )
        self.pages.page(PAGE_NO_DATABASE)  # on show until a database is open
        self.pages.page(PAGE_WORKSPACE)
        # a lost server connection: one calm notice above the pages, never a dialog per call
        self.outage_banner = self.connection.banner
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.outage_banner)
        central_layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self.reminders = Reminders(self)  # the due panel, once a day; tray notices
        self.statusBar().showMessage("Ready")
        # see other people's changes: on regaining focus, and every minute in the background
        self.refresh_timer = self.connection.refresh_timer

        geometry = self.settings.geometry("main_window")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            fit_to_screen(self, 1180, 760)
        splitter_state = self.settings.geometry("main_splitter")
        if splitter_state is not None:
            self.splitter.restoreState(splitter_state)
        elif self.width() < 1100:  # a small screen: the views take all the room they can
            panel = self.splitter.widget(0)
            left = panel.minimumWidth() if panel is not None else 230
            self.splitter.setSizes([left, self.width() - left])

    # ----- the database (see ui.database.connection) --------------------------------------

    @property
    def database_url(self) -> str | None:
        """The open database's URL (without a password), or None."""
        return self.connection.url

    @property
    def outage_notices(self) -> int:
        """How many times the notice of a lost connection was put up (one per outage)."""
        return self.connection.outage_notices

    def open_initial_database(self, url: str | None) -> None:
        """Open the database named on the command line, else the last one, else the default."""
        self.connection.open_initial(url)

    def open_database(self, url: str, *, create: bool = True, password: str | None = None) -> bool:
        """Open a database and show its inspections; a failure is shown, never raised."""
        return self.connection.open(url, create=create, password=password)

    def refresh_if_changed(self) -> bool:
        """Reload the views if another connection changed the database since last time."""
        return self.connection.refresh_if_changed()

    @Slot()
    def new_database_dialog(self) -> None:
        """File ▸ New database…: create a new, empty database file and open it."""
        name, _ = QFileDialog.getSaveFileName(
            self,
            "New database",
            "",
            "ESI Desktop databases (*.sqlite3 *.sqlite *.db);;All files (*)",
        )
        if name:
            path = Path(name)
            if path.suffix == "":
                path = path.with_suffix(".sqlite3")
            self.open_database(f"sqlite:///{path}", create=True)

    @Slot()
    def open_database_dialog(self) -> None:
        """File ▸ Open database…: a database file, or a shared PostgreSQL server."""
        self.connection.open_database_dialog()

    @Slot()
    def restore_backup(self) -> None:
        """File ▸ Restore backup…: put an earlier copy of this database back."""
        self.connection.restore_backup()

    def changeEvent(self, event: QEvent) -> None:
        """Refresh from the database when the window regains focus."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.connection.window_activated()

    def keep_what_is_typed(self) -> bool:
        """Save a response typed but not yet left (as a draft if incomplete).

        Returns:
            False when it could not be saved (the editor says why).
        """
        responses = self.views.built.get("recommendations")
        commit = getattr(responses, "commit", None)
        if callable(commit):
            commit()
            return not responses.editor.pending  # type: ignore[union-attr]
        return True

    def show_no_database(self, reason: str) -> None:
        """Show the page saying no database is open, and why."""
        self.workspace.set_inspection(None)
        self.no_database_label.setText(f"No database is open.\n\n{reason}")
        self.pages.setCurrentIndex(PAGE_NO_DATABASE)
        self.setWindowTitle("ESI Desktop")

    # ----- importing (see ui.importing) -----------------------------------------------------

    @property
    def importer(self) -> ReportImport:
        """Importing a report (:mod:`ui.importing`), loaded on first use: start-up does not
        pay for the report parser."""
        if self._importer is None:
            from ui.importing.flow import ReportImport

            self._importer = ReportImport(self, lambda: self.database_url is not None)
            self._importer.imported.connect(self._imported)
        return self._importer

    @Slot()
    def load_sample(self) -> None:
        """Load the sample inspection (the reference report) through the importer."""
        self.importer.load_sample()

    @Slot()
    def import_report_dialog(self) -> None:
        """File ▸ Import ▸ Inspection report…: choose a report, read it, preview it, import on
        confirmation."""
        self.importer.choose_and_import()

    def import_report_file(self, path: Path) -> BackgroundTask[ImportPreview]:
        """Read ``path`` in a worker thread with a progress dialog, then preview it."""
        return self.importer.import_file(path)

    @Slot(int)
    def _imported(self, inspection_id: int) -> None:
        self.refresh()
        self.select_inspection(inspection_id)

    # ----- building -------------------------------------------------------------------------

    @property
    def no_database_label(self) -> QLabel:
        """The sentence on the page shown when no database is open."""
        page = self.pages.page(PAGE_NO_DATABASE)
        assert isinstance(page, NoDatabasePage)
        return page.label

    @property
    def load_sample_button(self) -> QPushButton:
        """ "Load the sample inspection" on the welcome page of an empty database."""
        page = self.pages.page(PAGE_EMPTY)
        assert isinstance(page, WelcomePage)
        return page.load_sample_button

    def _build_no_database_page(self) -> QWidget:
        page = NoDatabasePage()
        page.open_button.clicked.connect(self.open_database_dialog)
        return page

    def _build_empty_page(self) -> QWidget:
        page = WelcomePage()
        page.load_sample_button.clicked.connect(self.load_sample)
        page.import_button.clicked.connect(self.import_report_dialog)
        # the menus are built after the pages: the action is looked up when clicked
        page.new_inspection_button.clicked.connect(lambda: self.new_inspection_action.trigger())
        return page

    def _build_workspace_page(self) -> QWidget:
        self.inspection_model = InspectionListModel()
        self.inspection_switcher = QComboBox()
        self.inspection_switcher.setAccessibleName("Inspection")
        self.inspection_switcher.setModel(self.inspection_model)
        self.inspection_switcher.currentIndexChanged.connect(self._inspection_chosen)

        self.navigation = QListWidget()
        self.navigation.setAccessibleName("Views")
        for _name, title, shortcut in VIEWS:
            item = QListWidgetItem(title.replace("&&", "&"))
            item.setToolTip(f"{title.replace('&&', '&')} ({shortcut})")
            self.navigation.addItem(item)
        self.navigation.currentRowChanged.connect(self._view_chosen)
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.navigation.setStyleSheet("QListWidget::item { padding: 5px 4px; }")

        left = QWidget()
        # wide enough for the view names, narrow enough to leave the views room on a screen
        # 960 wide (1920 × 1080 at 200%); a long inspection name is cut, its list shows it whole
        metrics = self.fontMetrics()
        names = max(metrics.horizontalAdvance(title.replace("&&", "&")) for _n, title, _k in VIEWS)
        left.setMinimumWidth(names + metrics.horizontalAdvance("M") * 3)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(QLabel("<b>Inspection</b>"))
        left_layout.addWidget(self.inspection_switcher)
        left_layout.addSpacing(8)
        left_layout.addWidget(self.navigation, 1)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setAccessibleName("Inspection details")
        self.heading.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        # views are built when first shown: start-up pays only for the dashboard
        self.views = ViewStack(
            self.workspace, self.edits, reminder_days=self.settings.reminder_days
        )

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 6, 6, 6)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.views, 1)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([230, 950])
        self.navigation.setCurrentRow(0)
        return self.splitter

    def view(self, name: str) -> QWidget:
        """A workspace view by name, built (and filled) the first time it is asked for."""
        return self.views.view(name)

    @property
    def dashboard(self) -> Any:
        """The Dashboard view."""
        return self.view("dashboard")

    @property
    def recommendations(self) -> Any:
        """The Recommendations & responses view."""
        return self.view("recommendations")

    @property
    def plan_view(self) -> Any:
        """The Action plan view."""
        return self.view("plan")

    @property
    def follow_up(self) -> Any:
        """The Scoring summary & follow-up view."""
        return self.view("follow-up")

    def show_view(self, name: str) -> None:
        """Show a workspace view by name ("dashboard", "recommendations", "plan", "follow-up")."""
        self.navigation.setCurrentRow(VIEW_NAMES.index(name))

    def current_view_name(self) -> str:
        """The name of the view on show."""
        return self.views.current_name()

    @Slot(int)
    def _view_chosen(self, row: int) -> None:
        self.views.show_row(row)

    @Slot(str, str, int)
    def navigate(self, page: str, kind: str, item_id: int) -> None:
        """Show a view and select an item in it (e.g. a milestone chosen on the dashboard)."""
        self.show_view(page)
        view = self.views.currentWidget()
        select = getattr(view, "select_item", None)
        if callable(select):
            select(kind, item_id)

    def resolve_conflict(self, conflict: ConflictError) -> str:
        """Someone changed what the user is editing: show their change; reload or overwrite."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Changed by someone else")
        box.setText(str(conflict))
        theirs = "; ".join(
            f"{name.replace('_', ' ')}: {value if value not in (None, '') else '(empty)'}"
            for name, value in conflict.current.items()
        )
        if theirs:
            box.setInformativeText(f"Their version — {theirs}")
        reload_button = box.addButton(
            "Reload and see their change", QMessageBox.ButtonRole.AcceptRole
        )
        overwrite = box.addButton("Overwrite with mine", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(reload_button)
        self.conflict_box = box
        box.exec()
        return OVERWRITE if box.clickedButton() is overwrite else RELOAD

    @Slot(str)
    def _edit_failed(self, message: str) -> None:
        if self.connection.replaced is not None:
            return  # the database was replaced: the window says so once (ui.database.connection)
        if self.connection.lost is not None:  # the notice says so once, not once per Ctrl+Z
            self.statusBar().showMessage(message, 10000)
            return
        QMessageBox.warning(self, "Cannot undo or redo that change", message)
        self.statusBar().showMessage(message, 10000)

    def _build_menus(self) -> None:
        from ui.menus import build_menus

        build_menus(self, VIEWS)
        # "Saved: …", "Undone: …", "Redone: …" in the status bar
        self.undo_outcomes = UndoOutcomes(self.workspace.undo_stack, self.statusBar())

    def enable_inspection_actions(self, enabled: bool) -> None:
        """The actions that need an inspection (:func:`ui.menus.build_menus` lists them)."""
        for action in self.inspection_actions:
            action.setEnabled(enabled)

    # ----- showing --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the open database's inspections, keeping the current one if it is still there."""
        if self.database_url is None:
            self.workspace.set_inspection(None)
            self.pages.setCurrentIndex(PAGE_NO_DATABASE)
            self.enable_inspection_actions(False)
            return
        current = self.workspace.inspection_id
        try:
            rows = inspections.list_inspections()
        except database.DatabaseOutage:
            return  # the window says so (see ui.database.connection)
        self.inspection_switcher.blockSignals(True)
        self.inspection_model.set_inspections(rows)
        self.inspection_switcher.blockSignals(False)
        self.inspection_switcher.setEnabled(len(rows) > 1)
        if not rows:
            self.workspace.set_inspection(None)
            self.pages.setCurrentIndex(PAGE_EMPTY)
            self.enable_inspection_actions(False)
            return
        self.pages.setCurrentIndex(PAGE_WORKSPACE)
        self.enable_inspection_actions(True)
        row = self.inspection_model.row_of(current) if current is not None else -1
        self.select_inspection(rows[max(row, 0)].id)

    def select_inspection(self, inspection_id: int) -> None:
        """Show one inspection in every view."""
        row = self.inspection_model.row_of(inspection_id)
        if row < 0:
            return
        self.inspection_switcher.blockSignals(True)
        self.inspection_switcher.setCurrentIndex(row)
        self.inspection_switcher.blockSignals(False)
        self._show_inspection(inspection_id)

    @Slot(int)
    def _inspection_chosen(self, row: int) -> None:
        if 0 <= row < self.inspection_model.rowCount():
            self._show_inspection(self.inspection_model.inspection_at(row).id)

    def _show_inspection(self, inspection_id: int) -> None:
        try:
            inspections.inspection_summary(inspection_id=inspection_id)  # still there?
        except EsiError as exc:
            if not isinstance(exc, database.DatabaseOutage):  # the window says that once
                QMessageBox.warning(self, "Cannot show the inspection", str(exc))
            return
        # the heading follows workspace.changed (_show_heading)
        if self.workspace.inspection_id == inspection_id:
            self.workspace.invalidate()
        else:
            self.workspace.set_inspection(inspection_id)

    @Slot()
    def _show_heading(self) -> None:
        """The inspection's area, publication date ("12 January 2005", or "January 2005" when
        the day is not known) and report title: again after every edit, undo and redo."""
        inspection_id = self.workspace.inspection_id
        if inspection_id is None:
            return
        try:
            summary = inspections.inspection_summary(inspection_id=inspection_id)
            clock = inspections.statutory_clock_of(inspection_id=inspection_id)
        except EsiError:
            return  # _show_inspection, or the notice of a lost connection, says why
        day = clock.published
        published = long_date(day) if clock.published_day_known else month_year(day)
        self.heading.setText(
            f"<span style='font-size:15pt; font-weight:600'>{escape(summary.area)}</span>"
            f" &nbsp;·&nbsp; published {escape(published)}"
            f"<br><i>{escape(summary.report_title)}</i>"
        )

    # ----- export ---------------------------------------------------------------------------

    @Slot()
    def export_response(self) -> None:
        """File ▸ Export ▸ Response and action plan…: preview, then save."""
        from ui.export.dialogs import export_response_dialog

        export_response_dialog(self, self.workspace)

    @Slot()
    def export_progress(self) -> None:
        """File ▸ Export ▸ Board progress paper…: choose the meeting, preview, then save."""
        from ui.export.dialogs import export_progress_dialog

        export_progress_dialog(self, self.workspace)

    @Slot()
    def mark_plan_sent(self) -> None:
        """Record the plan as sent to the Inspectorate; later date changes become slips."""
        from ui.export.dialogs import mark_plan_sent_dialog

        mark_plan_sent_dialog(self, self.workspace)

    @Slot()
    def show_preferences(self) -> None:
        """Edit ▸ Preferences…: the reminder period applies at once, the database settings when
        a database is next opened."""
        from ui.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.settings, self)
        self.preferences_dialog = dialog
        if dialog.exec() == PreferencesDialog.DialogCode.Accepted:
            self.workspace.invalidate()  # the Dashboard lists by the reminder period now
            self.statusBar().showMessage(
                "Preferences saved. The database settings apply the next time a database is "
                "opened.",
                8000,
            )

    # ----- closing -----------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Keep what is typed, remember the window's geometry and close the database."""
        if not self.keep_what_is_typed():
            answer = QMessageBox.question(
                self,
                "Close without the response you typed?",
                "The response typed on the Recommendations page could not be saved (it says "
                "why there). Close anyway, and lose it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.undo_outcomes.stop()  # the stack emptied as the window goes is no outcome
        runner.stop_all(wait_ms=5000)
        self.settings.set_geometry("main_window", self.saveGeometry())
        self.settings.set_geometry("main_splitter", self.splitter.saveState())
        self.settings.sync()
        self.connection.close()
        super().closeEvent(event)
