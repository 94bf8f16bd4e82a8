"""The action plan's small dialogs: a choice with a reason, the recommendations served, an
action's criteria, and a milestone's evidence note."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class ReasonDialog(QDialog):
    """A choice with a written reason (RAG override, at risk); refusals keep it open.

    ``apply(choice, reason)`` performs the edit and returns False when it was refused (having
    shown why), so the person can correct the reason.
    """

    def __init__(
        self, parent: QWidget, *, title: str, intro: str, choice_label: str,
        choices: list[str], choice: str, reason: str, apply: Callable[[str, str], bool],
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._apply = apply
        layout = QVBoxLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.choice = QComboBox()
        self.choice.addItems(choices)
        self.choice.setCurrentText(choice)
        self.choice.setAccessibleName(choice_label.replace("&", ""))
        form.addRow(choice_label, self.choice)
        self.reason = QLineEdit(reason)
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("Why, in a sentence the Board will read")
        self.reason.setMinimumWidth(self.reason.fontMetrics().horizontalAdvance("M") * 30)
        form.addRow("&Reason:", self.reason)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if self._apply(self.choice.currentText(), self.reason.text()):
            super().accept()
        elif self.isVisible():  # refused (the reason is what can be corrected): back to it
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            self.reason.selectAll()


class RecommendationsDialog(QDialog):
    """Tick the recommendations an action serves."""

    def __init__(
        self, parent: QWidget, *, action_text: str, recommendations: list[tuple[int, str]],
        chosen: Iterable[int], apply: Callable[[set[int]], bool],
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Recommendations served")
        self.setAccessibleName("Recommendations served")
        self._apply = apply
        layout = QVBoxLayout(self)
        text = QLabel(f"Tick every recommendation that this action serves:\n“{action_text}”")
        text.setWordWrap(True)
        layout.addWidget(text)
        self.list = QListWidget()
        self.list.setAccessibleName("Recommendations")
        wanted = set(chosen)
        for rec_id, label in recommendations:
            row = QListWidgetItem(label)
            row.setData(Qt.ItemDataRole.UserRole, rec_id)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(
                Qt.CheckState.Checked if rec_id in wanted else Qt.CheckState.Unchecked
            )
            self.list.addItem(row)
        self.list.setCurrentRow(0)
        em = self.fontMetrics().horizontalAdvance("M")
        self.list.setMinimumWidth(em * 40)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> set[int]:
        """The ticked recommendations' ids."""
        return {
            int(self.list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        }

    def accept(self) -> None:
        if self._apply(self.chosen()):
            super().accept()


class CriteriaDialog(QDialog):
    """Tick the criteria an action aims to improve (each with its baseline result)."""

    def __init__(
        self, parent: QWidget, *, action_text: str,
        criteria: list[tuple[tuple[str, str], str]], chosen: Iterable[tuple[str, str]],
        apply: Callable[[list[tuple[str, str]]], bool],
    ) -> None:  # fmt: skip
        """``criteria``: ((framework id, code), label) in the order to list them."""
        super().__init__(parent)
        self.setWindowTitle("Criteria the action aims to improve")
        self.setAccessibleName("Criteria the action aims to improve")
        self._apply = apply
        layout = QVBoxLayout(self)
        text = QLabel(
            f"Tick the scoring criteria this action aims to improve (baseline result shown):"
            f"\n“{action_text}”"
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.list = QListWidget()
        self.list.setAccessibleName("Criteria")
        self.list.setWordWrap(True)
        wanted = set(chosen)
        for key, label in criteria:
            row = QListWidgetItem(label)
            row.setData(Qt.ItemDataRole.UserRole, key)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Checked if key in wanted else Qt.CheckState.Unchecked)
            self.list.addItem(row)
        self.list.setCurrentRow(0)
        em = self.fontMetrics().horizontalAdvance("M")
        self.list.setMinimumWidth(em * 46)
        self.list.setMinimumHeight(self.fontMetrics().lineSpacing() * 12)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.setFocus()

    def chosen(self) -> set[tuple[str, str]]:
        """The ticked criteria, as (framework id, code)."""
        return {
            tuple(self.list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        }

    def accept(self) -> None:
        if self._apply(sorted(self.chosen())):
            super().accept()


class EvidenceDialog(QDialog):
    """Type the evidence that a milestone is done (a note the progress paper prints)."""

    def __init__(
        self, parent: QWidget, *, milestone_title: str, evidence: str,
        apply: Callable[[str], bool],
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Evidence note")  # not the evidence files (ui/evidence/)
        self.setAccessibleName("Evidence note")
        self._apply = apply
        layout = QVBoxLayout(self)
        text = QLabel(
            f"What shows that this milestone is done (a report, a minute, a date):"
            f"\n“{milestone_title}”"
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        self.evidence = QPlainTextEdit(evidence)
        self.evidence.setAccessibleName("Evidence note")
        self.evidence.setPlaceholderText("e.g. Audit report to the Board, minute 4.2")
        self.evidence.setTabChangesFocus(True)
        em = self.fontMetrics().horizontalAdvance("M")
        self.evidence.setMinimumWidth(em * 30)
        self.evidence.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        layout.addWidget(self.evidence)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.evidence.setFocus()

    def accept(self) -> None:
        if self._apply(self.evidence.toPlainText()):
            super().accept()
        elif self.isVisible():  # refused: back to the note, to correct it
            self.evidence.setFocus(Qt.FocusReason.OtherFocusReason)
