"""The rules of a rated framework: its rating scale with points, what counts, and the bands.

A rated framework (``kind = "rated"`` in its file) rates standards Outstanding … Inadequate
instead of scoring criteria in percentages. :mod:`esi_desktop.frameworks` reads the file's
domains and standards; this module reads and checks the rest — the scale, the standards rated
apart, those that may be "not rated", and how the overall rating is reached — so the rules are
data and a second rated framework is a second file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import pairwise
from typing import Any

#: How a standard that was not rated reads (the service had no cases to inspect).
NOT_RATED = "Not rated"

#: The keys each table of a rated framework file may hold: anything else is a slip, most
#: often a top-level key written after a [[table]] and so read as part of that table.
_RATING_KEYS = frozenset({"name", "short", "points"})
_BAND_KEYS = frozenset({"from", "to", "rating"})

Fault = Callable[[str], Exception]


class OverallRule(Enum):
    """How a rated framework reaches its overall rating."""

    BANDS = "bands"  # read from the total by the framework's bands
    AS_PUBLISHED = "as published"  # the rule is not public: entered as the report gives it


@dataclass(frozen=True)
class Rating:
    """One step of a rating scale, such as Requires improvement ("RI", 1 point)."""

    name: str
    short: str
    points: int

    @property
    def choice(self) -> str:
        """ "Requires improvement (RI)": how a sentence offers it."""
        return f"{self.name} ({self.short})"


@dataclass(frozen=True)
class Band:
    """A range of totals, both ends included, and the overall rating it gives."""

    low: int
    high: int
    rating: str


@dataclass(frozen=True)
class RatedRules:
    """What makes a framework rated: its scale, what counts, and the overall rule.

    Attributes:
        ratings: the scale, best first.
        counted: the codes of the standards whose points make the total, in framework order.
        apart: the codes of the standards rated but not counted, in framework order.
        may_be_not_rated: the codes of the standards that may be "not rated".
        overall: how the overall rating is reached.
        bands: the bands, lowest first, covering 0 to :attr:`max_score` (none when the overall
            rating is entered as published).
        response_due_months: months from publication to the response, or None when no deadline
            is fixed and the Board sets an agreed date.
    """

    ratings: tuple[Rating, ...]
    counted: tuple[str, ...]
    apart: tuple[str, ...]
    may_be_not_rated: frozenset[str]
    overall: OverallRule
    bands: tuple[Band, ...]
    response_due_months: int | None

    @property
    def max_score(self) -> int:
        """The highest total: every counted standard at the best rating."""
        return len(self.counted) * self.ratings[0].points

    def rating(self, text: str) -> Rating | None:
        """The rating ``text`` names by name or short form, any case and spacing; else None."""
        wanted = _folded(text)
        for rating in self.ratings:
            if wanted in (_folded(rating.name), _folded(rating.short)):
                return rating
        return None

    def rating_named(self, name: str) -> Rating:
        """The rating with exactly this (canonical) name.

        Raises:
            KeyError: no rating has this name.
        """
        for rating in self.ratings:
            if rating.name == name:
                return rating
        raise KeyError(name)

    def band_for(self, score: int) -> str | None:
        """The overall rating the bands give ``score``; None when it is entered as published."""
        for band in self.bands:
            if band.low <= score <= band.high:
                return band.rating
        return None

    def choices(self, *, not_rated: bool = False) -> str:
        """ "Outstanding (O), Good (G), Requires improvement (RI) or Inadequate (I)"."""
        offered = [rating.choice for rating in self.ratings]
        if not_rated:
            offered.append(NOT_RATED)
        return ", ".join(offered[:-1]) + " or " + offered[-1]


def is_not_rated(text: str) -> bool:
    """True when ``text`` says "not rated", in any case and spacing."""
    return _folded(text) == _folded(NOT_RATED)


def _folded(text: str) -> str:
    return " ".join(text.split()).casefold()


def read_rated_rules(raw: Mapping[str, Any], standards: Sequence[str], fail: Fault) -> RatedRules:
    """Read and check the rated part of a framework file.

    Args:
        raw: the whole file, as TOML gives it.
        standards: the codes of the file's standards, in order (already checked).
        fail: turns a fault into the exception naming the file.

    Raises:
        Exception: what ``fail`` makes of the first fault found (a rating without points, a
            short form used twice, an unknown standard named, bands with a gap or an overlap
            or not covering 0 to the maximum, …).
    """
    ratings = _read_ratings(raw.get("ratings"), fail)
    apart = _codes(raw, "apart", standards, fail)
    may_be_not_rated = _codes(raw, "may_be_not_rated", standards, fail)
    counted = tuple(code for code in standards if code not in apart)
    for code in standards:
        if code in may_be_not_rated and code not in apart:
            # a counted standard left out would change the maximum: no framework says how
            raise fail(
                f"standard {code} may be not rated but counts towards the overall rating; "
                "only a standard rated apart may be not rated"
            )
    if not counted:
        raise fail("every standard is rated apart, so nothing makes the overall rating")
    try:
        overall = OverallRule(raw.get("overall"))
    except ValueError:
        raise fail("overall must be 'bands' or 'as published'") from None
    max_score = len(counted) * ratings[0].points
    raw_bands = raw.get("bands")
    if overall is OverallRule.AS_PUBLISHED:
        if raw_bands is not None:
            raise fail("it has bands but its overall rating is 'as published'; remove one")
        bands: tuple[Band, ...] = ()
    else:
        bands = _read_bands(raw_bands, ratings, max_score, fail)
    due = raw.get("response_due_months")
    if due is not None and (not isinstance(due, int) or isinstance(due, bool) or due <= 0):
        raise fail("response_due_months must be a whole number of months above 0, or absent")
    return RatedRules(
        ratings=ratings,
        counted=counted,
        apart=tuple(code for code in standards if code in apart),
        may_be_not_rated=frozenset(may_be_not_rated),
        overall=overall,
        bands=bands,
        response_due_months=due,
    )


def _read_ratings(raw: object, fail: Fault) -> tuple[Rating, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise fail("it must list at least two [[ratings]], best first")
    ratings: list[Rating] = []
    seen: dict[str, str] = {}  # every name and short form, folded, to the rating it is of
    for i, row in enumerate(raw, start=1):
        if not isinstance(row, dict):
            raise fail(f"rating {i} is not a table")
        name = row.get("name")
        if not isinstance(name, str) or not name.strip():
            raise fail(f"rating {i} has no name")
        name = " ".join(name.split())
        refuse_unknown_keys(row, _RATING_KEYS, f"rating {name}", fail)
        short = row.get("short")
        if not isinstance(short, str) or not short.strip():
            raise fail(f'rating {name} has no short form (such as short = "RI")')
        short = " ".join(short.split())
        points = row.get("points")
        if points is None:
            raise fail(f"rating {name} has no points")
        if not isinstance(points, int) or isinstance(points, bool) or points < 0:
            raise fail(f"rating {name} has points that are not a whole number of 0 or more")
        if ratings and points >= ratings[-1].points:
            raise fail(
                f"rating {name} has {points} points, not fewer than {ratings[-1].name} above "
                "it; list the ratings best first, each worth fewer points than the one before"
            )
        if is_not_rated(name) or is_not_rated(short):
            raise fail(f"{NOT_RATED!r} is not a rating: it is what a standard not rated reads")
        for word, what in ((name, "name"), (short, "short form")):
            other = seen.get(_folded(word))
            if other is not None and other != name:
                raise fail(f"the {what} {word!r} of rating {name} is already used by {other}")
            seen[_folded(word)] = name
        ratings.append(Rating(name=name, short=short, points=points))
    return tuple(ratings)


def _codes(raw: Mapping[str, Any], key: str, standards: Sequence[str], fail: Fault) -> set[str]:
    codes = raw.get(key, [])
    if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
        raise fail(f'{key} must list standard codes, such as {key} = ["4.1"]')
    for code in codes:
        if code not in standards:
            raise fail(f"{key} names an unknown standard {code!r}")
    return set(codes)


def _read_bands(
    raw: object, ratings: Sequence[Rating], max_score: int, fail: Fault
) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        raise fail("its overall rating is by 'bands' but it has no [[bands]]")
    names = {rating.name for rating in ratings}
    bands: list[Band] = []
    for i, row in enumerate(raw, start=1):
        if not isinstance(row, dict):
            raise fail(f"band {i} is not a table")
        refuse_unknown_keys(row, _BAND_KEYS, f"band {i}", fail)
        low, high, rating = row.get("from"), row.get("to"), row.get("rating")
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in (low, high)):
            raise fail(f"band {i} needs whole numbers from and to")
        assert isinstance(low, int) and isinstance(high, int)  # checked just above
        if low > high:
            raise fail(f"band {i} runs from {low} down to {high}; give from ≤ to")
        if rating not in names:
            raise fail(f"band {low}–{high} gives {rating!r}, which is not a rating of the scale")
        bands.append(Band(low=low, high=high, rating=str(rating)))
    bands.sort(key=lambda band: band.low)
    if bands[0].low != 0:
        raise fail(f"the bands start at {bands[0].low}, not 0")
    for before, after in pairwise(bands):
        if after.low <= before.high:
            raise fail(f"the bands {before.low}–{before.high} and {after.low}–{after.high} overlap")
        if after.low > before.high + 1:
            raise fail(
                f"the bands leave a gap between {before.high} and {after.low}: no band gives "
                f"a total of {before.high + 1}"
            )
    if bands[-1].high != max_score:
        raise fail(
            f"the bands end at {bands[-1].high}, not at the maximum total {max_score} "
            "(each counted standard at the best rating)"
        )
    return tuple(bands)


def refuse_unknown_keys(
    row: Mapping[str, Any], known: frozenset[str], where: str, fail: Fault
) -> None:
    """Refuse a key of a [[table]] row that the row does not have.

    Raises:
        Exception: what ``fail`` makes of the first unknown key, said with the likely slip.
    """
    unknown = sorted(set(row) - known)
    if unknown:
        raise fail(
            f"{where} has an unknown key {unknown[0]!r} (a top-level key written after a "
            "[[table]] belongs to that table: move it above the first one)"
        )
