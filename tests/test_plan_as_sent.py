"""The whole plan as sent, every change since in the Board paper, and the Board's decisions on
extension requests (issue 12 §2)."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import peewee
import pytest
from pypdf import PdfReader

from db.models import ExtensionDecision, PlanSubmission, Recommendation, SubmittedDate
from esi_desktop import audit, plan
from esi_desktop.cli import main
from esi_desktop.errors import EsiError, ValidationError
from esi_desktop.export import render_progress
from esi_desktop.inspections import list_inspections
from esi_desktop.plan import as_sent, extensions, submission

TODAY = date(2005, 6, 1)
SENT = date(2005, 4, 12)


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


def pdf_words(data: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages
    )


def answer_every_recommendation(inspection_id: int) -> None:
    """Recommendation 6 agreed; every other one not agreed, with the reason."""
    for recommendation in Recommendation.select().where(Recommendation.inspection == inspection_id):
        agreed = recommendation.reference == "6"
        plan.save_response(
            recommendation_id=recommendation.id,
            category="Agreed" if agreed else "Not agreed",
            narrative="Audits quarterly from June" if agreed else "",
            part_agreed="",
            reason="" if agreed else "Already in hand nationally",
            lead_owner="ACO Operations" if agreed else "",
        )


@pytest.fixture
def sent_plan(sample_db: peewee.Database) -> dict[str, Any]:
    """A complete plan (every recommendation answered, one action with two milestones,
    a second action) marked as sent on 12 April 2005."""
    inspection_id = list_inspections()[0].id
    answer_every_recommendation(inspection_id)
    first = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[rec_id("6")],
        text="Audit risk of harm assessments",
        owner="ACO Operations",
        target_date=date(2005, 9, 30),
    )
    second = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[rec_id("6")],
        text="Train every case manager",
        owner="Training manager",
        target_date=date(2005, 10, 31),
    )
    tool = plan.add_milestone(
        action_id=first, title="Audit tool agreed", due_date=date(2005, 5, 15), today=TODAY
    )
    report = plan.add_milestone(
        action_id=first, title="First audit to the Board", due_date=date(2005, 7, 21), today=TODAY
    )
    submission_id = submission.mark_plan_sent(
        inspection_id=inspection_id, sent_on=SENT, today=TODAY
    )
    return {
        "inspection": inspection_id,
        "first": first,
        "second": second,
        "tool": tool,
        "report": report,
        "submission": submission_id,
    }


# ----- marking sent ------------------------------------------------------------------------


def test_a_complete_plan_is_marked_sent_whole_without_warnings(sent_plan: dict[str, Any]) -> None:
    stored = PlanSubmission.get_by_id(sent_plan["submission"]).plan_json
    data = json.loads(stored)
    assert [a["reference"] for a in data["actions"]] == ["AP1", "AP2"]
    first = data["actions"][0]
    assert (first["text"], first["owner"], first["target_date"]) == (
        "Audit risk of harm assessments",
        "ACO Operations",
        "2005-09-30",
    )
    assert [(m["reference"], m["title"], m["due_date"]) for m in first["milestones"]] == [
        ("AP1.1", "Audit tool agreed", "2005-05-15"),
        ("AP1.2", "First audit to the Board", "2005-07-21"),
    ]
    responses = {r["reference"]: r["response"] for r in data["recommendations"]}
    assert responses["6"]["category"] == "Agreed"
    assert responses["6"]["narrative"] == "Audits quarterly from June"
    assert responses["1"]["reason"] == "Already in hand nationally"
    # read back as it was stored
    kept = submission.sent_plan(submission_id=sent_plan["submission"])
    assert kept == as_sent.from_json(stored)
    assert kept is not None and kept.actions[0].milestones[1].due == date(2005, 7, 21)


def test_internal_notes_and_drafts_never_go_into_the_plan_as_sent(
    sample_db: peewee.Database,
) -> None:
    inspection_id = list_inspections()[0].id
    action = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[rec_id("6")],
        text="Audit",
        owner="SPO",
        target_date=date(2005, 9, 30),
    )
    plan.update_action(action_id=action, changes={"internal_note": "Chief unhappy — keep quiet"})
    plan.save_response(
        recommendation_id=rec_id("7"),
        category="Partly agreed",
        narrative="Half of it",
        part_agreed="",
        reason="",
        allow_draft=True,
    )
    submission_id = submission.mark_plan_sent(
        inspection_id=inspection_id, sent_on=SENT, today=TODAY, force=True
    )
    stored = PlanSubmission.get_by_id(submission_id).plan_json
    assert "Chief unhappy" not in stored
    assert "Half of it" not in stored  # a draft is not the Board's response
    responses = {r["reference"]: r["response"] for r in json.loads(stored)["recommendations"]}
    assert responses["7"] is None


def test_an_incomplete_plan_is_refused_with_every_warning_and_nothing_recorded(
    sample_db: peewee.Database,
) -> None:
    inspection_id = list_inspections()[0].id
    plan.save_response(
        recommendation_id=rec_id("6"),
        category="Agreed",
        narrative="We will",
        part_agreed="",
        reason="",
    )
    plan.save_response(
        recommendation_id=rec_id("7"),
        category="Agreed",
        narrative="",
        part_agreed="",
        reason="",
        allow_draft=True,
    )
    with pytest.raises(submission.SendingWarnings) as refused:
        submission.mark_plan_sent(inspection_id=inspection_id, sent_on=SENT, today=TODAY)
    assert refused.value.warnings == [
        "The plan has no actions: the Inspectorate expects an action plan with the response.",
        "14 of 15 recommendations have no response from the Board (1 is only a draft): 1, 2, "
        "3, 4, 5, 7, 8, 9, 10, T1, T2, T3, T4 and T5.",
        "Recommendation 6 is agreed but has no action.",
    ]
    assert "Mark it as sent anyway only if" in str(refused.value)
    assert PlanSubmission.select().count() == 0 and SubmittedDate.select().count() == 0
    # the user saw the warnings and went on
    submission.mark_plan_sent(inspection_id=inspection_id, sent_on=SENT, today=TODAY, force=True)
    assert PlanSubmission.select().count() == 1


def test_a_bad_date_is_refused_before_the_warnings(sample_db: peewee.Database) -> None:
    inspection_id = list_inspections()[0].id
    with pytest.raises(ValidationError, match="is in the future"):
        submission.mark_plan_sent(
            inspection_id=inspection_id, sent_on=date(2005, 7, 1), today=TODAY
        )


# ----- what changed since ------------------------------------------------------------------


def change_rows(sent_plan: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    kept = submission.sent_plan(submission_id=sent_plan["submission"])
    assert kept is not None
    now = plan.load_plan(inspection_id=sent_plan["inspection"], today=TODAY)
    return [
        (c.kind, c.reference, c.change, c.before, c.after) for c in as_sent.changes_since(kept, now)
    ]


def test_nothing_changed_lists_nothing(sent_plan: dict[str, Any]) -> None:
    assert change_rows(sent_plan) == []


def test_every_kind_of_change_since_the_plan_was_sent_is_listed(
    sent_plan: dict[str, Any],
) -> None:
    plan.update_action(
        action_id=sent_plan["first"],
        changes={"text": "Audit every risk of harm assessment", "owner": "Head of Quality"},
    )
    plan.update_milestone(
        milestone_id=sent_plan["tool"], changes={"due_date": date(2005, 5, 1)}, today=TODAY
    )
    plan.update_milestone(
        milestone_id=sent_plan["report"], changes={"due_date": date(2005, 9, 15)}, today=TODAY
    )
    plan.delete_action(action_id=sent_plan["second"])
    added = plan.add_milestone(
        action_id=sent_plan["first"], title="Second audit", due_date=date(2005, 9, 1), today=TODAY
    )
    plan.link_action(action_id=sent_plan["first"], recommendation_id=rec_id("7"))
    plan.save_response(
        recommendation_id=rec_id("6"),
        category="Agreed",
        narrative="Audits monthly from June",
        part_agreed="",
        reason="",
        lead_owner="ACO Operations",
        expected_version=plan.load_plan(inspection_id=sent_plan["inspection"], today=TODAY)
        .recommendation(rec_id("6"))
        .response_version,
    )
    rows = change_rows(sent_plan)
    assert (
        "response",
        "6",
        "Reworded",
        "Audits quarterly from June",
        "Audits monthly from June",
    ) in rows
    assert (
        "action",
        "AP1",
        "Reworded",
        "Audit risk of harm assessments",
        "Audit every risk of harm assessment",
    ) in rows
    assert ("action", "AP1", "Owner changed", "ACO Operations", "Head of Quality") in rows
    assert ("action", "AP1", "Recommendations changed", "6", "6, 7") in rows
    assert ("milestone", "AP1.1", "Brought forward", "15 May 2005", "1 May 2005") in rows
    assert ("milestone", "AP1.3", "Added", "", "Second audit (due 1 September 2005)") in rows
    withdrawn = [r for r in rows if r[2] == "Withdrawn"]
    assert withdrawn == [
        (
            "action",
            "AP2",
            "Withdrawn",
            "Train every case manager (owner: Training manager; target 31 October 2005)",
            "",
        )
    ]
    # a later date is an extension request, not listed here
    assert not [r for r in rows if r[1] == "AP1.2"]
    assert added


def test_a_deleted_milestone_is_withdrawn_not_forgotten(sent_plan: dict[str, Any]) -> None:
    plan.delete_milestone(milestone_id=sent_plan["tool"])
    assert change_rows(sent_plan) == [
        ("milestone", "AP1.1", "Withdrawn", "Audit tool agreed (due 15 May 2005)", "")
    ]


def test_a_changed_category_is_a_changed_response(sent_plan: dict[str, Any]) -> None:
    plan.save_response(
        recommendation_id=rec_id("1"),
        category="Partly agreed",
        narrative="The audit part",
        part_agreed="The audit",
        reason="The rest is national",
        expected_version=plan.load_plan(inspection_id=sent_plan["inspection"], today=TODAY)
        .recommendation(rec_id("1"))
        .response_version,
    )
    assert change_rows(sent_plan) == [
        (
            "response",
            "1",
            "Response changed",
            "Not agreed. Reason: Already in hand nationally",
            "Partly agreed: The audit part. Agreed: The audit. Reason: The rest is national",
        )
    ]


def test_an_unreadable_plan_as_sent_is_one_sentence() -> None:
    with pytest.raises(Exception, match="cannot be read by this version"):
        as_sent.from_json('{"format": 99}')


# ----- the Board paper ---------------------------------------------------------------------


def paper(sent_plan: dict[str, Any], meeting: date, today: date = TODAY) -> str:
    return pdf_words(
        render_progress(inspection_id=sent_plan["inspection"], meeting_date=meeting, today=today)
    )


def test_the_board_paper_shows_every_change_and_withdrawn_items(
    sent_plan: dict[str, Any],
) -> None:
    plan.update_action(action_id=sent_plan["first"], changes={"text": "Audit every assessment"})
    plan.delete_action(action_id=sent_plan["second"])
    words = paper(sent_plan, date(2005, 6, 16))
    assert "5. Changes since the plan was sent" in words
    assert "note the 2 changes to the plan since it was sent (section 5)" in words
    assert "AP2 Action Withdrawn Train every case manager" in words
    assert "AP1 Action Reworded Audit risk of harm assessments Audit every assessment" in words


def test_a_plan_marked_sent_by_an_earlier_version_says_so(sent_plan: dict[str, Any]) -> None:
    PlanSubmission.update(plan_json="").execute()  # as version 5 left it
    words = paper(sent_plan, date(2005, 6, 16))
    assert "by an earlier version, which kept only its dates" in words


# ----- the Board's decisions on extension requests -----------------------------------------


def slip_report(sent_plan: dict[str, Any]) -> None:
    plan.update_milestone(
        milestone_id=sent_plan["report"], changes={"due_date": date(2005, 9, 15)}, today=TODAY
    )


def test_a_decision_is_recorded_and_shown_in_later_papers(sent_plan: dict[str, Any]) -> None:
    slip_report(sent_plan)
    inspection_id = sent_plan["inspection"]
    before = paper(sent_plan, date(2005, 5, 26))
    assert "decide the 1 extension request (section 6)" in before
    decision_id = extensions.record_decision(
        inspection_id=inspection_id,
        reference="ap1.2",
        decision="approve",
        meeting_date=date(2005, 5, 26),
        minute_reference="12/05",
        today=TODAY,
    )
    (request,) = extensions.extension_requests(inspection_id=inspection_id, today=TODAY)
    assert request.decision is not None and request.decision.id == decision_id
    assert request.decision.words == ("Approved at the Board meeting of 26 May 2005 (minute 12/05)")
    later = paper(sent_plan, date(2005, 7, 21))
    assert "decide the" not in later
    assert "Every request has the Board’s decision." in later
    assert "Approved at the Board meeting of 26 May 2005" in later
    assert "The Board’s decisions on extension requests" in later
    assert "AP1.2 First audit to the Board 15 September 2005 Approved 26 May 2005 12/05" in later
    # the paper for a meeting before the decision does not show it
    earlier = paper(sent_plan, date(2005, 5, 20), today=date(2005, 5, 20))
    assert "Approved at the Board meeting" not in earlier
    # the date moves again: a new request, waiting for the Board
    plan.update_milestone(
        milestone_id=sent_plan["report"], changes={"due_date": date(2005, 10, 31)}, today=TODAY
    )
    (again,) = extensions.extension_requests(inspection_id=inspection_id, today=TODAY)
    assert again.decision is None
    again_words = paper(sent_plan, date(2005, 7, 21))
    assert "decide the 1 extension request" in again_words
    assert "Approved" in again_words  # the earlier decision stays on record


@pytest.mark.parametrize(
    ("reference", "decision", "meeting", "message"),
    [
        ("AP1.1", "Approved", date(2005, 5, 26), "AP1.1 has no extension request"),
        ("B1", "Approved", date(2005, 5, 26), "is not an action or milestone reference"),
        ("AP1.2", "Maybe", date(2005, 5, 26), "is not a decision"),
        ("AP1.2", "Refused", date(2005, 4, 1), "is before the plan was sent"),
        ("AP1.2", "Refused", date(2005, 6, 30), "has not happened yet"),
    ],
)
def test_a_decision_that_cannot_be_is_one_sentence_and_records_nothing(
    sent_plan: dict[str, Any], reference: str, decision: str, meeting: date, message: str
) -> None:
    slip_report(sent_plan)
    with pytest.raises(ValidationError, match=message):
        extensions.record_decision(
            inspection_id=sent_plan["inspection"],
            reference=reference,
            decision=decision,
            meeting_date=meeting,
            today=TODAY,
        )
    assert ExtensionDecision.select().count() == 0


def test_a_request_is_decided_once_and_the_undo_takes_it_back(sent_plan: dict[str, Any]) -> None:
    slip_report(sent_plan)
    inspection_id = sent_plan["inspection"]

    def decide() -> int:
        return extensions.record_decision(
            inspection_id=inspection_id,
            reference="AP1.2",
            decision="Refused",
            meeting_date=date(2005, 5, 26),
            today=TODAY,
        )

    decision_id = decide()
    with pytest.raises(ValidationError, match="is already recorded: Refused at the Board"):
        decide()
    snapshot = extensions.withdraw_decision(decision_id=decision_id)
    assert ExtensionDecision.select().count() == 0
    plan.restore(snapshot=snapshot)
    assert ExtensionDecision.get_by_id(decision_id).decision == "Refused"
    # the history names it
    entries = audit.inspection_history(inspection_id=inspection_id)
    assert "Extension decision on AP1.2" in audit.item_labels(entries).values()


def test_no_decision_before_the_plan_is_sent(sample_db: peewee.Database) -> None:
    with pytest.raises(ValidationError, match="has not been marked as sent"):
        extensions.record_decision(
            inspection_id=list_inspections()[0].id,
            reference="AP1",
            decision="Approved",
            meeting_date=date(2005, 5, 26),
            today=TODAY,
        )


def test_undoing_mark_sent_keeps_the_decisions_made_on_it(sent_plan: dict[str, Any]) -> None:
    slip_report(sent_plan)
    extensions.record_decision(
        inspection_id=sent_plan["inspection"],
        reference="AP1.2",
        decision="Approved",
        meeting_date=date(2005, 5, 26),
        today=TODAY,
    )
    snapshot = submission.withdraw_submission(submission_id=sent_plan["submission"])
    assert ExtensionDecision.select().count() == 0  # cascaded with the record
    plan.restore(snapshot=snapshot)
    assert ExtensionDecision.select().count() == 1


# ----- the command line --------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_the_command_line_lists_requests_and_records_a_decision(
    sent_plan: dict[str, Any], db_url: str
) -> None:
    slip_report(sent_plan)
    status, printed, err = run("extensions", "--db", db_url)
    assert (status, err) == (0, "")
    assert "Against the plan sent on 12 April 2005: 1 extension request, 1 awaiting" in printed
    assert "AP1.2" in printed and "21 July 2005 to 15 September 2005 (56 days later)" in printed
    status, printed, err = run(
        "decide-extension",
        "AP1.2",
        "--approved",
        "--meeting",
        "26/05/2005",  # typed the British way
        "--minute",
        "12/05",
        "--db",
        db_url,
    )
    assert (status, err) == (0, "")
    assert printed == (
        "Recorded: the extension of AP1.2 to 15 September 2005 was approved at the Board "
        "meeting of 26 May 2005 (minute 12/05).\n"
    )
    status, printed, err = run("extensions", "--db", db_url, "--json")
    document = json.loads(printed)
    assert document["sent_on"] == "2005-04-12"
    (request,) = document["requests"]
    assert (request["reference"], request["days_later"], request["proposed_date"]) == (
        "AP1.2",
        56,
        "2005-09-15",
    )
    assert request["decision"] == {
        "reference": "AP1.2",
        "requested_date": "2005-09-15",
        "decision": "Approved",
        "meeting_date": "2005-05-26",
        "minute": "12/05",
    }
    # a second decision on the same request: one line, exit 2
    status, printed, err = run(
        "decide-extension", "AP1.2", "--refused", "--meeting", "2005-05-26", "--db", db_url
    )
    assert (status, printed) == (2, "")
    assert err.startswith("main.py decide-extension: The Board's decision on AP1.2's request")
    assert err.count("\n") == 1


def test_mark_sent_from_the_command_line_warns_and_needs_force(
    sample_db: peewee.Database, db_url: str
) -> None:
    status, printed, err = run("mark-sent", "--db", db_url, "--date", "12/04/2005")
    assert (status, printed) == (2, "")
    assert err.splitlines()[0] == (
        "warning: The plan has no actions: the Inspectorate expects an action plan with the "
        "response."
    )
    assert err.splitlines()[-1].startswith("main.py mark-sent: nothing was recorded.")
    assert PlanSubmission.select().count() == 0
    status, printed, err = run("mark-sent", "--db", db_url, "--date", "12/04/2005", "--force")
    assert status == 0 and "The plan has no actions" in err
    assert "Marked the Gloucestershire action plan as sent on 12 April 2005" in printed
    assert PlanSubmission.select().count() == 1


def test_two_people_recording_the_same_decision_at_once_get_one_and_a_sentence(
    any_sample_db: peewee.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second of two simultaneous decisions meets the first one's row (the unique index),
    on SQLite and PostgreSQL alike: one decision is kept, the other person is told."""
    inspection_id = list_inspections()[0].id
    action = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[rec_id("6")],
        text="Audit",
        owner="SPO",
        target_date=date(2005, 9, 30),
    )
    submission.mark_plan_sent(inspection_id=inspection_id, sent_on=SENT, today=TODAY, force=True)
    plan.update_action(action_id=action, changes={"target_date": date(2005, 12, 31)})
    (request,) = extensions.extension_requests(inspection_id=inspection_id, today=TODAY)
    extensions.record_decision(
        inspection_id=inspection_id,
        reference="AP1",
        decision="Approved",
        meeting_date=date(2005, 5, 26),
        today=TODAY,
    )
    # the second person checked before the first one's decision was there to see
    monkeypatch.setattr(extensions, "extension_requests", lambda **_kw: [request])
    with pytest.raises(ValidationError, match="Someone else has just recorded"):
        extensions.record_decision(
            inspection_id=inspection_id,
            reference="AP1",
            decision="Refused",
            meeting_date=date(2005, 5, 26),
            today=TODAY,
        )
    decisions = extensions.extension_decisions(inspection_id=inspection_id)
    assert [d.decision for d in decisions] == ["Approved"]
    # the connection is still usable after the refusal (PostgreSQL aborts a failed transaction)
    assert submission.latest_submission(inspection_id=inspection_id) is not None


# ----- what the review of the first version found ------------------------------------------


def response_version(inspection_id: int, reference: str) -> int | None:
    return (
        plan.load_plan(inspection_id=inspection_id, today=TODAY)
        .recommendation(rec_id(reference))
        .response_version
    )


def test_each_part_of_a_response_that_changed_has_its_own_row(sent_plan: dict[str, Any]) -> None:
    inspection_id = sent_plan["inspection"]
    plan.save_response(
        recommendation_id=rec_id("6"),
        category="Agreed",
        narrative="Audits monthly from June",
        part_agreed="",
        reason="",
        lead_owner="Chief officer",
        expected_version=response_version(inspection_id, "6"),
    )
    plan.save_response(
        recommendation_id=rec_id("1"),
        category="Not agreed",
        narrative="",
        part_agreed="",
        reason="Done nationally from 2006",
        expected_version=response_version(inspection_id, "1"),
    )
    rows = change_rows(sent_plan)
    assert (
        "response",
        "6",
        "Reworded",
        "Audits quarterly from June",
        "Audits monthly from June",
    ) in rows
    assert ("response", "6", "Owner changed", "ACO Operations", "Chief officer") in rows
    assert (
        "response",
        "1",
        "Reason changed",
        "Already in hand nationally",
        "Done nationally from 2006",
    ) in rows


def test_an_undone_unlink_is_no_change(sent_plan: dict[str, Any]) -> None:
    plan.link_action(action_id=sent_plan["first"], recommendation_id=rec_id("7"))
    submission.mark_plan_sent(
        inspection_id=sent_plan["inspection"], sent_on=date(2005, 4, 20), today=TODAY
    )
    sent_plan["submission"] = submission.latest_submission(inspection_id=sent_plan["inspection"]).id  # type: ignore[union-attr]
    plan.unlink_action(action_id=sent_plan["first"], recommendation_id=rec_id("6"))
    plan.link_action(action_id=sent_plan["first"], recommendation_id=rec_id("6"))  # Ctrl+Z
    assert change_rows(sent_plan) == []


def test_criteria_changed_since_the_plan_was_sent_are_listed(sent_plan: dict[str, Any]) -> None:
    plan.set_action_criteria(action_id=sent_plan["first"], criteria=[("esi-core", "B1")])
    submission.mark_plan_sent(
        inspection_id=sent_plan["inspection"], sent_on=date(2005, 4, 20), today=TODAY
    )
    sent_plan["submission"] = submission.latest_submission(inspection_id=sent_plan["inspection"]).id  # type: ignore[union-attr]
    plan.set_action_criteria(
        action_id=sent_plan["first"], criteria=[("esi-core", "B1"), ("esi-core", "C5")]
    )
    assert change_rows(sent_plan) == [("action", "AP1", "Criteria changed", "B1", "B1, C5")]


def test_a_recommendation_added_since_is_listed_with_its_response(
    sent_plan: dict[str, Any],
) -> None:
    six = Recommendation.get_by_id(rec_id("6"))
    added = Recommendation.create(
        inspection=sent_plan["inspection"],
        reference="11",
        text="A new one",
        stem="",
        framework_id=six.framework_id,
        position=99,
    )
    plan.save_response(
        recommendation_id=added.id,
        category="Agreed",
        narrative="We will",
        part_agreed="",
        reason="",
        lead_owner="CO",
    )
    assert change_rows(sent_plan) == [("response", "11", "Added", "", "Agreed: We will")]


def test_a_date_moved_later_then_completed_is_a_change_not_silence(
    sent_plan: dict[str, Any],
) -> None:
    plan.update_milestone(
        milestone_id=sent_plan["tool"], changes={"due_date": date(2005, 5, 31)}, today=TODAY
    )
    plan.update_milestone(
        milestone_id=sent_plan["tool"],
        changes={"status": "Complete", "completed_on": date(2005, 5, 30)},
        today=TODAY,
    )
    assert change_rows(sent_plan) == [
        ("milestone", "AP1.1", "Completed after a later date", "15 May 2005", "31 May 2005")
    ]
    words = paper(sent_plan, date(2005, 7, 21))
    assert "Nothing has changed since the plan was sent" not in words
    assert "No extension request is open" in words
    assert "Every request has the Board’s decision" not in words


def test_a_decision_is_for_the_date_the_board_saw(sent_plan: dict[str, Any]) -> None:
    slip_report(sent_plan)  # 15 September 2005, in the paper
    plan.update_milestone(
        milestone_id=sent_plan["report"], changes={"due_date": date(2005, 9, 30)}, today=TODAY
    )  # moved again since
    with pytest.raises(ValidationError, match="now asks for 30 September 2005, not 15 Sep"):
        extensions.record_decision(
            inspection_id=sent_plan["inspection"],
            reference="AP1.2",
            decision="Approved",
            meeting_date=date(2005, 5, 26),
            requested_date=date(2005, 9, 15),
            today=TODAY,
        )
    assert ExtensionDecision.select().count() == 0


def test_the_paper_of_the_meeting_that_decides_still_asks_it(sent_plan: dict[str, Any]) -> None:
    slip_report(sent_plan)
    extensions.record_decision(
        inspection_id=sent_plan["inspection"],
        reference="AP1.2",
        decision="Approved",
        meeting_date=date(2005, 5, 26),
        today=TODAY,
    )
    assert "decide the 1 extension request" in paper(sent_plan, date(2005, 5, 26))
    assert "decide the" not in paper(sent_plan, date(2005, 7, 21))


def test_a_minute_reference_is_one_line(sent_plan: dict[str, Any]) -> None:
    slip_report(sent_plan)
    with pytest.raises(ValidationError, match="A minute reference is one line"):
        extensions.record_decision(
            inspection_id=sent_plan["inspection"],
            reference="AP1.2",
            decision="Approved",
            meeting_date=date(2005, 5, 26),
            minute_reference="12\n05",
            today=TODAY,
        )


def test_a_decision_recorded_by_mistake_is_withdrawn_from_the_command_line(
    sent_plan: dict[str, Any], db_url: str
) -> None:
    slip_report(sent_plan)
    decide = ("decide-extension", "AP1.2", "--meeting", "26/05/2005", "--db", db_url)
    assert run(*decide, "--approved")[0] == 0
    status, printed, err = run(*decide, "--refused")
    assert status == 2 and "--withdraw" in err
    status, printed, err = run("decide-extension", "AP1.2", "--withdraw", "--db", db_url)
    assert (status, err) == (0, "")
    assert printed.startswith("Withdrawn: the decision on AP1.2's request for 15 September 2005")
    assert run(*decide, "--refused")[0] == 0
    # the history still names the withdrawn decision by its reference
    entries = audit.inspection_history(inspection_id=sent_plan["inspection"])
    labels = audit.item_labels(entries)
    decisions = [
        labels[(e.item_kind, e.item_id)] for e in entries if e.item_kind == "extension_decision"
    ]
    assert decisions and set(decisions) == {"Extension decision on AP1.2"}
    described = [e.new_value or e.old_value for e in entries if e.item_kind == "extension_decision"]
    assert "AP1.2: extension to 15 September 2005 approved at the Board meeting" in described[0]
    # a recording with no meeting is one sentence
    status, _, err = run("decide-extension", "AP1.2", "--approved", "--db", db_url)
    assert status == 2 and "needs the meeting that decided" in err and err.count("\n") == 1


def test_the_list_prints_on_a_windows_console(sent_plan: dict[str, Any], db_url: str) -> None:
    slip_report(sent_plan)
    printed = run("extensions", "--db", db_url)[1]
    printed.encode("cp1252")  # a console in Windows' ANSI code page can print every character
    assert "21 July 2005 to 15 September 2005 (56 days later)" in printed


def test_redoing_a_decision_someone_else_has_meanwhile_made_is_a_sentence(
    sent_plan: dict[str, Any],
) -> None:
    slip_report(sent_plan)
    decision_id = extensions.record_decision(
        inspection_id=sent_plan["inspection"],
        reference="AP1.2",
        decision="Approved",
        meeting_date=date(2005, 5, 26),
        today=TODAY,
    )
    snapshot = extensions.withdraw_decision(decision_id=decision_id)  # Ctrl+Z
    extensions.record_decision(  # someone else, meanwhile
        inspection_id=sent_plan["inspection"],
        reference="AP1.2",
        decision="Refused",
        meeting_date=date(2005, 5, 26),
        today=TODAY,
    )
    with pytest.raises(EsiError, match="someone else has meanwhile recorded the same item"):
        plan.restore(snapshot=snapshot)  # Ctrl+Y
    assert [
        d.decision for d in extensions.extension_decisions(inspection_id=sent_plan["inspection"])
    ] == ["Refused"]
