"""File ▸ Import ▸ Action plan from Excel…: a Board's own tracker workbook into the plan on show.

:func:`import_tracker_dialog` asks for the workbook, previews it with the engine
(:func:`esi_desktop.tracker.importer.preview_tracker`, on the GUI thread under a wait cursor:
it reads the database, and takes under a second for a thousand rows) and shows
:class:`TrackerImportDialog`: per sheet, the column holding each of the plan's fields (preset
from the headings; a change previews again with ``columns=``), what importing would add,
change or leave, and every row that cannot be placed. Import runs the engine's one
transaction off the GUI thread (:func:`ui.runner.run_in_background`) on a connection of the
worker thread's own (peewee keeps one per thread; the window's is never touched there), closed
when it is done; an in-memory database has no second connection, so there it runs here.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from esi_desktop import database

# closes the calling thread's connection only (peewee keeps one per thread); imported from
# esi_desktop.database, which imports it from db without exporting it by name
from esi_desktop.database import close_thread_connection
from esi_desktop.errors import EsiError
from esi_desktop.tracker.importer import (
    CHANGED,
    NEW,
    UNCHANGED,
    ItemPreview,
    TrackerOutcome,
    TrackerPreview,
    import_tracker,
    preview_tracker,
)
from esi_desktop.tracker.sheet import FIELDS, SheetTable
from esi_desktop.wording import long_date, plural
from ui import palette, runner
from ui.runner import BackgroundTask, Report, run_in_background
from ui.screen import fit_to_screen, keep_column_readable

if TYPE_CHECKING:
    from ui.main_window import MainWindow

TITLE = "Import action plan from Excel"
#: The choice of a field that no column of the sheet holds.
NOT_IN_SHEET = "(not in this sheet)"
#: Each field's mnemonic letter, unique in the dialog (S, V, W and I are taken below).
_MNEMONICS = {
    "recommendation": "R", "reference": "f", "action_reference": "e", "action": "A",
    "milestone": "M", "owner": "O", "target_date": "T", "due_date": "D", "status": "u",
    "rag": "G", "evidence": "n", "completed": "p",
}  # fmt: skip
#: How a changed field is named in "Changed: owner, target date".
_CHANGE_NAMES = {"text": "wording", "title": "wording", "completed_on": "completed on"}
_OUTCOMES = {NEW: "New", CHANGED: "Changed", UNCHANGED: "Unchanged"}
_COLUMNS = (
    "Row", "Outcome", "Item", "Reference", "Rec", "Action or milestone", "Owner", "Date", "Status"
)  # fmt: skip
_WORDING_COLUMN = 5


def import_tracker_dialog(window: MainWindow) -> None:
    """File ▸ Import ▸ Action plan from Excel…: choose a workbook, map and preview, import.

    The preview dialog is window-modal and opened without blocking (:meth:`QDialog.open`);
    Import then stores in the background and says what it did in the status bar.
    """
    if runner.say_busy(window):
        return
    inspection_id, today = window.workspace.inspection_id, window.workspace.today()
    if inspection_id is None:
        QMessageBox.information(window, TITLE, "Open an inspection first: the plan goes into it.")
        return
    name, _ = QFileDialog.getOpenFileName(window, TITLE, "", "Excel workbooks (*.xlsx *.xlsm)")
    if not name:
        return
    try:
        with _waiting():
            preview = preview_tracker(inspection_id=inspection_id, path=Path(name), today=today)
    except EsiError as exc:
        if not isinstance(exc, database.DatabaseOutage):  # the window says that once
            QMessageBox.warning(window, "Cannot import the action plan", str(exc))
        return
    dialog = TrackerImportDialog(preview, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: store_tracker(window, dialog.preview))
    dialog.open()


def store_tracker(window: MainWindow, preview: TrackerPreview) -> BackgroundTask[Any] | None:
    """Import a previewed workbook in the background (the task under way is returned); the
    status bar says what was done, a message box why nothing was."""
    if runner.say_busy(window):
        return None
    name = preview.path.name

    def stored(outcome: TrackerOutcome) -> None:
        window.workspace.invalidate()
        window.statusBar().showMessage(imported_sentence(preview, outcome), 15000)

    def failed(error: EsiError) -> None:
        if not isinstance(error, database.DatabaseOutage):  # the window says that once
            QMessageBox.warning(window, "Cannot import the action plan", str(error))
        window.statusBar().showMessage("Import stopped; nothing was changed.", 8000)

    if not _own_connection_possible():  # in memory: a second connection would find it empty
        with _waiting():
            try:
                stored(import_tracker(preview=preview))
            except EsiError as exc:
                failed(exc)
        return None

    def work(report: Report) -> TrackerOutcome:
        report(0, 0)
        try:
            return import_tracker(preview=preview)
        finally:
            # peewee opened this thread a connection of its own (one per thread): close it,
            # and only it, or it stays open after the import; the window's stays open
            close_thread_connection()

    window.statusBar().showMessage(f"Importing {name}…")
    return run_in_background(
        window,
        work,
        on_success=stored,
        on_failure=failed,
        label=f"Importing {name}…",
        title=TITLE,
        unexpected=(
            f"{name} could not be imported because of an unexpected error; the details were "
            "written to the log file. Nothing was imported."
        ),
    )


def imported_sentence(preview: TrackerPreview, outcome: TrackerOutcome) -> str:
    """ "Imported from plan.xlsx: 4 actions and 12 milestones added, 2 changed; 3 warnings." """
    actions, milestones = len(outcome.created_actions), len(outcome.created_milestones)
    added = f"{plural(actions, 'action')} and {plural(milestones, 'milestone')} added"
    changed = len(outcome.changed_actions) + len(outcome.changed_milestones)
    warnings = plural(len(preview.warnings), "warning") if preview.warnings else "no warnings"
    return f"Imported from {preview.path.name}: {added}, {changed} changed; {warnings}."


def summary_sentence(preview: TrackerPreview) -> str:
    """ "4 actions and 12 milestones will be added, 2 changed, 5 unchanged; 3 rows cannot be
    placed (see the warnings)"."""
    counts = preview.counts()
    actions, milestones = counts["actions"], counts["milestones"]
    text = "Nothing will be added"
    if actions[NEW] or milestones[NEW]:
        text = f"{plural(actions[NEW], 'action')} and {plural(milestones[NEW], 'milestone')}"
        text += " will be added"
    text += f", {actions[CHANGED] + milestones[CHANGED]} changed, "
    text += f"{actions[UNCHANGED] + milestones[UNCHANGED]} unchanged"
    rows = sum(1 for warning in preview.warnings if ", row " in warning)
    others = len(preview.warnings) - rows
    if rows:
        text += f"; {plural(rows, 'row')} cannot be placed"
    if others:
        text += f"; {plural(others, 'other warning')}"
    if preview.warnings:
        text += " (see the warnings)"
    return text


class TrackerImportDialog(QDialog):
    """The column-mapping step and the preview of a tracker workbook's import.

    Attributes:
        preview: the preview shown (with the columns as mapped now); Import stores it.
        sheet_combo: the sheet whose columns are shown (None with a single sheet).
        column_combos: field → the combo choosing its column.
        table: the actions and milestones and what importing does to each.
        warnings: every sentence about a row or column left out.
        summary: what importing would do, in a sentence.
        problem: why the columns as mapped cannot be imported (hidden while they can).
        import_button: stores the preview (disabled when nothing would change).
    """

    def __init__(self, preview: TrackerPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self._sheets = [table.sheet for table in preview.sheets]
        self._columns = _header_cells(preview.path, preview.sheets)
        #: The mapping chosen by hand, per sheet (every field, 0: not in the sheet).
        self._chosen: dict[str, dict[str, int]] = {}
        self.setWindowTitle(TITLE)
        self.setAccessibleName("Import action plan from Excel")
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        top.addWidget(QLabel(f"Workbook: <b>{html.escape(preview.path.name)}</b>"))
        self.sheet_combo: QComboBox | None = None
        if len(self._sheets) > 1:
            self.sheet_combo = QComboBox()
            self.sheet_combo.setAccessibleName("Sheet")
            self.sheet_combo.addItems(self._sheets)
            label = QLabel("&Sheet:")
            label.setBuddy(self.sheet_combo)
            top.addWidget(label)
            top.addWidget(self.sheet_combo, 1)
            self.sheet_combo.currentIndexChanged.connect(self._show_sheet)
        self.header_note = QLabel()
        top.addWidget(self.header_note, 1)
        layout.addLayout(top)

        group = QGroupBox("Which column holds each part of the plan")
        grid = QGridLayout(group)
        self.column_combos: dict[str, QComboBox] = {}
        for index, (name, label_text) in enumerate(FIELDS.items()):
            combo = QComboBox()
            combo.setAccessibleName(f"Column for {label_text}")
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
            label = QLabel(_with_mnemonic(label_text, _MNEMONICS[name]) + ":")
            label.setBuddy(combo)
            row, column = divmod(index, 3)  # three to a row: it fits a 960 × 540 screen
            grid.addWidget(label, row, 2 * column)
            grid.addWidget(combo, row, 2 * column + 1)
            grid.setColumnStretch(2 * column + 1, 1)
            combo.activated.connect(self._mapping_changed)
            self.column_combos[name] = combo
        layout.addWidget(group)

        self.problem = _wrapped("Problem with the columns")
        palette.show_errors_in(self.problem)  # its colour follows a change of theme
        self.problem.hide()
        layout.addWidget(self.problem)

        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setHorizontalHeaderLabels(list(_COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.warnings = QListWidget()
        self.warnings.setWordWrap(True)
        self.warnings.setMinimumHeight(3 * self.fontMetrics().lineSpacing())  # room to scroll
        self.warnings_label = QLabel()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        for factor, (label, view) in enumerate(
            (
                (QLabel("Pre&view: what importing would do"), self.table),
                (self.warnings_label, self.warnings),
            )
        ):
            view.setAccessibleName(label.text().replace("&", ""))  # heard as its label reads
            view.setTabKeyNavigation(False)  # Tab leaves the table
            label.setBuddy(view)
            part = QWidget()
            part_layout = QVBoxLayout(part)
            part_layout.setContentsMargins(0, 0, 0, 0)
            part_layout.addWidget(label)
            part_layout.addWidget(view)
            splitter.addWidget(part)
            splitter.setStretchFactor(factor, 3 - 2 * factor)
        layout.addWidget(splitter, 1)

        self.summary = _wrapped("Summary")
        layout.addWidget(self.summary)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self._show(preview)
        header = self.table.horizontalHeader()
        for column in range(len(_COLUMNS)):
            if column != _WORDING_COLUMN:
                self.table.resizeColumnToContents(column)
        keep_column_readable(self.table, header, _WORDING_COLUMN, 260)
        fit_to_screen(self, 1100, 720)
        splitter.setSizes([600, 150])  # the preview first: three quarters of the room

    # ----- the sheet and its columns --------------------------------------------------------

    def current_sheet(self) -> str:
        """The sheet whose columns the mapping step shows."""
        return self._sheets[0] if self.sheet_combo is None else self.sheet_combo.currentText()

    def _show_sheet(self) -> None:
        """Fill the combos with the current sheet's columns, set to the ones read now (or, for
        a sheet the mapping leaves unread, to the ones chosen)."""
        sheet = self.current_sheet()
        table = next((t for t in self.preview.sheets if t.sheet == sheet), None)
        mapping = table.columns if table is not None else self._chosen.get(sheet, {})
        self.header_note.setText(
            f"Headings found in row {table.header_row}."
            if table is not None
            else "This sheet is not read with these columns."
        )
        for name, combo in self.column_combos.items():
            chosen = mapping.get(name, 0)
            columns = dict(self._columns.get(sheet, []))
            if chosen:  # a column past the last heading
                columns.setdefault(chosen, _column_text(chosen, ""))
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NOT_IN_SHEET, 0)
            for number in sorted(columns):
                combo.addItem(columns[number], number)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)

    def _mapping_changed(self) -> None:
        """A column chosen by hand: preview again with the sheet's columns as they are set."""
        combos = self.column_combos.items()
        self._chosen[self.current_sheet()] = {n: int(c.currentData() or 0) for n, c in combos}
        self.refresh()

    def refresh(self) -> None:
        """Preview again with the columns as chosen; a refusal is said in the dialog."""
        try:
            with _waiting():
                preview = preview_tracker(
                    inspection_id=self.preview.inspection_id,
                    path=self.preview.path,
                    today=self.preview.today,
                    columns=self._chosen or None,
                )
        except EsiError as exc:
            self._refused(str(exc))
            return
        self.preview = preview
        self._show(preview)

    def _refused(self, sentence: str) -> None:
        self.problem.setText(sentence)
        self.problem.show()
        self.table.setRowCount(0)
        self.warnings.clear()
        self.summary.setText("Nothing can be imported with the columns as they are set.")
        self.import_button.setEnabled(False)

    # ----- the preview ----------------------------------------------------------------------

    def _show(self, preview: TrackerPreview) -> None:
        self.problem.hide()
        self._show_sheet()
        self.warnings.clear()
        self.warnings.addItems(list(preview.warnings))
        self.warnings_label.setText(f"&Warnings ({len(preview.warnings)})")
        self.warnings.setAccessibleName(self.warnings_label.text().replace("&", ""))
        self.summary.setText(" ".join([summary_sentence(preview) + ".", *preview.notes]))
        self.import_button.setEnabled(any(c[NEW] or c[CHANGED] for c in preview.counts().values()))
        milestones: dict[str, list[ItemPreview]] = {}
        for milestone in preview.milestones:
            milestones.setdefault(milestone.action_key, []).append(milestone)
        rows = [
            item for action in preview.actions for item in (action, *milestones.get(action.key, ()))
        ]
        several = len(preview.sheets) > 1
        self.table.setUpdatesEnabled(False)
        self.table.setRowCount(len(rows))
        for number, item in enumerate(rows):
            for column, (text, tip) in enumerate(_cells(item, several)):
                cell = QTableWidgetItem(text)
                if tip:
                    cell.setToolTip(tip)
                self.table.setItem(number, column, cell)
        self.table.setUpdatesEnabled(True)


def _cells(item: ItemPreview, several_sheets: bool) -> list[tuple[str, str]]:
    """The table's cells for an item: (text, tooltip)."""
    values = item.values
    changes = [(_change_name(name), old, new) for name, old, new in item.changes]
    outcome = _OUTCOMES[item.outcome]
    if changes:
        outcome += ": " + ", ".join(name for name, _, _ in changes)
    tip = "\n".join(f"{n.capitalize()}: {_shown(old)} → {_shown(new)}" for n, old, new in changes)
    action = item.kind == "action"
    wording = str(values.get("text" if action else "title", ""))
    texts = (
        f"{item.sheet}: {item.row}" if several_sheets else str(item.row),
        outcome,
        "Action" if action else "Milestone",
        item.reference or "",
        ", ".join(values.get("recommendations", ())),
        wording if action else "    " + wording,
        str(values.get("owner") or ""),
        _shown(values.get("target_date" if action else "due_date")),
        str(values.get("status") or ""),
    )
    return list(zip(texts, ("", tip, "", "", "", wording, "", "", ""), strict=True))


def _change_name(name: str) -> str:
    return _CHANGE_NAMES.get(name) or FIELDS.get(name, name.replace("_", " ")).lower()


def _shown(value: object) -> str:
    if value is None or value == "":
        return "(blank)" if value == "" else ""
    if isinstance(value, date):
        return long_date(value)
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _with_mnemonic(text: str, letter: str) -> str:
    """ "Owner" with its mnemonic letter marked: "&Owner", "Stat&us"."""
    index = text.find(letter)
    return text if index < 0 else f"{text[:index]}&{text[index:]}"


def _column_text(number: int, heading: str) -> str:
    """ "C — Lead officer" (or "C" for a column without a heading)."""
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    letter = str(get_column_letter(number))
    return f"{letter} — {heading}" if heading else letter


def _header_cells(path: Path, tables: tuple[SheetTable, ...]) -> dict[str, list[tuple[int, str]]]:
    """Per sheet, the columns the mapping step offers: (number, "C — Lead officer"). The
    engine names only the columns it matched, so the header row is read again (openpyxl,
    read-only, through defusedxml) to offer the others too; failing that, the matched ones."""
    found = {
        table.sheet: sorted(
            {(n, _column_text(n, table.headings.get(f, ""))) for f, n in table.columns.items()}
        )
        for table in tables
    }
    try:
        from openpyxl import load_workbook  # type: ignore[import-untyped]

        book = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception:  # the engine read it a moment ago: offer what it matched
        return found
    with suppress(Exception):  # keep what is known
        for table in tables:
            row = table.header_row
            if row < 1 or table.sheet not in book.sheetnames:
                continue
            cells = next(book[table.sheet].iter_rows(min_row=row, max_row=row, values_only=True))
            headings = [" ".join(str(v).split()) if v is not None else "" for v in cells]
            numbers = [i for i, text in enumerate(headings, start=1) if text]
            last = max([*numbers, *table.columns.values(), 0])
            headings += [""] * (last - len(headings))
            found[table.sheet] = [(n, _column_text(n, headings[n - 1])) for n in range(1, last + 1)]
    with suppress(Exception):
        book.close()
    return found


def _wrapped(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(name)
    return label


def _own_connection_possible() -> bool:
    """Whether a worker thread can open a connection of its own: not to memory."""
    opened = database.opened()
    return opened is not None and (opened.path is not None or "memory" not in opened.url)


@contextmanager
def _waiting() -> Iterator[None]:
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()
