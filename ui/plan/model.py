"""The action plan's tree model: recommendation → action → milestone, edited in its cells."""

# Over 500 lines: loading, patching row by row, finding rows and the model interface share
# the rows' numbering and bookkeeping; the rows' building and words are in ui.plan.nodes.

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from esi_desktop.errors import EsiError
from esi_desktop.plan import ActionView, MilestoneView, PlanChange, PlanView
from esi_desktop.rules import MilestoneStatus
from esi_desktop.wording import ACTION, MILESTONE, RECOMMENDATION
from ui.delegates import as_date
from ui.edits import Edits
from ui.evidence.counts import EvidenceCounts
from ui.palette import ink
from ui.plan.columns import (
    CELL_COLOURS,
    COLUMN_COUNT,
    DATE_FIELDS,
    EDITABLE,
    FIELD_NAMES,
    HEADER_TIPS,
    HEADERS,
    MUTED_TEXT_COLOUR,
    RAG_TEXT_COLOUR,
    ActionIdRole,
    Index,
    ItemIdRole,
    KindRole,
    PlanColumn,
    RagRole,
    RecommendationIdRole,
)
from ui.plan.nodes import (
    PlanNode,
    add_recommendation,
    build_nodes,
    cell_text,
    cell_tooltip,
    edit_value,
    insertion_runs,
    is_placeholder,
    removal_runs,
)


class _Reordered(Exception):
    """Rows changed order: the model resets instead of moving them."""


class PlanTreeModel(QAbstractItemModel):
    """Recommendation → action → milestone, read from a :class:`PlanView`.

    An action serving several recommendations appears under each of them with the same data.
    Edits made in the cells go through :class:`Edits`; a refused edit writes nothing, leaves
    the cell as it was and emits :attr:`edit_refused` with the sentence to show.

    Signals:
        edit_refused: (title, error) of an edit the application refused; the error is an
            :class:`EsiError` whose message is the sentence to show.
    """

    edit_refused = Signal(str, object)
    #: A new version of the plan is on show (after :meth:`set_plan` or :meth:`patch`, whose
    #: row and value signals came while :attr:`updating` was True).
    updated = Signal()

    #: More changed rows than this after an edit: reset rather than signal row by row.
    RESET_THRESHOLD = 2000

    def __init__(self, edits: Edits | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._edits = edits
        self._plan: PlanView | None = None
        self._nodes: dict[int, PlanNode] = {}
        self._roots: list[int] = []
        self._numbers: dict[tuple[int, ...], int] = {}
        self._references: dict[int, str] = {}
        #: True while :meth:`set_plan` or :meth:`patch` signals rows and values one by one.
        self.updating = False
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._bold_italic = QFont(self._bold)
        self._bold_italic.setItalic(True)
        self._brushes = {name: QBrush(QColor(colour)) for name, colour in CELL_COLOURS.items()}
        self._rag_text = QBrush(QColor(RAG_TEXT_COLOUR))
        self._muted = QBrush(QColor(MUTED_TEXT_COLOUR))
        #: How many evidence files each item has (the Files column, beside a paper clip).
        self.evidence = EvidenceCounts(lambda node: (node.kind, node.item.id))
        self._roles = self.evidence.answers(self._answers(), PlanColumn.EVIDENCE)
        # worked out once: views ask for flags of every row they lay out
        self._flags: dict[str, list[Qt.ItemFlag]] = {}
        for kind in (RECOMMENDATION, ACTION, MILESTONE):
            row_flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if kind == MILESTONE:
                row_flags |= Qt.ItemFlag.ItemNeverHasChildren
            self._flags[kind] = [
                row_flags | Qt.ItemFlag.ItemIsEditable
                if edits is not None and (kind, column) in EDITABLE
                else row_flags
                for column in PlanColumn
            ]

    # ----- loading ------------------------------------------------------------------------

    @property
    def plan(self) -> PlanView | None:
        """The plan on show."""
        return self._plan

    def set_plan(self, plan: PlanView | None) -> bool:
        """Show another version of the plan (see :meth:`_set_plan`); True when reset."""
        return self._update(lambda: self._set_plan(plan))

    def patch(self, plan: PlanView, change: PlanChange) -> bool:
        """Show a plan that differs only where ``change`` says (see :meth:`_patch`)."""
        return self._update(lambda: self._patch(plan, change))

    def _update(self, work: Callable[[], bool]) -> bool:
        outer = not self.updating
        self.updating = True
        try:
            return work()
        finally:
            if outer:
                self.updating = False
                self.updated.emit()

    def _set_plan(self, plan: PlanView | None) -> bool:
        """Show another version of the plan.

        Rows that came or went are inserted and removed (so the views keep their cursor,
        folding and scroll position), and ``dataChanged`` names the rows whose values
        changed. Another inspection, rows in a new order or a very large change reset the
        model instead.

        Returns:
            True when the model was reset (views lose their cursor and folding).
        """
        same_inspection = (
            plan is not None
            and self._plan is not None
            and plan.inspection_id == self._plan.inspection_id
        )
        if not same_inspection:
            self._numbers.clear()
        nodes, roots = build_nodes(plan, self._number_of)
        self._references = {rec.id: rec.reference for rec in plan.recommendations} if plan else {}
        if same_inspection:
            try:
                self._sync_rows(-1, self._roots, roots, nodes)
                changed = self._take_values(nodes)
            except _Reordered:
                pass
            else:
                if len(changed) <= self.RESET_THRESHOLD:
                    self._plan = plan
                    self._changed(changed)
                    return False
        self._reset(plan, nodes, roots)
        return True

    def _patch(self, plan: PlanView, change: PlanChange) -> bool:
        """Show a plan that differs from the one on show only where ``change`` says.

        Only the rows of the recommendations read again are looked at, and of those only the
        actions read again are built again: rows that came or went are inserted and removed,
        ``dataChanged`` names the rows whose values changed, and nothing else is touched.
        A change it cannot apply so (another inspection, the whole plan read again, rows in
        a new order) is shown by :meth:`set_plan`.

        Returns:
            True when the model was reset (views lose their cursor and folding).
        """
        old = self._plan
        if (
            change.whole
            or old is None
            or plan.inspection_id != old.inspection_id
            or [r.id for r in plan.recommendations] != [r.id for r in old.recommendations]
        ):
            return self._set_plan(plan)
        touched = change.action_ids

        def keep(number: int, action_id: int) -> PlanNode | None:
            return None if action_id in touched else self._nodes.get(number)

        nodes: dict[int, PlanNode] = {}
        try:
            for rec_row, rec in enumerate(plan.recommendations):
                if rec.id not in change.recommendation_ids:
                    continue
                number = add_recommendation(nodes, plan, rec, rec_row, self._number_of, keep)
                self._references[rec.id] = rec.reference
                self._sync_rows(number, self._nodes[number].children, nodes[number].children,
                                nodes)  # fmt: skip
            changed = self._take_values(nodes)
        except _Reordered:
            full, roots = build_nodes(plan, self._number_of)
            self._reset(plan, full, roots)
            return True
        self._plan = plan
        self._changed(changed)
        return False

    def show_evidence_counts(self, counts: Mapping[tuple[str, int], int]) -> None:
        """Show how many evidence files each item has; repaints the rows whose count changed."""
        changed = self.evidence.replace(counts)
        if not changed:  # the usual case after an edit: no walk over every row
            return
        numbers = [n for n, node in self._nodes.items() if (node.kind, node.item.id) in changed]

        def repaint() -> bool:
            self._changed(numbers)
            return False

        self._update(repaint)  # as an update: the filter (which ignores counts) waits for its end

    def _changed(self, numbers: list[int]) -> None:
        last = COLUMN_COUNT - 1
        for number in numbers:
            row = self._nodes[number].row
            self.dataChanged.emit(
                self.createIndex(row, 0, number), self.createIndex(row, last, number)
            )

    def _reset(self, plan: PlanView | None, nodes: dict[int, PlanNode], roots: list[int]) -> None:
        self.beginResetModel()
        self._plan = plan
        self._nodes = nodes
        self._roots = roots
        self.endResetModel()

    def _number_of(self, path: tuple[int, ...]) -> int:
        number = self._numbers.get(path)
        if number is None:
            number = self._numbers[path] = len(self._numbers)
        return number

    def _parent_index(self, parent: int) -> QModelIndex:
        if parent < 0:
            return QModelIndex()
        return self.createIndex(self._nodes[parent].row, 0, parent)

    def _renumber(self, children: list[int], start: int) -> None:
        for row in range(start, len(children)):
            self._nodes[children[row]].row = row

    def _drop(self, number: int) -> None:
        node = self._nodes.pop(number)
        for child in node.children:
            self._drop(child)

    def _adopt(self, number: int, nodes: dict[int, PlanNode]) -> None:
        self._nodes[number] = nodes[number]
        for child in nodes[number].children:
            self._adopt(child, nodes)

    def _sync_rows(
        self, parent: int, live: list[int], wanted: list[int], nodes: dict[int, PlanNode]
    ) -> None:
        """Make the rows under ``parent`` those of ``wanted``: remove, then insert, then recurse.

        Raises:
            _Reordered: the rows that stay are in another order.
        """
        for start, end in removal_runs(live, set(wanted)):
            self.beginRemoveRows(self._parent_index(parent), start, end)
            gone = live[start : end + 1]
            del live[start : end + 1]
            self._renumber(live, start)
            self.endRemoveRows()
            for number in gone:
                self._drop(number)
        staying = set(live)
        if [n for n in wanted if n in staying] != live:
            raise _Reordered
        for row, stop in insertion_runs(wanted, staying):
            self.beginInsertRows(self._parent_index(parent), row, stop - 1)
            for number in wanted[row:stop]:
                self._adopt(number, nodes)
            live[row:row] = wanted[row:stop]
            self._renumber(live, row)
            self.endInsertRows()
        for number in live:
            # a row kept as it is (an action a patch did not read again) has nothing to sync
            if number in staying and nodes[number] is not self._nodes[number]:
                self._sync_rows(number, self._nodes[number].children, nodes[number].children, nodes)

    def _take_values(self, nodes: dict[int, PlanNode]) -> list[int]:
        """Copy the new values into the rows that stayed; the numbers of those that changed."""
        changed = []
        for number, new in nodes.items():
            node = self._nodes[number]
            if node is new:
                continue
            # a row shows its own item and owner only (its parent's progress is not in it):
            # the milestones of an action whose progress moved are not laid out again
            if new.item != node.item or new.owner != node.owner:
                changed.append(number)
        for number in changed:
            node, new = self._nodes[number], nodes[number]
            node.item, node.owner, node.rag, node.search = new.item, new.owner, new.rag, new.search
        return changed

    # ----- finding rows -------------------------------------------------------------------

    def node(self, index: Index) -> PlanNode | None:
        """The row behind an index of this model."""
        if not index.isValid() or index.model() is not self:
            return None
        return self._nodes[index.internalId()]

    @property
    def nodes(self) -> dict[int, PlanNode]:
        """Every row, by its number (read only)."""
        return self._nodes

    @property
    def roots(self) -> list[int]:
        """The numbers of the top-level rows, in order (read only)."""
        return self._roots

    def child_numbers(self, parent: Index) -> list[int]:
        """The numbers of the rows under ``parent``, in order (read only)."""
        if not parent.isValid():
            return self._roots
        return self._nodes[parent.internalId()].children

    def index_of_number(self, number: int, column: int = 0) -> QModelIndex:
        """The index of the row with this number, or an invalid one."""
        node = self._nodes.get(number)
        if node is None:
            return QModelIndex()
        return self.createIndex(node.row, column, number)

    def flags_of(self, number: int, column: int) -> Qt.ItemFlag:
        """A cell's flags, by its row's number (for the filter proxy)."""
        return self._flags[self._nodes[number].kind][column]

    def data_of(self, number: int, column: int, role: int) -> object:
        """What a cell answers for a role, by its row's number (for the filter proxy)."""
        answer = self._roles.get(role)
        if answer is None:
            return None
        return answer(self._nodes[number], column)

    def fill_roles(self, number: int, column: int, roles: Any) -> None:
        """Answer every role of a cell asked at once (``multiData``), by its row's number.

        ``roles`` is a ``QModelRoleDataSpan`` (iterable, though the type stubs do not say so).
        """
        node = self._nodes[number]
        answers = self._roles
        for role_data in roles:
            answer = answers.get(role_data.role())
            value = answer(node, column) if answer is not None else None
            if value is None:
                role_data.clearData()
            else:
                role_data.setData(value)

    def multiData(self, index: Index, roleDataSpan: Any) -> None:
        if not index.isValid():
            for role_data in roleDataSpan:
                role_data.clearData()
            return
        self.fill_roles(index.internalId(), index.column(), roleDataSpan)

    def child_node(self, row: int, parent: Index) -> PlanNode:
        """The node at ``row`` under ``parent`` (fast path for the filter)."""
        if parent.isValid():
            return self._nodes[self._nodes[parent.internalId()].children[row]]
        return self._nodes[self._roots[row]]

    def parent_node(self, node: PlanNode) -> PlanNode | None:
        """The row a row sits under."""
        return self._nodes[node.parent] if node.parent >= 0 else None

    def index_of_path(self, path: tuple[int, ...], column: int = 0) -> QModelIndex:
        """The index of (recommendation id[, action id[, milestone id]]), or an invalid one."""
        # every path shown has its number (kept for good), and a number shown has its path
        number = self._numbers.get(tuple(path))
        if number is None or number not in self._nodes:
            return QModelIndex()
        return self.createIndex(self._nodes[number].row, column, number)

    def first_index_of(self, kind: str, item_id: int, column: int = 0) -> QModelIndex:
        """The first row (top to bottom) showing this recommendation, action or milestone."""
        nodes = self._nodes

        def find(numbers: list[int]) -> int | None:
            for number in numbers:
                node = nodes[number]
                if node.kind == kind and node.item.id == item_id:
                    return number
                found = find(node.children) if node.kind != MILESTONE else None
                if found is not None:
                    return found
            return None

        number = find(self._roots)
        if number is not None:
            return self.createIndex(nodes[number].row, column, number)
        return QModelIndex()

    def reference_of(self, recommendation_id: int) -> str:
        """A recommendation's reference ("6", "T2")."""
        return self._references.get(recommendation_id, "?")

    # ----- the model interface ------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < COLUMN_COUNT or row < 0:
            return QModelIndex()
        if parent.isValid():
            if parent.column() != 0:
                return QModelIndex()
            children = self._nodes[parent.internalId()].children
        else:
            children = self._roots
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index | None = None) -> Any:
        if index is None:  # QObject.parent()
            return super().parent()
        if not index.isValid():
            return QModelIndex()
        node = self._nodes[index.internalId()]
        if node.parent < 0:
            return QModelIndex()
        return self.createIndex(self._nodes[node.parent].row, 0, node.parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._roots)
        if parent.column() != 0:
            return 0
        return len(self._nodes[parent.internalId()].children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[PlanColumn(section)]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(PlanColumn(section))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return self._flags[self._nodes[index.internalId()].kind][index.column()]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # one look-up per call: views ask for every role of every cell they paint
        answer = self._roles.get(role)
        if answer is None or not index.isValid():
            return None
        return answer(self._nodes[index.internalId()], index.column())

    def _answers(self) -> dict[int, Callable[[PlanNode, int], object]]:
        """What each role a cell answers is worked out by (the other roles answer None)."""
        centred = int(Qt.AlignmentFlag.AlignCenter)
        return {
            int(Qt.ItemDataRole.DisplayRole): cell_text,
            int(Qt.ItemDataRole.EditRole): edit_value,
            int(Qt.ItemDataRole.FontRole): self._font,
            int(Qt.ItemDataRole.BackgroundRole): self._background,
            int(Qt.ItemDataRole.ForegroundRole): self._foreground,
            int(Qt.ItemDataRole.ToolTipRole): lambda node, column: cell_tooltip(
                node, column, self.reference_of
            ),
            int(Qt.ItemDataRole.TextAlignmentRole): lambda _node, column: (
                centred if column in (PlanColumn.PROGRESS, PlanColumn.RAG) else None
            ),
            int(KindRole): lambda node, _column: node.kind,
            int(ItemIdRole): lambda node, _column: node.item.id,
            int(RecommendationIdRole): lambda node, _column: node.path[0],
            int(ActionIdRole): lambda node, _column: node.path[1] if len(node.path) > 1 else None,
            int(RagRole): lambda node, _column: node.rag,
        }

    def _background(self, node: PlanNode, column: int) -> QBrush | None:
        if column == PlanColumn.RAG and node.rag:
            return self._brushes[node.rag]
        return None

    def _foreground(self, node: PlanNode, column: int) -> QBrush | None:
        if column == PlanColumn.RAG and node.rag:
            return self._rag_text
        if column == PlanColumn.STATUS and is_placeholder(node):
            return ink(MUTED_TEXT_COLOUR)  # legible on the theme, a black one too (issue 18)
        return None

    def _font(self, node: PlanNode, column: int) -> QFont | None:
        overridden = column == PlanColumn.RAG and getattr(node.item, "rag_override", None)
        if node.kind == RECOMMENDATION:
            return self._bold_italic if overridden else self._bold
        return self._italic if overridden else None

    # ----- editing ------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self._edits is None:
            return False
        node = self._nodes[index.internalId()]
        field = EDITABLE.get((node.kind, PlanColumn(index.column())))
        if field is None:
            return False
        if field in DATE_FIELDS:
            value = as_date(value) or value
        elif isinstance(value, str) and field != "status":
            value = value.strip()
        if value == getattr(node.item, field):
            return False  # nothing to change: no edit on the undo stack
        what, label = FIELD_NAMES[field]
        changes: dict[str, Any] = {field: value}
        item = node.item
        try:
            if isinstance(item, ActionView):
                self._edits.update_action(item.id, changes, item.version, label)
            elif isinstance(item, MilestoneView):
                if field == "completed_on" and item.status != MilestoneStatus.COMPLETE:
                    # a completion date means the milestone is complete
                    changes["status"] = MilestoneStatus.COMPLETE.value
                    label = "Complete milestone"
                self._edits.update_milestone(item.id, changes, item.version, label)
        except EsiError as exc:
            self.edit_refused.emit(f"Cannot change {what}", exc)
            return False
        return True
