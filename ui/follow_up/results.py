"""The results grid: every criterion's baseline and follow-up result, the change, the section
and overall scores, and the recommendations and actions aimed at each criterion.

The rows are :func:`esi_desktop.comparison.comparison_table`'s, each with the plan's work
aimed at it; the Follow-up cell of a criterion is where a person types the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from esi_desktop import follow_up
from esi_desktop.comparison import ComparisonRow, RowKind, comparison_table
from esi_desktop.errors import EsiError
from esi_desktop.frameworks import ResultKind, get_framework
from esi_desktop.plan import PlanView
from esi_desktop.rating import grade_change_words
from esi_desktop.scoring import FrameworkDeltas, Result
from esi_desktop.wording import shorten
from ui.follow_up.common import (
    CENTRE,
    DECLINED,
    FAINT,
    IMPROVED,
    NO_RESULT,
    RIGHT,
    ChangeRole,
    CodeRole,
    FrameworkIdRole,
    Index,
    ResultKindRole,
    RowKindRole,
    percent,
)
from ui.models import ColumnTableModel
from ui.palette import (
    EDITABLE_BACKGROUND,
    SCORE_BACKGROUND,
    SECTION_BACKGROUND,
    ink,
    on_colour,
)


class ResultColumn(IntEnum):
    """Columns of the results grid."""

    CODE = 0
    CRITERION = 1
    BASELINE = 2
    FOLLOW_UP = 3
    CHANGE = 4
    AIMED_AT = 5
    #: A second or later round: the previous round's figure and the change since (the view
    #: shows them after the change from the baseline, and hides them for the first round).
    PREVIOUS = 6
    SINCE_PREVIOUS = 7


_RESULT_HEADERS = {
    ResultColumn.CODE: "Code",
    ResultColumn.CRITERION: "Criterion",
    ResultColumn.BASELINE: "Baseline",
    ResultColumn.FOLLOW_UP: "Follow-up",
    ResultColumn.CHANGE: "Change",
    ResultColumn.AIMED_AT: "Aimed at by",
    ResultColumn.PREVIOUS: "Previous round",
    ResultColumn.SINCE_PREVIOUS: "Since previous",
}


@dataclass(frozen=True)
class ResultRow:
    """One row of the results grid: a row of the comparison and the work aimed at it."""

    comparison: ComparisonRow
    aimed_at: str = ""
    aimed_at_tooltip: str = ""

    @property
    def kind(self) -> RowKind:
        """What kind of row it is."""
        return self.comparison.kind

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the row across reloads."""
        return self.comparison.key

    @property
    def follow_up_tooltip(self) -> str:
        """Why a follow-up figure is missing ("" when it is not)."""
        row = self.comparison
        if row.kind is RowKind.CRITERION and row.follow_up is None:
            return "No follow-up result yet."
        if row.is_score and row.missing:
            return f"Needs the follow-up result of {', '.join(row.missing)}."
        return ""

    @property
    def rated(self) -> bool:
        """True for a standard of a rated framework: its change is counted in grades."""
        return self.kind is RowKind.CRITERION and is_rated(self.comparison.framework_id)

    @property
    def change_text(self) -> str:
        """The change from the baseline: "up one grade" for a rated standard, else as the
        comparison words it ("+7 pts", "▲ 1 step")."""
        change = self.comparison.change
        if self.rated and change is not None:
            return grade_change_words(change)
        return self.comparison.change_text

    @property
    def since_previous_text(self) -> str:
        """The change since the previous round, worded as :attr:`change_text`."""
        change = self.comparison.since_previous
        if self.rated and change is not None:
            return grade_change_words(change)
        return self.comparison.since_previous_text

    @property
    def change_tooltip(self) -> str:
        """A score's change before rounding ("" for other rows)."""
        exact = self.comparison.exact_change
        if exact is None:
            return ""
        return f"Unrounded change: {float(exact):+.2f} points".replace("-", "−")


def is_rated(framework_id: str) -> bool:
    """True when the framework rates standards (Outstanding … Inadequate) rather than scoring."""
    try:
        return get_framework(framework_id).is_rated
    except EsiError:
        return False  # a framework this version does not ship: shown as stored, as before


def _aimed_at(plan: PlanView | None, framework_id: str, code: str) -> tuple[str, str]:
    """ "Rec 6 (50%); Audit risk of harm… (50%)" and the tooltip naming them in full."""
    if plan is None:
        return "", ""
    short: list[str] = []
    full: list[str] = []
    wanted = (framework_id, code)
    for recommendation in plan.recommendations:
        if wanted in recommendation.criteria:
            progress = percent(recommendation.progress)
            short.append(f"Rec {recommendation.reference} ({progress}%)")
            full.append(
                f"Recommendation {recommendation.reference} ({progress}% done): "
                f"{shorten(recommendation.text, 160)}"
            )
    for action in plan.actions.values():
        if wanted in action.criteria:
            progress = percent(action.progress)
            short.append(f"{shorten(action.text, 24)} ({progress}%)")
            full.append(f"Action ({progress}% done, {action.owner}): {action.text}")
    return "; ".join(short), "\n".join(full)


def result_rows(
    comparisons: Sequence[FrameworkDeltas],
    plan: PlanView | None,
    previous: Sequence[FrameworkDeltas] = (),
) -> list[ResultRow]:
    """The grid's rows: per framework its sections, criteria, section scores and overall.

    ``previous``: for a second or later round, the previous round against this one.
    """
    rows: list[ResultRow] = []
    for row in comparison_table(comparisons, previous):
        if row.kind is RowKind.CRITERION:
            rows.append(ResultRow(row, *_aimed_at(plan, row.framework_id, row.code)))
        else:
            rows.append(ResultRow(row))
    return rows


class FollowUpResultsModel(ColumnTableModel):
    """Baseline against follow-up, per criterion, with section and overall scores.

    The Follow-up cell of a criterion row is editable; a value is parsed with
    :func:`esi_desktop.follow_up.parse_result_text` and stored through ``store``.

    Signals:
        refused: an edit was refused; the sentence says why (nothing was written).
        accepted: an edit was stored.
    """

    COLUMNS = ResultColumn
    HEADERS = _RESULT_HEADERS

    refused = Signal(str)
    accepted = Signal()

    def __init__(self, store: Callable[[str, str, Result | None], None]) -> None:
        super().__init__()
        self._store = store
        self._rows: list[ResultRow] = []
        self._headers = dict(_RESULT_HEADERS)

    def set_round(self, round: int, previous_round: int | None, *, rated: bool = False) -> None:
        """Name the columns for the round shown ("Round 2", "Round 1", "Since round 1");
        ``rated``: the grid lists a rated inspection's standards."""
        headers = dict(_RESULT_HEADERS)
        if rated:
            # a rated report has standards, rated at the inspection: no "baseline" scores
            headers[ResultColumn.CRITERION] = "Standard"
            headers[ResultColumn.BASELINE] = "Inspection"
        if round > follow_up.FIRST_FOLLOW_UP:
            headers[ResultColumn.FOLLOW_UP] = f"Round {round}"
        if previous_round is not None:
            headers[ResultColumn.PREVIOUS] = f"Round {previous_round}"
            headers[ResultColumn.SINCE_PREVIOUS] = f"Since round {previous_round}"
        if headers != self._headers:
            self._headers = headers
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(ResultColumn) - 1)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(ResultColumn)
        ):
            return self._headers[ResultColumn(section)]
        return super().headerData(section, orientation, role)

    def set_rows(self, rows: list[ResultRow]) -> None:
        """Show these rows; same rows with new figures update in place (an open editor stays)."""
        if [r.key for r in rows] == [r.key for r in self._rows]:
            self._rows = list(rows)
            if rows:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(rows) - 1, len(ResultColumn) - 1)
                )
            return
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ResultRow:
        """The row shown at a position."""
        return self._rows[row]

    def find_row(self, framework_id: str, kind: RowKind, code: str) -> int:
        """The position of a row, or -1."""
        for position, row in enumerate(self._rows):
            if row.key == (kind.value, framework_id, code):
                return position
        return -1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row = self._rows[index.row()]
        if row.kind is RowKind.CRITERION and index.column() == ResultColumn.FOLLOW_UP:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        figures = row.comparison
        column = ResultColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.EditRole:
            if column == ResultColumn.FOLLOW_UP and row.kind is RowKind.CRITERION:
                value = figures.follow_up
                return "" if value is None else str(value)
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            # a cell with a fixed background gets a fixed text colour with it; others follow
            # the theme (a black high-contrast theme too)
            fixed = self._background(row, column) is not None
            colour: QColor | None = None
            if column == ResultColumn.CHANGE and figures.change:
                colour = IMPROVED if figures.change > 0 else DECLINED
            elif column == ResultColumn.SINCE_PREVIOUS and figures.since_previous:
                colour = IMPROVED if figures.since_previous > 0 else DECLINED
            elif self._display(row, column) in ("—", NO_RESULT):
                colour = FAINT
            if fixed:
                return QBrush(colour) if colour is not None else on_colour()
            return ink(colour.name()) if colour is not None else None
        if role == Qt.ItemDataRole.FontRole and row.kind is not RowKind.CRITERION:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            background = self._background(row, column)
            return QBrush(QColor(background)) if background is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            ResultColumn.BASELINE,
            ResultColumn.FOLLOW_UP,
            ResultColumn.PREVIOUS,
        ):
            return RIGHT
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            ResultColumn.CHANGE,
            ResultColumn.SINCE_PREVIOUS,
        ):
            return CENTRE
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._display(row, column)
            return f"{self._headers[column]}: {text or 'blank'}"
        if role == RowKindRole:
            return row.kind.value
        if role == FrameworkIdRole:
            return figures.framework_id
        if role == CodeRole:
            return figures.code
        if role == ResultKindRole:
            return None if figures.result_kind is None else figures.result_kind.value
        if role == ChangeRole:
            return figures.change
        return None

    @staticmethod
    def _background(row: ResultRow, column: ResultColumn) -> str | None:
        """The fixed background of a cell (a heading, a score, a cell to fill in), if any."""
        if row.kind is RowKind.FRAMEWORK:
            return SECTION_BACKGROUND
        if row.comparison.is_score:
            return SCORE_BACKGROUND
        if row.kind is RowKind.CRITERION and column == ResultColumn.FOLLOW_UP:
            return EDITABLE_BACKGROUND
        return None

    @staticmethod
    def _display(row: ResultRow, column: ResultColumn) -> str:
        figures = row.comparison
        if row.kind is RowKind.FRAMEWORK:  # the view spans it across the row
            return figures.title if column == ResultColumn.CODE else ""
        if row.kind is RowKind.SECTION:
            return {ResultColumn.CODE: figures.code, ResultColumn.CRITERION: figures.title}.get(
                column, ""
            )
        return {
            ResultColumn.CODE: figures.code if row.kind is RowKind.CRITERION else "",
            ResultColumn.CRITERION: figures.label,
            ResultColumn.BASELINE: figures.baseline_text,
            ResultColumn.FOLLOW_UP: figures.follow_up_text,
            ResultColumn.CHANGE: row.change_text,
            ResultColumn.AIMED_AT: row.aimed_at,
            ResultColumn.PREVIOUS: figures.previous_text,
            ResultColumn.SINCE_PREVIOUS: row.since_previous_text,
        }[column]

    @staticmethod
    def _tooltip(row: ResultRow, column: ResultColumn) -> str | None:
        figures = row.comparison
        if column == ResultColumn.CRITERION and row.kind is not RowKind.FRAMEWORK:
            if row.kind is RowKind.CRITERION:
                return f"{figures.code} {figures.title}"
            return figures.label
        if column == ResultColumn.CODE and row.kind is RowKind.FRAMEWORK:
            return figures.title
        if column == ResultColumn.FOLLOW_UP:
            if row.kind is RowKind.CRITERION:
                hint = (
                    "Type a percentage from 0 to 100."
                    if figures.result_kind is ResultKind.PERCENT
                    else "Choose a rating."
                )
                return f"{row.follow_up_tooltip} {hint}".strip()
            return row.follow_up_tooltip or None
        if column == ResultColumn.CHANGE:
            return row.change_tooltip or None
        if column == ResultColumn.AIMED_AT:
            return row.aimed_at_tooltip or None
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or not self.flags(index) & Qt.ItemFlag.ItemIsEditable
        ):
            return False
        figures = self._rows[index.row()].comparison
        try:
            result = follow_up.parse_result_text(
                figures.framework_id, figures.code, "" if value is None else str(value)
            )
            if result == figures.follow_up:
                self.accepted.emit()
                return True
            self._store(figures.framework_id, figures.code, result)
        except EsiError as exc:
            self.refused.emit(str(exc))
            return False
        self.accepted.emit()
        return True
