"""Items created, deleted and restored as whole rows: one entry each, describing the item.

Deleting an action records the action and each of its milestones; undoing a deletion
records them again as created. The rows come as a snapshot's (table name, field values).
A description starts with the item's reference ("AP3: …", "AP3.2: …"), so the history keeps
naming a deleted item; a conversion (indent, outdent) adds the reference it had
("… — was milestone AP3.2").
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from esi_desktop.audit.entries import (
    Entry,
    ItemRef,
    action_inspection,
    action_number,
    created,
    deleted,
    references,
)
from esi_desktop.audit.labels import CREATE, format_value
from esi_desktop.wording import (
    ACTION,
    BOARD_MEETING,
    EVIDENCE,
    EXTENSION_DECISION,
    MILESTONE,
    RECOMMENDATION,
    SUBMISSION,
    action_reference,
    long_date,
    milestone_reference,
    plural,
)


def _describe_action(values: Mapping[str, Any], served: str) -> str:
    parts = [f"owner {values.get('owner', '')}",
             f"target date {format_value(values.get('target_date'))}"]  # fmt: skip
    if served:
        parts.append(f"recommendation{'s' if ',' in served else ''} {served}")
    number = values.get("number")
    reference = f"{action_reference(int(number))}: " if number is not None else ""
    return f"{reference}{values.get('text', '')} ({'; '.join(parts)})"


def _describe_milestone(values: Mapping[str, Any], parent_number: int | None) -> str:
    parts = [f"due date {format_value(values.get('due_date'))}",
             f"status {values.get('status', '')}"]  # fmt: skip
    if values.get("completed_on"):
        parts.append(f"completed on {format_value(values['completed_on'])}")
    number = values.get("number")
    reference = (
        f"{milestone_reference(parent_number, int(number))}: "
        if number is not None and parent_number is not None
        else ""
    )
    return f"{reference}{values.get('title', '')} ({'; '.join(parts)})"


def noted(entries: Sequence[Entry], note: str) -> list[Entry]:
    """Entries whose description ends with a note ("… — was milestone AP3.2")."""
    if not note:
        return list(entries)

    def add(value: str | None) -> str | None:
        return f"{value} — {note}" if value else value

    return [
        dataclasses.replace(e, old_value=add(e.old_value), new_value=add(e.new_value))
        for e in entries
    ]


def _describe_meeting(values: Mapping[str, Any]) -> str:
    note = values.get("note") or ""
    return f"Board meeting on {format_value(values.get('meeting_date'))}" + (
        f": {note}" if note else ""
    )


def describe_recommendation(values: Mapping[str, Any]) -> str:
    """A recommendation as its create or delete entry describes it ("6. Text")."""
    return f"{values.get('reference', '')}. {values.get('text', '')}"


_WHOLE_ROWS = {
    "action",
    "milestone",
    "board_meeting",
    "plan_submission",
    "recommendation",
    "extension_decision",
    "evidence",
}


def describe_decision(values: Mapping[str, Any]) -> str:
    """ "AP3.2: extension to 30 June 2005 approved at the Board meeting of 24 March 2005
    (minute 12/05)": the Board's decision on an extension request."""
    described = (
        f"{values.get('item_reference', '')}: extension to "
        f"{_long(values.get('requested_date'))} {str(values.get('decision', '')).lower()} at "
        "the Board "
        f"meeting of {_long(values.get('meeting_date'))}"
    )
    minute = values.get("minute_reference") or ""
    return f"{described} (minute {minute})" if minute else described


def _long(value: Any) -> str:
    return long_date(value) if hasattr(value, "year") else format_value(value)


def row_entries(rows: Sequence[tuple[str, Mapping[str, Any]]], action: str) -> list[Entry]:
    """Entries for whole rows created or deleted together (a snapshot's rows).

    Actions, milestones, Board meetings, records of the plan as sent and recommendations each
    get one entry; their links, criteria and recorded dates are part of their description.
    Rows are given as (table name, field values), the form of :class:`esi_desktop.plan.Snapshot`.
    """
    links: dict[int, list[int]] = defaultdict(list)
    dates: dict[int, int] = defaultdict(int)
    inspections: dict[int, int] = {}
    numbers: dict[int, int | None] = {}
    for table, values in rows:
        if table == "action_recommendation":
            links[int(values["action"])].append(int(values["recommendation"]))
        elif table == "submitted_date":
            dates[int(values["submission"])] += 1
        elif table == "action":
            inspections[int(values["id"])] = int(values["inspection"])
            number = values.get("number")
            numbers[int(values["id"])] = None if number is None else int(number)
    found = []
    for table, values in rows:
        if table not in _WHOLE_ROWS:
            continue
        row_id = int(values["id"])
        if table == "action":
            item = ItemRef(ACTION, row_id, int(values["inspection"]))
            description = _describe_action(values, references(links.get(row_id, ())))
        elif table == "milestone":
            action_id = int(values["action"])
            inspection = inspections.get(action_id) or action_inspection(action_id)
            item = ItemRef(MILESTONE, row_id, inspection)
            parent_number = numbers[action_id] if action_id in numbers else action_number(action_id)
            description = _describe_milestone(values, parent_number)
        elif table == "board_meeting":
            item = ItemRef(BOARD_MEETING, row_id, int(values["inspection"]))
            description = _describe_meeting(values)
        elif table == "plan_submission":
            item = ItemRef(SUBMISSION, row_id, int(values["inspection"]))
            count = dates.get(row_id, 0)
            description = (
                f"Plan sent on {format_value(values.get('sent_on'))} "
                f"({plural(count, 'date')} recorded)"
            )
        elif table == "extension_decision":
            item = ItemRef(EXTENSION_DECISION, row_id, int(values["inspection"]))
            description = describe_decision(values)
        elif table == "recommendation":
            item = ItemRef(RECOMMENDATION, row_id, int(values["inspection"]))
            description = describe_recommendation(values)
        elif table == "evidence":
            # its content row (evidence_content) needs no entry: the evidence names its hash
            from esi_desktop.evidence.describe import describe_evidence

            item = ItemRef(EVIDENCE, row_id, int(values["inspection"]))
            description = describe_evidence(values)
        else:
            continue
        found.append(created(item, description) if action == CREATE else deleted(item, description))
    return found
