"""The Action plan view: recommendations, their actions and milestones, edited in place."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QToolBar,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.database import DatabaseOutage
from esi_desktop.errors import EsiError, NotFoundError
from esi_desktop.plan import ActionView, ConflictError, MilestoneView, PlanView, RecommendationView
from esi_desktop.rules import MilestoneStatus, Rag, statutory_clock
from esi_desktop.scoring import percent_text
from ui.delegates import ChoiceDelegate, DateDelegate, OwnerDelegate, as_date, format_date
from ui.edits import Edits
from ui.models import RAG_COLOURS
from ui.workspace import ConflictReloaded, Workspace

Index = QModelIndex | QPersistentModelIndex
Item = RecommendationView | ActionView | MilestoneView

RECOMMENDATION = "recommendation"
ACTION = "action"
MILESTONE = "milestone"

#: What a row stands for: "recommendation", "action" or "milestone".
KindRole = Qt.ItemDataRole.UserRole + 1
#: The id of the recommendation, action or milestone a row stands for.
ItemIdRole = Qt.ItemDataRole.UserRole + 2
#: The id of the recommendation the row sits under (an action may sit under several).
RecommendationIdRole = Qt.ItemDataRole.UserRole + 3
#: The id of the action a row belongs to (its own id for an action; None for a recommendation).
ActionIdRole = Qt.ItemDataRole.UserRole + 4
#: The RAG shown ("Red" …) or a milestone's flag ("Overdue", "Due soon"); "" when none.
RagRole = Qt.ItemDataRole.UserRole + 5

OVERDUE = "Overdue"
DUE_SOON = "Due soon"
NEW_ACTION_TEXT = "New action"
NEW_MILESTONE_TITLE = "New milestone"
UNASSIGNED_OWNER = "To be assigned"
NO_OVERRIDE = "No override"
AT_RISK = "At risk"
NOT_AT_RISK = "Not at risk"

CELL_COLOURS = {
    **{rag.value: colour for rag, colour in RAG_COLOURS.items()},
    OVERDUE: RAG_COLOURS[Rag.RED],
    DUE_SOON: RAG_COLOURS[Rag.AMBER],
}
#: Dark text reads on every RAG colour above (contrast 5:1 or better).
RAG_TEXT_COLOUR = "#1b1b1b"
#: "No actions", "No milestones": grey, so the eye goes to what is planned.
MUTED_TEXT_COLOUR = "#707070"


class PlanColumn(IntEnum):
    """Columns of the action plan tree."""

    ITEM = 0
    OWNER = 1
    DATE = 2
    STATUS = 3
    COMPLETED = 4
    PROGRESS = 5
    RAG = 6


COLUMN_COUNT = len(PlanColumn)

HEADERS = {
    PlanColumn.ITEM: "Item",
    PlanColumn.OWNER: "Owner",
    PlanColumn.DATE: "Date",
    PlanColumn.STATUS: "Status",
    PlanColumn.COMPLETED: "Completed on",
    PlanColumn.PROGRESS: "Progress",
    PlanColumn.RAG: "RAG",
}

HEADER_TIPS = {
    PlanColumn.DATE: "An action's target date; a milestone's due date",
    PlanColumn.STATUS: "A milestone's status; for an action, how many milestones are complete",
    PlanColumn.PROGRESS: "Complete milestones over milestones; a recommendation averages its "
    "actions",
    PlanColumn.RAG: "Red, Amber, Green, or Blue when complete; milestones show Overdue or Due soon",
}

#: The fields edited in each column, per kind of row, and how a refusal is titled.
_EDITABLE: dict[tuple[str, PlanColumn], str] = {
    (ACTION, PlanColumn.ITEM): "text",
    (ACTION, PlanColumn.OWNER): "owner",
    (ACTION, PlanColumn.DATE): "target_date",
    (MILESTONE, PlanColumn.ITEM): "title",
    (MILESTONE, PlanColumn.DATE): "due_date",
    (MILESTONE, PlanColumn.STATUS): "status",
    (MILESTONE, PlanColumn.COMPLETED): "completed_on",
}
_FIELD_NAMES = {
    "text": ("the action", "Edit action text"),
    "owner": ("the owner", "Change action owner"),
    "target_date": ("the target date", "Change target date"),
    "title": ("the milestone", "Edit milestone"),
    "due_date": ("the due date", "Change milestone due date"),
    "status": ("the status", "Change milestone status"),
    "completed_on": ("the completion date", "Change completion date"),
}
_DATE_FIELDS = {"target_date", "due_date", "completed_on"}


def rag_text(rag: Rag | None, override: Rag | None) -> str:
    """The RAG as shown: "Amber", or "Amber (overridden)"."""
    if rag is None:
        return ""
    return f"{rag.value} (overridden)" if override is not None else rag.value


def _is_stale(error: EsiError) -> bool:
    """Whether an edit was refused because the rows on screen were out of date."""
    return isinstance(error, ConflictError | NotFoundError)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# ----- the tree model -----------------------------------------------------------------------


class _Node:
    """One row of the tree, known to Qt by a number that stays the same across reloads."""

    __slots__ = ("children", "item", "kind", "owner", "parent", "path", "rag", "row", "search")

    def __init__(
        self, kind: str, item: Item, parent: int, row: int, path: tuple[int, ...],
        owner: str, rag: str, search: str,
    ) -> None:  # fmt: skip
        self.kind = kind
        self.item = item
        self.parent = parent
        self.row = row
        self.path = path
        self.owner = owner
        self.rag = rag
        self.search = search
        self.children: list[int] = []


def _build(
    plan: PlanView | None, number_of: Callable[[tuple[int, ...]], int]
) -> tuple[dict[int, _Node], list[int]]:
    """The rows of a plan, numbered by ``number_of(path)``."""
    nodes: dict[int, _Node] = {}
    roots: list[int] = []
    if plan is None:
        return nodes, roots
    for rec_row, rec in enumerate(plan.recommendations):
        lead = rec.response.lead_owner if rec.response else ""
        rec_number = number_of((rec.id,))
        rec_node = _Node(RECOMMENDATION, rec, -1, rec_row, (rec.id,), lead,
                         rec.rag.value if rec.rag else "",
                         f"{rec.reference}. {rec.text}\n{lead}".casefold())  # fmt: skip
        nodes[rec_number] = rec_node
        roots.append(rec_number)
        for action_row, action_id in enumerate(rec.action_ids):
            action = plan.actions[action_id]
            path = (rec.id, action.id)
            number = number_of(path)
            search = f"{action.text}\n{action.owner}".casefold()
            action_node = _Node(ACTION, action, rec_number, action_row, path, action.owner,
                                action.rag.value, search)  # fmt: skip
            nodes[number] = action_node
            rec_node.children.append(number)
            for milestone_row, milestone in enumerate(action.milestones):
                milestone_path = (rec.id, action.id, milestone.id)
                milestone_number = number_of(milestone_path)
                flag = OVERDUE if milestone.overdue else DUE_SOON if milestone.due_soon else ""
                nodes[milestone_number] = _Node(
                    MILESTONE, milestone, number, milestone_row, milestone_path,
                    action.owner, flag, milestone.title.casefold(),
                )  # fmt: skip
                action_node.children.append(milestone_number)
    return nodes, roots


class _Reordered(Exception):
    """Rows changed order: the model resets instead of moving them."""


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

    #: More changed rows than this after an edit: reset rather than signal row by row.
    RESET_THRESHOLD = 2000

    def __init__(self, edits: Edits | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._edits = edits
        self._plan: PlanView | None = None
        self._nodes: dict[int, _Node] = {}
        self._roots: list[int] = []
        self._by_path: dict[tuple[int, ...], int] = {}
        self._numbers: dict[tuple[int, ...], int] = {}
        self._references: dict[int, str] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)
        self._bold_italic = QFont(self._bold)
        self._bold_italic.setItalic(True)
        self._brushes = {name: QBrush(QColor(colour)) for name, colour in CELL_COLOURS.items()}
        self._rag_text = QBrush(QColor(RAG_TEXT_COLOUR))
        self._muted = QBrush(QColor(MUTED_TEXT_COLOUR))
        # worked out once: views ask for flags of every row they lay out
        self._flags: dict[str, list[Qt.ItemFlag]] = {}
        for kind in (RECOMMENDATION, ACTION, MILESTONE):
            row_flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if kind == MILESTONE:
                row_flags |= Qt.ItemFlag.ItemNeverHasChildren
            self._flags[kind] = [
                row_flags | Qt.ItemFlag.ItemIsEditable
                if edits is not None and (kind, column) in _EDITABLE
                else row_flags
                for column in PlanColumn
            ]

    # ----- loading ------------------------------------------------------------------------

    @property
    def plan(self) -> PlanView | None:
        """The plan on show."""
        return self._plan

    def set_plan(self, plan: PlanView | None) -> bool:
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
        nodes, roots = _build(plan, self._number_of)
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
                    self._by_path = {node.path: n for n, node in self._nodes.items()}
                    last = COLUMN_COUNT - 1
                    for number in changed:
                        row = self._nodes[number].row
                        self.dataChanged.emit(
                            self.createIndex(row, 0, number), self.createIndex(row, last, number)
                        )
                    return False
        self.beginResetModel()
        self._plan = plan
        self._nodes = nodes
        self._roots = roots
        self._by_path = {node.path: number for number, node in nodes.items()}
        self.endResetModel()
        return True

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

    def _adopt(self, number: int, nodes: dict[int, _Node]) -> None:
        node = self._nodes[number] = nodes[number]
        for child in node.children:
            self._adopt(child, nodes)

    def _sync_rows(
        self, parent: int, live: list[int], wanted: list[int], nodes: dict[int, _Node]
    ) -> None:
        """Make the rows under ``parent`` those of ``wanted``: remove, then insert, then recurse.

        Raises:
            _Reordered: the rows that stay are in another order.
        """
        keep = set(wanted)
        end = len(live) - 1
        while end >= 0:  # removals, bottom up, a run at a time
            if live[end] in keep:
                end -= 1
                continue
            start = end
            while start > 0 and live[start - 1] not in keep:
                start -= 1
            self.beginRemoveRows(self._parent_index(parent), start, end)
            gone = live[start : end + 1]
            del live[start : end + 1]
            self._renumber(live, start)
            self.endRemoveRows()
            for number in gone:
                self._drop(number)
            end = start - 1
        staying = set(live)
        if [n for n in wanted if n in staying] != live:
            raise _Reordered
        row = 0
        while row < len(wanted):  # insertions, a run at a time
            if row < len(live) and live[row] == wanted[row]:
                row += 1
                continue
            stop = row
            while stop < len(wanted) and wanted[stop] not in staying:
                stop += 1
            self.beginInsertRows(self._parent_index(parent), row, stop - 1)
            for number in wanted[row:stop]:
                self._adopt(number, nodes)
            live[row:row] = wanted[row:stop]
            self._renumber(live, row)
            self.endInsertRows()
            row = stop
        for number in live:
            if number in staying:
                self._sync_rows(number, self._nodes[number].children, nodes[number].children, nodes)

    def _take_values(self, nodes: dict[int, _Node]) -> list[int]:
        """Copy the new values into the rows that stayed; the numbers of those that changed."""
        changed = []
        for number, new in nodes.items():
            node = self._nodes[number]
            if node is new:
                continue
            parent_changed = (
                new.parent >= 0 and nodes[new.parent].item != self._nodes[new.parent].item
            )
            if new.item != node.item or new.owner != node.owner or parent_changed:
                changed.append(number)
        for number in changed:
            node, new = self._nodes[number], nodes[number]
            node.item, node.owner, node.rag, node.search = new.item, new.owner, new.rag, new.search
        return changed

    # ----- finding rows -------------------------------------------------------------------

    def node(self, index: Index) -> _Node | None:
        """The row behind an index of this model."""
        if not index.isValid() or index.model() is not self:
            return None
        return self._nodes[index.internalId()]

    def child_node(self, row: int, parent: Index) -> _Node:
        """The node at ``row`` under ``parent`` (fast path for the filter)."""
        if parent.isValid():
            return self._nodes[self._nodes[parent.internalId()].children[row]]
        return self._nodes[self._roots[row]]

    def parent_node(self, node: _Node) -> _Node | None:
        """The row a row sits under."""
        return self._nodes[node.parent] if node.parent >= 0 else None

    def index_of_path(self, path: tuple[int, ...], column: int = 0) -> QModelIndex:
        """The index of (recommendation id[, action id[, milestone id]]), or an invalid one."""
        number = self._by_path.get(tuple(path))
        if number is None:
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
        if not index.isValid():
            return None
        node = self._nodes[index.internalId()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(node, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(node, column)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(node, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            if column == PlanColumn.RAG and node.rag:
                return self._brushes[node.rag]
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == PlanColumn.RAG and node.rag:
                return self._rag_text
            if column == PlanColumn.STATUS and self._is_placeholder(node):
                return self._muted
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(node, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (PlanColumn.PROGRESS, PlanColumn.RAG):
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role == KindRole:
            return node.kind
        if role == ItemIdRole:
            return node.item.id
        if role == RecommendationIdRole:
            return node.path[0]
        if role == ActionIdRole:
            return node.path[1] if len(node.path) > 1 else None
        if role == RagRole:
            return node.rag
        return None

    def _display(self, node: _Node, column: int) -> str:
        item = node.item
        if isinstance(item, MilestoneView):
            if column == PlanColumn.ITEM:
                return item.title
            if column == PlanColumn.DATE:
                return format_date(item.due_date)
            if column == PlanColumn.STATUS:
                return item.status
            if column == PlanColumn.COMPLETED:
                return format_date(item.completed_on)
            if column == PlanColumn.RAG:
                return node.rag
            return ""
        if isinstance(item, ActionView):
            if column == PlanColumn.ITEM:
                return item.text
            if column == PlanColumn.OWNER:
                return item.owner
            if column == PlanColumn.DATE:
                return format_date(item.target_date)
            if column == PlanColumn.STATUS:
                total = len(item.milestones)
                if not total:
                    return "No milestones"
                done = sum(1 for m in item.milestones if m.status == MilestoneStatus.COMPLETE)
                return f"{done} of {total} complete"
            if column == PlanColumn.COMPLETED:
                if item.milestones and item.progress == 1:
                    return format_date(max(m.completed_on or m.due_date for m in item.milestones))
                return ""
            if column == PlanColumn.PROGRESS:
                return percent_text(item.progress)
            if column == PlanColumn.RAG:
                return rag_text(item.rag, item.rag_override)
            return ""
        if column == PlanColumn.ITEM:
            return f"{item.reference}. {item.text}"
        if column == PlanColumn.OWNER:
            return node.owner
        if column == PlanColumn.STATUS:
            count = _plural(len(item.action_ids), "action") if item.action_ids else "No actions"
            return f"{item.category} · {count}" if item.category else count
        if column == PlanColumn.PROGRESS:
            return percent_text(item.progress) if item.action_ids else ""
        if column == PlanColumn.RAG:
            return rag_text(item.rag, item.rag_override)
        return ""

    @staticmethod
    def _is_placeholder(node: _Node) -> bool:
        """Whether the Status cell says only that nothing is planned yet."""
        item = node.item
        if isinstance(item, RecommendationView):
            return not item.action_ids and not item.category
        return isinstance(item, ActionView) and not item.milestones

    def _edit_value(self, node: _Node, column: int) -> object:
        field = _EDITABLE.get((node.kind, PlanColumn(column)))
        if field is None:
            return self._display(node, column)
        return getattr(node.item, field)

    def _font(self, node: _Node, column: int) -> QFont | None:
        overridden = column == PlanColumn.RAG and getattr(node.item, "rag_override", None)
        if node.kind == RECOMMENDATION:
            return self._bold_italic if overridden else self._bold
        return self._italic if overridden else None

    def _tooltip(self, node: _Node, column: int) -> str | None:
        item = node.item
        if column == PlanColumn.RAG:
            if isinstance(item, MilestoneView):
                if item.overdue:
                    return f"Was due on {item.due_date:%d/%m/%Y} and is not complete."
                if item.due_soon:
                    return f"Due on {item.due_date:%d/%m/%Y}, within 14 days, not complete."
                return None
            lines = []
            if item.rag_override is not None:
                derived = item.derived_rag.value if item.derived_rag else "none yet"
                lines.append(
                    f"Overridden to {item.rag_override.value} (derived: {derived}). "
                    f"Reason: {item.rag_override_reason}"
                )
            if isinstance(item, ActionView) and item.at_risk:
                lines.append(f"Marked at risk: {item.at_risk_reason}")
            return "\n".join(lines) or None
        if column != PlanColumn.ITEM:
            return None
        if isinstance(item, RecommendationView):
            lines = [f"Recommendation {item.reference}: {item.text}"]
            if item.criteria:
                lines.append("Targets " + ", ".join(code for _, code in item.criteria))
            if item.category:
                lines.append(f"Board's response: {item.category}")
            return "\n".join(lines)
        if isinstance(item, ActionView):
            served = ", ".join(self.reference_of(r) for r in item.recommendation_ids)
            return f"{item.text}\nServes recommendation {served}"
        return f"{item.title}\nEvidence: {item.evidence}" if item.evidence else item.title

    # ----- editing ------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self._edits is None:
            return False
        node = self._nodes[index.internalId()]
        field = _EDITABLE.get((node.kind, PlanColumn(index.column())))
        if field is None:
            return False
        if field in _DATE_FIELDS:
            value = as_date(value) or value
        elif isinstance(value, str) and field != "status":
            value = value.strip()
        if value == getattr(node.item, field):
            return False  # nothing to change: no edit on the undo stack
        what, label = _FIELD_NAMES[field]
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


# ----- filtering ----------------------------------------------------------------------------


class PlanFilterModel(QSortFilterProxyModel):
    """Filters the plan by text, owner, milestone status and RAG; parents of matches stay.

    Rules: a recommendation or action is judged on its own text, owner and RAG; a milestone on
    its own title and status together with its action's text, owner and RAG (so the steps of a
    matching action show). The status filter only matches milestones. Everything is read from
    the plan in memory: no database access while filtering.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self._criteria = PlanFilter()
        self._needle = ""
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
        self.endResetModel()

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
            if needle and needle not in node.search and needle not in action.search:
                return False
            if criteria.owner and action.owner != criteria.owner:
                return False
            return not criteria.rag or action.rag == criteria.rag
        if criteria.status:
            return False
        if needle and needle not in node.search:
            return False
        if criteria.owner and node.owner != criteria.owner:
            return False
        return not criteria.rag or node.rag == criteria.rag


# ----- small dialogs ------------------------------------------------------------------------


class ReasonDialog(QDialog):
    """A choice with a written reason (RAG override, at risk); refusals keep it open.

    ``apply(choice, reason)`` performs the edit and returns False when it was refused (having
    shown why), so the person can correct the reason.
    """

    def __init__(
        self, parent: QWidget, *, title: str, intro: str, choice_label: str,
        choices: list[str], choice: str, reason: str, apply: Callable[[str, str], bool],
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._apply = apply
        layout = QVBoxLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.choice = QComboBox()
        self.choice.addItems(choices)
        self.choice.setCurrentText(choice)
        self.choice.setAccessibleName(choice_label.replace("&", ""))
        form.addRow(choice_label, self.choice)
        self.reason = QLineEdit(reason)
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("Why, in a sentence the Board will read")
        self.reason.setMinimumWidth(self.reason.fontMetrics().horizontalAdvance("M") * 30)
        form.addRow("&Reason:", self.reason)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if self._apply(self.choice.currentText(), self.reason.text()):
            super().accept()


class RecommendationsDialog(QDialog):
    """Tick the recommendations an action serves."""

    def __init__(
        self, parent: QWidget, *, action_text: str, recommendations: list[tuple[int, str]],
        chosen: Iterable[int], apply: Callable[[set[int]], bool],
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Recommendations served")
        self.setAccessibleName("Recommendations served")
        self._apply = apply
        layout = QVBoxLayout(self)
        text = QLabel(f"Tick every recommendation that this action serves:\n“{action_text}”")
        text.setWordWrap(True)
        layout.addWidget(text)
        self.list = QListWidget()
        self.list.setAccessibleName("Recommendations")
        wanted = set(chosen)
        for rec_id, label in recommendations:
            row = QListWidgetItem(label)
            row.setData(Qt.ItemDataRole.UserRole, rec_id)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(
                Qt.CheckState.Checked if rec_id in wanted else Qt.CheckState.Unchecked
            )
            self.list.addItem(row)
        self.list.setCurrentRow(0)
        em = self.fontMetrics().horizontalAdvance("M")
        self.list.setMinimumWidth(em * 40)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> set[int]:
        """The ticked recommendations' ids."""
        return {
            int(self.list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        }

    def accept(self) -> None:
        if self._apply(self.chosen()):
            super().accept()


# ----- the view -----------------------------------------------------------------------------


class PlanTree(QTreeView):
    """The tree: Tab and Shift+Tab indent and outdent; Left and Right move between cells.

    Ctrl+Tab and Ctrl+Shift+Tab move the focus out of the tree.

    Signals:
        indent_requested: Tab pressed on a row (not while editing).
        outdent_requested: Shift+Tab pressed on a row.
    """

    indent_requested = Signal()
    outdent_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        #: Commands whose keys the tree keeps for itself while it has the focus, so that a
        #: window-wide shortcut on the same keys does not make them ambiguous.
        self.own_actions: list[QAction] = []

    def _own_action_for(self, event: QKeyEvent) -> QAction | None:
        pressed = QKeySequence(event.keyCombination())
        for action in self.own_actions:
            for shortcut in action.shortcuts():
                if shortcut.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch:
                    return action
        return None

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.type() in (
            QEvent.Type.ShortcutOverride,
            QEvent.Type.KeyPress,
        ):
            own = self._own_action_for(event)
            if own is not None:
                event.accept()
                if event.type() == QEvent.Type.KeyPress and own.isEnabled():
                    own.trigger()
                return True
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            modifiers = event.modifiers()  # type: ignore[attr-defined]
            control = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
            alt = bool(modifiers & Qt.KeyboardModifier.AltModifier)
            shifted = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
            plain = not control and not alt
            backwards = key == Qt.Key.Key_Backtab or shifted
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and control and not alt:
                # Tab indents here, so Ctrl+Tab and Ctrl+Shift+Tab leave the tree
                return self.focusNextPrevChild(not backwards)
            if plain and key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                if backwards:
                    self.outdent_requested.emit()
                else:
                    self.indent_requested.emit()
                return True
        return super().event(event)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        # Left/Right reach the Owner, Date … cells; + and - (or Left in the first column)
        # still collapse and expand.
        current = self.currentIndex()
        if current.isValid():
            column = current.column()
            last = self.model().columnCount(current.parent()) - 1
            if cursorAction == QAbstractItemView.CursorAction.MoveRight and column < last:
                return current.siblingAtColumn(column + 1)
            if cursorAction == QAbstractItemView.CursorAction.MoveLeft and column > 0:
                return current.siblingAtColumn(column - 1)
        return super().moveCursor(cursorAction, modifiers)


@dataclass(frozen=True)
class _Place:
    """Where the cursor was, to find it again after a reload."""

    path: tuple[int, ...]
    row: int
    column: int


class ActionPlanView(QWidget):
    """The Action plan page: the plan as a tree, a filter bar, and keyboard-driven editing.

    Every change goes through :class:`Edits` (so Edit ▸ Undo reverts it); the view reloads
    when :attr:`Workspace.changed` fires.
    """

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
        self.context_menu: QMenu | None = None

        self.model = PlanTreeModel(edits, self)
        self.model.edit_refused.connect(self._edit_refused)
        self.proxy = PlanFilterModel(self)
        self.proxy.setSourceModel(self.model)

        self._build_actions()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._build_toolbar())
        layout.addLayout(self._build_filter_bar())
        layout.addWidget(self._build_tree())
        self.empty_label = QLabel("Choose an inspection to see its action plan.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty_label)

        workspace.changed.connect(self.reload)
        self.reload()

    # ----- building -----------------------------------------------------------------------

    def _action(
        self, text: str, shortcuts: list[str], slot: Callable[[], None], tip: str
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(text.replace("…", "").replace(" ", "_").lower())
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        keys = ", ".join(QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText)
                         for s in shortcuts)  # fmt: skip
        action.setToolTip(f"{tip} ({keys})")
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.add_action_act = self._action(
            "Add action", ["Ctrl+Shift+A"], self.add_action,
            "Add an action to the current recommendation",
        )  # fmt: skip
        self.add_milestone_act = self._action(
            "Add milestone", ["Ctrl+Shift+M", "Ins"], self.add_milestone,
            "Add a milestone to the current action",
        )  # fmt: skip
        self.delete_act = self._action(
            "Delete", ["Del"], self.delete_current, "Delete the current action or milestone"
        )
        self.indent_act = self._action(
            "Indent", ["Ctrl+]"], self.indent_current,
            "Make the current action a milestone of the action above it (Tab)",
        )  # fmt: skip
        self.outdent_act = self._action(
            "Outdent", ["Ctrl+["], self.outdent_current,
            "Make the current milestone an action of its own (Shift+Tab)",
        )  # fmt: skip
        self.link_act = self._action(
            "Also serves recommendation…", ["Ctrl+L"], self.choose_recommendations,
            "Choose the recommendations the current action serves",
        )  # fmt: skip
        self.override_rag_act = self._action(
            "Override RAG…", ["Ctrl+Shift+O"], self.override_rag,
            "Set the RAG status by hand, with a reason",
        )  # fmt: skip
        self.at_risk_act = self._action(
            "Mark at risk…", ["Ctrl+Shift+K"], self.mark_at_risk,
            "Mark the current action at risk, with a reason",
        )  # fmt: skip

    def _build_toolbar(self) -> QToolBar:
        self.toolbar = QToolBar("Action plan")
        self.toolbar.setAccessibleName("Action plan tools")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.add_action_act, self.add_milestone_act, self.delete_act):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        for action in (self.indent_act, self.outdent_act, self.link_act):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        for action in (self.override_rag_act, self.at_risk_act):
            self.toolbar.addAction(action)
        for action in self.toolbar.actions():
            button = self.toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setAccessibleName(action.text().replace("…", ""))
        return self.toolbar

    def _build_filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 0, 6, 0)
        self.filter_edit = QLineEdit()
        self.filter_edit.setAccessibleName("Filter by text or owner")
        self.filter_edit.setPlaceholderText("Text or owner")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(self.filter_edit.fontMetrics().horizontalAdvance("M") * 16)
        label = QLabel("Fi&lter:")
        label.setBuddy(self.filter_edit)
        bar.addWidget(label)
        bar.addWidget(self.filter_edit, 2)

        self.owner_filter = QComboBox()
        self.owner_filter.setAccessibleName("Filter by owner")
        self.owner_filter.addItem("All owners", "")
        self.owner_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Filter by milestone status")
        self.status_filter.addItem("All statuses", "")
        for status in [*(s.value for s in MilestoneStatus), OVERDUE, DUE_SOON]:
            self.status_filter.addItem(status, status)
        self.rag_filter = QComboBox()
        self.rag_filter.setAccessibleName("Filter by RAG")
        self.rag_filter.addItem("All RAG", "")
        for rag in Rag:
            self.rag_filter.addItem(rag.value, rag.value)
        # mnemonics clear of the menu bar's (Alt+F File, Alt+E Edit, Alt+V View, Alt+H Help)
        for text, combo in (("O&wner:", self.owner_filter), ("Stat&us:", self.status_filter),
                            ("R&AG:", self.rag_filter)):  # fmt: skip
            label = QLabel(text)
            label.setBuddy(combo)
            bar.addWidget(label)
            bar.addWidget(combo)
            combo.currentIndexChanged.connect(self._apply_filter)
        self.clear_filter_button = QPushButton("Clear")
        self.clear_filter_button.setAccessibleName("Clear filters")
        self.clear_filter_button.setToolTip("Show every item again")
        self.clear_filter_button.clicked.connect(self.clear_filter)
        bar.addWidget(self.clear_filter_button)

        # filter while typing, once the typing pauses (a large plan takes a moment)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(200)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        self.filter_edit.returnPressed.connect(self._apply_filter)
        return bar

    def _build_tree(self) -> PlanTree:
        self.tree = PlanTree()
        self.tree.setAccessibleName("Action plan tree")
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._show_context_menu)
        self.tree.indent_requested.connect(self.indent_current)
        self.tree.outdent_requested.connect(self.outdent_current)
        self.tree.expanded.connect(self._expanded)
        self.tree.collapsed.connect(self._collapsed_by_user)

        self.date_delegate = DateDelegate(self.tree, default=self.workspace.today)
        self.status_delegate = ChoiceDelegate([s.value for s in MilestoneStatus], self.tree)
        self.owner_delegate = OwnerDelegate(self._owners, self.tree)
        self.tree.setItemDelegateForColumn(PlanColumn.OWNER, self.owner_delegate)
        self.tree.setItemDelegateForColumn(PlanColumn.DATE, self.date_delegate)
        self.tree.setItemDelegateForColumn(PlanColumn.COMPLETED, self.date_delegate)
        self.tree.setItemDelegateForColumn(PlanColumn.STATUS, self.status_delegate)

        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(PlanColumn.ITEM, QHeaderView.ResizeMode.Stretch)
        metrics = self.tree.fontMetrics()
        em = metrics.horizontalAdvance("M")
        widths = {
            PlanColumn.OWNER: em * 13,
            PlanColumn.DATE: metrics.horizontalAdvance("30/09/2005") + em * 2,
            PlanColumn.STATUS: metrics.horizontalAdvance("10 of 10 complete") + em * 2,
            PlanColumn.COMPLETED: metrics.horizontalAdvance("Completed on") + em * 2,
            PlanColumn.PROGRESS: metrics.horizontalAdvance("Progress") + em * 2,
            PlanColumn.RAG: metrics.horizontalAdvance("Amber (overridden)") + em * 2,
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setMinimumSectionSize(em * 4)
        self.tree.setMinimumWidth(em * 30 + sum(widths.values()))

        self.tree.own_actions = [self.add_action_act, self.add_milestone_act, self.delete_act,
                                 self.indent_act, self.outdent_act, self.link_act,
                                 self.override_rag_act, self.at_risk_act]  # fmt: skip
        self.proxy.rowsInserted.connect(self._rows_shown)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        return self.tree

    # ----- public API ---------------------------------------------------------------------

    def models(self) -> list[QAbstractItemModel]:
        """The item models behind the tree (for pytest-qt's model tester)."""
        return [self.model, self.proxy]

    @Slot()
    def reload(self) -> None:
        """Show the workspace's plan again, keeping the cursor and folding where they still fit."""
        try:
            plan = self.workspace.plan()
        except EsiError as exc:
            plan = None
            self._notify(str(exc))
        inspection_id = plan.inspection_id if plan else None
        same_inspection = inspection_id == self._inspection_id
        if not same_inspection:
            self._collapsed.clear()
        self._inspection_id = inspection_id
        place = self._place() if same_inspection else None
        if self.model.set_plan(plan):
            self._restore_expansion()
            if place is None or not self._restore_place(place):
                first = self.proxy.index(0, 0)
                if first.isValid():
                    self.tree.setCurrentIndex(first)
        self._refresh_owner_filter(plan)
        self.tree.setVisible(plan is not None)
        self.empty_label.setVisible(plan is None)
        self._update_actions()

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

    def current_node(self) -> _Node | None:
        """The row under the cursor."""
        return self.model.node(self.proxy.mapToSource(self.tree.currentIndex()))

    # ----- the commands -------------------------------------------------------------------

    @Slot()
    def add_action(self) -> None:
        """Add an action to the current recommendation and start typing its text."""
        plan = self.model.plan
        node = self.current_node()
        if plan is None or node is None or self._editing():
            return
        recommendation = plan.recommendation(node.path[0])
        owners = plan.owners
        owner = (recommendation.response.lead_owner if recommendation.response else "") or (
            owners[0] if owners else UNASSIGNED_OWNER
        )
        published = plan.published
        target = statutory_clock(published.year, published.month, published.day)
        try:
            action_id = self.edits.add_action(
                [recommendation.id], NEW_ACTION_TEXT, owner, target.implementation_due
            )
        except EsiError as exc:
            self._refuse("Cannot add the action", exc)
            return
        self._edit_new((recommendation.id, action_id))

    @Slot()
    def add_milestone(self) -> None:
        """Add a milestone to the current action and start typing its title."""
        plan = self.model.plan
        node = self.current_node()
        if plan is None or node is None or self._editing():
            return
        if node.kind == RECOMMENDATION:
            self._hint("Choose an action first: milestones are the steps of an action.")
            return
        rec_id, action_id = node.path[:2]
        action = plan.actions[action_id]
        try:
            milestone_id = self.edits.add_milestone(
                action_id, NEW_MILESTONE_TITLE, action.target_date
            )
        except EsiError as exc:
            self._refuse("Cannot add the milestone", exc)
            return
        self._collapsed.discard((rec_id, action_id))
        self._edit_new((rec_id, action_id, milestone_id))

    @Slot()
    def delete_current(self) -> None:
        """Delete the current action (after confirming, if it has milestones) or milestone."""
        node = self.current_node()
        if node is None or self._editing():
            return
        item = node.item
        try:
            if isinstance(item, MilestoneView):
                self.edits.delete_milestone(item.id)
            elif isinstance(item, ActionView):
                needs_asking = bool(item.milestones) or len(item.recommendation_ids) > 1
                if needs_asking and not self._confirm_delete(item):
                    return
                self.edits.delete_action(item.id)
            else:
                self._hint("Recommendations come from the report and cannot be deleted.")
                return
        except EsiError as exc:
            self._refuse("Cannot delete", exc)
            return
        self._notify("Deleted. Undo (Ctrl+Z) brings it back.")

    def _confirm_delete(self, action: ActionView) -> bool:
        parts = [f"Delete the action “{action.text}”"]
        if action.milestones:
            parts.append(f"and its {_plural(len(action.milestones), 'milestone')}")
        text = " ".join(parts) + "?"
        if len(action.recommendation_ids) > 1:
            served = ", ".join(self.model.reference_of(r) for r in action.recommendation_ids)
            text += f" It is removed from every recommendation it serves ({served})."
        text += " Undo (Ctrl+Z) brings it back."
        answer = QMessageBox.question(
            self,
            "Delete action",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return bool(answer == QMessageBox.StandardButton.Yes)

    @Slot()
    def indent_current(self) -> None:
        """Make the current action a milestone of the action above it."""
        node = self.current_node()
        if node is None or self._editing():
            return
        if node.kind != ACTION:
            self._hint("Only an action can be indented; it becomes a milestone of the one above.")
            return
        parent = self.model.parent_node(node)
        assert parent is not None
        if node.row == 0:
            self._hint(
                f"There is no action above this one in recommendation "
                f"{self.model.reference_of(node.path[0])} to put it under."
            )
            return
        above = self.model.child_node(node.row - 1, self.model.index_of_path(parent.path))
        item = node.item
        assert isinstance(item, ActionView)
        if len(item.recommendation_ids) > 1:
            served = ", ".join(self.model.reference_of(r) for r in item.recommendation_ids)
            answer = QMessageBox.question(
                self,
                "Indent action",
                f"This action serves recommendations {served}. As a milestone of "
                f"“{above.item.text}” it will only count towards "  # type: ignore[union-attr]
                "that action's recommendations. Indent it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            milestone_id = self.edits.indent_action(item.id, above.item.id)
        except EsiError as exc:
            self._refuse("Cannot indent the action", exc)
            return
        self._collapsed.discard(above.path)
        self._select_path((node.path[0], above.item.id, milestone_id))

    @Slot()
    def outdent_current(self) -> None:
        """Make the current milestone an action of its own."""
        node = self.current_node()
        if node is None or self._editing():
            return
        if node.kind != MILESTONE:
            self._hint("Only a milestone can be outdented; it becomes an action of its own.")
            return
        try:
            action_id = self.edits.outdent_milestone(node.item.id)
        except EsiError as exc:
            self._refuse("Cannot outdent the milestone", exc)
            return
        self._select_path((node.path[0], action_id))

    @Slot()
    def choose_recommendations(self) -> None:
        """Open the dialog that ticks the recommendations the current action serves."""
        plan = self.model.plan
        node = self.current_node()
        if plan is None or node is None or self._editing():
            return
        if node.kind == RECOMMENDATION:
            self._hint("Choose an action first.")
            return
        action = plan.actions[node.path[1]]
        current = set(action.recommendation_ids)
        choices = [(r.id, f"{r.reference}. {r.text}") for r in plan.recommendations]

        def apply(chosen: set[int]) -> bool:
            return self._apply_links(action.id, current, chosen, node.path[0])

        dialog = RecommendationsDialog(
            self, action_text=action.text, recommendations=choices, chosen=current, apply=apply
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.recommendations_dialog = dialog
        dialog.finished.connect(lambda _result: setattr(self, "recommendations_dialog", None))
        dialog.open()

    def _apply_links(
        self, action_id: int, current: set[int], chosen: set[int], shown_under: int
    ) -> bool:
        dialog = self.recommendations_dialog or self
        if not chosen:
            QMessageBox.warning(
                dialog,
                "Cannot change the recommendations served",
                "Every action must serve at least one recommendation; tick one, or delete "
                "the action instead.",
            )
            return False
        if chosen == current:
            return True
        stack = self.workspace.undo_stack
        stack.beginMacro("Change recommendations served")
        try:
            for rec_id in sorted(chosen - current):
                self.edits.link_action(action_id, rec_id)
            for rec_id in sorted(current - chosen):
                self.edits.unlink_action(action_id, rec_id)
        except EsiError as exc:
            self._refuse("Cannot change the recommendations served", exc, dialog)
            return _is_stale(exc)
        finally:
            stack.endMacro()
        if shown_under in chosen:
            self._select_path((shown_under, action_id))
        else:
            self.select_item(ACTION, action_id)
        return True

    @Slot()
    def override_rag(self) -> None:
        """Open the dialog that overrides the current action's or recommendation's RAG."""
        node = self.current_node()
        if node is None or self._editing():
            return
        if node.kind == MILESTONE:
            node = self.model.parent_node(node)
            assert node is not None
        item = node.item
        assert isinstance(item, ActionView | RecommendationView)
        derived = item.derived_rag.value if item.derived_rag else "none yet"
        what = "action" if isinstance(item, ActionView) else f"recommendation {item.reference}"

        def apply(choice: str, reason: str) -> bool:
            override = None if choice == NO_OVERRIDE else choice
            current = item.rag_override.value if item.rag_override else None
            if override == current and (override is None or reason.strip() ==
                                        item.rag_override_reason):  # fmt: skip
                return True
            changes = {"rag_override": override, "rag_override_reason": reason}
            label = "Override RAG" if override else "Remove RAG override"
            try:
                if isinstance(item, ActionView):
                    self.edits.update_action(item.id, changes, item.version, label)
                else:
                    self.edits.set_recommendation_fields(item.id, changes, item.version, label)
            except EsiError as exc:
                self._refuse("Cannot override the RAG", exc, self.rag_dialog)
                return _is_stale(exc)
            return True

        dialog = ReasonDialog(
            self,
            title="Override RAG",
            intro=f"The RAG of this {what} worked out from its milestones is {derived}. "
            "Choose another only with a reason the Board can read; it is shown as overridden.",
            choice_label="&RAG:",
            choices=[NO_OVERRIDE, *(r.value for r in Rag)],
            choice=item.rag_override.value if item.rag_override else NO_OVERRIDE,
            reason=item.rag_override_reason,
            apply=apply,
        )
        self._open_dialog(dialog, "rag_dialog")

    @Slot()
    def mark_at_risk(self) -> None:
        """Open the dialog that marks the current action at risk (or no longer at risk)."""
        plan = self.model.plan
        node = self.current_node()
        if plan is None or node is None or self._editing():
            return
        if node.kind == RECOMMENDATION:
            self._hint("Choose an action first: the owner marks an action at risk.")
            return
        action = plan.actions[node.path[1]]

        def apply(choice: str, reason: str) -> bool:
            at_risk = choice == AT_RISK
            if at_risk == action.at_risk and (not at_risk or reason.strip() ==
                                              action.at_risk_reason):  # fmt: skip
                return True
            changes = {"at_risk": at_risk, "at_risk_reason": reason if at_risk else ""}
            label = "Mark action at risk" if at_risk else "Clear at risk"
            try:
                self.edits.update_action(action.id, changes, action.version, label)
            except EsiError as exc:
                self._refuse("Cannot mark the action at risk", exc, self.at_risk_dialog)
                return _is_stale(exc)
            return True

        dialog = ReasonDialog(
            self,
            title="Mark at risk",
            intro=f"“{action.text}”\nAn action at risk shows Amber until it is done or overdue.",
            choice_label="&Action is:",
            choices=[AT_RISK, NOT_AT_RISK],
            choice=AT_RISK,
            reason=action.at_risk_reason,
            apply=apply,
        )
        self._open_dialog(dialog, "at_risk_dialog")

    def _open_dialog(self, dialog: QDialog, attribute: str) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        setattr(self, attribute, dialog)
        dialog.finished.connect(lambda _result: setattr(self, attribute, None))
        dialog.open()

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

    @Slot(QModelIndex, QModelIndex)
    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        node = self.current_node() if self.model.plan else None
        kind = node.kind if node else None
        self.add_action_act.setEnabled(node is not None)
        self.add_milestone_act.setEnabled(kind in (ACTION, MILESTONE))
        self.delete_act.setEnabled(kind in (ACTION, MILESTONE))
        self.indent_act.setEnabled(kind == ACTION and node is not None and node.row > 0)
        self.outdent_act.setEnabled(kind == MILESTONE)
        self.link_act.setEnabled(kind in (ACTION, MILESTONE))
        self.override_rag_act.setEnabled(node is not None)
        self.at_risk_act.setEnabled(kind in (ACTION, MILESTONE))

    @Slot(QPoint)
    def _show_context_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        menu.setAccessibleName("Action plan commands")
        menu.addActions([self.add_action_act, self.add_milestone_act, self.delete_act])
        menu.addSeparator()
        menu.addActions([self.indent_act, self.outdent_act, self.link_act])
        menu.addSeparator()
        menu.addActions([self.override_rag_act, self.at_risk_act])
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.context_menu = menu
        menu.aboutToHide.connect(lambda: setattr(self, "context_menu", None))
        menu.popup(self.tree.viewport().mapToGlobal(position))

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
        if _is_stale(error):
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
