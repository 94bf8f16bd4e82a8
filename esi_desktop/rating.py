"""The rating calculator: a rated inspection's standards, their points and the overall rating.

Pure: it needs a rated :class:`~esi_desktop.frameworks.Framework` and the ratings as typed,
and no database. The command line's ``rate``, a new rated inspection and the follow-up all ask
here, so a total, a band and a change of grade are computed in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from esi_desktop.errors import FrameworkError, ValidationError
from esi_desktop.frameworks import Criterion, Framework
from esi_desktop.rated_frameworks import (
    NOT_RATED,
    OverallRule,
    RatedRules,
    Rating,
    is_not_rated,
)

_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class StandardRating:
    """One standard as rated: its rating (None when not rated) and whether it counts."""

    code: str
    title: str
    domain: str
    rating: Rating | None
    counted: bool

    @property
    def rating_text(self) -> str:
        """ "Requires improvement", or "Not rated"."""
        return NOT_RATED if self.rating is None else self.rating.name

    @property
    def points(self) -> int | None:
        """The points the rating is worth, or None when not rated."""
        return None if self.rating is None else self.rating.points

    @property
    def why_not_counted(self) -> str:
        """Why the standard is left out of the total ("rated apart, not rated"), or ""."""
        if self.counted:
            return ""
        return "rated apart" + (", not rated" if self.rating is None else "")


@dataclass(frozen=True)
class RatedResult:
    """What the ratings of a rated inspection add up to.

    Attributes:
        framework_id: the framework's id.
        framework_title: the framework's short title, for sentences.
        standards: every standard of the framework, in its order, as rated.
        score: the total points of the counted standards.
        max: the highest total possible.
        band: the overall rating; None when the framework's rule is not public and it was not
            given as published.
        overall_rule: how the overall rating is reached (by the bands, or as published).
    """

    framework_id: str
    framework_title: str
    standards: tuple[StandardRating, ...]
    score: int
    max: int
    band: str | None
    overall_rule: OverallRule

    @property
    def counted(self) -> tuple[StandardRating, ...]:
        """The standards whose points make the total."""
        return tuple(s for s in self.standards if s.counted)

    @property
    def not_counted(self) -> tuple[StandardRating, ...]:
        """The standards rated apart, left out of the total."""
        return tuple(s for s in self.standards if not s.counted)

    @property
    def not_rated(self) -> tuple[str, ...]:
        """The codes of the standards not rated."""
        return tuple(s.code for s in self.standards if s.rating is None)

    @property
    def ratings(self) -> dict[str, str]:
        """Every standard's rating by code, "Not rated" included, in framework order."""
        return {s.code: s.rating_text for s in self.standards}

    @property
    def score_text(self) -> str:
        """ "5 / 36"."""
        return f"{self.score} / {self.max}"

    @property
    def overall_text(self) -> str:
        """The overall rating, or the sentence saying why it cannot be computed."""
        if self.band is not None:
            return self.band
        return (
            f"not computed: the {self.framework_title} framework publishes no rule for it; "
            "enter the overall rating as the report gives it"
        )


def rated_rules(framework: Framework) -> RatedRules:
    """The rated rules of ``framework``.

    Raises:
        FrameworkError: the framework is a scored one.
    """
    if framework.rated is None:
        raise FrameworkError(
            f"The {framework.short_title} framework scores criteria in percentages; it has no "
            "ratings to add up. Choose a rated framework."
        )
    return framework.rated


def rate(
    framework: Framework, ratings: Mapping[str, str], *, overall: str | None = None
) -> RatedResult:
    """Add up the ratings of a rated framework's standards into the overall rating.

    Args:
        framework: a rated framework.
        ratings: each standard's rating by code, by name or short form in any case and spacing
            ("requires improvement", "RI", "ri"), or "not rated" where the framework allows it.
            A standard that may be not rated and is left out is not rated.
        overall: the overall rating as published: needed for a framework whose rule is not
            public; for one with bands, it must agree with the bands.

    Raises:
        ValidationError: one sentence naming the first standard at fault (unknown, rated with
            an unknown rating, "not rated" when it must be rated, or missing) and the choices.
        FrameworkError: the framework is a scored one.
    """
    rules = rated_rules(framework)
    given = _by_code(framework, ratings)
    standards: list[StandardRating] = []
    missing: list[Criterion] = []
    for criterion in framework.criteria:
        text = " ".join(given.get(criterion.code, "").split())
        may_be_not_rated = criterion.code in rules.may_be_not_rated
        counted = criterion.code not in rules.apart
        if not text and not may_be_not_rated:
            missing.append(criterion)
            continue
        rating: Rating | None = None
        if text and not is_not_rated(text):
            rating = rules.rating(text)
            if rating is None:
                raise ValidationError(
                    f"{text!r} is not a rating for {_standard(criterion)}: choose "
                    f"{rules.choices(not_rated=may_be_not_rated)}.",
                    field=criterion.code,
                )
        elif not may_be_not_rated:
            allowed = [c for c in framework.criteria if c.code in rules.may_be_not_rated]
            only = f"only {_join(allowed)} may be" if allowed else "no standard may be"
            raise ValidationError(
                f"{_standard(criterion, capital=True)} must be rated ({only} not rated): choose "
                f"{rules.choices()}.",
                field=criterion.code,
            )
        standards.append(
            StandardRating(
                code=criterion.code,
                title=criterion.title,
                domain=criterion.section,
                rating=rating,
                counted=counted,
            )
        )
    if missing:
        which = (
            _standard(missing[0], capital=True) + " has"
            if len(missing) == 1
            else f"Standards {_join(missing)} have"
        )
        raise ValidationError(
            f"{which} no rating: give {'it' if len(missing) == 1 else 'each'} one of "
            f"{rules.choices()}.",
            field=missing[0].code,
        )
    score = sum(s.points or 0 for s in standards if s.counted)
    band = rules.band_for(score)
    if overall is not None:
        band = _checked_overall(framework, rules, overall, band, score)
    return RatedResult(
        framework_id=framework.id,
        framework_title=framework.short_title,
        standards=tuple(standards),
        score=score,
        max=rules.max_score,
        band=band,
        overall_rule=rules.overall,
    )


def _by_code(framework: Framework, ratings: Mapping[str, str]) -> dict[str, str]:
    """The ratings keyed by the framework's codes; an unknown code is refused."""
    given: dict[str, str] = {}
    unknown: list[str] = []
    for code, text in ratings.items():
        code = code.strip()
        if framework.has_criterion(code):
            given[code] = text
        else:
            unknown.append(code)
    if unknown:
        codes = ", ".join(c.code for c in framework.criteria)
        names = " or ".join(repr(code) for code in unknown)
        raise ValidationError(
            f"The {framework.short_title} framework has no standard {names}; its standards "
            f"are {codes}.",
            field="rating",
        )
    return given


def _checked_overall(
    framework: Framework, rules: RatedRules, overall: str, band: str | None, score: int
) -> str:
    """The published overall rating's name, checked against the scale and the bands."""
    published = rules.rating(overall)
    if published is None:
        raise ValidationError(
            f"{overall!r} is not an overall rating of the {framework.short_title} framework: "
            f"choose {rules.choices()}.",
            field="overall",
        )
    if band is not None and published.name != band:
        raise ValidationError(
            f"The overall rating given, {published.name}, is not the one the "
            f"{framework.short_title} bands give a total of {score} / {rules.max_score} "
            f"({band}); correct the ratings or leave the overall rating out.",
            field="overall",
        )
    return published.name


def _standard(criterion: Criterion, *, capital: bool = False) -> str:
    return f"{'S' if capital else 's'}tandard {criterion.code} ({criterion.title})"


def _join(criteria: list[Criterion]) -> str:
    codes = [c.code for c in criteria]
    return codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " and " + codes[-1]


def ratings_from_arguments(values: Iterable[str]) -> dict[str, str]:
    """The ratings typed on a command line, each ``CODE=RATING``, by code.

    A word without "=" goes on with the rating before it, so ``1.1=requires improvement``
    typed without quotes reads as one rating.

    Raises:
        ValidationError: a word comes before any CODE=RATING, a code is empty, or a standard
            is rated twice.
    """
    pairs: list[tuple[str, list[str]]] = []
    for value in values:
        code, equals, rating = value.partition("=")
        if equals:
            if not code.strip():
                raise ValidationError(
                    f"{value!r} has no standard code before '='; write CODE=RATING, such as "
                    "1.1=Good.",
                    field="rating",
                )
            pairs.append((code.strip(), [rating]))
        elif pairs:
            pairs[-1][1].append(value)
        else:
            raise ValidationError(
                f"{value!r} is not CODE=RATING; write each rating as its standard's code, '=' "
                "and the rating, such as 1.1=Good or 4.1='not rated'.",
                field="rating",
            )
    ratings: dict[str, str] = {}
    for code, words in pairs:
        rating = " ".join(" ".join(words).split())
        if code in ratings:
            raise ValidationError(
                f"Standard {code} is rated twice ({ratings[code]} and {rating}); give each "
                "standard one rating.",
                field="rating",
            )
        ratings[code] = rating
    return ratings


def grade_change(framework: Framework, before: str, after: str) -> int:
    """How many grades a standard moved between two ratings: +1 up one, −2 down two, 0 none.

    Args:
        framework: a rated framework.
        before: the earlier rating, by name or short form.
        after: the later rating, by name or short form.

    Raises:
        ValidationError: either is not a rating of the scale, or is "not rated" (a standard
            not rated has no grade to move from or to).
        FrameworkError: the framework is a scored one.
    """
    rules = rated_rules(framework)
    ranks = []
    for text in (before, after):
        rating = None if is_not_rated(text) else rules.rating(text)
        if rating is None:
            raise ValidationError(
                f"{text!r} has no grade to compare: choose {rules.choices()}.", field="rating"
            )
        ranks.append(rules.ratings.index(rating))
    return ranks[0] - ranks[1]  # the scale is best first: a smaller index is a better grade


def grade_change_words(change: int) -> str:
    """ "up one grade", "down two grades", or "no change"."""
    if change == 0:
        return "no change"
    count = abs(change)
    number = _NUMBER_WORDS[count] if count < len(_NUMBER_WORDS) else str(count)
    return f"{'up' if change > 0 else 'down'} {number} grade{'' if count == 1 else 's'}"
