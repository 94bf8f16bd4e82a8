"""The ratings of a new rated inspection: one combo per standard, grouped by domain.

A person picks each rating with the keyboard (the combo finds "Inadequate" on I, "Requires
improvement" on R); the line under the standards says at once what they add up to, or the
calculator's sentence saying what is still missing (:func:`esi_desktop.rating.rate`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from esi_desktop.errors import EsiError
from esi_desktop.frameworks import Framework
from esi_desktop.rated_frameworks import NOT_RATED, OverallRule
from esi_desktop.rating import RatedResult, rate, rated_rules

#: What an empty combo shows.
CHOOSE = "Choose a rating"


class RatingsBox(QWidget):
    """Every standard of a rated framework with its rating, and the total as it stands.

    Signals:
        changed: a rating (or the overall rating) was chosen or cleared.

    Attributes:
        combos: each standard's combo by code.
        overall: the overall rating's combo, shown only where the framework's rule is not
            public and the overall rating is entered as published.
        total: the line saying the total, the maximum and the overall rating, or what is
            missing (not in the box's layout: its owner places it).
    """

    changed = Signal()

    def __init__(self, framework: Framework, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.framework = framework
        rules = rated_rules(framework)
        self.combos: dict[str, QComboBox] = {}
        self.labels: dict[str, QLabel] = {}
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        for domain in framework.sections:
            box = QGroupBox(f"{domain.code} {domain.title}")
            # a grid, not a form: a standard's name wraps within what is left beside its
            # combo, so on a narrow screen no name runs out of sight
            grid = QGridLayout(box)
            grid.setColumnStretch(0, 1)
            for row, criterion in enumerate(domain.criteria):
                combo = QComboBox()
                combo.addItems([r.name for r in rules.ratings])
                apart = criterion.code in rules.apart
                may_be_not_rated = criterion.code in rules.may_be_not_rated
                if may_be_not_rated:
                    combo.addItem(NOT_RATED)
                combo.setCurrentIndex(-1)
                # rate() reads a standard that may be not rated and is left empty as not rated
                combo.setPlaceholderText(NOT_RATED if may_be_not_rated else CHOOSE)
                name = f"{criterion.code} {criterion.title}"
                if apart:
                    name += " (rated apart, not counted)"
                combo.setAccessibleName(f"Rating of standard {name}")
                label = QLabel(f"{criterion.code} {criterion.title}")
                label.setWordWrap(True)
                label.setBuddy(combo)
                if apart:
                    label.setText(f"{label.text()}\n(rated apart, not counted)")
                combo.currentIndexChanged.connect(self._changed)
                grid.addWidget(label, row, 0)
                grid.addWidget(combo, row, 1, Qt.AlignmentFlag.AlignTop)
                self.combos[criterion.code] = combo
                self.labels[criterion.code] = label
            column.addWidget(box)
        self.overall = QComboBox()
        self.overall.addItems([r.name for r in rules.ratings])
        self.overall.setCurrentIndex(-1)
        self.overall.setPlaceholderText(CHOOSE)
        self.overall.setAccessibleName(f"{framework.overall_title} as published")
        self.overall.currentIndexChanged.connect(self._changed)
        overall_row = QFormLayout()
        self.overall_label = QLabel(f"{framework.overall_title} (as &published):")
        self.overall_label.setBuddy(self.overall)
        overall_row.addRow(self.overall_label, self.overall)
        column.addLayout(overall_row)
        as_published = rules.overall is OverallRule.AS_PUBLISHED
        self.overall.setVisible(as_published)
        self.overall_label.setVisible(as_published)
        # placed by the dialog where it stays in sight while the standards scroll
        self.total = QLabel()
        self.total.setWordWrap(True)
        self.total.setAccessibleName("What the ratings add up to")
        self._changed()

    def ratings(self) -> dict[str, str]:
        """Each rated standard's rating by code (standards left empty are left out)."""
        return {code: c.currentText() for code, c in self.combos.items() if c.currentIndex() >= 0}

    def overall_rating(self) -> str | None:
        """The overall rating as published, when the framework asks for it and one is chosen."""
        if self.overall.isHidden() or self.overall.currentIndex() < 0:
            return None
        return self.overall.currentText()

    def result(self) -> RatedResult | None:
        """What the ratings add up to, or None while they are incomplete."""
        try:
            return rate(self.framework, self.ratings(), overall=self.overall_rating())
        except EsiError:
            return None

    def _changed(self) -> None:
        try:
            result = rate(self.framework, self.ratings(), overall=self.overall_rating())
        except EsiError as exc:
            self.total.setText(str(exc))
        else:
            self.total.setText(_total_text(self.framework, result))
        self.changed.emit()


def _total_text(framework: Framework, result: RatedResult) -> str:
    """ "Total 5 / 36 — Overall rating: Inadequate. Not counted: 4.1 … (not rated)."."""
    text = f"Total {result.score_text} — {framework.overall_title}: {result.overall_text}."
    for standard in result.not_counted:
        text += f" Not counted: {standard.code} {standard.title} ({standard.rating_text})."
    return text
