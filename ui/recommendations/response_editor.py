"""The Board's response to one recommendation, typed in and saved as soon as it is valid."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.database import DatabaseOutage
from esi_desktop.errors import EsiError
from esi_desktop.frameworks import get_framework
from esi_desktop.inspections import stored_results
from esi_desktop.plan import PlanView, RecommendationView
from esi_desktop.rules import Rag, ResponseCategory, draft_problems
from esi_desktop.scoring import describe_result
from ui.accessibility import announce
from ui.edits import Edits
from ui.palette import show_errors_in
from ui.recommendations.model import NOT_YET
from ui.workspace import ConflictReloaded, Workspace

#: The box of what a response aims to improve: an ESI report's criteria ...
CRITERIA_TITLE = "Criteria it aims to improve (baseline result)"
#: ... and a rated report's standards.
STANDARDS_TITLE = "Standards it aims to improve (rating at the inspection)"


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

        # who the report addresses it to, beside its text: the report's heading, correctable
        self.addressee = QLineEdit()
        self.addressee.setAccessibleName("Addressed to")
        self.addressee.setToolTip(
            "The person or body the report addresses this recommendation to "
            "(saved when you press Enter or leave the field)."
        )
        self.addressee_model = QStringListModel(self)
        addressee_completer = QCompleter(self.addressee_model, self)
        addressee_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.addressee.setCompleter(addressee_completer)
        self.addressee.editingFinished.connect(self._commit_addressee)
        addressee_label = QLabel("A&ddressed to:")
        addressee_label.setBuddy(self.addressee)
        addressee_row = QHBoxLayout()
        addressee_row.addWidget(addressee_label)
        addressee_row.addWidget(self.addressee, 1)

        self.category = QComboBox()
        self.category.setAccessibleName("Response category")
        self.category.addItem(NOT_YET, None)
        for category in ResponseCategory:
            self.category.addItem(category.value, category.value)
        self.category.activated.connect(self._commit_response)

        self.narrative = CommitTextEdit("How and when")
        self.narrative.setPlaceholderText("How and when the Board will implement it")
        self.part_agreed = CommitTextEdit("Part agreed")
        self.part_agreed.setPlaceholderText("Which part of the recommendation is agreed")
        # no name of its own: it is spoken by its label, whose words change with the category
        self.reason = CommitTextEdit("")
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
        show_errors_in(self.message, bold=True)
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
        criteria_box = self.criteria_box = QGroupBox(CRITERIA_TITLE)
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
        left.addLayout(addressee_row)
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

    def _point_at_fault(self, error: EsiError) -> None:
        """Say a refusal to a screen reader and put the focus in the field at fault."""
        announce(self.message, f"Not saved: {error}", assertive=True)
        fields = {
            "category": self.category,
            "narrative": self.narrative,
            "part_agreed": self.part_agreed,
            "reason": self.reason,
            "lead_owner": self.lead_owner,
        }
        at_fault = fields.get(getattr(error, "field", "") or "")
        if at_fault is not None and at_fault.isVisible():
            at_fault.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_first_field(self) -> None:
        """Put the focus in the response's first field (Enter on a recommendation)."""
        if self.isEnabled():
            self.category.setFocus(Qt.FocusReason.OtherFocusReason)

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
        self.addressee_model.setStringList(
            list(dict.fromkeys(r.addressee for r in plan.recommendations if r.addressee))
        )
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
            self.addressee.setText("")
            for box in (self.narrative, self.part_agreed, self.reason, self.note):
                box.setPlainText("")
            self.criteria.clear()
            return
        framework = get_framework(item.framework_id)
        self.heading.setText(
            f"<b>Recommendation {item.reference}</b> ({framework.short_title})<br>{item.text}"
        )
        self.addressee.setText(item.addressee)
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
        # a youth justice board reads of standards and their ratings, never of criteria
        rated = framework.is_rated
        self.criteria_box.setTitle(STANDARDS_TITLE if rated else CRITERIA_TITLE)
        self.criteria.setAccessibleName(f"Targeted {'standards' if rated else 'criteria'}")
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
        # Not agreed needs its reason, not how and when (words typed earlier stay in sight)
        asks_how = not not_agreed or bool(self.narrative.toPlainText().strip())
        self.form.setRowVisible(self.narrative, asks_how)
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
            self._point_at_fault(exc)
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

    def _commit_addressee(self) -> None:
        """Save a corrected addressee (undoable); a refusal is said and the stored one shown."""
        item = self.recommendation
        if self._loading or item is None:
            return
        typed = " ".join(self.addressee.text().split())
        if typed == item.addressee:
            return
        try:
            self.edits.set_recommendation_addressee(item.id, typed, item.version)
        except EsiError as exc:
            self._show_problem(str(exc))
        else:
            self._show_problem(None)

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
