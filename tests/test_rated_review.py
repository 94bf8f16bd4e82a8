"""A rated inspection's backend and window views, reviewed (issue 17 §4–§5): the overall rating
as published entered in the follow-up view, a round holding only that rating, and the status
text's columns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import peewee
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from esi_desktop import database, follow_up, frameworks, inspections
from esi_desktop.audit import field_label
from esi_desktop.cli.status import status_text
from esi_desktop.dashboard import load_dashboard
from esi_desktop.errors import ValidationError
from esi_desktop.frameworks import FRAMEWORKS_DIR, load_framework
from esi_desktop.new_inspection import NewRecommendation, create_rated_inspection
from esi_desktop.rated_follow_up import overall_rating_version, set_overall_rating
from esi_desktop.rated_results import rated_rounds
from esi_desktop.wording import INSPECTION
from tests.rated_fixtures import FRAMEWORK, READING_RATINGS

TODAY = date(2025, 1, 10)


def _as_published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read the youth justice framework as one whose overall rating is entered as published."""
    text = (FRAMEWORKS_DIR / f"{FRAMEWORK}.toml").read_text(encoding="utf-8")
    head, _, rest = text.partition("[[bands]]")
    tail = rest.partition("[[domains]]")[2]
    path = tmp_path / "variant.toml"
    path.write_text(
        f"{head}[[domains]]{tail}".replace('overall = "bands"', 'overall = "as published"'),
        encoding="utf-8",
    )
    variant = {**frameworks.shipped_frameworks(), FRAMEWORK: load_framework(path)}
    monkeypatch.setattr(frameworks, "shipped_frameworks", lambda: variant)
    monkeypatch.setattr(inspections, "shipped_frameworks", lambda: variant)


@pytest.fixture
def published_window(
    rated_db: peewee.Database,
    open_window: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Any:
    """The window on Reading, its framework read as one with no public overall rule."""
    _as_published(tmp_path, monkeypatch)
    database.disconnect()  # the window opens the database itself, as it does for a person
    return open_window(TODAY, sample=False)


def _stored(inspection_id: int, round: int) -> str | None:
    (rated,) = rated_rounds(inspection_id=inspection_id, round=round)
    return rated.published_overall


def test_the_overall_rating_as_published_is_chosen_in_the_follow_up_view_and_undone(
    published_window: Any, qtbot: QtBot
) -> None:
    window = published_window
    window.show_view("follow-up")
    view = window.follow_up
    inspection_id = window.workspace.inspection_id
    fields = view.rated_totals.published_overall
    assert fields.isVisible()
    first, second = fields.combos
    assert [first.accessibleName(), second.accessibleName()] == [
        "Overall rating at the inspection, as published",
        "Overall rating in round 1, as published",
    ]
    assert first.currentText() == second.currentText() == "Not entered"
    totals = view.rated_totals_label
    assert "not computed" in totals.text().splitlines()[0]

    # the person tabs to the field and types the rating's first letter
    first.setFocus()
    qtbot.keyClicks(first, "I")
    qtbot.waitUntil(lambda: _stored(inspection_id, 0) == "Inadequate", timeout=3000)
    assert totals.text().splitlines()[0] == (
        "At the inspection: Total 5 / 36 — Inadequate (4.1 rated apart: not rated)"
    )
    assert fields.combos[0] is first and first.currentText() == "Inadequate"
    assert first.hasFocus()  # the choice keeps the field: no rebuilt form under the cursor

    qtbot.keyClicks(second, "G")
    qtbot.waitUntil(lambda: _stored(inspection_id, 1) == "Good", timeout=3000)
    qtbot.keyClick(second, Qt.Key.Key_Home)  # the first choice, Not entered: cleared
    qtbot.waitUntil(lambda: _stored(inspection_id, 1) is None, timeout=3000)
    assert second.currentText() == "Not entered"

    undo = window.workspace.undo_stack
    assert undo.undoText() == "Overall rating as published in round 1"
    undo.undo()  # the clearing undone: Good again
    assert _stored(inspection_id, 1) == "Good" and second.currentText() == "Good"
    undo.undo()  # the entry undone
    assert _stored(inspection_id, 1) is None
    undo.undo()
    assert _stored(inspection_id, 0) is None and first.currentText() == "Not entered"
    assert "not computed" in totals.text().splitlines()[0]
    undo.redo()
    assert _stored(inspection_id, 0) == "Inadequate"
    assert not fields.error.isVisible()


def test_a_framework_with_bands_offers_no_overall_rating_to_enter(
    rated_db: peewee.Database, open_window: Callable[..., Any]
) -> None:
    database.disconnect()
    window = open_window(TODAY, sample=False)
    window.show_view("follow-up")
    fields = window.follow_up.rated_totals.published_overall
    assert window.follow_up.rated_totals_label.isVisible()
    assert not fields.isVisible() and fields.combos == []


def test_a_round_holding_only_an_overall_rating_is_not_removed(
    any_rated_db: peewee.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as_published(tmp_path, monkeypatch)
    reading = inspections.list_inspections()[0].id
    follow_up.add_round(inspection_id=reading, kind=follow_up.ROUND_KINDS[0])  # round 2
    set_overall_rating(
        inspection_id=reading, framework_id=FRAMEWORK, round=2, rating="G", expected_version=None
    )
    with pytest.raises(ValidationError, match="Round 2 has results"):
        follow_up.remove_round(inspection_id=reading, round=2)
    assert [r.round for r in follow_up.list_rounds(inspection_id=reading)] == [1, 2]
    set_overall_rating(
        inspection_id=reading,
        framework_id=FRAMEWORK,
        round=2,
        rating=None,
        expected_version=overall_rating_version(
            inspection_id=reading, framework_id=FRAMEWORK, round=2
        ),
    )
    follow_up.remove_round(inspection_id=reading, round=2)
    assert [r.round for r in follow_up.list_rounds(inspection_id=reading)] == [1]


def test_the_status_text_keeps_a_long_follow_up_rating_apart_from_its_change(
    any_db: peewee.Database,
) -> None:
    created = create_rated_inspection(
        framework_id=FRAMEWORK,
        body="Anyshire Youth Justice Service",
        published=date(2024, 6, 4),
        ratings={code: "not rated" if code == "4.1" else "G" for code in READING_RATINGS},
        recommendations=[NewRecommendation("Keep children safe.", "Management Board")],
    )
    follow_up.set_follow_up_result(
        inspection_id=created.inspection_id,
        framework_id=FRAMEWORK,
        code="1.1",
        value="RI",
        expected_version=None,
    )
    text = status_text(load_dashboard(inspection_id=created.inspection_id, today=TODAY))
    (line,) = [line for line in text.splitlines() if "1.1 Governance" in line]
    assert "Requires improvement down one grade" in " ".join(line.split())
    assert "improvementdown" not in line
    # the columns line up: the change starts where the header's "Change" does
    header = next(line for line in text.splitlines() if line.rstrip().endswith("Change"))
    assert line.index("down one grade") == header.index("Change")


def test_the_response_editor_names_a_rated_inspections_standards_and_ratings(
    rated_db: peewee.Database, open_window: Callable[..., Any]
) -> None:
    database.disconnect()
    window = open_window(TODAY, sample=False)
    window.show_view("recommendations")
    view = window.recommendations
    view.select_recommendation(window.workspace.plan().recommendations[0].id)
    editor = view.editor
    assert editor.criteria_box.title() == "Standards it aims to improve (rating at the inspection)"
    assert editor.criteria.accessibleName() == "Targeted standards"
    first = editor.criteria.item(0).text()
    assert first == "1.1  Governance and leadership — Requires improvement"


def test_the_response_editor_keeps_criteria_for_an_esi_inspection(
    open_window: Callable[..., Any],
) -> None:
    window = open_window(TODAY)
    window.show_view("recommendations")
    view = window.recommendations
    view.select_recommendation(window.workspace.plan().recommendations[0].id)
    assert view.editor.criteria_box.title() == "Criteria it aims to improve (baseline result)"
    assert view.editor.criteria.accessibleName() == "Targeted criteria"


def test_the_dashboard_says_where_an_overall_rating_as_published_is_entered(
    published_window: Any,
) -> None:
    window = published_window
    window.show_view("dashboard")
    part = window.dashboard.ratings_area.parts[0]
    total = part.total_label.text()
    assert total.startswith("Total 5 / 36 — not computed")
    assert total.endswith("(Enter it in View ▸ Scoring summary & follow-up, Ctrl+4.)")
    set_overall_rating(
        inspection_id=window.workspace.inspection_id,
        framework_id=FRAMEWORK,
        round=0,
        rating="I",
        expected_version=None,
    )
    window.workspace.invalidate()
    assert part.total_label.text() == "Total 5 / 36 — Inadequate (4.1 rated apart: not rated)"


def test_the_history_names_an_agreed_response_date_without_saying_who_agreed_it() -> None:
    # a youth justice board sets its own date: the history must not credit the Inspectorate
    label = field_label(INSPECTION, "agreed_response_due")
    assert label == "Agreed response date"
    assert "Inspectorate" not in label


def test_the_dashboard_counts_a_follow_up_part_way_through_being_rated(
    rated_db: peewee.Database, open_window: Callable[..., Any]
) -> None:
    reading = inspections.list_inspections()[0].id
    for code in ("1.1", "1.2", "1.3"):
        follow_up.set_follow_up_result(
            inspection_id=reading, framework_id=FRAMEWORK, code=code, value="G"
        )
    database.disconnect()
    window = open_window(TODAY, sample=False)
    window.show_view("dashboard")
    part = window.dashboard.ratings_area.parts[0]
    # a read-only page: how far the rating has gone, not a refusal telling the person to act
    assert part.follow_up_total_label.text() == (
        "Follow-up (round 1): 3 of 12 standards rated — the total and the overall rating are "
        "worked out when every standard has its rating."
    )


def test_the_follow_up_grid_heads_a_rated_inspections_columns_in_its_words(
    rated_db: peewee.Database, open_window: Callable[..., Any]
) -> None:
    database.disconnect()
    window = open_window(TODAY, sample=False)
    window.show_view("follow-up")
    model = window.follow_up.results_model
    headers = [model.headerData(column, Qt.Orientation.Horizontal) for column in range(4)]
    assert headers == ["Code", "Standard", "Inspection", "Follow-up"]
    # a screen reader hears the grid named as it is captioned: ratings, chosen, not typed
    assert window.follow_up.results_view.accessibleName() == (
        window.follow_up.results_caption.text()
    )
    assert window.follow_up.results_view.accessibleName().startswith("Ratings:")
