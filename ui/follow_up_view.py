"""The "Scoring summary & follow-up" view: the follow-up inspection, its results and progress.

It shows the follow-up inspection's planned date and status, a grid of every criterion's
baseline and follow-up result with the change and the recommendations and actions aimed at
it (section and overall scores recompute after each result), a chart of the percentage
criteria, and the Board's self-assessment of each recommendation. Every edit goes through
:class:`ui.edits.Edits`; a refused edit shows its sentence next to the field and writes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum
from fractions import Fraction

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from esi_desktop import follow_up
from esi_desktop.errors import EsiError, ValidationError
from esi_desktop.frameworks import Framework, ResultKind, get_framework
from esi_desktop.inspections import describe_result
from esi_desktop.plan import ConflictError, PlanView
from esi_desktop.rules import FollowUpStatus, SelfAssessment
from esi_desktop.scoring import FrameworkDeltas, Result, ScoreDelta, points_text, round_half_up
from ui.date_field import DateField
from ui.edits import Edits
from ui.models import ColumnTableModel
from ui.score_chart import ChartCriterion, ScoreChart
from ui.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex

#: What kind of row a results-grid row is (a :class:`RowKind` value).
RowKindRole = Qt.ItemDataRole.UserRole + 1
#: The framework id of a results-grid row.
FrameworkIdRole = Qt.ItemDataRole.UserRole + 2
#: The criterion (or section) code of a results-grid row.
CodeRole = Qt.ItemDataRole.UserRole + 3
#: "percent" or "rating" for a criterion row; None for other rows.
ResultKindRole = Qt.ItemDataRole.UserRole + 4
#: The change as a number: points, or steps up the rating scale; None when not comparable.
ChangeRole = Qt.ItemDataRole.UserRole + 5
#: The id of the recommendation a self-assessment row stands for.
RecommendationIdRole = Qt.ItemDataRole.UserRole + 6

IMPROVED = QColor("#1b7a3a")
DECLINED = QColor("#b00020")
FAINT = QColor("#6b7280")
EDITABLE = QColor("#fffbea")  # the background of the cells a person fills in
ERROR_STYLE = "color: #b00020;"
NO_RESULT = "No result"
NOT_ASSESSED = "Not assessed"

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def _percent(value: Fraction) -> int:
    return round_half_up(value * 100)


def _elide(text: str, limit: int = 24) -> str:
    """Cut a long text at a word boundary and mark the cut with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,.;:") + "…"


def steps_text(steps: int | None) -> str:
    """ "▲ 1 step", "▼ 2 steps", "= same rating", or "—" when either side is missing."""
    if steps is None:
        return "—"
    if steps == 0:
        return "= same rating"
    plural = "step" if abs(steps) == 1 else "steps"
    return f"{'▲' if steps > 0 else '▼'} {abs(steps)} {plural}"


# ----- the results grid ---------------------------------------------------------------------


class ResultColumn(IntEnum):
    """Columns of the results grid."""

    CODE = 0
    CRITERION = 1
    BASELINE = 2
    FOLLOW_UP = 3
    CHANGE = 4
    AIMED_AT = 5


_RESULT_HEADERS = {
    ResultColumn.CODE: "Code",
    ResultColumn.CRITERION: "Criterion",
    ResultColumn.BASELINE: "Baseline",
    ResultColumn.FOLLOW_UP: "Follow-up",
    ResultColumn.CHANGE: "Change",
    ResultColumn.AIMED_AT: "Aimed at by",
}


class RowKind(StrEnum):
    """The kinds of row of the results grid."""

    FRAMEWORK = "framework"
    SECTION = "section"
    CRITERION = "criterion"
    SCORE = "score"
    OVERALL = "overall"


@dataclass(frozen=True)
class ResultRow:
    """One row of the results grid as shown."""

    kind: RowKind
    framework_id: str
    code: str
    title: str
    result_kind: ResultKind | None = None
    baseline: str = ""
    follow_up: str = ""
    follow_up_value: Result | None = None
    change: int | None = None
    change_text: str = ""
    change_tooltip: str = ""
    follow_up_tooltip: str = ""
    aimed_at: str = ""
    aimed_at_tooltip: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the row across reloads."""
        return (self.kind.value, self.framework_id, self.code)


def _aimed_at(plan: PlanView | None, framework_id: str, code: str) -> tuple[str, str]:
    """ "Rec 6 (50%); Audit risk of harm… (50%)" and the tooltip naming them in full."""
    if plan is None:
        return "", ""
    short: list[str] = []
    full: list[str] = []
    wanted = (framework_id, code)
    for recommendation in plan.recommendations:
        if wanted in recommendation.criteria:
            progress = _percent(recommendation.progress)
            short.append(f"Rec {recommendation.reference} ({progress}%)")
            full.append(
                f"Recommendation {recommendation.reference} ({progress}% done): "
                f"{_elide(recommendation.text, 160)}"
            )
    for action in plan.actions.values():
        if wanted in action.criteria:
            progress = _percent(action.progress)
            short.append(f"{_elide(action.text)} ({progress}%)")
            full.append(f"Action ({progress}% done, {action.owner}): {action.text}")
    return "; ".join(short), "\n".join(full)


def _score_row(
    kind: RowKind,
    framework_id: str,
    code: str,
    title: str,
    delta: ScoreDelta,
    missing: tuple[str, ...],
) -> ResultRow:
    baseline = None if delta.baseline is None else round_half_up(delta.baseline)
    after = None if delta.follow_up is None else round_half_up(delta.follow_up)
    exact = delta.exact
    tooltip = ""
    if exact is not None:
        tooltip = f"Unrounded change: {float(exact):+.2f} points".replace("-", "−")
    return ResultRow(
        kind=kind,
        framework_id=framework_id,
        code=code,
        title=title,
        baseline=describe_result(baseline),
        follow_up=describe_result(after),
        change=delta.points,
        change_text=points_text(delta.points),
        change_tooltip=tooltip,
        follow_up_tooltip=(
            f"Needs the follow-up result of {', '.join(missing)}." if missing else ""
        ),
    )


def result_rows(comparisons: list[FrameworkDeltas], plan: PlanView | None) -> list[ResultRow]:
    """The grid's rows: per framework its sections, criteria, section scores and overall."""
    rows: list[ResultRow] = []
    for deltas in comparisons:
        framework = get_framework(deltas.framework_id)
        rows.append(ResultRow(RowKind.FRAMEWORK, framework.id, "", framework.title))
        for section in framework.sections:
            rows.append(ResultRow(RowKind.SECTION, framework.id, section.code, section.title))
            for criterion in section.criteria:
                delta = deltas.criteria[criterion.code]
                if criterion.kind is ResultKind.PERCENT:
                    change_text = points_text(delta.change)
                else:
                    change_text = steps_text(delta.change)
                aimed, aimed_tooltip = _aimed_at(plan, framework.id, criterion.code)
                rows.append(
                    ResultRow(
                        kind=RowKind.CRITERION,
                        framework_id=framework.id,
                        code=criterion.code,
                        title=criterion.title,
                        result_kind=criterion.kind,
                        baseline=describe_result(delta.baseline),
                        follow_up=describe_result(delta.follow_up),
                        follow_up_value=delta.follow_up,
                        change=delta.change,
                        change_text=change_text,
                        follow_up_tooltip=(
                            "No follow-up result yet." if delta.follow_up is None else ""
                        ),
                        aimed_at=aimed,
                        aimed_at_tooltip=aimed_tooltip,
                    )
                )
            if section.code in deltas.sections:
                rows.append(
                    _score_row(
                        RowKind.SCORE,
                        framework.id,
                        section.code,
                        f"Score for section {section.code}",
                        deltas.sections[section.code],
                        deltas.follow_up_scores.sections[section.code].missing,
                    )
                )
        if deltas.overall is not None:
            rows.append(
                _score_row(
                    RowKind.OVERALL,
                    framework.id,
                    "",
                    framework.overall_title,
                    deltas.overall,
                    deltas.follow_up_scores.overall_missing,
                )
            )
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
        column = ResultColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.EditRole:
            if column == ResultColumn.FOLLOW_UP and row.kind is RowKind.CRITERION:
                value = row.follow_up_value
                return "" if value is None else str(value)
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == ResultColumn.CHANGE and row.change:
                return QBrush(IMPROVED if row.change > 0 else DECLINED)
            if self._display(row, column) in ("—", NO_RESULT):
                return QBrush(FAINT)
            return None
        if role == Qt.ItemDataRole.FontRole and row.kind is not RowKind.CRITERION:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.kind is RowKind.FRAMEWORK:
                return QBrush(QColor("#dfe7f1"))
            if row.kind in (RowKind.SCORE, RowKind.OVERALL):
                return QBrush(QColor("#f1f3f6"))
            if row.kind is RowKind.CRITERION and column == ResultColumn.FOLLOW_UP:
                return QBrush(EDITABLE)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            ResultColumn.BASELINE,
            ResultColumn.FOLLOW_UP,
        ):
            return _RIGHT
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ResultColumn.CHANGE:
            return _CENTRE
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._display(row, column)
            return f"{_RESULT_HEADERS[column]}: {text or 'blank'}"
        if role == RowKindRole:
            return row.kind.value
        if role == FrameworkIdRole:
            return row.framework_id
        if role == CodeRole:
            return row.code
        if role == ResultKindRole:
            return None if row.result_kind is None else row.result_kind.value
        if role == ChangeRole:
            return row.change
        return None

    @staticmethod
    def _display(row: ResultRow, column: ResultColumn) -> str:
        if row.kind is RowKind.FRAMEWORK:  # the view spans it across the row
            return row.title if column == ResultColumn.CODE else ""
        if row.kind is RowKind.SECTION:
            return {ResultColumn.CODE: row.code, ResultColumn.CRITERION: row.title}.get(column, "")
        return {
            ResultColumn.CODE: row.code if row.kind is RowKind.CRITERION else "",
            ResultColumn.CRITERION: row.title,
            ResultColumn.BASELINE: row.baseline,
            ResultColumn.FOLLOW_UP: row.follow_up,
            ResultColumn.CHANGE: row.change_text,
            ResultColumn.AIMED_AT: row.aimed_at,
        }[column]

    @staticmethod
    def _tooltip(row: ResultRow, column: ResultColumn) -> str | None:
        if column == ResultColumn.CRITERION and row.kind is not RowKind.FRAMEWORK:
            return f"{row.code} {row.title}" if row.kind is RowKind.CRITERION else row.title
        if column == ResultColumn.CODE and row.kind is RowKind.FRAMEWORK:
            return row.title
        if column == ResultColumn.FOLLOW_UP:
            if row.kind is RowKind.CRITERION:
                hint = (
                    "Type a percentage from 0 to 100."
                    if row.result_kind is ResultKind.PERCENT
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
        row = self._rows[index.row()]
        try:
            result = follow_up.parse_result_text(
                row.framework_id, row.code, "" if value is None else str(value)
            )
            if result == row.follow_up_value:
                self.accepted.emit()
                return True
            self._store(row.framework_id, row.code, result)
        except EsiError as exc:
            self.refused.emit(str(exc))
            return False
        self.accepted.emit()
        return True


# ----- editors ------------------------------------------------------------------------------


class ChoiceCombo(QComboBox):
    """A combo box for a grid cell that says when an entry is chosen from its open list.

    Choosing from the list commits at once; moving through a closed list with the keys (or
    typing the start of an entry) waits for Enter, so a person can pass over entries.

    Signals:
        chosen: an entry was picked from the open list.
    """

    chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._list_open = False
        self.activated.connect(self._on_activated)

    def showPopup(self) -> None:
        self._list_open = True
        super().showPopup()

    def hidePopup(self) -> None:
        super().hidePopup()
        # the choice is announced (activated) after the list hides; forget the list after it
        QTimer.singleShot(0, self, self._forget_list)

    def _forget_list(self) -> None:
        self._list_open = False

    def _on_activated(self, _row: int) -> None:
        if self._list_open:
            self._list_open = False
            self.chosen.emit()


class ResultLineEdit(QLineEdit):
    """The editor of a percentage result; knows its criterion to check the text."""

    def __init__(self, framework_id: str, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.framework_id = framework_id
        self.code = code


def _commit_on_choice(delegate: QStyledItemDelegate, combo: ChoiceCombo) -> None:
    """Picking from the open list commits at once, as a person expects of a drop-down."""

    def commit() -> None:
        delegate.commitData.emit(combo)
        delegate.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    combo.chosen.connect(commit)


class FollowUpResultDelegate(QStyledItemDelegate):
    """Edits a follow-up result: a list of the scale for ratings, a text field for percentages.

    Enter on a percentage that is not valid keeps the field open and says why.

    Signals:
        refused: the sentence saying why the text was not accepted.
        cleared: the person started again or gave up; any sentence shown can go.
    """

    refused = Signal(str)
    cleared = Signal()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        self.cleared.emit()
        framework_id = str(index.data(FrameworkIdRole))
        code = str(index.data(CodeRole))
        if index.data(ResultKindRole) == ResultKind.RATING.value:
            combo = ChoiceCombo(parent)
            combo.addItem(NO_RESULT, "")
            for rating in get_framework(framework_id).rating_scale:
                combo.addItem(rating, rating)
            combo.setAccessibleName(f"Follow-up rating for {code}")
            _commit_on_choice(self, combo)
            return combo
        editor = ResultLineEdit(framework_id, code, parent)
        editor.setPlaceholderText("0–100")
        editor.setAccessibleName(f"Follow-up percentage for {code}")
        editor.setFrame(False)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = str(index.data(Qt.ItemDataRole.EditRole) or "")
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QLineEdit):
            editor.setText(value)
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(watched, ResultLineEdit) and isinstance(event, QKeyEvent):
            if event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
            ):
                try:
                    follow_up.parse_result_text(watched.framework_id, watched.code, watched.text())
                except ValidationError as exc:
                    watched.setStyleSheet("border: 2px solid #b00020;")
                    watched.setToolTip(str(exc))
                    self.refused.emit(str(exc))
                    return True  # keep the field open so the person can correct it
            elif event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
                self.cleared.emit()
        return super().eventFilter(watched, event)


class SelfAssessmentDelegate(QStyledItemDelegate):
    """A list of the four-point progress scale (and "Not assessed") for a self-assessment."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = ChoiceCombo(parent)
        combo.addItem(NOT_ASSESSED, "")
        for value in SelfAssessment:
            combo.addItem(value.value, value.value)
        combo.setAccessibleName("Self-assessment")
        _commit_on_choice(self, combo)
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            value = str(index.data(Qt.ItemDataRole.EditRole) or "")
            editor.setCurrentIndex(max(0, editor.findData(value)))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


# ----- the self-assessment table ------------------------------------------------------------


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
                    r.id, r.reference, r.text, _percent(r.progress), r.self_assessment, r.version
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
            and row.self_assessment is None
        ):
            return QBrush(FAINT)
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and column == SelfAssessmentColumn.SELF_ASSESSMENT
        ):
            return QBrush(EDITABLE)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == SelfAssessmentColumn.PROGRESS:
                return _RIGHT
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


# ----- the view -----------------------------------------------------------------------------


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def _show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class FollowUpView(QWidget):
    """The follow-up inspection: date and status, results grid, chart and self-assessment."""

    def __init__(self, workspace: Workspace, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.edits = edits
        self._follow_up: follow_up.FollowUpView | None = None
        #: The version of each result as shown, which its next save expects.
        self._result_versions: dict[tuple[str, str], int] = {}
        self._shown_inspection: int | None = None
        self.setAccessibleName("Scoring summary and follow-up")

        self.results_model = FollowUpResultsModel(self._store_result)
        self.self_assessment_model = SelfAssessmentModel(self._store_self_assessment)

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_follow_up_bar())
        results = self._build_results()
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Chart and self-assessment")
        self.tabs.addTab(self._build_chart(), "&Chart")
        self.tabs.addTab(self._build_self_assessment(), "Self-&assessment")
        self.tabs.setTabToolTip(0, "Baseline against follow-up for each percentage criterion")
        self.tabs.setTabToolTip(1, "The Board's self-assessment of each recommendation")

        # the grid is the main work; the chart and self-assessment share the side, each tall
        # enough to read without scrolling at 1180×760
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(results)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([620, 380])  # proportions until the person moves the handle
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)

        workspace.changed.connect(self.reload)
        self.reload()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 8

    def _build_follow_up_bar(self) -> QVBoxLayout:
        outer = QVBoxLayout()
        row = QHBoxLayout()
        title = QLabel("Follow-up inspection")
        bold = title.font()
        bold.setBold(True)
        title.setFont(bold)
        self.date_agreed = QCheckBox("&Date agreed:")
        self.date_agreed.setAccessibleName("The follow-up date is agreed")
        self.date_agreed.setToolTip("Tick when the Inspectorate has agreed a date.")
        self.planned_date = DateField(today=self.workspace.today)
        self.planned_date.setAccessibleName("Planned date of the follow-up inspection")
        self.planned_date.setToolTip("Saved when you leave the field or press Enter.")
        self.planned_date.setEnabled(False)
        status_label = QLabel("&Status:")
        self.status = QComboBox()
        self.status.addItems([s.value for s in FollowUpStatus])
        self.status.setAccessibleName("Status of the follow-up inspection")
        status_label.setBuddy(self.status)
        gap = self.fontMetrics().averageCharWidth() * 3
        # the controls line up with the typed date; the date in words goes under it
        top = Qt.AlignmentFlag.AlignTop
        for label in (title, status_label):
            label.setMinimumHeight(self.status.sizeHint().height())
        row.addWidget(title, 0, top)
        row.addSpacing(gap)
        row.addWidget(self.date_agreed, 0, top)
        row.addWidget(self.planned_date, 0, top)
        row.addSpacing(gap)
        row.addWidget(status_label, 0, top)
        row.addWidget(self.status, 0, top)
        row.addStretch(1)
        outer.addLayout(row)
        self.follow_up_error = _error_label("Why the follow-up inspection was not saved")
        outer.addWidget(self.follow_up_error)

        self.date_agreed.toggled.connect(self._on_date_agreed)
        # Enter, a day picked from the calendar, or leaving the field
        self.planned_date.editingFinished.connect(self._apply_follow_up)
        self.status.activated.connect(lambda _row: self._apply_follow_up())
        return outer

    def _build_results(self) -> QWidget:
        view = self.results_view = QTableView()
        view.setModel(self.results_model)
        view.setAccessibleName("Baseline and follow-up results")
        self.results_delegate = FollowUpResultDelegate(view)
        view.setItemDelegateForColumn(ResultColumn.FOLLOW_UP, self.results_delegate)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.verticalHeader().hide()
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.verticalHeader().setDefaultSectionSize(self._row_height())
        char = self.fontMetrics().averageCharWidth()
        header = view.horizontalHeader()
        header.setMinimumSectionSize(char * 5)
        for column in (
            ResultColumn.CODE,
            ResultColumn.BASELINE,
            ResultColumn.FOLLOW_UP,
            ResultColumn.CHANGE,
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # the criterion keeps a readable width; "Aimed at by" takes what is left (tooltips
        # give it in full), and a narrow window scrolls sideways rather than squash both
        header.setSectionResizeMode(ResultColumn.CRITERION, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ResultColumn.CRITERION, char * 30)
        header.setSectionResizeMode(ResultColumn.AIMED_AT, QHeaderView.ResizeMode.Stretch)
        self.results_model.modelReset.connect(self._span_headings)

        self.result_error = _error_label("Why the follow-up result was not saved")
        self.results_model.refused.connect(lambda text: _show_error(self.result_error, text))
        self.results_model.accepted.connect(lambda: _show_error(self.result_error, ""))
        self.results_delegate.refused.connect(lambda text: _show_error(self.result_error, text))
        self.results_delegate.cleared.connect(lambda: _show_error(self.result_error, ""))

        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(
            "Results: baseline against follow-up. Type a follow-up result in the shaded cells."
        )
        caption.setWordWrap(True)
        caption.setBuddy(view)
        box_layout.addWidget(caption)
        box_layout.addWidget(view, 1)
        box_layout.addWidget(self.result_error)
        return box

    def _span_headings(self) -> None:
        """Framework titles span the row; section titles span from the criterion column on."""
        view = self.results_view
        view.clearSpans()
        for position in range(self.results_model.rowCount()):
            kind = self.results_model.row_at(position).kind
            if kind is RowKind.FRAMEWORK:
                view.setSpan(position, ResultColumn.CODE, 1, len(ResultColumn))
            elif kind is RowKind.SECTION:
                view.setSpan(position, ResultColumn.CRITERION, 1, len(ResultColumn) - 1)

    def _build_chart(self) -> QWidget:
        self.chart = ScoreChart()
        self.chart_scroll = QScrollArea()
        self.chart_scroll.setWidget(self.chart)
        self.chart_scroll.setWidgetResizable(True)
        self.chart_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.chart_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chart_scroll.setAccessibleName("Chart, scrollable")
        return self.chart_scroll

    def _build_self_assessment(self) -> QWidget:
        view = self.self_assessment_view = QTableView()
        view.setModel(self.self_assessment_model)
        view.setAccessibleName("Self-assessment of each recommendation")
        self.self_assessment_delegate = SelfAssessmentDelegate(view)
        view.setItemDelegateForColumn(
            SelfAssessmentColumn.SELF_ASSESSMENT, self.self_assessment_delegate
        )
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # two lines of each recommendation; the tooltip has it whole
        view.setWordWrap(True)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.verticalHeader().hide()
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.verticalHeader().setDefaultSectionSize(
            self._row_height() + self.fontMetrics().height()
        )
        header = view.horizontalHeader()
        for column in (
            SelfAssessmentColumn.REFERENCE,
            SelfAssessmentColumn.PROGRESS,
            SelfAssessmentColumn.SELF_ASSESSMENT,
        ):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(
            SelfAssessmentColumn.RECOMMENDATION, QHeaderView.ResizeMode.Stretch
        )
        self.self_assessment_error = _error_label("Why the self-assessment was not saved")
        self.self_assessment_model.refused.connect(
            lambda text: _show_error(self.self_assessment_error, text)
        )
        self.self_assessment_model.accepted.connect(
            lambda: _show_error(self.self_assessment_error, "")
        )
        box = QWidget()
        box_layout = QVBoxLayout(box)
        caption = QLabel(
            "How far the Board judges each recommendation has got, before the follow-up. "
            "Double-click or press F2 on a self-assessment to choose."
        )
        caption.setWordWrap(True)
        caption.setBuddy(view)
        box_layout.addWidget(caption)
        box_layout.addWidget(view, 1)
        box_layout.addWidget(self.self_assessment_error)
        return box

    # ----- reading ---------------------------------------------------------------------------

    def models(self) -> list[QAbstractItemModel]:
        """The view's item models (for tests and for qtmodeltester)."""
        return [self.results_model, self.self_assessment_model]

    def reload(self) -> None:
        """Read the follow-up, the comparison and the plan again and show them."""
        inspection_id = self.workspace.inspection_id
        if inspection_id != self._shown_inspection:
            _show_error(self.result_error, "")
            _show_error(self.self_assessment_error, "")
            self._shown_inspection = inspection_id
        self.setEnabled(inspection_id is not None)
        if inspection_id is None:
            self._follow_up = None
            self.results_model.set_rows([])
            self.self_assessment_model.set_plan(None)
            self.chart.set_criteria([])
            return
        plan = self.workspace.plan()
        comparisons = follow_up.follow_up_comparison(inspection_id=inspection_id)
        self._result_versions = follow_up.result_versions(inspection_id=inspection_id)
        self.results_model.set_rows(result_rows(comparisons, plan))
        self.self_assessment_model.set_plan(plan)
        self.chart.set_criteria(chart_criteria(comparisons))
        self._follow_up = follow_up.get_follow_up(inspection_id=inspection_id)
        # a refused date or status stays on screen until something is stored or undone
        _show_error(self.follow_up_error, "")
        self._show_follow_up(self._follow_up, plan)

    def _show_follow_up(self, record: follow_up.FollowUpView, plan: PlanView | None) -> None:
        widgets = (self.date_agreed, self.planned_date, self.status)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.date_agreed.setChecked(record.planned_date is not None)
            self.planned_date.setEnabled(record.planned_date is not None)
            if record.planned_date is not None:
                self.planned_date.setDate(record.planned_date)
            else:
                self.planned_date.setDate(self._suggested_date(plan))
            self.status.setCurrentText(record.status)
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def _suggested_date(self, plan: PlanView | None) -> date:
        """Where the date field starts when no date is agreed: today, or publication if later."""
        today = self.workspace.today()
        if plan is not None and plan.published > today:
            return plan.published
        return today

    # ----- editing ---------------------------------------------------------------------------

    def _on_date_agreed(self, checked: bool) -> None:
        self.planned_date.setEnabled(checked)
        if checked:
            # the person now picks the date; it is saved when they leave the field
            self.planned_date.setFocus(Qt.FocusReason.OtherFocusReason)
            self.planned_date.select_all()
        else:
            self._apply_follow_up()

    def _apply_follow_up(self) -> None:
        """Save the date and status on screen, or say at the field why they cannot be saved."""
        if self._follow_up is None:
            return
        planned = None
        if self.date_agreed.isChecked():
            planned = self.planned_date.date()
            if planned is None:
                # the field says in red why it cannot take the text: nothing is saved
                changed = self.status.currentText() != self._follow_up.status
                _show_error(
                    self.follow_up_error,
                    "Nothing was saved: correct the planned date first." if changed else "",
                )
                return
        status = self.status.currentText()
        current = self._follow_up
        if (planned, status) == (current.planned_date, current.status):
            _show_error(self.follow_up_error, "")
            return
        try:
            self.edits.set_follow_up(planned, status, current.version)  # reloads the view
        except EsiError as exc:
            _show_error(self.follow_up_error, str(exc))

    def _store_result(self, framework_id: str, code: str, value: Result | None) -> None:
        version = self._result_versions.get((framework_id, code))
        self.edits.set_follow_up_result(framework_id, code, value, version)

    def _store_self_assessment(self, row: SelfAssessmentRow, value: str | None) -> None:
        try:
            self.edits.set_recommendation_fields(
                row.recommendation_id, {"self_assessment": value}, row.version, "Self-assessment"
            )
        except ConflictError:
            # someone changed the recommendation meanwhile: show theirs, so a second try works
            self.workspace.invalidate()
            raise


def chart_criteria(comparisons: list[FrameworkDeltas]) -> list[ChartCriterion]:
    """The percentage criteria of every framework, for the chart."""
    rows: list[ChartCriterion] = []
    for deltas in comparisons:
        framework: Framework = get_framework(deltas.framework_id)
        for criterion in framework.criteria:
            if not criterion.is_scored:
                continue
            delta = deltas.criteria[criterion.code]
            rows.append(
                ChartCriterion(
                    group=framework.short_title,
                    code=criterion.code,
                    title=criterion.title,
                    baseline=delta.baseline if isinstance(delta.baseline, int) else None,
                    follow_up=delta.follow_up if isinstance(delta.follow_up, int) else None,
                )
            )
    return rows
