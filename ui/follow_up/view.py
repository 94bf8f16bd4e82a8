"""The "Scoring summary & follow-up" view: the follow-up inspection, its results and progress.

It shows one follow-up round at a time (the latest unless the person chooses another; a
second round, such as a re-inspection, is added here), the round's planned date and status,
a grid of every criterion's baseline and follow-up result with the change (and, from the
second round, the round before and the change since) and the recommendations and actions
aimed at it (section and overall scores recompute after each result), a chart of the percentage
criteria, and the Board's self-assessment of each recommendation. Every edit goes through
:class:`ui.edits.Edits`; a refused edit shows its sentence next to the field and writes
nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from esi_desktop import follow_up
from esi_desktop.comparison import RowKind
from esi_desktop.errors import EsiError
from esi_desktop.frameworks import Framework, get_framework
from esi_desktop.plan import ConflictError, PlanView
from esi_desktop.rules import FollowUpStatus
from esi_desktop.scoring import FrameworkDeltas, Result
from ui.date_field import DateField
from ui.edits import Edits
from ui.follow_up import rounds
from ui.follow_up.chart import ChartCriterion, ScoreChart
from ui.follow_up.common import error_label, refuse, show_error
from ui.follow_up.editors import FollowUpResultDelegate, SelfAssessmentDelegate
from ui.follow_up.rated import RATINGS_CAPTION, RESULTS_CAPTION, RatedTotals
from ui.follow_up.results import FollowUpResultsModel, ResultColumn, result_rows
from ui.follow_up.self_assessment import (
    SelfAssessmentColumn,
    SelfAssessmentModel,
    SelfAssessmentRow,
)
from ui.inspection.edits import add_round
from ui.workspace import Workspace


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
        #: The follow-up round on show (1, 2 ...).
        self.round = follow_up.FIRST_FOLLOW_UP
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

    def _build_round_bar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        round_label = QLabel("&Round:")
        self.round_choice = QComboBox()
        self.round_choice.setAccessibleName("Follow-up round shown")
        self.round_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        round_label.setBuddy(self.round_choice)
        kind_label = QLabel("&Next round is a:")
        self.new_round_kind = QComboBox()
        self.new_round_kind.addItems(list(follow_up.ROUND_KINDS))
        self.new_round_kind.setCurrentText(follow_up.RE_INSPECTION)
        self.new_round_kind.setAccessibleName("Next round is a: kind of the next follow-up round")
        kind_label.setBuddy(self.new_round_kind)
        self.add_round_button = QPushButton("Add rou&nd")
        self.add_round_button.setToolTip(
            "Add the next follow-up round (for example a re-inspection)."
        )
        row.addWidget(round_label)
        row.addWidget(self.round_choice)
        row.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        row.addWidget(kind_label)
        row.addWidget(self.new_round_kind)
        row.addWidget(self.add_round_button)
        row.addStretch(1)
        self.round_choice.activated.connect(self._round_chosen)
        self.add_round_button.clicked.connect(self._add_round)
        return row

    def _build_follow_up_bar(self) -> QVBoxLayout:
        outer = QVBoxLayout()
        outer.addLayout(self._build_round_bar())
        row = QHBoxLayout()
        title = QLabel("Follow-up inspection")
        bold = title.font()
        bold.setBold(True)
        title.setFont(bold)
        self.date_agreed = QCheckBox("&Date agreed:")
        self.date_agreed.setAccessibleName("Date agreed: the follow-up date is agreed")
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
        self.follow_up_error = error_label("Why the follow-up inspection was not saved")
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
        # a later round's comparison with the round before comes right after the change
        for offset, column in enumerate((ResultColumn.PREVIOUS, ResultColumn.SINCE_PREVIOUS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            header.moveSection(
                header.visualIndex(column), header.visualIndex(ResultColumn.CHANGE) + 1 + offset
            )
        self.results_model.modelReset.connect(self._span_headings)

        self.result_error = error_label("Why the follow-up result was not saved")
        self.results_model.refused.connect(lambda text: show_error(self.result_error, text))
        self.results_model.accepted.connect(lambda: show_error(self.result_error, ""))
        self.results_delegate.refused.connect(lambda text: show_error(self.result_error, text))
        self.results_delegate.cleared.connect(lambda: show_error(self.result_error, ""))

        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        caption = self.results_caption = QLabel(RESULTS_CAPTION)
        caption.setWordWrap(True)
        caption.setBuddy(view)
        view.setAccessibleName(caption.text())  # spoken as it is shown (issue 18)
        box_layout.addWidget(caption)
        box_layout.addWidget(view, 1)
        # a rated inspection's total and overall rating, at the inspection and in the round
        self.rated_totals = RatedTotals(self.workspace)
        self.rated_totals_label = self.rated_totals.label
        box_layout.addWidget(self.rated_totals)
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
        self.self_assessment_error = error_label("Why the self-assessment was not saved")
        self.self_assessment_model.refused.connect(
            lambda text: show_error(self.self_assessment_error, text)
        )
        self.self_assessment_model.accepted.connect(
            lambda: show_error(self.self_assessment_error, "")
        )
        box = QWidget()
        box_layout = QVBoxLayout(box)
        caption = QLabel(
            "How far the Board judges each recommendation has got, before the follow-up. "
            "Double-click or press F2 on a self-assessment to choose."
        )
        caption.setWordWrap(True)
        caption.setBuddy(view)
        view.setAccessibleName(caption.text())  # spoken as it is shown (issue 18)
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
            show_error(self.result_error, "")
            show_error(self.self_assessment_error, "")
            self._shown_inspection = inspection_id
            self.round = follow_up.FIRST_FOLLOW_UP
            if inspection_id is not None:  # the latest round, where the work is
                self.round = follow_up.latest_round(inspection_id=inspection_id).round
        self.setEnabled(inspection_id is not None)
        if inspection_id is None:
            self._follow_up = None
            self.results_model.set_rows([])
            self.self_assessment_model.set_plan(None)
            self.chart.set_criteria([])
            self.rated_totals.show_round(None, self.round)
            return
        plan = self.workspace.plan()
        self._show_rounds(follow_up.list_rounds(inspection_id=inspection_id))
        compared = follow_up.round_comparison(inspection_id=inspection_id, round=self.round)
        self._result_versions = follow_up.result_versions(
            inspection_id=inspection_id, round=self.round
        )
        totals = self.rated_totals.show_round(inspection_id, self.round)
        self.results_model.set_round(self.round, compared.previous_round, rated=bool(totals))
        self.results_caption.setText(RATINGS_CAPTION if totals else RESULTS_CAPTION)
        self.results_view.setAccessibleName(self.results_caption.text())  # heard as shown
        for column in (ResultColumn.PREVIOUS, ResultColumn.SINCE_PREVIOUS):
            self.results_view.setColumnHidden(column, compared.previous_round is None)
        self.results_model.set_rows(
            result_rows(compared.against_baseline, plan, compared.against_previous)
        )
        self.self_assessment_model.set_plan(plan)
        criteria = chart_criteria(compared.against_baseline)
        self.chart.set_criteria(criteria)
        # a rated inspection has no percentages to chart: its grid says it in grades
        self.tabs.setTabVisible(0, bool(criteria) or not totals)
        self._follow_up = follow_up.get_follow_up(inspection_id=inspection_id, round=self.round)
        # a refused date or status stays on screen until something is stored or undone
        show_error(self.follow_up_error, "")
        self._show_follow_up(self._follow_up, plan)

    def _show_rounds(self, shown: list[follow_up.FollowUpView]) -> None:
        """Fill the round chooser; a round no longer there (an undone addition) gives way to
        the latest."""
        if self.round not in [r.round for r in shown]:
            self.round = shown[-1].round
        self.round_choice.blockSignals(True)
        try:
            self.round_choice.clear()
            for item in shown:
                self.round_choice.addItem(item.label, item.round)
            self.round_choice.setCurrentIndex(self.round_choice.findData(self.round))
        finally:
            self.round_choice.blockSignals(False)

    def _round_chosen(self, index: int) -> None:
        chosen = self.round_choice.itemData(index)
        if chosen is not None and chosen != self.round:
            self.round = int(chosen)
            show_error(self.result_error, "")
            self.reload()

    def _add_round(self) -> None:
        """Add the next follow-up round of the chosen kind, and show it."""
        inspection_id = self.workspace.inspection_id
        if inspection_id is None:
            return
        try:
            added = add_round(self.workspace, inspection_id, self.new_round_kind.currentText())
        except EsiError as exc:
            show_error(self.follow_up_error, str(exc))
            return
        self.round = added.round
        self.reload()

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
                show_error(
                    self.follow_up_error,
                    "Nothing was saved: correct the planned date first." if changed else "",
                )
                return
        status = self.status.currentText()
        current = self._follow_up
        if (planned, status) == (current.planned_date, current.status):
            show_error(self.follow_up_error, "")
            return
        inspection_id = self.workspace.inspection_id
        if inspection_id is None:
            return
        try:  # reloads the view
            rounds.set_follow_up(
                self.workspace, inspection_id, self.round, planned, status, current.version
            )
        except EsiError as exc:
            date = self.planned_date if self.planned_date.isEnabled() else self.date_agreed
            refuse(self.follow_up_error, exc, {"status": self.status, "planned_date": date})

    def _store_result(self, framework_id: str, code: str, value: Result | None) -> None:
        inspection_id = self.workspace.inspection_id
        if inspection_id is None:
            return
        version = self._result_versions.get((framework_id, code))
        rounds.set_result(
            self.workspace, inspection_id, self.round, framework_id, code, value, version
        )

    def _store_self_assessment(self, row: SelfAssessmentRow, value: str | None) -> None:
        try:
            self.edits.set_recommendation_fields(
                row.recommendation_id, {"self_assessment": value}, row.version, "Self-assessment"
            )
        except ConflictError:
            # someone changed the recommendation meanwhile: show theirs, so a second try works
            self.workspace.invalidate()
            raise


def chart_criteria(comparisons: Sequence[FrameworkDeltas]) -> list[ChartCriterion]:
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
