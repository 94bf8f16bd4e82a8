"""Reminders: what is due per owner, what becomes due while the program runs (announced once),
and the owners' unsent e-mails written by ``main.py export reminders``, read back with the
standard library's e-mail parser."""

from __future__ import annotations

import dataclasses
import email
import errno
import io
import os
import stat
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path

import peewee
import pytest

from esi_desktop import database, plan
from esi_desktop.cli import main
from esi_desktop.dashboard import DueItem
from esi_desktop.errors import EsiError
from esi_desktop.reminders import (
    Announcer,
    DueAndOverdue,
    announcement,
    by_owner,
    load_due_and_overdue,
    owner_key,
    owner_name,
    when_text,
)
from esi_desktop.reminders.emails import (
    RemindersRound,
    plan_reminders,
    reminder_file_name,
    reminders_round,
    write_reminders,
)
from esi_desktop.wording import MILESTONE
from tests.test_export import fill_plan, rec_id

TODAY = date(2005, 6, 1)
JANE = "Jane Smith <jane.smith@glos.probation.gov.uk>"
NOW = datetime(2005, 6, 1, 9, 0, tzinfo=UTC)


@dataclass
class Reminded:
    inspection_id: int
    milestones: dict[str, int]


@pytest.fixture
def reminded(sample_db: peewee.Database) -> Reminded:
    """fill_plan's plan (AP2.1 "Audit tool agreed", ACO Operations, overdue since 15 May), and:
    the same owner written "aco  operations" with an overdue milestone; Jane Smith, with her
    address, a milestone due in 6 days and one due in 20 (beyond the period); an action with
    no owner past its target date."""
    filled = fill_plan()
    milestones = dict(filled.milestones)
    again = plan.add_action(
        inspection_id=filled.inspection_id,
        recommendation_ids=[rec_id("6")],
        text="Refresh the risk of harm training",
        owner="aco  operations",
        target_date=date(2005, 11, 30),
    )
    milestones["refresh"] = plan.add_milestone(
        action_id=again, title="Book the trainers", due_date=date(2005, 5, 20), today=TODAY
    )
    janes = plan.add_action(
        inspection_id=filled.inspection_id,
        recommendation_ids=[rec_id("T1")],
        text="Agree an accommodation protocol with the district councils",
        owner=JANE,
        target_date=date(2005, 12, 1),
    )
    milestones["protocol"] = plan.add_milestone(
        action_id=janes,
        title="Draft protocol to the councils",
        due_date=date(2005, 6, 7),
        today=TODAY,
    )
    milestones["later"] = plan.add_milestone(
        action_id=janes, title="Protocol signed", due_date=date(2005, 6, 21), today=TODAY
    )
    plan.add_action(
        inspection_id=filled.inspection_id,
        recommendation_ids=[rec_id("3")],
        text="Review the caseload weighting",
        owner="",
        target_date=date(2005, 5, 31),
    )
    return Reminded(filled.inspection_id, milestones)


def parsed(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


# ----- what is due, per owner ---------------------------------------------------------------


def test_overdue_items_come_first_then_those_due_within_the_period(reminded: Reminded) -> None:
    due = load_due_and_overdue(inspection_id=reminded.inspection_id, today=TODAY, days=14)
    assert [item.text for item in due.items] == [
        "Audit tool agreed",  # 15 May
        "Book the trainers",  # 20 May
        "Review the caseload weighting",  # the action's target date, 31 May
        "Draft protocol to the councils",  # due 7 June
    ]
    assert due.summary == "3 items overdue and 1 due within 14 days"
    longer = load_due_and_overdue(inspection_id=reminded.inspection_id, today=TODAY, days=30)
    assert longer.due_soon[-1].text == "Protocol signed"  # 21 June: within 30 days
    assert when_text(date(2005, 5, 20), TODAY) == "Overdue by 12 days"
    assert when_text(date(2005, 6, 4), TODAY) == "Due in 3 days"
    assert when_text(TODAY, TODAY) == "Due today"
    assert when_text(date(2005, 6, 2), TODAY) == "Due tomorrow"


def test_owners_are_grouped_whatever_the_case_spacing_or_address(reminded: Reminded) -> None:
    due = load_due_and_overdue(inspection_id=reminded.inspection_id, today=TODAY, days=14)
    owners, unowned = by_owner(due)
    assert [(o.owner, [i.text for i in o.items]) for o in owners] == [
        ("ACO Operations", ["Audit tool agreed", "Book the trainers"]),
        (JANE, ["Draft protocol to the councils"]),
    ]
    assert owners[0].spellings == ("ACO Operations", "aco operations")
    assert owners[1].name == "Jane Smith"
    assert [item.reference for item in unowned] == ["AP5"]
    assert owner_key("Head of  OPERATIONS") == owner_key("head of operations")
    assert owner_name("jane@glos.probation.gov.uk") == "jane@glos.probation.gov.uk"
    assert owner_name("Head of Operations, jane@glos.probation.gov.uk") == "Head of Operations"
    # a name's own brackets are kept; those that held only the address go
    assert owner_name("ACO (Public Protection) <aco@glos.probation.gov.uk>") == (
        "ACO (Public Protection)"
    )
    assert owner_name("Jane Smith (jane@glos.probation.gov.uk)") == "Jane Smith"


# ----- announced while the program runs -----------------------------------------------------


def test_an_item_crossing_a_line_is_announced_once(reminded: Reminded) -> None:
    announcer = Announcer(TODAY)

    def look(day: date) -> list[str]:
        due = load_due_and_overdue(inspection_id=reminded.inspection_id, today=day, days=14)
        return [c.name + (" overdue" if c.overdue else " due") for c in
                announcer.check(due.items, today=day, days=14)]  # fmt: skip

    # what was there on opening is the panel's, not news; a second look the same day: nothing
    assert look(TODAY) == [] and look(TODAY) == []
    # 8 June: the draft protocol (7 June) is now overdue; "Protocol signed" (21 June) is
    # now within 14 days
    assert look(date(2005, 6, 8)) == ["AP4.1 overdue", "AP4.2 due"]
    assert look(date(2005, 6, 8)) == []
    assert look(date(2005, 6, 9)) == []  # never repeated
    # 22 June: "Protocol signed" passes its date
    assert look(date(2005, 6, 22)) == ["AP4.2 overdue"]
    # another inspection (or database) on show starts afresh
    announcer.restart(date(2005, 7, 1))
    assert look(date(2005, 7, 1)) == []


def test_the_words_of_a_notification(reminded: Reminded) -> None:
    announcer = Announcer(date(2005, 5, 1))
    due = load_due_and_overdue(inspection_id=reminded.inspection_id, today=TODAY, days=14)
    found = announcer.check(due.items, today=TODAY, days=14)
    one = [c for c in found if c.item.text == "Audit tool agreed"]
    assert announcement(one, 14) == "AP2.1 Audit tool agreed is now overdue (ACO Operations)"
    soon = [c for c in found if not c.overdue]
    assert announcement(soon, 14) == (
        f"AP4.1 Draft protocol to the councils is due on 7 June 2005 ({JANE})"
    )
    assert announcement(found, 14) == (
        "3 items became overdue: AP2.1, AP3.1, AP5\n1 item now due within 14 days: AP4.1"
    )
    assert announcement([], 14) == ""


# ----- the owners' e-mails -------------------------------------------------------------------


def test_an_unsent_e_mail_per_owner_listing_their_items(reminded: Reminded, tmp_path: Path) -> None:
    round_ = plan_reminders(inspection_id=reminded.inspection_id, today=TODAY, days=14)
    assert round_.unowned == ("AP5",)
    paths = write_reminders(round_, folder=tmp_path, now=NOW)
    assert [p.name for p in paths] == [
        "ACO Operations – due and overdue 1 June 2005.eml",
        "Jane Smith – due and overdue 1 June 2005.eml",
    ]
    operations, jane = (parsed(p) for p in paths)
    for message in (operations, jane):
        assert message["X-Unsent"] == "1"
        assert message["From"] is None  # Outlook fills in the account it sends from
        assert message["Date"] is not None
        assert not message.is_multipart()
    # no address in the plan: To is left for the secretary
    assert operations["To"] is None
    assert operations["Subject"] == ("ESI action plan: 2 items due or overdue — Gloucestershire")
    text = operations.get_content().replace("\r\n", "\n")  # written with CRLF
    assert text.startswith("Dear ACO Operations,\n\n")
    assert "Overdue:\n\n  AP2.1 Audit tool agreed\n      Overdue since 15 May 2005\n" in text
    assert "      Part of AP2: Audit ten risk of harm assessments a month in each team" in text
    assert "  AP3.1 Book the trainers\n      Overdue since 20 May 2005" in text
    assert "Due within" not in text  # nothing of theirs is due soon
    assert "Please let me know where each of these stands" in text
    assert text.rstrip().endswith("Board Secretary\nGloucestershire Probation Board")
    # no internal note ever leaves the building
    assert "not-for-print" not in text
    # the address written with the owner goes in To
    assert jane["To"].addresses[0].addr_spec == "jane.smith@glos.probation.gov.uk"
    assert jane["To"].addresses[0].display_name == "Jane Smith"
    assert jane["Subject"] == "ESI action plan: 1 item due or overdue — Gloucestershire"
    body = jane.get_content().replace("\r\n", "\n")
    assert body.startswith("Dear Jane Smith,\n\n")
    assert "1 item of yours that is overdue or due within the next 14 days" in body
    assert (
        "Due within 14 days:\n\n  AP4.1 Draft protocol to the councils\n      Due 7 June 2005"
        in body
    )
    assert "Protocol signed" not in body  # 21 June: beyond the period


def test_an_existing_file_is_refused_without_force(reminded: Reminded, tmp_path: Path) -> None:
    round_ = plan_reminders(inspection_id=reminded.inspection_id, today=TODAY, days=14)
    first = tmp_path / "ACO Operations – due and overdue 1 June 2005.eml"
    first.write_text("kept", encoding="utf-8")
    with pytest.raises(EsiError, match="already exists; no e-mail was written"):
        write_reminders(round_, folder=tmp_path)
    assert first.read_text(encoding="utf-8") == "kept"
    assert list(tmp_path.glob("*.eml")) == [first]  # the other was not written either
    written = write_reminders(round_, folder=tmp_path, force=True)
    assert len(written) == 2 and parsed(first)["X-Unsent"] == "1"


def test_file_names_are_safe_for_windows() -> None:
    assert reminder_file_name('ACO: "Ops"/North*', TODAY) == (
        "ACO Ops North – due and overdue 1 June 2005.eml"
    )
    assert reminder_file_name("nul", TODAY).startswith("nul (owner) – ")
    assert reminder_file_name("...", TODAY).startswith("Owner – ")
    assert len(reminder_file_name("x" * 300, TODAY)) < 130


# ----- the command line ------------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_the_command_writes_a_file_per_owner_and_refuses_to_overwrite(
    reminded: Reminded, tmp_path: Path, db_url: str
) -> None:
    database.disconnect()
    folder = tmp_path / "reminders"
    status, _out, err = run("export", "reminders", "--out", str(folder), "--db", db_url)
    assert status == 2 and f"There is no folder {folder}" in err
    folder.mkdir()
    status, out, err = run("export", "reminders", "--out", str(folder), "--db", db_url)
    assert status == 0, err
    # today is long after 2005: every open item is overdue (Zoë Brontë's too); AP5 names no owner
    assert out.startswith(f"Wrote 3 reminder e-mails to {folder} (")
    assert "(to Jane Smith <jane.smith@glos.probation.gov.uk>)" in out
    assert "(no address known: fill in To in Outlook)" in out
    assert "2 e-mails have no recipient" in out
    assert err == "warning: AP5 names no owner, so no e-mail carries it.\n"
    files = sorted(folder.glob("*.eml"))
    assert len(files) == 3
    for path in files:
        message = parsed(path)
        assert message["X-Unsent"] == "1"
        assert (message["To"] is not None) == path.name.startswith("Jane Smith")
    # again: refused, nothing replaced; with --force, replaced
    before = [p.read_bytes() for p in files]
    status, _out, err = run("export", "reminders", "--out", str(folder), "--db", db_url)
    assert status == 2 and "already exist; no e-mail was written" in err
    assert [p.read_bytes() for p in files] == before
    status, out, err = run("export", "reminders", "--out", str(folder), "--db", db_url, "--force")
    assert status == 0 and out.startswith("Wrote 3 reminder e-mails")
    database.connect(db_url)


def test_nothing_due_is_said_and_is_no_error(
    sample_db: peewee.Database, tmp_path: Path, db_url: str
) -> None:
    database.disconnect()
    status, out, err = run("export", "reminders", "--out", str(tmp_path), "--db", db_url)
    assert (status, err) == (0, "")
    assert out == "Nobody has anything overdue or due within 14 days: no e-mail was written.\n"
    assert list(tmp_path.glob("*.eml")) == []
    database.connect(db_url)


def test_the_period_looks_from_today(reminded: Reminded) -> None:
    # a milestone due in exactly 14 days is in; in 15 days is not
    due = load_due_and_overdue(
        inspection_id=reminded.inspection_id, today=date(2005, 6, 21) - timedelta(days=14), days=14
    )
    assert "Protocol signed" in [item.text for item in due.due_soon]
    due = load_due_and_overdue(
        inspection_id=reminded.inspection_id, today=date(2005, 6, 21) - timedelta(days=15), days=14
    )
    assert "Protocol signed" not in [item.text for item in due.due_soon]


# ----- found in review: names, all or none, the command's period ------------------------------


def test_a_device_name_followed_by_a_dot_is_made_safe_too() -> None:
    # Windows takes "CON.anything" for the console, whatever follows the first dot
    for owner in ("CON.x", "nul .team", "Com1.North"):
        name = reminder_file_name(owner, TODAY)
        before_dot = name.split(".", 1)[0].rstrip(" ").casefold()
        assert before_dot not in {"con", "nul", "com1"}, name
        assert "(owner)" in name
    assert reminder_file_name("Con O'Brien", TODAY).startswith("Con O'Brien – ")


def test_a_long_name_in_any_script_fits_the_systems_limits(tmp_path: Path) -> None:
    for owner in ("名" * 300, "😀" * 300, "Assistant Chief Officer " * 20):
        name = reminder_file_name(owner, TODAY)
        assert len(name.encode("utf-8")) <= 200  # Linux: 255 bytes, with room for " (2)"
        assert len(name.encode("utf-16-le")) // 2 <= 200  # Windows: 255 UTF-16 units
        assert name.endswith(" – due and overdue 1 June 2005.eml")
    # and such a file is written (the temporary file beside it too)
    due = DueAndOverdue((_item(1, "😀" * 300),), (), 14, TODAY)
    round_ = reminders_round(due, area="Gloucestershire", published=date(2005, 1, 1), today=TODAY)
    [path] = write_reminders(round_, folder=tmp_path, now=NOW)
    assert path.name.startswith("😀") and parsed(path)["X-Unsent"] == "1"


def _item(item_id: int, owner: str) -> DueItem:
    return DueItem(
        MILESTONE, item_id, item_id, f"Milestone {item_id}", owner, (), date(2005, 5, 1),
        "The action", "Not started", TODAY,
        reference=f"AP{item_id}.1", action_reference=f"AP{item_id}",
    )  # fmt: skip


def test_owners_differing_only_in_case_and_spacing_share_a_file_and_colliding_names_do_not(
    tmp_path: Path,
) -> None:
    items = (
        _item(1, "Head of Operations"),
        _item(2, "head of  OPERATIONS"),
        _item(3, "A/B"),
        _item(4, "A:B"),
    )
    due = DueAndOverdue(items, (), 14, TODAY)
    round_ = reminders_round(due, area="Gloucestershire", published=date(2005, 1, 1), today=TODAY)
    paths = write_reminders(round_, folder=tmp_path, now=NOW)
    assert [p.name for p in paths] == [
        "Head of Operations – due and overdue 1 June 2005.eml",
        "A B – due and overdue 1 June 2005.eml",
        "A B – due and overdue 1 June 2005 (2).eml",
    ]
    bodies = [parsed(p).get_content() for p in paths]
    assert "AP1.1" in bodies[0] and "AP2.1" in bodies[0]
    assert "Dear A/B," in bodies[1] and "Dear A:B," in bodies[2]  # neither overwrote the other


def _three_owners(reminded: Reminded) -> RemindersRound:
    round_ = plan_reminders(inspection_id=reminded.inspection_id, today=TODAY, days=14)
    # a third owner, so that a failure can come at the third file
    due = round_.due
    extra = dataclasses.replace(due.overdue[0], id=999, owner="Zoë Brontë")
    return reminders_round(
        dataclasses.replace(due, overdue=(*due.overdue, extra)),
        area="Gloucestershire",
        published=date(2005, 1, 1),
        today=TODAY,
    )


def test_a_full_disk_at_the_third_file_leaves_no_file_at_all(
    reminded: Reminded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    round_ = _three_owners(reminded)
    assert len(round_.emails) == 3
    folder = tmp_path / "out"
    folder.mkdir()
    synced: set[int] = set()
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        found = os.fstat(descriptor)
        if stat.S_ISREG(found.st_mode):
            synced.add(found.st_ino)
            if len(synced) == 3:  # the disk is full when the third file goes to it
                raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(EsiError, match="the disk is full"):
        write_reminders(round_, folder=folder, now=NOW)
    assert list(folder.iterdir()) == []  # no e-mail, and no temporary file


def test_when_a_file_cannot_be_put_in_place_the_sentence_names_those_written(
    reminded: Reminded, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    round_ = _three_owners(reminded)
    folder = tmp_path / "out"
    folder.mkdir()
    real_replace = os.replace

    def replace(source: str, target: str | Path) -> None:
        if Path(target).name.startswith("ACO"):  # open in Outlook
            raise PermissionError(13, "Permission denied")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(EsiError) as refused:
        write_reminders(round_, folder=folder, now=NOW)
    said = str(refused.value)
    assert "ACO Operations – due and overdue 1 June 2005.eml" in said
    on_disk = sorted(p.name for p in folder.iterdir())
    assert all(name.endswith(".eml") for name in on_disk)  # no temporary file left
    # every file on the disk is named as written, and only those
    for email_ in round_.emails:
        written = f"{email_.file_name} was written" in said or (
            email_.file_name in said.partition("Written: ")[2]
        )
        assert written == (email_.file_name in on_disk), (email_.file_name, said)
    assert on_disk, "the others were put in place"


def test_the_command_takes_a_reminder_period(
    reminded: Reminded, tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    soon = date.today() + timedelta(days=20)
    plan.add_milestone(
        action_id=plan.add_action(
            inspection_id=reminded.inspection_id,
            recommendation_ids=[rec_id("5")],
            text="Report to the Board",
            owner="Chief Officer",
            target_date=soon + timedelta(days=60),
        ),
        title="Draft the report",
        due_date=soon,
        today=date.today(),
    )
    database.disconnect()
    folder = tmp_path / "out"
    folder.mkdir()
    status, _out, _err = run("export", "reminders", "--out", str(folder), "--db", db_url)
    assert status == 0 and not any(p.name.startswith("Chief") for p in folder.iterdir())
    for path in folder.iterdir():
        path.unlink()
    status, _out, err = run(
        "export", "reminders", "--out", str(folder), "--db", db_url, "--days", "30"
    )
    assert status == 0, err
    chief = [p for p in folder.iterdir() if p.name.startswith("Chief Officer")]
    assert len(chief) == 1
    assert "Due within 30 days:" in parsed(chief[0]).get_content().replace("\r\n", "\n")
    for wrong in ("0", "366", "two"):
        monkeypatch.setattr(sys, "stderr", io.StringIO())  # argparse writes its errors there
        status, _out, _err = run(
            "export", "reminders", "--out", str(folder), "--db", db_url, "--days", wrong
        )
        said = sys.stderr.getvalue()
        assert status == 2 and "--days" in said and "1 to 365" in said, said
        assert len(said.strip().splitlines()) == 1
    database.connect(db_url)
