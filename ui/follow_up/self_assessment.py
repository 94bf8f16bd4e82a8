"""The self-assessment table: each recommendation's progress and the Board's own judgement
of it on the four-point scale inspectorates use, before the follow-up inspection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush

from esi_desktop.errors import EsiError
from esi_desktop.plan import PlanView
from ui.follow_up.common import (
    EDITABLE,
    FAINT,
    NOT_ASSESSED,
    RIGHT,
    Index,
    RecommendationIdRole,
    percent,
)
from ui.models import ColumnTableModel
from ui.palette import on_colour


class SelfAssessmentColumn(IntEnum):
    """Columns of the self-assessment table."""

    REFERENCE = 0
    RECOMMENDATION = 1
    PROGRESS = 2
    SELF_ASSESSMENT = 3


_SELF_HEADERS = {
    SelfAssessmentColumn.REFERENCE: "Ref",
    SelfAssessmentColumn.RECOMMENDATION: "Recommendation",
    SelfAssessmentColumn.PROGRESS: "Progress",
    SelfAssessmentColumn.SELF_ASSESSMENT: "Self-assessment",
}


@dataclass(frozen=True)
class SelfAssessmentRow:
    """One recommendation as the self-assessment table shows it."""

    recommendation_id: int
    reference: str
    text: str
    progress: int
    self_assessment: str | None
    version: int


class SelfAssessmentModel(ColumnTableModel):
    """Each recommendation with its progress and the Board's self-assessment (editable).

    Signals:
        refused: an edit was refused; the sentence says why (nothing was written).
        accepted: an edit was stored.
    """

    COLUMNS = SelfAssessmentColumn
    HEADERS = _SELF_HEADERS

    refused = Signal(str)
    accepted = Signal()

    def __init__(self, store: Callable[[SelfAssessmentRow, str | None], None]) -> None:
        super().__init__()
        self._store = store
        self._rows: list[SelfAssessmentRow] = []

    def set_plan(self, plan: PlanView | None) -> None:
        """Show the recommendations of a plan (none without one)."""
        rows = (
            []
            if plan is None
            else [
                SelfAssessmentRow(
                    r.id, r.reference, r.text, percent(r.progress), r.self_assessment, r.version
                )
                for r in plan.recommendations
            ]
        )
        if [r.recommendation_id for r in rows] == [r.recommendation_id for r in self._rows]:
            self._rows = rows
            if rows:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(rows) - 1, len(SelfAssessmentColumn) - 1)
                )
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_of(self, reference: str) -> int:
        """The row of a recommendation by its reference ("6", "T2"), or -1."""
        for position, row in enumerate(self._rows):
            if row.reference == reference:
                return position
        return -1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == SelfAssessmentColumn.SELF_ASSESSMENT:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = SelfAssessmentColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                SelfAssessmentColumn.REFERENCE: row.reference,
                SelfAssessmentColumn.RECOMMENDATION: " ".join(row.text.split()),
                SelfAssessmentColumn.PROGRESS: f"{row.progress}%",
                SelfAssessmentColumn.SELF_ASSESSMENT: row.self_assessment or NOT_ASSESSED,
            }[column]
        if role == Qt.ItemDataRole.EditRole:
            if column == SelfAssessmentColumn.SELF_ASSESSMENT:
                return row.self_assessment or ""
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.ToolTipRole and column == SelfAssessmentColumn.RECOMMENDATION:
            return row.text
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == SelfAssessmentColumn.SELF_ASSESSMENT
        ):
            # set with its fixed background, so it reads on a dark theme too
            return QBrush(FAINT) if row.self_assessment is None else on_colour()
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and column == SelfAssessmentColumn.SELF_ASSESSMENT
        ):
            return QBrush(EDITABLE)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == SelfAssessmentColumn.PROGRESS:
                return RIGHT
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == RecommendationIdRole:
            return row.recommendation_id
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or index.column() != SelfAssessmentColumn.SELF_ASSESSMENT
        ):
            return False
        row = self._rows[index.row()]
        wanted = str(value) if value else None
        if wanted == row.self_assessment:
            return True
        try:
            self._store(row, wanted)
        except EsiError as exc:
            self.refused.emit(str(exc))
            return False
        self.accepted.emit()
        return True
