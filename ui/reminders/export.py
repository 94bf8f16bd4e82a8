"""File ▸ Export ▸ Reminder e-mails for owners…: choose a folder, and each owner with something
overdue or due gets an unsent e-mail there (:mod:`esi_desktop.reminders.emails`), which the
secretary opens in Outlook and sends."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from esi_desktop.errors import EsiError
from esi_desktop.wording import plural
from ui.export.dialogs import inspection_or_say_so
from ui.saving import documents_folder
from ui.workspace import Workspace

TITLE = "Reminder e-mails for owners"


def export_reminders_dialog(parent: QWidget, workspace: Workspace, days: int) -> list[Path]:
    """Ask for a folder, then write one e-mail per owner with something due into it.

    Args:
        days: the reminder period (the preference).

    Returns:
        The files written (empty when the secretary stopped or nothing could be written).
    """
    from esi_desktop.reminders.emails import existing_files, plan_reminders, write_reminders

    inspection_id = inspection_or_say_so(parent, workspace)
    if inspection_id is None:
        return []
    try:
        round_ = plan_reminders(inspection_id=inspection_id, today=workspace.today(), days=days)
    except EsiError as exc:
        QMessageBox.warning(parent, "Cannot make the reminder e-mails", str(exc))
        return []
    if not round_.emails:
        QMessageBox.information(
            parent,
            TITLE,
            f"Nobody has anything overdue or due within {plural(days, 'day')}, so there is no "
            "reminder to send.",
        )
        return []
    folder = QFileDialog.getExistingDirectory(
        parent, "Choose the folder for the reminder e-mails", str(documents_folder())
    )
    if not folder:
        return []
    there = existing_files(round_, Path(folder))
    if there:
        answer = QMessageBox.question(
            parent,
            TITLE,
            f"{folder} already holds {plural(len(there), 'reminder e-mail')} of today "
            f"({', '.join(p.name for p in there[:3])}{', …' if len(there) > 3 else ''}). "
            "Replace them?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return []
    try:
        written = write_reminders(round_, folder=Path(folder), force=bool(there))
    except EsiError as exc:
        QMessageBox.warning(parent, "Cannot write the reminder e-mails", str(exc))
        return []
    sentence = f"Wrote {plural(len(written), 'e-mail')} to {folder}."
    missing = len(round_.without_address)
    if missing:
        sentence += (
            f" {plural(missing, 'owner')} {'has' if missing == 1 else 'have'} no e-mail address "
            "in the plan: fill in To in Outlook before sending."
        )
    if round_.unowned:
        sentence += f" No owner is named for {', '.join(round_.unowned)}."
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(sentence, 12000)
    QMessageBox.information(parent, TITLE, sentence)
    return written
