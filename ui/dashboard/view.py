"""The dashboard: the statutory clock, Board meetings, RAG counts, what is late, the scores.

Everything it shows comes from :func:`esi_desktop.dashboard.load_dashboard`, the read model
``main.py status`` prints too; the view only lays it out and edits the Board meetings.
"""

# Over 500 lines: one view, built, re-arranged to the width, reloaded; the clock box would split.

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    Slot,
)
from PySide6.QtGui import QKeyEvent, QShowEvent
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
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.dashboard import RAG_ORDER, Dashboard, ScoreTable, load_dashboard
from esi_desktop.dashboard_clock import Clock
from esi_desktop.database import DatabaseOutage
from esi_desktop.errors import EsiError
from esi_desktop.rules import DUE_SOON_DAYS, Rag
from esi_desktop.wording import long_date, plural
from ui.dashboard.models import (
    BoardMeetingsModel,
    DueItemsModel,
    ItemIdRole,
    ItemKindRole,
    ScoreColumn,
    ScoreComparisonModel,
    SortedRowsProxy,
)
from ui.dashboard.ratings import RatingsArea
from ui.dashboard.widgets import FittedList, FittedTable, RagTile, due_table, group, set_urgency
from ui.date_field import DateField
from ui.edits import Edits
from ui.workspace import Workspace

#: The title of the scores part: for a scored inspection, and for a rated one.
SCORES_TITLE = "Scores: baseline and follow-up"
RATINGS_TITLE = "Ratings: inspection and follow-up"
#: The response deadline where the framework fixes none and the Board has not agreed one.
NOT_SET = "not set"
BOARD_AGREES = "— the Board agrees a date (Inspection ▸ Edit inspection…)"


class DashboardView(QWidget):
    """The inspection at a glance: deadlines, Board meetings, RAG counts, late work, scores.

    Reloads when the workspace changes; while hidden it only notes that it is stale and
    reloads when shown, so edits elsewhere never pay for a view nobody is looking at.
    """

    def __init__(
        self,
        workspace: Workspace,
        edits: Edits,
        *,
        reminder_days: Callable[[], int] = lambda: DUE_SOON_DAYS,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.edits = edits
        #: How far ahead the list of what falls due looks (Preferences ▸ Reminder period).
        self.reminder_days = reminder_days
        self._stale = True
        self.setAccessibleName("Dashboard")

        self.meetings_model = BoardMeetingsModel(self)
        self.due_model = DueItemsModel(self)
        # sorts on the keys in Python, not with two calls into Python per comparison
        self.due_proxy = SortedRowsProxy(self)
        self.due_proxy.setSourceModel(self.due_model)
        self.score_models: list[ScoreComparisonModel] = []
        #: What the dashboard shows now (None without an inspection).
        self.dashboard: Dashboard | None = None
        self.score_views: list[QTableView] = []

        content = QWidget()
        self._content = content
        grid = self._grid = QGridLayout(content)
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
        # side by side when both fit the width, the clock above the meetings when they do not
        self.clock_box = self._build_clock()
        self.meetings_box = self._build_meetings()
        self.top_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.top_row.addWidget(self.clock_box, 3)
        self.top_row.addWidget(self.meetings_box, 2)
        grid.addLayout(self.top_row, 2, 0, 1, 2)
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
        box = group("Statutory clock")
        form = self.clock_form = QFormLayout(box)
        self.clock_rows: list[tuple[QLabel, QWidget]] = []
        # each date under its caption, or beside it when the clock has the whole width
        # (_arrange_top_row): every row the same way, at every size and scaling
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
            self.clock_rows.append((caption, field))
        return box

    def _build_meetings(self) -> QGroupBox:
        box = group("Board meetings")
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
        box = group("Actions by RAG")
        layout = QVBoxLayout(box)
        tiles = QHBoxLayout()
        self.rag_tiles: dict[Rag, RagTile] = {}
        for rag in RAG_ORDER:
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
        box = group("Overdue and due soon")
        layout = QVBoxLayout(box)
        self.due_view = due_table(self.due_proxy)
        self.due_view.doubleClicked.connect(self._open_item)
        self.due_view.installEventFilter(self)
        self.nothing_due_label = QLabel()  # the words name the reminder period (_show_due)
        self.nothing_due_label.setAccessibleName("Nothing overdue or due soon")
        layout.addWidget(self.due_view)
        layout.addWidget(self.nothing_due_label)
        return box

    def _build_scores(self) -> QGroupBox:
        box = self.scores_box = group(SCORES_TITLE)
        layout = QVBoxLayout(box)
        #: A rated inspection's standards and overall rating (empty for a scored one).
        self.ratings_area = RatingsArea()
        layout.addWidget(self.ratings_area)
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

    def _arrange_top_row(self) -> None:
        """Set the statutory clock beside the Board meetings only if both fit the width.

        Above the meetings, the clock has the whole width: its captions go beside their dates
        when that fits too, so the meetings' buttons stay in sight on a small screen.
        """
        form = self.clock_form
        margins = form.contentsMargins()
        # the box's frame and title, whichever way the form is laid out
        frame = self.clock_box.minimumSizeHint().width() - form.minimumSize().width()
        frame += margins.left() + margins.right()
        captions = max(caption.sizeHint().width() for caption, _ in self.clock_rows)
        fields = max(field.minimumSizeHint().width() for _, field in self.clock_rows)
        outside = self._grid.contentsMargins()
        room = self.scroll_area.viewport().width() - outside.left() - outside.right()
        meetings = self.meetings_box.minimumSizeHint().width() + self.top_row.spacing()
        beside_meetings = frame + max(captions, fields) + meetings <= room
        _set_direction(self.top_row, beside_meetings)
        beside_dates = frame + captions + max(form.horizontalSpacing(), 0) + fields <= room
        policy = (
            QFormLayout.RowWrapPolicy.DontWrapRows
            if beside_dates and not beside_meetings
            else QFormLayout.RowWrapPolicy.WrapAllRows
        )
        if form.rowWrapPolicy() != policy:
            form.setRowWrapPolicy(policy)

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
        _set_direction(self.scores_row, needed <= room)

    @Slot()
    def reload(self) -> None:
        """Read the dashboard again (:func:`esi_desktop.dashboard.load_dashboard`)."""
        self._stale = False
        plan = self.workspace.plan()
        inspection_id = self.workspace.inspection_id
        enabled = plan is not None and inspection_id is not None
        for widget in (self.meeting_date_edit, self.add_meeting_button):
            widget.setEnabled(enabled)
        if plan is None or inspection_id is None:
            self.dashboard = None
            self.heading.setText("No inspection is open")
            self.as_of_label.setText("Choose or import an inspection to see its dashboard.")
            self._show_clock(None)
            self.meetings_model.set_meetings([], None)
            self.approval_label.setText("")
            self._show_counts(None)
            self.due_model.set_items([])
            self._show_due()
            self._show_scores((), any_follow_up=False)
            self._show_ratings(None)
            self._update_buttons()
            return
        board = self.dashboard = load_dashboard(
            inspection_id=inspection_id,
            today=plan.today,
            plan=plan,
            due_soon_days=self.reminder_days(),
        )
        self.heading.setText(board.inspection.label)
        self.as_of_label.setText(f"As of {long_date(board.today)}")
        self._show_clock(board.clock)
        self.meetings_model.set_meetings(board.meetings, board.approval_meeting)
        self.approval_label.setText(board.approval_text)
        self._show_counts(board)
        self.due_model.set_items(board.late_items)
        self._show_due()
        self._show_scores(board.scores, any_follow_up=board.has_follow_up_results)
        self._show_ratings(inspection_id)
        self._update_buttons()

    def _show_clock(self, clock: Clock | None) -> None:
        """Fill the statutory clock; dashes without an inspection."""
        if clock is None:
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
                set_urgency(label, "", None)
            return
        self.published_label.setText(clock.published_text)
        deadlines = (
            (self.response_due_label, self.response_left_label, clock.response_due),
            (
                self.implementation_due_label,
                self.implementation_left_label,
                clock.implementation_due,
            ),
        )
        for value, left, deadline in deadlines:
            if deadline is None or deadline.due is None:
                # the framework fixes no deadline and the Board has not agreed one yet
                value.setText(NOT_SET)
                set_urgency(left, BOARD_AGREES, None)
                continue
            value.setText(long_date(deadline.due))
            set_urgency(left, deadline.left_text, deadline.urgency)
        basis = clock.response_basis  # the reason as typed: only its first letter raised
        self.response_due_label.setToolTip(basis[:1].upper() + basis[1:])
        response_due = clock.response_due.due if clock.response_due is not None else None
        if response_due is not None and basis.startswith("agreed"):
            who = "by the Board" if basis.startswith("agreed by") else "with the Inspectorate"
            self.response_due_label.setText(f"{long_date(response_due)} (agreed {who})")
        self.follow_up_label.setText(clock.follow_up.text)
        set_urgency(self.follow_up_left_label, clock.follow_up.left_text, None)

    def _show_counts(self, board: Dashboard | None) -> None:
        for rag, tile in self.rag_tiles.items():
            tile.set_count(board.rag.actions[rag] if board else 0)
        self.recommendations_label.setText(board.rag.recommendations_text() if board else "")

    def _show_due(self) -> None:
        days = self.dashboard.due_soon_days if self.dashboard else self.reminder_days()
        self.nothing_due_label.setText(
            f"Nothing is overdue or due in the next {plural(days, 'day')}."
        )
        rows = self.due_model.rowCount()
        self.due_view.setHidden(rows == 0)
        self.nothing_due_label.setHidden(rows != 0)

    def _show_scores(self, tables: tuple[ScoreTable, ...], *, any_follow_up: bool) -> None:
        self.no_follow_up_label.setHidden(any_follow_up)
        wanted = [t.framework_id for t in tables]
        if wanted != [m.framework_id for m in self.score_models]:
            self._rebuild_score_tables(len(tables))
        for model, view, table in zip(self.score_models, self.score_views, tables, strict=True):
            model.set_table(table)
            caption = view.property("caption")
            if isinstance(caption, QLabel):
                caption.setText(model.title)
            view.setAccessibleName(f"Scores: {model.title}")
        self._arrange_scores()

    def _show_ratings(self, inspection_id: int | None) -> None:
        """A rated inspection's standards and overall rating instead of percentages."""
        rated_ids = self.ratings_area.show_inspection(inspection_id)
        self.scores_box.setTitle(RATINGS_TITLE if rated_ids else SCORES_TITLE)
        self.scores_box.setAccessibleName(self.scores_box.title())
        if rated_ids:
            self.no_follow_up_label.hide()
        # no percentages to show: a rated framework's score table would be empty
        for model, view in zip(self.score_models, self.score_views, strict=True):
            caption = view.property("caption")
            view.setHidden(model.framework_id in rated_ids)
            if isinstance(caption, QLabel):
                caption.setHidden(model.framework_id in rated_ids)

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
    def _open_item(self, index: QModelIndex) -> None:
        """Show the action or milestone of a row in the plan."""
        if not index.isValid():
            return
        kind = index.data(ItemKindRole)
        item_id = index.data(ItemIdRole)
        if isinstance(kind, str) and isinstance(item_id, int):
            self.workspace.navigate.emit("plan", kind, item_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.scroll_area.viewport():
            self._arrange_top_row()
            self._arrange_scores()
            return False
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if watched is self.due_view and enter:
                self._open_item(self.due_view.currentIndex())
                return True
            if watched is self.meetings_list and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.remove_meeting()
                return True
            if watched is self.meeting_date_edit and enter:
                self.add_meeting()
                return True
        return super().eventFilter(watched, event)


def _set_direction(layout: QBoxLayout, side_by_side: bool) -> None:
    """Lay a row out left to right, or one above the other, unless it is so already."""
    direction = (
        QBoxLayout.Direction.LeftToRight if side_by_side else QBoxLayout.Direction.TopToBottom
    )
    if layout.direction() != direction:
        layout.setDirection(direction)
