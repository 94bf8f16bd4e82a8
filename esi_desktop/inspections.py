"""Use cases about inspections and their scores: listing them and computing the summary.

It is also the one place an inspection's dates are derived: :func:`publication_date` and
:func:`inspection_clock` (the statutory clock: publication, response due, implementation due),
used by the window, the documents and the command line alike.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from peewee import fn

from db.models import CriterionResult, Inspection, PublishedScore, Recommendation, as_dicts
from esi_desktop.errors import NotFoundError
from esi_desktop.frameworks import Framework, builtin_frameworks
from esi_desktop.rules import StatutoryClock, statutory_clock
from esi_desktop.scoring import FrameworkScores, Result, score
from esi_desktop.wording import month_name

BASELINE = 0


@dataclass(frozen=True)
class InspectionSummary:
    """What identifies an inspection to a person."""

    id: int
    area: str
    published: str  # "2005-01"
    report_title: str
    programme: str
    recommendation_count: int

    @property
    def label(self) -> str:
        """ "Gloucestershire — January 2005"."""
        year, month = (int(part) for part in self.published.split("-"))
        return f"{self.area} — {month_name(month)} {year}"


def _published(inspection: Inspection) -> str:
    return f"{inspection.published_year:04d}-{inspection.published_month:02d}"


def _summary(inspection: Inspection, count: int) -> InspectionSummary:
    return InspectionSummary(
        id=inspection.id,
        area=inspection.area,
        published=_published(inspection),
        report_title=inspection.report_title,
        programme=inspection.programme,
        recommendation_count=count,
    )


def list_inspections() -> list[InspectionSummary]:
    """Every stored inspection, newest publication first."""
    counts: dict[int, int] = defaultdict(int)
    per_inspection = Recommendation.select(
        Recommendation.inspection, fn.COUNT(Recommendation.id).alias("count")
    ).group_by(Recommendation.inspection)
    for row in as_dicts(per_inspection):
        counts[row["inspection"]] = row["count"]
    query = Inspection.select().order_by(
        Inspection.published_year.desc(), Inspection.published_month.desc(), Inspection.area
    )
    return [_summary(i, counts[i.id]) for i in query]


def get_inspection(*, inspection_id: int) -> Inspection:
    """The inspection with this id.

    Raises:
        NotFoundError: there is none.
    """
    inspection = Inspection.get_or_none(Inspection.id == inspection_id)
    if inspection is None:
        raise NotFoundError(
            f"There is no inspection with id {inspection_id} in this database. "
            "List the inspections with `main.py scores` and use one of their ids."
        )
    return inspection


def inspection_summary(*, inspection_id: int) -> InspectionSummary:
    """The summary of one inspection.

    Raises:
        NotFoundError: there is none.
    """
    inspection = get_inspection(inspection_id=inspection_id)
    count = Recommendation.select().where(Recommendation.inspection == inspection).count()
    return _summary(inspection, count)


def stored_results(*, inspection_id: int, round: int = BASELINE) -> dict[str, dict[str, Result]]:
    """Results of one round by framework id and criterion code."""
    results: dict[str, dict[str, Result]] = defaultdict(dict)
    query = CriterionResult.select().where(
        (CriterionResult.inspection == inspection_id) & (CriterionResult.round == round)
    )
    for row in query:
        value: Result = row.percent if row.percent is not None else str(row.rating)
        results[row.framework_id][row.code] = value
    return dict(results)


def frameworks_of(*, inspection_id: int) -> list[Framework]:
    """The frameworks an inspection has results for, in the shipped order."""
    ids = {
        row.framework_id
        for row in CriterionResult.select(CriterionResult.framework_id)
        .where(CriterionResult.inspection == inspection_id)
        .distinct()
    }
    known = builtin_frameworks()
    ordered = [f for fid, f in known.items() if fid in ids]
    # the core framework first: it is the one the report is named after
    ordered.sort(key=lambda f: f.report_heading is not None)
    return ordered


@dataclass(frozen=True)
class FrameworkSummary:
    """One framework's baseline results with computed and published figures."""

    framework: Framework
    results: dict[str, Result]
    scores: FrameworkScores
    published_sections: dict[str, int]
    published_overall: int | None


def scoring_summary(*, inspection_id: int) -> list[FrameworkSummary]:
    """The baseline scoring summary of an inspection, per framework.

    Raises:
        NotFoundError: there is no such inspection.
    """
    get_inspection(inspection_id=inspection_id)
    results = stored_results(inspection_id=inspection_id)
    published: dict[str, dict[str, int]] = defaultdict(dict)
    for row in PublishedScore.select().where(PublishedScore.inspection == inspection_id):
        published[row.framework_id][row.section] = row.percent
    summaries = []
    for framework in frameworks_of(inspection_id=inspection_id):
        own = results.get(framework.id, {})
        printed = dict(published.get(framework.id, {}))
        overall = printed.pop("overall", None)
        summaries.append(FrameworkSummary(framework, own, score(framework, own), printed, overall))
    return summaries


def scores_document(*, inspection_id: int) -> dict[str, Any]:
    """The computed scores of one inspection as plain data (the shape of ``scores --json``)."""
    summary = inspection_summary(inspection_id=inspection_id)
    frameworks: dict[str, Any] = {}
    for item in scoring_summary(inspection_id=inspection_id):
        ordered = {
            c.code: item.results[c.code] for c in item.framework.criteria if c.code in item.results
        }
        frameworks[item.framework.id] = {
            "title": item.framework.title,
            "criteria": ordered,
            "sections": item.scores.section_percents(),
            "overall": item.scores.overall,
            "exact": {
                "sections": {
                    code: None if s.exact is None else float(s.exact)
                    for code, s in item.scores.sections.items()
                },
                "overall": None
                if item.scores.overall_exact is None
                else float(item.scores.overall_exact),
            },
            "missing": sorted({m for s in item.scores.sections.values() for m in s.missing}),
        }
    return {
        "inspection": {
            "id": summary.id,
            "area": summary.area,
            "published": summary.published,
            "title": summary.report_title,
        },
        "frameworks": frameworks,
    }


#: The periods when the report's own "Next steps" did not give them (ESI reports: 3 and 12).
RESPONSE_MONTHS = 3
IMPLEMENTATION_MONTHS = 12


def publication_date(inspection: Inspection) -> date:
    """The publication date (the first of the month when only the month is known)."""
    return date(
        inspection.published_year, inspection.published_month, inspection.published_day or 1
    )


def inspection_clock(inspection: Inspection) -> StatutoryClock:
    """An inspection's deadlines: publication, response due, implementation due.

    The one derivation of the statutory clock. The report's own "Next steps" give the periods
    (three and twelve months in ESI reports); those are the defaults when the report did not
    say.
    """
    published = publication_date(inspection)
    return statutory_clock(
        published.year,
        published.month,
        published.day,
        response_months=inspection.response_due_months or RESPONSE_MONTHS,
        implementation_months=inspection.implementation_months or IMPLEMENTATION_MONTHS,
    )


def statutory_clock_of(*, inspection_id: int) -> StatutoryClock:
    """The statutory clock (:func:`inspection_clock`) of the inspection with this id.

    Raises:
        NotFoundError: there is no such inspection.
    """
    return inspection_clock(get_inspection(inspection_id=inspection_id))
