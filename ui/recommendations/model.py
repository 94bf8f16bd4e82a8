"""The recommendations table's model: one row per recommendation, with its response and RAG."""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from esi_desktop.plan import PlanView, RecommendationView
from esi_desktop.scoring import percent_text
from esi_desktop.wording import RECOMMENDATION
from ui.evidence.counts import EvidenceCounts
from ui.models import RAG_COLOURS, ColumnTableModel
from ui.palette import ERROR, ink, on_colour

Index = QModelIndex | QPersistentModelIndex

#: The recommendation id of a row.
RecommendationIdRole = Qt.ItemDataRole.UserRole + 1
#: What a column sorts by (the printed order for references, numbers for progress).
SortRole = Qt.ItemDataRole.UserRole + 2
#: The person or body a row's recommendation is addressed to (what the filter matches).
AddresseeRole = Qt.ItemDataRole.UserRole + 3

NOT_YET = "Not yet agreed"


class RecommendationColumn(IntEnum):
    """Columns of the recommendations table."""

    REF = 0
    TEXT = 1
    CRITERIA = 2
    RESPONSE = 3
    LEAD_OWNER = 4
    PROGRESS = 5
    RAG = 6
    #: How many files are attached to the recommendation itself as evidence.
    EVIDENCE = 7
    #: The person or body it is addressed to ("Management Board"); the view shows it
    #: after the text.
    ADDRESSEE = 8


_HEADERS = {
    RecommendationColumn.REF: "Ref",
    RecommendationColumn.TEXT: "Recommendation",
    RecommendationColumn.CRITERIA: "Criteria",
    RecommendationColumn.RESPONSE: "Response",
    RecommendationColumn.LEAD_OWNER: "Lead owner",
    RecommendationColumn.PROGRESS: "Progress",
    RecommendationColumn.RAG: "RAG",
    RecommendationColumn.EVIDENCE: "Files",
    RecommendationColumn.ADDRESSEE: "Addressed to",
}


class RecommendationTableModel(ColumnTableModel):
    """One row per recommendation, read from the workspace's plan."""

    COLUMNS = RecommendationColumn
    HEADERS = _HEADERS

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[RecommendationView] = []
        #: How many evidence files each recommendation has (the Files column).
        self.evidence = EvidenceCounts(lambda item: (RECOMMENDATION, item.id))
        self._evidence_answers = self.evidence.answers({}, RecommendationColumn.EVIDENCE)

    def set_plan(self, plan: PlanView | None) -> None:
        """Show a plan's recommendations.

        The same recommendations in the same order (an edit, not another inspection) are
        updated in place: the rows keep their heights and the selection, so a click that
        saved the response being left lands on the row under the mouse.
        """
        rows = list(plan.recommendations) if plan else []
        if rows and [r.id for r in rows] == [r.id for r in self._rows]:
            self._rows = rows
            last = self.index(len(rows) - 1, len(RecommendationColumn) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def show_evidence_counts(self, counts: Mapping[tuple[str, int], int]) -> None:
        """Show how many evidence files each recommendation has; repaints those changed."""
        changed = self.evidence.replace(counts)
        for row, item in enumerate(self._rows):
            if (RECOMMENDATION, item.id) in changed:
                index = self.index(row, RecommendationColumn.EVIDENCE)
                self.dataChanged.emit(index, index)

    def addressees(self) -> list[str]:
        """The people and bodies the recommendations are addressed to, in the report's order."""
        return list(dict.fromkeys(r.addressee for r in self._rows if r.addressee))

    def row_of(self, recommendation_id: int) -> int:
        """The source row of a recommendation, or -1."""
        for row, recommendation in enumerate(self._rows):
            if recommendation.id == recommendation_id:
                return row
        return -1

    def _display(self, item: RecommendationView, column: RecommendationColumn) -> str:
        if column is RecommendationColumn.REF:
            return item.reference
        if column is RecommendationColumn.TEXT:
            return item.text
        if column is RecommendationColumn.ADDRESSEE:
            return item.addressee
        if column is RecommendationColumn.CRITERIA:
            return ", ".join(code for _, code in item.criteria)
        if column is RecommendationColumn.RESPONSE:
            if item.draft is not None:
                return item.draft.draft_label
            return item.category or NOT_YET
        if column is RecommendationColumn.LEAD_OWNER:
            stored = item.stored_response
            return stored.lead_owner if stored else ""
        if column is RecommendationColumn.PROGRESS:
            return percent_text(item.progress) if item.action_ids else "No actions"
        rag = item.rag
        if rag is None:
            return "—"
        return f"{rag.value} (overridden)" if item.rag_override else rag.value

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        column = RecommendationColumn(index.column())
        if role == RecommendationIdRole:  # every column: a drop on the Files cell asks it too
            return item.id
        if role == AddresseeRole:
            return item.addressee
        if column is RecommendationColumn.EVIDENCE:
            if role == SortRole:
                return self.evidence.count(item)
            answer = self._evidence_answers.get(
                Qt.ItemDataRole.DisplayRole if role == Qt.ItemDataRole.AccessibleTextRole else role
            )
            return answer(item, column) if answer is not None else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(item, column)
        if role == SortRole:
            if column is RecommendationColumn.REF:
                return item.position
            if column is RecommendationColumn.PROGRESS:
                return float(item.progress)
            return self._display(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is RecommendationColumn.TEXT:
                return item.text
            if column is RecommendationColumn.ADDRESSEE and item.addressee:
                return f"Addressed to {item.addressee}"
            if column is RecommendationColumn.RESPONSE and item.draft is not None:
                return (
                    "A draft: kept so nothing typed is lost, but not yet the Board's response "
                    "(documents say the response is not yet agreed)."
                )
            if column is RecommendationColumn.RAG and item.rag_override:
                return f"Overridden from {item.derived_rag}: {item.rag_override_reason}"
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and column is RecommendationColumn.RAG
            and item.rag
        ):
            return QBrush(QColor(RAG_COLOURS[item.rag]))
        if role == Qt.ItemDataRole.ForegroundRole:
            if column is RecommendationColumn.RAG and item.rag:
                return on_colour()  # near-black reads on all four (issue 18)
            if column is RecommendationColumn.RESPONSE and not item.category:
                return ink(ERROR)
        if (
            role == Qt.ItemDataRole.FontRole
            and column is RecommendationColumn.RAG
            and item.rag_override
        ):
            font = QFont()
            font.setItalic(True)
            return font
        return None
