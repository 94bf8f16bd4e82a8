"""The audit trail: who changed which item of a plan, when, and from what to what.

Callers write ``from esi_desktop import audit`` and use the names re-exported here
(``audit.record``, ``audit.ACTION`` ...). Open ``labels`` for what is recorded (CREATE,
UPDATE, DELETE) and how values and field names read in the history, ``actor`` for who is
acting (the login name, :func:`acting_as`), ``entries`` for naming an item and writing the
entries of a change in its transaction (:func:`record`), ``rows`` for items created or deleted
as whole rows, ``imports`` for what an import changed, ``trail`` for reading the history back,
and ``csv_export`` for the CSV file; the item kinds (INSPECTION, ACTION ...) live in
:mod:`esi_desktop.wording` and are re-exported here.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from esi_desktop.audit.actor import acting_as, current_user, set_current_user
    from esi_desktop.audit.csv_export import CSV_COLUMNS, export_csv
    from esi_desktop.audit.entries import (
        _CHUNK as _CHUNK,  # tests/test_audit.py counts the INSERT statements by it
    )
    from esi_desktop.audit.entries import (
        Entry,
        ItemRef,
        changes,
        created,
        criteria_changes,
        deleted,
        follow_up_item,
        item_of,
        record,
        references,
        row_fields,
    )
    from esi_desktop.audit.imports import ReportState, import_entries, report_state
    from esi_desktop.audit.labels import (
        CREATE,
        CRITERIA,
        DELETE,
        RECOMMENDATIONS,
        UPDATE,
        field_label,
        format_criteria,
        format_value,
        local_time,
        result_field,
    )
    from esi_desktop.audit.rows import describe_recommendation, noted, row_entries
    from esi_desktop.audit.trail import (
        AuditView,
        change_count,
        history,
        inspection_history,
        item_labels,
        items_of_reference,
        last_change,
    )

from esi_desktop.wording import (
    ACTION,
    BOARD_MEETING,
    FOLLOW_UP,
    INSPECTION,
    MILESTONE,
    RECOMMENDATION,
    RESPONSE,
    SUBMISSION,
)

__all__ = [
    "ACTION",
    "BOARD_MEETING",
    "CREATE",
    "CRITERIA",
    "CSV_COLUMNS",
    "DELETE",
    "FOLLOW_UP",
    "INSPECTION",
    "MILESTONE",
    "RECOMMENDATION",
    "RECOMMENDATIONS",
    "RESPONSE",
    "SUBMISSION",
    "UPDATE",
    "AuditView",
    "Entry",
    "ItemRef",
    "ReportState",
    "acting_as",
    "change_count",
    "changes",
    "created",
    "criteria_changes",
    "current_user",
    "deleted",
    "describe_recommendation",
    "export_csv",
    "field_label",
    "follow_up_item",
    "format_criteria",
    "format_value",
    "history",
    "import_entries",
    "inspection_history",
    "item_labels",
    "item_of",
    "items_of_reference",
    "last_change",
    "local_time",
    "noted",
    "record",
    "references",
    "report_state",
    "result_field",
    "row_entries",
    "row_fields",
    "set_current_user",
]

#: The names of each module: the module is imported on the first use of one of them (start-up
#: need not pay for the history, the CSV export and the import machinery).
_NAMES = {
    "actor": "acting_as current_user set_current_user",
    "csv_export": "CSV_COLUMNS export_csv",
    "entries": "_CHUNK Entry ItemRef changes created criteria_changes deleted follow_up_item "
    "item_of record references row_fields",
    "imports": "ReportState import_entries report_state",
    "labels": "CREATE CRITERIA DELETE RECOMMENDATIONS UPDATE field_label format_criteria "
    "format_value local_time result_field",
    "rows": "describe_recommendation noted row_entries",
    "trail": "AuditView change_count history inspection_history item_labels items_of_reference "
    "last_change",
}
_WHERE = {name: module for module, names in _NAMES.items() for name in names.split()}
_SUBMODULES = frozenset(_NAMES)


def __getattr__(name: str) -> Any:
    """A name of the audit trail, its module imported on first use (PEP 562)."""
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{where}")
    # bind all its names at once, as the imports here did before they were made lazy
    names = {n: getattr(module, n) for n in _NAMES[where].split()}
    globals().update(names)
    return names[name]


def __dir__() -> list[str]:
    return sorted(set(globals()) | _WHERE.keys())
