"""Inspection ▸ Edit inspection…: the publication date, fieldwork, an agreed deadline, rounds.

Every date is a :class:`ui.date_field.DateField`. Saving is one undoable edit of the
inspection record (:func:`ui.inspection.edits.save_record`); a refusal shows its sentence in
the dialog, which stays open with what was typed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from esi_desktop import follow_up, inspection_record
from esi_desktop.errors import EsiError
from esi_desktop.inspection_record import InspectionRecord
from esi_desktop.inspections import ASSUMED_FIRST
from esi_desktop.wording import long_date
from ui.accessibility import announce
from ui.date_field import DateField
from ui.follow_up.common import error_label, refuse, show_error
from ui.inspection import edits
from ui.workspace import Workspace

#: Where the framework fixes no response deadline (a youth justice inspection).
NO_FIXED_DEADLINE = "No deadline is fixed by the framework: the Board agrees its own date."

BOARD_DATE_LABEL = "&Date the Board agreed to send its response:"


class InspectionEditor(QDialog):
    """The inspection record of the inspection on show, to read and change."""

    def __init__(self, workspace: Workspace, inspection_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.inspection_id = inspection_id
        self.record: InspectionRecord = inspection_record.get_inspection_record(
            inspection_id=inspection_id
        )
        self.setWindowTitle(f"Inspection — {self.record.name}")
        self.setAccessibleName("Inspection record")
        today = workspace.today

        layout = QVBoxLayout(self)
        # room for the sentences under the fields; well inside 1366 × 768
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 86)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)

        self.published = DateField(today=today)
        self.published.setAccessibleName("Publication date")
        self.day_known = QCheckBox("Day of publication &known")
        self.day_known.setAccessibleName("Day of publication known")
        self.assumed = QLabel()
        self.assumed.setAccessibleName("What the publication date is taken as")
        published_row = QHBoxLayout()
        published_row.addWidget(self.published, 1)
        published_row.addWidget(self.day_known, 0, Qt.AlignmentFlag.AlignTop)
        published_label = QLabel("&Published:")
        published_label.setBuddy(self.published)
        form.addRow(published_label, published_row)
        form.addRow("", self.assumed)

        self.fieldwork_start = DateField(allow_empty=True, today=today)
        self.fieldwork_start.setAccessibleName("Fieldwork started")
        self.fieldwork_end = DateField(allow_empty=True, today=today)
        self.fieldwork_end.setAccessibleName("Fieldwork ended")
        fieldwork = QHBoxLayout()
        fieldwork.addWidget(self.fieldwork_start, 1)
        to = QLabel("&to")
        to.setBuddy(self.fieldwork_end)
        fieldwork.addWidget(to, 0, Qt.AlignmentFlag.AlignTop)
        fieldwork.addWidget(self.fieldwork_end, 1)
        fieldwork_label = QLabel("&Fieldwork:")
        fieldwork_label.setBuddy(self.fieldwork_start)
        form.addRow(fieldwork_label, fieldwork)

        self.statutory = QLabel()
        self.statutory.setAccessibleName("The statutory response deadline")
        form.addRow("Response due:", self.statutory)
        self.agreed = QCheckBox("A different deadline was &agreed with the Inspectorate")
        self.agreed.setAccessibleName("A different deadline was agreed with the Inspectorate")
        form.addRow("", self.agreed)
        self.agreed_due = DateField(today=today)
        self.agreed_due.setAccessibleName("Agreed response deadline")
        agreed_label = self.agreed_label = QLabel("Agreed &deadline:")
        agreed_label.setBuddy(self.agreed_due)
        form.addRow(agreed_label, self.agreed_due)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Why the deadline was agreed")
        self.reason.setPlaceholderText("What the Inspectorate agreed, and why (required)")
        reason_label = QLabel("&Reason:")
        reason_label.setBuddy(self.reason)
        form.addRow(reason_label, self.reason)
        layout.addLayout(form)

        layout.addWidget(self._build_rounds())

        self.error = error_label("Why the inspection record was not saved")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.day_known.toggled.connect(self._show_assumed)
        self.published.dateChanged.connect(lambda _day: self._show_assumed())
        self.agreed.toggled.connect(self._show_agreed)
        self._show(self.record)

    def _build_rounds(self) -> QGroupBox:
        box = QGroupBox("Follow-up rounds")
        column = QVBoxLayout(box)
        self.rounds = QListWidget()
        self.rounds.setAccessibleName("Follow-up rounds")
        self.rounds.setMaximumHeight(self.fontMetrics().height() * 5)
        column.addWidget(self.rounds)
        row = QHBoxLayout()
        kind_label = QLabel("&Kind of the next round:")
        self.round_kind = QComboBox()
        self.round_kind.addItems(list(follow_up.ROUND_KINDS))
        self.round_kind.setAccessibleName("Kind of the next round")
        kind_label.setBuddy(self.round_kind)
        self.add_round_button = QPushButton("Add &round")
        self.add_round_button.setAutoDefault(False)
        self.add_round_button.clicked.connect(self.add_round)
        row.addWidget(kind_label)
        row.addWidget(self.round_kind)
        row.addWidget(self.add_round_button)
        row.addStretch(1)
        column.addLayout(row)
        hint = QLabel("Each round's date, status and results are entered in the follow-up view.")
        hint.setWordWrap(True)
        column.addWidget(hint)
        return box

    # ----- showing ------------------------------------------------------------------------

    def _show(self, record: InspectionRecord) -> None:
        self.published.setDate(
            date(record.published_year, record.published_month, record.published_day or 1)
        )
        self.day_known.setChecked(record.published_day is not None)
        self.fieldwork_start.setDate(record.fieldwork_start)
        self.fieldwork_end.setDate(record.fieldwork_end)
        clock = record.clock
        statutory = clock.statutory_response_due or clock.response_due
        self._show_deadline_kind(fixed=clock.response_due_fixed)
        if statutory is None or not clock.response_due_fixed:
            self.statutory.setText(NO_FIXED_DEADLINE)
        else:
            basis = "the statutory deadline" if clock.agreed else clock.response_basis
            self.statutory.setText(f"{long_date(statutory)} ({basis})")
        self.agreed.setChecked(record.agreed_response_due is not None)
        self.agreed_due.setDate(record.agreed_response_due or statutory or self._start_date())
        self.reason.setText(record.agreed_response_reason)
        self._show_assumed()
        self._show_agreed(self.agreed.isChecked())
        self._show_rounds()

    def _show_deadline_kind(self, *, fixed: bool) -> None:
        """Word the deadline fields for a fixed deadline, or for a date the Board agrees."""
        if fixed:
            return  # the words the dialog was built with
        self.statutory.setAccessibleName("No response deadline is fixed")
        self.agreed.setText("The Board has &agreed a date")
        self.agreed.setAccessibleName("The Board has agreed the date it sends its response")
        self.agreed_label.setText(BOARD_DATE_LABEL)
        self.agreed_due.setAccessibleName(BOARD_DATE_LABEL.replace("&", ""))
        self.reason.setAccessibleName("Why the Board chose this date")
        self.reason.setPlaceholderText("The Board meeting that agreed it, or why (optional)")
        # the longer caption and the sentence side by side: widen, well inside 1366 × 768
        metrics = self.fontMetrics()
        needed = metrics.horizontalAdvance(BOARD_DATE_LABEL + " " + NO_FIXED_DEADLINE)
        self.setMinimumWidth(max(self.minimumWidth(), needed + metrics.averageCharWidth() * 8))

    def _start_date(self) -> date:
        """Where the agreed date starts when none is set: today, or publication if later."""
        published = self.published.date()
        today = self.workspace.today()
        return published if published is not None and published > today else today

    def _show_rounds(self) -> None:
        self.rounds.clear()
        for round_ in follow_up.list_rounds(inspection_id=self.inspection_id):
            self.rounds.addItem(round_.label)

    def _show_assumed(self) -> None:
        day = self.published.date()
        if day is None:
            self.assumed.setText("")
        elif self.day_known.isChecked():
            self.assumed.setText(f"Published on {long_date(day)}.")
        else:
            first = day.replace(day=1)
            self.assumed.setText(
                f"Day not known: {ASSUMED_FIRST} — the deadlines count from {long_date(first)}."
            )

    def _show_agreed(self, agreed: bool) -> None:
        self.agreed_due.setEnabled(agreed)
        self.reason.setEnabled(agreed)

    # ----- saving -------------------------------------------------------------------------

    def values(self) -> dict[str, Any] | None:
        """What the dialog would save, or None (with the reason shown) when a date is wrong."""
        fields = [self.published, self.fieldwork_start, self.fieldwork_end]
        if self.agreed.isChecked():
            fields.append(self.agreed_due)
        for field in fields:
            if not field.is_valid():
                show_error(
                    self.error,
                    f"Nothing was saved: correct the {field.accessibleName().lower()} first "
                    f"({field.error()}).",
                )
                announce(self.error, self.error.text(), assertive=True)
                field.setFocus()
                return None
        published = self.published.date()
        assert published is not None  # a required field is valid only with a date
        agreed = self.agreed.isChecked()
        return {
            "published_year": published.year,
            "published_month": published.month,
            "published_day": published.day if self.day_known.isChecked() else None,
            "fieldwork_start": self.fieldwork_start.date(),
            "fieldwork_end": self.fieldwork_end.date(),
            "agreed_response_due": self.agreed_due.date() if agreed else None,
            "agreed_response_reason": self.reason.text().strip() if agreed else "",
        }

    def save(self) -> None:
        """Save the record as one undoable edit and close, or say why it cannot be saved."""
        values = self.values()
        if values is None:
            return
        stored = self.record.values()
        changed = {name: value for name, value in values.items() if stored[name] != value}
        if not changed:
            self.accept()
            return
        try:
            edits.save_record(self.workspace, self.inspection_id, changed, self.record.version)
        except EsiError as exc:
            refuse(self.error, exc, self._fields())
            return
        self.accept()

    def _fields(self) -> dict[str, QWidget]:
        """The fields by the names the inspection record's rules give them."""
        return {
            "published_year": self.published,
            "published_month": self.published,
            "published_day": self.published,
            "fieldwork_start": self.fieldwork_start,
            "fieldwork_end": self.fieldwork_end,
            "agreed_response_due": self.agreed_due,
            "agreed_response_reason": self.reason,
        }

    def add_round(self) -> None:
        """Add the next follow-up round of the chosen kind (undoable)."""
        try:
            edits.add_round(self.workspace, self.inspection_id, self.round_kind.currentText())
        except EsiError as exc:
            show_error(self.error, str(exc))
            return
        # the record's version is unchanged: the round is a row of its own
        self._show_rounds()
