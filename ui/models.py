"""Item models of the window: the inspections list and the scoring summary."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from esi_desktop.inspections import FrameworkSummary, InspectionSummary, describe_result

Index = QModelIndex | QPersistentModelIndex

#: The id of the inspection a row stands for.
InspectionIdRole = Qt.ItemDataRole.UserRole + 1
#: What kind of row a scoring-summary row is ("section", "criterion", "score", "overall").
RowKindRole = Qt.ItemDataRole.UserRole + 2


class InspectionListModel(QAbstractListModel):
    """The stored inspections, one per row ("Gloucestershire — January 2005")."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[InspectionSummary] = []

    def set_inspections(self, rows: list[InspectionSummary]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def inspection_at(self, row: int) -> InspectionSummary:
        """The inspection shown in a row."""
        return self._rows[row]

    def row_of(self, inspection_id: int) -> int:
        """The row of an inspection, or -1."""
        for row, summary in enumerate(self._rows):
            if summary.id == inspection_id:
                return row
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        summary = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return summary.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{summary.report_title}\n{summary.recommendation_count} recommendations"
        if role == InspectionIdRole:
            return summary.id
        return None


class SummaryColumn(IntEnum):
    """Columns of the scoring summary."""

    CODE = 0
    CRITERION = 1
    WEIGHT = 2
    RESULT = 3
    PUBLISHED = 4


_HEADERS = {
    SummaryColumn.CODE: "Code",
    SummaryColumn.CRITERION: "Criterion",
    SummaryColumn.WEIGHT: "Weight",
    SummaryColumn.RESULT: "Result",
    SummaryColumn.PUBLISHED: "In the report",
}


@dataclass(frozen=True)
class _Row:
    kind: str  # "framework", "section", "criterion", "score", "overall"
    cells: tuple[str, str, str, str, str]
    mismatch: bool = False


class ScoringSummaryModel(QAbstractTableModel):
    """The scoring summary sheet: criteria with their results, section and overall scores.

    Computed scores sit beside the figures printed in the report so a difference shows.
    """

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[_Row] = []

    def set_summaries(self, summaries: list[FrameworkSummary]) -> None:
        """Replace the sheet with these frameworks' figures."""
        rows: list[_Row] = []
        for summary in summaries:
            framework = summary.framework
            rows.append(_Row("framework", ("", framework.title, "", "", "")))
            for section in framework.sections:
                rows.append(_Row("section", (section.code, section.title, "", "", "")))
                for criterion in section.criteria:
                    weight = (
                        f"{criterion.importance.capitalize()} (×{criterion.weight})"
                        if criterion.importance and criterion.is_scored
                        else "Rating, not scored"
                    )
                    rows.append(
                        _Row(
                            "criterion",
                            (
                                criterion.code,
                                criterion.title,
                                weight,
                                describe_result(summary.results.get(criterion.code)),
                                "",
                            ),
                        )
                    )
                if section.code in summary.scores.sections:
                    computed = summary.scores.sections[section.code]
                    printed = summary.published_sections.get(section.code)
                    weight_text = f"{section.weight}% of overall" if section.weight else ""
                    rows.append(
                        _Row(
                            "score",
                            (
                                "",
                                f"Score for section {section.code}",
                                weight_text,
                                describe_result(computed.percent),
                                describe_result(printed) if printed is not None else "",
                            ),
                            mismatch=printed is not None and printed != computed.percent,
                        )
                    )
            if framework.has_overall:
                printed_overall = summary.published_overall
                rows.append(
                    _Row(
                        "overall",
                        (
                            "",
                            framework.overall_title,
                            "",
                            describe_result(summary.scores.overall),
                            describe_result(printed_overall) if printed_overall is not None else "",
                        ),
                        mismatch=printed_overall is not None
                        and printed_overall != summary.scores.overall,
                    )
                )
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(SummaryColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(SummaryColumn)
        ):
            return _HEADERS[SummaryColumn(section)]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cells[column]
        if role == RowKindRole:
            return row.kind
        if role == Qt.ItemDataRole.FontRole and row.kind != "criterion":
            font = QFont()
            font.setBold(True)
            if row.kind == "framework":
                font.setPointSizeF(font.pointSizeF() * 1.15)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.kind == "framework":
                return QBrush(QColor("#dfe7f1"))
            if row.kind in ("score", "overall"):
                return QBrush(QColor("#f3f5f8"))
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and row.mismatch
            and column
            in (
                SummaryColumn.RESULT,
                SummaryColumn.PUBLISHED,
            )
        ):
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.ToolTipRole and row.mismatch:
            return (
                "The figure computed from the criteria differs from the one printed in the report."
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            SummaryColumn.RESULT,
            SummaryColumn.PUBLISHED,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
