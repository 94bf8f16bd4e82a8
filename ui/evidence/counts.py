"""The paper-clip counts the plan tree and the recommendations table show on each item.

The counts of a whole inspection come from one query (:func:`read_counts`) each time a view
shows its plan, and are kept in a dict: painting 37,500 milestones asks the dict, never the
database. :class:`EvidenceCounts` says which items' counts changed, so a view repaints just
those rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QGuiApplication, QIcon

from esi_desktop import evidence
from esi_desktop.errors import EsiError
from ui.evidence.icon import paper_clip_icon
from ui.evidence.words import count_text, count_tooltip

#: An item of the plan, as the counts name it: ("milestone", 12).
Key = tuple[str, int]
#: How a model answers a role for a row and a column.
Answer = Callable[[Any, int], object]


def read_counts(inspection_id: int | None) -> dict[Key, int] | None:
    """How many files each item of an inspection has, in one query.

    Returns:
        The counts (empty with no inspection), or None when they cannot be read now (a lost
        connection): the view keeps those it shows, and the window says why elsewhere.
    """
    if inspection_id is None:
        return {}
    try:
        return evidence.evidence_counts(inspection_id=inspection_id)
    except EsiError:
        return None


class EvidenceCounts:
    """The counts on show, and the cells of the paper-clip column they fill in.

    Args:
        key: the (kind, id) of the item a model's row stands for.
    """

    def __init__(self, key: Callable[[Any], Key]) -> None:
        self._key = key
        self._counts: dict[Key, int] = {}
        # drawn once, in the text colour at the font's height: every row shares it
        side = QFontMetrics(QGuiApplication.font()).height()
        ink = QGuiApplication.palette().text().color()
        screen = QGuiApplication.primaryScreen()
        ratio = screen.devicePixelRatio() if screen is not None else 1.0
        self.icon: QIcon = paper_clip_icon(side, ink, ratio)

    def count(self, row: Any) -> int:
        """How many files the item of a row has."""
        return self._counts.get(self._key(row), 0)

    def replace(self, counts: Mapping[Key, int]) -> set[Key]:
        """Show these counts; returns the items whose count changed."""
        old, self._counts = self._counts, dict(counts)
        return {key for key in old.keys() | self._counts.keys() if old.get(key) != counts.get(key)}

    def answers(self, answers: dict[int, Answer], column: int) -> dict[int, Answer]:
        """A model's answers by role, with the paper-clip column's clip, count and tooltip.

        Every other column answers as before; the column costs one comparison per cell.
        """
        wrapped = dict(answers)
        own: dict[int, Answer] = {
            int(Qt.ItemDataRole.DisplayRole): lambda row, _column: count_text(self.count(row)),
            int(Qt.ItemDataRole.DecorationRole): lambda row, _column: (
                self.icon if self.count(row) else None
            ),
            int(Qt.ItemDataRole.ToolTipRole): lambda row, _column: count_tooltip(self.count(row)),
        }
        for role, mine in own.items():
            theirs = answers.get(role)

            def answer(
                row: Any, at: int, mine: Answer = mine, theirs: Answer | None = theirs
            ) -> object:
                if at == column:
                    return mine(row, at)
                return theirs(row, at) if theirs is not None else None

            wrapped[role] = answer
        return wrapped
