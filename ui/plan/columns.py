"""The action plan tree's columns, item roles, cell words and colours, and small helpers."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from esi_desktop.errors import EsiError, NotFoundError
from esi_desktop.plan import ActionView, ConflictError, MilestoneView, RecommendationView
from esi_desktop.rules import Rag
from esi_desktop.wording import ACTION, MILESTONE
from ui.models import RAG_COLOURS

Index = QModelIndex | QPersistentModelIndex
Item = RecommendationView | ActionView | MilestoneView

#: What a row stands for: "recommendation", "action" or "milestone".
KindRole = Qt.ItemDataRole.UserRole + 1
#: The id of the recommendation, action or milestone a row stands for.
ItemIdRole = Qt.ItemDataRole.UserRole + 2
#: The id of the recommendation the row sits under (an action may sit under several).
RecommendationIdRole = Qt.ItemDataRole.UserRole + 3
#: The id of the action a row belongs to (its own id for an action; None for a recommendation).
ActionIdRole = Qt.ItemDataRole.UserRole + 4
#: The RAG shown ("Red" …) or a milestone's flag ("Overdue", "Due soon"); "" when none.
RagRole = Qt.ItemDataRole.UserRole + 5

OVERDUE = "Overdue"
DUE_SOON = "Due soon"
NEW_ACTION_TEXT = "New action"
NEW_MILESTONE_TITLE = "New milestone"
NO_OVERRIDE = "No override"
AT_RISK = "At risk"
NOT_AT_RISK = "Not at risk"

CELL_COLOURS = {
    **{rag.value: colour for rag, colour in RAG_COLOURS.items()},
    OVERDUE: RAG_COLOURS[Rag.RED],
    DUE_SOON: RAG_COLOURS[Rag.AMBER],
}
#: Dark text reads on every RAG colour above (contrast 5:1 or better).
RAG_TEXT_COLOUR = "#1b1b1b"
#: "No actions", "No milestones": grey, so the eye goes to what is planned.
MUTED_TEXT_COLOUR = "#707070"


class PlanColumn(IntEnum):
    """Columns of the action plan tree."""

    ITEM = 0
    #: An action's or milestone's reference ("AP3", "AP3.2"), given once, never renumbered.
    REF = 1
    OWNER = 2
    DATE = 3
    STATUS = 4
    COMPLETED = 5
    PROGRESS = 6
    RAG = 7
    #: How many files are attached to the item as evidence, beside a paper clip.
    EVIDENCE = 8


COLUMN_COUNT = len(PlanColumn)

HEADERS = {
    PlanColumn.ITEM: "Item",
    PlanColumn.REF: "Ref",
    PlanColumn.OWNER: "Owner",
    PlanColumn.DATE: "Date",
    PlanColumn.STATUS: "Status",
    PlanColumn.COMPLETED: "Completed on",
    PlanColumn.PROGRESS: "Progress",
    PlanColumn.RAG: "RAG",
    PlanColumn.EVIDENCE: "Files",
}

HEADER_TIPS = {
    PlanColumn.REF: "The action's (AP3) or milestone's (AP3.2) reference: given once and never "
    "renumbered, so the Board's papers keep naming the same item",
    PlanColumn.DATE: "An action's target date; a milestone's due date",
    PlanColumn.STATUS: "A milestone's status; for an action, how many milestones are complete",
    PlanColumn.PROGRESS: "Complete milestones over milestones; a recommendation averages its "
    "actions",
    PlanColumn.RAG: "Red, Amber, Green, or Blue when complete; milestones show Overdue or Due soon",
    PlanColumn.EVIDENCE: "Files attached to the item as evidence: drop files on a row to attach "
    "them; Edit ▸ Evidence of the selected item… (Ctrl+Shift+V) lists them",
}

#: The fields edited in each column, per kind of row, and how a refusal is titled.
EDITABLE: dict[tuple[str, PlanColumn], str] = {
    (ACTION, PlanColumn.ITEM): "text",
    (ACTION, PlanColumn.OWNER): "owner",
    (ACTION, PlanColumn.DATE): "target_date",
    (MILESTONE, PlanColumn.ITEM): "title",
    (MILESTONE, PlanColumn.DATE): "due_date",
    (MILESTONE, PlanColumn.STATUS): "status",
    (MILESTONE, PlanColumn.COMPLETED): "completed_on",
}
FIELD_NAMES = {
    "text": ("the action", "Edit action text"),
    "owner": ("the owner", "Change action owner"),
    "target_date": ("the target date", "Change target date"),
    "title": ("the milestone", "Edit milestone"),
    "due_date": ("the due date", "Change milestone due date"),
    "status": ("the status", "Change milestone status"),
    "completed_on": ("the completion date", "Change completion date"),
}
DATE_FIELDS = {"target_date", "due_date", "completed_on"}


def rag_text(rag: Rag | None, override: Rag | None) -> str:
    """The RAG as shown: "Amber", or "Amber (overridden)"."""
    if rag is None:
        return ""
    return f"{rag.value} (overridden)" if override is not None else rag.value


def is_stale(error: EsiError) -> bool:
    """Whether an edit was refused because the rows on screen were out of date."""
    return isinstance(error, ConflictError | NotFoundError)
