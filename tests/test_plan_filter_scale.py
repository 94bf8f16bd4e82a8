"""The plan's filter at scale: no reset, folding kept, rows shown by the same rules as before.

Filtering a large plan used to reset the filter proxy and unfold all 7,500 parents again on
every keystroke; now the proxy removes and inserts only the rows that come or go, the tree
keeps its folding, and a large plan unfolds its rows as they come into view.
"""

from __future__ import annotations

import gc
from datetime import date
from typing import Any

import peewee
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QStyledItemDelegate, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from db.models import Recommendation
from esi_desktop.inspections import list_inspections
from esi_desktop.plan import MilestoneView
from esi_desktop.wording import (
    MILESTONE,
    RECOMMENDATION,
    action_reference,
    milestone_reference,
    parse_reference,
)
from ui.edits import Edits
from ui.plan.columns import DUE_SOON, OVERDUE, PlanColumn
from ui.plan.filtering import ROOT, PlanFilter, PlanFilterModel, shown_rows
from ui.plan.model import PlanTreeModel
from ui.plan.nodes import PlanNode, build_nodes
from ui.plan.view import ActionPlanView
from ui.workspace import Workspace

TODAY = date(2005, 6, 1)


@pytest.fixture
def workspace(qtbot: QtBot, sample_db: peewee.Database) -> Workspace:
    ws = Workspace(today=lambda: TODAY)
    ws.set_inspection(list_inspections()[0].id)
    return ws


@pytest.fixture
def edits(workspace: Workspace) -> Edits:
    return Edits(workspace)


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


def fill(edits: Edits) -> None:
    """Actions and milestones of several owners, RAGs and statuses under a few recommendations."""
    owners = ["ACO Operations", "HR Manager", "SPO"]
    for n, reference in enumerate(["6", "7", "8", "10"]):
        for a in range(3):
            action = edits.add_action([rec_id(reference)], f"Audit step {n}.{a}" if a else
                                      f"Train staff {n}", owners[(n + a) % 3],
                                      date(2005, 9, 30))  # fmt: skip
            for m in range(2):
                due = date(2005, 5, 1 + m * 20) if a == 1 else date(2005, 8, 1)
                milestone = edits.add_milestone(action, f"Review {m} of {n}", due)
                if (n + m) % 3 == 0:
                    edits.update_milestone(milestone, {"status": "Complete",
                                                       "completed_on": date(2005, 5, 2)},
                                           None, "done")  # fmt: skip


@pytest.fixture
def view(qtbot: QtBot, workspace: Workspace, edits: Edits) -> ActionPlanView:
    fill(edits)
    widget = ActionPlanView(workspace, edits)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


class ProxySignals:
    """What a model said: resets, rows removed and inserted."""

    def __init__(self, model: PlanFilterModel) -> None:
        self.resets = 0
        self.removed: list[tuple[int, int]] = []
        self.inserted: list[tuple[int, int]] = []
        model.modelReset.connect(self._reset)
        model.rowsRemoved.connect(lambda _p, first, last: self.removed.append((first, last)))
        model.rowsInserted.connect(lambda _p, first, last: self.inserted.append((first, last)))

    def _reset(self) -> None:
        self.resets += 1


def laid_out(view: ActionPlanView) -> list[QModelIndex]:
    """The rows the tree lays out (under unfolded rows only), top down."""
    rows = []
    index = view.tree.model().index(0, 0)
    while index.isValid():
        rows.append(index)
        index = view.tree.indexBelow(index)
    return rows


def text(index: QModelIndex) -> str:
    return str(index.siblingAtColumn(PlanColumn.ITEM).data())


# ----- the rules: the same rows as the old filter proxy showed -------------------------------


def old_accepts(node: PlanNode, action: PlanNode | None, criteria: PlanFilter) -> bool:
    """The old ``PlanFilterModel.filterAcceptsRow``, row by row (the reference here)."""
    needle = criteria.text.strip().casefold()
    parsed = parse_reference(criteria.text)
    wanted = ""
    if parsed is not None:
        number, step = parsed
        wanted = action_reference(number) if step is None else milestone_reference(number, step)
    if node.kind == MILESTONE:
        assert action is not None and isinstance(node.item, MilestoneView)
        status = criteria.status
        if status == OVERDUE and not node.item.overdue:
            return False
        if status == DUE_SOON and not node.item.due_soon:
            return False
        if status and status not in (OVERDUE, DUE_SOON) and node.item.status != status:
            return False
        if wanted:
            if node.item.reference != wanted and getattr(action.item, "reference", "") != wanted:
                return False
        elif needle and needle not in node.search and needle not in action.search:
            return False
        if criteria.owner and action.owner != criteria.owner:
            return False
        return not criteria.rag or action.rag == criteria.rag
    if criteria.status:
        return False
    if wanted:
        if node.kind == RECOMMENDATION or getattr(node.item, "reference", "") != wanted:
            return False
    elif needle and needle not in node.search:
        return False
    if criteria.owner and node.owner != criteria.owner:
        return False
    return not criteria.rag or node.rag == criteria.rag


def old_shown(nodes: dict[int, PlanNode], roots: list[int], criteria: PlanFilter) -> set[int]:
    """Rows the old recursive filter showed: accepted, or with a row below shown."""
    shown: set[int] = set()

    def visit(number: int, action: PlanNode | None) -> bool:
        node = nodes[number]
        below = [visit(child, node if node.kind != RECOMMENDATION else None)
                 for child in node.children]  # fmt: skip
        if any(below) or old_accepts(node, action, criteria):
            shown.add(number)
            return True
        return False

    for root in roots:
        visit(root, None)
    return shown


@pytest.mark.parametrize(
    "criteria",
    [
        PlanFilter(),
        PlanFilter(text="audit"),
        PlanFilter(text="  REVIEW 1 "),
        PlanFilter(text="train"),
        PlanFilter(text="ap2"),
        PlanFilter(text="AP 2.1"),
        PlanFilter(text="ap3.2"),
        PlanFilter(text="nothing matches this"),
        PlanFilter(owner="HR Manager"),
        PlanFilter(rag="Red"),
        PlanFilter(status=OVERDUE),
        PlanFilter(status=DUE_SOON),
        PlanFilter(status="Complete"),
        PlanFilter(text="review", owner="SPO", status="Not started"),
        PlanFilter(text="ap4", rag="Amber"),
    ],
)
def test_the_rows_shown_are_those_the_old_filter_showed(
    workspace: Workspace, edits: Edits, criteria: PlanFilter
) -> None:
    fill(edits)
    nodes, roots = build_nodes(workspace.plan(), _numbering())
    shown = shown_rows(nodes, roots, criteria)
    rows = set(shown[ROOT]) | {n for parent, rows in shown.items() if parent != ROOT for n in rows}
    assert rows == old_shown(nodes, roots, criteria)
    for parent, children in shown.items():  # in the plan's order
        order = roots if parent == ROOT else nodes[parent].children
        assert children == [n for n in order if n in set(children)]


def _numbering() -> Any:
    numbers: dict[tuple[int, ...], int] = {}
    return lambda path: numbers.setdefault(path, len(numbers))


def test_building_the_rows_leaves_garbage_collection_as_it_found_it(workspace: Workspace) -> None:
    assert gc.isenabled()
    build_nodes(workspace.plan(), _numbering())
    assert gc.isenabled()
    gc.disable()
    try:
        build_nodes(workspace.plan(), _numbering())
        assert not gc.isenabled()
    finally:
        gc.enable()


# ----- the proxy: rows removed and inserted, never a reset -----------------------------------


def test_a_filter_change_removes_and_inserts_rows_without_a_reset(
    qtmodeltester: Any, workspace: Workspace, edits: Edits
) -> None:
    fill(edits)
    model = PlanTreeModel(edits)
    model.set_plan(workspace.plan())
    proxy = PlanFilterModel()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    signals = ProxySignals(proxy)
    proxy.set_criteria(PlanFilter(text="audit"))
    assert signals.resets == 0 and signals.removed
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == [
        f"{ref}. {Recommendation.get_by_id(rec_id(ref)).text}" for ref in ["6", "7", "8", "10"]
    ]
    signals.removed.clear()
    proxy.set_criteria(PlanFilter(text="audi"))  # the same rows: nothing said at all
    assert signals.removed == [] and signals.inserted == [] and signals.resets == 0
    proxy.set_criteria(PlanFilter())
    assert signals.inserted and signals.resets == 0
    assert proxy.rowCount() == model.rowCount()
    qtmodeltester.check(proxy)
    # an edit while filtered: the row that now matches comes, the tester watching
    proxy.set_criteria(PlanFilter(text="quarterly"))
    plan = workspace.plan()
    assert plan is not None
    action_id = plan.recommendation(rec_id("7")).action_ids[0]  # type: ignore[union-attr]
    assert not proxy.mapFromSource(model.first_index_of("action", action_id)).isValid()
    edits.update_action(action_id, {"text": "Quarterly review"}, None, "Edit action text")
    assert model.set_plan(workspace.plan()) is False
    assert proxy.mapFromSource(model.first_index_of("action", action_id)).isValid()
    assert signals.resets == 0


def test_a_cell_answers_every_role_in_one_call_as_it_does_one_at_a_time(
    view: ActionPlanView,
) -> None:
    delegate = QStyledItemDelegate()
    for index in laid_out(view)[:12]:
        for column in PlanColumn:
            cell = index.siblingAtColumn(column)
            option = QStyleOptionViewItem()
            delegate.initStyleOption(option, cell)  # asks multiData for its roles
            assert option.text == str(cell.data(Qt.ItemDataRole.DisplayRole) or "")
            font = cell.data(Qt.ItemDataRole.FontRole)
            assert option.font.bold() == (font.bold() if font is not None else False)
            background = cell.data(Qt.ItemDataRole.BackgroundRole)
            if background is not None:
                assert option.backgroundBrush.color() == background.color()


# ----- the view: folding kept, a large plan unfolded as it comes into view -------------------


def test_folding_stays_across_filter_changes(view: ActionPlanView) -> None:
    signals = ProxySignals(view.proxy)
    rows = {text(i): i for i in laid_out(view)}
    train = rows["Train staff 1"]
    assert view.tree.isExpanded(train)
    view.tree.collapse(train)  # folded by hand
    view.set_filter(text="staff 1")
    assert {text(i) for i in laid_out(view)} >= {"Train staff 1"}
    view.set_filter(text="")
    assert signals.resets == 0
    rows = {text(i): i for i in laid_out(view)}
    assert not view.tree.isExpanded(rows["Train staff 1"])  # still folded
    assert "Review 0 of 1" in {text(i) for i in laid_out(view)}  # of the other actions
    assert all(
        view.tree.isExpanded(i)
        for i in laid_out(view)
        if view.proxy.rowCount(i) and text(i) != "Train staff 1"
    )


def test_a_large_plan_unfolds_the_rows_on_screen_and_the_others_as_they_come(
    qtbot: QtBot, workspace: Workspace, edits: Edits, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(edits)
    monkeypatch.setattr(ActionPlanView, "EAGER_UNFOLD", 3)  # "large": more than 3 to unfold
    monkeypatch.setattr(ActionPlanView, "SIGHT_ROWS", 4)
    view = ActionPlanView(workspace, edits)
    qtbot.addWidget(view)
    view.resize(900, 160)  # a few rows on screen
    view.show()
    qtbot.waitExposed(view)
    tree, proxy = view.tree, view.proxy
    qtbot.waitUntil(lambda: not view._unfold_timer.isActive())

    def on_screen() -> list[QModelIndex]:
        height = tree.viewport().height()
        return [i for i in laid_out(view) if 0 <= tree.visualRect(i).top() < height]

    def unfolded_on_screen() -> bool:
        return all(tree.isExpanded(i) for i in on_screen() if proxy.rowCount(i))

    assert view._lazy
    assert unfolded_on_screen()
    parents = [(i, n) for i, n in proxy.expandable() if proxy.rowCount(i)]
    assert not all(tree.isExpanded(i) for i, _ in parents)  # not all at once
    tree.verticalScrollBar().setValue(tree.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: not view._unfold_timer.isActive())
    assert unfolded_on_screen()
    top = QAbstractItemView.ScrollHint.PositionAtTop
    six = next(i for i in laid_out(view) if text(i).startswith("6. "))
    tree.scrollTo(six, top)
    qtbot.waitUntil(lambda: not view._unfold_timer.isActive())
    assert tree.isExpanded(six) and unfolded_on_screen()
    # a row folded by hand is not unfolded again when it comes into view
    tree.collapse(six)
    tree.verticalScrollBar().setValue(tree.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: not view._unfold_timer.isActive())
    tree.scrollTo(six, top)
    qtbot.waitUntil(lambda: not view._unfold_timer.isActive())
    assert six in on_screen() and not tree.isExpanded(six)
    # a filter change that brings every row back unfolds those on screen
    view.set_filter(text="nothing matches this")
    assert laid_out(view) == []
    view.set_filter(text="")
    assert unfolded_on_screen()
