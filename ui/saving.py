"""Saving a file the user named: one more question before replacing a file of another kind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QMessageBox, QWidget

from esi_desktop.files import OtherKindOfFile

T = TypeVar("T")


def save_asking_to_replace(parent: QWidget, write: Callable[[bool], T]) -> T | None:
    """Call ``write(force=False)``; when the file there is of another kind, ask, then force.

    The file dialog has already asked whether to replace an existing file, but not whether
    a PDF may go over a spreadsheet or a database: that is asked here, defaulting to No.
    (The database in use is refused outright by the writer, whatever the answer.)

    Returns:
        What ``write`` returned, or None when the user chose not to replace the file.

    Raises:
        EsiError: the file could not be written; the caller shows the sentence.
    """
    try:
        return write(False)
    except OtherKindOfFile as exc:
        answer = QMessageBox.question(
            parent,
            "Replace a file of another kind?",
            f"{exc.path} is {exc.found}, not {exc.kind.name}. Replace it with "
            f"{exc.kind.name}? What it holds now will be lost.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
    return write(True)


def documents_folder() -> Path:
    """The user's Documents folder (their home folder where there is none): where a save
    dialog starts."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()
