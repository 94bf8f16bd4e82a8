"""Marking the plan as sent, what progress papers list, and saving a PDF whole or not at all."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import peewee
import pytest

from db.models import PlanSubmission, Recommendation, SubmittedDate
from esi_desktop import dashboard, files, plan
from esi_desktop.errors import EsiError, ValidationError
from esi_desktop.inspections import list_inspections
from esi_desktop.plan import submission

TODAY = date(2005, 6, 1)


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


def extension_requests(inspection_id: int) -> list[submission.Slip]:
    """The slips a progress paper reads: the plan today against the latest plan as sent
    (no recorded dates, so no slips, when it has not been sent)."""
    record = submission.latest_submission(inspection_id=inspection_id)
    sent = submission.submitted_dates(submission_id=record.id) if record is not None else {}
    return submission.slips(plan.load_plan(inspection_id=inspection_id, today=TODAY), sent)


@pytest.fixture
def small_plan(sample_db: peewee.Database) -> dict[str, int]:
    """Two actions with three milestones on the sample inspection."""
    inspection_id = list_inspections()[0].id
    first = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[rec_id("6")],
        text="Audit risk of harm assessments",
        owner="ACO Operations",
        target_date=date(2005, 9, 30),
    )
    second = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[rec_id("8")],
        text="Contact audit",
        owner="SPO",
        target_date=date(2005, 8, 31),
    )
    tool = plan.add_milestone(
        action_id=first, title="Audit tool agreed", due_date=date(2005, 5, 15), today=TODAY
    )
    report = plan.add_milestone(
        action_id=first, title="First audit to the Board", due_date=date(2005, 7, 21), today=TODAY
    )
    sample = plan.add_milestone(
        action_id=second, title="Sample drawn", due_date=date(2005, 6, 10), today=TODAY
    )
    return {
        "inspection": inspection_id,
        "first": first,
        "second": second,
        "tool": tool,
        "report": report,
        "sample": sample,
    }


def test_marking_sent_records_every_date_and_later_changes_are_slips(
    small_plan: dict[str, int],
) -> None:
    inspection_id = small_plan["inspection"]
    assert submission.latest_submission(inspection_id=inspection_id) is None
    assert extension_requests(inspection_id) == []
    submission_id = submission.mark_plan_sent(
        force=True, inspection_id=inspection_id, sent_on=date(2005, 4, 12), today=TODAY
    )
    record = submission.latest_submission(inspection_id=inspection_id)
    assert record is not None
    assert (record.id, record.sent_on, record.actions, record.milestones) == (
        submission_id,
        date(2005, 4, 12),
        2,
        3,
    )
    plan.update_milestone(
        milestone_id=small_plan["report"], changes={"due_date": date(2005, 9, 15)}, today=TODAY
    )
    plan.update_action(action_id=small_plan["second"], changes={"target_date": date(2005, 7, 31)})
    slips = extension_requests(inspection_id)
    # brought forward is not a slip
    assert [(s.item.kind, s.item.text, s.submitted, s.item.due, s.days) for s in slips] == [
        ("milestone", "First audit to the Board", date(2005, 7, 21), date(2005, 9, 15), 56)
    ]
    assert slips[0].item.owner == "ACO Operations"
    # a completed item no longer asks for an extension
    plan.update_milestone(
        milestone_id=small_plan["report"], changes={"status": "Complete"}, today=TODAY
    )
    assert extension_requests(inspection_id) == []


def test_marking_sent_again_measures_from_the_latest(small_plan: dict[str, int]) -> None:
    inspection_id = small_plan["inspection"]
    submission.mark_plan_sent(
        force=True, inspection_id=inspection_id, sent_on=date(2005, 4, 12), today=TODAY
    )
    plan.update_milestone(
        milestone_id=small_plan["tool"], changes={"due_date": date(2005, 6, 30)}, today=TODAY
    )
    assert len(extension_requests(inspection_id)) == 1
    submission.mark_plan_sent(
        force=True, inspection_id=inspection_id, sent_on=date(2005, 5, 20), today=TODAY
    )
    assert extension_requests(inspection_id) == []
    assert PlanSubmission.select().count() == 2


@pytest.mark.parametrize(
    ("sent_on", "message"),
    [
        (date(2004, 12, 31), "before the report was published"),
        (date(2005, 6, 2), "is in the future"),
    ],
)
def test_a_bad_date_sent_is_refused_and_nothing_is_recorded(
    small_plan: dict[str, int], sent_on: date, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        submission.mark_plan_sent(
            force=True, inspection_id=small_plan["inspection"], sent_on=sent_on, today=TODAY
        )
    assert PlanSubmission.select().count() == 0 and SubmittedDate.select().count() == 0


def test_withdrawing_and_restoring_a_submission(small_plan: dict[str, int]) -> None:
    inspection_id = small_plan["inspection"]
    submission_id = submission.mark_plan_sent(
        force=True, inspection_id=inspection_id, sent_on=date(2005, 4, 12), today=TODAY
    )
    snapshot = submission.withdraw_submission(submission_id=submission_id)
    assert submission.latest_submission(inspection_id=inspection_id) is None
    assert SubmittedDate.select().count() == 0
    plan.restore(snapshot=snapshot)
    record = submission.latest_submission(inspection_id=inspection_id)
    assert record is not None and (record.id, record.milestones) == (submission_id, 3)


def test_completed_and_overdue_items(small_plan: dict[str, int]) -> None:
    inspection_id = small_plan["inspection"]
    plan.update_milestone(
        milestone_id=small_plan["sample"],
        changes={
            "status": "Complete",
            "completed_on": date(2005, 5, 20),
            "evidence": "Sample list",
        },
        today=TODAY,
    )
    view = plan.load_plan(inspection_id=inspection_id, today=TODAY)
    done = submission.completed_between(view, date(2005, 5, 1), TODAY)
    # the milestone, and the action it completed
    assert [(d.item.kind, d.item.text, d.completed_on) for d in done] == [
        ("action", "Contact audit", date(2005, 5, 20)),
        ("milestone", "Sample drawn", date(2005, 5, 20)),
    ]
    assert done[1].evidence == "Sample list"
    assert submission.completed_between(view, date(2005, 5, 20), TODAY) == []
    on = date(2005, 10, 3)
    late = dashboard.overdue_items(plan.load_plan(inspection_id=inspection_id, today=on), on)
    assert [(o.text, o.days_overdue) for o in late] == [
        ("Audit tool agreed", 141),
        ("First audit to the Board", 74),
        ("Audit risk of harm assessments", 3),
    ]
    assert late[2].status == "0 of 2 milestones complete"


def test_period_start_prefers_the_previous_meeting_then_sending_then_publication(
    small_plan: dict[str, int],
) -> None:
    inspection_id = small_plan["inspection"]
    meeting = date(2005, 7, 21)
    start = submission.period_start(inspection_id=inspection_id, meeting_date=meeting)
    assert (start.day, start.description) == (
        date(2005, 1, 1),
        "the report was published in January 2005",
    )
    submission.mark_plan_sent(
        force=True, inspection_id=inspection_id, sent_on=date(2005, 4, 12), today=TODAY
    )
    start = submission.period_start(inspection_id=inspection_id, meeting_date=meeting)
    assert start.day == date(2005, 4, 12) and "sent to the Inspectorate" in start.description
    plan.add_board_meeting(inspection_id=inspection_id, meeting_date=date(2005, 5, 19))
    plan.add_board_meeting(inspection_id=inspection_id, meeting_date=meeting)
    start = submission.period_start(inspection_id=inspection_id, meeting_date=meeting)
    assert (start.day, start.description) == (date(2005, 5, 19), "the Board meeting of 19 May 2005")


# ----- writing PDFs --------------------------------------------------------------------------


def test_write_pdf_atomically_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"%PDF-old")
    submission.write_pdf_atomically(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.pdf"]
    if os.name == "posix":  # an ordinary file, not the temporary file's private mode
        mask = os.umask(0o022)
        os.umask(mask)
        assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_a_locked_file_is_a_sentence_and_leaves_the_old_file_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"%PDF-old")

    def locked(_source: object, _destination: object) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(EsiError, match="open in another program") as caught:
        submission.write_pdf_atomically(target, b"%PDF-new")
    assert str(target) in str(caught.value)
    assert target.read_bytes() == b"%PDF-old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.pdf"]


def test_an_unwritable_folder_is_a_sentence_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()

    def refuse(*_args: object, **_kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    # root may write anywhere, so the refusal is simulated where the file would be created
    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    with pytest.raises(EsiError, match="you may not write in the folder") as caught:
        submission.write_pdf_atomically(folder / "plan.pdf", b"%PDF")
    assert str(folder) in str(caught.value)
    assert list(folder.iterdir()) == []


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EsiError, match="does not exist"):
        submission.write_pdf_atomically(tmp_path / "nowhere" / "plan.pdf", b"%PDF")
    with pytest.raises(EsiError, match="it is a folder"):
        submission.write_pdf_atomically(tmp_path, b"%PDF")


def test_a_full_disk_removes_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(_descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(EsiError, match="the disk is full"):
        submission.write_pdf_atomically(tmp_path / "plan.pdf", b"%PDF")
    assert list(tmp_path.iterdir()) == []
