"""Dates typed the British way: the reading rules, the one date field, and every date field of
the window driven key by key from one table of typed strings (issue 9).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from db.models import Recommendation
from esi_desktop import follow_up, plan
from esi_desktop.dates import parse_date
from esi_desktop.errors import ValidationError
from esi_desktop.inspections import list_inspections
from esi_desktop.wording import date_in_words, long_date
from ui.dashboard.view import DashboardView
from ui.date_field import ERROR_COLOUR, DateField
from ui.edits import Edits
from ui.export.dialogs import MarkSentDialog, MeetingDateDialog
from ui.follow_up.view import FollowUpView
from ui.plan.columns import PlanColumn
from ui.plan.view import ActionPlanView
from ui.workspace import Workspace

Messages = list[tuple[str, str]]

TODAY = date(2005, 6, 1)  # a Wednesday
PUBLISHED = date(2005, 1, 1)  # the sample report: January 2005
BEFORE_PUBLICATION = "before the report was published"


# ----- reading a typed date ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15/03/2005", date(2005, 3, 15)),
        ("15/3/05", date(2005, 3, 15)),
        ("5/3/2005", date(2005, 3, 5)),
        ("15-03-2005", date(2005, 3, 15)),
        ("15.03.2005", date(2005, 3, 15)),
        ("15 03 2005", date(2005, 3, 15)),
        ("15 / 03 / 2005", date(2005, 3, 15)),
        ("15 Mar 2005", date(2005, 3, 15)),
        ("15 mar 05", date(2005, 3, 15)),
        ("15 March 2005", date(2005, 3, 15)),
        ("15 MARCH 2005", date(2005, 3, 15)),
        ("15-Mar-2005", date(2005, 3, 15)),
        ("15th March 2005", date(2005, 3, 15)),
        ("30 Sept 2005", date(2005, 9, 30)),
        ("2005-03-15", date(2005, 3, 15)),
        ("2005-3-5", date(2005, 3, 5)),
        ("15032005", date(2005, 3, 15)),
        ("150305", date(2005, 3, 15)),
        ("Tuesday 15 March 2005", date(2005, 3, 15)),
        ("Tues 15 March 2005", date(2005, 3, 15)),
        ("Thurs 17 March 2005", date(2005, 3, 17)),
        ("tue, 15 Mar 2005", date(2005, 3, 15)),
        ("  15/03/2005  ", date(2005, 3, 15)),
        ("today", TODAY),
        ("Today", TODAY),
        ("tomorrow", TODAY + timedelta(days=1)),
        ("yesterday", TODAY - timedelta(days=1)),
        ("29/02/2004", date(2004, 2, 29)),  # a leap year
        ("31/12/69", date(2069, 12, 31)),  # two-digit years: 00–69 are 20xx
        ("01/01/70", date(1970, 1, 1)),  # and 70–99 are 19xx
    ],
)
def test_a_typed_date_is_read_day_first(typed: str, expected: date) -> None:
    assert parse_date(typed, today=TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("31/02/2005", "“31/02/2005” is not a date: February 2005 has 28 days."),
        ("29/02/2005", "“29/02/2005” is not a date: February 2005 has 28 days."),
        ("31/04/2005", "“31/04/2005” is not a date: April 2005 has 30 days."),
        ("00/01/2005", "“00/01/2005” is not a date: there is no day 0."),
        ("15/13/2005", "“15/13/2005” is not a date: there is no month 13."),
        ("15/00/2005", "“15/00/2005” is not a date: there is no month 0."),
        (
            "15 Foo 2005",
            "“15 Foo 2005” is not a date: “Foo” is not a month; type its name or number, "
            "such as 15 March 2005 or 15/03/2005.",
        ),
        ("15/03", "“15/03” has no year: type the year too, such as 15/03/2005."),
        ("15 March", "“15 March” has no year: type the year too, such as 15/03/2005."),
        (
            "Monday 15 March 2005",
            "“Monday 15 March 2005” is not a date: 15 March 2005 is a Tuesday, not a Monday.",
        ),
        ("", "Type a date such as 15/03/2005."),
        ("   ", "Type a date such as 15/03/2005."),
        (
            "March 15, 2005",
            "“March 15, 2005” puts the month first: type the day first, such as 15 March 2005.",
        ),
        (
            "15/03/205",
            "“15/03/205” is not a date: the year needs two or four digits, such as 15/03/2005.",
        ),
        (
            "15/03/2505",
            "“15/03/2505” is not a date this program takes: the year must be between 1900 "
            "and 2099.",
        ),
        (
            "1503",
            "“1503” is not a date: type the day, month and year, such as 15/03/2005 or 15032005.",
        ),
        (
            "20050315",
            "“20050315” is not a date: eight digits are read as day, month, year (15032005); "
            "for the year first, type 2005-03-15.",
        ),
        (
            "next week",
            "“next week” is not a date: type the day, month and year, such as 15/03/2005.",
        ),
        (
            "15/03/2005/1",
            "“15/03/2005/1” is not a date: type the day, month and year, such as 15/03/2005.",
        ),
    ],
)
def test_what_is_not_a_whole_date_is_refused_with_a_sentence(typed: str, sentence: str) -> None:
    with pytest.raises(ValidationError) as refused:
        parse_date(typed, today=TODAY)
    assert str(refused.value) == sentence


def test_a_date_in_words_has_its_weekday_and_no_leading_zero() -> None:
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    try:
        assert date_in_words(date(2005, 3, 15)) == "Tuesday 15 March 2005"
        assert date_in_words(date(2005, 6, 1)) == "Wednesday 1 June 2005"
        assert long_date(date(2005, 9, 30)) == "30 September 2005"
    finally:
        QLocale.setDefault(previous)


# ----- the field on its own ------------------------------------------------------------------


@pytest.fixture
def field(qtbot: QtBot) -> DateField:
    widget = DateField(today=lambda: TODAY)
    widget.setAccessibleName("Meeting date")
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    widget.setFocus()
    qtbot.waitUntil(widget.line_edit.hasFocus)
    return widget


def is_red(field: DateField) -> bool:
    return bool(field.hint.property("refused")) and ERROR_COLOUR in field.hint.styleSheet()


def test_the_field_says_what_it_understood_at_every_keystroke(
    field: DateField, qtbot: QtBot
) -> None:
    seen: list[object] = []
    field.dateChanged.connect(seen.append)
    shown: list[tuple[str, bool]] = []
    for key in "15/03/2005":
        qtbot.keyClicks(field.line_edit, key)
        shown.append((field.hint_text(), is_red(field)))
    typing = "type the day, month and year, such as 15/03/2005 or 15032005."
    assert shown[:2] == [
        (f"“1” is not a date: {typing}", True),
        (f"“15” is not a date: {typing}", True),
    ]
    assert shown[4] == ("“15/03” has no year: type the year too, such as 15/03/2005.", True)
    assert shown[-1] == ("Tuesday 15 March 2005", False)
    assert field.date() == date(2005, 3, 15) and field.is_valid()
    assert field.text() == "15/03/2005"  # never rewritten while typing
    # "15/03/20" is already a date (2020); each change of meaning is signalled
    assert seen == [date(2020, 3, 15), None, date(2005, 3, 15)]
    assert field.hint.isVisible() and field.hint.accessibleName() == (
        "Meeting date understood as Tuesday 15 March 2005"
    )
    assert field.line_edit.accessibleName() == "Meeting date"
    assert field.line_edit.accessibleDescription() == "Tuesday 15 March 2005"

    qtbot.keyClick(field.line_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field.line_edit, "31/02/2005")
    assert field.date() is None and not field.is_valid()
    assert field.error() == "“31/02/2005” is not a date: February 2005 has 28 days."
    assert field.hint_text() == field.error() and is_red(field)
    assert field.hint.accessibleName() == f"Meeting date: {field.error()}"
    assert seen[-1] is None


def test_enter_a_pick_and_leaving_finish_the_edit_but_typing_does_not(qtbot: QtBot) -> None:
    form = QWidget()
    layout = QVBoxLayout(form)
    field = DateField(today=lambda: TODAY)
    other = QLineEdit()
    layout.addWidget(field)
    layout.addWidget(other)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    field.setFocus()
    qtbot.waitUntil(field.line_edit.hasFocus)
    with qtbot.assertNotEmitted(field.editingFinished):
        qtbot.keyClicks(field.line_edit, "15/03/2005")
    with qtbot.waitSignal(field.editingFinished):
        qtbot.keyClick(field.line_edit, Qt.Key.Key_Return)
    with qtbot.waitSignal(field.editingFinished):
        qtbot.keyClick(field.line_edit, Qt.Key.Key_Tab)  # one stop: Tab leaves the field
    assert other.hasFocus()
    assert field.date() == date(2005, 3, 15)


def test_set_date_shows_it_british_and_an_optional_field_may_be_empty(qtbot: QtBot) -> None:
    optional = DateField(allow_empty=True, today=lambda: TODAY)
    qtbot.addWidget(optional)
    assert optional.date() is None and optional.is_valid() and optional.hint_text() == "No date"
    optional.setDate(date(2005, 9, 3))
    assert optional.text() == "03/09/2005" and optional.hint_text() == "Saturday 3 September 2005"
    optional.setDate(None)
    assert optional.text() == "" and optional.is_valid()

    required = DateField(today=lambda: TODAY)
    qtbot.addWidget(required)
    assert not required.is_valid() and required.error() == "Type a date such as 15/03/2005."


def test_a_check_refuses_a_real_date_with_its_own_sentence(qtbot: QtBot) -> None:
    def not_before_publication(day: date) -> None:
        if day < PUBLISHED:
            raise ValidationError("The date is before the report was published.")

    widget = DateField(today=lambda: TODAY, check=not_before_publication)
    qtbot.addWidget(widget)
    widget.setText("31/12/2004")
    assert widget.date() is None
    assert widget.error() == "The date is before the report was published."
    widget.setText("01/01/2005")
    assert widget.date() == date(2005, 1, 1)


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
def test_the_calendar_fills_the_field_with_the_day_picked(field: DateField, qtbot: QtBot) -> None:
    field.setText("15/03/2005")
    qtbot.keyClick(field.line_edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = field._popup
    assert popup is not None and popup.isVisible()
    calendar = popup.calendar
    assert calendar.selectedDate().toPython() == date(2005, 3, 15)
    assert calendar.firstDayOfWeek() == Qt.DayOfWeek.Monday
    with qtbot.waitSignal(field.picked) as picked:
        calendar.setSelectedDate(calendar.selectedDate().addDays(7))
        calendar.activated.emit(calendar.selectedDate())
    assert picked.args == [date(2005, 3, 22)]
    assert not popup.isVisible()
    assert field.text() == "22/03/2005" and field.hint_text() == "Tuesday 22 March 2005"

    qtbot.mouseClick(field.calendar_button, Qt.MouseButton.LeftButton)
    assert popup.isVisible()
    qtbot.keyClick(calendar, Qt.Key.Key_Escape)
    assert not popup.isVisible() and field.date() == date(2005, 3, 22)


def test_the_field_is_sized_by_the_font(qtbot: QtBot) -> None:
    small, large = DateField(), DateField()
    for widget in (small, large):
        qtbot.addWidget(widget)
    font = large.font()
    font.setPointSizeF(font.pointSizeF() * 2)  # as at 200% scaling
    large.setFont(font)
    assert large.line_edit.minimumWidth() > 1.8 * small.line_edit.minimumWidth()
    assert large.hint.minimumWidth() > 1.8 * small.hint.minimumWidth()


# ----- every date field of the window, from one table ----------------------------------------


@dataclass(frozen=True)
class Typed:
    """What a person types, and the date that must be saved (None: the field refuses it)."""

    text: str
    saved: date | None
    refusal: str = ""  # the field's red sentence, for a refusal

    def __str__(self) -> str:
        return self.text or "(emptied)"


#: One table for every date field: typed key by key, then Enter.
TABLE = [
    Typed("15/03/2005", date(2005, 3, 15)),
    Typed("15/3/05", date(2005, 3, 15)),
    Typed("16-03-2005", date(2005, 3, 16)),
    Typed("17.03.2005", date(2005, 3, 17)),
    Typed("18 Mar 2005", date(2005, 3, 18)),
    Typed("21 March 2005", date(2005, 3, 21)),
    Typed("22-Mar-2005", date(2005, 3, 22)),
    Typed("2005-03-23", date(2005, 3, 23)),
    Typed("24032005", date(2005, 3, 24)),
    Typed("250305", date(2005, 3, 25)),
    Typed("Monday 4 April 2005", date(2005, 4, 4)),
    Typed("5/4/2005", date(2005, 4, 5)),
    Typed("today", TODAY),
    Typed("Yesterday", TODAY - timedelta(days=1)),
    # a real date before publication: the fields whose use case refuses it say so
    Typed("15/12/2004", date(2004, 12, 15)),
    Typed("31/02/2005", None, "February 2005 has 28 days."),
    Typed("29/02/2005", None, "February 2005 has 28 days."),
    Typed("00/01/2005", None, "there is no day 0."),
    Typed("15/13/2005", None, "there is no month 13."),
    Typed("15 Foo 2005", None, "“Foo” is not a month"),
    Typed("15/03", None, "has no year"),
    Typed("Monday 15 March 2005", None, "15 March 2005 is a Tuesday, not a Monday."),
    Typed("", None, "Type a date such as 15/03/2005."),
]


class Target:
    """One date field of the window: how to reach it, what it saved, what the person sees."""

    #: Whether the use case behind the field refuses a date before publication.
    checks_publication = True
    #: Whether the field itself says so, in red, before Enter.
    refuses_while_typing = False

    def __init__(self, qtbot: QtBot, workspace: Workspace, edits: Edits, messages: Messages):
        self.qtbot = qtbot
        self.workspace = workspace
        self.edits = edits
        self.messages = messages

    @property
    def inspection_id(self) -> int:
        assert self.workspace.inspection_id is not None
        return self.workspace.inspection_id

    def show(self, widget: QWidget, width: int = 1200, height: int = 800) -> None:
        self.qtbot.addWidget(widget)
        widget.resize(width, height)
        widget.show()
        self.qtbot.waitExposed(widget)
        widget.activateWindow()
        self.qtbot.waitUntil(widget.isActiveWindow)

    def open(self) -> DateField:
        """Put the cursor in the field, as a person would; the field has the focus."""
        raise NotImplementedError

    def entered(self, taken: bool) -> None:
        """Wait for what Enter does (``taken``: the field itself accepts the text)."""

    def stored(self) -> date | None:
        """The date the program keeps now."""
        raise NotImplementedError

    def use_case_refusal(self) -> str:
        """The sentence the person sees when the application refused a real date."""
        raise NotImplementedError


class DashboardMeeting(Target):
    checks_publication = False  # a Board may meet before the report is out

    def open(self) -> DateField:
        self.view = DashboardView(self.workspace, self.edits)
        self.show(self.view, 1200, 1000)
        field = self.view.meeting_date_edit
        self.qtbot.mouseClick(field.line_edit, Qt.MouseButton.LeftButton)
        return field

    def stored(self) -> date | None:
        meetings = plan.board_meetings(inspection_id=self.inspection_id)
        shown = self.view.meetings_list.model().rowCount()
        assert shown == len(meetings)
        assert len(meetings) <= 1
        return meetings[0] if meetings else None


class PlanCell(Target):
    """A date cell of the action plan tree: opened with F2, closed by Enter."""

    column = PlanColumn.DATE

    def open(self) -> DateField:
        recommendation = Recommendation.get(Recommendation.reference == "6").id
        self.action_id = self.edits.add_action(
            [recommendation], "Audit risk of harm assessments", "ACO", date(2005, 9, 30)
        )
        self.milestone_id = self.edits.add_milestone(
            self.action_id, "Audit tool agreed", date(2005, 9, 1)
        )
        self.prepare()
        self.view = ActionPlanView(self.workspace, self.edits)
        self.show(self.view, 1280, 720)
        from tests.test_plan_view import row_named

        row = row_named(self.view, self.row_text)
        self.view.tree.setCurrentIndex(row.siblingAtColumn(self.column))
        self.qtbot.keyClick(self.view.tree, Qt.Key.Key_F2)
        assert self.view.tree.state() == QAbstractItemView.State.EditingState
        editor = self.view.tree.indexWidget(self.view.tree.currentIndex())
        assert isinstance(editor, DateField)
        return editor

    row_text = "Audit risk of harm assessments"

    def prepare(self) -> None:
        """Anything the row needs before the view opens."""

    def entered(self, taken: bool) -> None:
        tree = self.view.tree
        if taken:  # written, or refused by the plan's rules: the editor closes either way
            self.qtbot.waitUntil(lambda: tree.state() != QAbstractItemView.State.EditingState)
        else:
            # refused by the field: the editor stays open on the text; Escape leaves it
            assert tree.state() == QAbstractItemView.State.EditingState

    def view_of(self) -> plan.PlanView:
        return plan.load_plan(inspection_id=self.inspection_id, today=TODAY)

    def stored(self) -> date | None:
        return self.view_of().actions[self.action_id].target_date

    def use_case_refusal(self) -> str:
        self.qtbot.waitUntil(lambda: len(self.messages) == 1)
        return self.messages[0][1]


class ActionTargetDate(PlanCell):
    pass


class MilestoneDueDate(PlanCell):
    row_text = "Audit tool agreed"

    def stored(self) -> date | None:
        (milestone,) = self.view_of().actions[self.action_id].milestones
        return milestone.due_date


class MilestoneCompletionDate(PlanCell):
    row_text = "Audit tool agreed"
    column = PlanColumn.COMPLETED

    def prepare(self) -> None:
        done = {"status": "Complete", "completed_on": date(2005, 5, 2)}
        self.edits.update_milestone(self.milestone_id, done, None, "Complete milestone")

    def stored(self) -> date | None:
        (milestone,) = self.view_of().actions[self.action_id].milestones
        return milestone.completed_on


class FollowUpPlannedDate(Target):
    def open(self) -> DateField:
        self.view = FollowUpView(self.workspace, self.edits)
        self.show(self.view, 1180, 760)
        # ticking "Date agreed" puts the cursor in the date, ready to type over
        self.qtbot.mouseClick(self.view.date_agreed, Qt.MouseButton.LeftButton)
        return self.view.planned_date

    def stored(self) -> date | None:
        return follow_up.get_follow_up(inspection_id=self.inspection_id).planned_date

    def use_case_refusal(self) -> str:
        assert self.view.follow_up_error.isVisible()
        return self.view.follow_up_error.text()


class DialogDate(Target):
    """A dialog asking for a date: Enter presses its OK button, if the date can be taken."""

    refuses_while_typing = True  # the dialog checks the date before OK is allowed

    dialog: MeetingDateDialog | MarkSentDialog

    def open(self) -> DateField:
        self.dialog = self.make()
        self.show(self.dialog, *self.size())
        self.qtbot.mouseClick(self.dialog.date_edit.line_edit, Qt.MouseButton.LeftButton)
        return self.dialog.date_edit

    def size(self) -> tuple[int, int]:
        hint = self.dialog.sizeHint()
        return hint.width(), hint.height()

    def make(self) -> MeetingDateDialog | MarkSentDialog:
        raise NotImplementedError

    def entered(self, taken: bool) -> None:
        if not taken:
            assert self.dialog.isVisible() and not self.dialog.ok_button.isEnabled()

    def stored(self) -> date | None:
        if self.dialog.result() != QDialog.DialogCode.Accepted:
            return None
        return self.dialog.chosen()

    def use_case_refusal(self) -> str:
        field = self.dialog.date_edit
        assert field.hint.isVisible() and is_red(field)
        return field.hint_text()


class ProgressPaperMeeting(DialogDate):
    def make(self) -> MeetingDateDialog:
        return MeetingDateDialog([], date(2005, 7, 21), PUBLISHED, today=self.workspace.today)


class MarkSentOn(DialogDate):
    def make(self) -> MarkSentDialog:
        return MarkSentDialog(today=TODAY, earliest=PUBLISHED, previous=None)


TARGETS: dict[str, type[Target]] = {
    "dashboard meeting": DashboardMeeting,
    "action target": ActionTargetDate,
    "milestone due": MilestoneDueDate,
    "milestone completed": MilestoneCompletionDate,
    "follow-up planned": FollowUpPlannedDate,
    "progress paper meeting": ProgressPaperMeeting,
    "mark as sent": MarkSentOn,
}


@pytest.fixture
def workspace(qtbot: QtBot, sample_db: peewee.Database) -> Workspace:
    space = Workspace(today=lambda: TODAY)
    space.set_inspection(list_inspections()[0].id)
    return space


def type_and_enter(qtbot: QtBot, field: DateField, text: str) -> None:
    """Select what the field holds and type over it key by key, as a person does."""
    line = field.line_edit
    assert QApplication.focusWidget() is line, "the cursor is not in the date field"
    qtbot.keyClick(line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text:
        qtbot.keyClicks(line, text)
    else:
        qtbot.keyClick(line, Qt.Key.Key_Delete)
    assert field.text() == text  # the field never rewrites what is typed


# the date cell's words show in a tool-tip window, which the offscreen platform cannot raise
@pytest.mark.qt_log_ignore("does not support raise")
@pytest.mark.parametrize("typed", TABLE, ids=str)
@pytest.mark.parametrize("where", list(TARGETS))
def test_every_date_field_saves_the_date_typed_or_nothing(
    where: str, typed: Typed, qtbot: QtBot, workspace: Workspace, messages: Messages
) -> None:
    target = TARGETS[where](qtbot, workspace, Edits(workspace), messages)
    field = target.open()
    before = target.stored()

    type_and_enter(qtbot, field, typed.text)
    refused_by_use_case = (
        typed.saved is not None and typed.saved < PUBLISHED and target.checks_publication
    )
    taken = typed.saved is not None and not (refused_by_use_case and target.refuses_while_typing)
    # while typing, the field says what it understood (a cell says it under the cell)
    assert field.hint.isVisible()
    if taken:
        assert typed.saved is not None
        assert field.hint_text() == date_in_words(typed.saved)
        assert not is_red(field)
    qtbot.keyClick(field.line_edit, Qt.Key.Key_Return)
    target.entered(taken)

    if typed.saved is None:
        # refused by the field: nothing saved, the red sentence in view
        assert target.stored() == before
        assert field.isVisible() and field.hint.isVisible() and is_red(field)
        assert typed.refusal in field.hint_text()
        assert field.text() == typed.text
        assert messages == []
    elif refused_by_use_case:
        assert target.stored() == before
        assert BEFORE_PUBLICATION in target.use_case_refusal()
    else:
        assert target.stored() == typed.saved
        assert messages == []


# ----- how the field looks -------------------------------------------------------------------


@pytest.fixture
def scaled_font(request: pytest.FixtureRequest) -> Iterator[int]:
    """The application's font times a scale, as text grows at 200% scaling."""
    scale: int = request.param
    before = QApplication.font()
    font = QFont(before)
    font.setPointSizeF(before.pointSizeF() * scale)
    QApplication.setFont(font)
    yield scale
    QApplication.setFont(before)


@pytest.mark.parametrize("scaled_font", [1, 2], indirect=True)
def test_the_dashboard_field_reads_well_when_right_and_when_wrong(
    qtbot: QtBot, workspace: Workspace, messages: Messages, tmp_path: Path, scaled_font: int
) -> None:
    view = DashboardView(workspace, Edits(workspace))
    qtbot.addWidget(view)
    view.resize(1366 * scaled_font, 768 * scaled_font)
    view.show()
    qtbot.waitExposed(view)
    field = view.meeting_date_edit
    box = field.parentWidget()
    assert box is not None
    metrics = field.line_edit.fontMetrics()
    for name, text in (("valid", "15/03/2005"), ("invalid", "31/02/2005")):
        field.setText(text)
        # the words are whole: the field makes room for them under the date
        qtbot.waitUntil(
            lambda: (
                field.hint.height() >= field.hint.heightForWidth(field.hint.width())
                and field.hint.geometry().bottom() < field.height()
            )
        )
        image = box.grab().toImage()
        assert image.save(str(tmp_path / f"dashboard-date-{name}-{scaled_font}x.png"))
        # the typed date is whole, and the refusal takes two lines at most
        assert field.line_edit.width() >= metrics.horizontalAdvance("30/09/2005")
        assert field.hint.height() <= 3 * metrics.height()
        assert field.hint.isVisible()
    assert field.hint_text() == "“31/02/2005” is not a date: February 2005 has 28 days."
