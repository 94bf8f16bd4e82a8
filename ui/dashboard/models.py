"""The dashboard's item models: Board meetings, overdue and due-soon items, score tables.

They only present :mod:`esi_desktop.dashboard`'s read model; nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import IntEnum

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
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


def _due_cell(item: DueItem, column: DueColumn) -> str:
    return {
        DueColumn.MILESTONE: ACTION_TARGET_TEXT if item.kind == ACTION else item.labelled_text,
        DueColumn.ACTION: item.labelled_action,
        DueColumn.OWNER: item.owner,
        DueColumn.DUE: long_date(item.due),
        DueColumn.FLAG: item.flag,
    }[column]


class DueItemsModel(ColumnTableModel):
    """What is overdue (actions and milestones) or due soon (milestones), as the read model
    lists them.

    Sort through a proxy on :data:`SortKeyRole`; the Due column sorts by date.
    """

    COLUMNS = DueColumn
    HEADERS = _DUE_HEADERS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[DueItem] = []

    def set_items(self, items: Sequence[DueItem]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._rows = list(items)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(DueColumn):
            return None
        row = self._rows[index.row()]
        column = DueColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _due_cell(row, column)
        if role == ItemIdRole:
            return row.id
        if role == ItemKindRole:
            return row.kind
        if role == SortKeyRole:
            if column in (DueColumn.DUE, DueColumn.FLAG):
                return row.due.toordinal()
            return _due_cell(row, column).casefold()
        if column == DueColumn.FLAG and row.urgency is not None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(RAG_COLOURS[row.urgency]))
            if role == Qt.ItemDataRole.ForegroundRole:
                return near_black()
            if role == Qt.ItemDataRole.FontRole:
                return bold()
        return None


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
