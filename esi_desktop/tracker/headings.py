"""What a tracker's column headings mean: each field of the plan, the headings it is known
by, and :func:`field_of` matching one heading. Pure: no database, no openpyxl.

Headings are compared without case, punctuation or extra spaces ("Rec No." = "rec no"), and a
heading with alternatives ("Lead officer / Owner") matches when one does.
"""

from __future__ import annotations

from collections.abc import Mapping

from esi_desktop.tracker.values import heading_key

#: What each column means, with the label shown in sentences and in the mapping step.
FIELDS: Mapping[str, str] = {
    "recommendation": "Recommendation",
    "reference": "Reference",
    "action_reference": "Action reference",
    "action": "Action",
    "milestone": "Milestone",
    "owner": "Owner",
    "target_date": "Target date",
    "due_date": "Due date",
    "status": "Status",
    "rag": "RAG",
    "evidence": "Evidence",
    "completed": "Completed on",
}

#: The headings each field is known by (compared after :func:`heading_key`).
HEADINGS: Mapping[str, tuple[str, ...]] = {
    "recommendation": (
        "rec", "recs", "rec no", "rec nos", "rec number", "rec num", "rec ref", "rec reference",
        "rec id", "recommendation no", "recommendation nos", "recommendation number",
        "recommendation ref", "recommendation reference", "recommendation id",
        "hmip recommendation", "hmip rec", "hmip rec no", "recommendation",
        "recommendations",
    ),
    "reference": (
        "ref", "reference", "ref no", "reference no", "ref number", "id", "item", "item ref",
        "item no", "milestone ref", "milestone no", "row ref", "no",
    ),
    "action_reference": (
        "action ref", "action reference", "action no", "action number", "action id",
        "ap", "ap ref", "ap no", "action plan ref", "action plan no",
    ),
    "action": (
        "action", "actions", "what we will do", "what will be done", "action required",
        "actions required", "agreed action", "agreed actions", "action to be taken",
        "actions to be taken", "proposed action", "proposed actions", "smart action",
        "smart actions", "action description", "planned action", "planned actions",
    ),
    "milestone": (
        "milestone", "milestones", "task", "tasks", "step", "steps", "key milestone",
        "key milestones", "key tasks", "sub action", "sub actions", "milestone task",
    ),
    "owner": (
        "owner", "owners", "lead officer", "lead officers", "responsible", "lead",
        "lead owner", "action owner", "responsible officer", "responsible person",
        "person responsible", "who", "by whom", "lead manager", "responsibility",
        "accountable", "accountable officer", "lead person",
    ),
    "target_date": (
        "target date", "target dates", "by when", "timescale", "timescales", "time scale",
        "time scales", "deadline", "deadlines", "target", "target completion date",
        "completion target", "timeframe", "time frame", "when", "target date for completion",
    ),
    "due_date": (
        "due date", "due", "due by", "date due", "milestone date", "milestone due",
        "milestone due date",
    ),
    "status": ("status", "progress", "current status", "progress status", "status of action"),
    "rag": ("rag", "rag rating", "rag status", "rag rated", "red amber green"),
    "evidence": (
        "evidence", "comments", "comment", "update", "updates", "notes", "note",
        "evidence note", "progress update", "progress updates", "progress to date",
        "progress made", "progress comments", "progress notes", "evidence of progress",
        "evidence of completion", "latest update", "commentary", "update on progress",
    ),
    "completed": (
        "completed", "date completed", "completed on", "completion date", "actual completion",
        "actual completion date", "date closed", "closed on", "date achieved", "done on",
    ),
}  # fmt: skip

#: A heading that matches only when no better one does ("Recommendation" may hold the text).
PLAIN_HEADINGS = {"recommendation", "recommendations", "no"}
_BY_HEADING = {heading: name for name, headings in HEADINGS.items() for heading in headings}


def field_of(heading: object) -> str | None:
    """The field a column heading means, or None ("Lead officer / Owner" → "owner")."""
    key = heading_key(heading)
    if not key:
        return None
    if key in _BY_HEADING:
        return _BY_HEADING[key]
    raw = str(heading)
    for separator in ("/", "\n", " or "):
        parts = [heading_key(part) for part in raw.split(separator)]
        found = {_BY_HEADING[p] for p in parts if p in _BY_HEADING}
        if len(found) == 1:
            return found.pop()
    return None
