"""The dashboard, driven as a person would: typing dates, clicking, reading what is on screen."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import peewee
import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QBrush, QColor, QImage
from PySide6.QtWidgets import QAbstractItemView, QWidget
from pytestqt.qtbot import QtBot

from esi_desktop import follow_up
from esi_desktop.inspections import list_inspections
from esi_desktop.plan import board_meetings
from esi_desktop.rules import Rag
from ui.dashboard.models import (
    APPROVAL_TEXT,
    ApprovalMeetingRole,
    ChangePointsRole,
    DueColumn,
    ScoreColumn,
)
from ui.dashboard.view import DashboardView
from ui.dashboard.widgets import FittedTable
from ui.date_field import DateField
from ui.edits import Edits
from ui.models import RAG_COLOURS
from ui.workspace import Workspace

Messages = list[tuple[str, str]]

TODAY = date(2005, 3, 20)


@pytest.fixture
def today() -> list[date]:
    """The workspace's "today", which a test may move on."""
    return [TODAY]


@pytest.fixture
def workspace(sample_db: peewee.Database, today: list[date]) -> Workspace:
    space = Workspace(today=lambda: today[0])
    space.set_inspection(list_inspections()[0].id)
    return space


@pytest.fixture
def edits(workspace: Workspace) -> Edits:
    return Edits(workspace)


@pytest.fixture
def view(qtbot: QtBot, workspace: Workspace, edits: Edits, messages: Messages) -> DashboardView:
    from ui.app import make_application

    make_application()  # the program's rules for every widget (ui.accessibility), as it runs
    dashboard = DashboardView(workspace, edits)
    qtbot.addWidget(dashboard)
    dashboard.resize(1200, 1100)
    dashboard.show()
    qtbot.waitExposed(dashboard)
    return dashboard


def cells(model: QAbstractItemModel, role: int = Qt.ItemDataRole.DisplayRole) -> list[list[Any]]:
    """Every cell of a table model as the person reads it."""
    return [
        [model.data(model.index(row, column), role) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def meeting_texts(view: DashboardView) -> list[str]:
    model = view.meetings_list.model()
    return [str(model.data(model.index(row, 0))) for row in range(model.rowCount())]


def type_date(qtbot: QtBot, field: DateField, text: str) -> None:
    """Type a date over the one shown, as a person does after tabbing into the field."""
    field.select_all()
    qtbot.keyClicks(field, text)
    day = field.date()
    assert day is not None and f"{day:%d/%m/%Y}" == text


def laid_out(qtbot: QtBot, view: DashboardView) -> None:
    """Wait until the page has laid itself out, as it has before a person can see it."""
    tables = view.findChildren(FittedTable)
    qtbot.waitUntil(
        lambda: all(t.isHidden() or t.height() == t.sizeHint().height() for t in tables),
        timeout=2000,
    )


def render(widget: QWidget, path: Path) -> QImage:
    """Render a widget to a PNG and return the image."""
    image = widget.grab().toImage()
    assert image.save(str(path))
    return image


def distinct_colours(image: QImage) -> set[int]:
    step = max(1, image.width() // 120)
    return {
        image.pixel(x, y)
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    }


def click_row(qtbot: QtBot, view: QAbstractItemView, row: int, double: bool = False) -> None:
    """Click a row; a double-click is a click then the second press, as the system sends it."""
    rect = view.visualRect(view.model().index(row, 0))
    # the page lays itself out after a reload, as it does before a person can see it
    qtbot.waitUntil(lambda: view.viewport().rect().contains(rect.center()), timeout=2000)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    if double:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_the_clock_counts_down_to_the_statutory_deadlines(
    view: DashboardView, workspace: Workspace, edits: Edits, today: list[date]
) -> None:
    assert view.heading.text() == "Gloucestershire — January 2005"
    assert view.as_of_label.text() == "As of 20 March 2005"
    assert view.published_label.text() == "January 2005 (day not known: assumed 1st)"
    # the date is heard (its text is not replaced by a name); the caption describes it
    assert view.response_due_label.accessibleName() == ""
    assert view.response_due_label.accessibleDescription() == "Response and action plan due"
    assert view.response_due_label.text() == "1 April 2005"
    assert view.response_left_label.text() == "12 days left"
    assert view.response_left_label.property("urgency") == "Amber"
    assert RAG_COLOURS[Rag.AMBER] in view.response_left_label.styleSheet()
    assert view.implementation_due_label.text() == "1 January 2006"
    assert view.implementation_left_label.text() == "287 days left"
    assert view.implementation_left_label.property("urgency") == ""
    assert view.follow_up_label.text() == "Expected Autumn 2005 (from the report)"

    edits.set_follow_up(date(2005, 10, 10), "Scheduled", None)
    assert view.follow_up_label.text() == "10 October 2005 (Scheduled)"
    assert view.follow_up_left_label.text() == "204 days left"

    today[0] = date(2005, 4, 4)
    workspace.invalidate()
    assert view.response_left_label.text() == "3 days overdue"
    assert view.response_left_label.property("urgency") == "Red"
    assert RAG_COLOURS[Rag.RED] in view.response_left_label.styleSheet()
    today[0] = date(2005, 4, 1)
    workspace.invalidate()
    assert view.response_left_label.text() == "due today"


def test_a_meeting_date_that_is_not_a_date_is_refused_at_the_field(
    view: DashboardView, workspace: Workspace, qtbot: QtBot, messages: Messages
) -> None:
    field = view.meeting_date_edit
    assert field.hint_text() == "Sunday 20 March 2005"  # today, in words
    field.select_all()
    qtbot.keyClicks(field, "15/03/2005")
    assert field.hint_text() == "Tuesday 15 March 2005"  # as typed, never 15 December
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, "31/02/2005")
    sentence = "“31/02/2005” is not a date: February 2005 has 28 days."
    assert field.hint_text() == sentence and field.hint.isVisible()
    qtbot.mouseClick(view.add_meeting_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert meeting_texts(view) == [] and messages == []
    assert workspace.inspection_id is not None
    assert board_meetings(inspection_id=workspace.inspection_id) == []
    assert field.text() == "31/02/2005" and field.hint_text() == sentence


def test_board_meetings_are_added_highlighted_refused_removed_and_undone(
    view: DashboardView, workspace: Workspace, qtbot: QtBot, messages: Messages
) -> None:
    assert "No Board meeting is entered on or before 1 April 2005" in view.approval_label.text()
    assert not view.remove_meeting_button.isEnabled()
    for typed in ("12/05/2005", "10/02/2005"):
        type_date(qtbot, view.meeting_date_edit, typed)
        qtbot.mouseClick(view.add_meeting_button, Qt.MouseButton.LeftButton)
    type_date(qtbot, view.meeting_date_edit, "24/03/2005")
    qtbot.keyClick(view.meeting_date_edit, Qt.Key.Key_Return)  # Enter adds too

    assert meeting_texts(view) == [
        "10 February 2005",
        f"24 March 2005 — {APPROVAL_TEXT}",
        "12 May 2005",
    ]
    model = view.meetings_list.model()
    assert [model.data(model.index(row, 0), ApprovalMeetingRole) for row in range(3)] == [
        False,
        True,
        False,
    ]
    assert "approved at the Board meeting on 24 March 2005" in view.approval_label.text()

    type_date(qtbot, view.meeting_date_edit, "24/03/2005")
    qtbot.mouseClick(view.add_meeting_button, Qt.MouseButton.LeftButton)
    assert messages == [
        (
            "Cannot add the Board meeting",
            "A Board meeting on 24/03/2005 is already in the list.",
        )
    ]
    assert len(meeting_texts(view)) == 3
    assert workspace.inspection_id is not None
    assert len(board_meetings(inspection_id=workspace.inspection_id)) == 3

    click_row(qtbot, view.meetings_list, 1)
    assert view.remove_meeting_button.isEnabled()
    qtbot.mouseClick(view.remove_meeting_button, Qt.MouseButton.LeftButton)
    # without 24 March, 10 February is the last meeting before the response is due
    assert meeting_texts(view) == [f"10 February 2005 — {APPROVAL_TEXT}", "12 May 2005"]
    assert not view.remove_meeting_button.isEnabled()

    click_row(qtbot, view.meetings_list, 1)
    qtbot.keyClick(view.meetings_list, Qt.Key.Key_Delete)
    assert meeting_texts(view) == [f"10 February 2005 — {APPROVAL_TEXT}"]

    workspace.undo_stack.undo()
    workspace.undo_stack.undo()
    assert meeting_texts(view) == [
        "10 February 2005",
        f"24 March 2005 — {APPROVAL_TEXT}",
        "12 May 2005",
    ]


def make_plan(workspace: Workspace, edits: Edits) -> dict[str, int]:
    """Four actions: one overdue (Red), one due soon (Amber), one on track, one complete."""
    plan = workspace.plan()
    assert plan is not None
    recommendation = {r.reference: r.id for r in plan.recommendations}
    ids: dict[str, int] = {}
    late = edits.add_action([recommendation["1"]], "Costed training plan", "ACO", date(2005, 6, 30))
    ids["late"] = edits.add_milestone(late, "Draft the training plan", date(2005, 3, 8))
    soon = edits.add_action([recommendation["6"]], "Audit risk of harm", "SPO", date(2005, 9, 30))
    ids["soon"] = edits.add_milestone(soon, "Sample 40 OASys cases", date(2005, 3, 25))
    steady = edits.add_action([recommendation["T1"]], "Housing survey", "CO", date(2005, 12, 1))
    ids["steady"] = edits.add_milestone(steady, "Agree the survey form", date(2005, 6, 1))
    done = edits.add_action([recommendation["2"]], "Enforcement guide", "ACO", date(2005, 5, 1))
    ids["done"] = edits.add_milestone(done, "Publish the guide", date(2005, 3, 15))
    edits.update_milestone(ids["done"], {"status": "Complete"}, None, "Complete")
    return ids


def test_rag_tiles_count_actions_and_late_milestones_open_in_the_plan(
    view: DashboardView, workspace: Workspace, edits: Edits, qtbot: QtBot
) -> None:
    assert view.nothing_due_label.isVisible() and not view.due_view.isVisible()
    assert [tile.text() for tile in view.rag_tiles.values()] == [
        "Red: 0 actions",
        "Amber: 0 actions",
        "Green: 0 actions",
        "Blue: 0 actions",
    ]

    ids = make_plan(workspace, edits)

    assert [tile.text() for tile in view.rag_tiles.values()] == [
        "Red: 1 action",
        "Amber: 1 action",
        "Green: 1 action",
        "Blue: 1 action",
    ]
    assert [tile.count_label.text() for tile in view.rag_tiles.values()] == ["1"] * 4
    assert view.recommendations_label.text() == (
        "15 recommendations: 1 Red · 1 Amber · 1 Green · 1 Blue · "
        "11 with no action yet · 15 with no response yet"
    )
    assert view.due_view.isVisible() and not view.nothing_due_label.isVisible()
    shown = cells(view.due_view.model())
    assert shown == [
        ["AP1.1 Draft the training plan", "AP1 Costed training plan", "ACO", "8 March 2005",
         "Overdue (12 days)"],
        ["AP2.1 Sample 40 OASys cases", "AP2 Audit risk of harm", "SPO", "25 March 2005",
         "Due soon (in 5 days)"],
    ]  # fmt: skip
    flags = cells(view.due_view.model(), Qt.ItemDataRole.BackgroundRole)
    assert isinstance(flags[0][DueColumn.FLAG], QBrush)
    assert flags[0][DueColumn.FLAG].color() == QColor(RAG_COLOURS[Rag.RED])
    assert flags[1][DueColumn.FLAG].color() == QColor(RAG_COLOURS[Rag.AMBER])

    with qtbot.waitSignal(workspace.navigate) as opened:
        click_row(qtbot, view.due_view, 1, double=True)
    assert opened.args == ["plan", "milestone", ids["soon"]]

    view.due_view.setCurrentIndex(view.due_view.model().index(0, 0))
    with qtbot.waitSignal(workspace.navigate) as opened:
        qtbot.keyClick(view.due_view, Qt.Key.Key_Return)
    assert opened.args == ["plan", "milestone", ids["late"]]

    # the header sorts too; the source model is never sorted in place
    view.due_view.sortByColumn(DueColumn.DUE, Qt.SortOrder.DescendingOrder)
    assert cells(view.due_view.model())[0][DueColumn.MILESTONE] == "AP2.1 Sample 40 OASys cases"


def test_an_action_past_its_target_date_is_overdue_even_without_milestones(
    view: DashboardView, workspace: Workspace, edits: Edits, qtbot: QtBot
) -> None:
    """The progress paper's rule (DOMAIN.md): a Red action with no milestone is late too."""
    plan = workspace.plan()
    assert plan is not None
    recommendation = {r.reference: r.id for r in plan.recommendations}
    late = edits.add_action([recommendation["3"]], "Review the caseload", "SPO", date(2005, 3, 10))
    ids = make_plan(workspace, edits)

    assert view.rag_tiles[Rag.RED].text() == "Red: 2 actions"
    shown = cells(view.due_view.model())
    assert shown == [
        ["AP2.1 Draft the training plan", "AP2 Costed training plan", "ACO", "8 March 2005",
         "Overdue (12 days)"],
        ["Target date of the action", "AP1 Review the caseload", "SPO", "10 March 2005",
         "Overdue (10 days)"],
        ["AP3.1 Sample 40 OASys cases", "AP3 Audit risk of harm", "SPO", "25 March 2005",
         "Due soon (in 5 days)"],
    ]  # fmt: skip
    flags = cells(view.due_view.model(), Qt.ItemDataRole.BackgroundRole)
    assert flags[1][DueColumn.FLAG].color() == QColor(RAG_COLOURS[Rag.RED])
    assert view.dashboard is not None
    assert [(item.kind, item.id) for item in view.dashboard.overdue] == [
        ("milestone", ids["late"]),
        ("action", late),
    ]

    # the action opens in the plan, as a milestone does
    with qtbot.waitSignal(workspace.navigate) as opened:
        click_row(qtbot, view.due_view, 1, double=True)
    assert opened.args == ["plan", "action", late]

    # complete, it is no longer late
    done = edits.add_milestone(late, "Review done", date(2005, 3, 9))
    edits.update_milestone(done, {"status": "Complete"}, None, "Complete")
    actions = [row[DueColumn.ACTION] for row in cells(view.due_view.model())]
    assert "Review the caseload" not in actions


def test_scores_compare_the_baseline_with_the_follow_up(view: DashboardView, edits: Edits) -> None:
    assert view.no_follow_up_label.isVisible()
    assert view.no_follow_up_label.text() == "No follow-up results yet"
    core, thematic = view.score_models
    assert core.title.startswith("Effective Supervision Inspection")
    assert cells(core) == [
        ["B Quality of assessment", "61%", "—", "—"],
        ["C Quality of interventions", "72%", "—", "—"],
        ["D Quality of initial outcomes", "70%", "—", "—"],
        ["Overall score for sections B–D", "68%", "—", "—"],
    ]
    assert [row[ScoreColumn.BASELINE] for row in cells(thematic)] == ["44%", "62%", "76%"]

    # B = (2·62 + 2·80 + 2·56 + 1·80) / 7 = 68, up 7 points from 61
    for code, value in (("B1", 62), ("B2", 80), ("B3", 56), ("B4", 80)):
        edits.set_follow_up_result("esi-core", code, value)

    assert not view.no_follow_up_label.isVisible()
    core = view.score_models[0]
    assert cells(core)[0] == ["B Quality of assessment", "61%", "68%", "+7 pts"]
    assert cells(core)[3] == ["Overall score for sections B–D", "68%", "—", "—"]
    assert cells(core, ChangePointsRole)[0][ScoreColumn.CHANGE] == 7
    background = cells(core, Qt.ItemDataRole.BackgroundRole)[0][ScoreColumn.CHANGE]
    assert isinstance(background, QBrush)
    assert background.color() == QColor(RAG_COLOURS[Rag.GREEN])

    shown = follow_up.result_versions(inspection_id=edits.workspace.inspection_id or 0)
    # B = (40 + 160 + 112 + 80) / 7 = 56
    edits.set_follow_up_result("esi-core", "B1", 20, shown[("esi-core", "B1")])
    change = view.score_models[0].index(0, ScoreColumn.CHANGE)
    assert change.data() == "−5 pts"
    assert change.data(Qt.ItemDataRole.BackgroundRole).color() == QColor(RAG_COLOURS[Rag.RED])


def test_without_an_inspection_the_dashboard_says_so(
    qtbot: QtBot, db: peewee.Database, messages: Messages
) -> None:
    workspace = Workspace(today=lambda: TODAY)
    dashboard = DashboardView(workspace, Edits(workspace))
    qtbot.addWidget(dashboard)
    dashboard.show()
    assert dashboard.heading.text() == "No inspection is open"
    assert not dashboard.add_meeting_button.isEnabled()
    assert dashboard.response_due_label.text() == "—"
    assert dashboard.score_models == []


def test_a_hidden_dashboard_reloads_when_shown(
    view: DashboardView, edits: Edits, qtbot: QtBot
) -> None:
    view.hide()
    edits.add_board_meeting(date(2005, 3, 24))
    assert meeting_texts(view) == []  # not read while nobody looks
    view.show()
    assert meeting_texts(view) == [f"24 March 2005 — {APPROVAL_TEXT}"]


def test_every_model_passes_the_model_tester_and_the_view_renders(
    view: DashboardView, workspace: Workspace, edits: Edits, qtbot: QtBot, qtmodeltester: object,
    tmp_path: Path,
) -> None:  # fmt: skip
    laid_out(qtbot, view)
    assert len(distinct_colours(render(view, tmp_path / "dashboard-fresh.png"))) > 20

    make_plan(workspace, edits)
    for meeting in (date(2005, 2, 10), date(2005, 3, 24), date(2005, 5, 12)):
        edits.add_board_meeting(meeting)
    for code, value in (("B1", 62), ("B2", 80), ("B3", 56), ("B4", 80)):
        edits.set_follow_up_result("esi-core", code, value)
    models = view.models()
    assert len(models) == 5
    for model in models:
        qtmodeltester.check(model)  # type: ignore[attr-defined]

    laid_out(qtbot, view)
    image = render(view, tmp_path / "dashboard.png")
    colours = distinct_colours(image)
    assert len(colours) > 20, "the dashboard looks blank"
    for rag in RAG_COLOURS.values():
        assert QColor(rag).rgb() in colours, f"no {rag} tile"


def test_closing_the_inspection_empties_the_dashboard(
    view: DashboardView, workspace: Workspace, edits: Edits
) -> None:
    edits.add_board_meeting(date(2005, 3, 24))
    workspace.set_inspection(None)
    assert view.heading.text() == "No inspection is open"
    assert meeting_texts(view) == []
    assert view.score_models == [] and view.score_views == []
    assert [tile.count for tile in view.rag_tiles.values()] == [0, 0, 0, 0]
    assert not view.add_meeting_button.isEnabled()


def test_the_reminder_period_lists_further_ahead_without_changing_the_rag(
    qtbot: QtBot, workspace: Workspace, edits: Edits, messages: Messages
) -> None:
    """Preferences ▸ Reminder period: the list looks 30 days ahead; "Due soon" stays 14 days."""
    period = [30]
    dashboard = DashboardView(workspace, edits, reminder_days=lambda: period[0])
    qtbot.addWidget(dashboard)
    dashboard.resize(1200, 1100)
    dashboard.show()
    qtbot.waitExposed(dashboard)
    assert dashboard.nothing_due_label.text() == "Nothing is overdue or due in the next 30 days."
    plan = workspace.plan()
    assert plan is not None
    recommendation = {r.reference: r.id for r in plan.recommendations}
    survey = edits.add_action([recommendation["T1"]], "Housing survey", "CO", date(2005, 12, 1))
    edits.add_milestone(survey, "Agree the survey form", date(2005, 4, 9))  # in 20 days

    assert cells(dashboard.due_view.model()) == [
        [
            "AP1.1 Agree the survey form",
            "AP1 Housing survey",
            "CO",
            "9 April 2005",
            "Due in 20 days",
        ],
    ]
    assert dashboard.rag_tiles[Rag.GREEN].text() == "Green: 1 action"  # not Amber: 20 > 14
    flag = dashboard.due_view.model().index(0, DueColumn.FLAG)
    assert flag.data(Qt.ItemDataRole.BackgroundRole) is None  # not painted Amber either

    period[0] = 14  # the person shortens the period: the next refresh lists nothing
    workspace.invalidate()
    qtbot.waitUntil(lambda: dashboard.nothing_due_label.isVisible())
    assert dashboard.nothing_due_label.text() == "Nothing is overdue or due in the next 14 days."
