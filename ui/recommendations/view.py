"""Recommendations & responses: the recommendations table above the Board's response editor."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.wording import RECOMMENDATION
from ui.edits import Edits
from ui.evidence.counts import read_counts
from ui.evidence.dropping import FileDrops
from ui.recommendations.model import (
    RecommendationColumn,
    RecommendationIdRole,
    RecommendationTableModel,
    SortRole,
)
from ui.recommendations.response_editor import ResponseEditor
from ui.workspace import Workspace

#: The most lines a recommendation's row shows; its whole text is its tooltip.
TEXT_LINES = 2


class RecommendationsView(QWidget):
    """The recommendations table beside the response editor."""

    def __init__(self, workspace: Workspace, edits: Edits) -> None:
        super().__init__()
        self.workspace = workspace
        self.model = RecommendationTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setAccessibleName("Recommendations")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(RecommendationColumn.REF, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(RecommendationColumn.TEXT, QHeaderView.ResizeMode.Stretch)
        # widths in characters, so the table reads the same at any scaling
        em = self.fontMetrics().averageCharWidth()
        for column, chars in (
            (RecommendationColumn.REF, 6),
            (RecommendationColumn.CRITERIA, 11),
            (RecommendationColumn.RESPONSE, 15),
            (RecommendationColumn.LEAD_OWNER, 14),
            (RecommendationColumn.PROGRESS, 11),
            (RecommendationColumn.RAG, 10),
            (RecommendationColumn.EVIDENCE, 8),
        ):
            header.resizeSection(column, chars * em + 12)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        # files dropped on a recommendation's row (from Explorer) attach to it
        self.file_drops = FileDrops(self.table, edits, self._recommendation_at)
        # rows follow the text column's width (the window is often sized after the view is
        # built), at most TEXT_LINES lines each: the whole text is the row's tooltip
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_rows)
        header.sectionResized.connect(lambda *_: self._fit_timer.start())

        self.editor = ResponseEditor(workspace, edits)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setWidget(self.editor)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(scroller)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([330, 350])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        workspace.changed.connect(self.reload)

    def models(self) -> list[QAbstractTableModel | QSortFilterProxyModel]:
        """The item models, for tests."""
        return [self.model, self.proxy]

    def current_id(self) -> int | None:
        """The id of the selected recommendation."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return int(rows[0].data(RecommendationIdRole))

    def _recommendation_at(self, index: QModelIndex) -> tuple[str, int] | None:
        """The recommendation a row of the table stands for (where files may drop)."""
        return (RECOMMENDATION, int(index.data(RecommendationIdRole))) if index.isValid() else None

    def reload(self) -> None:
        """Show the plan again, keeping the selection."""
        current = self.current_id()
        plan = self.workspace.plan()
        self.table.selectionModel().blockSignals(True)
        self.model.set_plan(plan)
        self.table.selectionModel().blockSignals(False)
        counts = read_counts(plan.inspection_id if plan else None)  # one query for them all
        if counts is not None:
            self.model.show_evidence_counts(counts)
        # after the event that caused the reload: a click that saved the response being left
        # must select the row that was under the mouse, not the one moved there by the reflow
        self._fit_timer.start()
        if plan is None:
            self.editor.clear()
            return
        if current is None and plan.recommendations:
            current = plan.recommendations[0].id
        if current is not None:
            self.select_recommendation(current)

    def fit_rows(self) -> None:
        """Size each row to its wrapped text at the columns' widths now, at most
        :data:`TEXT_LINES` lines (the rest is in the row's tooltip)."""
        self.table.resizeRowsToContents()
        line = self.table.fontMetrics().lineSpacing()
        tallest = TEXT_LINES * line + 8
        for row in range(self.proxy.rowCount()):
            if self.table.rowHeight(row) > tallest:
                self.table.setRowHeight(row, tallest)

    def select_recommendation(self, recommendation_id: int) -> None:
        """Select a recommendation and show its response."""
        if self._select_row_quietly(recommendation_id):
            self._show(recommendation_id)

    def _select_row_quietly(self, recommendation_id: int) -> bool:
        """Select a recommendation's row without showing it; False if it is not listed."""
        row = self.model.row_of(recommendation_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().blockSignals(True)
        self.table.selectRow(index.row())
        self.table.selectionModel().blockSignals(False)
        self.table.scrollTo(index)
        return True

    def _selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        # what was typed for the recommendation being left is kept (as a draft if incomplete)
        leaving = self.editor.recommendation
        self.editor.commit()
        if self.editor.pending and leaving is not None:
            # it could not be saved (the sentence says why): stay on it rather than lose it
            self._select_row_quietly(leaving.id)
            return
        current = self.current_id()
        if current is not None:
            self._show(current)

    def commit(self) -> None:
        """Keep what is typed in the response editor (the window is closing or moving on)."""
        self.editor.commit()

    def _show(self, recommendation_id: int) -> None:
        plan = self.workspace.plan()
        if plan is None:
            return
        self.editor.show_recommendation(plan.recommendation(recommendation_id), plan)
