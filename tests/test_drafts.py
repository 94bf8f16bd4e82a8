"""A draft response is seen as a draft wherever the plan is shown (issue 9 §2)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import peewee
import pytest
from pytestqt.qtbot import QtBot

from esi_desktop import plan
from esi_desktop.inspections import list_inspections
from ui.dashboard.view import DashboardView
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
    qtbot: QtBot, db_url: str, open_window: Callable[..., Any]
) -> None:
    from PySide6.QtCore import Qt

    from db.models import BoardResponse
    from esi_desktop import database
    from tests.test_recommendations_view import choose_category, click_row

    window = open_window(TODAY)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    view = window.recommendations
    click_row(qtbot, view, "3")
    choose_category(qtbot, view, "Agreed")
    view.editor.narrative.setFocus()
    qtbot.keyClicks(view.editor.narrative, "A costed training plan by June")
    window.close()  # Alt+F4 while still in the box
    database.connect(db_url)
    assert BoardResponse.get().narrative == "A costed training plan by June"


@pytest.mark.parametrize("choice", ["Reload and see their change", "Overwrite with mine"])
def test_a_first_response_saved_meanwhile_by_another_secretary_is_not_overwritten(
    qtbot: QtBot, db_url: str, open_window: Callable[..., Any], choice: str
) -> None:
    """Issue 9 §4 in the window: 'there was none when I opened it' is an expectation too."""
    import sqlite3

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox, QWidget

    from db.models import BoardResponse, Recommendation
    from esi_desktop import audit
    from tests.test_gui import run_when_modal
    from tests.test_recommendations_view import choose_category, click_row

    window = open_window(TODAY)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    view = window.recommendations
    click_row(qtbot, view, "3")
    # the deputy, on another desktop, saves the first response to recommendation 3
    three = int(Recommendation.get(Recommendation.reference == "3").id)
    other = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    with other:
        other.execute(
            "INSERT INTO board_response (recommendation_id, category, narrative, "
            "part_agreed, reason, lead_owner, created_at, updated_at, version) VALUES "
            "(?, 'Agreed', 'Training plan by May', '', '', '', '2005-03-01 09:00:00', "
            "'2005-03-01 09:00:00', 1)",
            (three,),
        )
        other.execute(
            "INSERT INTO audit_entry (changed_at, changed_by, item_kind, item_id, "
            "inspection_id, field, old_value, new_value, action, created_at, updated_at, "
            "version) VALUES ('2005-03-01 09:00:00', 'deputy', ?, ?, 1, 'narrative', '', "
            "'Training plan by May', 'create', '2005-03-01 09:00:00', "
            "'2005-03-01 09:00:00', 1)",
            (audit.RESPONSE, three),
        )
    other.close()
    seen: list[str] = []

    def decide(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        seen.append(dialog.text() + " | " + dialog.informativeText())
        button = next(b for b in dialog.buttons() if b.text() == choice)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    run_when_modal(qtbot, decide, QMessageBox)
    choose_category(qtbot, view, "Agreed")  # saves at once: a first save, expecting none
    qtbot.waitUntil(lambda: bool(seen))
    assert "deputy" in seen[0]
    stored = BoardResponse.get(BoardResponse.recommendation == three)
    if choice.startswith("Overwrite"):
        assert stored.narrative == ""  # mine: Agreed, nothing typed yet — kept as a draft
    else:
        assert stored.narrative == "Training plan by May"
        qtbot.waitUntil(lambda: view.editor.narrative.toPlainText() == "Training plan by May")
