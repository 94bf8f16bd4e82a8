"""A rated inspection (Reading YJS) through the clock, scores, dashboard data, reminders,
the self-assessment, the addressee and the command line."""

from __future__ import annotations

import io
import json
from datetime import date

import peewee
import pytest

from esi_desktop import database, inspection_record, inspections, plan
from esi_desktop.audit import history
from esi_desktop.cli import main
from esi_desktop.dashboard import SET_RESPONSE_DATE, load_dashboard
from esi_desktop.errors import ValidationError
from esi_desktop.plan import load_plan
from esi_desktop.reminders import load_due_and_overdue
from esi_desktop.rules import Rag, ResponseCategory, SelfAssessment
from esi_desktop.versioned import ConflictError
from esi_desktop.wording import RECOMMENDATION
from tests.rated_fixtures import READING_ADDRESSEES, create_reading

TODAY = date(2024, 12, 20)


def _reading_id() -> int:
    return inspections.list_inspections()[0].id


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def _reading_at(db_url: str) -> None:
    database.connect(db_url)
    try:
        create_reading()
    finally:
        database.disconnect()


# ----- the clock ----------------------------------------------------------------------------


def test_no_response_deadline_until_the_board_agrees_one(any_rated_db: peewee.Database) -> None:
    reading = _reading_id()
    clock = inspections.statutory_clock_of(inspection_id=reading)
    assert clock.response_due is None
    assert clock.statutory_response_due is None
    assert not clock.response_due_fixed
    assert clock.needs_agreed_date and not clock.agreed and not clock.set_by_board
    assert clock.response_basis == "no deadline is fixed: the Board sets an agreed date"
    assert clock.response_due_text == "not set yet"
    assert clock.implementation_due == date(2025, 12, 3)

    record = inspection_record.get_inspection_record(inspection_id=reading)
    inspection_record.update_inspection_record(
        inspection_id=reading,
        values={"agreed_response_due": date(2024, 12, 20), "agreed_response_reason": ""},
        expected_version=record.version,
    )
    clock = inspections.statutory_clock_of(inspection_id=reading)
    assert clock.response_due == date(2024, 12, 20)
    assert clock.set_by_board and not clock.agreed and not clock.needs_agreed_date
    assert clock.response_basis == "agreed by the Board"
    assert clock.response_due_text == "20 December 2024"

    record = inspection_record.get_inspection_record(inspection_id=reading)
    inspection_record.update_inspection_record(
        inspection_id=reading,
        values={"agreed_response_reason": "endorsed at the board meeting of 10 December"},
        expected_version=record.version,
    )
    clock = inspections.statutory_clock_of(inspection_id=reading)
    assert (
        clock.response_basis == "agreed by the Board: endorsed at the board meeting of 10 December"
    )

    # and cleared again: no deadline once more
    record = inspection_record.get_inspection_record(inspection_id=reading)
    inspection_record.update_inspection_record(
        inspection_id=reading,
        values={"agreed_response_due": None, "agreed_response_reason": ""},
        expected_version=record.version,
    )
    assert inspections.statutory_clock_of(inspection_id=reading).response_due is None


def test_a_board_date_before_publication_is_refused_in_the_boards_words(
    rated_db: peewee.Database,
) -> None:
    reading = _reading_id()
    record = inspection_record.get_inspection_record(inspection_id=reading)
    with pytest.raises(ValidationError, match="give the date the Board agreed") as caught:
        inspection_record.update_inspection_record(
            inspection_id=reading,
            values={"agreed_response_due": date(2024, 12, 1)},
            expected_version=record.version,
        )
    assert caught.value.field == "agreed_response_due"
    assert inspections.statutory_clock_of(inspection_id=reading).response_due is None


def test_an_esi_inspection_keeps_its_statutory_clock(sample_db: peewee.Database) -> None:
    clock = inspections.statutory_clock_of(inspection_id=_reading_id())
    assert clock.response_due == date(2005, 4, 1)
    assert clock.response_due_fixed and not clock.needs_agreed_date
    assert clock.response_basis == "3 months after publication"
    record = inspection_record.get_inspection_record(inspection_id=_reading_id())
    with pytest.raises(ValidationError, match="needs its reason"):
        inspection_record.update_inspection_record(
            inspection_id=record.id,
            values={"agreed_response_due": date(2005, 5, 1)},
            expected_version=record.version,
        )


# ----- scores -------------------------------------------------------------------------------


def test_scores_document_of_reading(any_rated_db: peewee.Database) -> None:
    document = inspections.scores_document(inspection_id=_reading_id())
    youth = document["frameworks"]["hmip-youth-2021"]
    assert youth["kind"] == "rated"
    assert youth["title"] == "HM Inspectorate of Probation: youth justice standards (2021)"
    assert (youth["score"], youth["max"], youth["band"]) == (5, 36, "Inadequate")
    assert youth["not_counted"] == ["4.1"]
    assert youth["not_rated"] == ["4.1"]
    assert youth["ratings"]["1.1"] == "Requires improvement"
    assert youth["ratings"]["1.2"] == "Inadequate"
    assert youth["ratings"]["4.1"] == "Not rated"
    assert list(youth["ratings"]) == [
        *(f"{d}.{s}" for d in (1, 2, 3) for s in (1, 2, 3, 4)),
        "4.1",
    ]
    assert list(youth["ratings"].values()).count("Inadequate") == 7
    assert document["inspection"]["area"] == "Reading Youth Justice Service"


def test_scores_command_for_reading(db_url: str) -> None:
    _reading_at(db_url)
    status, out, err = run("scores", "--db", db_url, "--json")
    assert (status, err) == (0, "")
    youth = json.loads(out)["frameworks"]["hmip-youth-2021"]
    assert (youth["score"], youth["max"], youth["band"]) == (5, 36, "Inadequate")

    status, out, err = run("scores", "--db", db_url)
    assert (status, err) == (0, "")
    lines = [line.split() for line in out.splitlines()]
    assert ["Domain", "Standard", "Rating", "Counted"] in lines
    assert "1 Organisational delivery  1.1 Governance and leadership" in out
    assert ["4", "Resettlement", "4.1", "Resettlement", "policy", "and", "provision", "Not",
            "rated", "no", "(rated", "apart)"] in lines  # fmt: skip
    assert ["Total", "5", "/", "36"] in lines
    assert ["Overall", "rating", "Inadequate"] in lines
    assert "%" not in out


# ----- the dashboard, status and reminders --------------------------------------------------


def test_dashboard_data_of_reading(any_rated_db: peewee.Database) -> None:
    reading = _reading_id()
    first = load_plan(inspection_id=reading, today=TODAY).recommendations[0]
    plan.save_response(
        recommendation_id=first.id,
        category=ResponseCategory.AGREED,
        narrative="A quality assurance framework by March 2025.",
        part_agreed="",
        reason="",
    )
    action = plan.add_action(
        inspection_id=reading,
        recommendation_ids=[first.id],
        text="Write the quality assurance framework",
        owner="YJS Service Manager",
        target_date=date(2024, 12, 10),
    )
    board = load_dashboard(inspection_id=reading, today=TODAY)
    assert board.clock.response_due is None
    assert board.clock.response_due_text == "not set yet"
    assert board.approval_meeting is None
    assert "No date is set yet for the response" in board.approval_text
    assert board.to_do == (SET_RESPONSE_DATE,)
    assert board.scores == ()  # no percentages for a rated inspection
    (youth,) = board.rated
    assert youth.before.result is not None
    assert (youth.before.result.score, youth.before.result.max) == (5, 36)
    assert youth.before.result.band == "Inadequate"
    assert not youth.has_results and youth.after.result is None
    assert board.rag.recommendation_count == 8
    assert board.rag.without_response == 7
    assert [item.id for item in board.overdue] == [action]
    assert board.rag.actions[Rag.RED] == 1


def test_status_of_reading_in_words_and_as_data(db_url: str) -> None:
    _reading_at(db_url)
    status, out, err = run("status", "--db", db_url, "--date", "2024-12-20")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("Reading Youth Justice Service — December 2024")
    assert (
        "  Response and action plan due  not set yet (no deadline is fixed: the Board sets an "
        "agreed date)"
    ) in lines
    assert f"To do: {SET_RESPONSE_DATE}" in lines
    assert "8 recommendations:" in out
    total = next(line for line in lines if "Inspection total and overall rating" in line)
    assert total.endswith("5 / 36, Inadequate")
    assert any(line.split()[:2] == ["1.2", "Staff"] and "Inadequate" in line for line in lines)

    status, out, err = run("status", "--db", db_url, "--date", "2024-12-20", "--json")
    assert (status, err) == (0, "")
    document = json.loads(out)
    assert document["clock"]["response_due"] == {"date": None, "days_left": None}
    assert document["clock"]["to_do"] == [SET_RESPONSE_DATE]
    assert document["clock"]["response_basis"].startswith("no deadline is fixed")
    (youth,) = document["scores"]["rated"]
    assert youth["baseline"] == {"score": 5, "max": 36, "band": "Inadequate"}
    assert youth["follow_up"] is None
    assert youth["standards"][-1]["baseline"] == "Not rated"
    assert youth["standards"][-1]["counted"] is False


def test_status_of_the_esi_sample_has_nothing_to_do(sample_db: peewee.Database) -> None:
    board = load_dashboard(inspection_id=_reading_id(), today=date(2005, 3, 20))
    assert board.to_do == ()
    assert board.rated == ()
    assert [table.framework_id for table in board.scores] == ["esi-core", "esi-accommodation"]


def test_reminders_say_to_set_the_response_date(rated_db: peewee.Database) -> None:
    reading = _reading_id()
    due = load_due_and_overdue(inspection_id=reading, today=TODAY, days=14)
    assert due.to_do == (SET_RESPONSE_DATE,)
    assert bool(due)  # the panel is offered for it
    assert due.overdue == ()  # a reminder, never overdue
    assert due.summary == SET_RESPONSE_DATE

    record = inspection_record.get_inspection_record(inspection_id=reading)
    inspection_record.update_inspection_record(
        inspection_id=reading,
        values={"agreed_response_due": date(2024, 12, 20)},
        expected_version=record.version,
    )
    due = load_due_and_overdue(inspection_id=reading, today=TODAY, days=14)
    assert due.to_do == ()
    assert not due
    assert due.summary == "Nothing is overdue or due soon"


# ----- recommendations: self-assessment and addressee ---------------------------------------


def test_addressees_and_self_assessment_of_rated_recommendations(
    any_rated_db: peewee.Database,
) -> None:
    reading = _reading_id()
    recommendations = load_plan(inspection_id=reading, today=TODAY).recommendations
    assert tuple(r.addressee for r in recommendations) == READING_ADDRESSEES
    assert recommendations[5].stem == "The Management Board should:"

    last = recommendations[-1]
    plan.set_recommendation_fields(
        recommendation_id=last.id,
        changes={"self_assessment": SelfAssessment.REASONABLE.value},
        expected_version=last.version,
    )
    again = load_plan(inspection_id=reading, today=TODAY).recommendations[-1]
    assert again.self_assessment == "Reasonable progress"

    change = plan.set_recommendation_addressee(
        recommendation_id=last.id,
        addressee="  Youth Justice   Board ",
        expected_version=again.version,
    )
    assert change.previous == {"addressee": "Management Board"}
    now = load_plan(inspection_id=reading, today=TODAY).recommendations[-1]
    assert now.addressee == "Youth Justice Board"
    assert now.version == change.version
    entries = history(item_kind=RECOMMENDATION, item_id=last.id)
    assert any(
        e.field == "addressee"
        and e.old_value == "Management Board"
        and e.new_value == now.addressee
        for e in entries
    )


def test_an_addressee_empty_too_long_or_stale_is_refused(rated_db: peewee.Database) -> None:
    first = load_plan(inspection_id=_reading_id(), today=TODAY).recommendations[0]
    with pytest.raises(ValidationError, match="is addressed to someone") as caught:
        plan.set_recommendation_addressee(
            recommendation_id=first.id, addressee="   ", expected_version=first.version
        )
    assert caught.value.field == "addressee"
    with pytest.raises(ValidationError, match="shorten it to 120 or fewer"):
        plan.set_recommendation_addressee(
            recommendation_id=first.id, addressee="x" * 121, expected_version=first.version
        )
    plan.set_recommendation_addressee(
        recommendation_id=first.id, addressee="Head of Service", expected_version=first.version
    )
    with pytest.raises(ConflictError):
        plan.set_recommendation_addressee(
            recommendation_id=first.id, addressee="Board", expected_version=first.version
        )
    now = load_plan(inspection_id=_reading_id(), today=TODAY).recommendations[0]
    assert now.addressee == "Head of Service"


def test_esi_recommendations_are_addressed_to_the_board(sample_db: peewee.Database) -> None:
    recommendations = load_plan(inspection_id=_reading_id(), today=TODAY).recommendations
    assert {r.addressee for r in recommendations} == {"Probation Board"}


def test_the_calendar_of_a_rated_inspection_names_no_approving_meeting_until_a_date_is_set(
    rated_db: peewee.Database,
) -> None:
    from esi_desktop.export.calendar import calendar_content

    reading = _reading_id()
    plan.add_board_meeting(inspection_id=reading, meeting_date=date(2024, 12, 18))
    (meeting,) = calendar_content(inspection_id=reading, today=TODAY).events
    assert "is not set yet: the Board agrees it" in meeting.description

    record = inspection_record.get_inspection_record(inspection_id=reading)
    inspection_record.update_inspection_record(
        inspection_id=reading,
        values={"agreed_response_due": date(2024, 12, 20)},
        expected_version=record.version,
    )
    (meeting,) = calendar_content(inspection_id=reading, today=TODAY).events
    assert "must be approved at this meeting" in meeting.description
    assert "20 December 2024" in meeting.description


def test_the_same_addressee_typed_again_writes_nothing_and_can_be_undone(
    rated_db: peewee.Database,
) -> None:
    from db.models import Recommendation
    from esi_desktop.plan.responses import set_recommendation_addressee

    row = Recommendation.get_by_id(6)
    change = set_recommendation_addressee(
        recommendation_id=6, addressee="Management  Board", expected_version=row.version
    )
    assert change.version == row.version  # nothing written
    # undo applies the change's previous values: they must name the addressee
    undone = set_recommendation_addressee(
        recommendation_id=6, addressee=change.previous["addressee"], expected_version=row.version
    )
    assert Recommendation.get_by_id(6).addressee == "Management Board"
    assert undone.version == row.version
