"""Baseline against follow-up as a table: the one layout of the score comparison.

:func:`esi_desktop.scoring.compare` computes the figures (:class:`FrameworkDeltas`); this
module lays them out once, as the rows every table of them shows: per framework a heading,
then per section a heading, its criteria and its computed score, and last the overall score.
The follow-up grid shows every row, the dashboard and ``main.py status`` the score rows
(:func:`score_rows`), the PDFs every row in their own words. Each row holds the figures as
numbers, and the screen's wording of them ("61%", "+7 pts", "▲ 1 step"). A second or later
follow-up round is also compared with the round before it: its rows then carry that round's
figure and the change since (``previous``, ``since_previous``).

Pure: no database, no Qt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from fractions import Fraction

from esi_desktop.frameworks import ResultKind, get_framework
from esi_desktop.scoring import (
    FrameworkDeltas,
    Result,
    ScoreDelta,
    describe_result,
    points_text,
    round_half_up,
    steps_text,
)
from esi_desktop.wording import MINUS, plural


class RowKind(StrEnum):
    """The kinds of row of a comparison table, in the order they come."""

    FRAMEWORK = "framework"  # the framework's title, a heading
    SECTION = "section"  # a section's code and title, a heading
    CRITERION = "criterion"  # a criterion's two results
    SCORE = "score"  # a section's computed score
    OVERALL = "overall"  # the framework's overall score


@dataclass(frozen=True)
class ComparisonRow:
    """One row of a baseline-against-follow-up table.

    Attributes:
        kind: what the row is.
        framework_id: the framework it belongs to.
        code: the criterion's or section's code; "" for a framework heading and the overall.
        title: the framework's, section's or criterion's title; the overall score's title
            ("Overall score for sections B–D") for the overall.
        result_kind: a criterion's kind of result (percentage or rating); None for other rows.
        baseline: a criterion's result in the report; for a score, the whole percentage as
            published (rounded half up); None when missing (and for headings).
        follow_up: the same at the follow-up inspection.
        change: percentage points for a percentage criterion and for a score, steps up the
            rating scale for a rating; None when either side is missing.
        exact_change: a score's change before rounding; None when either side is missing.
        missing: for a score, the criteria still without a follow-up result that keep its
            follow-up figure from being computed.
        previous: the same figure at the previous follow-up round (a later round only);
            None when missing or when there is no previous round.
        since_previous: the change from the previous round, as ``change`` counts it; None
            when either side is missing.
    """

    kind: RowKind
    framework_id: str
    code: str = ""
    title: str = ""
    result_kind: ResultKind | None = None
    baseline: Result | None = None
    follow_up: Result | None = None
    change: int | None = None
    exact_change: Fraction | None = None
    missing: tuple[str, ...] = ()
    previous: Result | None = None
    since_previous: int | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the row across reloads: (kind, framework id, code)."""
        return (self.kind.value, self.framework_id, self.code)

    @property
    def is_score(self) -> bool:
        """True for a computed score: a section's or the overall."""
        return self.kind in (RowKind.SCORE, RowKind.OVERALL)

    @property
    def in_steps(self) -> bool:
        """True when the change counts steps up a rating scale rather than points."""
        return self.result_kind is ResultKind.RATING

    @property
    def label(self) -> str:
        """How a full table names the row: "Score for section B" for a section's score."""
        return f"Score for section {self.code}" if self.kind is RowKind.SCORE else self.title

    @property
    def summary_label(self) -> str:
        """How a summary of scores names the row: "B Quality of assessment", or the overall's
        title."""
        return f"{self.code} {self.title}" if self.code else self.title

    @property
    def baseline_text(self) -> str:
        """ "46%", "Partly met", or "—" when missing."""
        return describe_result(self.baseline)

    @property
    def follow_up_text(self) -> str:
        """ "70%", "Well met", or "—" when missing."""
        return describe_result(self.follow_up)

    @property
    def change_text(self) -> str:
        """ "+7 pts", "−3 pts", "▲ 1 step", "= same rating", or "—": the window's narrow column."""
        return steps_text(self.change) if self.in_steps else points_text(self.change)

    @property
    def previous_text(self) -> str:
        """The previous round's figure ("55%", "Partly met"), or "—"."""
        return describe_result(self.previous)

    @property
    def since_previous_text(self) -> str:
        """The change since the previous round, worded as :attr:`change_text`."""
        if self.in_steps:
            return steps_text(self.since_previous)
        return points_text(self.since_previous)

    @property
    def change_in_words(self) -> str:
        """ "+24 points", "−1 point", "up 2 steps", "down 1 step", "no change", or "—": the
        documents' wording of the same change."""
        if self.change is None:
            return "—"
        if self.change == 0:
            return "no change"
        if self.in_steps:
            return f"{'up' if self.change > 0 else 'down'} {plural(abs(self.change), 'step')}"
        sign = "+" if self.change > 0 else MINUS
        return f"{sign}{plural(abs(self.change), 'point')}"


def _rounded(value: Fraction | None) -> int | None:
    return None if value is None else round_half_up(value)


def _score_row(
    kind: RowKind,
    framework_id: str,
    code: str,
    title: str,
    delta: ScoreDelta,
    missing: tuple[str, ...],
) -> ComparisonRow:
    return ComparisonRow(
        kind=kind,
        framework_id=framework_id,
        code=code,
        title=title,
        baseline=_rounded(delta.baseline),
        follow_up=_rounded(delta.follow_up),
        change=delta.points,
        exact_change=delta.exact,
        missing=missing,
    )


def comparison_rows(
    deltas: FrameworkDeltas, previous: FrameworkDeltas | None = None
) -> list[ComparisonRow]:
    """One framework's rows: its heading; per section its heading, criteria and score; the
    overall score where the framework has one.

    Args:
        deltas: baseline against this round.
        previous: the previous round against this one (a second or later round), whose
            figures fill each row's ``previous`` and ``since_previous``.
    """
    rows = _rows(deltas)
    if previous is None:
        return rows
    before = {row.key: row for row in _rows(previous)}
    return [
        replace(row, previous=before[row.key].baseline, since_previous=before[row.key].change)
        if row.key in before and row.kind not in (RowKind.FRAMEWORK, RowKind.SECTION)
        else row
        for row in rows
    ]


def _rows(deltas: FrameworkDeltas) -> list[ComparisonRow]:
    framework = get_framework(deltas.framework_id)
    rows = [ComparisonRow(RowKind.FRAMEWORK, framework.id, "", framework.title)]
    for section in framework.sections:
        rows.append(ComparisonRow(RowKind.SECTION, framework.id, section.code, section.title))
        for criterion in section.criteria:
            delta = deltas.criteria[criterion.code]
            rows.append(
                ComparisonRow(
                    kind=RowKind.CRITERION,
                    framework_id=framework.id,
                    code=criterion.code,
                    title=criterion.title,
                    result_kind=criterion.kind,
                    baseline=delta.baseline,
                    follow_up=delta.follow_up,
                    change=delta.change,
                )
            )
        if section.code in deltas.sections:
            rows.append(
                _score_row(
                    RowKind.SCORE,
                    framework.id,
                    section.code,
                    section.title,
                    deltas.sections[section.code],
                    deltas.follow_up_scores.sections[section.code].missing,
                )
            )
    if deltas.overall is not None:
        rows.append(
            _score_row(
                RowKind.OVERALL,
                framework.id,
                "",
                framework.overall_title,
                deltas.overall,
                deltas.follow_up_scores.overall_missing,
            )
        )
    return rows


def comparison_table(
    comparisons: Sequence[FrameworkDeltas], previous: Sequence[FrameworkDeltas] = ()
) -> list[ComparisonRow]:
    """Every framework's rows (:func:`comparison_rows`), one framework after another.

    ``previous``: for a later round, each framework's previous round against this one.
    """
    before = {deltas.framework_id: deltas for deltas in previous}
    return [
        row
        for deltas in comparisons
        for row in comparison_rows(deltas, before.get(deltas.framework_id))
    ]


def score_rows(deltas: FrameworkDeltas) -> list[ComparisonRow]:
    """Only the computed scores of one framework: each section's, then the overall."""
    return [row for row in comparison_rows(deltas) if row.is_score]


def has_follow_up_results(comparisons: Sequence[FrameworkDeltas]) -> bool:
    """True when any criterion has a follow-up result."""
    return any(d.follow_up is not None for c in comparisons for d in c.criteria.values())
