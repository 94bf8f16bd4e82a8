"""A rated inspection's stored ratings, round by round, and what they add up to.

The ratings are stored as the criterion results of the inspection's rated frameworks (one row
per standard and round, the rating's name in ``rating``; "Not rated" for a standard not rated);
an overall rating entered as published (a framework whose rule is not public) is an
:class:`~db.models.OverallRating` row. Everything that shows a rated inspection's result — the
Dashboard, the follow-up, the documents, ``scores --json`` — reads it here, and the sums are
made by :func:`esi_desktop.rating.rate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from db.models import OverallRating
from esi_desktop.errors import ValidationError
from esi_desktop.frameworks import Framework, FrameworkKind
from esi_desktop.inspections import BASELINE, frameworks_of, get_inspection, stored_results
from esi_desktop.rating import RatedResult, rate


@dataclass(frozen=True)
class RatedRound:
    """One rated framework's ratings in one round (0: the inspection; N: the N-th follow-up).

    Attributes:
        framework: the rated framework.
        round: the round.
        ratings: each stored standard's rating name by code, in framework order ("Not rated"
            included); a standard not yet rated in this round is absent.
        published_overall: the overall rating entered as published, or None.
        result: the total, maximum and overall rating; None while the ratings are incomplete
            (a follow-up part-way through being entered).
        problem: why ``result`` is None, as one sentence ("" when there is a result).
    """

    framework: Framework
    round: int
    ratings: dict[str, str]
    published_overall: str | None
    result: RatedResult | None
    problem: str = ""


def rated_rounds(*, inspection_id: int, round: int = BASELINE) -> list[RatedRound]:
    """Every rated framework of the inspection, as rated in ``round``.

    Raises:
        NotFoundError: there is no such inspection.
    """
    get_inspection(inspection_id=inspection_id)
    frameworks = frameworks_of(inspection_id=inspection_id, kind=FrameworkKind.RATED)
    if not frameworks:
        return []
    stored = stored_results(inspection_id=inspection_id, round=round)
    overall = {
        row.framework_id: str(row.rating)
        for row in OverallRating.select().where(
            (OverallRating.inspection == inspection_id) & (OverallRating.round == round)
        )
    }
    rounds = []
    for framework in frameworks:
        own = stored.get(framework.id, {})
        ratings = {c.code: str(own[c.code]) for c in framework.criteria if c.code in own}
        result: RatedResult | None = None
        problem = ""
        try:
            result = rate(framework, ratings, overall=overall.get(framework.id))
        except ValidationError as error:
            problem = str(error)
        rounds.append(
            RatedRound(framework, round, ratings, overall.get(framework.id), result, problem)
        )
    return rounds


def is_rated_inspection(*, inspection_id: int) -> bool:
    """True when the inspection was rated (it has results for a rated framework)."""
    return bool(frameworks_of(inspection_id=inspection_id, kind=FrameworkKind.RATED))


def rated_document(rated: RatedRound) -> dict[str, Any]:
    """One rated framework's round as plain data (its part of ``scores --json``).

    ``ratings`` holds each standard's rating name by code ("Not rated" included); ``score``,
    ``max`` and ``band`` are the total, the maximum and the overall rating (``band`` None
    when the framework's rule is not public and none was entered; all three None, and
    ``problem`` says why, while the ratings are incomplete); ``not_counted`` lists the
    standards rated apart and ``not_rated`` those not rated.
    """
    result = rated.result
    rules = rated.framework.rated
    return {
        "title": rated.framework.title,
        "kind": FrameworkKind.RATED.value,
        "ratings": dict(rated.ratings),
        "score": None if result is None else result.score,
        "max": None if result is None else result.max,
        "band": None if result is None else result.band,
        "not_counted": list(rules.apart) if rules is not None else [],
        "not_rated": [] if result is None else list(result.not_rated),
        **({"problem": rated.problem} if rated.problem else {}),
    }
