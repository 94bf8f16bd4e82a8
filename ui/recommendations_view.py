"""Recommendations & responses: the recommendations table above the Board's response editor."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFocusEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.database import DatabaseOutage
from esi_desktop.errors import EsiError
from esi_desktop.frameworks import get_framework
from esi_desktop.inspections import describe_result, stored_results
from esi_desktop.plan import PlanView, RecommendationView
from esi_desktop.rules import Rag, ResponseCategory, draft_problems
from esi_desktop.scoring import percent_text
from ui.edits import Edits
from ui.models import RAG_COLOURS, ColumnTableModel
from ui.workspace import ConflictReloaded, Workspace

Index = QModelIndex | QPersistentModelIndex

#: The recommendation id of a row.
RecommendationIdRole = Qt.ItemDataRole.UserRole + 1
#: What a column sorts by (the printed order for references, numbers for progress).
SortRole = Qt.ItemDataRole.UserRole + 2

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


_HEADERS = {
    RecommendationColumn.REF: "Ref",
    RecommendationColumn.TEXT: "Recommendation",
    RecommendationColumn.CRITERIA: "Criteria",
    RecommendationColumn.RESPONSE: "Response",
    RecommendationColumn.LEAD_OWNER: "Lead owner",
    RecommendationColumn.PROGRESS: "Progress",
    RecommendationColumn.RAG: "RAG",
}


class RecommendationTableModel(ColumnTableModel):
    """One row per recommendation, read from the workspace's plan."""

    COLUMNS = RecommendationColumn
    HEADERS = _HEADERS

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[RecommendationView] = []

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

    def recommendation_at(self, row: int) -> RecommendationView:
        """The recommendation of a source row."""
        return self._rows[row]

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
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(item, column)
        if role == RecommendationIdRole:
            return item.id
        if role == SortRole:
            if column is RecommendationColumn.REF:
                return item.position
            if column is RecommendationColumn.PROGRESS:
                return float(item.progress)
            return self._display(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is RecommendationColumn.TEXT:
                return item.text
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
                return QBrush(QColor("white" if item.rag is not Rag.AMBER else "black"))
            if column is RecommendationColumn.RESPONSE and not item.category:
                return QBrush(QColor("#a94442"))
        if (
            role == Qt.ItemDataRole.FontRole
            and column is RecommendationColumn.RAG
            and item.rag_override
        ):
            font = QFont()
            font.setItalic(True)
            return font
        return None


def _response_values(item: RecommendationView | None) -> dict[str, str | None]:
    """A recommendation's stored response (complete or draft) as the editor's fields."""
    stored = item.stored_response if item is not None else None
    return {
        "category": stored.category if stored else None,
        "narrative": stored.narrative if stored else "",
        "part_agreed": stored.part_agreed if stored else "",
        "reason": stored.reason if stored else "",
        "lead_owner": stored.lead_owner if stored else "",
    }


def _normalised(values: dict[str, str | None]) -> dict[str, str | None]:
    """Typed values as :func:`esi_desktop.plan.save_response` would store them."""
    return {
        "category": values["category"] or None,
        "narrative": (values["narrative"] or "").strip(),
        "part_agreed": (values["part_agreed"] or "").strip(),
        "reason": (values["reason"] or "").strip(),
        "lead_owner": " ".join((values["lead_owner"] or "").split()),
    }


class CommitTextEdit(QPlainTextEdit):
    """A text box that reports its text when the user leaves it (Tab moves on)."""

    committed = Signal()

    def __init__(self, accessible_name: str) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self.setAccessibleName(accessible_name)
        lines = self.fontMetrics().lineSpacing()
        self.setMinimumHeight(lines * 3)
        self.setMaximumHeight(lines * 7)
        self._at_focus = ""

    def focusInEvent(self, event: QFocusEvent) -> None:
        self._at_focus = self.toPlainText()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self.toPlainText() != self._at_focus:
            self._at_focus = self.toPlainText()
            self.committed.emit()


class ResponseEditor(QWidget):
    """The Board's response to one recommendation, saved as soon as it is valid."""

    def __init__(self, workspace: Workspace, edits: Edits) -> None:
        super().__init__()
        self.workspace = workspace
        self.edits = edits
        self.recommendation: RecommendationView | None = None
        self._loading = False
        self._pending = False
        self._error: str | None = None  # a refusal shown until the next edit
        self._loaded: dict[str, str | None] = {}  # the response as last filled in

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heading.setAccessibleName("Recommendation text")
        self.heading.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        self.category = QComboBox()
        self.category.setAccessibleName("Response category")
        self.category.addItem(NOT_YET, None)
        for category in ResponseCategory:
            self.category.addItem(category.value, category.value)
        self.category.activated.connect(self._commit_response)

        self.narrative = CommitTextEdit("Response narrative")
        self.narrative.setPlaceholderText("How and when the Board will implement it")
        self.part_agreed = CommitTextEdit("Part agreed")
        self.part_agreed.setPlaceholderText("Which part of the recommendation is agreed")
        self.reason = CommitTextEdit("Reason")
        self.reason.setPlaceholderText("Why the rest is not agreed")
        self.lead_owner = QLineEdit()
        self.lead_owner.setAccessibleName("Lead owner")
        self.lead_owner.setPlaceholderText("e.g. ACO Operations")
        self.owner_model = QStringListModel(self)
        self.owner_completer = QCompleter(self.owner_model, self)
        self.owner_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.lead_owner.setCompleter(self.owner_completer)
        for box in (self.narrative, self.part_agreed, self.reason):
            box.committed.connect(self._commit_response)
            # what is still missing is told as the person types, not only when they leave
            box.textChanged.connect(self._show_missing)
        self.lead_owner.editingFinished.connect(self._commit_response)
        self.lead_owner.textChanged.connect(self._show_missing)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a94442; font-weight: bold")
        self.message.setAccessibleName("Response problem")
        self.message.hide()

        response_box = QGroupBox("The Board's response")
        self.form = QFormLayout(response_box)
        self.form.addRow("Category:", self.category)
        self.part_label = QLabel("Part agreed:")
        self.form.addRow(self.part_label, self.part_agreed)
        self.reason_label = QLabel("Why not the rest:")
        # the label's text changes with the category: keep room for the longest one
        self.reason_label.setMinimumWidth(self.reason_label.sizeHint().width())
        self.form.addRow(self.reason_label, self.reason)
        self.form.addRow("How and when:", self.narrative)
        self.form.addRow("Lead owner:", self.lead_owner)

        self.criteria = QListWidget()
        self.criteria.setAccessibleName("Targeted criteria")
        self.criteria.setWordWrap(True)
        self.criteria.itemChanged.connect(self._criteria_changed)
        criteria_box = QGroupBox("Criteria it aims to improve (baseline result)")
        QVBoxLayout(criteria_box).addWidget(self.criteria)

        self.rag_override = QComboBox()
        self.rag_override.setAccessibleName("RAG override")
        self.rag_override.addItem("No override (derived)", None)
        for rag in Rag:
            self.rag_override.addItem(rag.value, rag.value)
        self.rag_override.activated.connect(self._commit_override)
        self.rag_reason = QLineEdit()
        self.rag_reason.setAccessibleName("Reason for the RAG override")
        self.rag_reason.setPlaceholderText("Needed for an override")
        self.rag_reason.editingFinished.connect(self._commit_override)
        self.note = CommitTextEdit("Internal note")
        self.note.setPlaceholderText("For the Board office only; never sent to the Inspectorate")
        self.note.committed.connect(self._commit_note)
        tracking_box = QGroupBox("Tracking")
        tracking = QFormLayout(tracking_box)
        tracking.addRow("RAG override:", self.rag_override)
        tracking.addRow("Reason:", self.rag_reason)
        tracking.addRow("Internal note:", self.note)

        # the response on the left, the criteria beside it: the table above keeps the full width
        left = QVBoxLayout()
        left.addWidget(self.heading)
        left.addWidget(self.message)
        left.addWidget(response_box)
        left.addWidget(tracking_box)
        left.addStretch()
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(criteria_box, 2)
        self.category.currentIndexChanged.connect(self._show_category_fields)
        self.category.currentIndexChanged.connect(self._show_missing)
        self.setEnabled(False)

    # ----- showing ----------------------------------------------------------------------------

    def show_recommendation(
        self, recommendation: RecommendationView | None, plan: PlanView
    ) -> None:
        """Fill the editor; keeps what the user typed if a save is still pending for it."""
        same = (
            self.recommendation is not None
            and recommendation is not None
            and recommendation.id == self.recommendation.id
        )
        self.owner_model.setStringList(plan.owners)
        typing = same and self._typed() != self._loaded
        if same and (self._pending or typing) and self._typed() != _response_values(recommendation):
            # a refresh (another secretary's change, a reconnection) while this one is being
            # typed or could not be saved: what is on screen stays; its save will tell if
            # someone else changed this very response meanwhile
            self.recommendation = recommendation
            return
        self.recommendation = recommendation
        self._pending = False
        self._error = None
        self.setEnabled(recommendation is not None)
        self._loading = True
        try:
            self._fill(recommendation)
        finally:
            self._loading = False
        self._loaded = self._typed()
        self._show_problem(None)

    def clear(self) -> None:
        """Show nothing (no inspection on show)."""
        self.recommendation = None
        self._pending = False
        self._error = None
        self.message.hide()
        self.setEnabled(False)
        self._loading = True
        try:
            self._fill(None)
        finally:
            self._loading = False

    def _fill(self, item: RecommendationView | None) -> None:
        if item is None:
            self.heading.setText("Choose a recommendation on the left.")
            for box in (self.narrative, self.part_agreed, self.reason, self.note):
                box.setPlainText("")
            self.criteria.clear()
            return
        framework = get_framework(item.framework_id)
        self.heading.setText(
            f"<b>Recommendation {item.reference}</b> ({framework.short_title})<br>{item.text}"
        )
        response = item.stored_response  # the Board's response, or the draft of it
        category = response.category if response else None
        self.category.setCurrentIndex(max(0, self.category.findData(category)))
        self.narrative.setPlainText(response.narrative if response else "")
        self.part_agreed.setPlainText(response.part_agreed if response else "")
        self.reason.setPlainText(response.reason if response else "")
        self.lead_owner.setText(response.lead_owner if response else "")
        self.rag_override.setCurrentIndex(
            max(
                0,
                self.rag_override.findData(item.rag_override.value if item.rag_override else None),
            )
        )
        self.rag_reason.setText(item.rag_override_reason)
        self.note.setPlainText(item.internal_note)
        self._show_category_fields()
        self._show_missing()
        self._fill_criteria(item)

    def _fill_criteria(self, item: RecommendationView) -> None:
        framework = get_framework(item.framework_id)
        inspection_id = self.workspace.inspection_id or 0
        self.criteria.clear()
        try:
            baseline = stored_results(inspection_id=inspection_id).get(framework.id, {})
        except DatabaseOutage:  # the window says so once; the list fills in when it is back
            return
        chosen = {code for fw, code in item.criteria if fw == framework.id}
        for criterion in framework.criteria:
            result = describe_result(baseline.get(criterion.code))
            entry = QListWidgetItem(f"{criterion.code}  {criterion.title} — {result}")
            entry.setData(Qt.ItemDataRole.UserRole, criterion.code)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(
                Qt.CheckState.Checked if criterion.code in chosen else Qt.CheckState.Unchecked
            )
            self.criteria.addItem(entry)

    def _show_category_fields(self) -> None:
        category = self.category.currentData()
        partly = category == ResponseCategory.PARTLY_AGREED
        not_agreed = category == ResponseCategory.NOT_AGREED
        self.part_label.setVisible(partly)
        self.part_agreed.setVisible(partly)
        self.reason_label.setVisible(partly or not_agreed)
        self.reason.setVisible(partly or not_agreed)
        self.reason_label.setText("Why not the rest:" if partly else "Reason:")
        self.reason.setPlaceholderText(
            "Why the rest is not agreed" if partly else "Why the Board does not agree"
        )

    def _typed(self) -> dict[str, str | None]:
        """The response as it stands on screen."""
        return {
            "category": self.category.currentData(),
            "narrative": self.narrative.toPlainText(),
            "part_agreed": self.part_agreed.toPlainText(),
            "reason": self.reason.toPlainText(),
            "lead_owner": self.lead_owner.text(),
        }

    def _show_missing(self) -> None:
        """Tell, as the person types, what keeps the response a draft."""
        if self._loading or self.recommendation is None:
            return
        self._error = None
        self._show_problem(None)

    def _show_problem(self, message: str | None) -> None:
        """Show a refusal (a conflict, a lost connection), else what is still missing."""
        if message:
            self._error = message
        text = message or self._error
        if not text and self.recommendation is not None:
            typed = self._typed()
            problems = draft_problems(
                typed["category"],
                typed["narrative"] or "",
                typed["part_agreed"] or "",
                typed["reason"] or "",
                typed["lead_owner"] or "",
            )
            if problems:
                text = "Kept as a draft, not yet the Board's response. " + " ".join(
                    p.message for p in problems
                )
        self.message.setText(text or "")
        self.message.setVisible(bool(text))

    # ----- saving -----------------------------------------------------------------------------

    @property
    def pending(self) -> bool:
        """True while what is on screen could not be saved (the sentence says why)."""
        return self._pending

    def commit(self) -> None:
        """Save what is on screen now (before another recommendation is shown)."""
        if self.recommendation is not None and not self._loading:
            self._commit_response()

    def _commit_response(self) -> None:
        """Save the response as typed: the Board's response when complete, else a draft."""
        item = self.recommendation
        if self._loading or item is None:
            return
        values = self._typed()
        # as the response would be stored: spaces around the text, or doubled in the owner's
        # name, change nothing and make no step to undo
        if _normalised(values) == _response_values(item):
            self._pending = False
            self._show_problem(None)
            return
        try:
            self.edits.save_response(item.id, values, item.response_version)
        except ConflictReloaded as exc:
            # the person chose to see the other secretary's response: show it, not theirs
            self._pending = False
            plan = self.workspace.plan()
            if plan is not None:
                self.recommendation = None
                self.show_recommendation(plan.recommendation(item.id), plan)
            self._show_problem(str(exc))
            return
        except EsiError as exc:
            # refused (a conflict, a lost connection): keep the typed text on screen
            self._pending = True
            self._show_problem(str(exc))
            return
        self._pending = False
        self._error = None
        self._show_problem(None)

    def _commit_override(self) -> None:
        item = self.recommendation
        if self._loading or item is None:
            return
        override = self.rag_override.currentData()
        reason = self.rag_reason.text()
        current = item.rag_override.value if item.rag_override else None
        if override == current and reason.strip() == item.rag_override_reason:
            return
        if override is not None and not reason.strip():
            self._show_problem(
                f"A RAG override needs a written reason; type why the status should be {override}."
            )
            self.rag_reason.setFocus()
            return
        self._apply({"rag_override": override, "rag_override_reason": reason}, "Override RAG")

    def _commit_note(self) -> None:
        if not self._loading and self.recommendation is not None:
            self._apply({"internal_note": self.note.toPlainText()}, "Edit internal note")

    def _apply(self, changes: dict[str, object], text: str) -> None:
        item = self.recommendation
        if item is None:
            return
        try:
            self.edits.set_recommendation_fields(item.id, changes, item.version, text)
        except EsiError as exc:
            self._show_problem(str(exc))
        else:
            self._show_problem(None)

    def _criteria_changed(self, _entry: QListWidgetItem) -> None:
        item = self.recommendation
        if self._loading or item is None:
            return
        chosen = [
            (item.framework_id, str(self.criteria.item(row).data(Qt.ItemDataRole.UserRole)))
            for row in range(self.criteria.count())
            if self.criteria.item(row).checkState() == Qt.CheckState.Checked
        ]
        try:
            self.edits.set_recommendation_criteria(item.id, chosen, item.version)
        except EsiError as exc:
            self._show_problem(str(exc))


class RecommendationsView(QWidget):
    """The recommendations table beside the response editor."""

    def __init__(self, workspace: Workspace, edits: Edits) -> None:
        super().__init__()
        self.workspace = workspace
        self.model = RecommendationTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setAccessibleName("Recommendations")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(RecommendationColumn.REF, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(RecommendationColumn.TEXT, QHeaderView.ResizeMode.Stretch)
        # widths in characters, so the table reads the same at any scaling
        em = self.fontMetrics().averageCharWidth()
        for column, chars in (
            (RecommendationColumn.REF, 6),
            (RecommendationColumn.CRITERIA, 11),
            (RecommendationColumn.RESPONSE, 15),
            (RecommendationColumn.LEAD_OWNER, 14),
            (RecommendationColumn.PROGRESS, 11),
            (RecommendationColumn.RAG, 10),
        ):
            header.resizeSection(column, chars * em + 12)
        self.table.selectionModel().selectionChanged.connect(self._selected)

        self.editor = ResponseEditor(workspace, edits)
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setWidget(self.editor)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(scroller)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([260, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        workspace.changed.connect(self.reload)

    def models(self) -> list[QAbstractTableModel | QSortFilterProxyModel]:
        """The item models, for tests."""
        return [self.model, self.proxy]

    def current_id(self) -> int | None:
        """The id of the selected recommendation."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return int(rows[0].data(RecommendationIdRole))

    def reload(self) -> None:
        """Show the plan again, keeping the selection."""
        current = self.current_id()
        plan = self.workspace.plan()
        self.table.selectionModel().blockSignals(True)
        self.model.set_plan(plan)
        self.table.selectionModel().blockSignals(False)
        # after the event that caused the reload: a click that saved the response being left
        # must select the row that was under the mouse, not the one moved there by the reflow
        QTimer.singleShot(0, self.table.resizeRowsToContents)
        if plan is None:
            self.editor.clear()
            return
        if current is None and plan.recommendations:
            current = plan.recommendations[0].id
        if current is not None:
            self.select_recommendation(current)

    def select_recommendation(self, recommendation_id: int) -> None:
        """Select a recommendation and show its response."""
        if self._select_row_quietly(recommendation_id):
            self._show(recommendation_id)

    def _select_row_quietly(self, recommendation_id: int) -> bool:
        """Select a recommendation's row without showing it; False if it is not listed."""
        row = self.model.row_of(recommendation_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().blockSignals(True)
        self.table.selectRow(index.row())
        self.table.selectionModel().blockSignals(False)
        self.table.scrollTo(index)
        return True

    def _selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        # what was typed for the recommendation being left is kept (as a draft if incomplete)
        leaving = self.editor.recommendation
        self.editor.commit()
        if self.editor.pending and leaving is not None:
            # it could not be saved (the sentence says why): stay on it rather than lose it
            self._select_row_quietly(leaving.id)
            return
        current = self.current_id()
        if current is not None:
            self._show(current)

    def commit(self) -> None:
        """Keep what is typed in the response editor (the window is closing or moving on)."""
        self.editor.commit()

    def _show(self, recommendation_id: int) -> None:
        plan = self.workspace.plan()
        if plan is None:
            return
        self.editor.show_recommendation(plan.recommendation(recommendation_id), plan)
