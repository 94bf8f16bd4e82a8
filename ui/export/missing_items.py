"""Before exporting a document that is not complete, or has characters the PDF cannot print:
one dialog listing everything missing and every such character."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QTextDocumentFragment
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
    """Lists what the response lacks and the characters that will not print, with "Export as
    draft" (or "Export anyway" when nothing is missing) and "Cancel"."""

    def __init__(
        self,
        missing: Sequence[str],
        parent: QWidget | None = None,
        *,
        unprintable: Sequence[str] = (),
    ) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        count = len(missing)
        things = "1 thing is" if count == 1 else f"{count} things are"
        boxes = "some characters will print as empty boxes"
        if missing:
            self.setWindowTitle("The response is not complete")
            also = f", and {boxes}" if unprintable else ""
            heading = QLabel(
                f"<b>The response and action plan is not complete:</b> {things} missing{also}."
            )
        else:
            self.setWindowTitle("Some characters will not print")
            heading = QLabel(f"<b>The PDF has no font for some characters:</b> {boxes}.")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.list = QListWidget()
        # spoken with the sentence above it, as it is read on screen (issue 18)
        self.list.setAccessibleName(QTextDocumentFragment.fromHtml(heading.text()).toPlainText())
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setWordWrap(True)
        self.list.addItems([*missing, *unprintable])
        heading.setBuddy(self.list)
        layout.addWidget(self.list, 1)
        if missing:
            note = QLabel(
                "You can export it now as a draft: every page is marked DRAFT, its cover lists "
                "what is missing, and it has no sign-off. Once nothing is missing, the export "
                "carries no mark."
            )
        else:
            note = QLabel(
                "You can export it now, with those characters as empty boxes, or cancel and "
                "change the text first."
            )
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton(
            "Export as draft" if missing else "Export anyway",
            QDialogButtonBox.ButtonRole.AcceptRole,
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


def confirm_draft_export(
    parent: QWidget, missing: Sequence[str], unprintable: Sequence[str] = ()
) -> bool:
    """With anything missing or unprintable, ask once whether to export; with nothing, go
    straight on.

    Returns:
        True to export (complete and printable, or the person chose to export all the same).
    """
    if not missing and not unprintable:
        return True
    dialog = MissingItemsDialog(missing, parent, unprintable=unprintable)
    return dialog.exec() == QDialog.DialogCode.Accepted
