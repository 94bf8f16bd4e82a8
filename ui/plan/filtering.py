"""Filtering the action plan: what the filter bar asks for, and the proxy model that applies it.

The proxy does not reset when the filter changes: it works out which rows show from the plan
in memory (each row's lower-cased search text is worked out once, when the row is built) and
removes and inserts only the rows that come or go, so the tree keeps its folding, cursor and
scroll position and lays out again only what it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractProxyModel, QModelIndex, QObject, Qt

from esi_desktop.plan import MilestoneView
from esi_desktop.wording import action_reference, milestone_reference, parse_reference
from ui.plan.columns import COLUMN_COUNT, DUE_SOON, OVERDUE, Index
from ui.plan.model import PlanTreeModel
from ui.plan.nodes import PlanNode, insertion_runs, removal_runs

#: The rows shown under each row (by number; -1 is the top level). A row absent shows none.
Shown = dict[int, list[int]]
ROOT = -1


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


def _status_ok(item: object, status: str) -> bool:
    assert isinstance(item, MilestoneView)
    if status == OVERDUE:
        return item.overdue
    if status == DUE_SOON:
        return item.due_soon
    return bool(item.status == status)


def shown_rows(
    nodes: dict[int, PlanNode], recommendations: Iterable[int], criteria: PlanFilter
) -> Shown:
    """The rows each recommendation shows under this filter, and which recommendations show.

    Rules: a recommendation or action is judged on its own text, owner and RAG (the text of a
    recommendation includes who it is addressed to, "Management Board"); a milestone on
    its own title and status together with its action's text, owner and RAG (so the steps of a
    matching action show); a row whose rows below show, shows too. Text that reads as a
    reference ("ap3", "AP 3.2") finds that action (with its milestones) or that milestone, and
    not AP31. The status filter only matches milestones.

    Returns:
        The rows shown under each shown recommendation and action, and under ``ROOT`` the
        shown recommendations (in the order given). A row all of whose rows show may share
        its list with the plan model's row: copy before keeping it.
    """
    shown: Shown = {ROOT: []}
    top = shown[ROOT]
    if not criteria.active:
        for number in recommendations:
            top.append(number)
            shown[number] = nodes[number].children
            for child in nodes[number].children:
                shown[child] = nodes[child].children
        return shown
    needle = criteria.text.strip().casefold()
    reference = ""
    parsed = parse_reference(criteria.text)
    if parsed is not None:
        number, step = parsed
        reference = action_reference(number) if step is None else milestone_reference(number, step)
    status, owner, rag = criteria.status, criteria.owner, criteria.rag
    for rec_number in recommendations:
        rec = nodes[rec_number]
        actions: list[int] = []
        for action_number in rec.children:
            action = nodes[action_number]
            ours = (not owner or action.owner == owner) and (not rag or action.rag == rag)
            if reference:
                action_ref = getattr(action.item, "reference", "")
                text_ok = action_ref == reference
                # a milestone's reference only matches under its own action
                steps_may = text_ok or (bool(action_ref) and reference.startswith(action_ref + "."))
            else:
                text_ok = not needle or needle in action.search
                steps_may = True
            milestones: list[int] = []
            if ours and steps_may and action.children:
                if text_ok and not status:
                    milestones = action.children
                else:
                    for number in action.children:
                        node = nodes[number]
                        if status and not _status_ok(node.item, status):
                            continue
                        if (
                            text_ok
                            or (reference and getattr(node.item, "reference", "") == reference)
                            or (not reference and needle in node.search)
                        ):
                            milestones.append(number)
            if milestones or (ours and text_ok and not status):
                actions.append(action_number)
                shown[action_number] = milestones
        rec_ok = (
            not status
            and not reference
            and (not needle or needle in rec.search)
            and (not owner or rec.owner == owner)
            and (not rag or rec.rag == rag)
        )
        if actions or rec_ok:
            top.append(rec_number)
            shown[rec_number] = actions
    return shown


class PlanFilterModel(QAbstractProxyModel):
    """Filters a :class:`PlanTreeModel` by text, owner, milestone status and RAG.

    The rules are :func:`shown_rows`'. Everything is read from the plan in memory: no database
    access while filtering. A change of filter, or of the plan, removes and inserts the rows
    that come or go (a run at a time) and never resets the model, so the views keep their
    folding and cursor; only a reset of the plan model resets this one.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._criteria = PlanFilter()
        self._plan_model: PlanTreeModel | None = None
        self._shown: Shown = {ROOT: []}
        self._row: dict[int, int] = {}
        self._up: dict[int, int] = {}
        #: Recommendations to filter again once the plan model's update ends (None: all).
        self._pending: set[int | None] = set()

    # ----- the filter ---------------------------------------------------------------------

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        if not isinstance(model, PlanTreeModel):
            raise TypeError("PlanFilterModel filters a PlanTreeModel")
        old = self._plan_model
        if old is not None:
            old.disconnect(self)
        self.beginResetModel()
        super().setSourceModel(model)
        self._plan_model = model
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.layoutAboutToBeChanged.connect(self.beginResetModel)
        model.layoutChanged.connect(self._source_reset)
        model.rowsAboutToBeRemoved.connect(self._source_rows_going)
        model.rowsRemoved.connect(self._source_rows_changed)
        model.rowsInserted.connect(self._source_rows_changed)
        model.dataChanged.connect(self._source_data_changed)
        model.updated.connect(self._source_updated)
        self._rebuild()
        self.endResetModel()

    def criteria(self) -> PlanFilter:
        """The filter in force."""
        return self._criteria

    def set_criteria(self, criteria: PlanFilter) -> None:
        """Filter by these criteria (re-filters only when they changed)."""
        if criteria == self._criteria:
            return
        self._criteria = criteria
        model = self._plan_model
        if model is not None:
            self._apply(shown_rows(model.nodes, model.roots, criteria))

    def expandable(self, parent: QModelIndex | None = None) -> list[tuple[QModelIndex, int]]:
        """Every recommendation and action shown (under ``parent``, which is left out).

        Each with its number in the plan model, for the view to unfold them without asking
        the model row by row.
        """
        found: list[tuple[QModelIndex, int]] = []
        shown, rows, create = self._shown, self._row, self.createIndex
        start = parent.internalId() if parent is not None and parent.isValid() else ROOT
        stack = list(shown.get(start, ()))
        while stack:
            number = stack.pop()
            children = shown.get(number)
            if children is not None:
                found.append((create(rows[number], 0, number), number))
                stack.extend(children)
        return found

    def expandable_count(self) -> int:
        """How many recommendations and actions show."""
        return len(self._shown) - 1

    def leading(self, rows: int, skip: Callable[[int], bool]) -> list[tuple[QModelIndex, int]]:
        """The recommendations and actions among the first ``rows`` rows shown, top down.

        Counted as if every one of them were unfolded, but those ``skip`` names (by number).
        """
        found: list[tuple[QModelIndex, int]] = []
        shown, row_of, create = self._shown, self._row, self.createIndex
        stack = list(reversed(shown[ROOT]))
        while stack and rows > 0:
            number = stack.pop()
            rows -= 1
            children = shown.get(number)
            if children is not None and not skip(number):
                found.append((create(row_of[number], 0, number), number))
                stack.extend(reversed(children))
        return found

    def holds_rows(self, index: QModelIndex) -> bool:
        """Whether a row of this model is a recommendation or an action (not a milestone)."""
        return index.isValid() and index.internalId() in self._shown

    # ----- keeping up with the plan model -------------------------------------------------

    def _rebuild(self) -> None:
        model = self._plan_model
        self._shown = {ROOT: []}
        self._row = {}
        self._up = {}
        if model is None:
            return
        shown = {parent: list(rows) for parent, rows in
                 shown_rows(model.nodes, model.roots, self._criteria).items()}  # fmt: skip
        self._shown = shown
        row, up = self._row, self._up
        for parent, children in shown.items():  # at C speed: a plan may have 45,000 rows
            row.update(zip(children, range(len(children)), strict=True))
            up.update(dict.fromkeys(children, parent))

    def _source_reset(self) -> None:
        self._rebuild()
        self._pending.clear()
        self.endResetModel()

    def _recommendation_of(self, index: QModelIndex) -> int | None:
        """The number of the recommendation a plan model index sits in (None at the top)."""
        model = self._plan_model
        if model is None or not index.isValid():
            return None
        node = model.nodes[index.internalId()]
        number = index.internalId()
        while node.parent >= 0:
            number = node.parent
            node = model.nodes[number]
        return number

    def _source_rows_going(self, parent: QModelIndex, first: int, last: int) -> None:
        model = self._plan_model
        assert model is not None
        numbers = model.child_numbers(parent)[first : last + 1]
        owner = parent.internalId() if parent.isValid() else ROOT
        rows = sorted(self._row[n] for n in numbers if self._up.get(n) == owner and n in self._row)
        if rows:  # the source rows are one run, so are those shown of them
            self._remove(owner, rows[0], rows[-1])

    def _source_rows_changed(self, parent: QModelIndex, _first: int, _last: int) -> None:
        self._refilter(self._recommendation_of(parent))

    def _source_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        if self._criteria.active:
            self._refilter(self._recommendation_of(top_left))
        owner = top_left.parent().internalId() if top_left.parent().isValid() else ROOT
        model = self._plan_model
        assert model is not None
        children = model.child_numbers(top_left.parent())
        for number in children[top_left.row() : bottom_right.row() + 1]:
            row = self._row.get(number)
            if row is not None and self._up.get(number) == owner:
                self.dataChanged.emit(
                    self.createIndex(row, top_left.column(), number),
                    self.createIndex(row, bottom_right.column(), number),
                )

    def _source_updated(self) -> None:
        pending, self._pending = self._pending, set()
        if None in pending:
            self._refilter(None)
            return
        for recommendation in pending:
            self._refilter(recommendation)

    def _refilter(self, recommendation: int | None) -> None:
        """Show the rows the filter now picks under one recommendation (or everywhere).

        While the plan model signals an update row by row, only noted, and done once at its
        end (a reload may change thousands of rows).
        """
        model = self._plan_model
        assert model is not None
        if model.updating:
            self._pending.add(recommendation)
            return
        if recommendation is None or recommendation not in model.nodes:
            self._apply(shown_rows(model.nodes, model.roots, self._criteria))
            return
        part = shown_rows(model.nodes, [recommendation], self._criteria)
        visible = set(self._shown[ROOT])
        if part[ROOT]:
            visible.add(recommendation)
        else:
            visible.discard(recommendation)
        part[ROOT] = [n for n in model.roots if n in visible]
        self._apply(part)

    # ----- removing and inserting rows ----------------------------------------------------

    def _apply(self, wanted: Shown) -> None:
        """Make the rows shown under each row named in ``wanted`` those it lists.

        Only the rows whose rows differ are looked at, top down: a row inserted brings its
        rows with it, a row removed takes its rows with it.
        """
        shown = self._shown
        changed = [parent for parent, rows in wanted.items() if shown.get(parent) != rows]
        if not changed:
            return
        model = self._plan_model
        assert model is not None
        nodes = model.nodes
        changed.sort(key=lambda parent: len(nodes[parent].path) if parent != ROOT else 0)
        for parent in changed:
            if parent != ROOT and parent not in self._row:
                continue  # not shown: its own row comes with its rows, or does not come
            if shown.get(parent) != wanted[parent]:
                self._sync(parent, wanted)

    def _sync(self, parent: int, wanted: Shown) -> None:
        """Make the rows under ``parent`` those of ``wanted``: remove, then insert."""
        live = self._shown.setdefault(parent, [])
        new = wanted[parent]
        for start, end in removal_runs(live, set(new)):
            self._remove(parent, start, end)
        for start, stop in insertion_runs(new, set(live)):
            self._insert(parent, start, new[start:stop], wanted)

    def _remove(self, parent: int, start: int, end: int) -> None:
        live = self._shown[parent]
        self.beginRemoveRows(self._index_of(parent), start, end)
        gone = live[start : end + 1]
        del live[start : end + 1]
        for row in range(start, len(live)):
            self._row[live[row]] = row
        stack = gone
        while stack:
            number = stack.pop()
            self._row.pop(number, None)
            self._up.pop(number, None)
            stack.extend(self._shown.pop(number, ()))
        self.endRemoveRows()

    def _insert(self, parent: int, row: int, numbers: list[int], wanted: Shown) -> None:
        live = self._shown.setdefault(parent, [])
        self.beginInsertRows(self._index_of(parent), row, row + len(numbers) - 1)
        live[row:row] = numbers
        for position in range(row, len(live)):
            self._row[live[position]] = position
        stack = [(parent, n) for n in numbers]
        while stack:
            up, number = stack.pop()
            self._up[number] = up
            children = wanted.get(number)
            if children is not None:
                self._shown[number] = list(children)
                for position, child in enumerate(children):
                    self._row[child] = position
                    stack.append((number, child))
        self.endInsertRows()

    def _index_of(self, number: int) -> QModelIndex:
        if number == ROOT:
            return QModelIndex()
        return self.createIndex(self._row[number], 0, number)

    # ----- the model interface ------------------------------------------------------------

    def mapToSource(self, proxyIndex: Index) -> QModelIndex:
        model = self._plan_model
        if model is None or not proxyIndex.isValid():
            return QModelIndex()
        return model.index_of_number(proxyIndex.internalId(), proxyIndex.column())

    def mapFromSource(self, sourceIndex: Index) -> QModelIndex:
        if not sourceIndex.isValid() or sourceIndex.model() is not self._plan_model:
            return QModelIndex()
        number = sourceIndex.internalId()
        row = self._row.get(number)
        if row is None:
            return QModelIndex()
        return self.createIndex(row, sourceIndex.column(), number)

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < COLUMN_COUNT or row < 0:
            return QModelIndex()
        if parent.isValid():
            if parent.column() != 0:
                return QModelIndex()
            children = self._shown.get(parent.internalId())
        else:
            children = self._shown[ROOT]
        if children is None or row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index | None = None) -> Any:
        if index is None:  # QObject.parent()
            return super().parent()
        if not index.isValid():
            return QModelIndex()
        up = self._up.get(index.internalId(), ROOT)
        if up == ROOT:
            return QModelIndex()
        return self.createIndex(self._row[up], 0, up)

    def sibling(self, row: int, column: int, idx: Index) -> QModelIndex:
        if idx.isValid() and row == idx.row() and 0 <= column < COLUMN_COUNT:
            return self.createIndex(row, column, idx.internalId())
        return self.index(row, column, self.parent(idx))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._shown[ROOT])
        if parent.column() != 0:
            return 0
        return len(self._shown.get(parent.internalId(), ()))

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return self.rowCount(parent) > 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return COLUMN_COUNT

    def flags(self, index: Index) -> Qt.ItemFlag:
        model = self._plan_model
        if model is None or not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return model.flags_of(index.internalId(), index.column())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        model = self._plan_model
        if model is None or not index.isValid():
            return None
        return model.data_of(index.internalId(), index.column(), role)

    def multiData(self, index: Index, roleDataSpan: Any) -> None:
        # every role a delegate paints a cell with, in one call rather than one call a role
        # (a QModelRoleDataSpan: iterable, though the type stubs do not say so)
        model = self._plan_model
        if model is None or not index.isValid():
            for role_data in roleDataSpan:
                role_data.clearData()
            return
        model.fill_roles(index.internalId(), index.column(), roleDataSpan)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        model = self._plan_model
        if model is None or not index.isValid():
            return False
        return model.setData(self.mapToSource(index), value, role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        model = self._plan_model
        return model.headerData(section, orientation, role) if model is not None else None
