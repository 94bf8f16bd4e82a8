"""The main window: databases, the inspection switcher, the workspace views, menus and undo."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import suppress
from datetime import date, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    QEvent,
    QObject,
    QSocketNotifier,
    Qt,
    QThread,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from esi_desktop import __version__, credentials, database, inspections
from esi_desktop.errors import EsiError
from esi_desktop.plan import ConflictError
from ui.edits import Edits
from ui.models import InspectionListModel
from ui.settings import Settings
from ui.workspace import OVERWRITE, RELOAD, Workspace

if TYPE_CHECKING:
    from esi_desktop.notifications import ChangeListener
    from esi_desktop.report_import import ImportPreview

PAGE_NO_DATABASE, PAGE_EMPTY, PAGE_WORKSPACE = range(3)

#: The workspace's views, in the navigation's order: (name, title, shortcut).
VIEWS = (
    ("dashboard", "Dashboard", "Ctrl+1"),
    ("recommendations", "Recommendations && responses", "Ctrl+2"),
    ("plan", "Action plan", "Ctrl+3"),
    ("follow-up", "Scoring summary && follow-up", "Ctrl+4"),
)


class MainWindow(QMainWindow):
    """ESI Desktop's main window.

    Signals:
        database_replaced: the open database's file was found replaced or removed (the
            sentence); the window says so once and offers to reopen it.
        connection_lost: the server's connection was found lost (the sentence); the window
            shows one notice and reconnects by itself.
    """

    database_replaced = Signal(str)
    connection_lost = Signal(str)
    _reconnect_finished = Signal(int, object)
    _server_checked = Signal(int, str)

    def __init__(self, today: Callable[[], date] = date.today) -> None:
        super().__init__()
        self.settings = Settings()
        self.workspace = Workspace(today=today)
        self.edits = Edits(self.workspace)
        self.workspace.failed.connect(self._edit_failed)
        self.workspace.resolve_conflict = self.resolve_conflict
        self.workspace.navigate.connect(self.navigate)
        self.database_url: str | None = None
        self._reader_thread: QThread | None = None
        self._import_progress: QProgressDialog | None = None
        self._import_name = ""
        self._reader: QObject | None = None
        self.setWindowTitle("ESI Desktop")
        self.setAccessibleName("ESI Desktop")

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_no_database_page())
        self.pages.addWidget(self._build_empty_page())
        self.pages.addWidget(self._build_workspace_page())
        # a lost server connection: one calm notice above the pages, never a dialog per call
        self.outage_banner = QLabel()
        self.outage_banner.setAccessibleName("Connection notice")
        self.outage_banner.setWordWrap(True)
        self.outage_banner.setStyleSheet(
            "QLabel { background: #fff4ce; color: #3b2f00; padding: 6px 10px; "
            "border-bottom: 1px solid #e0c97f; }"
        )
        self.outage_banner.hide()
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.outage_banner)
        central_layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self.statusBar().showMessage("Ready")

        # see other people's changes: on regaining focus, and every minute in the background
        self._change_stamp: object = None
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(60_000)
        self.refresh_timer.timeout.connect(self._refresh_in_background)
        self.refresh_timer.start()

        # the open file replaced (a restore elsewhere) or removed: whichever read or save
        # finds it, say so once, after the failing call has returned
        self._replaced: str | None = None
        self.replaced_box: QMessageBox | None = None
        self.database_replaced.connect(
            self._tell_database_replaced, Qt.ConnectionType.QueuedConnection
        )
        database.add_outage_listener(self._database_outage_found)

        # the server's connection lost: try again after 1, 2, 4 … 30 seconds, off this thread
        self._lost: str | None = None
        self.outage_notices = 0  # how many times the notice was put up (one per outage)
        self._outage = 0  # numbers outages, so an answer from an earlier one is dropped
        self._reconnecting = False
        self._reconnect_delay = 1
        self.reconnect_timer = QTimer(self)
        self.reconnect_timer.setSingleShot(True)
        self.reconnect_timer.timeout.connect(self._try_reconnect)
        self.connection_lost.connect(self._tell_connection_lost, Qt.ConnectionType.QueuedConnection)
        self._reconnect_finished.connect(self._reconnected, Qt.ConnectionType.QueuedConnection)
        self._checking = False
        self._refresh_when_checked = False
        self._server_checked.connect(self._checked, Qt.ConnectionType.QueuedConnection)

        geometry = self.settings.geometry("main_window")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)
        splitter_state = self.settings.geometry("main_splitter")
        if splitter_state is not None:
            self.splitter.restoreState(splitter_state)

    # ----- building -------------------------------------------------------------------------

    def _build_no_database_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch()
        self.no_database_label = QLabel("No database is open.")
        self.no_database_label.setWordWrap(True)
        self.no_database_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.no_database_label)
        row = QHBoxLayout()
        row.addStretch()
        open_button = QPushButton("Open database…")
        open_button.setAccessibleName("Open database")
        open_button.clicked.connect(self.open_database_dialog)
        row.addWidget(open_button)
        row.addStretch()
        layout.addLayout(row)
        layout.addStretch()
        return page

    def _build_empty_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch()
        title = QLabel("<h2>Welcome to ESI Desktop</h2>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        text = QLabel(
            "This database holds no inspection yet.<br>Import your area's inspection report "
            "(text or PDF), or load the sample inspection — HM Inspectorate of Probation's "
            "January 2005 report on Gloucestershire — to look around first."
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # a readable line length, whatever the window's width
        text.setFixedWidth(self.fontMetrics().averageCharWidth() * 72)
        text.setMinimumHeight(text.heightForWidth(text.width()))
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch()
        self.load_sample_button = QPushButton("Load the sample inspection")
        self.load_sample_button.setAccessibleName("Load the sample inspection")
        self.load_sample_button.clicked.connect(self.load_sample)
        row.addWidget(self.load_sample_button)
        import_button = QPushButton("Import a report…")
        import_button.setAccessibleName("Import a report")
        import_button.clicked.connect(self.import_report_dialog)
        row.addWidget(import_button)
        row.addStretch()
        layout.addLayout(row)
        layout.addStretch()
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
        # wide enough for the view names and an inspection such as the sample
        metrics = self.fontMetrics()
        left.setMinimumWidth(metrics.horizontalAdvance("Gloucestershire — January 2005") + 44)
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
        self._built: dict[str, QWidget] = {}
        self.views = QStackedWidget()
        for _name in VIEWS:
            self.views.addWidget(QWidget())

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
        built = self._built.get(name)
        if built is not None:
            return built
        if name == "dashboard":
            from ui.dashboard_view import DashboardView

            built = DashboardView(self.workspace, self.edits)
        elif name == "recommendations":
            from ui.recommendations_view import RecommendationsView

            built = RecommendationsView(self.workspace, self.edits)
        elif name == "plan":
            from ui.plan_view import ActionPlanView

            built = ActionPlanView(self.workspace, self.edits)
        elif name == "follow-up":
            from ui.follow_up_view import FollowUpView

            built = FollowUpView(self.workspace, self.edits)
        else:
            raise KeyError(name)
        position = [view[0] for view in VIEWS].index(name)
        placeholder = self.views.widget(position)
        showing = self.views.currentIndex() == position
        self.views.insertWidget(position, built)
        self.views.removeWidget(placeholder)
        placeholder.deleteLater()
        if showing:
            self.views.setCurrentIndex(position)
        self._built[name] = built
        reload = getattr(built, "reload", None)
        if callable(reload):
            reload()
        return built

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
        names = [view[0] for view in VIEWS]
        self.navigation.setCurrentRow(names.index(name))

    def current_view_name(self) -> str:
        """The name of the view on show."""
        return VIEWS[self.views.currentIndex()][0]

    @Slot(int)
    def _view_chosen(self, row: int) -> None:
        if 0 <= row < self.views.count():
            self.view(VIEWS[row][0])
            self.views.setCurrentIndex(row)

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
        if self._replaced is not None:
            return  # the database was replaced: the window says so once (see below)
        if self._lost is not None:  # the notice says so once; a dialog per Ctrl+Z would not
            self.statusBar().showMessage(message, 10000)
            return
        QMessageBox.warning(self, "Cannot undo or redo that change", message)
        self.statusBar().showMessage(message, 10000)

    def _action(self, text: str, shortcut: QKeySequence | str, slot: object) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_database_action = self._action(
            "&New database…", "Ctrl+N", self.new_database_dialog
        )
        self.open_database_action = self._action(
            "&Open database…", "Ctrl+O", self.open_database_dialog
        )
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.import_action = self._action("&Import report…", "Ctrl+I", self.import_report_dialog)
        self.sample_action = self._action(
            "Load &sample inspection", "Ctrl+Shift+S", self.load_sample
        )
        self.export_menu = QMenu("&Export", self)
        self.export_response_action = self._action(
            "&Response and action plan…", "Ctrl+E", self.export_response
        )
        self.export_progress_action = self._action(
            "Board &progress paper…", "Ctrl+Shift+E", self.export_progress
        )
        self.export_menu.addAction(self.export_response_action)
        self.export_menu.addAction(self.export_progress_action)
        self.mark_sent_action = self._action(
            "&Mark plan as sent to the Inspectorate…", "Ctrl+Shift+T", self.mark_plan_sent
        )
        self.export_history_action = self._action(
            "Export the change &history (CSV)…", "Ctrl+Shift+H", self.export_history
        )
        self.export_menu.addAction(self.export_history_action)
        self.restore_action = self._action("Restore &backup…", "Ctrl+Shift+B", self.restore_backup)
        self.quit_action = self._action("&Quit", "Ctrl+Q", self.close)
        file_menu.addAction(self.new_database_action)
        file_menu.addAction(self.open_database_action)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.sample_action)
        file_menu.addMenu(self.export_menu)
        file_menu.addAction(self.mark_sent_action)
        file_menu.addSeparator()
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self.workspace.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
        self.redo_action = self.workspace.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self.history_action = self._action(
            "&History of the selected item…", "Ctrl+H", self.show_history_of_current
        )
        edit_menu.addAction(self.history_action)
        self._undo_index = 0
        self.workspace.undo_stack.indexChanged.connect(self._undo_index_changed)

        view_menu = self.menuBar().addMenu("&View")
        self.view_actions: list[QAction] = []
        for name, title, shortcut in VIEWS:
            action = self._action(f"&{title}", shortcut, lambda _=False, n=name: self.show_view(n))
            view_menu.addAction(action)
            self.view_actions.append(action)

        help_menu = self.menuBar().addMenu("&Help")
        self.about_action = self._action("&About ESI Desktop", "F1", self.show_about)
        self.log_action = self._action("Open the &log folder", "Ctrl+Shift+L", self.open_log_folder)
        help_menu.addAction(self.about_action)
        help_menu.addAction(self.log_action)
        self._enable_inspection_actions(False)

    def _enable_inspection_actions(self, enabled: bool) -> None:
        for action in (
            self.export_response_action,
            self.export_progress_action,
            self.mark_sent_action,
            self.history_action,
            self.export_history_action,
            *self.view_actions,
        ):
            action.setEnabled(enabled)

    @Slot(int)
    def _undo_index_changed(self, index: int) -> None:
        stack = self.workspace.undo_stack
        previous, self._undo_index = self._undo_index, index
        if index < previous and stack.canRedo():
            self.statusBar().showMessage(f"Undone: {stack.redoText()}", 4000)
        elif index > previous and stack.canUndo():
            self.statusBar().showMessage(f"Saved: {stack.undoText()}", 4000)

    # ----- seeing other people's changes ----------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        """Refresh from the database when the window regains focus."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            if self._on_server():
                self._check_server_in_background(refresh=True)  # refreshes when it answers
            else:
                self.refresh_if_changed()

    def _on_server(self) -> bool:
        return (self.database_url or "").startswith(("postgresql://", "postgres://"))

    @Slot()
    def _refresh_in_background(self) -> None:
        if self.database_url is None or self._replaced is not None or self._lost is not None:
            return
        try:
            database.heartbeat()  # notices a database replaced while nobody is editing
        except database.DatabaseReplaced:
            return  # the window says so (see _database_outage_found)
        if self._on_server():
            # a stalled server would freeze the window for the whole timeout: ask it first,
            # off this thread, and refresh only when it answers (see _checked)
            self._check_server_in_background(refresh=not self.isActiveWindow())
            return
        # while the window is in use, refreshing could close an editor under the user's hands
        if not self.isActiveWindow():
            self.refresh_if_changed()

    def _check_server_in_background(self, *, refresh: bool) -> None:
        """Ask the server one question on a thread of its own; refresh when it answers."""
        self._refresh_when_checked = self._refresh_when_checked or refresh
        if self._checking or self._lost is not None:
            return
        self._checking = True
        outage = self._outage

        def check() -> None:
            problem = ""
            try:
                database.check_server()
            except Exception as exc:  # it does not answer
                problem = str(exc) or "it does not answer"
            with suppress(RuntimeError):  # the window is gone
                self._server_checked.emit(outage, problem)

        threading.Thread(target=check, name="esi-server-check", daemon=True).start()

    @Slot(int, str)
    def _checked(self, outage: int, problem: str) -> None:
        self._checking = False
        refresh, self._refresh_when_checked = self._refresh_when_checked, False
        if outage != self._outage or self._lost is not None or self.database_url is None:
            return
        if problem:  # stalled or gone: say so now, and refuse edits at once, not after a wait
            database.report_connection_lost("it did not answer a check")
            return
        if refresh:
            self.refresh_if_changed()

    def refresh_if_changed(self) -> bool:
        """Reload the views if another connection changed the database since last time."""
        if self.database_url is None or self._replaced is not None or self._lost is not None:
            return False
        try:
            stamp = database.change_stamp()
        except Exception:  # a database gone away is reported by the next real operation
            return False
        if stamp == self._change_stamp:
            return False
        first = self._change_stamp is None
        self._change_stamp = stamp
        if not first:
            self.refresh()
        return not first

    def _listen_for_changes(self, listener: ChangeListener | None = None) -> None:
        """On a shared server, refresh as soon as another secretary's change commits."""
        from esi_desktop.notifications import listener_for

        self._stop_listening()
        listener = listener if listener is not None else listener_for()
        if listener is None:
            return
        try:
            listener.ignore_own_changes()
        except EsiError:  # lost again at once: the notice stays and the window tries again
            listener.close()
            return
        self._listener = listener
        self._listener_notifier = QSocketNotifier(
            listener.fileno(), QSocketNotifier.Type.Read, self
        )
        self._listener_notifier.activated.connect(self._notified)

    def _stop_listening(self) -> None:
        notifier = getattr(self, "_listener_notifier", None)
        if notifier is not None:
            notifier.setEnabled(False)
            notifier.deleteLater()
            self._listener_notifier = None
        listener = getattr(self, "_listener", None)
        if listener is not None:
            listener.close()
            self._listener = None

    @Slot()
    def _notified(self) -> None:
        listener = getattr(self, "_listener", None)
        if listener is None:
            return
        try:
            changed = listener.changes_by_others()
        except EsiError:
            # the socket is dead, and a dead socket reads as ready for ever: stop watching it
            # now (the window is told of the lost connection and reconnects)
            self._stop_listening()
            return
        if changed:
            self.refresh()
            self.statusBar().showMessage("Updated with a change made by someone else.", 5000)

    # ----- the database replaced underneath the window --------------------------------------

    def _database_outage_found(self, error: database.DatabaseOutage) -> None:
        """Called where a read or save finds the file replaced or the server lost: note it,
        say so later (perhaps on another thread)."""
        lost = isinstance(error, database.DatabaseConnectionLost)
        if (self._lost if lost else self._replaced) is not None:
            return  # already being told: one notice, however many calls fail
        try:
            if lost:
                self._lost = str(error)
                self.connection_lost.emit(str(error))
            else:
                self._replaced = str(error)
                self.database_replaced.emit(str(error))
        except RuntimeError:  # this window is gone (its listener outlived it)
            database.remove_outage_listener(self._database_outage_found)

    # ----- the server's connection lost -----------------------------------------------------

    @Slot(str)
    def _tell_connection_lost(self, message: str) -> None:
        """Put up one notice, stop listening on the dead socket and start reconnecting."""
        if self.database_url is None or not database.server_lost():
            self._lost = None  # found while another database was being opened: not this one
            return
        self._stop_listening()
        self._outage += 1
        self._reconnect_delay = 1
        last = database.last_answer()
        since = f" (last read or saved at {last:%H:%M})" if last is not None else ""
        self.outage_banner.setText(
            f"Lost the connection to the server at {datetime.now():%H:%M}{since} — "
            "reconnecting… Changes cannot be saved until it is back; nothing is kept waiting."
        )
        self.outage_banner.setToolTip(message)
        self.outage_banner.show()
        self.outage_notices += 1
        self._try_reconnect()

    @Slot()
    def _try_reconnect(self) -> None:
        """Ask the server, on a thread of its own, whether it answers again."""
        if self._lost is None or self._reconnecting:
            return
        self._reconnecting = True
        outage = self._outage

        def attempt() -> None:
            from esi_desktop.notifications import listen_again

            result: object
            try:
                result = listen_again()
            except Exception as exc:  # any failure means: not yet
                result = str(exc)
            try:
                self._reconnect_finished.emit(outage, result)
            except RuntimeError:  # the window is gone
                if not isinstance(result, str) and result is not None:
                    result.close()  # type: ignore[attr-defined]

        threading.Thread(target=attempt, name="esi-reconnect", daemon=True).start()

    @Slot(int, object)
    def _reconnected(self, outage: int, result: object) -> None:
        self._reconnecting = False
        listener = None if isinstance(result, str) else cast("ChangeListener | None", result)
        if outage != self._outage or self._lost is None or self.database_url is None:
            if listener is not None:
                listener.close()  # an answer about an earlier outage or another database
            if self._lost is not None and self.database_url is not None:
                self._try_reconnect()  # a newer outage waited for this attempt to end
            return
        if isinstance(result, str) or not database.resume_server():
            if listener is not None:
                listener.close()  # a transaction is still unwinding: listen on the next try
            self.outage_banner.setToolTip(result if isinstance(result, str) else self._lost)
            self.reconnect_timer.start(self._reconnect_delay * 1000)
            self._reconnect_delay = min(30, self._reconnect_delay * 2)
            return
        self._lost = None
        self.outage_banner.hide()
        self._listen_for_changes(listener)
        database.watch_for_stalls()
        self.refresh()  # what others changed meanwhile, and what this window could not save
        self.statusBar().showMessage(
            f"Reconnected to the server at {datetime.now():%H:%M}; the views show the plan "
            "as it is now.",
            10000,
        )

    def _end_outage(self) -> None:
        """Forget an outage (another database opened, or the window closing)."""
        self._outage += 1
        self._lost = None
        self.reconnect_timer.stop()
        self.outage_banner.hide()

    @Slot(str)
    def _tell_database_replaced(self, message: str) -> None:
        """Say once that the database was replaced or removed; reopen it, or close it."""
        if not self.isVisible():  # found while closing: nothing is left to reopen
            return
        url = self.database_url
        removed = "was removed" in message
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "The database was removed" if removed else "The database was replaced",
            message,
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setInformativeText(
            "Nothing more is read from or saved to the file you had open: a change you were "
            "making when this appeared was not saved. Reopen shows the database as it is now "
            "(if a backup was restored, the database as it was is kept in its backups folder)."
        )
        reopen = box.addButton("Reopen", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Close", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(reopen)
        self.replaced_box = box
        box.exec()
        chosen_reopen = box.clickedButton() is reopen
        self.replaced_box = None
        box.deleteLater()
        # undoing would replay edits made on the file that is gone
        self.workspace.undo_stack.clear()
        self._replaced = None
        if chosen_reopen and url is not None:
            self.open_database(url, create=False)
            return
        database.disconnect()
        self._end_outage()
        self._show_no_database(message)
        self._enable_inspection_actions(False)

    # ----- databases ------------------------------------------------------------------------

    def open_initial_database(self, url: str | None) -> None:
        """Open the database named on the command line, else the last one, else the default."""
        self.open_database(url or self.settings.last_database() or database.default_database_url())

    def _keep_what_is_typed(self) -> bool:
        """Save a response typed but not yet left (as a draft if incomplete).

        Returns:
            False when it could not be saved (the editor says why).
        """
        responses = self._built.get("recommendations")
        commit = getattr(responses, "commit", None)
        if callable(commit):
            commit()
            return not responses.editor.pending  # type: ignore[union-attr]
        return True

    def open_database(self, url: str, *, create: bool = True, password: str | None = None) -> bool:
        """Open a database and show its inspections; a failure is shown, never raised.

        A server's password comes from ``password``, PGPASSWORD or the system keyring; it is
        never kept in the settings (only the URL without it is).
        """
        self._keep_what_is_typed()  # into the database it was typed for, before it goes
        connect_url = credentials.with_password(url, password)
        url = credentials.without_password(url)
        try:
            database.disconnect()
            database.connect(
                connect_url,
                create=create,
                force_rollback_journal=self.settings.force_rollback_journal(),
                backups_to_keep=self.settings.backups_to_keep(),
                server_timeout=self.settings.server_timeout(),
            )
        except database.DatabaseDamaged as exc:
            from ui.backup_dialog import recovery_dialog

            self._show_no_database(str(exc))
            replacement = recovery_dialog(self, exc.path)
            if replacement is not None:
                return self.open_database(replacement, create=False)
            return False
        except EsiError as exc:
            self._show_no_database(str(exc))
            QMessageBox.warning(self, "Cannot open the database", str(exc))
            return False
        self.database_url = url
        # the undo history belongs to the database it was made in: never replayed into another
        self.workspace.undo_stack.clear()
        self.workspace.known_versions.clear()
        self._end_outage()
        self._change_stamp = database.change_stamp()
        self._listen_for_changes()
        database.watch_for_stalls()  # a stalled server is found within seconds, not frozen on
        self.settings.set_last_database(url)
        self.settings.add_recent_database(url)
        self.setWindowTitle(f"ESI Desktop — {database.describe_url(url)}")
        self.statusBar().showMessage(f"Opened {database.describe_url(url)}", 5000)
        self.refresh()
        opened = database.opened()
        if opened is not None:
            if opened.backup_problem:
                self.statusBar().showMessage(opened.backup_problem, 15000)
            if opened.on_network_path and opened.path is not None:
                from ui.backup_dialog import network_path_warning

                network_path_warning(self, opened.path)
        return True

    def _show_no_database(self, reason: str) -> None:
        self.database_url = None
        self.workspace.set_inspection(None)
        self.no_database_label.setText(f"No database is open.\n\n{reason}")
        self.pages.setCurrentIndex(PAGE_NO_DATABASE)
        self.setWindowTitle("ESI Desktop")

    @Slot()
    def restore_backup(self) -> None:
        """File ▸ Restore backup…: put an earlier copy of this database back."""
        from ui.backup_dialog import restore_backup_dialog

        if self.database_url is None:
            QMessageBox.information(self, "No database", "Open the database to restore first.")
            return
        if restore_backup_dialog(self, self.database_url):
            self.open_database(self.database_url, create=False)

    def _choose_sqlite_file(self, *, new: bool) -> Path | None:
        caption = "New database" if new else "Open database"
        filters = "ESI Desktop databases (*.sqlite3 *.sqlite *.db);;All files (*)"
        if new:
            name, _ = QFileDialog.getSaveFileName(self, caption, "", filters)
        else:
            name, _ = QFileDialog.getOpenFileName(self, caption, "", filters)
        return Path(name) if name else None

    @Slot()
    def new_database_dialog(self) -> None:
        """Create a new, empty database file and open it."""
        path = self._choose_sqlite_file(new=True)
        if path is not None:
            if path.suffix == "":
                path = path.with_suffix(".sqlite3")
            self.open_database(f"sqlite:///{path}", create=True)

    @Slot()
    def open_database_dialog(self) -> None:
        """Open a database file, or a shared PostgreSQL server."""
        from ui.open_database_dialog import OpenDatabaseDialog

        dialog = OpenDatabaseDialog(self)
        self.open_dialog = dialog
        if dialog.exec() != OpenDatabaseDialog.DialogCode.Accepted:
            return
        self.open_database(dialog.url, create=False, password=dialog.typed_password or None)
        if dialog.keyring_problem:
            self.statusBar().showMessage(dialog.keyring_problem, 10000)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_databases()
        if not recent:
            self.recent_menu.addAction("(none yet)").setEnabled(False)
        for number, url in enumerate(recent, start=1):
            action = self.recent_menu.addAction(f"&{number} {database.describe_url(url)}")
            action.setShortcut(QKeySequence(f"Ctrl+Alt+{number}"))
            action.triggered.connect(lambda _=False, u=url: self.open_database(u, create=False))

    # ----- showing --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the open database's inspections, keeping the current one if it is still there."""
        if self.database_url is None:
            self.workspace.set_inspection(None)
            self.pages.setCurrentIndex(PAGE_NO_DATABASE)
            self._enable_inspection_actions(False)
            return
        current = self.workspace.inspection_id
        try:
            rows = inspections.list_inspections()
        except database.DatabaseOutage:
            return  # the window says so (see _database_outage_found)
        self.inspection_switcher.blockSignals(True)
        self.inspection_model.set_inspections(rows)
        self.inspection_switcher.blockSignals(False)
        self.inspection_switcher.setEnabled(len(rows) > 1)
        if not rows:
            self.workspace.set_inspection(None)
            self.pages.setCurrentIndex(PAGE_EMPTY)
            self._enable_inspection_actions(False)
            return
        self.pages.setCurrentIndex(PAGE_WORKSPACE)
        self._enable_inspection_actions(True)
        row = self.inspection_model.row_of(current) if current is not None else -1
        self.select_inspection(rows[max(row, 0)].id)

    def current_inspection_id(self) -> int | None:
        """The id of the inspection on show."""
        return self.workspace.inspection_id

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
            summary = inspections.inspection_summary(inspection_id=inspection_id)
        except EsiError as exc:
            if not isinstance(exc, database.DatabaseOutage):  # the window says that once
                QMessageBox.warning(self, "Cannot show the inspection", str(exc))
            return
        self.heading.setText(
            f"<span style='font-size:15pt; font-weight:600'>{escape(summary.area)}</span>"
            f" &nbsp;·&nbsp; published {escape(summary.label.split(' — ')[1])}"
            f"<br><i>{escape(summary.report_title)}</i>"
        )
        if self.workspace.inspection_id == inspection_id:
            self.workspace.invalidate()
        else:
            self.workspace.set_inspection(inspection_id)

    # ----- import ---------------------------------------------------------------------------

    @Slot()
    def load_sample(self) -> None:
        """Load the sample inspection (the reference report) through the importer."""
        if self.database_url is None:
            QMessageBox.information(self, "No database", "Open or create a database first.")
            return
        try:
            from esi_desktop import report_import

            outcome = report_import.load_sample()
        except EsiError as exc:
            if not isinstance(exc, database.DatabaseOutage):  # the window says that once
                QMessageBox.warning(self, "Cannot load the sample", str(exc))
            return
        self.refresh()
        self.select_inspection(outcome.inspection_id)
        self.statusBar().showMessage(
            "Loaded the sample inspection (Gloucestershire, January 2005)", 8000
        )

    @Slot()
    def import_report_dialog(self) -> None:
        """Choose a report file, read it off the GUI thread, preview it, import on confirmation."""
        if self.database_url is None:
            QMessageBox.information(self, "No database", "Open or create a database first.")
            return
        name, _ = QFileDialog.getOpenFileName(
            self, "Import inspection report", "", "Inspection reports (*.pdf *.txt);;All files (*)"
        )
        if name:
            self.import_report_file(Path(name))

    def import_report_file(self, path: Path) -> None:
        """Read ``path`` in a worker thread with a progress dialog, then preview it."""
        progress = QProgressDialog(f"Reading {path.name}…", "", 0, 0, self)
        progress.setWindowTitle("Import inspection report")
        progress.setCancelButton(None)
        progress.setMinimumDuration(300)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._import_progress = progress
        self._import_name = path.name
        from ui.import_dialog import start_reader

        # keep the reader referenced: it has no Qt parent, and Python would collect it
        thread, self._reader = start_reader(
            path,
            self,
            on_progress=self._reader_progress,
            on_finished=self._reader_finished,
            on_failed=self._reader_failed,
        )
        self._reader_thread = thread
        thread.finished.connect(self._reader_done)
        self.statusBar().showMessage(f"Reading {path.name}…")

    @Slot(int, int)
    def _reader_progress(self, done: int, total: int) -> None:
        if self._import_progress is not None:
            self._import_progress.setMaximum(total)
            self._import_progress.setValue(done)
            self._import_progress.setLabelText(
                f"Reading {self._import_name}: page {done} of {total}…"
            )

    def _close_progress(self) -> None:
        if self._import_progress is not None:
            self._import_progress.close()
            self._import_progress.deleteLater()
            self._import_progress = None

    @Slot(str)
    def _reader_failed(self, message: str) -> None:
        self._close_progress()
        QMessageBox.warning(self, "Cannot import the report", message)
        self.statusBar().showMessage("Import stopped; nothing was changed.", 8000)

    @Slot(object)
    def _reader_finished(self, preview: ImportPreview) -> None:
        self._close_progress()
        self._confirm_import(preview)

    @Slot()
    def _reader_done(self) -> None:
        self._reader_thread = None
        self._reader = None

    def _confirm_import(self, preview: ImportPreview) -> None:
        from esi_desktop import report_import
        from ui.import_dialog import ImportPreviewDialog

        preview = report_import.preview_parsed(preview.parsed)  # looks up duplicates here
        dialog = ImportPreviewDialog(preview, self)
        self.preview_dialog = dialog
        if dialog.exec() != ImportPreviewDialog.DialogCode.Accepted:
            self.statusBar().showMessage("Import cancelled; nothing was changed.", 5000)
            return
        try:
            outcome = report_import.import_report(
                preview=preview, refresh=preview.existing_inspection_id is not None
            )
        except EsiError as exc:
            if not isinstance(exc, database.DatabaseOutage):  # the window says that once
                QMessageBox.warning(self, "Cannot import the report", str(exc))
            return
        self.refresh()
        self.select_inspection(outcome.inspection_id)
        verb = "Refreshed" if outcome.refreshed else "Imported"
        self.statusBar().showMessage(
            f"{verb} the {preview.parsed.area} report of {preview.parsed.published}.", 8000
        )

    # ----- export ---------------------------------------------------------------------------

    @Slot()
    def export_response(self) -> None:
        """File ▸ Export ▸ Response and action plan…: preview, then save."""
        from ui.export_dialog import export_response_dialog

        export_response_dialog(self, self.workspace)

    @Slot()
    def export_progress(self) -> None:
        """File ▸ Export ▸ Board progress paper…: choose the meeting, preview, then save."""
        from ui.export_dialog import export_progress_dialog

        export_progress_dialog(self, self.workspace)

    @Slot()
    def mark_plan_sent(self) -> None:
        """Record the plan as sent to the Inspectorate; later date changes become slips."""
        from ui.export_dialog import mark_plan_sent_dialog

        mark_plan_sent_dialog(self, self.workspace)

    def selected_item(self) -> tuple[str, int, str] | None:
        """The (kind, id, title) of the item selected in the view on show, for its history."""
        from esi_desktop import audit

        name = self.current_view_name()
        if name == "recommendations":
            current = self.recommendations.current_id()
            if current is None:
                return None
            plan = self.workspace.plan()
            reference = plan.recommendation(current).reference if plan else "?"
            return audit.RECOMMENDATION, current, f"Recommendation {reference}"
        if name == "plan":
            node = self.plan_view.current_node()
            if node is None:
                return None
            kinds = {
                "recommendation": (audit.RECOMMENDATION, "Recommendation"),
                "action": (audit.ACTION, "Action"),
                "milestone": (audit.MILESTONE, "Milestone"),
            }
            kind, label = kinds[node.kind]
            item = node.item
            words = (
                getattr(item, "reference", None)
                or getattr(item, "text", None)
                or getattr(item, "title", "")
            )
            return kind, int(item.id), f"{label}: {str(words)[:60]}"
        if name == "follow-up" and self.workspace.inspection_id is not None:
            return audit.FOLLOW_UP, self.workspace.inspection_id, "Follow-up inspection"
        return None

    @Slot()
    def show_history_of_current(self) -> None:
        """Edit ▸ History…: every change to the selected item — when, who, old → new."""
        from ui.history_dialog import show_history

        selected = self.selected_item()
        if selected is None:
            self.statusBar().showMessage(
                "Select a recommendation, action or milestone first; its history shows.", 6000
            )
            return
        kind, item_id, title = selected
        show_history(self, item_kind=kind, item_id=item_id, title=title)

    @Slot()
    def export_history(self) -> None:
        """File ▸ Export ▸ Change history (CSV)…."""
        from ui.history_dialog import export_history_csv

        saved = export_history_csv(self, inspection_id=self.workspace.inspection_id)
        if saved is not None:
            self.statusBar().showMessage(f"Saved the change history to {saved}", 8000)

    # ----- help and closing -----------------------------------------------------------------

    @Slot()
    def show_about(self) -> None:
        """Help ▸ About, with the versions of the parts that matter."""
        import peewee
        import PySide6
        from PySide6.QtCore import qVersion

        QMessageBox.about(
            self,
            "About ESI Desktop",
            f"<h3>ESI Desktop {__version__}</h3>"
            "<p>Helps a Probation Board answer an HM Inspectorate of Probation inspection "
            "report and see it through to the follow-up.</p>"
            f"<p>Qt {qVersion()} · PySide6 {PySide6.__version__} · peewee {peewee.__version__}"
            "</p>"
            f"<p>Database: {database.describe_url(self.database_url or '') or 'none'}</p>",
        )

    def open_log_folder(self) -> None:  # pragma: no cover - opens the desktop's file manager
        """Show the folder where problems are logged."""
        from ui.app import log_file

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file().parent)))

    def closeEvent(self, event: QCloseEvent) -> None:
        """Keep what is typed, remember the window's geometry and close the database."""
        if not self._keep_what_is_typed():
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
        self.workspace.undo_stack.indexChanged.disconnect(self._undo_index_changed)
        if self._reader_thread is not None:
            self._reader_thread.quit()
            self._reader_thread.wait(5000)
        self.settings.set_geometry("main_window", self.saveGeometry())
        self.settings.set_geometry("main_splitter", self.splitter.saveState())
        self.settings.sync()
        self._stop_listening()
        self._end_outage()
        database.remove_outage_listener(self._database_outage_found)
        database.disconnect()
        super().closeEvent(event)
