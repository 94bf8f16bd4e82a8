"""A rated inspection's totals in the follow-up view: the inspection's and the round's.

The grid shows each standard's rating and its change in grades; under it, these lines say
what the ratings add up to — the total, the maximum and the overall rating — at the
inspection and in the round on show, recomputed after each rating is chosen
(:func:`esi_desktop.rated_results.rated_rounds`, which adds them up with
:func:`esi_desktop.rating.rate`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from esi_desktop.inspections import BASELINE
from esi_desktop.rated_results import RatedRound, rated_rounds
from ui.dashboard.ratings import total_text
from ui.follow_up.published_overall import PublishedOverall
from ui.workspace import Workspace

RESULTS_CAPTION = (
    "Results: baseline against follow-up. Type a follow-up result in the shaded cells."
)
#: A rated inspection's grid: each standard's rating is chosen from the framework's scale.
RATINGS_CAPTION = (
    "Ratings: the inspection's against the next inspection's. Choose each standard's rating "
    "in the shaded cells (F2, then the arrow keys and Enter)."
)


def totals_label() -> QLabel:
    """The label under the grid for the totals (hidden until a rated inspection is shown)."""
    label = QLabel()
    label.setAccessibleName("Total and overall rating")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def _round_text(rated: RatedRound, name: str) -> str:
    """ "Round 1: Total 7 / 36 — Requires improvement", or how many are rated so far."""
    return f"{name}: {total_text(rated)}"


def rated_totals(inspection_id: int, round: int) -> list[str]:
    """One line per rated framework and round: the inspection's total, then the round's.

    Empty for an inspection with no rated framework (its scores are percentages).
    """
    baseline = rated_rounds(inspection_id=inspection_id, round=BASELINE)
    later = rated_rounds(inspection_id=inspection_id, round=round) if baseline else []
    return _lines(baseline, later, round)


def _lines(baseline: list[RatedRound], later_rounds: list[RatedRound], round: int) -> list[str]:
    later = {r.framework.id: r for r in later_rounds}
    lines = []
    for before in baseline:
        title = before.framework.short_title if len(baseline) > 1 else ""
        prefix = f"{title}, " if title else ""
        lines.append(_round_text(before, f"{prefix}At the inspection"))
        after = later.get(before.framework.id)
        if after is not None:
            text = _round_text(after, f"{prefix}Round {round}")
            was, now = before.result, after.result
            if was is not None and now is not None and was.band and now.band != was.band:
                text += f" (was {was.band})"
            lines.append(text)
    return lines


class RatedTotals(QWidget):
    """Under the grid: the totals, and the overall rating as published where the framework
    publishes no rule for it (hidden for an inspection with no rated framework)."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = totals_label()
        self.published_overall = PublishedOverall(workspace)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.published_overall)

    def show_round(self, inspection_id: int | None, round: int) -> list[str]:
        """Show the inspection's and ``round``'s totals; the lines shown (none: not rated)."""
        baseline = (
            rated_rounds(inspection_id=inspection_id, round=BASELINE)
            if inspection_id is not None
            else []
        )
        later = (
            rated_rounds(inspection_id=inspection_id, round=round)
            if inspection_id is not None and baseline
            else []
        )
        lines = _lines(baseline, later, round)
        self.label.setText("\n".join(lines))
        self.label.setVisible(bool(lines))
        self.published_overall.show_rounds(inspection_id, baseline, later)
        return lines
