"""Evidence files (issue 15 §1): attaching, listing, removing and putting back, copies out,
and evidence following its item through indent and outdent — on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import stat
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import peewee
import pytest
from pytestqt.qtbot import QtBot

from db.models import Evidence, EvidenceContent, Recommendation
from esi_desktop import audit, database, evidence, plan
from esi_desktop.errors import EsiError, NotFoundError, ValidationError
from esi_desktop.evidence import copies, store
from esi_desktop.inspections import list_inspections
from esi_desktop.wording import ACTION, EVIDENCE, MILESTONE, RECOMMENDATION

TODAY = date(2005, 3, 1)
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


def inspection_id() -> int:
    return list_inspections()[0].id


def new_action(*references: str, text: str = "Audit risk of harm assessments") -> int:
    return plan.add_action(
        inspection_id=inspection_id(),
        recommendation_ids=[rec_id(r) for r in references],
        text=text,
        owner="ACO Operations",
        target_date=date(2005, 12, 1),
    )


def new_milestone(action_id: int, title: str = "Audit tool agreed") -> int:
    return plan.add_milestone(
        action_id=action_id, title=title, due_date=date(2005, 6, 1), today=TODAY
    )


def counts() -> tuple[int, int]:
    """(evidence rows, content rows)."""
    return Evidence.select().count(), EvidenceContent.select().count()


# ----- attaching and reading back -----------------------------------------------------------


def test_attach_reads_back_byte_identical_with_name_type_hash_and_who(
    any_sample_db: peewee.Database,
) -> None:
    action_id = new_action("3")
    milestone_id = new_milestone(action_id)
    with audit.acting_as("Board secretary"):
        view = evidence.attach(
            item_kind=MILESTONE, item_id=milestone_id, name="Minutes 12 May.pdf", data=PDF
        )
    assert view.item_reference == "AP1.1"
    assert (view.name, view.media_type, view.size) == ("Minutes 12 May.pdf", "application/pdf",
                                                       len(PDF))  # fmt: skip
    assert view.sha256 == hashlib.sha256(PDF).hexdigest()
    assert view.attached_by == "Board secretary"
    assert view.attached_at.tzinfo is None
    assert evidence.content_of(evidence_id=view.id) == PDF
    assert evidence.evidence_of(item_kind=MILESTONE, item_id=milestone_id) == [view]
    second = evidence.attach(
        item_kind=MILESTONE, item_id=milestone_id, name="Audit.xlsx", data=b"PK\x03\x04x"
    )
    assert [v.name for v in evidence.evidence_of(item_kind=MILESTONE, item_id=milestone_id)] == [
        "Minutes 12 May.pdf",
        "Audit.xlsx",
    ]
    assert second.media_type.endswith("spreadsheetml.sheet")


def test_identical_content_is_stored_once(any_sample_db: peewee.Database) -> None:
    action_id = new_action("3")
    first = evidence.attach(item_kind=ACTION, item_id=action_id, name="a.pdf", data=PDF)
    second = evidence.attach(
        item_kind=RECOMMENDATION, item_id=rec_id("6"), name="copy.pdf", data=PDF
    )
    assert counts() == (2, 1)
    assert first.sha256 == second.sha256
    assert evidence.content_of(evidence_id=second.id) == PDF


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("", "needs a name"),
        ("   ", "needs a name"),
        ("minutes/may.pdf", "is a path, not a file name"),
        ("C:\\minutes\\may.pdf", "is a path, not a file name"),
        ("minutes\nmay.pdf", "is one line"),
    ],
)
def test_a_name_that_is_not_a_file_name_is_refused(
    sample_db: peewee.Database, name: str, said: str
) -> None:
    with pytest.raises(ValidationError, match=said):
        evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("1"), name=name, data=PDF)
    assert counts() == (0, 0)


def test_media_types_of_office_and_mail_files() -> None:
    assert evidence.media_type_of("Note.MSG") == "application/vnd.ms-outlook"
    assert evidence.media_type_of("mail.eml") == "message/rfc822"
    assert evidence.media_type_of("Paper.docx").endswith("wordprocessingml.document")
    assert evidence.media_type_of("scan.JPG") == "image/jpeg"
    assert evidence.media_type_of("no ending") == "application/octet-stream"


def test_the_item_must_exist(sample_db: peewee.Database) -> None:
    milestone_id = new_milestone(new_action("1"))
    plan.delete_milestone(milestone_id=milestone_id)
    with pytest.raises(NotFoundError, match="milestone was deleted in the meantime"):
        evidence.attach(item_kind=MILESTONE, item_id=milestone_id, name="a.pdf", data=PDF)
    with pytest.raises(ValidationError, match="recommendation, an action or a milestone"):
        evidence.attach(item_kind="inspection", item_id=1, name="a.pdf", data=PDF)
    assert counts() == (0, 0)


# ----- the size limit, empty files, files on disk -------------------------------------------


def test_one_byte_over_the_limit_is_refused_and_nothing_is_stored(
    any_sample_db: peewee.Database,
) -> None:
    item = {"item_kind": RECOMMENDATION, "item_id": rec_id("1")}
    evidence.attach(**item, name="exact.pdf", data=b"x" * 100, max_bytes=100)
    with pytest.raises(ValidationError) as refused:
        evidence.attach(**item, name="big.pdf", data=b"y" * 101, max_bytes=100)
    message = str(refused.value)
    assert "“big.pdf” is 101 bytes" in message and "100 bytes allowed" in message
    assert "Edit ▸ Preferences" in message
    assert counts() == (1, 1)


def test_an_empty_file_is_refused(sample_db: peewee.Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"“empty\.pdf” is empty"):
        evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("1"), name="empty.pdf", data=b"")
    (tmp_path / "zero.docx").write_bytes(b"")
    with pytest.raises(ValidationError, match=r"“zero\.docx” is empty"):
        evidence.attach_files(
            item_kind=RECOMMENDATION, item_id=rec_id("1"), paths=[tmp_path / "zero.docx"]
        )
    assert counts() == (0, 0)


def test_the_default_limit_refuses_a_26_mb_file_without_reading_it(
    sample_db: peewee.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "Audit results.pdf"
    with open(big, "wb") as stream:
        stream.truncate(26 * 1024 * 1024)  # sparse: no disk space, no time
    opened: list[str] = []
    real_open = open

    def watch(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", watch)
    with pytest.raises(ValidationError) as refused:
        evidence.attach_files(item_kind=RECOMMENDATION, item_id=rec_id("1"), paths=[big])
    monkeypatch.undo()
    assert str(big) not in opened
    message = str(refused.value)
    assert "“Audit results.pdf” is 26.0 MB" in message and "25 MB allowed" in message
    assert "a preference (Edit ▸ Preferences ▸ Largest evidence file)" in message
    assert evidence.DEFAULT_MAX_BYTES == 25 * 1024 * 1024
    assert counts() == (0, 0)


def test_a_missing_file_among_three_attaches_none(
    any_sample_db: peewee.Database, tmp_path: Path
) -> None:
    (tmp_path / "a.pdf").write_bytes(PDF)
    (tmp_path / "c.txt").write_bytes(b"notes")
    paths = [tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "c.txt"]
    item = {"item_kind": RECOMMENDATION, "item_id": rec_id("2")}
    with pytest.raises(EsiError, match=r"There is no file at .*b\.pdf, so nothing was attached"):
        evidence.attach_files(**item, paths=paths)
    assert counts() == (0, 0)
    with pytest.raises(EsiError, match="is a folder, so nothing was attached"):
        evidence.attach_files(**item, paths=[tmp_path / "a.pdf", tmp_path])
    assert counts() == (0, 0)
    attached = evidence.attach_files(**item, paths=[paths[0], paths[2]])
    assert [v.name for v in attached] == ["a.pdf", "c.txt"]
    assert counts() == (2, 2)


def test_a_failure_after_the_first_file_is_stored_rolls_all_back(
    sample_db: peewee.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.pdf").write_bytes(PDF)
    (tmp_path / "b.pdf").write_bytes(b"second")
    real = store._read_file

    def fail_on_second(path: Path, max_bytes: int) -> bytes:
        if path.name == "b.pdf":
            raise EsiError("b.pdf could not be read (permission denied), so nothing was attached.")
        return real(path, max_bytes)

    monkeypatch.setattr(store, "_read_file", fail_on_second)
    with pytest.raises(EsiError, match=r"b\.pdf could not be read"):
        evidence.attach_files(
            item_kind=RECOMMENDATION,
            item_id=rec_id("2"),
            paths=[tmp_path / "a.pdf", tmp_path / "b.pdf"],
        )
    assert counts() == (0, 0)


# ----- removing and putting back, and the audit trail ---------------------------------------


def test_remove_then_restore_puts_back_both_rows_with_their_ids(
    any_sample_db: peewee.Database,
) -> None:
    view = evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("4"), name="a.pdf", data=PDF)
    content_id = Evidence.get_by_id(view.id).content_id
    snapshot = evidence.remove(evidence_id=view.id)
    assert counts() == (0, 0)
    assert [table for table, _ in snapshot.rows] == ["evidence_content", "evidence"]
    assert evidence.evidence_of(item_kind=RECOMMENDATION, item_id=rec_id("4")) == []
    with pytest.raises(NotFoundError, match="removed in the meantime"):
        evidence.content_of(evidence_id=view.id)
    evidence.restore_removed(snapshot=snapshot)
    assert counts() == (1, 1)
    assert Evidence.get_by_id(view.id).content_id == content_id
    assert evidence.evidence_of(item_kind=RECOMMENDATION, item_id=rec_id("4")) == [view]
    assert evidence.content_of(evidence_id=view.id) == PDF
    with pytest.raises(EsiError, match="already there"):
        evidence.restore_removed(snapshot=snapshot)
    assert counts() == (1, 1)


def test_removing_evidence_whose_content_is_shared_keeps_the_content(
    any_sample_db: peewee.Database,
) -> None:
    first = evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("1"), name="a.pdf", data=PDF)
    second = evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("2"), name="b.pdf", data=PDF)
    snapshot = evidence.remove(evidence_id=first.id)
    assert counts() == (1, 1)
    assert evidence.content_of(evidence_id=second.id) == PDF
    evidence.remove(evidence_id=second.id)
    assert counts() == (0, 0)
    # the other was removed meanwhile (by someone else): the undo still has the file
    evidence.restore_removed(snapshot=snapshot)
    assert counts() == (1, 1)
    assert evidence.content_of(evidence_id=first.id) == PDF


def test_putting_back_evidence_whose_content_was_stored_again_shares_it(
    any_sample_db: peewee.Database,
) -> None:
    view = evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("1"), name="a.pdf", data=PDF)
    snapshot = evidence.remove(evidence_id=view.id)
    again = evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("2"), name="b.pdf", data=PDF)
    evidence.restore_removed(snapshot=snapshot)
    assert counts() == (2, 1)
    assert evidence.content_of(evidence_id=view.id) == PDF
    assert Evidence.get_by_id(view.id).content_id == Evidence.get_by_id(again.id).content_id


def test_attach_remove_and_restore_are_in_the_audit_trail(sample_db: peewee.Database) -> None:
    milestone_id = new_milestone(new_action("3"))
    with audit.acting_as("Secretary"):
        view = evidence.attach(
            item_kind=MILESTONE, item_id=milestone_id, name="Minutes 12 May.pdf",
            data=b"m" * (120 * 1024),
        )  # fmt: skip
        snapshot = evidence.remove(evidence_id=view.id)
        evidence.restore_removed(snapshot=snapshot)
    entries = audit.history(item_kind=EVIDENCE, item_id=view.id)
    described = f"Evidence “Minutes 12 May.pdf” (120 KB, SHA-256 {view.sha256[:12]}…) for AP1.1"
    assert [(e.action, e.change_text, e.changed_by) for e in entries] == [
        (audit.CREATE, described, "Secretary"),
        (audit.DELETE, described, "Secretary"),
        (audit.CREATE, described, "Secretary"),
    ]
    assert all(e.inspection_id == inspection_id() for e in entries)
    # the content row has no entry of its own
    every = audit.inspection_history(inspection_id=None)
    assert not [e for e in every if e.item_kind == "evidence_content"]


# ----- evidence follows its item; a deleted item's evidence ---------------------------------


@pytest.fixture
def workspace(qtbot: QtBot, any_sample_db: peewee.Database) -> Iterator[Any]:
    from ui.workspace import Workspace

    ws = Workspace(today=lambda: TODAY)
    ws.set_inspection(inspection_id())
    yield ws


def test_evidence_follows_a_milestone_outdented_and_comes_back_on_undo(workspace: Any) -> None:
    from ui.edits import Edits

    edits = Edits(workspace)
    action_id = edits.add_action([rec_id("3")], "Audit", "ACO", date(2005, 12, 1))
    milestone_id = edits.add_milestone(action_id, "Minutes to the Board", date(2005, 6, 1))
    evidence.attach(item_kind=MILESTONE, item_id=milestone_id, name="Minutes.pdf", data=PDF)
    new_action_id = edits.outdent_milestone(milestone_id)
    moved = evidence.evidence_of(item_kind=ACTION, item_id=new_action_id)
    assert [(v.name, v.item_reference) for v in moved] == [("Minutes.pdf", "AP2")]
    assert evidence.content_of(evidence_id=moved[0].id) == PDF
    assert [v.item_reference for v in evidence.inspection_evidence(inspection_id=inspection_id())
            ] == ["AP2"]  # fmt: skip
    assert EvidenceContent.select().count() == 1
    workspace.undo_stack.undo()
    back = evidence.inspection_evidence(inspection_id=inspection_id())
    assert [(v.name, v.item_kind, v.item_id, v.item_reference) for v in back] == [
        ("Minutes.pdf", MILESTONE, milestone_id, "AP1.1")
    ]
    workspace.undo_stack.redo()
    assert [v.item_reference for v in evidence.inspection_evidence(inspection_id=inspection_id())
            ] == ["AP2"]  # fmt: skip
    history = audit.inspection_history(inspection_id=inspection_id())
    assert any(
        e.item_kind == EVIDENCE and "for AP2 — moved from AP1.1" in (e.new_value or "")
        for e in history
    )


def test_evidence_follows_an_action_indented_to_a_milestone(sample_db: peewee.Database) -> None:
    parent = new_action("1")
    child = new_action("1", text="Train the team")
    evidence.attach(item_kind=ACTION, item_id=child, name="Register.xlsx", data=b"PK\x03\x04")
    milestone_id, snapshot = plan.action_to_milestone(
        action_id=child, parent_action_id=parent, today=TODAY
    )
    moved = evidence.evidence_of(item_kind=MILESTONE, item_id=milestone_id)
    assert [v.item_reference for v in moved] == ["AP1.1"]
    assert evidence.evidence_of(item_kind=ACTION, item_id=child) == []
    plan.delete_milestone(milestone_id=milestone_id)  # the undo, as the window does it
    plan.restore(snapshot=snapshot)
    assert [v.item_reference for v in evidence.evidence_of(item_kind=ACTION, item_id=child)] == [
        "AP2"
    ]


def test_a_deleted_milestones_evidence_is_not_listed_until_it_is_restored(
    any_sample_db: peewee.Database,
) -> None:
    action_id = new_action("3")
    milestone_id = new_milestone(action_id)
    view = evidence.attach(item_kind=MILESTONE, item_id=milestone_id, name="a.pdf", data=PDF)
    snapshot = plan.delete_milestone(milestone_id=milestone_id)
    assert evidence.inspection_evidence(inspection_id=inspection_id()) == []
    assert evidence.evidence_of(item_kind=MILESTONE, item_id=milestone_id) == []
    assert counts() == (1, 1)  # kept, so that undo finds it
    plan.restore(snapshot=snapshot)
    assert evidence.inspection_evidence(inspection_id=inspection_id()) == [view]
    snapshot = plan.delete_action(action_id=action_id)
    assert evidence.inspection_evidence(inspection_id=inspection_id()) == []
    plan.restore(snapshot=snapshot)
    assert evidence.inspection_evidence(inspection_id=inspection_id()) == [view]


# ----- the inspection's list, counts ---------------------------------------------------------


def test_inspection_evidence_follows_the_plans_order(any_sample_db: peewee.Database) -> None:
    first = new_action("3", text="Audit")  # AP1, serves 3
    shared = new_action("3", "1", text="Shared")  # AP2, serves 3 and 1: listed under 1
    alone = new_action(text="Serves no recommendation")  # AP3: listed last
    one, two = new_milestone(first, "One"), new_milestone(first, "Two")  # AP1.1, AP1.2

    def attach(kind: str, item_id: int, name: str) -> None:
        evidence.attach(item_kind=kind, item_id=item_id, name=name, data=name.encode())

    attach(ACTION, alone, "alone.pdf")
    attach(MILESTONE, two, "two.pdf")
    attach(MILESTONE, one, "one-b.pdf")
    attach(ACTION, first, "first.pdf")
    attach(RECOMMENDATION, rec_id("3"), "rec3.pdf")
    attach(ACTION, shared, "shared.pdf")
    attach(MILESTONE, one, "one-c.pdf")
    attach(RECOMMENDATION, rec_id("1"), "rec1.pdf")
    listed = evidence.inspection_evidence(inspection_id=inspection_id())
    assert [(v.item_reference, v.name) for v in listed] == [
        ("1", "rec1.pdf"),
        ("AP2", "shared.pdf"),
        ("3", "rec3.pdf"),
        ("AP1", "first.pdf"),
        ("AP1.1", "one-b.pdf"),
        ("AP1.1", "one-c.pdf"),
        ("AP1.2", "two.pdf"),
        ("AP3", "alone.pdf"),
    ]
    assert evidence.evidence_counts(inspection_id=inspection_id()) == {
        (RECOMMENDATION, rec_id("1")): 1,
        (RECOMMENDATION, rec_id("3")): 1,
        (ACTION, first): 1,
        (ACTION, shared): 1,
        (ACTION, alone): 1,
        (MILESTONE, one): 2,
        (MILESTONE, two): 1,
    }


# ----- finding an item by its reference -----------------------------------------------------


def test_find_item_by_the_references_people_type(sample_db: peewee.Database) -> None:
    action_id = new_action("3")
    first, second = new_milestone(action_id), new_milestone(action_id, "Two")
    found = {
        typed: evidence.find_item(inspection_id=inspection_id(), reference=typed)
        for typed in ("3", "Rec 3", "R3", "rec. 3", "Recommendation 3", " 3 ", "t1", "AP1",
                      "ap 1.2", "AP1.1")
    }  # fmt: skip
    three = (RECOMMENDATION, rec_id("3"))
    assert found == {
        "3": three, "Rec 3": three, "R3": three, "rec. 3": three, "Recommendation 3": three,
        " 3 ": three, "t1": (RECOMMENDATION, rec_id("T1")), "AP1": (ACTION, action_id),
        "ap 1.2": (MILESTONE, second), "AP1.1": (MILESTONE, first),
    }  # fmt: skip


def test_find_item_says_which_references_there_are(sample_db: peewee.Database) -> None:
    def refused(typed: str) -> str:
        with pytest.raises(NotFoundError) as error:
            evidence.find_item(inspection_id=inspection_id(), reference=typed)
        return str(error.value)

    assert refused("AP1") == "There is no AP1 in this inspection's plan; it has no actions yet."
    action_id = new_action("3")
    for _ in range(13):
        new_action("3")
    assert refused("AP19") == (
        "There is no AP19 in this inspection's plan; references run AP1 to AP14."
    )
    assert refused("AP1.1") == "There is no AP1.1 in this inspection's plan; AP1 has no milestones."
    new_milestone(action_id)
    new_milestone(action_id)
    assert refused("AP1.7") == (
        "There is no AP1.7 in this inspection's plan; AP1's milestones run AP1.1 to AP1.2."
    )
    assert refused("Rec 12") == (
        "There is no recommendation 12 in this inspection; its recommendations are 1 to 10, "
        "T1 to T5."
    )
    assert "an action is written like AP3" in refused("B1 result")


# ----- copies out of the database -----------------------------------------------------------


def test_safe_file_names_for_windows() -> None:
    assert evidence.safe_file_name('Minutes: "May" <draft>?.pdf') == "Minutes_ _May_ _draft__.pdf"
    assert evidence.safe_file_name("CON.txt") == "_CON.txt"
    assert evidence.safe_file_name("lpt1") == "_lpt1"
    assert evidence.safe_file_name("report. . .") == "report"
    assert evidence.safe_file_name("...") == "evidence"
    long = evidence.safe_file_name("x" * 300 + ".pdf")
    assert len(long) <= 180 and long.endswith(".pdf")


def test_open_copy_is_read_only_byte_identical_and_safely_named(
    sample_db: peewee.Database,
) -> None:
    view = evidence.attach(
        item_kind=RECOMMENDATION, item_id=rec_id("1"), name="Audit: May|June?.pdf", data=PDF
    )
    path = evidence.open_copy(evidence_id=view.id)
    try:
        assert path.name == "Audit_ May_June_.pdf"
        # a folder per piece of evidence, in this run's folder of copies
        assert path.parent.name == str(view.id)
        assert path.parent.parent.name.startswith("esi-evidence-")
        assert path.read_bytes() == PDF
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o444
    finally:
        copies.remove_copies()
    assert not path.exists()


def test_save_copy_refuses_to_replace_a_file_unless_forced(
    sample_db: peewee.Database, tmp_path: Path
) -> None:
    view = evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("1"), name="a.pdf", data=PDF)
    out = tmp_path / "saved.pdf"
    evidence.save_copy(evidence_id=view.id, path=out)
    assert out.read_bytes() == PDF
    out.write_bytes(b"%PDF-1.4 someone else's")
    with pytest.raises(EsiError, match="already exists, and it was not replaced"):
        evidence.save_copy(evidence_id=view.id, path=out)
    assert out.read_bytes() == b"%PDF-1.4 someone else's"
    evidence.save_copy(evidence_id=view.id, path=out, force=True)
    assert out.read_bytes() == PDF
    with pytest.raises(EsiError, match="it is a folder"):
        evidence.save_copy(evidence_id=view.id, path=tmp_path)
    opened = database.opened()
    assert opened is not None and opened.path is not None
    with pytest.raises(EsiError, match="the ESI Desktop database in use"):
        evidence.save_copy(evidence_id=view.id, path=opened.path, force=True)
    with pytest.raises(NotFoundError):
        evidence.save_copy(evidence_id=view.id + 99, path=tmp_path / "none.pdf")


# ----- two people attaching the same new content at once ------------------------------------


def test_content_stored_by_someone_else_between_look_and_insert_is_shared(
    any_sample_db: peewee.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The retry path, made certain: the first look misses a row that is already there."""
    evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("1"), name="a.pdf", data=PDF)
    real = store._find_content
    looks: list[str] = []

    def miss_once(sha256: str) -> int | None:
        looks.append(sha256)
        return None if len(looks) == 1 else real(sha256)

    monkeypatch.setattr(store, "_find_content", miss_once)
    view = evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("2"), name="b.pdf", data=PDF)
    assert len(looks) == 2  # the insert met the unique key, and the winner's row was read
    assert counts() == (2, 1)
    assert evidence.content_of(evidence_id=view.id) == PDF


def _race_worker(url: str, recommendation_id: int, rounds: int, barrier: Any, results: Any) -> None:
    """One secretary attaching, round by round, the same new content as the other."""
    from esi_desktop import database, evidence
    from esi_desktop.evidence import store

    looks = 0
    real = store._find_content

    def counted(sha256: str) -> int | None:
        nonlocal looks
        looks += 1  # twice in one attach: it lost the race and read the winner's row
        return real(sha256)

    store._find_content = counted  # type: ignore[assignment]
    outcomes: list[str] = []
    database.connect(url)
    try:
        for round in range(rounds):
            barrier.wait(timeout=120)
            data = f"round {round} ".encode() * 20_000
            try:
                evidence.attach(
                    item_kind=RECOMMENDATION, item_id=recommendation_id,
                    name=f"round {round}.pdf", data=data,
                )  # fmt: skip
                outcomes.append("ok")
            except Exception as exc:  # every failure is reported to the test
                outcomes.append(f"{type(exc).__name__}: {exc}")
    finally:
        database.disconnect()
        results.put((outcomes, looks - rounds))


def test_two_people_attaching_the_same_new_content_at_once_both_succeed(
    any_db_url: str,
) -> None:
    from esi_desktop.report.importer import load_sample

    rounds = 15
    database.connect(any_db_url)
    try:
        load_sample()
        items = [rec_id("1"), rec_id("2")]
    finally:
        database.disconnect()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    results = context.Queue()
    workers = [
        context.Process(target=_race_worker, args=(any_db_url, item, rounds, barrier, results))
        for item in items
    ]
    for worker in workers:
        worker.start()
    reports = [results.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    print(f"\nattaches that lost the race: {sum(r for _, r in reports)}", file=sys.stderr)
    assert [outcomes for outcomes, _ in reports] == [["ok"] * rounds] * 2
    assert [w.exitcode for w in workers] == [0, 0]
    database.connect(any_db_url)
    try:
        assert counts() == (2 * rounds, rounds)
    finally:
        database.disconnect()


def test_the_history_names_a_piece_of_evidence(sample_db: peewee.Database) -> None:
    view = evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("1"), name="a.pdf", data=PDF)
    entries = audit.history(item_kind=EVIDENCE, item_id=view.id)
    assert audit.item_labels(entries) == {(EVIDENCE, view.id): "Evidence “a.pdf”"}
    evidence.remove(evidence_id=view.id)
    entries = audit.history(item_kind=EVIDENCE, item_id=view.id)
    assert audit.item_labels(entries) == {
        (EVIDENCE, view.id): f"Evidence {view.id} (since deleted)"
    }
