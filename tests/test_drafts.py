"""A draft response is seen as a draft wherever the plan is shown (issue 9 §2)."""

from __future__ import annotations

from datetime import date

import peewee
from pytestqt.qtbot import QtBot

from esi_desktop import plan
from esi_desktop.inspections import list_inspections
from ui.dashboard_view import DashboardView
from ui.edits import Edits
from ui.workspace import Workspace

TODAY = date(2005, 3, 1)


def test_the_dashboard_counts_a_draft_as_a_draft_and_says_what_it_needs(
    qtbot: QtBot, sample_db: peewee.Database, messages: list[tuple[str, str]]
) -> None:
    workspace = Workspace(today=lambda: TODAY)
    workspace.set_inspection(list_inspections()[0].id)
    view = workspace.plan()
    assert view is not None
    seven = next(r.id for r in view.recommendations if r.reference == "7")
    eight = next(r.id for r in view.recommendations if r.reference == "8")
    plan.save_response(recommendation_id=seven, category="Partly agreed", narrative="",
                       part_agreed="Community orders", reason="", allow_draft=True)  # fmt: skip
    plan.save_response(recommendation_id=eight, category="Agreed", narrative="Monthly audit.",
                       part_agreed="", reason="")  # fmt: skip
    dashboard = DashboardView(workspace, Edits(workspace))
    qtbot.addWidget(dashboard)
    dashboard.resize(1200, 900)
    dashboard.show()
    workspace.invalidate()
    text = dashboard.recommendations_label.text()
    assert "13 with no response yet" in text  # 15 less the draft and the agreed one
    assert "1 draft response (7: needs: why the rest is not agreed)" in text
    assert dashboard.recommendations_label.isVisible()


def test_a_response_typed_when_the_window_closes_is_kept(
    qtbot: QtBot, db_url: str, messages: list[tuple[str, str]]
) -> None:
    from PySide6.QtCore import Qt

    from db.models import BoardResponse
    from esi_desktop import database
    from tests.test_recommendations_view import choose_category, click_row
    from ui import app as ui_app
    from ui.main_window import MainWindow

    ui_app.make_application()
    window = MainWindow(today=lambda: TODAY)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.open_initial_database(db_url)
    qtbot.mouseClick(window.load_sample_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    view = window.recommendations
    click_row(qtbot, view, "3")
    choose_category(qtbot, view, "Agreed")
    view.editor.narrative.setFocus()
    qtbot.keyClicks(view.editor.narrative, "A costed training plan by June")
    window.close()  # Alt+F4 while still in the box
    database.connect(db_url)
    try:
        assert BoardResponse.get().narrative == "A costed training plan by June"
    finally:
        database.disconnect()
