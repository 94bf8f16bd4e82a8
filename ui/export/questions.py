"""The dates the export asks for: the Board meeting a progress paper is for, the day the plan
was sent. Each dialog's OK stays off while its date field shows a refusal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.plan import submission
from esi_desktop.wording import date_in_words, long_date
from ui.date_field import DateField


class _DateQuestion(QDialog):
    """A dialog that asks for one date: its date field, and OK only while the date is one."""

    date_edit: DateField
    ok_button: QPushButton

    def _add_date(self, layout: QVBoxLayout, caption: QLabel, field: DateField, name: str) -> None:
        self.date_edit = field
        field.setAccessibleName(name)
        caption.setBuddy(field)
        layout.addWidget(field)

    def _add_buttons(self, layout: QVBoxLayout, ok_text: str) -> None:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        _ok_only_for_a_date(self.ok_button, self.date_edit)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # wide enough for a refusal in two lines
        self.resize(self.fontMetrics().averageCharWidth() * 64, 0)

    def chosen(self) -> date:
        """The date shown (the dialog is only accepted with one)."""
        day = self.date_edit.date()
        assert day is not None, "accepted without a date"
        return day


class MeetingDateDialog(_DateQuestion):
    """Asks for the Board meeting a progress paper is for: one of those entered, or another date.

    The meetings entered are offered in a list (:attr:`meeting_choice`), ``default`` chosen
    (the next one); its last entry, "Another date…", shows a date field for any other day.
    """

    ANOTHER_DATE = "Another date…"

    def __init__(
        self,
        meetings: list[date],
        default: date,
        earliest: date,
        parent: QWidget | None = None,
        *,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Board progress paper")
        self._meetings = sorted(meetings)
        layout = QVBoxLayout(self)
        question = QLabel("&Which Board meeting is the paper for?")
        layout.addWidget(question)
        self.meeting_choice = QComboBox()
        self.meeting_choice.setAccessibleName("Which Board meeting is the paper for?")
        next_one = default_meeting(self._meetings, today())
        for meeting in self._meetings:
            label = date_in_words(meeting)
            self.meeting_choice.addItem(f"{label} (next)" if meeting == next_one else label)
        self.meeting_choice.addItem(self.ANOTHER_DATE)
        self.meeting_choice.setVisible(bool(self._meetings))
        layout.addWidget(self.meeting_choice)
        field = DateField(
            today=today,
            check=lambda day: submission.check_meeting_date(day, published=earliest),
        )
        field.setDate(default)
        self._add_date(layout, question, field, "Board meeting date")
        if self._meetings:
            question.setBuddy(self.meeting_choice)
            hint = QLabel("Choose “Another date…” for a meeting not entered on the Dashboard.")
        else:
            hint = QLabel("No Board meetings are entered yet; any date will do.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self._add_buttons(layout, "Make the paper")
        self.meeting_choice.setCurrentIndex(
            self._meetings.index(default) if default in self._meetings else len(self._meetings)
        )
        self.meeting_choice.currentIndexChanged.connect(self._meeting_chosen)
        self._meeting_chosen(self.meeting_choice.currentIndex())

    @Slot(int)
    def _meeting_chosen(self, index: int) -> None:
        another = index >= len(self._meetings)
        if self.date_edit.isVisibleTo(self) != another:
            self.date_edit.setVisible(another)
            layout = self.layout()
            if layout is not None:
                layout.activate()
            width = self.width()
            self.resize(width, self.heightForWidth(width) if self.hasHeightForWidth() else 0)
        if not another:
            self.date_edit.setDate(self._meetings[index])
        elif self.meeting_choice.hasFocus():
            self.date_edit.line_edit.setFocus()


def _ok_only_for_a_date(button: QPushButton, field: DateField) -> None:
    """Keep a dialog's OK button off while its date field shows a refusal."""
    button.setEnabled(field.is_valid())
    field.dateChanged.connect(lambda _day: button.setEnabled(field.is_valid()))


def default_meeting(meetings: list[date], today: date) -> date:
    """The next Board meeting after today, else today."""
    later = [m for m in meetings if m > today]
    return min(later) if later else today


class MarkSentDialog(_DateQuestion):
    """Confirms marking the plan as sent, with the date it went."""

    def __init__(
        self, *, today: date, earliest: date, previous: date | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark the plan as sent")
        layout = QVBoxLayout(self)
        explanation = (
            "This records every action’s target date and every milestone’s due date as sent "
            "to the Inspectorate. Later changes of date show in Board progress papers as "
            "extension requests for the Board’s decision."
        )
        if previous is not None:
            explanation += (
                f"<br><br>The plan was marked as sent on {long_date(previous)}. Marking it "
                "again records the plan as it is now, and slips are measured from it."
            )
        label = QLabel(explanation)
        label.setWordWrap(True)
        layout.addWidget(label)
        caption = QLabel("&Sent to the Inspectorate on:")
        layout.addWidget(caption)
        field = DateField(
            today=lambda: today,
            check=lambda day: submission.check_sent_on(day, published=earliest, today=today),
        )
        field.setDate(today)
        self._add_date(layout, caption, field, "Date sent")
        self._add_buttons(layout, "Mark as sent")
