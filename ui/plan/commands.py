"""The Action plan page's edit commands: add, delete, indent, link, override and at-risk."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QDialog, QMessageBox

from esi_desktop.errors import EsiError
from esi_desktop.frameworks import get_framework
from esi_desktop.inspections import stored_results
from esi_desktop.plan import ActionView, MilestoneView, RecommendationView
from esi_desktop.rules import Rag
from esi_desktop.scoring import describe_result
from esi_desktop.wording import ACTION, MILESTONE, RECOMMENDATION, plural
from ui.plan.base import PlanViewBase
from ui.plan.columns import (
    AT_RISK,
    NEW_ACTION_TEXT,
    NEW_MILESTONE_TITLE,
    NO_OVERRIDE,
    NOT_AT_RISK,
    is_stale,
)
from ui.plan.dialogs import CriteriaDialog, EvidenceDialog, ReasonDialog, RecommendationsDialog
from ui.workspace import Touches


class PlanCommands(PlanViewBase):
    """The commands of the Action plan page, each on the row under the cursor.

    Every change goes through :class:`ui.edits.Edits`, so Edit ▸ Undo reverts it; a refused
    change is shown and changes nothing.
    """

    @Slot()
    def add_action(self) -> None:
        """Add an action to the current recommendation and start typing its text."""
        plan = self.model.plan
        node = self.current_node()
        if plan is None or node is None or self._editing():
            return
        # its own recommendation's lead owner (the draft's too), or none yet: never another's;
        # as stored now (an edit reads only the rows it touches, so read this one again)
        self.workspace.refresh(Touches.of(recommendations=[node.path[0]]), reload_on_error=False)
        plan = self.model.plan
        if plan is None:
            return
        recommendation = plan.recommendation(node.path[0])
        stored = recommendation.stored_response
        owner = stored.lead_owner.strip() if stored else ""
        try:
            action_id = self.edits.add_action(
                [recommendation.id], NEW_ACTION_TEXT, owner, plan.clock.implementation_due
            )
        except EsiError as exc:
            self._refuse("Cannot add the action", exc)
            return
        self._edit_new((recommendation.id, action_id))

    @Slot()
    def add_milestone(self) -> None:
        """Add a milestone to the current action and start typing its title."""
        plan = self.model.plan
        node = self.current_node()
        if plan is None or node is None or self._editing():
            return
        if node.kind == RECOMMENDATION:
            self._hint("Choose an action first: milestones are the steps of an action.")
            return
        rec_id, action_id = node.path[:2]
        action = plan.actions[action_id]
        try:
            milestone_id = self.edits.add_milestone(
                action_id, NEW_MILESTONE_TITLE, action.target_date
            )
        except EsiError as exc:
            self._refuse("Cannot add the milestone", exc)
            return
        self._collapsed.discard((rec_id, action_id))
        self._edit_new((rec_id, action_id, milestone_id))

    @Slot()
    def delete_current(self) -> None:
        """Delete the current action (after confirming, if it has milestones) or milestone."""
        node = self.current_node()
        if node is None or self._editing():
            return
        item = node.item
        try:
            if isinstance(item, MilestoneView):
                self.edits.delete_milestone(item.id)
            elif isinstance(item, ActionView):
                needs_asking = bool(item.milestones) or len(item.recommendation_ids) > 1
                if needs_asking and not self._confirm_delete(item):
                    return
                self.edits.delete_action(item.id)
            else:
                self._hint("Recommendations come from the report and cannot be deleted.")
                return
        except EsiError as exc:
            self._refuse("Cannot delete", exc)
            return
        self._notify("Deleted. Undo (Ctrl+Z) brings it back.")

    def _confirm_delete(self, action: ActionView) -> bool:
        parts = [f"Delete the action “{action.text}”"]
        if action.milestones:
            parts.append(f"and its {plural(len(action.milestones), 'milestone')}")
        text = " ".join(parts) + "?"
        if len(action.recommendation_ids) > 1:
            served = ", ".join(self.model.reference_of(r) for r in action.recommendation_ids)
            text += f" It is removed from every recommendation it serves ({served})."
        text += " Undo (Ctrl+Z) brings it back."
        answer = QMessageBox.question(
            self,
            "Delete action",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return bool(answer == QMessageBox.StandardButton.Yes)

    @Slot()
    def indent_current(self) -> None:
        """Make the current action a milestone of the action above it."""
        node = self.current_node()
        if node is None or self._editing():
            return
        if node.kind != ACTION:
            self._hint("Only an action can be indented; it becomes a milestone of the one above.")
            return
        parent = self.model.parent_node(node)
        assert parent is not None
        if node.row == 0:
            self._hint(
                f"There is no action above this one in recommendation "
                f"{self.model.reference_of(node.path[0])} to put it under."
            )
            return
        above = self.model.child_node(node.row - 1, self.model.index_of_path(parent.path))
        item = node.item
        assert isinstance(item, ActionView)
        if len(item.recommendation_ids) > 1:
            served = ", ".join(self.model.reference_of(r) for r in item.recommendation_ids)
            answer = QMessageBox.question(
                self,
                "Indent action",
                f"This action serves recommendations {served}. As a milestone of "
                f"“{above.item.text}” it will only count towards "  # type: ignore[union-attr]
                "that action's recommendations. Indent it?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            milestone_id = self.edits.indent_action(item.id, above.item.id)
        except EsiError as exc:
            self._refuse("Cannot indent the action", exc)
            return
        self._collapsed.discard(above.path)
        self._select_path((node.path[0], above.item.id, milestone_id))

    @Slot()
    def outdent_current(self) -> None:
        """Make the current milestone an action of its own."""
        node = self.current_node()
        if node is None or self._editing():
            return
        if node.kind != MILESTONE:
            self._hint("Only a milestone can be outdented; it becomes an action of its own.")
            return
        try:
            action_id = self.edits.outdent_milestone(node.item.id)
        except EsiError as exc:
            self._refuse("Cannot outdent the milestone", exc)
            return
        self._select_path((node.path[0], action_id))

    @Slot()
    def choose_recommendations(self) -> None:
        """Open the dialog that ticks the recommendations the current action serves."""
        plan = self.model.plan
        node = self.current_node()
        if plan is None or node is None or self._editing():
            return
        if node.kind == RECOMMENDATION:
            self._hint("Choose an action first.")
            return
        action = plan.actions[node.path[1]]
        current = set(action.recommendation_ids)
        choices = [(r.id, f"{r.reference}. {r.text}") for r in plan.recommendations]

        def apply(chosen: set[int]) -> bool:
            return self._apply_links(action.id, current, chosen, node.path[0])

        dialog = RecommendationsDialog(
            self, action_text=action.text, recommendations=choices, chosen=current, apply=apply
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.recommendations_dialog = dialog
        dialog.finished.connect(lambda _result: setattr(self, "recommendations_dialog", None))
        dialog.open()

    def _apply_links(
        self, action_id: int, current: set[int], chosen: set[int], shown_under: int
    ) -> bool:
        dialog = self.recommendations_dialog or self
        if not chosen:
            QMessageBox.warning(
                dialog,
                "Cannot change the recommendations served",
                "Every action must serve at least one recommendation; tick one, or delete "
                "the action instead.",
            )
            return False
        if chosen == current:
            return True
        stack = self.workspace.undo_stack
        stack.beginMacro("Change recommendations served")
        try:
            for rec_id in sorted(chosen - current):
                self.edits.link_action(action_id, rec_id)
            for rec_id in sorted(current - chosen):
                self.edits.unlink_action(action_id, rec_id)
        except EsiError as exc:
            self._refuse("Cannot change the recommendations served", exc, dialog)
            return is_stale(exc)
        finally:
            stack.endMacro()
        if shown_under in chosen:
            self._select_path((shown_under, action_id))
        else:
            self.select_item(ACTION, action_id)
        return True

    @Slot()
    def override_rag(self) -> None:
        """Open the dialog that overrides the current action's or recommendation's RAG."""
        node = self.current_node()
        if node is None or self._editing():
            return
        if node.kind == MILESTONE:
            node = self.model.parent_node(node)
            assert node is not None
        item = node.item
        assert isinstance(item, ActionView | RecommendationView)
        derived = item.derived_rag.value if item.derived_rag else "none yet"
        what = "action" if isinstance(item, ActionView) else f"recommendation {item.reference}"

        def apply(choice: str, reason: str) -> bool:
            override = None if choice == NO_OVERRIDE else choice
            current = item.rag_override.value if item.rag_override else None
            if override == current and (override is None or reason.strip() ==
                                        item.rag_override_reason):  # fmt: skip
                return True
            changes = {"rag_override": override, "rag_override_reason": reason}
            label = "Override RAG" if override else "Remove RAG override"
            try:
                if isinstance(item, ActionView):
                    self.edits.update_action(item.id, changes, item.version, label)
                else:
                    self.edits.set_recommendation_fields(item.id, changes, item.version, label)
            except EsiError as exc:
                self._refuse("Cannot override the RAG", exc, self.rag_dialog)
                return is_stale(exc)
            return True

        dialog = ReasonDialog(
            self,
            title="Override RAG",
            intro=f"The RAG of this {what} worked out from its milestones is {derived}. "
            "Choose another only with a reason the Board can read; it is shown as overridden.",
            choice_label="&RAG:",
            choices=[NO_OVERRIDE, *(r.value for r in Rag)],
            choice=item.rag_override.value if item.rag_override else NO_OVERRIDE,
            reason=item.rag_override_reason,
            apply=apply,
        )
        self._open_dialog(dialog, "rag_dialog")

    @Slot()
    def mark_at_risk(self) -> None:
        """Open the dialog that marks the current action at risk (or no longer at risk)."""
        plan = self.model.plan
        node = self.current_node()
        if plan is None or node is None or self._editing():
            return
        if node.kind == RECOMMENDATION:
            self._hint("Choose an action first: the owner marks an action at risk.")
            return
        action = plan.actions[node.path[1]]

        def apply(choice: str, reason: str) -> bool:
            at_risk = choice == AT_RISK
            if at_risk == action.at_risk and (not at_risk or reason.strip() ==
                                              action.at_risk_reason):  # fmt: skip
                return True
            changes = {"at_risk": at_risk, "at_risk_reason": reason if at_risk else ""}
            label = "Mark action at risk" if at_risk else "Clear at risk"
            try:
                self.edits.update_action(action.id, changes, action.version, label)
            except EsiError as exc:
                self._refuse("Cannot mark the action at risk", exc, self.at_risk_dialog)
                return is_stale(exc)
            return True

        dialog = ReasonDialog(
            self,
            title="Mark at risk",
            intro=f"“{action.text}”\nAn action at risk shows Amber until it is done or overdue.",
            choice_label="&Action is:",
            choices=[AT_RISK, NOT_AT_RISK],
            choice=AT_RISK,
            reason=action.at_risk_reason,
            apply=apply,
        )
        self._open_dialog(dialog, "at_risk_dialog")

    @Slot()
    def edit_evidence(self) -> None:
        """Open the dialog that types the current milestone's evidence note."""
        node = self.current_node()
        if node is None or self._editing():
            return
        item = node.item
        if not isinstance(item, MilestoneView):
            self._hint("Choose a milestone first: the evidence shows that a milestone is done.")
            return

        def apply(evidence: str) -> bool:
            if evidence.strip() == item.evidence:
                return True
            try:
                self.edits.update_milestone(
                    item.id, {"evidence": evidence}, item.version, "Edit evidence"
                )
            except EsiError as exc:
                self._refuse("Cannot change the evidence", exc, self.evidence_dialog)
                return is_stale(exc)
            return True

        dialog = EvidenceDialog(
            self, milestone_title=item.title, evidence=item.evidence, apply=apply
        )
        self._open_dialog(dialog, "evidence_dialog")

    @Slot()
    def choose_criteria(self) -> None:
        """Open the dialog that ticks the criteria the current action aims to improve."""
        plan = self.model.plan
        node = self.current_node()
        if plan is None or node is None or self._editing():
            return
        if node.kind == RECOMMENDATION:
            self._hint(
                "Choose an action first; a recommendation's criteria are ticked in "
                "Recommendations & responses."
            )
            return
        action = plan.actions[node.path[1]]
        try:
            choices = self._criteria_choices(action)
        except EsiError as exc:
            self._refuse("Cannot choose the criteria", exc)
            return

        def apply(chosen: list[tuple[str, str]]) -> bool:
            if set(chosen) == set(action.criteria):
                return True
            try:
                self.edits.set_action_criteria(action.id, chosen, action.version)
            except EsiError as exc:
                self._refuse("Cannot change the criteria", exc, self.criteria_dialog)
                return is_stale(exc)
            return True

        dialog = CriteriaDialog(
            self, action_text=action.text, criteria=choices, chosen=action.criteria, apply=apply
        )
        self._open_dialog(dialog, "criteria_dialog")

    def _criteria_choices(self, action: ActionView) -> list[tuple[tuple[str, str], str]]:
        """The criteria of the frameworks of the recommendations the action serves, each with
        its baseline result (and its framework, when there are several)."""
        plan = self.model.plan
        assert plan is not None
        framework_ids = list(
            dict.fromkeys(plan.recommendation(r).framework_id for r in action.recommendation_ids)
        )
        baseline = stored_results(inspection_id=plan.inspection_id)
        choices: list[tuple[tuple[str, str], str]] = []
        for framework_id in framework_ids:
            framework = get_framework(framework_id)
            results = baseline.get(framework_id, {})
            suffix = f" ({framework.short_title})" if len(framework_ids) > 1 else ""
            for criterion in framework.criteria:
                result = describe_result(results.get(criterion.code))
                label = f"{criterion.code}  {criterion.title} — {result}{suffix}"
                choices.append(((framework_id, criterion.code), label))
        return choices

    def _open_dialog(self, dialog: QDialog, attribute: str) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        setattr(self, attribute, dialog)
        dialog.finished.connect(lambda _result: setattr(self, attribute, None))
        dialog.open()
