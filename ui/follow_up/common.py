"""What the follow-up view's tables and editors share: item roles, colours, words."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QWidget

from esi_desktop.scoring import round_half_up
from ui import palette
from ui.accessibility import point_at_fault

Index = QModelIndex | QPersistentModelIndex

#: What kind of row a results-grid row is (an :class:`esi_desktop.comparison.RowKind` value).
RowKindRole = Qt.ItemDataRole.UserRole + 1
#: The framework id of a results-grid row.
FrameworkIdRole = Qt.ItemDataRole.UserRole + 2
#: The criterion (or section) code of a results-grid row.
CodeRole = Qt.ItemDataRole.UserRole + 3
#: "percent" or "rating" for a criterion row; None for other rows.
ResultKindRole = Qt.ItemDataRole.UserRole + 4
#: The change as a number: points, or steps up the rating scale; None when not comparable.
ChangeRole = Qt.ItemDataRole.UserRole + 5
#: The id of the recommendation a self-assessment row stands for.
RecommendationIdRole = Qt.ItemDataRole.UserRole + 6

IMPROVED = QColor(palette.IMPROVED)
DECLINED = QColor(palette.DECLINED)
FAINT = QColor(palette.FAINT)
EDITABLE = QColor(palette.EDITABLE_BACKGROUND)  # the background of the cells a person fills in
ERROR_STYLE = f"color: {palette.ERROR};"
NO_RESULT = "No result"
NOT_ASSESSED = "Not assessed"

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def percent(value: Fraction) -> int:
    """Progress (0 to 1) as a whole percentage, rounded half up."""
    return round_half_up(value * 100)


def error_label(name: str) -> QLabel:
    """A hidden red sentence under a field, saying why an edit was not saved."""
    label = QLabel()
    palette.show_errors_in(label)  # legible on a dark theme too, switched on while open
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_error(label: QLabel, text: str) -> None:
    """Show a refusal's sentence, or hide the label when there is none."""
    label.setText(text)
    label.setVisible(bool(text))


def refuse(label: QLabel, error: Exception, fields: Mapping[str, QWidget]) -> None:
    """Show a refused save's sentence, say it, and put the focus in the field at fault.

    Args:
        fields: the form's fields by the names the use case gives them (``error.field``).
    """
    show_error(label, str(error))
    point_at_fault(label, error, fields)
