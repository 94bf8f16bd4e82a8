"""What the parts of the Action plan page share: its state, the cursor, folding and filtering.

:class:`PlanViewBase` holds the models and what the page remembers (folded rows, open
dialogs), finds and selects rows, keeps the cursor and folding across reloads and filter
changes, and shows why an edit was refused. :mod:`ui.plan.commands` adds the edit commands
on top of it and :mod:`ui.plan.view` builds the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QWidget,
)

from esi_desktop.database import DatabaseOutage
from esi_desktop.errors import EsiError
from esi_desktop.plan import PlanView
from ui.edits import Edits
from ui.plan.columns import is_stale
from ui.plan.dialogs import CriteriaDialog, EvidenceDialog, ReasonDialog, RecommendationsDialog
from ui.plan.filtering import PlanFilter, PlanFilterModel
from ui.plan.model import PlanTreeModel
from ui.plan.nodes import PlanNode
from ui.plan.tree import PlanTree
from ui.workspace import ConflictReloaded, Workspace


@dataclass(frozen=True)
class _Place:
    """Where the cursor was, to find it again after a reload."""

    path: tuple[int, ...]
    row: int
    column: int


class PlanViewBase(QWidget):
    """What the Action plan page's commands and its building share.

    Its state (models, folded rows, open dialogs), finding and selecting rows, the cursor and
    folding kept across reloads and filter changes, and showing why an edit was refused. The
    widgets declared here are built by :class:`ui.plan.view.ActionPlanView`.
    """

    #: More recommendations and actions than this to unfold, and the tree unfolds them as
    #: they come into view instead of all at once: laying out every row of a plan of 37,500
    #: milestones takes half a second, which each filter change that brings rows back and the
    #: first show would pay.
    EAGER_UNFOLD = 500
    #: How many rows from the top are unfolded at once when a large plan is shown.
    SIGHT_ROWS = 150

    tree: PlanTree
    filter_edit: QLineEdit
    owner_filter: QComboBox
    status_filter: QComboBox
    rag_filter: QComboBox
    _filter_timer: QTimer

    def __init__(self, workspace: Workspace, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.edits = edits
        self.setAccessibleName("Action plan")
        self._inspection_id: int | None = None
        self._collapsed: set[tuple[int, ...]] = set()
        self._restoring = False
        #: Whether rows unfold as they come into view (a large plan) rather than all at once.
        self._lazy = False
        self._unfold_timer = QTimer(self)
        self._unfold_timer.setSingleShot(True)
        self._unfold_timer.setInterval(0)
        self._unfold_timer.timeout.connect(self._unfold_in_sight)
        self.rag_dialog: ReasonDialog | None = None
        self.at_risk_dialog: ReasonDialog | None = None
        self.recommendations_dialog: RecommendationsDialog | None = None
        self.criteria_dialog: CriteriaDialog | None = None
        self.evidence_dialog: EvidenceDialog | None = None
        self.context_menu: QMenu | None = None
        self._owners_cache: tuple[PlanView | None, list[str]] = (None, [])

        self.model = PlanTreeModel(edits, self)
        self.model.edit_refused.connect(self._edit_refused)
        self.proxy = PlanFilterModel(self)
        self.proxy.setSourceModel(self.model)

    # ----- public API ---------------------------------------------------------------------

    def select_item(self, kind: str, item_id: int) -> bool:
        """Select and reveal a recommendation, action or milestone (the first row showing it).

        The filter is cleared when it hides the item.

        Returns:
            False when the item is not in the plan.
        """
        source = self.model.first_index_of(kind, item_id)
        if not source.isValid():
            return False
        return self._select_source(source)

    def set_filter(self, text: str = "", owner: str = "", status: str = "", rag: str = "") -> None:
        """Fill in the filter bar and filter at once (for scripts, tests and benchmarks)."""
        for combo, value in ((self.owner_filter, owner), (self.status_filter, status),
                             (self.rag_filter, rag)):  # fmt: skip
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.blockSignals(False)
        self.filter_edit.blockSignals(True)
        self.filter_edit.setText(text)
        self.filter_edit.blockSignals(False)
        self._apply_filter()

    @Slot()
    def clear_filter(self) -> None:
        """Show every item again."""
        self.set_filter()

    def current_node(self) -> PlanNode | None:
        """The row under the cursor."""
        return self.model.node(self.proxy.mapToSource(self.tree.currentIndex()))

    # ----- helpers ------------------------------------------------------------------------

    def _owners(self) -> list[str]:
        return self._owners_of(self.model.plan)

    def _owners_of(self, plan: PlanView | None) -> list[str]:
        """The plan's owners, worked out once per version of the plan (a walk over them all)."""
        if plan is None:
            return []
        if self._owners_cache[0] is not plan:
            self._owners_cache = (plan, plan.owners)
        return self._owners_cache[1]

    def _editing(self) -> bool:
        return self.tree.state() == QAbstractItemView.State.EditingState

    def _select_path(self, path: tuple[int, ...], column: int = 0) -> bool:
        source = self.model.index_of_path(path, column)
        return source.isValid() and self._select_source(source)

    def _select_source(self, source: QModelIndex) -> bool:
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            self.clear_filter()
            index = self.proxy.mapFromSource(source)
            if not index.isValid():
                return False
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.tree.scrollTo(index)
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _edit_new(self, path: tuple[int, ...]) -> None:
        if self._select_path(path):
            self.tree.edit(self.tree.currentIndex())

    def _place(self) -> _Place | None:
        current = self.tree.currentIndex()
        node = self.model.node(self.proxy.mapToSource(current))
        if node is None:
            return None
        return _Place(node.path, node.row, current.column())

    def _restore_place(self, place: _Place) -> bool:
        if self._select_path(place.path, place.column):
            return True
        # the row went (deleted, indented …): take its neighbour, else its parent
        parent_path = place.path[:-1]
        if not parent_path:
            return False
        parent = self.model.index_of_path(parent_path)
        if not parent.isValid():
            return self._restore_place(_Place(parent_path, 0, 0))
        count = self.model.rowCount(parent)
        if count:
            sibling = self.model.index(min(place.row, count - 1), place.column, parent)
            if self._select_source(sibling):
                return True
        return self._select_source(parent)

    def _restore_expansion(self) -> None:
        """Unfold the rows that hold rows, but those folded by hand (after a reset).

        A large plan unfolds only the rows at the top now, and the others as they come into
        view (:meth:`_unfold_in_sight`).
        """
        self._restoring = True
        try:
            self._lazy = self.proxy.expandable_count() > self.EAGER_UNFOLD
            if self._lazy:
                nodes, collapsed = self.model.nodes, self._collapsed
                self._unfold(self.proxy.leading(
                    self.SIGHT_ROWS, lambda number: nodes[number].path in collapsed
                ))  # fmt: skip
                self._unfold_timer.start()
            else:
                self._unfold(self.proxy.expandable())
        finally:
            self._restoring = False

    def _unfold(self, rows: list[tuple[QModelIndex, int]]) -> None:
        # stored for the one layout that follows, not laid out row by row
        nodes, collapsed = self.model.nodes, self._collapsed
        self.tree.expand_rows([index for index, number in rows
                               if nodes[number].path not in collapsed])  # fmt: skip

    @Slot()
    def _unfold_in_sight(self) -> None:
        """Unfold the rows on screen that hold rows and were not folded by hand (large plan)."""
        tree = self.tree
        if not self._lazy or not tree.isVisible():
            return
        proxy, nodes, collapsed = self.proxy, self.model.nodes, self._collapsed
        bottom = tree.viewport().height()
        for _ in range(50):  # unfolding pushes the rows below down: look again
            folded = []
            index = tree.indexAt(QPoint(1, 1)).siblingAtColumn(0)
            while index.isValid() and tree.visualRect(index).top() <= bottom:
                if (
                    proxy.holds_rows(index)
                    and not tree.isExpanded(index)
                    and proxy.rowCount(index)
                    and nodes[index.internalId()].path not in collapsed
                ):
                    folded.append(index)
                index = tree.indexBelow(index)
            if not folded:
                return
            blocked = tree.blockSignals(True)
            try:
                for index in folded:
                    tree.setExpanded(index, True)
            finally:
                tree.blockSignals(blocked)

    @Slot(QModelIndex, int, int)
    def _rows_shown(self, parent: QModelIndex, first: int, last: int) -> None:
        # rows a filter change or an edit brings back come unfolded, as the rest (a large
        # number of them as they come into view)
        if self._restoring:
            return
        rows: list[tuple[QModelIndex, int]] = []
        if self.proxy.holds_rows(parent) and not self.tree.isExpanded(parent):
            rows.append((parent, parent.internalId()))  # its first rows came: show them
        for row in range(first, last + 1):
            index = self.proxy.index(row, 0, parent)
            if self.proxy.holds_rows(index):
                rows.append((index, index.internalId()))
                rows += self.proxy.expandable(index)
        if len(rows) > self.EAGER_UNFOLD:
            self._lazy = True
            self._unfold_timer.start()
        elif rows:
            self._unfold(rows)

    @Slot(QModelIndex)
    def _expanded(self, index: QModelIndex) -> None:
        node = self.model.node(self.proxy.mapToSource(index))
        if node is not None:
            self._collapsed.discard(node.path)

    @Slot(QModelIndex)
    def _collapsed_by_user(self, index: QModelIndex) -> None:
        if self._restoring:
            return
        node = self.model.node(self.proxy.mapToSource(index))
        if node is not None:
            self._collapsed.add(node.path)

    @Slot()
    def _apply_filter(self) -> None:
        self._filter_timer.stop()
        criteria = PlanFilter(
            text=self.filter_edit.text(),
            owner=str(self.owner_filter.currentData() or ""),
            status=str(self.status_filter.currentData() or ""),
            rag=str(self.rag_filter.currentData() or ""),
        )
        if criteria == self.proxy.criteria():
            return
        place = self._place()
        # rows that come or go are inserted and removed: the rest keep their folding
        self.proxy.set_criteria(criteria)
        if place is not None and not self.tree.currentIndex().isValid():
            source = self.model.index_of_path(place.path, place.column)
            index = self.proxy.mapFromSource(source)
            if index.isValid():
                self.tree.setCurrentIndex(index)
        if not self.tree.currentIndex().isValid():
            first = self.proxy.index(0, 0)
            if first.isValid():
                self.tree.setCurrentIndex(first)
        self._unfold_in_sight()

    def _refresh_owner_filter(self, plan: PlanView | None) -> None:
        owners = self._owners_of(plan)
        combo = self.owner_filter
        if [combo.itemData(i) for i in range(1, combo.count())] == owners:
            return
        chosen = str(combo.currentData() or "")
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("All owners", "")
        for owner in owners:
            combo.addItem(owner, owner)
        combo.setCurrentIndex(max(combo.findData(chosen), 0))
        combo.blockSignals(False)
        if chosen and chosen not in owners:
            self._apply_filter()

    @Slot(str, object)
    def _edit_refused(self, title: str, error: EsiError) -> None:
        # shown once the editor has closed: a dialog over an open editor would commit it again
        QTimer.singleShot(0, self, lambda: self._refuse(title, error))

    def _refuse(self, title: str, error: EsiError, parent: QWidget | None = None) -> None:
        """Show why an edit was refused; reload when the plan on screen was out of date."""
        message = str(error)
        self._notify(message)
        if isinstance(error, DatabaseOutage | ConflictReloaded):
            # the window says so once (an outage); the person chose to see the other change
            # (a conflict) in the conflict's own dialog: the status bar says the rest
            return
        QMessageBox.warning(parent or self, title, message)
        if is_stale(error):
            self.workspace.invalidate()

    def _hint(self, message: str) -> None:
        if not self._notify(message):
            QMessageBox.information(self, "Action plan", message)

    def _notify(self, message: str) -> bool:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, 10000)
            return True
        return False
