"""The Action plan page: recommendations, their actions and milestones, edited in place.

:class:`ActionPlanView` builds the page (commands, toolbar, filter bar, tree) and reloads it;
its edit commands are in :mod:`ui.plan.commands`, the cursor, folding and filtering it
shares with them in :mod:`ui.plan.base`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPoint, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.errors import EsiError
from esi_desktop.plan import PlanChange, PlanView
from esi_desktop.rules import MilestoneStatus, Rag
from esi_desktop.wording import ACTION, MILESTONE, RECOMMENDATION
from ui.delegates import ChoiceDelegate, DateDelegate, OwnerDelegate, WrappingDelegate
from ui.edits import Edits
from ui.evidence.counts import read_counts
from ui.evidence.dropping import FileDrops
from ui.plan.columns import DUE_SOON, OVERDUE, KindRole, PlanColumn
from ui.plan.commands import PlanCommands
from ui.plan.tree import PlanTree
from ui.screen import keep_column_readable
from ui.workspace import Workspace

#: The narrowest the plan tree gets, in pixels (issue 18: fits 1,093 px with large text).
TREE_MINIMUM_WIDTH = 320

#: The most lines a recommendation's row takes in the tree; its whole text is its tooltip.
RECOMMENDATION_LINES = 2


class ActionPlanView(PlanCommands):
    """The Action plan page: the plan as a tree, a filter bar, and keyboard-driven editing.

    Every change goes through :class:`Edits` (so Edit ▸ Undo reverts it); the view updates
    the rows an edit touched when :attr:`Workspace.patched` fires, and reloads when
    :attr:`Workspace.changed` fires with another plan than the one it shows.
    """

    def __init__(self, workspace: Workspace, edits: Edits, parent: QWidget | None = None) -> None:
        super().__init__(workspace, edits, parent)

        self._build_actions()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._build_toolbar())
        layout.addLayout(self._build_filter_bar())
        layout.addWidget(self._build_tree())
        self.empty_label = QLabel("Choose an inspection to see its action plan.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty_label)

        workspace.patched.connect(self._patched)
        workspace.changed.connect(self.reload)
        self.reload()

    # ----- building -----------------------------------------------------------------------

    def _action(
        self, text: str, shortcuts: list[str], slot: Callable[[], None], tip: str
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(text.replace("…", "").replace(" ", "_").lower())
        action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        keys = ", ".join(QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText)
                         for s in shortcuts)  # fmt: skip
        action.setToolTip(f"{tip} ({keys})")
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.add_action_act = self._action(
            "Add action", ["Ctrl+Shift+A"], self.add_action,
            "Add an action to the current recommendation",
        )  # fmt: skip
        self.add_milestone_act = self._action(
            "Add milestone", ["Ctrl+Shift+M", "Ins"], self.add_milestone,
            "Add a milestone to the current action",
        )  # fmt: skip
        self.delete_act = self._action(
            "Delete", ["Del"], self.delete_current, "Delete the current action or milestone"
        )
        self.indent_act = self._action(
            "Indent", ["Ctrl+]"], self.indent_current,
            "Make the current action a milestone of the action above it (Tab)",
        )  # fmt: skip
        self.outdent_act = self._action(
            "Outdent", ["Ctrl+["], self.outdent_current,
            "Make the current milestone an action of its own (Shift+Tab)",
        )  # fmt: skip
        self.link_act = self._action(
            "Also serves recommendation…", ["Ctrl+L"], self.choose_recommendations,
            "Choose the recommendations the current action serves",
        )  # fmt: skip
        self.override_rag_act = self._action(
            "Override RAG…", ["Ctrl+Shift+O"], self.override_rag,
            "Set the RAG status by hand, with a reason",
        )  # fmt: skip
        self.at_risk_act = self._action(
            "Mark at risk…", ["Ctrl+Shift+K"], self.mark_at_risk,
            "Mark the current action at risk, with a reason",
        )  # fmt: skip
        self.criteria_act = self._action(
            "Criteria…", ["Ctrl+Shift+C"], self.choose_criteria,
            "Choose the scoring criteria the current action aims to improve",
        )  # fmt: skip
        self.evidence_act = self._action(
            "Evidence note…", ["Ctrl+Shift+N"], self.edit_evidence,
            "Type a note of the evidence that the current milestone is done (files: Edit ▸ "
            "Evidence of the selected item…)",
        )  # fmt: skip

    def _build_toolbar(self) -> QToolBar:
        self.toolbar = QToolBar("Action plan")
        self.toolbar.setAccessibleName("Action plan tools")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.add_action_act, self.add_milestone_act, self.delete_act):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        for action in (self.indent_act, self.outdent_act, self.link_act, self.criteria_act):
            self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        for action in (self.override_rag_act, self.at_risk_act, self.evidence_act):
            self.toolbar.addAction(action)
        for action in self.toolbar.actions():
            button = self.toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setAccessibleName(action.text().replace("…", ""))
        return self.toolbar

    def _build_filter_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 0, 6, 0)
        self.filter_edit = QLineEdit()
        self.filter_edit.setAccessibleName("Filter by text or owner")
        self.filter_edit.setPlaceholderText("Text or owner")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMinimumWidth(self.filter_edit.fontMetrics().horizontalAdvance("M") * 8)
        label = QLabel("Fi&lter:")
        label.setBuddy(self.filter_edit)
        bar.addWidget(label)
        bar.addWidget(self.filter_edit, 2)

        self.owner_filter = QComboBox()
        self.owner_filter.setAccessibleName("Filter by owner")
        self.owner_filter.addItem("All owners", "")
        self.owner_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Filter by milestone status")
        self.status_filter.addItem("All statuses", "")
        for status in [*(s.value for s in MilestoneStatus), OVERDUE, DUE_SOON]:
            self.status_filter.addItem(status, status)
        self.rag_filter = QComboBox()
        self.rag_filter.setAccessibleName("Filter by RAG")
        self.rag_filter.addItem("All RAG", "")
        for rag in Rag:
            self.rag_filter.addItem(rag.value, rag.value)
        # mnemonics clear of the menu bar's (Alt+F File, Alt+E Edit, Alt+V View, Alt+H Help)
        for text, combo in (("O&wner:", self.owner_filter), ("Stat&us:", self.status_filter),
                            ("R&AG:", self.rag_filter)):  # fmt: skip
            label = QLabel(text)
            label.setBuddy(combo)
            bar.addWidget(label)
            bar.addWidget(combo)
            combo.currentIndexChanged.connect(self._apply_filter)
        self.clear_filter_button = QPushButton("Clear")
        self.clear_filter_button.setAccessibleName("Clear filters")
        self.clear_filter_button.setToolTip("Show every item again")
        self.clear_filter_button.clicked.connect(self.clear_filter)
        bar.addWidget(self.clear_filter_button)

        # filter while typing, once the typing pauses (a large plan takes a moment)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(200)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter_edit.textChanged.connect(lambda _text: self._filter_timer.start())
        self.filter_edit.returnPressed.connect(self._apply_filter)
        return bar

    def _build_tree(self) -> PlanTree:
        self.tree = PlanTree()
        self.tree.setAccessibleName("Action plan tree")
        self.tree.setModel(self.proxy)
        # titles wrap in the Item column instead of being cut: rows as tall as their text
        self.tree.setUniformRowHeights(False)
        self.tree.setWordWrap(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._show_context_menu)
        self.tree.indent_requested.connect(self.indent_current)
        self.tree.outdent_requested.connect(self.outdent_current)
        self.tree.expanded.connect(self._expanded)
        self.tree.collapsed.connect(self._collapsed_by_user)

        self.date_delegate = DateDelegate(self.tree, default=self.workspace.today)
        self.status_delegate = ChoiceDelegate([s.value for s in MilestoneStatus], self.tree)
        self.owner_delegate = OwnerDelegate(self._owners, self.tree)
        self.tree.setItemDelegateForColumn(PlanColumn.OWNER, self.owner_delegate)
        self.tree.setItemDelegateForColumn(PlanColumn.DATE, self.date_delegate)
        self.tree.setItemDelegateForColumn(PlanColumn.COMPLETED, self.date_delegate)
        self.tree.setItemDelegateForColumn(PlanColumn.STATUS, self.status_delegate)
        # a recommendation's long text takes two lines at most (the whole is its tooltip)
        self.item_delegate = WrappingDelegate(
            self.tree,
            PlanColumn.ITEM,
            lambda index: RECOMMENDATION_LINES if index.data(KindRole) == RECOMMENDATION else None,
        )
        self.tree.setItemDelegateForColumn(PlanColumn.ITEM, self.item_delegate)

        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(PlanColumn.ITEM, QHeaderView.ResizeMode.Stretch)
        metrics = self.tree.fontMetrics()
        em = metrics.horizontalAdvance("M")
        widths = {
            PlanColumn.REF: metrics.horizontalAdvance("AP99.99") + em,
            PlanColumn.OWNER: em * 10,
            PlanColumn.DATE: metrics.horizontalAdvance("30/09/2005") + em * 2,
            PlanColumn.STATUS: metrics.horizontalAdvance("10 of 10 complete") + em * 2,
            PlanColumn.COMPLETED: metrics.horizontalAdvance("Completed on") + em * 2,
            PlanColumn.PROGRESS: metrics.horizontalAdvance("Progress") + em * 2,
            PlanColumn.RAG: metrics.horizontalAdvance("Amber (overridden)") + em * 2,
            # the paper clip (as tall as a line) and a count
            PlanColumn.EVIDENCE: metrics.horizontalAdvance("Files") + metrics.height() + em,
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setMinimumSectionSize(em * 4)
        # a narrow window (1920 × 1080 at 200% is 960 wide) keeps the Item column readable and
        # scrolls sideways to the others
        keep_column_readable(self.tree, header, PlanColumn.ITEM, em * 24)
        # in pixels, not text units: with text at 200% the window must still fit a laptop
        # (the tree scrolls sideways instead)
        self.tree.setMinimumWidth(min(em * 24 + widths[PlanColumn.REF], TREE_MINIMUM_WIDTH))
        # a wrapped title's height depends on the Item column's width: lay the rows out again
        self._relayout_timer = QTimer(self)
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(0)
        self._relayout_timer.timeout.connect(self.tree.doItemsLayout)
        header.sectionResized.connect(
            lambda column, _old, _new: (
                self._relayout_timer.start() if column == PlanColumn.ITEM else None
            )
        )

        self.tree.own_actions = [self.add_action_act, self.add_milestone_act, self.delete_act,
                                 self.indent_act, self.outdent_act, self.link_act,
                                 self.criteria_act, self.override_rag_act, self.at_risk_act,
                                 self.evidence_act]  # fmt: skip
        self.proxy.rowsInserted.connect(self._rows_shown)
        # files dropped on a row (from Explorer) attach to its item
        self.file_drops = FileDrops(self.tree, self.edits, self._item_at)
        # a large plan unfolds its rows as they come into view
        scroll_bar = self.tree.verticalScrollBar()
        scroll_bar.valueChanged.connect(lambda _value: self._unfold_timer.start())
        scroll_bar.rangeChanged.connect(lambda _low, _high: self._unfold_timer.start())
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        return self.tree

    # ----- public API ---------------------------------------------------------------------

    def models(self) -> list[QAbstractItemModel]:
        """The item models behind the tree (for pytest-qt's model tester)."""
        return [self.model, self.proxy]

    @Slot()
    def reload(self) -> None:
        """Show the workspace's plan again, keeping the cursor and folding where they still fit."""
        try:
            plan = self.workspace.plan()
        except EsiError as exc:
            plan = None
            self._notify(str(exc))
        if plan is not None and plan is self.model.plan:  # on show already (patched)
            self._refresh_owner_filter(plan)
            self._update_actions()
            return
        self._show_plan(plan)

    @Slot(object)
    def _patched(self, change: PlanChange) -> None:
        """Update the rows an edit touched (the workspace read just those again)."""
        plan = self.workspace.plan()
        if plan is None or self.model.plan is not self.workspace.patched_from:
            return  # not the plan the change was read into: the reload that follows shows it
        self._show_plan(plan, change)

    def _show_plan(self, plan: PlanView | None, change: PlanChange | None = None) -> None:
        inspection_id = plan.inspection_id if plan else None
        same_inspection = inspection_id == self._inspection_id
        if not same_inspection:
            self._collapsed.clear()
        self._inspection_id = inspection_id
        place = self._place() if same_inspection else None
        reset = (
            self.model.patch(plan, change)
            if plan is not None and change is not None
            else self.model.set_plan(plan)
        )
        if reset:
            self._restore_expansion()
            if place is None or not self._restore_place(place):
                first = self.proxy.index(0, 0)
                if first.isValid():
                    self.tree.setCurrentIndex(first)
        # an edit of items' values leaves their counts as they were: no query then
        counts = read_counts(inspection_id) if change is None or change.evidence else None
        if counts is not None:  # one query, whatever the size of the plan
            self.model.show_evidence_counts(counts)
        self._refresh_owner_filter(plan)
        self.tree.setVisible(plan is not None)
        self.empty_label.setVisible(plan is None)
        self._update_actions()

    # ----- helpers ------------------------------------------------------------------------

    def _item_at(self, index: QModelIndex) -> tuple[str, int] | None:
        """The (kind, id) of the item a row of the tree stands for (where files may drop)."""
        node = self.model.node(self.proxy.mapToSource(index))
        return (node.kind, node.item.id) if node is not None else None

    @Slot(QModelIndex, QModelIndex)
    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_actions()

    def _update_actions(self) -> None:
        node = self.current_node() if self.model.plan else None
        kind = node.kind if node else None
        self.add_action_act.setEnabled(node is not None)
        self.add_milestone_act.setEnabled(kind in (ACTION, MILESTONE))
        self.delete_act.setEnabled(kind in (ACTION, MILESTONE))
        self.indent_act.setEnabled(kind == ACTION and node is not None and node.row > 0)
        self.outdent_act.setEnabled(kind == MILESTONE)
        self.link_act.setEnabled(kind in (ACTION, MILESTONE))
        self.override_rag_act.setEnabled(node is not None)
        self.at_risk_act.setEnabled(kind in (ACTION, MILESTONE))
        self.criteria_act.setEnabled(kind in (ACTION, MILESTONE))
        self.evidence_act.setEnabled(kind == MILESTONE)

    @Slot(QPoint)
    def _show_context_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        menu.setAccessibleName("Action plan commands")
        menu.addActions([self.add_action_act, self.add_milestone_act, self.delete_act])
        menu.addSeparator()
        menu.addActions([self.indent_act, self.outdent_act, self.link_act, self.criteria_act])
        menu.addSeparator()
        menu.addActions([self.override_rag_act, self.at_risk_act, self.evidence_act])
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.context_menu = menu
        menu.aboutToHide.connect(lambda: setattr(self, "context_menu", None))
        menu.popup(self.tree.viewport().mapToGlobal(position))
