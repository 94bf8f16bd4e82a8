"""What the parts of the Action plan page share: its state, the cursor, folding and filtering.

:class:`PlanViewBase` holds the models and what the page remembers (folded rows, open
dialogs), finds and selects rows, keeps the cursor and folding across reloads and filter
changes, and shows why an edit was refused. :mod:`ui.plan.commands` adds the edit commands
on top of it and :mod:`ui.plan.view` builds the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Slot
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
from esi_desktop.wording import MILESTONE
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
        self.rag_dialog: ReasonDialog | None = None
        self.at_risk_dialog: ReasonDialog | None = None
        self.recommendations_dialog: RecommendationsDialog | None = None
        self.criteria_dialog: CriteriaDialog | None = None
        self.evidence_dialog: EvidenceDialog | None = None
        self.context_menu: QMenu | None = None

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
        plan = self.model.plan
        return plan.owners if plan else []

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
        self._restoring = True
        try:
            # milestones are leaves: unfolding two levels shows everything, and touches
            # far fewer rows than expandAll() on a large plan
            self.tree.expandToDepth(1)
            for path in list(self._collapsed):
                index = self.proxy.mapFromSource(self.model.index_of_path(path))
                if index.isValid():
                    self.tree.collapse(index)
        finally:
            self._restoring = False

    @Slot(QModelIndex, int, int)
    def _rows_shown(self, parent: QModelIndex, first: int, last: int) -> None:
        # rows a filter change or an edit brings back come unfolded, as the rest
        if self._restoring:
            return
        for row in range(first, last + 1):
            index = self.proxy.index(row, 0, parent)
            node = self.model.node(self.proxy.mapToSource(index))
            if node is not None and node.kind != MILESTONE and node.path not in self._collapsed:
                self.tree.expandRecursively(index)

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
        self._restoring = True
        try:
            self.proxy.set_criteria(criteria)
        finally:
            self._restoring = False
        self._restore_expansion()
        if place is not None and not self.tree.currentIndex().isValid():
            source = self.model.index_of_path(place.path, place.column)
            index = self.proxy.mapFromSource(source)
            if index.isValid():
                self.tree.setCurrentIndex(index)
        if not self.tree.currentIndex().isValid():
            first = self.proxy.index(0, 0)
            if first.isValid():
                self.tree.setCurrentIndex(first)

    def _refresh_owner_filter(self, plan: PlanView | None) -> None:
        owners = plan.owners if plan else []
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
