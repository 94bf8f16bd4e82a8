"""Evidence files kept safe (review of issue 15 §1): removals all or none, another person's
removal at the same moment, counts of existing items only, names kept as given, and the
read-only copies opened — on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import peewee
import pytest

from db.models import Evidence, EvidenceContent, Recommendation, database_proxy
from esi_desktop import audit, evidence, plan
from esi_desktop.errors import NotFoundError, ValidationError
from esi_desktop.evidence import copies, store
from esi_desktop.inspections import list_inspections
from esi_desktop.wording import ACTION, EVIDENCE, MILESTONE, RECOMMENDATION

TODAY = date(2005, 3, 1)
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


def inspection_id() -> int:
    return list_inspections()[0].id


def new_milestone() -> tuple[int, int]:
    action_id = plan.add_action(
        inspection_id=inspection_id(),
        recommendation_ids=[rec_id("3")],
        text="Audit risk of harm assessments",
        owner="ACO Operations",
        target_date=date(2005, 12, 1),
    )
    milestone_id = plan.add_milestone(
        action_id=action_id, title="Audit tool agreed", due_date=date(2005, 6, 1), today=TODAY
    )
    return action_id, milestone_id


def evidence_entries() -> list[str]:
    every = audit.inspection_history(inspection_id=None)
    return [e.action for e in every if e.item_kind == EVIDENCE]


def someone_else(statements: list[str]) -> bool:
    """Another copy of the program runs ``statements`` in one transaction on a connection of
    its own, at once; True when they went through, False when they had to wait for ours (it
    gives up after a moment, as a person would see it wait until ours ends)."""
    database = database_proxy.obj
    if isinstance(database, peewee.PostgresqlDatabase):
        connection = database.raw_connection()  # type: ignore[attr-defined]
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '300ms'")
                cursor.execute("BEGIN; " + "; ".join(statements) + "; COMMIT")
            return True
        except Exception as exc:  # the lock it waited for: psycopg2's LockNotAvailable
            assert "lock timeout" in str(exc)
            return False
        finally:
            connection.close()
    connection = sqlite3.connect(database.database, timeout=0.3, isolation_level=None)
    try:
        connection.executescript("BEGIN IMMEDIATE; " + "; ".join(statements) + "; COMMIT")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        connection.close()


def at_the_look(monkeypatch: pytest.MonkeyPatch, act: Callable[[], bool]) -> list[bool]:
    """Runs ``act`` (someone else's change) just after the first look for stored content."""
    real = store._find_content
    went: list[bool] = []

    def look(sha256: str) -> int | None:
        found = real(sha256)
        if not went:
            went.append(act())
        return found

    monkeypatch.setattr(store, "_find_content", look)
    return went


# ----- another person at the same moment ----------------------------------------------------


def test_content_removed_by_someone_else_while_attaching_it_again_is_not_lost(
    any_sample_db: peewee.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("1"), name="a.pdf", data=PDF)
    content_id = Evidence.get_by_id(first.id).content_id
    # they remove the only evidence of that content, and the content, as we attach it again
    went = at_the_look(
        monkeypatch,
        lambda: someone_else(
            [
                f"DELETE FROM evidence WHERE id = {first.id}",
                f"DELETE FROM evidence_content WHERE id = {content_id}",
            ]
        ),
    )
    second = evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("2"), name="b.pdf", data=PDF)
    assert went == [False]  # their removal waited for our attachment: the content is in use
    assert evidence.content_of(evidence_id=second.id) == PDF


def test_putting_back_evidence_while_someone_removes_its_shared_content_is_not_refused(
    any_sample_db: peewee.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("1"), name="a.pdf", data=PDF)
    other = evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("2"), name="b.pdf", data=PDF)
    content_id = Evidence.get_by_id(other.id).content_id
    snapshot = evidence.remove(evidence_id=first.id)  # the content stays: "b.pdf" has it
    went = at_the_look(
        monkeypatch,
        lambda: someone_else(
            [
                f"DELETE FROM evidence WHERE id = {other.id}",
                f"DELETE FROM evidence_content WHERE id = {content_id}",
            ]
        ),
    )
    assert evidence.restore_removed(snapshot=snapshot) == [first.id]
    assert went == [False]
    assert evidence.content_of(evidence_id=first.id) == PDF


# ----- removals all or none -----------------------------------------------------------------


def test_removing_several_pieces_is_all_or_none(
    any_sample_db: peewee.Database, tmp_path: Path
) -> None:
    paths = [tmp_path / "Minutes.pdf", tmp_path / "Audit.xlsx", tmp_path / "Copy of minutes.pdf"]
    for path, data in zip(paths, (PDF, b"PK audit" * 50, PDF), strict=True):
        path.write_bytes(data)
    views = evidence.attach_files(item_kind=RECOMMENDATION, item_id=rec_id("4"), paths=paths)
    ids = [v.id for v in views]
    evidence.remove(evidence_id=ids[0])  # removed meanwhile (by someone else)
    before = evidence_entries()
    with pytest.raises(NotFoundError, match="removed in the meantime"):
        evidence.remove_all(evidence_ids=ids)
    assert [v.id for v in evidence.evidence_of(item_kind=RECOMMENDATION, item_id=rec_id("4"))] == (
        ids[1:]
    )
    assert evidence_entries() == before  # nothing recorded either
    snapshot = evidence.remove_all(evidence_ids=ids[1:])
    assert (Evidence.select().count(), EvidenceContent.select().count()) == (0, 0)
    # the PDF's content is in the snapshot once, though two pieces shared it before
    assert [t for t, _ in snapshot.rows] == ["evidence_content"] * 2 + ["evidence"] * 2
    assert evidence.restore_removed(snapshot=snapshot) == ids[1:]
    assert [evidence.content_of(evidence_id=i) for i in ids[1:]] == [b"PK audit" * 50, PDF]


# ----- counts, names --------------------------------------------------------------------------


def test_counts_leave_out_the_evidence_of_deleted_items(any_sample_db: peewee.Database) -> None:
    action_id, milestone_id = new_milestone()
    for kind, item_id in (
        (MILESTONE, milestone_id),
        (ACTION, action_id),
        (MILESTONE, milestone_id),
    ):
        evidence.attach(item_kind=kind, item_id=item_id, name="a.pdf", data=PDF)
    evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("3"), name="b.pdf", data=PDF)
    assert evidence.evidence_counts(inspection_id=inspection_id()) == {
        (MILESTONE, milestone_id): 2,
        (ACTION, action_id): 1,
        (RECOMMENDATION, rec_id("3")): 1,
    }
    snapshot = plan.delete_milestone(milestone_id=milestone_id)
    assert evidence.evidence_counts(inspection_id=inspection_id()) == {
        (ACTION, action_id): 1,
        (RECOMMENDATION, rec_id("3")): 1,
    }
    plan.restore(snapshot=snapshot)  # undo finds its evidence again
    assert evidence.evidence_counts(inspection_id=inspection_id())[(MILESTONE, milestone_id)] == 2


@pytest.mark.parametrize(
    "name",
    [
        " Minutes 12 May.pdf",  # a leading space: Windows allows it
        "Procès-verbal du 12 mai — Conseil.pdf",
        "会议纪要" * 60 + ".docx",  # 244 characters, 724 bytes of UTF-8
    ],
)
def test_the_name_is_kept_exactly_as_given(sample_db: peewee.Database, name: str) -> None:
    view = evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("1"), name=name, data=PDF)
    assert view.name == name
    assert [v.name for v in evidence.inspection_evidence(inspection_id=inspection_id())] == [name]


def test_a_name_with_a_broken_character_is_refused_in_plain_words(
    sample_db: peewee.Database,
) -> None:
    with pytest.raises(ValidationError) as refused:
        evidence.attach(
            item_kind=RECOMMENDATION, item_id=rec_id("1"), name="Minutes\udcff.pdf", data=PDF
        )
    assert str(refused.value).startswith("The evidence file's name contains half of a broken")


# ----- read-only copies opened --------------------------------------------------------------


def test_windows_device_names_with_superscript_digits_are_made_safe() -> None:
    assert evidence.safe_file_name("COM¹.txt") == "_COM¹.txt"
    assert evidence.safe_file_name("lpt³") == "_lpt³"
    assert evidence.safe_file_name("COM10.txt") == "COM10.txt"


def test_a_long_name_is_shortened_to_what_windows_and_linux_keep() -> None:
    chinese = evidence.safe_file_name("会议纪要" * 60 + ".docx")
    assert chinese.endswith(".docx") and chinese.startswith("会议纪要")
    assert len(chinese.encode("utf-8")) <= 250
    emoji = evidence.safe_file_name("📎" * 120 + ".pdf")  # two UTF-16 units each on Windows
    assert emoji.endswith(".pdf") and len(emoji.encode("utf-16-le")) // 2 <= 180


def test_a_long_non_ascii_name_opens(sample_db: peewee.Database) -> None:
    name = "会议纪要" * 60 + ".docx"
    view = evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("1"), name=name, data=PDF)
    path = evidence.open_copy(evidence_id=view.id)
    assert path.read_bytes() == PDF
    assert path.suffix == ".docx"


def test_opening_again_gives_the_same_copy_and_copies_go_at_the_end(
    sample_db: peewee.Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(copies.tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(copies, "_session", None)
    # a folder a crashed run left three days ago, and one of a run still going
    stale, recent = tmp_path / "esi-evidence-old", tmp_path / "esi-evidence-running"
    for folder in (stale, recent):
        (folder / "7").mkdir(parents=True)
        (folder / "7" / "Minutes.pdf").write_bytes(PDF)
        os.chmod(folder / "7" / "Minutes.pdf", 0o444)
    three_days_ago = time.time() - 3 * 24 * 3600
    os.utime(stale, (three_days_ago, three_days_ago))

    view = evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("1"), name="a.pdf", data=PDF)
    read: list[int] = []
    real = copies.content_of

    def counted(*, evidence_id: int) -> bytes:
        read.append(evidence_id)
        return real(evidence_id=evidence_id)

    monkeypatch.setattr(copies, "content_of", counted)
    first = evidence.open_copy(evidence_id=view.id)
    again = evidence.open_copy(evidence_id=view.id)
    assert again == first and first.read_bytes() == PDF
    assert read == [view.id]  # the bytes came from the database once
    assert not stale.exists() and recent.exists()
    session = first.parent.parent
    assert session.name.startswith("esi-evidence-")
    copies.remove_copies()  # as when the program ends
    assert not session.exists()
    third = evidence.open_copy(evidence_id=view.id)  # a new run's folder
    assert third.read_bytes() == PDF and third.parent.parent != session
    copies.remove_copies()


def test_deleting_an_inspection_frees_its_files_but_not_those_another_still_holds(
    any_sample_db: peewee.Database, tmp_path: Path
) -> None:
    from esi_desktop import inspection_record
    from esi_desktop.report.importer import import_report, preview_report
    from tests.conftest import REFERENCE_TEXT
    from tests.report_fixtures import rename_area

    deleted = list_inspections()[0]
    evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("3"), name="own.pdf", data=b"own")
    evidence.attach(item_kind=RECOMMENDATION, item_id=rec_id("4"), name="both.pdf", data=b"both")
    report = tmp_path / "other.txt"
    report.write_text(rename_area(REFERENCE_TEXT, "Wiltshire"), encoding="utf-8")
    other = import_report(preview=preview_report(path=report)).inspection_id
    other_rec = Recommendation.get(
        (Recommendation.inspection == other) & (Recommendation.reference == "3")
    )
    evidence.attach(item_kind=RECOMMENDATION, item_id=other_rec.id, name="b.pdf", data=b"both")

    inspection_record.delete_inspection(inspection_id=deleted.id, confirmation=deleted.name)

    kept = evidence.inspection_evidence(inspection_id=other)
    assert [(e.name, evidence.content_of(evidence_id=e.id)) for e in kept] == [("b.pdf", b"both")]
    assert EvidenceContent.select().count() == 1  # "own" went with its inspection
