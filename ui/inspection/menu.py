"""The Inspection menu's commands: edit the record, archive or unarchive, delete.

Each takes the main window (its workspace, its inspection switcher and ``refresh``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMessageBox

from esi_desktop import inspection_record, inspections
from esi_desktop.errors import EsiError


def _current(window: Any) -> int | None:
    inspection_id: int | None = window.workspace.inspection_id
    if inspection_id is None:
        QMessageBox.information(
            window, "No inspection", "Open or import an inspection first: none is on show."
        )
    return inspection_id


def edit_current(window: Any) -> Any:
    """Inspection ▸ Edit inspection…: the record of the inspection on show, in a dialog.

    Returns:
        The dialog, open (tests drive it), or None when no inspection is on show.
    """
    from ui.inspection.editor import InspectionEditor

    inspection_id = _current(window)
    if inspection_id is None:
        return None
    try:
        dialog = InspectionEditor(window.workspace, inspection_id, window)
    except EsiError as exc:
        QMessageBox.warning(window, "Cannot edit the inspection", str(exc))
        return None
    dialog.accepted.connect(window.refresh)
    dialog.setModal(True)
    dialog.show()
    return dialog


def archive_or_unarchive(window: Any) -> None:
    """Inspection ▸ Archive inspection: hide it from the switcher (or bring it back)."""
    from ui.inspection.edits import save_record

    inspection_id = _current(window)
    if inspection_id is None:
        return
    try:
        record = inspection_record.get_inspection_record(inspection_id=inspection_id)
        if record.archived_on is None:
            save_record(
                window.workspace,
                inspection_id,
                {"archived_on": window.workspace.today()},
                record.version,
                "Archive the inspection",
            )
            window.statusBar().showMessage(
                f"Archived {record.name}: Inspection ▸ Show archived inspections shows it again.",
                8000,
            )
        else:
            save_record(
                window.workspace,
                inspection_id,
                {"archived_on": None},
                record.version,
                "Unarchive the inspection",
            )
    except EsiError as exc:
        QMessageBox.warning(window, "Cannot archive the inspection", str(exc))
    window.refresh()


def show_archived(window: Any, shown: bool) -> None:
    """Inspection ▸ Show archived inspections: list them in the switcher too."""
    window.inspection_model.set_show_archived(shown)
    window.refresh()


def delete_current(window: Any) -> bool:
    """Inspection ▸ Delete inspection…: after a question naming it, and a backup.

    Returns:
        True when it was deleted.
    """
    inspection_id = _current(window)
    if inspection_id is None:
        return False
    try:
        summary = inspections.inspection_summary(inspection_id=inspection_id)
    except EsiError as exc:
        QMessageBox.warning(window, "Cannot delete the inspection", str(exc))
        return False
    answer = QMessageBox.question(
        window,
        "Delete the inspection",
        f"Delete “{summary.name}” and everything recorded about it (responses, the action "
        "plan, Board meetings, follow-up results)?\n\nA backup of the database is made first "
        "(on a server, keep its own backups); this cannot be undone here.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    try:
        deleted = inspection_record.delete_inspection(
            inspection_id=inspection_id, confirmation=summary.name
        )
    except EsiError as exc:
        QMessageBox.warning(window, "The inspection was not deleted", str(exc))
        return False
    window.workspace.undo_stack.clear()  # the edits undone would be of rows that are gone
    where = (
        f"A backup was made first: {deleted.backup.path}"
        if deleted.backup is not None
        else "The database is on a server: its own backups keep earlier copies."
    )
    QMessageBox.information(window, "Inspection deleted", f"Deleted “{deleted.name}”.\n\n{where}")
    window.refresh()
    return True
