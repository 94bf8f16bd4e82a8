"""Recommendations & responses: the recommendations table above the Board's response editor."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
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
    AddresseeRole,
    RecommendationColumn,
    RecommendationIdRole,
    RecommendationTableModel,
    SortRole,
)
from ui.recommendations.response_editor import ResponseEditor
from ui.workspace import Workspace

#: The most lines a recommendation's row shows; its whole text is its tooltip.
TEXT_LINES = 2

#: The addressee filter's first choice: every recommendation.
ALL_ADDRESSEES = "All"


class AddresseeFilter(QSortFilterProxyModel):
    """Sorts the recommendations and keeps those addressed to one person or body (or all)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._addressee: str | None = None

    def set_addressee(self, addressee: str | None) -> None:
        """Keep only the recommendations addressed to ``addressee``; None keeps them all."""
        if addressee != self._addressee:
            self.beginFilterChange()
            self._addressee = addressee
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if self._addressee is None:
            return True
        model = self.sourceModel()
        return bool(
            model.index(source_row, 0, source_parent).data(AddresseeRole) == self._addressee
        )


class RecommendationsView(QWidget):
    """The recommendations table beside the response editor."""

    def __init__(self, workspace: Workspace, edits: Edits) -> None:
        super().__init__()
        self.workspace = workspace
        self.model = RecommendationTableModel()
        self.proxy = AddresseeFilter(self)
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
        # who it is addressed to reads with the recommendation, right after its text
        header.moveSection(
            header.visualIndex(RecommendationColumn.ADDRESSEE),
            header.visualIndex(RecommendationColumn.TEXT) + 1,
        )
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
            (RecommendationColumn.ADDRESSEE, 21),
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
        # Enter on a recommendation goes to its response, as Tab does (issue 18)
        self.table.activated.connect(lambda _index: self.editor.focus_first_field())
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setWidget(self.editor)
        self.addressee_filter = QComboBox()
        self.addressee_filter.setAccessibleName("Show recommendations addressed to")
        self.addressee_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.addressee_filter.addItem(ALL_ADDRESSEES, None)
        self.addressee_filter.currentIndexChanged.connect(self._filter_chosen)
        filter_label = QLabel("Addressed &to:")
        filter_label.setBuddy(self.addressee_filter)
        filter_row = QHBoxLayout()
        filter_row.setContentsMargins(0, 0, 0, 0)
        filter_row.addWidget(filter_label)
        filter_row.addWidget(self.addressee_filter)
        filter_row.addStretch(1)
        # shown only when there is a choice: every ESI recommendation is the Probation Board's,
        # and the row would take a recommendation's place on a laptop's screen
        self.filter_bar = QWidget()
        self.filter_bar.setLayout(filter_row)
        self.filter_bar.setVisible(False)
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.filter_bar)
        table_layout.addWidget(self.table)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(table_box)
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
        self._fill_addressees()
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
        if not index.isValid():
            return False  # filtered out: addressed to someone else
        self.table.selectionModel().blockSignals(True)
        self.table.selectRow(index.row())
        self.table.selectionModel().blockSignals(False)
        self.table.scrollTo(index)
        return True

    def _fill_addressees(self) -> None:
        """Offer the addressees of the recommendations on show; the choice stays if it can."""
        chosen = self.addressee_filter.currentData()
        wanted = [ALL_ADDRESSEES, *self.model.addressees()]
        present = [self.addressee_filter.itemText(i) for i in range(self.addressee_filter.count())]
        # a filter that can only choose everything is not offered (the choice "All" stays set)
        self.filter_bar.setVisible(len(wanted) > 2)
        if wanted == present:
            return
        self.addressee_filter.blockSignals(True)
        try:
            self.addressee_filter.clear()
            self.addressee_filter.addItem(ALL_ADDRESSEES, None)
            for addressee in wanted[1:]:
                self.addressee_filter.addItem(addressee, addressee)
            self.addressee_filter.setCurrentIndex(max(0, self.addressee_filter.findData(chosen)))
        finally:
            self.addressee_filter.blockSignals(False)
        self.proxy.set_addressee(self.addressee_filter.currentData())

    def _filter_chosen(self, _index: int) -> None:
        """Show only the recommendations addressed to the one chosen; keep one selected."""
        current = self.current_id()
        self.proxy.set_addressee(self.addressee_filter.currentData())
        self._fit_timer.start()
        if current is not None and self._select_row_quietly(current):
            return
        if self.proxy.rowCount():
            # the one shown is addressed to someone else: show the first of those listed
            self.table.selectRow(0)

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
