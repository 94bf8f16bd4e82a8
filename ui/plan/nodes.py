"""The rows of the action plan tree, built from a plan, and the words their cells show.

Pure reading: no Qt model here (that is :mod:`ui.plan.model`), so the rules of what a cell
says (its text, its value while edited, its tooltip) read on their own.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from esi_desktop.plan import ActionView, MilestoneView, PlanView, RecommendationView
from esi_desktop.rules import MilestoneStatus
from esi_desktop.scoring import percent_text
from esi_desktop.wording import ACTION, MILESTONE, RECOMMENDATION, plural
from ui.delegates import format_date
from ui.plan.columns import DUE_SOON, EDITABLE, OVERDUE, Item, PlanColumn, rag_text


class PlanNode:
    """One row of the tree, known to Qt by a number that stays the same across reloads."""

    __slots__ = ("children", "item", "kind", "owner", "parent", "path", "rag", "row", "search")

    def __init__(
        self, kind: str, item: Item, parent: int, row: int, path: tuple[int, ...],
        owner: str, rag: str, search: str,
    ) -> None:  # fmt: skip
        self.kind = kind
        self.item = item
        self.parent = parent
        self.row = row
        self.path = path
        self.owner = owner
        self.rag = rag
        self.search = search
        self.children: list[int] = []


@contextmanager
def no_collection() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: building 45,000 rows would set off dozens,
    each walking every object of the plan (most of the time building took)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def removal_runs(live: list[int], keep: set[int]) -> list[tuple[int, int]]:
    """The runs of ``live`` (first, last index) not in ``keep``, last run first: removed in
    that order, each run's indices stay right."""
    runs: list[tuple[int, int]] = []
    end = len(live) - 1
    while end >= 0:
        if live[end] in keep:
            end -= 1
            continue
        start = end
        while start > 0 and live[start - 1] not in keep:
            start -= 1
        runs.append((start, end))
        end = start - 1
    return runs


def insertion_runs(wanted: list[int], staying: set[int]) -> list[tuple[int, int]]:
    """The runs of ``wanted`` (start, stop) not among the rows ``staying``, first run first:
    inserted in that order into the rows that stayed (in ``wanted``'s order), each run goes in
    at its own start."""
    runs: list[tuple[int, int]] = []
    row = 0
    while row < len(wanted):
        if wanted[row] in staying:
            row += 1
            continue
        stop = row
        while stop < len(wanted) and wanted[stop] not in staying:
            stop += 1
        runs.append((row, stop))
        row = stop
    return runs


def build_nodes(
    plan: PlanView | None, number_of: Callable[[tuple[int, ...]], int]
) -> tuple[dict[int, PlanNode], list[int]]:
    """The rows of a plan, numbered by ``number_of(path)``."""
    nodes: dict[int, PlanNode] = {}
    roots: list[int] = []
    if plan is None:
        return nodes, roots
    with no_collection():
        for rec_row, rec in enumerate(plan.recommendations):
            roots.append(add_recommendation(nodes, plan, rec, rec_row, number_of))
    return nodes, roots


def add_recommendation(
    nodes: dict[int, PlanNode],
    plan: PlanView,
    rec: RecommendationView,
    rec_row: int,
    number_of: Callable[[tuple[int, ...]], int],
    keep: Callable[[int, int], PlanNode | None] | None = None,
) -> int:
    """Add a recommendation's rows (with its actions and theirs) to ``nodes``; its number.

    ``keep(number, action_id)`` may give the row already built for an action (with its
    milestones), which is listed as it is instead of being built again.
    """
    lead = rec.response.lead_owner if rec.response else ""
    rec_number = number_of((rec.id,))
    # the filter finds a recommendation by whom it is addressed to as well
    search = f"{rec.reference}. {rec.text}\n{lead}\n{rec.addressee}".casefold()
    rec_node = PlanNode(RECOMMENDATION, rec, -1, rec_row, (rec.id,), lead,
                        rec.rag.value if rec.rag else "", search)  # fmt: skip
    nodes[rec_number] = rec_node
    for action_row, action_id in enumerate(rec.action_ids):
        number = number_of((rec.id, action_id))
        kept = keep(number, action_id) if keep is not None else None
        if kept is not None:
            nodes[number] = kept
        else:
            _add_action(nodes, plan.actions[action_id], rec.id, rec_number, action_row, number,
                        number_of)  # fmt: skip
        rec_node.children.append(number)
    return rec_number


def _add_action(
    nodes: dict[int, PlanNode], action: ActionView, rec_id: int, parent: int, row: int,
    number: int, number_of: Callable[[tuple[int, ...]], int],
) -> None:  # fmt: skip
    action_id, owner = action.id, action.owner
    path = (rec_id, action_id)
    search = f"{action.reference} {action.text}\n{owner}".casefold()
    action_node = PlanNode(ACTION, action, parent, row, path, owner, action.rag.value, search)
    nodes[number] = action_node
    children = action_node.children
    for milestone_row, milestone in enumerate(action.milestones):
        milestone_path = (rec_id, action_id, milestone.id)
        milestone_number = number_of(milestone_path)
        flag = OVERDUE if milestone.overdue else DUE_SOON if milestone.due_soon else ""
        nodes[milestone_number] = PlanNode(
            MILESTONE, milestone, number, milestone_row, milestone_path,
            owner, flag, f"{milestone.reference} {milestone.title}".casefold(),
        )  # fmt: skip
        children.append(milestone_number)


# ----- what the cells say -------------------------------------------------------------------


def cell_text(node: PlanNode, column: int) -> str:
    """The text a cell shows."""
    item = node.item
    if isinstance(item, MilestoneView):
        if column == PlanColumn.ITEM:
            return item.title
        if column == PlanColumn.REF:
            return item.reference
        if column == PlanColumn.DATE:
            return format_date(item.due_date)
        if column == PlanColumn.STATUS:
            return item.status
        if column == PlanColumn.COMPLETED:
            return format_date(item.completed_on)
        if column == PlanColumn.RAG:
            return node.rag
        return ""
    if isinstance(item, ActionView):
        if column == PlanColumn.ITEM:
            return item.text
        if column == PlanColumn.REF:
            return item.reference
        if column == PlanColumn.OWNER:
            return item.owner
        if column == PlanColumn.DATE:
            return format_date(item.target_date)
        if column == PlanColumn.STATUS:
            total = len(item.milestones)
            if not total:
                return "No milestones"
            done = sum(1 for m in item.milestones if m.status == MilestoneStatus.COMPLETE)
            return f"{done} of {total} complete"
        if column == PlanColumn.COMPLETED:
            if item.milestones and item.progress == 1:
                return format_date(max(m.completed_on or m.due_date for m in item.milestones))
            return ""
        if column == PlanColumn.PROGRESS:
            return percent_text(item.progress)
        if column == PlanColumn.RAG:
            return rag_text(item.rag, item.rag_override)
        return ""
    if column == PlanColumn.ITEM:
        return f"{item.reference}. {item.text}"
    if column == PlanColumn.OWNER:
        return node.owner
    if column == PlanColumn.STATUS:
        count = plural(len(item.action_ids), "action") if item.action_ids else "No actions"
        return f"{item.category} · {count}" if item.category else count
    if column == PlanColumn.PROGRESS:
        return percent_text(item.progress) if item.action_ids else ""
    if column == PlanColumn.RAG:
        return rag_text(item.rag, item.rag_override)
    return ""


def is_placeholder(node: PlanNode) -> bool:
    """Whether the Status cell says only that nothing is planned yet."""
    item = node.item
    if isinstance(item, RecommendationView):
        return not item.action_ids and not item.category
    return isinstance(item, ActionView) and not item.milestones


def edit_value(node: PlanNode, column: int) -> object:
    """The value an editor of the cell starts from (a date, not its text, for a date cell)."""
    field = EDITABLE.get((node.kind, PlanColumn(column)))
    if field is None:
        return cell_text(node, column)
    return getattr(node.item, field)


def cell_tooltip(node: PlanNode, column: int, reference_of: Callable[[int], str]) -> str | None:
    """A cell's tooltip; ``reference_of`` names a recommendation by its id ("6", "T2")."""
    item = node.item
    if column == PlanColumn.RAG:
        if isinstance(item, MilestoneView):
            if item.overdue:
                return f"Was due on {item.due_date:%d/%m/%Y} and is not complete."
            if item.due_soon:
                return f"Due on {item.due_date:%d/%m/%Y}, within 14 days, not complete."
            return None
        lines = []
        if item.rag_override is not None:
            derived = item.derived_rag.value if item.derived_rag else "none yet"
            lines.append(
                f"Overridden to {item.rag_override.value} (derived: {derived}). "
                f"Reason: {item.rag_override_reason}"
            )
        if isinstance(item, ActionView) and item.at_risk:
            lines.append(f"Marked at risk: {item.at_risk_reason}")
        return "\n".join(lines) or None
    if column != PlanColumn.ITEM:
        return None
    if isinstance(item, RecommendationView):
        lines = [f"Recommendation {item.reference}: {item.text}"]
        if item.addressee:
            lines.append(f"Addressed to {item.addressee}")
        if item.criteria:
            lines.append("Targets " + ", ".join(code for _, code in item.criteria))
        if item.category:
            lines.append(f"Board's response: {item.category}")
        return "\n".join(lines)
    if isinstance(item, ActionView):
        served = ", ".join(reference_of(r) for r in item.recommendation_ids)
        lines = [item.text, f"Serves recommendation {served}"]
        if item.criteria:
            lines.append("Targets " + ", ".join(code for _, code in item.criteria))
        return "\n".join(lines)
    return f"{item.title}\nEvidence: {item.evidence}" if item.evidence else item.title
