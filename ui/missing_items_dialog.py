"""Before exporting a response that is not complete: one dialog listing everything missing."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)


class MissingItemsDialog(QDialog):
    """Lists what the response lacks, with "Export as draft" and "Cancel"."""

    def __init__(self, missing: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("The response is not complete")
        layout = QVBoxLayout(self)
        count = len(missing)
        things = "1 thing is" if count == 1 else f"{count} things are"
        heading = QLabel(f"<b>The response and action plan is not complete:</b> {things} missing.")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.list = QListWidget()
        self.list.setAccessibleName("What is missing")
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setWordWrap(True)
        self.list.addItems(list(missing))
        heading.setBuddy(self.list)
        layout.addWidget(self.list, 1)
        note = QLabel(
            "You can export it now as a draft: every page is marked DRAFT, its cover lists "
            "what is missing, and it has no sign-off. Once nothing is missing, the export "
            "carries no mark."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton(
            "Export as draft", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setDefault(True)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.sizeHint().height() + 120)

    def messages(self) -> list[str]:
        """The sentences listed, as the person reads them."""
        return [self.list.item(row).text() for row in range(self.list.count())]


def confirm_draft_export(parent: QWidget, missing: Sequence[str]) -> bool:
    """With anything missing, ask once whether to export a draft; with nothing, go straight on.

    Returns:
        True to export (complete, or the person chose "Export as draft").
    """
    if not missing:
        return True
    dialog = MissingItemsDialog(missing, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted
