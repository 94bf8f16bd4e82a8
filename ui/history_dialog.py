"""The history of one item (who changed what, when) and exporting the audit trail to CSV.

The menus call :func:`show_history` ("History…" on a recommendation, action, milestone or the
follow-up) and :func:`export_history_csv` (File ▸ Export history…).
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from esi_desktop import audit
from esi_desktop.audit.trail import AuditView
from esi_desktop.database import DatabaseOutage
from esi_desktop.errors import EsiError
from esi_desktop.wording import FOLLOW_UP, RECOMMENDATION, kind_name, plural, shorten
from ui.models import ColumnTableModel
from ui.saving import documents_folder, save_asking_to_replace

if TYPE_CHECKING:
    from ui.main_window import MainWindow

Index = QModelIndex | QPersistentModelIndex


class HistoryColumn(IntEnum):
    """The columns of the history table."""

    WHEN = 0
    WHO = 1
    FIELD = 2
    CHANGE = 3


_HEADERS = {
    HistoryColumn.WHEN: "When",
    HistoryColumn.WHO: "Who",
    HistoryColumn.FIELD: "Field",
    HistoryColumn.CHANGE: "Old → New",
}

#: What a column sorts by (the time, then the order of recording, for "When").
SortRole = Qt.ItemDataRole.UserRole + 1
#: The id of the audit entry a row shows.
EntryIdRole = Qt.ItemDataRole.UserRole + 2


class HistoryModel(ColumnTableModel):
    """Recorded changes, one per row, in the order given (a proxy sorts them)."""

    COLUMNS = HistoryColumn
    HEADERS = _HEADERS

    def __init__(self, entries: list[AuditView] | None = None) -> None:
        super().__init__()
        self._rows: list[AuditView] = list(entries or [])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(HistoryColumn):
            return None
        entry = self._rows[index.row()]
        column = HistoryColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == SortRole:
            if column == HistoryColumn.WHEN:
                return f"{entry.changed_at.isoformat()}#{entry.id:012d}"
            return self._text(entry, column).casefold()
        if role == EntryIdRole:
            return entry.id
        return None

    @staticmethod
    def _text(entry: AuditView, column: HistoryColumn) -> str:
        if column == HistoryColumn.WHEN:
            return entry.when_text
        if column == HistoryColumn.WHO:
            return entry.changed_by
        if column == HistoryColumn.FIELD:
            return entry.field_label
        # one line in the table; the tooltip shows long texts whole
        return " ".join(entry.change_text.split())

    @staticmethod
    def _tooltip(entry: AuditView, column: HistoryColumn) -> str:
        if column == HistoryColumn.WHEN:
            return entry.local_changed_at.strftime("%d/%m/%Y at %H:%M:%S")
        if column == HistoryColumn.CHANGE:
            if not entry.field:
                return entry.change_text
            return (
                f"Before:\n{entry.old_value or '(empty)'}\n\nAfter:\n{entry.new_value or '(empty)'}"
            )
        return HistoryModel._text(entry, column)


class HistoryDialog(QDialog):
    """Every recorded change of one item, newest first."""

    def __init__(self, parent: QWidget | None, *, title: str, entries: list[AuditView]) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"History — {title}")
        self.model = HistoryModel(entries)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)

        heading = QLabel(title)
        heading.setWordWrap(True)
        heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty_label = QLabel("No change has been recorded for this item yet.")
        self.empty_label.setVisible(not entries)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Recorded changes")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(HistoryColumn.WHEN, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in (HistoryColumn.WHEN, HistoryColumn.WHO, HistoryColumn.FIELD):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table)
        layout.addWidget(self.empty_label)
        layout.addWidget(buttons)
        self.resize(820, 420)

    def row_texts(self) -> list[tuple[str, ...]]:
        """What the table shows, row by row as sorted (for tests and accessibility)."""
        return [
            tuple(
                str(self.proxy.index(row, column).data())
                for column in range(self.proxy.columnCount())
            )
            for row in range(self.proxy.rowCount())
        ]


def show_history(parent: QWidget, *, item_kind: str, item_id: int, title: str) -> None:
    """Open the history of an item beside the window (it does not block the window).

    Args:
        parent: the window or view asking.
        item_kind: ``audit.RECOMMENDATION``, ``audit.ACTION``, ``audit.MILESTONE``,
            ``audit.FOLLOW_UP`` (with the inspection's id) ...
        item_id: the item's id.
        title: how to name the item in the dialog ("Action: Audit 20 assessments a month").
    """
    try:
        entries = audit.history(item_kind=item_kind, item_id=item_id)
    except EsiError as exc:
        if not isinstance(exc, DatabaseOutage):  # the window says that once
            QMessageBox.warning(parent, "Cannot show the history", str(exc))
        return
    if item_kind in (audit.ACTION, audit.MILESTONE) and entries:
        # an action or milestone is named by its reference ("Action AP3: Audit …")
        title = shorten(audit.item_labels(entries)[(item_kind, item_id)], 90)
    dialog = HistoryDialog(parent, title=title, entries=entries)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def export_history_csv(parent: QWidget, *, inspection_id: int | None) -> Path | None:
    """Ask where to save, then write the audit trail of an inspection to a CSV file.

    Args:
        parent: the window asking.
        inspection_id: the inspection whose changes to export (None: every inspection's).

    Returns:
        The file written, or None when the user cancelled or it could not be written (the
        user has been told why).
    """
    suggested = documents_folder() / f"ESI history {date.today():%Y-%m-%d}.csv"
    name, _ = QFileDialog.getSaveFileName(
        parent,
        "Export the history to CSV",
        str(suggested),
        "CSV files for Excel (*.csv);;All files (*)",
    )
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() != ".csv":
        path = path.with_name(path.name + ".csv")
    try:
        count = save_asking_to_replace(
            parent,
            lambda force: audit.export_csv(inspection_id=inspection_id, path=path, force=force),
        )
    except EsiError as exc:
        if not isinstance(exc, DatabaseOutage):  # the window says that once
            QMessageBox.warning(parent, "Cannot export the history", str(exc))
        return None
    if count is None:
        return None  # the user kept the file of another kind
    QMessageBox.information(
        parent,
        "History exported",
        f"Wrote {plural(count, 'recorded change')} to {path}.",
    )
    return path


# ----- what the menus call -------------------------------------------------------------------


def selected_item(window: MainWindow) -> tuple[str, int, str] | None:
    """The (kind, id, title) of the item selected in the view on show, for its history."""
    name = window.current_view_name()
    if name == "recommendations":
        current = window.recommendations.current_id()
        if current is None:
            return None
        plan = window.workspace.plan()
        reference = plan.recommendation(current).reference if plan else "?"
        return RECOMMENDATION, current, f"{kind_name(RECOMMENDATION)} {reference}"
    if name == "plan":
        node = window.plan_view.current_node()
        if node is None:
            return None
        item = node.item
        words = (
            getattr(item, "reference", None)
            or getattr(item, "text", None)
            or getattr(item, "title", "")
        )
        return node.kind, int(item.id), f"{kind_name(node.kind)}: {shorten(str(words), 60)}"
    if name == "follow-up" and window.workspace.inspection_id is not None:
        return FOLLOW_UP, window.workspace.inspection_id, kind_name(FOLLOW_UP)
    return None


def history_of_selected(window: MainWindow) -> None:
    """Edit ▸ History…: every change to the selected item — when, who, old → new."""
    selected = selected_item(window)
    if selected is None:
        window.statusBar().showMessage(
            "Select a recommendation, action or milestone first; its history shows.", 6000
        )
        return
    kind, item_id, title = selected
    show_history(window, item_kind=kind, item_id=item_id, title=title)


def export_history(window: MainWindow) -> None:
    """File ▸ Export ▸ Change history (CSV)…."""
    saved = export_history_csv(window, inspection_id=window.workspace.inspection_id)
    if saved is not None:
        window.statusBar().showMessage(f"Saved the change history to {saved}", 8000)
