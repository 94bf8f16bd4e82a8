"""Filtering the action plan: what the filter bar asks for, and the proxy model that applies it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QObject, QSortFilterProxyModel

from esi_desktop.plan import ActionView, MilestoneView
from esi_desktop.wording import (
    MILESTONE,
    action_reference,
    milestone_reference,
    parse_reference,
)
from ui.plan.columns import DUE_SOON, OVERDUE, Index
from ui.plan.model import PlanTreeModel


@dataclass(frozen=True)
class PlanFilter:
    """What the filter bar asks for; empty strings mean "all"."""

    text: str = ""
    owner: str = ""
    status: str = ""
    rag: str = ""

    @property
    def active(self) -> bool:
        """Whether anything is filtered out."""
        return bool(self.text.strip() or self.owner or self.status or self.rag)


class PlanFilterModel(QSortFilterProxyModel):
    """Filters the plan by text, owner, milestone status and RAG; parents of matches stay.

    Rules: a recommendation or action is judged on its own text, owner and RAG; a milestone on
    its own title and status together with its action's text, owner and RAG (so the steps of a
    matching action show). Text that reads as a reference ("ap3", "AP 3.2") finds that action
    (with its milestones) or that milestone, and not AP31. The status filter only matches
    milestones. Everything is read from the plan in memory: no database access while filtering.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self._criteria = PlanFilter()
        self._needle = ""
        self._reference = ""
        self._plan_model: PlanTreeModel | None = None

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        self._plan_model = model if isinstance(model, PlanTreeModel) else None
        super().setSourceModel(model)

    def criteria(self) -> PlanFilter:
        """The filter in force."""
        return self._criteria

    def set_criteria(self, criteria: PlanFilter) -> None:
        """Filter by these criteria (re-filters only when they changed)."""
        if criteria == self._criteria:
            return
        # A reset, not begin/endFilterChange (invalidateFilter): Qt removes filtered rows one
        # interval at a time and rescans every mapping for each, which takes seconds on a
        # large plan; rebuilding the mapping is linear. The view restores folding and cursor.
        self.beginResetModel()
        self._criteria = criteria
        self._needle = criteria.text.strip().casefold()
        parsed = parse_reference(criteria.text)
        self._reference = ""
        if parsed is not None:
            number, step = parsed
            self._reference = (
                action_reference(number) if step is None else milestone_reference(number, step)
            )
        self.endResetModel()

    def _found(self, item: object, action: object = None) -> bool:
        """Whether an item (a milestone with its action) is the reference typed."""
        wanted = self._reference
        if isinstance(item, ActionView):
            return item.reference == wanted
        if isinstance(item, MilestoneView):
            return item.reference == wanted or (
                isinstance(action, ActionView) and action.reference == wanted
            )
        return False

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        criteria = self._criteria
        model = self._plan_model
        if model is None or not criteria.active:
            return True
        node = model.child_node(source_row, source_parent)
        needle = self._needle
        if node.kind == MILESTONE:
            status = criteria.status
            if status:
                item = node.item
                assert isinstance(item, MilestoneView)
                if status == OVERDUE:
                    if not item.overdue:
                        return False
                elif status == DUE_SOON:
                    if not item.due_soon:
                        return False
                elif item.status != status:
                    return False
            action = model.parent_node(node)
            assert action is not None
            if self._reference:
                if not self._found(node.item, action.item):
                    return False
            elif needle and needle not in node.search and needle not in action.search:
                return False
            if criteria.owner and action.owner != criteria.owner:
                return False
            return not criteria.rag or action.rag == criteria.rag
        if criteria.status:
            return False
        if self._reference:
            if not self._found(node.item):
                return False
        elif needle and needle not in node.search:
            return False
        if criteria.owner and node.owner != criteria.owner:
            return False
        return not criteria.rag or node.rag == criteria.rag
