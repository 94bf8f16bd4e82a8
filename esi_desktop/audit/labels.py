"""What the audit trail records, and its values and field names as the history shows them.

Values are stored as the history shows them: dates as ISO (2005-09-30), nothing as an empty
text, booleans as Yes/No, long texts whole. Times are stored in UTC and shown in local time.

The item kinds (INSPECTION, RECOMMENDATION, ...) live in :mod:`esi_desktop.wording`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from enum import Enum

from esi_desktop.errors import FrameworkError
from esi_desktop.wording import RESPONSE

# ----- what is recorded ---------------------------------------------------------------------

CREATE = "create"
UPDATE = "update"
DELETE = "delete"

#: Extra fields of an item that are not columns of its row.
CRITERIA = "criteria"
RECOMMENDATIONS = "recommendations"

_LABELS = {
    "text": "Text",
    "owner": "Owner",
    "target_date": "Target date",
    "at_risk": "At risk",
    "at_risk_reason": "Why at risk",
    "rag_override": "RAG override",
    "rag_override_reason": "Reason for the RAG override",
    "internal_note": "Internal note",
    "position": "Position",
    "title": "Title",
    "due_date": "Due date",
    "status": "Status",
    "completed_on": "Completed on",
    "evidence": "Evidence",
    "self_assessment": "Self-assessment",
    "reference": "Reference",
    "framework_id": "Framework",
    "planned_date": "Planned date",
    "meeting_date": "Meeting date",
    "note": "Note",
    "area": "Area",
    "programme": "Programme",
    "report_title": "Report title",
    "published_year": "Year published",
    "published_month": "Month published",
    "published_day": "Day published",
    "response_due_months": "Response due (months)",
    "implementation_months": "Implementation expected (months)",
    "follow_up_expected": "Follow-up expected",
    "fieldwork_start": "Fieldwork began",
    "fieldwork_end": "Fieldwork ended",
    # agreed with the Inspectorate (ESI) or set by the Board (no fixed deadline): say neither
    "agreed_response_due": "Agreed response date",
    "agreed_response_reason": "Why the response deadline was agreed",
    "response_due_fixed": "Response deadline fixed by the framework",
    "addressee": "Addressed to",
    "archived_on": "Archived on",
    "stem": "Opening words as printed",
    "number": "Reference number",
    "import_key": "Row of the imported spreadsheet",
    "round": "Round",
    "kind": "Follow-up or re-inspection",
    "sent_on": "Sent on",
    "item_kind": "Kind of item",
    "item_reference": "Item",
    "requested_date": "New date requested",
    "decision": "Decision",
    "minute_reference": "Minute reference",
    "findings": "Findings",
    "published_scores": "Published scores",
    "national_targets": "National performance targets",
    CRITERIA: "Criteria targeted",
    RECOMMENDATIONS: "Recommendations served",
}

_RESPONSE_LABELS = {
    "category": "Response",
    "narrative": "Response narrative",
    "part_agreed": "Part agreed",
    "reason": "Reason for not agreeing",
    "lead_owner": "Lead owner",
}


# ----- values as the history shows them -----------------------------------------------------


def format_value(value: object) -> str:
    """A value as text: ISO dates, empty for nothing, Yes/No for booleans, texts whole."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Enum):
        return format_value(value.value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _framework_title(framework_id: str) -> str:
    from esi_desktop.frameworks import get_framework

    try:
        return get_framework(framework_id).short_title
    except FrameworkError:
        return framework_id


def format_criteria(
    criteria: Iterable[tuple[str, str]], *, with_framework: bool | None = None
) -> str:
    """Criteria as "B1, C5", naming the framework when there are several ("B1 (ESI core)")."""
    pairs = sorted(set(criteria))
    if with_framework is None:
        with_framework = len({framework_id for framework_id, _ in pairs}) > 1
    if not with_framework:
        return ", ".join(code for _, code in pairs)
    return ", ".join(f"{code} ({_framework_title(framework_id)})" for framework_id, code in pairs)


def result_field(framework_id: str, code: str, round: int) -> str:
    """The field name of a criterion's result: ``baseline:esi-core:B1``, ``result:…`` after."""
    if round == 0:
        return f"baseline:{framework_id}:{code}"
    prefix = "" if round == 1 else f"round{round}."
    return f"{prefix}result:{framework_id}:{code}"


def overall_field(framework_id: str) -> str:
    """The field name of an overall rating entered as published: ``overall:<framework>``."""
    return f"overall:{framework_id}"


def field_label(item_kind: str, field: str, action: str = UPDATE) -> str:
    """How the history names a field ("Target date", "B1 result (ESI core)")."""
    if not field:
        return {CREATE: "Created", DELETE: "Deleted"}.get(action, "Changed")
    if field.startswith("round") and "." in field:
        number, _, rest = field.partition(".")
        return f"Round {number.removeprefix('round')}: {field_label(item_kind, rest, action)}"
    kind, _, rest = field.partition(":")
    if kind in ("baseline", "result") and ":" in rest:
        framework_id, _, code = rest.partition(":")
        word = "baseline result" if kind == "baseline" else "result"
        return f"{code} {word} ({_framework_title(framework_id)})"
    if kind == "overall" and rest:
        return f"Overall rating as published ({_framework_title(rest)})"
    return explicit_label(item_kind, field) or field.replace("_", " ").capitalize()


def explicit_label(item_kind: str, field: str) -> str | None:
    """The words the history uses for one of an item's own columns; None when it has none
    (the history then makes a label of the column's name)."""
    if item_kind == RESPONSE and field in _RESPONSE_LABELS:
        return _RESPONSE_LABELS[field]
    return _LABELS.get(field)


def local_time(moment: datetime) -> datetime:
    """A stored UTC time in the computer's own time zone."""
    return moment.replace(tzinfo=UTC).astimezone()
