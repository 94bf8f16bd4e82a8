"""Item models shared by the window: the inspections list and a base for flat tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from esi_desktop.inspections import InspectionSummary
from esi_desktop.rules import Rag

Index = QModelIndex | QPersistentModelIndex

#: The RAG colours of the house; near-black text reads on all four.
RAG_COLOURS = {
    Rag.RED: "#d9534f",
    Rag.AMBER: "#f0ad4e",
    Rag.GREEN: "#5cb85c",
    Rag.BLUE: "#5b9bd5",
}

#: The id of the inspection a row stands for.
InspectionIdRole = Qt.ItemDataRole.UserRole + 1


class ColumnTableModel(QAbstractTableModel):
    """A flat table: its rows in ``self._rows``, its columns an IntEnum with their headers.

    Subclasses set :attr:`COLUMNS` and :attr:`HEADERS`, fill ``self._rows`` and answer
    :meth:`data`; the row and column counts and the header come from here.
    """

    COLUMNS: type[IntEnum]
    HEADERS: Mapping[Any, str]
    _rows: Sequence[Any] = ()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.HEADERS[self.COLUMNS(section)]
        return None


class InspectionListModel(QAbstractListModel):
    """The stored inspections, one per row ("Gloucestershire — January 2005").

    Archived inspections are left out unless :meth:`set_show_archived` asks for them (or
    every inspection is archived: there would be nothing else to show).
    """

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[InspectionSummary] = []
        self._all: list[InspectionSummary] = []
        self.show_archived = False

    def set_inspections(self, rows: list[InspectionSummary]) -> None:
        """Replace every row (the archived ones shown only when asked for)."""
        self.beginResetModel()
        self._all = list(rows)
        current = [row for row in rows if not row.archived]
        self._rows = list(rows) if self.show_archived or not current else current
        self.endResetModel()

    def set_show_archived(self, shown: bool) -> None:
        """Show the archived inspections too (marked "(archived)"), or leave them out."""
        self.show_archived = shown
        self.set_inspections(self._all)

    def inspection_at(self, row: int) -> InspectionSummary:
        """The inspection shown in a row."""
        return self._rows[row]

    def row_of(self, inspection_id: int) -> int:
        """The row of an inspection, or -1."""
        for row, summary in enumerate(self._rows):
            if summary.id == inspection_id:
                return row
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        summary = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return summary.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{summary.report_title}\n{summary.recommendation_count} recommendations"
        if role == InspectionIdRole:
            return summary.id
        return None
