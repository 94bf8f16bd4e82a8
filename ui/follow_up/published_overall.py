"""The overall rating as the report publishes it, where the framework's rule is not public.

A rated framework whose overall rule is ``"as published"`` has no bands to read the overall
rating from: the secretary enters it as the report gives it, at the inspection and in each
follow-up round. These fields sit under the totals in the follow-up view; each choice is one
undoable edit (:func:`esi_desktop.rated_follow_up.set_overall_rating`), and a refusal shows
its sentence under the fields and writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from esi_desktop.errors import EsiError
from esi_desktop.inspections import BASELINE
from esi_desktop.rated_follow_up import overall_rating_version, set_overall_rating
from esi_desktop.rated_frameworks import OverallRule
from esi_desktop.rated_results import RatedRound
from esi_desktop.versioned import ConflictError
from ui.edits import versioned_edit
from ui.follow_up.common import error_label, show_error
from ui.workspace import Workspace

#: The choice that leaves the overall rating out (it is not entered yet).
NOT_ENTERED = "Not entered"


@dataclass(frozen=True)
class _Entered:
    """What one entry did, as :func:`ui.edits.versioned_edit` undoes it."""

    previous: dict[str, str | None]
    #: The stored rating's version; None once cleared (no row: what the next edit expects).
    version: int | None


def enter_overall(
    workspace: Workspace,
    inspection_id: int,
    framework_id: str,
    round: int,
    rating: str | None,
    version: int | None,
) -> None:
    """Enter (or clear, with None) a round's overall rating as published, undoably.

    Raises:
        EsiError: the entry was refused; nothing was written or pushed.
    """

    def apply(values: Mapping[str, Any], expected: int | None, overwrite: bool) -> _Entered:
        wanted = values["rating"]
        change = set_overall_rating(
            inspection_id=inspection_id,
            framework_id=framework_id,
            round=round,
            rating=wanted,
            expected_version=expected,
            overwrite=overwrite,
        )
        # nothing changed: the rating stored before is the one asked for
        previous = change.previous.get("rating", wanted)
        # a cleared rating has no row, and the next edit must expect none (not version 0)
        return _Entered({"rating": previous}, change.version if wanted else None)

    where = "at the inspection" if round == BASELINE else f"in round {round}"
    versioned_edit(
        workspace,
        f"Overall rating as published {where}",
        ("overall", inspection_id, framework_id, round),
        apply,
        {"rating": rating},
        version,
    )


@dataclass(frozen=True)
class _Field:
    """One combo on show: which framework and round it enters the overall rating of."""

    framework_id: str
    round: int
    stored: str | None
    version: int | None


class PublishedOverall(QWidget):
    """A choice of the overall rating as published, per framework without a public rule, at
    the inspection and in the round on show; hidden for every other framework."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._inspection_id: int | None = None
        #: The combos on show, in order, with their labels and what each enters.
        self.combos: list[QComboBox] = []
        self._labels: list[QLabel] = []
        self._fields: list[_Field] = []
        #: (framework id, at the inspection?) of each row: the rows are built again only
        #: when these change, so a choice never destroys the combo that has the focus
        self._shape: list[tuple[str, bool]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.error = error_label("Why the overall rating was not saved")
        layout.addWidget(self.error)
        self.hide()

    def show_rounds(
        self, inspection_id: int | None, baseline: list[RatedRound], later: list[RatedRound]
    ) -> None:
        """Show a field per framework entered as published, for ``baseline`` and ``later``."""
        if inspection_id != self._inspection_id:
            show_error(self.error, "")
        self._inspection_id = inspection_id
        published = [
            rated
            for rated in (*baseline, *later)
            if inspection_id is not None
            and rated.framework.rated is not None
            and rated.framework.rated.overall is OverallRule.AS_PUBLISHED
        ]
        shape = [(rated.framework.id, rated.round == BASELINE) for rated in published]
        if shape != self._shape:
            self._build(len(published))
            self._shape = shape
        several = len({rated.framework.id for rated in published}) > 1
        self._fields = [self._show_field(i, rated, several) for i, rated in enumerate(published)]
        self.setVisible(bool(published))

    def _build(self, count: int) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.combos, self._labels = [], []
        for _ in range(count):
            combo = QComboBox()
            combo.setToolTip(
                "The framework publishes no rule for its overall rating: choose the one the "
                "report gives."
            )
            # activated: the person's choice (mouse or keyboard), never a refill of the list
            combo.activated.connect(lambda _index, chosen=combo: self._chosen(chosen))
            label = QLabel()
            label.setBuddy(combo)
            self.form.addRow(label, combo)
            self.combos.append(combo)
            self._labels.append(label)

    def _show_field(self, row: int, rated: RatedRound, several: bool) -> _Field:
        assert self._inspection_id is not None and rated.framework.rated is not None
        where = "at the inspection" if rated.round == BASELINE else f"in round {rated.round}"
        of = f" ({rated.framework.short_title})" if several else ""
        text = f"Overall rating {where}, as published{of}:"
        combo, label = self.combos[row], self._labels[row]
        label.setText(text)
        combo.setAccessibleName(text.removesuffix(":"))
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem(NOT_ENTERED, None)
            for rating in rated.framework.rated.ratings:
                combo.addItem(rating.name, rating.name)
            combo.setCurrentIndex(max(0, combo.findData(rated.published_overall)))
        finally:
            combo.blockSignals(False)
        version = overall_rating_version(
            inspection_id=self._inspection_id, framework_id=rated.framework.id, round=rated.round
        )
        return _Field(rated.framework.id, rated.round, rated.published_overall, version)

    def _chosen(self, combo: QComboBox) -> None:
        inspection_id = self._inspection_id
        if inspection_id is None or combo not in self.combos:
            return
        field = self._fields[self.combos.index(combo)]
        rating = combo.currentData()
        if rating == field.stored:
            show_error(self.error, "")
            return
        try:  # the workspace reloads the view, and these fields with it
            enter_overall(
                self.workspace,
                inspection_id,
                field.framework_id,
                field.round,
                rating,
                field.version,
            )
        except ConflictError as exc:
            show_error(self.error, str(exc))
            # show what the other person entered, so that a second choice is saved
            self.workspace.invalidate()
        except EsiError as exc:
            show_error(self.error, str(exc))
            combo.setCurrentIndex(max(0, combo.findData(field.stored)))
        else:
            show_error(self.error, "")
