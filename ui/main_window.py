"""The main window: the open database's inspections and their scoring summary."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, QObject, Qt, QThread, QUrl, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from esi_desktop import __version__, database, inspections, report_import
from esi_desktop.errors import EsiError
from esi_desktop.report_import import ImportPreview
from ui.import_dialog import ImportPreviewDialog, start_reader
from ui.models import InspectionListModel, ScoringSummaryModel, SummaryColumn
from ui.settings import Settings

PAGE_NO_DATABASE, PAGE_EMPTY, PAGE_INSPECTIONS = range(3)


class MainWindow(QMainWindow):
    """ESI Desktop's main window."""

    def __init__(self) -> None:
        super().__init__()
        self.settings = Settings()
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
        self.pages.addWidget(self._build_inspections_page())
        self.setCentralWidget(self.pages)
        self._build_menus()
        self.statusBar().showMessage("Ready")

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
        layout.addWidget(text)
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

    def _build_inspections_page(self) -> QWidget:
        self.inspection_model = InspectionListModel()
        self.inspection_list = QListView()
        self.inspection_list.setAccessibleName("Inspections")
        self.inspection_list.setModel(self.inspection_model)
        self.inspection_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.inspection_list.selectionModel().selectionChanged.connect(self._inspection_chosen)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("<b>Inspections</b>"))
        left_layout.addWidget(self.inspection_list)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setAccessibleName("Inspection details")
        self.heading.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.summary_model = ScoringSummaryModel()
        self.summary_view = QTableView()
        self.summary_view.setAccessibleName("Scoring summary")
        self.summary_view.setModel(self.summary_model)
        self.summary_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.summary_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.summary_view.verticalHeader().setVisible(False)
        self.summary_view.setShowGrid(False)
        self.summary_view.setAlternatingRowColors(True)
        header = self.summary_view.horizontalHeader()
        header.setSectionResizeMode(SummaryColumn.CRITERION, QHeaderView.ResizeMode.Stretch)
        for column in (
            SummaryColumn.CODE,
            SummaryColumn.WEIGHT,
            SummaryColumn.RESULT,
            SummaryColumn.PUBLISHED,
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.summary_view)

        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 4)
        return self.splitter

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
        self.quit_action = self._action("&Quit", "Ctrl+Q", self.close)
        file_menu.addAction(self.new_database_action)
        file_menu.addAction(self.open_database_action)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.sample_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        help_menu = self.menuBar().addMenu("&Help")
        self.about_action = self._action("&About ESI Desktop", "F1", self.show_about)
        help_menu.addAction(self.about_action)

    # ----- databases ------------------------------------------------------------------------

    def open_initial_database(self, url: str | None) -> None:
        """Open the database named on the command line, else the last one, else the default."""
        self.open_database(url or self.settings.last_database() or database.default_database_url())

    def open_database(self, url: str, *, create: bool = True) -> bool:
        """Open a database and show its inspections; a failure is shown, never raised."""
        try:
            database.disconnect()
            database.connect(url, create=create)
        except EsiError as exc:
            self.database_url = None
            self.no_database_label.setText(f"No database is open.\n\n{exc}")
            self.pages.setCurrentIndex(PAGE_NO_DATABASE)
            self.setWindowTitle("ESI Desktop")
            QMessageBox.warning(self, "Cannot open the database", str(exc))
            return False
        self.database_url = url
        self.settings.set_last_database(url)
        self.settings.add_recent_database(url)
        self.setWindowTitle(f"ESI Desktop — {database.describe_url(url)}")
        self.statusBar().showMessage(f"Opened {database.describe_url(url)}", 5000)
        self.refresh()
        return True

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
        """Open an existing database file."""
        path = self._choose_sqlite_file(new=False)
        if path is not None:
            self.open_database(f"sqlite:///{path}", create=False)

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
        """Show the open database's inspections, keeping the current choice if it is still there."""
        if self.database_url is None:
            self.pages.setCurrentIndex(PAGE_NO_DATABASE)
            return
        current = self.current_inspection_id()
        rows = inspections.list_inspections()
        self.inspection_model.set_inspections(rows)
        if not rows:
            self.pages.setCurrentIndex(PAGE_EMPTY)
            return
        self.pages.setCurrentIndex(PAGE_INSPECTIONS)
        row = self.inspection_model.row_of(current) if current is not None else -1
        self.select_inspection(rows[max(row, 0)].id)

    def current_inspection_id(self) -> int | None:
        """The id of the inspection on show."""
        indexes = self.inspection_list.selectionModel().selectedIndexes()
        if not indexes:
            return None
        return self.inspection_model.inspection_at(indexes[0].row()).id

    def select_inspection(self, inspection_id: int) -> None:
        """Show one inspection."""
        row = self.inspection_model.row_of(inspection_id)
        if row >= 0:
            self.inspection_list.setCurrentIndex(self.inspection_model.index(row, 0))
            self._show_inspection(inspection_id)

    @Slot(QItemSelection, QItemSelection)
    def _inspection_chosen(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self._show_inspection(self.inspection_model.inspection_at(indexes[0].row()).id)

    def _show_inspection(self, inspection_id: int) -> None:
        try:
            summary = inspections.inspection_summary(inspection_id=inspection_id)
            sheets = inspections.scoring_summary(inspection_id=inspection_id)
            deadlines = inspections.statutory_timeline(inspection_id=inspection_id)
        except EsiError as exc:
            QMessageBox.warning(self, "Cannot show the inspection", str(exc))
            return
        lines = [
            f"<h2>{summary.area}</h2>",
            f"<i>{summary.report_title}</i>",
            f"Published {summary.label.split(' — ')[1]} · {summary.recommendation_count} "
            "recommendations",
        ]
        if deadlines:
            lines.append(" · ".join(deadlines))
        self.heading.setText("<br>".join(lines))
        self.summary_model.set_summaries(sheets)

    # ----- import ---------------------------------------------------------------------------

    @Slot()
    def load_sample(self) -> None:
        """Load the sample inspection (the reference report) through the importer."""
        if self.database_url is None:
            QMessageBox.information(self, "No database", "Open or create a database first.")
            return
        try:
            outcome = report_import.load_sample()
        except EsiError as exc:
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
            QMessageBox.warning(self, "Cannot import the report", str(exc))
            return
        self.refresh()
        self.select_inspection(outcome.inspection_id)
        verb = "Refreshed" if outcome.refreshed else "Imported"
        self.statusBar().showMessage(
            f"{verb} the {preview.parsed.area} report of {preview.parsed.published}.", 8000
        )

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
        """Remember the window's geometry and close the database."""
        if self._reader_thread is not None:
            self._reader_thread.quit()
            self._reader_thread.wait(5000)
        self.settings.set_geometry("main_window", self.saveGeometry())
        self.settings.set_geometry("main_splitter", self.splitter.saveState())
        self.settings.sync()
        database.disconnect()
        super().closeEvent(event)
