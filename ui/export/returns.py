"""The owners' update round in the window: File ▸ Export ▸ Owners' progress returns… writes one
workbook per owner into a folder; File ▸ Import ▸ Owners' progress returns… reads the answers,
shows what will change, the conflicts and the warnings, and applies them on the secretary's
word (:mod:`esi_desktop.returns`).

Reading and applying touch the database, which belongs to the GUI thread; the busy cursor
shows while they run (a round of 800 rows takes about a second).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.errors import EsiError
from esi_desktop.wording import long_date, plural
from ui.export.dialogs import inspection_or_say_so
from ui.saving import documents_folder
from ui.screen import fit_to_screen
from ui.workspace import Workspace

if TYPE_CHECKING:
    from esi_desktop.returns import ReturnPreview, RowAnswer


@contextmanager
def _busy_cursor() -> Iterator[None]:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


def _say(parent: QWidget, sentence: str) -> None:
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(sentence, 12000)


def export_returns_dialog(parent: QWidget, workspace: Workspace) -> list[Path]:
    """Ask for a folder, say who gets a return and by when, then write them.

    Returns:
        The files written (empty when the secretary stopped or nothing could be written).
    """
    from esi_desktop.returns import plan_returns, write_returns

    inspection_id = inspection_or_say_so(parent, workspace)
    if inspection_id is None:
        return []
    try:
        round_ = plan_returns(inspection_id=inspection_id, today=workspace.today())
    except EsiError as exc:
        QMessageBox.warning(parent, "Cannot make the progress returns", str(exc))
        return []
    if not round_.returns:
        QMessageBox.information(
            parent,
            "Owners' progress returns",
            "No open action or milestone has an owner, so there is no return to send.",
        )
        return []
    folder = QFileDialog.getExistingDirectory(
        parent, "Choose the folder for the progress returns", str(documents_folder())
    )
    if not folder:
        return []
    owners = plural(len(round_.returns), "owner")
    question = (
        f"Write a progress return for each of {owners} into {folder}, asking for it back by "
        f"{long_date(round_.return_by)} ({round_.return_by_reason})?"
    )
    if round_.unowned:
        question += (
            f"\n\n{plural(len(round_.unowned), 'open action')} with no owner get no return: "
            f"{', '.join(round_.unowned)}."
        )
    answer = QMessageBox.question(
        parent,
        "Owners' progress returns",
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return []
    try:
        with _busy_cursor():
            written = write_returns(
                inspection_id=inspection_id, folder=Path(folder), today=workspace.today()
            )
    except EsiError as exc:
        QMessageBox.warning(parent, "Cannot write the progress returns", str(exc))
        return []
    _say(parent, f"Wrote {plural(len(written), 'progress return')} to {folder}.")
    return written


class ReturnsPreviewDialog(QDialog):
    """What the returns will change, the conflicts and the warnings, before applying."""

    def __init__(self, previews: list[ReturnPreview], refused: list[str], parent: QWidget):
        super().__init__(parent)
        self.setWindowTitle("Owners' progress returns")
        layout = QVBoxLayout(self)
        changes = sum(len(p.to_apply) for p in previews)
        conflicts = sum(len(p.conflicts) for p in previews)
        summary = QLabel(
            f"{plural(len(previews), 'return')} read: {plural(changes, 'answer')} to apply, "
            f"{plural(conflicts, 'conflict')} (changed here since the return was sent: not "
            "applied)." + (f" {plural(len(refused), 'file')} refused." if refused else "")
        )
        summary.setWordWrap(True)
        layout.addWidget(summary)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName("What the returns say")
        self.details.setTabChangesFocus(True)
        lines: list[str] = [*refused]
        for preview in previews:
            lines.append(
                f"{preview.owner} (sent {long_date(preview.sent_on)}, {preview.path.name}): "
                f"{plural(len(preview.to_apply), 'answer')} to apply"
            )
            lines += [f"    {row.reference}: {row_words(row)}" for row in preview.to_apply]
            lines += [f"    {warning}" for warning in preview.warnings]
        self.details.setPlainText("\n".join(lines))
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = buttons.addButton(
            "&Apply the answers", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.apply_button.setEnabled(changes > 0)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 760, 520)


def _shown(name: str, value: object) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return f"“{value}”" if name == "evidence" else str(value)


def row_words(row: RowAnswer) -> str:
    """ "completed on — → 20/05/2005; comment “Chased the SPOs” (added to the action's
    internal note)": each answer as sent and as answered (UK dates), then the comment."""
    from esi_desktop.returns.reading import FIELD_WORDS

    parts = [
        f"{FIELD_WORDS[name]} {_shown(name, sent)} → {_shown(name, now)}"
        for name, sent, now in row.answered
    ]
    if row.comment:
        parts.append(f"comment “{row.comment}” (added to the action's internal note)")
    return "; ".join(parts)


def import_returns_dialog(
    parent: QWidget, workspace: Workspace, *, after: Callable[[], None] | None = None
) -> int:
    """Ask for the returns, show what they change, and apply them on the secretary's word.

    Returns:
        How many answers were applied.
    """
    from esi_desktop.returns import apply_return, read_return

    inspection_id = inspection_or_say_so(parent, workspace)
    if inspection_id is None:
        return 0
    names, _ = QFileDialog.getOpenFileNames(
        parent, "Choose the progress returns", str(documents_folder()), "Excel workbooks (*.xlsx)"
    )
    if not names:
        return 0
    previews: list[ReturnPreview] = []
    refused: list[str] = []
    with _busy_cursor():
        for name in names:
            try:
                previews.append(
                    read_return(
                        inspection_id=inspection_id, path=Path(name), today=workspace.today()
                    )
                )
            except EsiError as exc:
                refused.append(str(exc))
    dialog = ReturnsPreviewDialog(previews, refused, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return 0
    applied = 0
    try:
        with _busy_cursor():
            for preview in previews:
                if preview.to_apply:
                    applied += len(apply_return(preview=preview).applied)
    except EsiError as exc:
        QMessageBox.warning(parent, "The returns were not all applied", str(exc))
    finally:
        workspace.invalidate()
        if after is not None:
            after()
    _say(
        parent,
        f"Applied {plural(applied, 'answer')} from {plural(len(previews), 'progress return')}; "
        "each is in the history as made by its owner.",
    )
    return applied
