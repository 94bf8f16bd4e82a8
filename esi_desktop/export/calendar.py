"""The plan's dates as a calendar file Outlook imports: ``main.py export calendar``.

Every milestone, every action's target date and every Board meeting is an all-day ``VEVENT``
(Outlook ignores ``VTODO``), with a ``VALARM`` reminder some days before. A complete milestone
or action stays in the file as a cancelled event (``STATUS:CANCELLED``, "Complete:" before its
summary, no reminder): with ``METHOD:PUBLISH`` an event missing from the next file stays in
Outlook, so leaving it out would leave the reminder behind. ``METHOD:PUBLISH`` and a ``UID``
made of the inspection's id, a key of the inspection (a hash of its area, report title and
publication date: every database numbers its rows from 1, and two databases may share one
Outlook calendar) and the item's kind and database id, so a second import updates the events
of the first instead of adding copies; the ``UID`` never changes when the item is edited (its
text, date, owner or reference). ``SEQUENCE`` is the row's ``version``, which every edit
raises (for a milestone, its own version plus its action's: its summary carries the action's
owner; for an action, its own plus those of its complete milestones, so it rises when the
action becomes complete), so the newer file wins.

Not done: a deleted item's event stays in Outlook (the plan keeps no row for it to cancel), and
an action reopened by reopening or deleting a complete milestone may get a lower ``SEQUENCE``
than its cancelled event had.

:func:`calendar_content` reads the database once on the caller's thread (through the plan's read
model without internal notes, :func:`esi_desktop.export.parts.public_plan`);
:func:`calendar_bytes` writes the file with icalendar, which escapes and folds the text, with no
database. :func:`render_calendar` does both.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import icalendar

from db.models import BoardMeeting, as_tuples
from esi_desktop.errors import ValidationError
from esi_desktop.export.parts import action_status, public_plan
from esi_desktop.export.text import board_name
from esi_desktop.inspections import inspection_summary
from esi_desktop.plan import ActionView, MilestoneView, PlanView, load_plan
from esi_desktop.rated_results import is_rated_inspection
from esi_desktop.rules import MilestoneStatus, last_meeting_before
from esi_desktop.wording import long_date, month_year, shorten

#: Identifies the program that wrote the file (RFC 5545's PRODID).
PRODID = "-//ESI Desktop//Action plan calendar//EN"
#: The domain part of every UID.
UID_DOMAIN = "esi-desktop"
#: The kinds of item in a UID: "milestone-123.inspection-4@esi-desktop".
MILESTONE_KIND = "milestone"
ACTION_KIND = "action"
MEETING_KIND = "board-meeting"
#: How long a summary may be before it is cut (the description has the whole text).
SUMMARY_LIMIT = 160


#: Control characters but tab and line feed: neither a calendar (RFC 5545 text) nor an e-mail
#: should carry them (a form feed pasted from an old report).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def one_line(value: str) -> str:
    """``value`` on one line: runs of white space as one space, control characters dropped."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", value).split())


def inspection_key(*, area: str, report_title: str, published: date) -> str:
    """Twelve hex digits telling this inspection from one with the same id in another
    database: a hash of its area, report title and publication date."""
    words = "\n".join((area.strip(), report_title.strip(), published.isoformat()))
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:12]


def item_uid(*, inspection_id: int, kind: str, item_id: int, key: str) -> str:
    """ "milestone-123.inspection-4.1a2b3c4d5e6f@esi-desktop": the same for the item for good
    (``key``: :func:`inspection_key`)."""
    return f"{kind}-{item_id}.inspection-{inspection_id}.{key}@{UID_DOMAIN}"


#: What a complete item's summary starts with.
COMPLETE_PREFIX = "Complete: "


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event: a milestone, an action's target date or a Board meeting."""

    uid: str
    day: date
    summary: str
    description: str
    sequence: int
    #: :data:`MILESTONE_KIND`, :data:`ACTION_KIND` or :data:`MEETING_KIND`.
    kind: str
    #: A complete milestone or action: cancelled, without a reminder.
    done: bool = False


@dataclass(frozen=True)
class CalendarContent:
    """What the calendar file holds, read once from the database."""

    inspection_id: int
    #: "Gloucestershire Probation Board: HMI Probation action plan (January 2005)".
    name: str
    events: tuple[CalendarEvent, ...]


def _owner(action: ActionView) -> str:
    owner = one_line(action.owner)
    return f"owner: {owner}" if owner else "no owner yet"


def _labelled(reference: str, words: str) -> str:
    return f"{reference} {words}" if reference else words


def _recommendation_lines(plan: PlanView, action: ActionView) -> list[str]:
    by_id = {r.id: r for r in plan.recommendations}
    lines = []
    for recommendation_id in action.recommendation_ids:
        recommendation = by_id.get(recommendation_id)
        if recommendation is not None:
            lines.append(
                f"Recommendation {recommendation.reference}: {one_line(recommendation.text)}"
            )
    return lines or ["Serves no recommendation yet."]


def _milestone_event(
    plan: PlanView, action: ActionView, milestone: MilestoneView, source: str, key: str
) -> CalendarEvent:
    label = _labelled(milestone.reference, one_line(milestone.title))
    of_action = _labelled(action.reference, one_line(action.text))
    lines = [
        f"Milestone {label}",
        f"Action {of_action}",
        f"Owner: {one_line(action.owner) or 'not yet named'}",
        f"Due: {long_date(milestone.due_date)}",
        f"Status: {milestone.status}",
        *_recommendation_lines(plan, action),
        source,
    ]
    done = milestone.status == MilestoneStatus.COMPLETE
    return CalendarEvent(
        uid=item_uid(
            inspection_id=plan.inspection_id, kind=MILESTONE_KIND, item_id=milestone.id, key=key
        ),
        day=milestone.due_date,
        summary=(COMPLETE_PREFIX if done else "")
        + f"{shorten(label, SUMMARY_LIMIT)} ({_owner(action)})",
        description="\n".join(lines),
        # the summary names the action's owner: an edit of either raises it
        sequence=milestone.version + action.version,
        kind=MILESTONE_KIND,
        done=done,
    )


def _action_event(plan: PlanView, action: ActionView, source: str, key: str) -> CalendarEvent:
    label = _labelled(action.reference, one_line(action.text))
    lines = [
        f"Target date of action {label}",
        f"Owner: {one_line(action.owner) or 'not yet named'}",
        f"Target date: {long_date(action.target_date)}",
        f"Status: {action_status(action)}",
        *_recommendation_lines(plan, action),
        source,
    ]
    prefix = f"{action.reference} target date" if action.reference else "Target date"
    done = action.complete
    return CalendarEvent(
        uid=item_uid(
            inspection_id=plan.inspection_id, kind=ACTION_KIND, item_id=action.id, key=key
        ),
        day=action.target_date,
        summary=(COMPLETE_PREFIX if done else "")
        + f"{prefix}: {shorten(one_line(action.text), SUMMARY_LIMIT)} ({_owner(action)})",
        description="\n".join(lines),
        # it becomes complete when its last milestone does: that raises it
        sequence=action.version
        + sum(m.version for m in action.milestones if m.status == MilestoneStatus.COMPLETE),
        kind=ACTION_KIND,
        done=done,
    )


def _meeting_event(
    *,
    inspection_id: int,
    meeting_id: int,
    day: date,
    version: int,
    board: str,
    approval: date | None,
    response_due: date | None,
    source: str,
    key: str,
) -> CalendarEvent:
    if response_due is None:
        # no deadline fixed and none agreed yet: no meeting can be named as the approving one
        purpose = (
            "The date for sending the response and action plan is not set yet: the Board "
            "agrees it. The Board progress paper on the action plan is due for this meeting."
        )
    elif approval is not None and day == approval:
        purpose = (
            "The response and action plan must be approved at this meeting, the last before "
            f"the response is due with the Inspectorate on {long_date(response_due)}."
        )
    elif approval is not None and day < approval:
        purpose = (
            "The response and action plan must be approved by the meeting on "
            f"{long_date(approval)}; the response is due with the Inspectorate on "
            f"{long_date(response_due)}."
        )
    else:
        purpose = "The Board progress paper on the action plan is due for this meeting."
    return CalendarEvent(
        uid=item_uid(inspection_id=inspection_id, kind=MEETING_KIND, item_id=meeting_id, key=key),
        day=day,
        summary=f"{board} meeting",
        description="\n".join([f"{board} meeting, {long_date(day)}", purpose, source]),
        sequence=version,
        kind=MEETING_KIND,
    )


def _by_day(event: CalendarEvent) -> tuple[date, int, str]:
    order = {MEETING_KIND: 0, ACTION_KIND: 1, MILESTONE_KIND: 2}
    return (event.day, order[event.kind], event.uid)


def calendar_content(*, inspection_id: int, today: date) -> CalendarContent:
    """Read the events of an inspection's calendar.

    Raises:
        NotFoundError: there is no such inspection.
    """
    summary = inspection_summary(inspection_id=inspection_id)
    plan = public_plan(load_plan(inspection_id=inspection_id, today=today))
    board = one_line(
        board_name(summary.area, rated=is_rated_inspection(inspection_id=inspection_id))
    )
    published = month_year(plan.published)
    source = (
        f"From the {board}’s action plan for HM Inspectorate of Probation’s report of {published}."
    )
    key = inspection_key(
        area=summary.area, report_title=summary.report_title, published=plan.published
    )
    events: list[CalendarEvent] = []
    for action in plan.actions.values():
        events.append(_action_event(plan, action, source, key))
        for milestone in action.milestones:
            events.append(_milestone_event(plan, action, milestone, source, key))
    meetings = as_tuples(
        BoardMeeting.select(BoardMeeting.id, BoardMeeting.meeting_date, BoardMeeting.version)
        .where(BoardMeeting.inspection == inspection_id)
        .order_by(BoardMeeting.meeting_date)
    )
    response_due = plan.clock.response_due
    approval = (
        None
        if response_due is None
        else last_meeting_before([day for _, day, _ in meetings], response_due)
    )
    for meeting_id, day, version in meetings:
        events.append(
            _meeting_event(
                inspection_id=inspection_id,
                meeting_id=meeting_id,
                day=day,
                version=version,
                board=board,
                approval=approval,
                response_due=response_due,
                source=source,
                key=key,
            )
        )
    events.sort(key=_by_day)
    return CalendarContent(
        inspection_id=inspection_id,
        name=f"{board}: HMI Probation action plan ({published})",
        events=tuple(events),
    )


def _check_reminder_days(reminder_days: int) -> None:
    if isinstance(reminder_days, bool) or not isinstance(reminder_days, int) or reminder_days < 0:
        raise ValidationError(
            f"The calendar reminder must be a whole number of days, 0 or more, not "
            f"{reminder_days!r}.",
            "reminder_days",
        )


def calendar_bytes(
    content: CalendarContent, *, reminder_days: int, now: datetime | None = None
) -> bytes:
    """The calendar file (RFC 5545, CRLF line ends, folded lines) of ``content``.

    Args:
        reminder_days: how many days before each event Outlook reminds (0: on the day).
        now: the moment the file is made (``DTSTAMP``); the current time if None.

    Raises:
        ValidationError: ``reminder_days`` is negative or not a whole number.
    """
    _check_reminder_days(reminder_days)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", icalendar.vText(content.name))
    for item in content.events:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("sequence", item.sequence)
        event.add("dtstart", item.day)  # a date: DTSTART;VALUE=DATE, an all-day event
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", item.summary)
        event.add("description", item.description)
        event.add("categories", ["ESI action plan"])
        # an all-day reminder leaves the day free in the diary (Outlook's own default)
        event.add("transp", "TRANSPARENT")
        event.add("x-microsoft-cdo-busystatus", "FREE")
        if item.done:
            # a complete item's event is cancelled, not dropped: see the module's description
            event.add("status", "CANCELLED")
            calendar.add_component(event)
            continue
        event.add("status", "CONFIRMED")
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item.summary)
        alarm.add("trigger", timedelta(days=-reminder_days))
        event.add_component(alarm)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def render_calendar(
    *, inspection_id: int, today: date, reminder_days: int, now: datetime | None = None
) -> bytes:
    """The calendar file of an inspection's plan, as Outlook imports it.

    Args:
        today: the day the plan is read as of.
        reminder_days: how many days before each event Outlook reminds (the Calendar
            reminder preference, ``settings.CALENDAR_REMINDER_DAYS``; 0: on the day).
        now: the moment the file is made (``DTSTAMP``); the current time if None.

    Raises:
        NotFoundError: there is no such inspection.
        ValidationError: ``reminder_days`` is negative or not a whole number.
    """
    _check_reminder_days(reminder_days)
    content = calendar_content(inspection_id=inspection_id, today=today)
    return calendar_bytes(content, reminder_days=reminder_days, now=now)
