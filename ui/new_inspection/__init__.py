"""File ▸ New inspection…: a rated inspection made from its ratings and pasted recommendations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from ui import runner
from ui.new_inspection.dialog import TITLE, NewInspectionDialog

if TYPE_CHECKING:
    from ui.main_window import MainWindow

__all__ = ["NewInspectionDialog", "new_inspection_dialog"]


def new_inspection_dialog(window: MainWindow) -> NewInspectionDialog | None:
    """Open the new-inspection dialog (window-modal, without blocking); once it has created
    the inspection, the window shows it.

    Returns:
        The dialog opened, or None when no database is open or other work must finish first.
    """
    if window.database_url is None:
        QMessageBox.information(window, TITLE, "Open or create a database first.")
        return None
    if runner.say_busy(window):
        return None
    dialog = NewInspectionDialog(window, today=window.workspace.today)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.accepted.connect(lambda: _created(window, dialog))
    dialog.open()
    return dialog


def _created(window: MainWindow, dialog: NewInspectionDialog) -> None:
    inspection_id = dialog.created_id
    if inspection_id is None:
        return
    window.refresh()
    window.select_inspection(inspection_id)
    window.statusBar().showMessage(
        f"Created the inspection of {' '.join(dialog.body.text().split())}.", 8000
    )
