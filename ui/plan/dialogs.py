"""The action plan's small dialogs: a choice with a reason, and the recommendations served."""

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
