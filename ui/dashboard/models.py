"""The dashboard's item models: Board meetings, overdue and due-soon items, score tables.

They only present :mod:`esi_desktop.dashboard`'s read model; nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from esi_desktop.comparison import ComparisonRow, RowKind
from esi_desktop.dashboard import DueItem, ScoreTable
from esi_desktop.rules import Rag
from esi_desktop.wording import ACTION, long_date, plural
from ui.models import RAG_COLOURS, ColumnTableModel

Index = QModelIndex | QPersistentModelIndex

TEXT_ON_COLOUR = "#111111"
#: The background of the Board meeting at which the plan must be approved.
APPROVAL_BACKGROUND = "#fbe3b9"

APPROVAL_TEXT = "the plan must be approved here"

#: What the Milestone column says for an action that is itself past its target date.
ACTION_TARGET_TEXT = "Target date of the action"

#: The id of the action or milestone a row of the overdue/due-soon table stands for.
ItemIdRole = Qt.ItemDataRole.UserRole + 1
#: What the overdue/due-soon table sorts by (the due date as an ordinal for the Due column).
SortKeyRole = Qt.ItemDataRole.UserRole + 2
#: The date of a Board meeting row.
MeetingDateRole = Qt.ItemDataRole.UserRole + 3
#: True for the Board meeting at which the plan must be approved.
ApprovalMeetingRole = Qt.ItemDataRole.UserRole + 4
#: A scores row's change in whole percentage points (None when a side is missing).
ChangePointsRole = Qt.ItemDataRole.UserRole + 5
#: "action" or "milestone": what a row of the overdue/due-soon table stands for.
ItemKindRole = Qt.ItemDataRole.UserRole + 6


def near_black() -> QBrush:
    """The text colour on a coloured background."""
    return QBrush(QColor(TEXT_ON_COLOUR))


def bold() -> QFont:
    """A bold font."""
    font = QFont()
    font.setBold(True)
    return font


class BoardMeetingsModel(QAbstractListModel):
    """The Board meeting dates, the one where the plan must be approved marked as such."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dates: list[date] = []
        self._approval: date | None = None

    def set_meetings(self, dates: Sequence[date], approval: date | None) -> None:
        """Replace the list; ``approval`` is the last meeting on or before the response date."""
        self.beginResetModel()
        self._dates = sorted(dates)
        self._approval = approval
        self.endResetModel()

    def meeting_at(self, row: int) -> date:
        """The date shown in a row."""
        return self._dates[row]

    def row_of(self, meeting: date) -> int:
        """The row of a meeting date, or -1."""
        return self._dates.index(meeting) if meeting in self._dates else -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._dates)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._dates):
            return None
        meeting = self._dates[index.row()]
        approval = meeting == self._approval
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{long_date(meeting)} — {APPROVAL_TEXT}" if approval else long_date(meeting)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            suffix = f", {APPROVAL_TEXT}" if approval else ""
            return f"Board meeting {long_date(meeting)}{suffix}"
        if role == MeetingDateRole:
            return meeting
        if role == Qt.ItemDataRole.ToolTipRole and not approval:
            return f"Board meeting on {long_date(meeting)}"
        if role == ApprovalMeetingRole:
            return approval
        if approval:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(APPROVAL_BACKGROUND))
            if role == Qt.ItemDataRole.ForegroundRole:
                return near_black()
            if role == Qt.ItemDataRole.FontRole:
                return bold()
            if role == Qt.ItemDataRole.ToolTipRole:
                return (
                    f"{long_date(meeting)}: the last Board meeting on or before the date the "
                    "response and action plan are due; the Board must approve the plan here."
                )
        return None


class DueColumn(IntEnum):
    """Columns of the overdue and due-soon table."""

    MILESTONE = 0
    ACTION = 1
    OWNER = 2
    DUE = 3
    FLAG = 4


_DUE_HEADERS = {
    DueColumn.MILESTONE: "Milestone",
    DueColumn.ACTION: "Action",
    DueColumn.OWNER: "Owner",
    DueColumn.DUE: "Due",
    DueColumn.FLAG: "Flag",
}


def _due_cells(item: DueItem) -> tuple[str, str, str, str, str]:
    """A row's words, in :class:`DueColumn` order."""
    return (
        ACTION_TARGET_TEXT if item.kind == ACTION else item.labelled_text,
        item.labelled_action,
        item.owner,
        long_date(item.due),
        item.flag,
    )


_DISPLAY_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)


class DueItemsModel(ColumnTableModel):
    """What is overdue (actions and milestones) or due soon (milestones), as the read model
    lists them.

    Sort through :class:`SortedRowsProxy` (its keys come from :meth:`sort_keys`, or one by
    one from :data:`SortKeyRole`); the Due column sorts by date. A row's words are worked out
    when first asked for, so a long list costs only the rows on show.
    """

    COLUMNS = DueColumn
    HEADERS = _DUE_HEADERS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[DueItem] = []
        self._cells: list[tuple[str, str, str, str, str] | None] = []

    def set_items(self, items: Sequence[DueItem]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._rows = list(items)
        self._cells = [None] * len(self._rows)
        self.endResetModel()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _DUE_COLUMNS

    def cells(self, row: int) -> tuple[str, str, str, str, str]:
        """The words of a row, in column order."""
        cells = self._cells[row]
        if cells is None:
            cells = self._cells[row] = _due_cells(self._rows[row])
        return cells

    def sort_keys(self, column: int) -> list[object]:
        """Every row's :data:`SortKeyRole` value in ``column``, in row order."""
        if column in (DueColumn.DUE, DueColumn.FLAG):
            return [row.due.toordinal() for row in self._rows]
        return [self.cells(row)[column].casefold() for row in range(len(self._rows))]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        row_number = index.row()
        column = index.column()
        if not 0 <= row_number < len(self._rows) or not 0 <= column < _DUE_COLUMNS:
            return None  # an invalid index has row -1
        if role in _DISPLAY_ROLES:
            return self.cells(row_number)[column]
        row = self._rows[row_number]
        if role == ItemIdRole:
            return row.id
        if role == ItemKindRole:
            return row.kind
        if role == SortKeyRole:
            if column in (DueColumn.DUE, DueColumn.FLAG):
                return row.due.toordinal()
            return self.cells(row_number)[column].casefold()
        if column == DueColumn.FLAG and row.urgency is not None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(RAG_COLOURS[row.urgency]))
            if role == Qt.ItemDataRole.ForegroundRole:
                return near_black()
            if role == Qt.ItemDataRole.FontRole:
                return bold()
        return None


_DUE_COLUMNS = len(DueColumn)


class SortedRowsProxy(QAbstractProxyModel):
    """A flat table's rows in a sorted order; the source model is never sorted in place.

    Unlike a :class:`QSortFilterProxyModel`, which asks the source for two values per
    comparison (some 350,000 calls into Python for 12,500 rows), it asks the source once for
    a column's keys (``sort_keys(column)``, else :data:`SortKeyRole` row by row) and sorts
    them in Python, stably, as Qt does. The source only resets (it is replaced whole); the
    rows are sorted again then, by the column last sorted on.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._order: list[int] = []  # proxy row -> source row
        self._position: list[int] = []  # source row -> proxy row
        self._column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    def setSourceModel(self, model: QAbstractItemModel | None) -> None:
        self.beginResetModel()
        old = self.sourceModel()
        if old is not None:
            for signal in _RESETTING_SIGNALS:
                getattr(old, signal).disconnect(self._source_about_to_reset)
            for done in ("modelReset", *_RESET_SIGNALS):
                getattr(old, done).disconnect(self._source_reset)
            old.dataChanged.disconnect(self._source_data_changed)
        super().setSourceModel(model)  # type: ignore[arg-type]  # None unsets it, as in Qt
        if model is not None:
            for signal in _RESETTING_SIGNALS:
                getattr(model, signal).connect(self._source_about_to_reset)
            for done in ("modelReset", *_RESET_SIGNALS):
                getattr(model, done).connect(self._source_reset)
            model.dataChanged.connect(self._source_data_changed)
        self._arrange()
        self.endResetModel()

    def _source_about_to_reset(self, *_args: object) -> None:
        self.beginResetModel()

    def _source_reset(self, *_args: object) -> None:
        self._arrange()
        self.endResetModel()

    def _source_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        rows = [self._position[r] for r in range(top_left.row(), bottom_right.row() + 1)]
        if rows:
            self.dataChanged.emit(
                self.index(min(rows), top_left.column()),
                self.index(max(rows), bottom_right.column()),
            )

    def _arrange(self, order: list[int] | None = None) -> None:
        """Sort ``order`` (by default the source's) by the column last sorted on."""
        model = self.sourceModel()
        count = model.rowCount() if model is not None else 0
        if order is None or len(order) != count:
            order = list(range(count))
        if model is not None and 0 <= self._column < model.columnCount() and count:
            keys_of = getattr(model, "sort_keys", None)
            keys = (
                keys_of(self._column)
                if callable(keys_of)
                else [model.index(r, self._column).data(SortKeyRole) for r in range(count)]
            )
            order.sort(
                key=keys.__getitem__, reverse=self._sort_order == Qt.SortOrder.DescendingOrder
            )
        self._order = order
        self._position = [0] * count
        for proxy_row, source_row in enumerate(order):
            self._position[source_row] = proxy_row

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        sources = [(self._order[i.row()], i.column()) for i in before]
        self._column, self._sort_order = column, order
        # stable from the order on show, as QSortFilterProxyModel: ties keep the last sort's
        self._arrange(list(self._order))
        self.changePersistentIndexList(
            before, [self.index(self._position[row], column) for row, column in sources]
        )
        self.layoutChanged.emit()

    def sortColumn(self) -> int:
        """The column the rows are sorted by (-1: the source's order)."""
        return self._column

    def sortOrder(self) -> Qt.SortOrder:
        """Ascending or descending."""
        return self._sort_order

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not 0 <= row < len(self._order):
            return QModelIndex()
        if not 0 <= column < self.columnCount():
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: Index | None = None) -> Any:
        if index is None:  # QObject.parent()
            return super().parent()
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._order)

    def mapToSource(self, index: Index) -> QModelIndex:
        model = self.sourceModel()
        if model is None or not index.isValid() or not 0 <= index.row() < len(self._order):
            return QModelIndex()
        return model.index(self._order[index.row()], index.column())

    def mapFromSource(self, index: Index) -> QModelIndex:
        if not index.isValid() or not 0 <= index.row() < len(self._position):
            return QModelIndex()
        return self.createIndex(self._position[index.row()], index.column())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        model = self.sourceModel()
        if model is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if role == Qt.ItemDataRole.DisplayRole else None
        return model.headerData(section, orientation, role)


#: The source's signals before a change this proxy handles as a reset, and after it.
_RESETTING_SIGNALS = (
    "modelAboutToBeReset",
    "rowsAboutToBeInserted",
    "rowsAboutToBeRemoved",
    "rowsAboutToBeMoved",
    "layoutAboutToBeChanged",
)
_RESET_SIGNALS = ("rowsInserted", "rowsRemoved", "rowsMoved", "layoutChanged")


class ScoreColumn(IntEnum):
    """Columns of a framework's baseline against follow-up table."""

    SECTION = 0
    BASELINE = 1
    FOLLOW_UP = 2
    CHANGE = 3


_SCORE_HEADERS = {
    ScoreColumn.SECTION: "Section",
    ScoreColumn.BASELINE: "Baseline",
    ScoreColumn.FOLLOW_UP: "Follow-up",
    ScoreColumn.CHANGE: "Change",
}


def _score_cell(row: ComparisonRow, column: ScoreColumn) -> str:
    return {
        ScoreColumn.SECTION: row.summary_label,
        ScoreColumn.BASELINE: row.baseline_text,
        ScoreColumn.FOLLOW_UP: row.follow_up_text,
        ScoreColumn.CHANGE: row.change_text,
    }[column]


class ScoreComparisonModel(ColumnTableModel):
    """One framework's section and overall scores: baseline, follow-up and the change."""

    COLUMNS = ScoreColumn
    HEADERS = _SCORE_HEADERS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ComparisonRow] = []
        self.framework_id = ""
        self.title = ""

    def set_table(self, table: ScoreTable) -> None:
        """Replace the rows with this framework's section and overall scores."""
        self.beginResetModel()
        self.framework_id = table.framework_id
        self.title = table.title
        self._rows = list(table.rows)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(ScoreColumn):
            return None
        row = self._rows[index.row()]
        column = ScoreColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _score_cell(row, column)
        if role == ChangePointsRole:
            return row.change
        if role == Qt.ItemDataRole.FontRole and row.kind is RowKind.OVERALL:
            return bold()
        if role == Qt.ItemDataRole.TextAlignmentRole and column != ScoreColumn.SECTION:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column == ScoreColumn.CHANGE and row.change:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(RAG_COLOURS[Rag.GREEN if row.change > 0 else Rag.RED]))
            if role == Qt.ItemDataRole.ForegroundRole:
                return near_black()
            if role == Qt.ItemDataRole.ToolTipRole:
                direction = "Up" if row.change > 0 else "Down"
                return f"{direction} {plural(abs(row.change), 'percentage point')}"
        return None
