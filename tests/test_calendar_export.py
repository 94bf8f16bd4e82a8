"""The plan's calendar file (issue 14 §5): read back with icalendar as Outlook would import it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import peewee
import pytest

from db.models import BoardMeeting, Inspection, Recommendation
from esi_desktop import plan
from esi_desktop.errors import ValidationError
from esi_desktop.export.calendar import inspection_key, render_calendar
from esi_desktop.files import ICS, write_atomically
from esi_desktop.inspections import list_inspections, publication_date

TODAY = date(2005, 6, 1)
NOW = datetime(2005, 6, 1, 9, 30, tzinfo=UTC)
NOTE = "NOTE-NOT-FOR-OUTLOOK"


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


@dataclass
class Plan:
    inspection_id: int
    actions: dict[str, int]
    milestones: dict[str, int]
    meetings: list[date]


@pytest.fixture
def filled(sample_db: peewee.Database) -> Plan:
    """Two open actions and one complete, four open milestones and two complete, two meetings."""
    inspection_id = list_inspections()[0].id
    actions = {
        "training": plan.add_action(
            inspection_id=inspection_id,
            recommendation_ids=[rec_id("1"), rec_id("2")],
            text="Draw up a costed staff training plan",
            owner="Zoë Brontë, Head of Learning; Development",
            target_date=date(2005, 9, 30),
        ),
        "audit": plan.add_action(
            inspection_id=inspection_id,
            recommendation_ids=[rec_id("6")],
            text="Audit ten risk of harm assessments a month",
            owner="ACO Operations",
            target_date=date(2005, 12, 31),
        ),
        "done": plan.add_action(
            inspection_id=inspection_id,
            recommendation_ids=[rec_id("7")],
            text="Review supervision plans monthly",
            owner="",
            target_date=date(2005, 8, 31),
        ),
    }
    milestones = {}
    for key, action, title, due in (
        (
            "analysis",
            "training",
            "Training needs analysis, teams; partners \\ others",
            date(2005, 4, 30),
        ),
        ("draft", "training", "Draft plan approved by the Board", date(2005, 7, 21)),
        ("tool", "audit", "Audit tool agreed", date(2005, 5, 15)),
        ("report", "audit", "First audit report to the Board", date(2005, 10, 20)),
        ("reviewed", "done", "All plans reviewed", date(2005, 5, 1)),
    ):
        milestones[key] = plan.add_milestone(
            action_id=actions[action], title=title, due_date=due, today=TODAY
        )
    plan.update_milestone(
        milestone_id=milestones["tool"],
        changes={"status": "Complete", "completed_on": date(2005, 5, 10)},
        today=TODAY,
    )
    plan.update_milestone(
        milestone_id=milestones["reviewed"],
        changes={"status": "Complete", "completed_on": date(2005, 4, 28)},
        today=TODAY,
    )
    plan.update_milestone(
        milestone_id=milestones["analysis"], changes={"status": "In progress"}, today=TODAY
    )
    plan.update_action(action_id=actions["audit"], changes={"internal_note": NOTE})
    plan.set_recommendation_fields(recommendation_id=rec_id("1"), changes={"internal_note": NOTE})
    meetings = [date(2005, 3, 14), date(2005, 5, 26)]
    for day in meetings:
        plan.add_board_meeting(inspection_id=inspection_id, meeting_date=day, note=NOTE)
    return Plan(inspection_id, actions, milestones, meetings)


def export(filled: Plan, *, reminder_days: int = 7) -> bytes:
    return render_calendar(
        inspection_id=filled.inspection_id, today=TODAY, reminder_days=reminder_days, now=NOW
    )


def events(data: bytes) -> dict[str, icalendar.Component]:
    calendar = icalendar.Calendar.from_ical(data)
    found = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(found) == len(calendar.walk("VEVENT")), "a UID is repeated"
    return found


def text(component: icalendar.Component, name: str) -> str:
    """A property's value as read back (icalendar's text types are strings)."""
    return str(component[name])


def uid(kind: str, item_id: int, inspection_id: int) -> str:
    inspection = Inspection.get_by_id(inspection_id)
    key = inspection_key(
        area=inspection.area,
        report_title=inspection.report_title,
        published=publication_date(inspection),
    )
    assert re.fullmatch("[0-9a-f]{12}", key)
    return f"{kind}-{item_id}.inspection-{inspection_id}.{key}@esi-desktop"


def cancelled(event: icalendar.Component) -> bool:
    return str(event.get("STATUS", "")) == "CANCELLED"


def test_one_all_day_event_per_item_and_meeting(filled: Plan) -> None:
    found = events(export(filled))
    i = filled.inspection_id
    m, a = filled.milestones, filled.actions
    meeting_ids = [r.id for r in BoardMeeting.select().order_by(BoardMeeting.meeting_date)]
    expected = {
        uid("milestone", m["analysis"], i),
        uid("milestone", m["draft"], i),
        uid("milestone", m["report"], i),
        uid("action", a["training"], i),
        uid("action", a["audit"], i),
        *(uid("board-meeting", meeting, i) for meeting in meeting_ids),
    }
    done = {uid("milestone", m["tool"], i), uid("milestone", m["reviewed"], i)}
    done.add(uid("action", a["done"], i))
    # review 14, finding 8: completed milestones (AP2.1, AP3.1) and the complete action AP3
    # stay, cancelled, so that Outlook drops the events an earlier file put in
    assert set(found) == expected | done
    assert {u for u, e in found.items() if cancelled(e)} == done
    for u in done:
        assert text(found[u], "SUMMARY").startswith("Complete: ")
        assert not found[u].walk("VALARM")
    for event in found.values():
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is date and type(end) is date  # all-day, not a moment
        assert end == start + timedelta(days=1)
        assert event["DTSTART"].params.get("VALUE") == "DATE"
        assert event.decoded("DTSTAMP") == NOW
    by_uid = {u: e.decoded("DTSTART") for u, e in found.items()}
    assert by_uid[uid("milestone", m["draft"], i)] == date(2005, 7, 21)
    assert by_uid[uid("action", a["audit"], i)] == date(2005, 12, 31)
    assert sorted(by_uid[uid("board-meeting", x, i)] for x in meeting_ids) == filled.meetings


def test_calendar_is_published_for_outlook(filled: Plan) -> None:
    data = export(filled)
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["VERSION"] == "2.0"
    assert "ESI Desktop" in text(calendar, "PRODID")
    assert calendar["X-WR-CALNAME"] == (
        "Gloucestershire Probation Board: HMI Probation action plan (January 2005)"
    )
    assert not calendar.walk("VTODO")  # Outlook ignores to-dos
    # RFC 5545: CRLF line ends, lines folded at 75 octets
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 75


def test_summary_and_description_name_the_item(filled: Plan) -> None:
    found = events(export(filled))
    i = filled.inspection_id
    draft = found[uid("milestone", filled.milestones["draft"], i)]
    assert text(draft, "SUMMARY") == (
        "AP1.2 Draft plan approved by the Board (owner: Zoë Brontë, Head of Learning; Development)"
    )
    description = text(draft, "DESCRIPTION")
    assert "Action AP1 Draw up a costed staff training plan" in description
    assert "Status: Not started" in description
    for reference in ("1", "2"):
        recommendation = Recommendation.get(Recommendation.reference == reference)
        assert f"Recommendation {reference}: {' '.join(recommendation.text.split())}" in description
    action = found[uid("action", filled.actions["training"], i)]
    assert text(action, "SUMMARY").startswith(
        "AP1 target date: Draw up a costed staff training plan"
    )
    assert "Status: In progress (0 of 2 milestones complete)" in text(action, "DESCRIPTION")
    meetings = [e for u, e in found.items() if u.startswith("board-meeting-")]
    approval = next(e for e in meetings if e.decoded("DTSTART") == date(2005, 3, 14))
    assert "must be approved at this meeting" in text(approval, "DESCRIPTION")
    assert all(text(e, "SUMMARY") == "Gloucestershire Probation Board meeting" for e in meetings)


def test_text_is_escaped_and_reads_back_whole(filled: Plan) -> None:
    data = export(filled)
    # icalendar escaped the separators on the way out ...
    assert rb"teams\; partners \\ others" in data.replace(b"\r\n ", b"")
    # ... and a reader gets the words back as typed
    analysis = events(data)[uid("milestone", filled.milestones["analysis"], filled.inspection_id)]
    assert text(analysis, "SUMMARY").startswith(
        "AP1.1 Training needs analysis, teams; partners \\ others (owner: "
    )
    assert "Status: In progress" in text(analysis, "DESCRIPTION")


def test_control_characters_pasted_in_do_not_reach_the_file(filled: Plan) -> None:
    plan.update_milestone(
        milestone_id=filled.milestones["draft"],
        changes={"title": "Draft plan\x0capproved\x01 by the\tBoard"},
        today=TODAY,
    )
    data = export(filled)
    controls = {c for c in data.decode("utf-8").replace("\r\n", "") if ord(c) < 32 or c == "\x7f"}
    assert controls == set()
    draft = events(data)[uid("milestone", filled.milestones["draft"], filled.inspection_id)]
    assert text(draft, "SUMMARY").startswith("AP1.2 Draft plan approved by the Board (owner")


def test_no_internal_note_leaves(filled: Plan) -> None:
    data = export(filled)
    assert NOTE.encode() not in data.replace(b"\r\n ", b"")
    assert NOTE not in data.decode("utf-8")


def test_every_event_has_a_display_reminder_days_before(filled: Plan) -> None:
    for days, trigger in ((7, b"TRIGGER:-P7D"), (0, None)):
        data = export(filled, reminder_days=days)
        if trigger:
            assert trigger in data
        for event in events(data).values():
            alarms = event.walk("VALARM")
            if cancelled(event):  # a complete item reminds no one
                assert not alarms
                continue
            assert len(alarms) == 1
            assert alarms[0]["ACTION"] == "DISPLAY"
            assert text(alarms[0], "DESCRIPTION") == text(event, "SUMMARY")
            assert alarms[0].decoded("TRIGGER") == timedelta(days=-days)


def test_a_negative_reminder_is_refused(filled: Plan) -> None:
    with pytest.raises(ValidationError, match="0 or more"):
        export(filled, reminder_days=-1)


def test_uids_stay_and_sequence_rises_when_an_item_is_edited(filled: Plan) -> None:
    i, m, a = filled.inspection_id, filled.milestones, filled.actions
    before = events(export(filled))
    plan.update_milestone(
        milestone_id=m["draft"],
        changes={"title": "Draft plan to the Board", "due_date": date(2005, 7, 28)},
        today=TODAY,
    )
    plan.update_action(action_id=a["audit"], changes={"owner": "ACO Performance"})
    after = events(export(filled))
    assert set(after) == set(before)  # a second import updates the same events

    def sequence(found: dict[str, icalendar.Component], kind: str, item_id: int) -> int:
        return int(text(found[uid(kind, item_id, i)], "SEQUENCE"))

    edited = uid("milestone", m["draft"], i)
    assert text(after[edited], "SUMMARY").startswith("AP1.2 Draft plan to the Board")
    assert after[edited].decoded("DTSTART") == date(2005, 7, 28)
    assert sequence(after, "milestone", m["draft"]) > sequence(before, "milestone", m["draft"])
    # the owner is in the summaries of the action and its milestone: both rise
    assert sequence(after, "action", a["audit"]) > sequence(before, "action", a["audit"])
    assert text(after[uid("milestone", m["report"], i)], "SUMMARY").endswith(
        "(owner: ACO Performance)"
    )
    assert sequence(after, "milestone", m["report"]) > sequence(before, "milestone", m["report"])
    # what was not edited keeps its sequence
    assert sequence(after, "action", a["training"]) == sequence(before, "action", a["training"])
    assert sequence(after, "milestone", m["analysis"]) == sequence(
        before, "milestone", m["analysis"]
    )


def test_a_deleted_or_completed_item_is_gone_from_the_next_export(filled: Plan) -> None:
    i, m, a = filled.inspection_id, filled.milestones, filled.actions
    before = events(export(filled))
    plan.delete_milestone(milestone_id=m["draft"])
    plan.delete_action(action_id=a["audit"])
    plan.delete_board_meeting(inspection_id=i, meeting_date=date(2005, 5, 26))
    after = events(export(filled))
    gone = {
        uid("milestone", m["draft"], i),
        uid("milestone", m["report"], i),  # deleted with its action
        uid("action", a["audit"], i),
    }
    assert gone <= set(before)
    assert not gone & set(after)
    kept = {uid("action", a["training"], i), uid("milestone", m["analysis"], i)}
    assert {u for u in set(after) - kept if not cancelled(after[u])} == {
        u for u in after if u.startswith("board-meeting-")
    }
    assert [e.decoded("DTSTART") for u, e in after.items() if u.startswith("board-")] == [
        date(2005, 3, 14)
    ]
    # completing AP1.1, the last milestone left, completes AP1 too: both are cancelled, with
    # a higher SEQUENCE, so that Outlook takes the change
    plan.update_milestone(
        milestone_id=m["analysis"],
        changes={"status": "Complete", "completed_on": date(2005, 5, 31)},
        today=TODAY,
    )
    done = events(export(filled))
    for item in kept:
        assert item in done and cancelled(done[item]) and not cancelled(after[item])
        assert int(text(done[item], "SEQUENCE")) > int(text(after[item], "SEQUENCE"))


def test_written_atomically_as_a_calendar_file(filled: Plan, tmp_path: Path) -> None:
    data = export(filled)
    written = write_atomically(tmp_path / "plan.ics", data, kind=ICS)
    assert written.read_bytes() == data
    assert len(events(written.read_bytes())) == 10


def test_uids_differ_between_databases_numbering_their_rows_alike(filled: Plan) -> None:
    # review 14, finding 8: two databases' plans in one Outlook calendar do not collide
    before = events(export(filled))
    Inspection.update(area="Wiltshire", report_title="Another report").execute()
    after = events(export(filled))
    assert len(before) == len(after) and not set(before) & set(after)
    key = inspection_key(area="Wiltshire", report_title="Another report", published=TODAY)
    assert key != inspection_key(
        area="Wiltshire", report_title="Another report", published=NOW.date() + timedelta(days=1)
    )
