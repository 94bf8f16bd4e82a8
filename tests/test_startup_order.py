"""What start-up leaves until after the window's first paint (issue 13).

The program opens the database before it shows the window (ui.app.run); a start-up longer
than the "Due and overdue" panel's timer must still paint the window first and offer the
panel once afterwards. The overdue list the Dashboard and the panel both show is worked out
once per plan read; a plan's milestones are made by a faster route to the same objects.
"""

from __future__ import annotations

import random
import time
from dataclasses import FrozenInstanceError, astuple, replace
from datetime import date
from fractions import Fraction
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from esi_desktop import database
from esi_desktop.dashboard import DueItem, overdue_items
from esi_desktop.inspections import list_inspections
from esi_desktop.plan import load_plan
from esi_desktop.plan.views import MilestoneView, direct_maker, milestone_view
from esi_desktop.report.importer import load_sample
from esi_desktop.rules import recommendation_progress
from esi_desktop.wording import MILESTONE
from tests.test_reminders_gui import TODAY, add_due_items, shown
from ui.main_window import MainWindow
from ui.reminders.controller import OFFER_AFTER_MS
from ui.reminders.panel import DuePanel


class FirstPaint(QObject):
    """Notes whether the panel was on show when the window was first painted, and counts
    how many times the panel was shown."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.panel_at_first_paint: bool | None = None
        self.panel_shows = 0
        window.installEventFilter(self)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Paint and watched is self.window:
            if self.panel_at_first_paint is None:
                self.panel_at_first_paint = shown(self.window)
        elif kind == QEvent.Type.Show and isinstance(watched, DuePanel):
            self.panel_shows += 1
        return False

    def stop(self) -> None:
        app = QApplication.instance()
        assert app is not None
        app.removeEventFilter(self)


def test_a_slow_start_paints_the_window_before_it_offers_the_panel_once(
    db_url: str, qtbot: QtBot
) -> None:
    database.connect(db_url)
    load_sample()
    add_due_items()
    database.disconnect()

    # as ui.app.run does: the database is opened before the window is shown
    window = MainWindow(today=lambda: TODAY)
    qtbot.addWidget(window)
    window.open_initial_database(db_url)
    time.sleep(OFFER_AFTER_MS * 2 / 1000)  # a start-up slower than the panel's timer
    watch = FirstPaint(window)
    try:
        window.show()
        qtbot.waitUntil(lambda: watch.panel_at_first_paint is not None)
        assert watch.panel_at_first_paint is False  # the window came first
        qtbot.waitUntil(lambda: shown(window))  # then the panel, as ever
        qtbot.wait(OFFER_AFTER_MS * 3)
        assert watch.panel_shows == 1
        assert window.reminders.painted
    finally:
        watch.stop()
        window.close()
        database.disconnect()


def test_the_overdue_list_is_worked_out_once_per_plan_read(db_url: str) -> None:
    database.connect(db_url)
    try:
        load_sample()
        add_due_items()
        inspection_id = list_inspections()[0].id
        plan = load_plan(inspection_id=inspection_id, today=TODAY)
        first = overdue_items(plan, TODAY)
        assert [item.text for item in first] == ["Audit tool agreed", "Accommodation protocol"]
        again = overdue_items(plan, TODAY)
        assert again == first
        assert all(a is b for a, b in zip(again, first, strict=True))  # the same items
        again.clear()  # a caller's list is its own
        assert len(overdue_items(plan, TODAY)) == 2
        # another day, or the plan read again, is worked out afresh
        assert overdue_items(plan, date(2005, 5, 20)) != first
        fresh = overdue_items(load_plan(inspection_id=inspection_id, today=TODAY), TODAY)
        assert fresh == first and fresh[0] is not first[0]
    finally:
        database.disconnect()


def test_the_fast_milestone_view_is_the_class_made_the_usual_way() -> None:
    values = (7, 3, "Audit tool agreed", TODAY, "In progress", None, "", 2, 4, True, False, 5, 9)
    fast = milestone_view(*values)
    usual = MilestoneView(*values)
    assert type(fast) is MilestoneView
    assert fast == usual and hash(fast) == hash(usual) and repr(fast) == repr(usual)
    assert astuple(fast) == values
    assert fast.reference == "AP9.5"
    with pytest.raises(FrozenInstanceError):
        fast.title = "Changed"  # type: ignore[misc]
    assert replace(fast, status="Complete").status == "Complete"


def test_recommendation_progress_is_the_exact_mean_of_its_actions() -> None:
    chooser = random.Random(13)
    for size in (1, 2, 7, 75, 500):
        progresses = [
            Fraction(chooser.randint(0, n), n)
            for n in (chooser.randint(1, 30) for _ in range(size))
        ]
        assert recommendation_progress(progresses) == sum(progresses, Fraction(0)) / size
    assert recommendation_progress([Fraction(1, 3)] * 3 + [Fraction(0)]) == Fraction(1, 4)
    assert recommendation_progress([]) == 0


def test_a_due_item_made_directly_is_the_one_the_class_makes() -> None:
    make = direct_maker(DueItem)
    values: dict[str, Any] = {
        "kind": MILESTONE, "id": 4, "action_id": 2, "text": "Audit tool agreed",
        "owner": "ACO", "recommendation_ids": (1, 3), "due": date(2005, 5, 15),
        "action_text": "Audit ten cases", "status": "In progress", "today": TODAY,
        "reference": "AP2.1", "action_reference": "AP2",
    }  # fmt: skip
    made = make(**values)
    assert type(made) is DueItem and made == DueItem(**values)
    assert made.labelled_text == "AP2.1 Audit tool agreed"
    with pytest.raises(FrozenInstanceError):
        made.owner = "Someone else"  # type: ignore[misc]
    with pytest.raises(TypeError, match="DueItem takes"):
        make(**{k: v for k, v in values.items() if k != "reference"})  # one missing
    with pytest.raises(TypeError, match="DueItem takes"):
        make(**values, colour="red")  # one that is no field
