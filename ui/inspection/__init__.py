"""The inspection record: its editor dialog, and archiving and deleting an inspection."""

from ui.inspection.editor import InspectionEditor
from ui.inspection.menu import (
    archive_or_unarchive,
    delete_current,
    edit_current,
    show_archived,
)

__all__ = [
    "InspectionEditor",
    "archive_or_unarchive",
    "delete_current",
    "edit_current",
    "show_archived",
]
