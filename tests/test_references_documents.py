"""Issue 12 §1 in the documents and the history: the stored references, never positions."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import peewee

from db.models import Recommendation
from esi_desktop import audit, plan
from esi_desktop.cli import main
from esi_desktop.export import render_progress, render_response
from esi_desktop.inspections import list_inspections
from esi_desktop.plan import submission
from tests.test_export import pdf_text

TODAY = date(2005, 6, 1)


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


def _five_actions(inspection_id: int) -> tuple[list[int], list[int]]:
    actions = [
        plan.add_action(
            inspection_id=inspection_id,
            recommendation_ids=[rec_id("6")],
            text=f"Action number {n}",
            owner="ACO Operations",
            target_date=date(2005, 12, 31),
        )
        for n in range(1, 6)
    ]
    steps = (("Audit tool agreed", date(2005, 7, 1)), ("Second audit reported", date(2005, 7, 15)))
    milestones = [
        plan.add_milestone(action_id=actions[4], title=title, due_date=due, today=TODAY)
        for title, due in steps
    ]
    return actions, milestones


def test_deleting_ap2_after_sending_does_not_renumber_the_paper(
    sample_db: peewee.Database,
) -> None:
    inspection_id = list_inspections()[0].id
    actions, milestones = _five_actions(inspection_id)
    submission.mark_plan_sent(
        force=True, inspection_id=inspection_id, sent_on=date(2005, 4, 12), today=TODAY
    )
    plan.delete_action(action_id=actions[1])
    plan.update_milestone(
        milestone_id=milestones[1], changes={"due_date": date(2005, 9, 15)}, today=TODAY
    )
    words = pdf_text(
        render_progress(
            inspection_id=inspection_id, meeting_date=date(2005, 7, 21), today=date(2005, 7, 8)
        )
    )
    assert "Second audit reported" in words
    assert "AP5.2" in words
    assert "AP4.2" not in words and "A4.2" not in words


def test_the_response_no_longer_prints_action_numbers_like_criteria(
    sample_db: peewee.Database,
) -> None:
    inspection_id = list_inspections()[0].id
    plan.save_response(recommendation_id=rec_id("6"), category="Agreed",
                       narrative="We will audit.", part_agreed="", reason="",
                       lead_owner="ACO Operations")  # fmt: skip
    plan.set_recommendation_criteria(recommendation_id=rec_id("6"), criteria=[("esi-core", "A1")])
    _five_actions(inspection_id)
    words = pdf_text(render_response(inspection_id=inspection_id, today=TODAY))
    assert "AP1" in words and "AP5.2" in words
    assert "Actions: A1" not in words and "Actions: AP1" in words


def test_the_history_names_items_by_reference_even_once_deleted(
    sample_db: peewee.Database,
) -> None:
    inspection_id = list_inspections()[0].id
    actions, milestones = _five_actions(inspection_id)
    plan.delete_action(action_id=actions[1])
    entries = audit.inspection_history(inspection_id=inspection_id)
    labels = audit.item_labels(entries)
    assert labels[(audit.ACTION, actions[0])] == "Action AP1: Action number 1"
    assert labels[(audit.MILESTONE, milestones[1])] == "Milestone AP5.2: Second audit reported"
    assert labels[(audit.ACTION, actions[1])] == "Action AP2 (since deleted)"


def test_history_on_the_command_line_takes_an_item_reference(
    db_url: str, sample_db: peewee.Database, tmp_path: Path
) -> None:
    inspection_id = list_inspections()[0].id
    _, milestones = _five_actions(inspection_id)
    plan.update_milestone(
        milestone_id=milestones[1], changes={"status": "In progress"}, today=TODAY
    )
    out = tmp_path / "ap5-2.csv"
    assert main(["history", "--db", db_url, "--csv", str(out), "--item", "ap 5.2"]) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][2] == "Item"
    assert {row[2] for row in rows[1:]} == {"Milestone AP5.2: Second audit reported"}
    assert [row[3] for row in rows[1:]] == ["Created", "Status"]
    # an action's reference takes its milestones too
    out = tmp_path / "ap5.csv"
    assert main(["history", "--db", db_url, "--csv", str(out), "--item", "AP5"]) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        items = {row[2] for row in list(csv.reader(handle))[1:]}
    assert items == {"Action AP5: Action number 5", "Milestone AP5.1: Audit tool agreed",
                     "Milestone AP5.2: Second audit reported"}  # fmt: skip


def test_history_refuses_a_reference_it_cannot_read_or_find(
    db_url: str, sample_db: peewee.Database, tmp_path: Path, capsys: object
) -> None:
    import pytest

    out = tmp_path / "x.csv"
    assert main(["history", "--db", db_url, "--csv", str(out), "--item", "B1"]) == 2
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "B1" in err and "AP3" in err
    assert main(["history", "--db", db_url, "--csv", str(out), "--item", "AP9"]) == 2
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "AP9" in err
    assert not out.exists()
    del pytest
