"""The dashboard's ratings of a rated inspection: each standard's rating, the total and overall.

A rated inspection (today's youth justice standards) has no percentages: the Dashboard shows
the standards as rated, which count towards the total, the total against its maximum and the
overall rating — and, once a follow-up has ratings, the follow-up's beside them with the
change in grades. Everything comes from :func:`esi_desktop.rated_results.rated_rounds`; the
sums and the change of grade are made in :mod:`esi_desktop.rating`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QVBoxLayout, QWidget

from esi_desktop.errors import EsiError
from esi_desktop.follow_up import list_rounds
from esi_desktop.rated_frameworks import NOT_RATED
from esi_desktop.rated_results import RatedRound, rated_rounds
from esi_desktop.rating import grade_change, grade_change_words
from esi_desktop.rules import Rag
from ui.dashboard.models import Index, bold, near_black
from ui.dashboard.widgets import FittedTable
from ui.models import RAG_COLOURS, ColumnTableModel


class RatingColumn(IntEnum):
    """Columns of the ratings table."""

    DOMAIN = 0
    STANDARD = 1
    RATING = 2
    COUNTED = 3
    FOLLOW_UP = 4
    CHANGE = 5


_HEADERS = {
    RatingColumn.DOMAIN: "Domain",
    RatingColumn.STANDARD: "Standard",
    RatingColumn.RATING: "Rating",
    RatingColumn.COUNTED: "Counted",
    RatingColumn.FOLLOW_UP: "Follow-up",
    RatingColumn.CHANGE: "Change",
}

#: What the Counted column says of a standard left out of the total.
RATED_APART = "No: rated apart"


@dataclass(frozen=True)
class RatingRow:
    """One standard as the table shows it."""

    domain: str
    standard: str
    rating: str
    counted: bool
    follow_up: str = ""
    #: Grades moved since the inspection (+1 up one); None when not comparable.
    change: int | None = None
    #: True for the first standard of its domain: only it shows the domain's name.
    first_of_domain: bool = True

    @property
    def change_text(self) -> str:
        """ "up one grade", "no change", or "—"."""
        return "—" if self.change is None else grade_change_words(self.change)


def total_text(rated: RatedRound) -> str:
    """ "Total 5 / 36 — Inadequate (4.1 rated apart: not rated)", or why there is no total."""
    result = rated.result
    if result is None:
        return _incomplete_text(rated)
    apart = "; ".join(
        f"{s.code} rated apart: {s.rating_text.lower() if s.rating is None else s.rating_text}"
        for s in result.not_counted
    )
    return f"Total {result.score_text} — {result.overall_text}" + (f" ({apart})" if apart else "")


def _incomplete_text(rated: RatedRound) -> str:
    """ "3 of 12 standards rated — …" while a round is part-way through being rated; else why
    there is no total."""
    rules = rated.framework.rated
    optional = rules.may_be_not_rated if rules is not None else frozenset()
    needed = [c.code for c in rated.framework.criteria if c.code not in optional]
    done = sum(1 for code in needed if code in rated.ratings)
    if done < len(needed):
        # how far the rating has gone, not the calculator's refusal naming each missing one
        return (
            f"{done} of {len(needed)} standards rated — the total and the overall rating are "
            "worked out when every standard has its rating."
        )
    return rated.problem


#: Where the overall rating as published is entered (the Dashboard only shows it).
WHERE_ENTERED = " (Enter it in View ▸ Scoring summary & follow-up, Ctrl+4.)"


def _where_entered(rated: RatedRound) -> str:
    """Where to enter an overall rating the framework cannot compute, while none is; else ""."""
    result = rated.result
    return WHERE_ENTERED if result is not None and result.band is None else ""


def rating_rows(baseline: RatedRound, follow_up: RatedRound | None) -> list[RatingRow]:
    """The table's rows: every standard of the framework, in its order."""
    framework = baseline.framework
    rules = framework.rated
    apart = rules.apart if rules is not None else ()
    domains = {section.code: section.title for section in framework.sections}
    rows: list[RatingRow] = []
    for criterion in framework.criteria:
        before = baseline.ratings.get(criterion.code, "")
        after = follow_up.ratings.get(criterion.code, "") if follow_up is not None else ""
        change: int | None = None
        if before and after and NOT_RATED not in (before, after):
            try:
                change = grade_change(framework, before, after)
            except EsiError:
                change = None  # a rating no longer on the scale: nothing to compare
        rows.append(
            RatingRow(
                domain=f"{criterion.section} {domains.get(criterion.section, '')}".strip(),
                standard=f"{criterion.code} {criterion.title}",
                rating=before or "—",
                counted=criterion.code not in apart,
                follow_up=after or "—",
                change=change,
                first_of_domain=not rows or rows[-1].domain.split()[0] != criterion.section,
            )
        )
    return rows


def latest_rated_follow_up(inspection_id: int, framework_id: str) -> RatedRound | None:
    """The last follow-up round with any rating of the framework, or None."""
    for view in reversed(list_rounds(inspection_id=inspection_id)):
        for rated in rated_rounds(inspection_id=inspection_id, round=view.round):
            if rated.framework.id == framework_id and rated.ratings:
                return rated
    return None


class RatingsModel(ColumnTableModel):
    """A rated framework's standards: the inspection's rating, counted or not, the follow-up's."""

    COLUMNS = RatingColumn
    HEADERS = _HEADERS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RatingRow] = []

    def set_rows(self, rows: Sequence[RatingRow]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(RatingColumn):
            return None
        row = self._rows[index.row()]
        column = RatingColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole and column is RatingColumn.DOMAIN:
            return row.domain if row.first_of_domain else ""  # the domain names its group once
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return {
                RatingColumn.DOMAIN: row.domain,
                RatingColumn.STANDARD: row.standard,
                RatingColumn.RATING: row.rating,
                RatingColumn.COUNTED: "Yes" if row.counted else RATED_APART,
                RatingColumn.FOLLOW_UP: row.follow_up,
                RatingColumn.CHANGE: row.change_text,
            }[column]
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and column is RatingColumn.COUNTED
            and not row.counted
        ):
            return "Rated and shown, but not counted towards the total or overall rating."
        if column is RatingColumn.CHANGE and row.change:
            # colour with the words, never colour alone; foreground and background together
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(RAG_COLOURS[Rag.GREEN if row.change > 0 else Rag.RED]))
            if role == Qt.ItemDataRole.ForegroundRole:
                return near_black()
        return None


class RatedScores(QWidget):
    """The ratings part of the dashboard for one rated framework."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.model = RatingsModel(self)
        self.table = FittedTable("Ratings")
        self.table.setModel(self.model)
        self.table.setShowGrid(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(RatingColumn.STANDARD, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.total_label = QLabel()
        self.total_label.setAccessibleName("Total and overall rating")
        self.total_label.setWordWrap(True)
        self.total_label.setFont(bold())
        self.total_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.follow_up_total_label = QLabel()
        self.follow_up_total_label.setAccessibleName("Follow-up total and overall rating")
        self.follow_up_total_label.setWordWrap(True)
        self.follow_up_total_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.table)
        layout.addWidget(self.total_label)
        layout.addWidget(self.follow_up_total_label)

    def show_rounds(self, baseline: RatedRound, follow_up: RatedRound | None) -> None:
        """Show the inspection's ratings and, when there are any, the latest follow-up's."""
        self.caption.setText(baseline.framework.title)
        self.model.set_rows(rating_rows(baseline, follow_up))
        for column in (RatingColumn.FOLLOW_UP, RatingColumn.CHANGE):
            self.table.setColumnHidden(column, follow_up is None)
        self.total_label.setText(total_text(baseline) + _where_entered(baseline))
        self.table.setAccessibleName(f"Ratings: {baseline.framework.title}")
        if follow_up is None:
            self.follow_up_total_label.hide()
            return
        self.follow_up_total_label.setText(
            f"Follow-up (round {follow_up.round}): {total_text(follow_up)}"
            + _where_entered(follow_up)
        )
        self.follow_up_total_label.show()


class RatingsArea(QWidget):
    """The ratings of each rated framework of the inspection on show, one part each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        #: One part per rated framework (none for a scored inspection).
        self.parts: list[RatedScores] = []

    def show_inspection(self, inspection_id: int | None) -> set[str]:
        """Show the inspection's ratings and its latest follow-up's; the rated frameworks' ids."""
        rounds = rated_rounds(inspection_id=inspection_id) if inspection_id is not None else []
        while len(self.parts) > len(rounds):
            self.parts.pop().deleteLater()
        while len(self.parts) < len(rounds):
            self.parts.append(RatedScores())
            self._layout.addWidget(self.parts[-1])
        for part, baseline in zip(self.parts, rounds, strict=True):
            assert inspection_id is not None  # there are rounds only for an inspection
            part.show_rounds(baseline, latest_rated_follow_up(inspection_id, baseline.framework.id))
        self.setHidden(not rounds)
        return {baseline.framework.id for baseline in rounds}
