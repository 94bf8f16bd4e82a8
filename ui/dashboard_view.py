"""The dashboard: the statutory clock, Board meetings, RAG counts, what is late, the scores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Slot,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.database import DatabaseOutage
from esi_desktop.errors import EsiError
from esi_desktop.follow_up import follow_up_comparison, get_follow_up
from esi_desktop.frameworks import get_framework
from esi_desktop.inspections import (
    MONTHS,
    get_inspection,
    inspection_summary,
    statutory_clock_of,
)
from esi_desktop.plan import PlanView, board_meetings
from esi_desktop.rules import (
    FollowUpStatus,
    Rag,
    days_left,
    last_meeting_before,
)
from esi_desktop.scoring import FrameworkDeltas, points_text, round_half_up
from esi_desktop.submission import long_date
from ui.date_field import DateField
from ui.edits import Edits
from ui.models import RAG_COLOURS, ColumnTableModel
from ui.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex

TEXT_ON_COLOUR = "#111111"
#: The background of the Board meeting at which the plan must be approved.
APPROVAL_BACKGROUND = "#fbe3b9"

RAG_MEANINGS = {
    Rag.RED: "Red: a milestone is overdue, or under half done and past its target date.",
    Rag.AMBER: "Amber: a milestone is due within 14 days, or the owner marked it at risk.",
    Rag.GREEN: "Green: on track.",
    Rag.BLUE: "Blue: complete.",
}

#: Within this many days a statutory deadline shows in amber.
NEAR_DAYS = 14

APPROVAL_TEXT = "the plan must be approved here"

#: The id of the milestone a row of the overdue/due-soon table stands for.
MilestoneIdRole = Qt.ItemDataRole.UserRole + 1
#: What the overdue/due-soon table sorts by (the due date as an ordinal for the Due column).
SortKeyRole = Qt.ItemDataRole.UserRole + 2
#: The date of a Board meeting row.
MeetingDateRole = Qt.ItemDataRole.UserRole + 3
#: True for the Board meeting at which the plan must be approved.
ApprovalMeetingRole = Qt.ItemDataRole.UserRole + 4
#: A scores row's change in whole percentage points (None when a side is missing).
ChangePointsRole = Qt.ItemDataRole.UserRole + 5


def _near_black() -> QBrush:
    return QBrush(QColor(TEXT_ON_COLOUR))


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


# ----- models -----------------------------------------------------------------------------


class BoardMeetingsModel(QAbstractListModel):
    """The Board meeting dates, the one where the plan must be approved marked as such."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dates: list[date] = []
        self._approval: date | None = None

    def set_meetings(self, dates: list[date], approval: date | None) -> None:
        """Replace the list; ``approval`` is the last meeting on or before the response date."""
        self.beginResetModel()
        self._dates = sorted(dates)
        self._approval = approval
        self.endResetModel()

    def meeting_at(self, row: int) -> date:
        """The date shown in a row."""
        return self._dates[row]

    def row_of(self, meeting: date) -> int:
        """The row of a meeting date, or -1."""
        return self._dates.index(meeting) if meeting in self._dates else -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._dates)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._dates):
            return None
        meeting = self._dates[index.row()]
        approval = meeting == self._approval
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{long_date(meeting)} — {APPROVAL_TEXT}" if approval else long_date(meeting)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            suffix = f", {APPROVAL_TEXT}" if approval else ""
            return f"Board meeting {long_date(meeting)}{suffix}"
        if role == MeetingDateRole:
            return meeting
        if role == Qt.ItemDataRole.ToolTipRole and not approval:
            return f"Board meeting on {long_date(meeting)}"
        if role == ApprovalMeetingRole:
            return approval
        if approval:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(APPROVAL_BACKGROUND))
            if role == Qt.ItemDataRole.ForegroundRole:
                return _near_black()
            if role == Qt.ItemDataRole.FontRole:
                return _bold()
            if role == Qt.ItemDataRole.ToolTipRole:
                return (
                    f"{long_date(meeting)}: the last Board meeting on or before the date the "
                    "response and action plan are due; the Board must approve the plan here."
                )
        return None


class DueColumn(IntEnum):
    """Columns of the overdue and due-soon milestones table."""

    MILESTONE = 0
    ACTION = 1
    OWNER = 2
    DUE = 3
    FLAG = 4


_DUE_HEADERS = {
    DueColumn.MILESTONE: "Milestone",
    DueColumn.ACTION: "Action",
    DueColumn.OWNER: "Owner",
    DueColumn.DUE: "Due",
    DueColumn.FLAG: "Flag",
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def milestone_flag(due: date, today: date) -> str:
    """ "Overdue (12 days)", "Due soon (in 5 days)", "Due soon (today)"."""
    delta = (due - today).days
    if delta < 0:
        return f"Overdue ({_plural(-delta, 'day')})"
    if delta == 0:
        return "Due soon (today)"
    return f"Due soon (in {_plural(delta, 'day')})"


@dataclass(frozen=True)
class _DueRow:
    milestone_id: int
    title: str
    action: str
    owner: str
    due: date
    overdue: bool
    flag: str

    def cell(self, column: DueColumn) -> str:
        return {
            DueColumn.MILESTONE: self.title,
            DueColumn.ACTION: self.action,
            DueColumn.OWNER: self.owner,
            DueColumn.DUE: long_date(self.due),
            DueColumn.FLAG: self.flag,
        }[column]


class DueMilestonesModel(ColumnTableModel):
    """Milestones that are overdue or due within 14 days, in the plan's order.

    Sort through a proxy on :data:`SortKeyRole`; the Due column sorts by date.
    """

    COLUMNS = DueColumn
    HEADERS = _DUE_HEADERS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_DueRow] = []

    def set_plan(self, plan: PlanView | None) -> None:
        """Replace the rows with the plan's overdue and due-soon milestones."""
        rows: list[_DueRow] = []
        if plan is not None:
            for action in plan.actions.values():
                for milestone in action.milestones:
                    if milestone.overdue or milestone.due_soon:
                        rows.append(
                            _DueRow(
                                milestone.id,
                                milestone.title,
                                action.text,
                                action.owner,
                                milestone.due_date,
                                milestone.overdue,
                                milestone_flag(milestone.due_date, plan.today),
                            )
                        )
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(DueColumn):
            return None
        row = self._rows[index.row()]
        column = DueColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.cell(column)
        if role == MilestoneIdRole:
            return row.milestone_id
        if role == SortKeyRole:
            if column in (DueColumn.DUE, DueColumn.FLAG):
                return row.due.toordinal()
            return row.cell(column).casefold()
        if column == DueColumn.FLAG:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(RAG_COLOURS[Rag.RED if row.overdue else Rag.AMBER]))
            if role == Qt.ItemDataRole.ForegroundRole:
                return _near_black()
            if role == Qt.ItemDataRole.FontRole:
                return _bold()
        return None


class ScoreColumn(IntEnum):
    """Columns of a framework's baseline against follow-up table."""

    SECTION = 0
    BASELINE = 1
    FOLLOW_UP = 2
    CHANGE = 3


_SCORE_HEADERS = {
    ScoreColumn.SECTION: "Section",
    ScoreColumn.BASELINE: "Baseline",
    ScoreColumn.FOLLOW_UP: "Follow-up",
    ScoreColumn.CHANGE: "Change",
}


def _percent(value: int | None) -> str:
    return "—" if value is None else f"{value}%"


@dataclass(frozen=True)
class _ScoreRow:
    label: str
    baseline: int | None
    follow_up: int | None
    change: int | None
    overall: bool

    def cell(self, column: ScoreColumn) -> str:
        return {
            ScoreColumn.SECTION: self.label,
            ScoreColumn.BASELINE: _percent(self.baseline),
            ScoreColumn.FOLLOW_UP: _percent(self.follow_up),
            ScoreColumn.CHANGE: points_text(self.change),
        }[column]


class ScoreComparisonModel(ColumnTableModel):
    """One framework's section and overall scores: baseline, follow-up and the change."""

    COLUMNS = ScoreColumn
    HEADERS = _SCORE_HEADERS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_ScoreRow] = []
        self.framework_id = ""
        self.title = ""

    def set_deltas(self, deltas: FrameworkDeltas) -> None:
        """Replace the rows with these deltas' sections and overall."""
        framework = get_framework(deltas.framework_id)
        rows: list[_ScoreRow] = []
        for section in framework.scored_sections:
            delta = deltas.sections[section.code]
            rows.append(
                _ScoreRow(
                    f"{section.code} {section.title}",
                    None if delta.baseline is None else round_half_up(delta.baseline),
                    None if delta.follow_up is None else round_half_up(delta.follow_up),
                    delta.points,
                    overall=False,
                )
            )
        if deltas.overall is not None:
            overall = deltas.overall
            rows.append(
                _ScoreRow(
                    framework.overall_title,
                    None if overall.baseline is None else round_half_up(overall.baseline),
                    None if overall.follow_up is None else round_half_up(overall.follow_up),
                    overall.points,
                    overall=True,
                )
            )
        self.beginResetModel()
        self.framework_id = framework.id
        self.title = framework.title
        self._rows = rows
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(ScoreColumn):
            return None
        row = self._rows[index.row()]
        column = ScoreColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return row.cell(column)
        if role == ChangePointsRole:
            return row.change
        if role == Qt.ItemDataRole.FontRole and row.overall:
            return _bold()
        if role == Qt.ItemDataRole.TextAlignmentRole and column != ScoreColumn.SECTION:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if column == ScoreColumn.CHANGE and row.change:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(RAG_COLOURS[Rag.GREEN if row.change > 0 else Rag.RED]))
            if role == Qt.ItemDataRole.ForegroundRole:
                return _near_black()
            if role == Qt.ItemDataRole.ToolTipRole:
                direction = "Up" if row.change > 0 else "Down"
                return f"{direction} {_plural(abs(row.change), 'percentage point')}"
        return None


# ----- widgets ----------------------------------------------------------------------------


class RagTile(QFrame):
    """A coloured tile: the count of actions of one RAG, with the word (never colour alone)."""

    def __init__(self, rag: Rag) -> None:
        super().__init__()
        self.rag = rag
        self.setObjectName("ragTile")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet(
            f"QFrame#ragTile {{ background-color: {RAG_COLOURS[rag]}; border-radius: 6px; }}"
            f"QFrame#ragTile QLabel {{ color: {TEXT_ON_COLOUR}; background: transparent; }}"
        )
        self.setToolTip(RAG_MEANINGS[rag])
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        layout = QVBoxLayout(self)
        self.count_label = QLabel("0")
        font = self.count_label.font()
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.count_label.setFont(font)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption_label = QLabel()
        caption_font = self.caption_label.font()
        caption_font.setBold(True)
        self.caption_label.setFont(caption_font)
        self.caption_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.count_label)
        layout.addWidget(self.caption_label)
        self.set_count(0)

    def set_count(self, count: int) -> None:
        """Show how many actions have this RAG."""
        self.count = count
        self.count_label.setText(str(count))
        self.caption_label.setText(f"{self.rag.value} {'action' if count == 1 else 'actions'}")
        self.setAccessibleName(f"{self.rag.value}: {_plural(count, 'action')}")

    def text(self) -> str:
        """What the tile says, as read aloud: "Red: 2 actions"."""
        return self.accessibleName()


class FittedTable(QTableView):
    """A table exactly as tall as its rows: the dashboard scrolls, not each table.

    The height comes from the header and row sizes in use, so it follows the fonts and the
    display's scaling.
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if model is not None:
            for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
                signal.connect(self.updateGeometry)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        header = self.horizontalHeader()
        height = 0 if header.isHidden() else header.sizeHint().height()
        height += self.verticalHeader().length() + 2 * self.frameWidth()
        return QSize(hint.width(), height)

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())


class FittedList(QListView):
    """A list as tall as its rows, with room for a few even when it is short or empty."""

    def __init__(self, name: str, minimum_rows: int = 3) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self.minimum_rows = minimum_rows
        self.setSpacing(2)
        # a long row is elided (its tooltip has it whole) rather than scrolled sideways
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        if model is not None:
            for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
                signal.connect(self.updateGeometry)

    def sizeHint(self) -> QSize:
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        row_height = self.sizeHintForRow(0) if rows else -1
        if row_height <= 0:
            row_height = self.fontMetrics().lineSpacing() + 4
        # one spare row, so the list never looks full to the brim
        shown = max(rows + 1, self.minimum_rows)
        height = (row_height + 2 * self.spacing()) * shown + 2 * self.frameWidth()
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:
        # wide enough for the longest date, whatever the font
        width = self.fontMetrics().horizontalAdvance("30 September 2005") * 3 // 2
        return QSize(width, self.sizeHint().height())


def _group(title: str) -> QGroupBox:
    box = QGroupBox(title)
    box.setAccessibleName(title)
    # a style sheet font is not inherited by the box's children, unlike setFont
    box.setStyleSheet("QGroupBox { font-weight: bold; }")
    return box


class DashboardView(QWidget):
    """The inspection at a glance: deadlines, Board meetings, RAG counts, late work, scores.

    Reloads when the workspace changes; while hidden it only notes that it is stale and
    reloads when shown, so edits elsewhere never pay for a view nobody is looking at.
    """

    def __init__(self, workspace: Workspace, edits: Edits) -> None:
        super().__init__()
        self.workspace = workspace
        self.edits = edits
        self._stale = True
        self.setAccessibleName("Dashboard")

        self.meetings_model = BoardMeetingsModel(self)
        self.due_model = DueMilestonesModel(self)
        self.due_proxy = QSortFilterProxyModel(self)
        self.due_proxy.setSourceModel(self.due_model)
        self.due_proxy.setSortRole(SortKeyRole)
        self.score_models: list[ScoreComparisonModel] = []
        self.score_views: list[QTableView] = []

        content = QWidget()
        self._content = content
        grid = QGridLayout(content)
        self.heading = QLabel()
        self.heading.setAccessibleName("Dashboard heading")
        self.heading.setWordWrap(True)
        heading_font = self.heading.font()
        if heading_font.pointSizeF() > 0:
            heading_font.setPointSizeF(heading_font.pointSizeF() * 1.4)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.as_of_label = QLabel()
        self.as_of_label.setAccessibleName("Date of the dashboard")
        grid.addWidget(self.heading, 0, 0, 1, 2)
        grid.addWidget(self.as_of_label, 1, 0, 1, 2)
        grid.addWidget(self._build_clock(), 2, 0)
        grid.addWidget(self._build_meetings(), 2, 1)
        grid.addWidget(self._build_rag(), 3, 0, 1, 2)
        grid.addWidget(self._build_due(), 4, 0, 1, 2)
        grid.addWidget(self._build_scores(), 5, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(6, 1)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(content)
        self.scroll_area.viewport().installEventFilter(self)  # to re-arrange on resize
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)

        workspace.changed.connect(self._workspace_changed)
        self.reload()

    # ----- building -----------------------------------------------------------------------

    def _build_clock(self) -> QGroupBox:
        box = _group("Statutory clock")
        form = QFormLayout(box)
        # each date under its caption: the same reading order at every size and scaling
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.published_label = QLabel()
        self.response_due_label = QLabel()
        self.response_left_label = QLabel()
        self.implementation_due_label = QLabel()
        self.implementation_left_label = QLabel()
        self.follow_up_label = QLabel()
        self.follow_up_label.setWordWrap(True)
        self.follow_up_left_label = QLabel()
        rows = (
            ("Published", self.published_label, None),
            ("Response and action plan due", self.response_due_label, self.response_left_label),
            ("Implementation due", self.implementation_due_label, self.implementation_left_label),
            ("Follow-up inspection", self.follow_up_label, self.follow_up_left_label),
        )
        for title, value, left in rows:
            value.setAccessibleName(title)
            bold = value.font()
            bold.setBold(True)
            value.setFont(bold)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field = QWidget()
            line = QHBoxLayout(field)
            line.setContentsMargins(0, 0, 0, 0)
            # a wrapping text takes the room it is given; a date sits next to its time left
            wraps = value.wordWrap()
            line.addWidget(value, 1 if wraps or left is None else 0)
            if left is not None:
                left.setAccessibleName(f"{title}: time left")
                line.addWidget(left)
                if not wraps:
                    line.addStretch(1)
            caption = QLabel(title)
            caption.setBuddy(value)
            form.addRow(caption, field)
        return box

    def _build_meetings(self) -> QGroupBox:
        box = _group("Board meetings")
        layout = QVBoxLayout(box)
        self.meetings_list = FittedList("Board meetings")
        self.meetings_list.setModel(self.meetings_model)
        self.meetings_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.meetings_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.meetings_list.selectionModel().selectionChanged.connect(self._update_buttons)
        self.meetings_list.installEventFilter(self)
        layout.addWidget(self.meetings_list)
        self.approval_label = QLabel()
        self.approval_label.setWordWrap(True)
        self.approval_label.setAccessibleName("Where the plan must be approved")
        layout.addWidget(self.approval_label)

        row = QHBoxLayout()
        self.meeting_date_edit = DateField(today=self.workspace.today)
        self.meeting_date_edit.setAccessibleName("Meeting date")
        self.meeting_date_edit.setDate(self.workspace.today())
        self.meeting_date_edit.installEventFilter(self)
        self.add_meeting_button = QPushButton("Add meeting")
        self.add_meeting_button.setAccessibleName("Add meeting")
        self.add_meeting_button.clicked.connect(self.add_meeting)
        self.remove_meeting_button = QPushButton("Remove")
        self.remove_meeting_button.setAccessibleName("Remove meeting")
        self.remove_meeting_button.setToolTip("Remove the chosen Board meeting (Delete)")
        self.remove_meeting_button.clicked.connect(self.remove_meeting)
        date_caption = QLabel("&Date")
        date_caption.setBuddy(self.meeting_date_edit)
        # level with the typed date, not with its words underneath
        date_caption.setMinimumHeight(self.meeting_date_edit.line_edit.sizeHint().height())
        # the buttons line up with the typed date; the date in words goes under it
        row.addWidget(date_caption, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.meeting_date_edit, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.add_meeting_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addStretch()
        row.addWidget(self.remove_meeting_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(row)
        return box

    def _build_rag(self) -> QGroupBox:
        box = _group("Actions by RAG")
        layout = QVBoxLayout(box)
        tiles = QHBoxLayout()
        self.rag_tiles: dict[Rag, RagTile] = {}
        for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE):
            tile = RagTile(rag)
            self.rag_tiles[rag] = tile
            tiles.addWidget(tile)
        layout.addLayout(tiles)
        self.recommendations_label = QLabel()
        self.recommendations_label.setWordWrap(True)
        self.recommendations_label.setAccessibleName("Recommendations by RAG")
        layout.addWidget(self.recommendations_label)
        return box

    def _build_due(self) -> QGroupBox:
        box = _group("Overdue and due soon")
        layout = QVBoxLayout(box)
        self.due_view = FittedTable("Overdue and due-soon milestones")
        self.due_view.setModel(self.due_proxy)
        self.due_view.setSortingEnabled(True)
        self.due_view.sortByColumn(DueColumn.DUE, Qt.SortOrder.AscendingOrder)
        self.due_view.setToolTip("Double-click a milestone, or press Enter, to open it in the plan")
        header = self.due_view.horizontalHeader()
        header.setSectionResizeMode(DueColumn.MILESTONE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DueColumn.ACTION, QHeaderView.ResizeMode.Stretch)
        for column in (DueColumn.OWNER, DueColumn.DUE, DueColumn.FLAG):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.due_view.doubleClicked.connect(self._open_milestone)
        self.due_view.installEventFilter(self)
        self.nothing_due_label = QLabel("Nothing is overdue or due in the next 14 days.")
        self.nothing_due_label.setAccessibleName("Nothing overdue or due soon")
        layout.addWidget(self.due_view)
        layout.addWidget(self.nothing_due_label)
        return box

    def _build_scores(self) -> QGroupBox:
        box = _group("Scores: baseline and follow-up")
        layout = QVBoxLayout(box)
        self.no_follow_up_label = QLabel("No follow-up results yet")
        self.no_follow_up_label.setAccessibleName("Follow-up results")
        layout.addWidget(self.no_follow_up_label)
        # side by side when there is room, one above the other when there is not
        self.scores_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        layout.addLayout(self.scores_row)
        return box

    # ----- reloading ----------------------------------------------------------------------

    def models(self) -> list[QAbstractItemModel]:
        """Every item model of the view (for tests and for the window's bookkeeping)."""
        return [self.meetings_model, self.due_model, self.due_proxy, *self.score_models]

    @Slot()
    def _workspace_changed(self) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.reload()
        super().showEvent(event)

    def _arrange_scores(self) -> None:
        """Put the frameworks' tables side by side only if their text fits that way."""
        needed = 0
        for view in self.score_views:
            model = view.model()
            columns = model.columnCount() if model is not None else 0
            needed += sum(
                max(view.sizeHintForColumn(c), view.horizontalHeader().sectionSizeHint(c))
                for c in range(columns)
            )
            needed += 2 * view.frameWidth() + self.scores_row.spacing()
        room = self.scroll_area.viewport().width() - 4 * self.fontMetrics().averageCharWidth()
        direction = (
            QBoxLayout.Direction.LeftToRight if needed <= room else QBoxLayout.Direction.TopToBottom
        )
        if self.scores_row.direction() != direction:
            self.scores_row.setDirection(direction)

    @Slot()
    def reload(self) -> None:
        """Read everything again from the workspace and the use cases."""
        self._stale = False
        plan = self.workspace.plan()
        inspection_id = self.workspace.inspection_id
        enabled = plan is not None and inspection_id is not None
        for widget in (self.meeting_date_edit, self.add_meeting_button):
            widget.setEnabled(enabled)
        if plan is None or inspection_id is None:
            self.heading.setText("No inspection is open")
            self.as_of_label.setText("Choose or import an inspection to see its dashboard.")
            self._show_clock_empty()
            self.meetings_model.set_meetings([], None)
            self.approval_label.setText("")
            self._show_counts(None)
            self.due_model.set_plan(None)
            self._show_due()
            self._show_scores([])
            self._update_buttons()
            return
        today = plan.today
        self.heading.setText(inspection_summary(inspection_id=inspection_id).label)
        self.as_of_label.setText(f"As of {long_date(today)}")
        response_due = self._show_clock(inspection_id, today)
        meetings = board_meetings(inspection_id=inspection_id)
        approval = last_meeting_before(meetings, response_due)
        self.meetings_model.set_meetings(meetings, approval)
        if approval is not None:
            self.approval_label.setText(
                f"The plan must be approved at the Board meeting on {long_date(approval)}, "
                f"the last before the response is due on {long_date(response_due)}."
            )
        else:
            self.approval_label.setText(
                f"No Board meeting is entered on or before {long_date(response_due)}, when "
                "the response is due: add the meeting that will approve the plan."
            )
        self._show_counts(plan)
        self.due_model.set_plan(plan)
        self._show_due()
        self._show_scores(follow_up_comparison(inspection_id=inspection_id))
        self._update_buttons()

    def _show_clock_empty(self) -> None:
        for label in (
            self.published_label,
            self.response_due_label,
            self.implementation_due_label,
            self.follow_up_label,
        ):
            label.setText("—")
        for label in (
            self.response_left_label,
            self.implementation_left_label,
            self.follow_up_left_label,
        ):
            _set_urgency(label, "", None)

    def _show_clock(self, inspection_id: int, today: date) -> date:
        """Fill the statutory clock; returns the response due date."""
        inspection = get_inspection(inspection_id=inspection_id)
        clock = statutory_clock_of(inspection_id=inspection_id)
        self.published_label.setText(
            long_date(clock.published)
            if inspection.published_day
            else f"{MONTHS[clock.published.month - 1]} {clock.published.year}"
        )
        deadlines = (
            (self.response_due_label, self.response_left_label, clock.response_due),
            (
                self.implementation_due_label,
                self.implementation_left_label,
                clock.implementation_due,
            ),
        )
        for value, left, deadline in deadlines:
            value.setText(long_date(deadline))
            delta = (deadline - today).days
            urgency = Rag.RED if delta < 0 else Rag.AMBER if delta <= NEAR_DAYS else None
            _set_urgency(left, days_left(deadline, today), urgency)

        follow_up = get_follow_up(inspection_id=inspection_id)
        if follow_up.planned_date is not None:
            planned = long_date(follow_up.planned_date)
            self.follow_up_label.setText(f"{planned} ({follow_up.status})")
            left_text = (
                days_left(follow_up.planned_date, today)
                if follow_up.status == FollowUpStatus.SCHEDULED
                else ""
            )
            _set_urgency(self.follow_up_left_label, left_text, None)
        else:
            expected = (inspection.follow_up_expected or "").strip()
            self.follow_up_label.setText(
                f"Expected {expected} (from the report)" if expected else "Not yet scheduled"
            )
            _set_urgency(self.follow_up_left_label, "", None)
        return clock.response_due

    def _show_counts(self, plan: PlanView | None) -> None:
        actions = list(plan.actions.values()) if plan else []
        for rag, tile in self.rag_tiles.items():
            tile.set_count(sum(1 for a in actions if a.rag == rag))
        if plan is None:
            self.recommendations_label.setText("")
            return
        recommendations = plan.recommendations
        by_rag = " · ".join(
            f"{sum(1 for r in recommendations if r.rag == rag)} {rag.value}"
            for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)
        )
        no_action = sum(1 for r in recommendations if not r.action_ids)
        drafts = [r for r in recommendations if r.draft is not None]
        no_response = sum(1 for r in recommendations if r.category is None and r.draft is None)
        text = (
            f"{_plural(len(recommendations), 'recommendation')}: {by_rag} · "
            f"{no_action} with no action yet · {no_response} with no response yet"
        )
        if drafts:
            # a draft is not the Board's response: say so, and what each still needs
            text += f" · {_plural(len(drafts), 'draft response')} ("
            text += "; ".join(
                f"{r.reference}: {r.draft.draft_label.removeprefix('Draft — ')}"
                for r in drafts
                if r.draft is not None
            )
            text += ")"
        self.recommendations_label.setText(text)

    def _show_due(self) -> None:
        rows = self.due_model.rowCount()
        self.due_view.setHidden(rows == 0)
        self.nothing_due_label.setHidden(rows != 0)

    def _show_scores(self, comparisons: list[FrameworkDeltas]) -> None:
        any_follow_up = any(
            delta.follow_up is not None
            for comparison in comparisons
            for delta in comparison.criteria.values()
        )
        self.no_follow_up_label.setHidden(any_follow_up)
        wanted = [c.framework_id for c in comparisons]
        if wanted != [m.framework_id for m in self.score_models]:
            self._rebuild_score_tables(len(comparisons))
        for model, view, comparison in zip(
            self.score_models, self.score_views, comparisons, strict=True
        ):
            model.set_deltas(comparison)
            caption = view.property("caption")
            if isinstance(caption, QLabel):
                caption.setText(model.title)
            view.setAccessibleName(f"Scores: {model.title}")
        self._arrange_scores()

    def _rebuild_score_tables(self, count: int) -> None:
        while self.scores_row.count():
            item = self.scores_row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.score_models = []
        self.score_views = []
        for _ in range(count):
            column_widget = QWidget()
            # the model goes with its table when the tables are rebuilt
            model = ScoreComparisonModel(column_widget)
            view = FittedTable("Scores")
            view.setModel(model)
            view.setShowGrid(False)
            view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
            view.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            header = view.horizontalHeader()
            header.setSectionResizeMode(ScoreColumn.SECTION, QHeaderView.ResizeMode.Stretch)
            for column in (ScoreColumn.BASELINE, ScoreColumn.FOLLOW_UP, ScoreColumn.CHANGE):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            column_layout = QVBoxLayout(column_widget)
            column_layout.setContentsMargins(0, 0, 0, 0)
            caption = QLabel()
            caption.setWordWrap(True)
            column_layout.addWidget(caption)
            column_layout.addWidget(view)
            column_layout.addStretch()
            view.setProperty("caption", caption)
            self.scores_row.addWidget(column_widget, 1)
            self.score_models.append(model)
            self.score_views.append(view)

    # ----- Board meetings -----------------------------------------------------------------

    def selected_meeting(self) -> date | None:
        """The Board meeting chosen in the list, if any."""
        rows = self.meetings_list.selectionModel().selectedRows()
        if not rows:
            return None
        return self.meetings_model.meeting_at(rows[0].row())

    @Slot()
    def _update_buttons(self) -> None:
        self.remove_meeting_button.setEnabled(self.selected_meeting() is not None)

    @Slot()
    def add_meeting(self) -> None:
        """Add the date in the date field as a Board meeting; a refusal is shown, not written."""
        meeting = self.meeting_date_edit.date()
        if meeting is None:
            # the field says in red why it cannot take the text; nothing is added
            self.meeting_date_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        try:
            self.edits.add_board_meeting(meeting)
        except EsiError as exc:
            if not isinstance(exc, DatabaseOutage):  # the window says that once
                QMessageBox.warning(self, "Cannot add the Board meeting", str(exc))
            return
        row = self.meetings_model.row_of(meeting)
        if row >= 0:
            self.meetings_list.setCurrentIndex(self.meetings_model.index(row, 0))
        # ready for the next date: typing replaces this one
        self.meeting_date_edit.select_all()

    @Slot()
    def remove_meeting(self) -> None:
        """Remove the chosen Board meeting (undo brings it back)."""
        meeting = self.selected_meeting()
        if meeting is None:
            return
        try:
            self.edits.delete_board_meeting(meeting)
        except EsiError as exc:
            if not isinstance(exc, DatabaseOutage):  # the window says that once
                QMessageBox.warning(self, "Cannot remove the Board meeting", str(exc))

    # ----- navigation ---------------------------------------------------------------------

    @Slot(QModelIndex)
    def _open_milestone(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        milestone_id = index.data(MilestoneIdRole)
        if isinstance(milestone_id, int):
            self.workspace.navigate.emit("plan", "milestone", milestone_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.scroll_area.viewport():
            self._arrange_scores()
            return False
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if watched is self.due_view and enter:
                self._open_milestone(self.due_view.currentIndex())
                return True
            if watched is self.meetings_list and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.remove_meeting()
                return True
            if watched is self.meeting_date_edit and enter:
                self.add_meeting()
                return True
        return super().eventFilter(watched, event)


def _set_urgency(label: QLabel, text: str, urgency: Rag | None) -> None:
    """Show a deadline's time left, on red when overdue and amber when near."""
    label.setText(text)
    label.setProperty("urgency", urgency.value if urgency else "")
    if urgency is None:
        # the same padding as the coloured pills, so the dates line up either way
        label.setStyleSheet("QLabel { padding: 0.1em 0.5em; }")
        label.setToolTip("")
        return
    label.setStyleSheet(
        f"QLabel {{ background-color: {RAG_COLOURS[urgency]}; color: {TEXT_ON_COLOUR}; "
        "border-radius: 4px; padding: 0.1em 0.5em; font-weight: bold; }"
    )
    label.setToolTip("Overdue" if urgency == Rag.RED else f"Due within {NEAR_DAYS} days")
