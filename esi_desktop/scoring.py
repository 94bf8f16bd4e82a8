"""The scoring engine: section and overall scores exactly as the Inspectorate computes them.

Pure: no database, no Qt. Exact values are kept as fractions; only display rounds, half up
(Python's ``round`` rounds half to even, which is not the Inspectorate's convention).
A criterion with no result is reported as missing and never counted as 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from math import floor

from esi_desktop.frameworks import Framework, ResultKind, normalise_rating
from esi_desktop.wording import MINUS, plural

#: A criterion's result: a whole percentage or a rating in words.
Result = int | str


def round_half_up(value: Fraction) -> int:
    """``value`` rounded to a whole number, halves going up (60.5 → 61, -0.5 → 0)."""
    return floor(value + Fraction(1, 2))


def percent_text(value: Fraction) -> str:
    """A fraction (progress, 0 to 1) as a whole percentage, rounded half up: "50%"."""
    return f"{round_half_up(value * 100)}%"


def points_text(points: int | None) -> str:
    """A change in percentage points: "+7 pts", "−3 pts", "+1 pt", "0 pts", "—" if unknown."""
    if points is None:
        return "—"
    unit = "pt" if abs(points) == 1 else "pts"
    if points > 0:
        return f"+{points} {unit}"
    if points < 0:
        return f"{MINUS}{-points} {unit}"
    return f"0 {unit}"


def describe_result(value: Result | None) -> str:
    """A result as the report prints it: "46%", "Partly met", or "—" when missing."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value}%"
    return value


def steps_text(steps: int | None) -> str:
    """ "▲ 1 step", "▼ 2 steps", "= same rating", or "—" when either side is missing."""
    if steps is None:
        return "—"
    if steps == 0:
        return "= same rating"
    return f"{'▲' if steps > 0 else '▼'} {plural(abs(steps), 'step')}"


def check_result(framework: Framework, code: str, value: object) -> Result:
    """Validate one result against its criterion and return it in canonical form.

    Percentages must be whole numbers from 0 to 100; ratings must be on the framework's
    scale (case and spacing are forgiven and normalised).

    Raises:
        ValueError: with a sentence naming the criterion and what is allowed.
    """
    criterion = framework.criterion(code)
    if criterion.kind is ResultKind.PERCENT:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise ValueError(
                f"{code} {criterion.title} takes a whole percentage from 0 to 100, not {value!r}."
            )
        return value
    if isinstance(value, str):
        rating = normalise_rating(value, framework.rating_scale)
        if rating is not None:
            return rating
    scale = ", ".join(framework.rating_scale)
    raise ValueError(f"{code} {criterion.title} takes a rating ({scale}), not {value!r}.")


@dataclass(frozen=True)
class SectionScore:
    """A section's score, or the criteria it is missing."""

    section: str
    title: str
    exact: Fraction | None
    missing: tuple[str, ...]

    @property
    def percent(self) -> int | None:
        """The score as published: a whole percentage, rounded half up."""
        return None if self.exact is None else round_half_up(self.exact)


@dataclass(frozen=True)
class FrameworkScores:
    """Every computed figure of one framework for one set of results."""

    framework_id: str
    sections: dict[str, SectionScore]
    overall_exact: Fraction | None
    overall_missing: tuple[str, ...]

    @property
    def overall(self) -> int | None:
        """The overall score rounded half up, or None (no overall, or results missing)."""
        return None if self.overall_exact is None else round_half_up(self.overall_exact)

    def section_percents(self) -> dict[str, int | None]:
        """Section code → published-style whole percentage (None where missing)."""
        return {code: s.percent for code, s in self.sections.items()}


def section_score(
    framework: Framework, section_code: str, results: Mapping[str, Result]
) -> SectionScore:
    """The weighted mean of a section's percentage criteria.

    A critical criterion weighs what the framework says (twice an important one in ESI).
    """
    section = framework.section(section_code)
    total = Fraction(0)
    weights = 0
    missing: list[str] = []
    for criterion in section.scored_criteria:
        value = results.get(criterion.code)
        if isinstance(value, bool) or not isinstance(value, int):
            missing.append(criterion.code)
            continue
        total += criterion.weight * value
        weights += criterion.weight
    exact = None if missing or weights == 0 else total / weights
    return SectionScore(section_code, section.title, exact, tuple(missing))


def score(framework: Framework, results: Mapping[str, Result]) -> FrameworkScores:
    """Section scores and, where the framework has one, the overall score.

    The overall score is computed from the unrounded section scores.
    """
    sections = {
        s.code: section_score(framework, s.code, results) for s in framework.scored_sections
    }
    overall: Fraction | None = None
    missing: tuple[str, ...] = ()
    if framework.has_overall:
        missing = tuple(code for s in sections.values() for code in s.missing)
        if not missing:
            overall = Fraction(0)
            total_weight = 0
            for section in framework.scored_sections:
                exact = sections[section.code].exact
                weight = section.weight or 0
                if exact is not None:
                    overall += weight * exact
                    total_weight += weight
            overall = overall / total_weight if total_weight else None
    return FrameworkScores(framework.id, sections, overall, missing)


def compare_ratings(framework: Framework, first: str, second: str) -> int:
    """Steps up the scale from ``first`` to ``second``: positive is better, negative worse.

    Ratings are ordered, never averaged: "Partly met" → "Satisfactorily met" is +1.
    """
    return framework.rating_rank(first) - framework.rating_rank(second)


@dataclass(frozen=True)
class CriterionDelta:
    """How one criterion moved between two rounds.

    ``change`` is percentage points for a percentage criterion and steps up the rating scale
    for a rating; None when either side is missing (``missing`` names which).
    """

    code: str
    baseline: Result | None
    follow_up: Result | None
    change: int | None
    missing: tuple[str, ...]


@dataclass(frozen=True)
class ScoreDelta:
    """The change of a computed score (a section or the overall)."""

    baseline: Fraction | None
    follow_up: Fraction | None

    @property
    def exact(self) -> Fraction | None:
        """Follow-up minus baseline, unrounded; None when either is missing."""
        if self.baseline is None or self.follow_up is None:
            return None
        return self.follow_up - self.baseline

    @property
    def points(self) -> int | None:
        """The change in whole percentage points between the two published-style figures."""
        if self.baseline is None or self.follow_up is None:
            return None
        return round_half_up(self.follow_up) - round_half_up(self.baseline)


@dataclass(frozen=True)
class FrameworkDeltas:
    """Baseline against follow-up: per criterion, per section and overall."""

    framework_id: str
    criteria: dict[str, CriterionDelta]
    sections: dict[str, ScoreDelta]
    overall: ScoreDelta | None
    baseline_scores: FrameworkScores
    follow_up_scores: FrameworkScores


def compare(
    framework: Framework, baseline: Mapping[str, Result], follow_up: Mapping[str, Result]
) -> FrameworkDeltas:
    """Deltas between two result sets of one framework."""
    criteria: dict[str, CriterionDelta] = {}
    for criterion in framework.criteria:
        before = baseline.get(criterion.code)
        after = follow_up.get(criterion.code)
        missing = tuple(
            name for name, value in (("baseline", before), ("follow-up", after)) if value is None
        )
        change: int | None = None
        if not missing:
            if isinstance(before, int) and isinstance(after, int):
                change = after - before
            elif isinstance(before, str) and isinstance(after, str):
                change = compare_ratings(framework, before, after)
        criteria[criterion.code] = CriterionDelta(criterion.code, before, after, change, missing)
    before_scores = score(framework, baseline)
    after_scores = score(framework, follow_up)
    sections = {
        code: ScoreDelta(before_scores.sections[code].exact, after_scores.sections[code].exact)
        for code in before_scores.sections
    }
    overall = (
        ScoreDelta(before_scores.overall_exact, after_scores.overall_exact)
        if framework.has_overall
        else None
    )
    return FrameworkDeltas(framework.id, criteria, sections, overall, before_scores, after_scores)
