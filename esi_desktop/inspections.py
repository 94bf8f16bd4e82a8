"""Use cases about inspections and their scores: listing them and computing the summary.

It is also the one place an inspection's dates are derived: :func:`publication_date` and
:func:`inspection_clock` (the statutory clock: publication, response due, implementation due),
used by the window, the documents and the command line alike. The record a person edits,
archives and deletes is :mod:`esi_desktop.inspection_record`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from peewee import fn

from db.models import (
    CriterionResult,
    Inspection,
    PublishedScore,
    Recommendation,
    as_dicts,
)
from esi_desktop.errors import NotFoundError
from esi_desktop.frameworks import Framework, FrameworkKind, shipped_frameworks
from esi_desktop.rules import StatutoryClock, statutory_clock
from esi_desktop.scoring import FrameworkScores, Result, score
from esi_desktop.wording import long_date, month_name, month_year, plural

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
    archived: bool = False

    @property
    def label(self) -> str:
        """ "Gloucestershire — January 2005", with " (archived)" once archived."""
        return self.name + (" (archived)" if self.archived else "")

    @property
    def name(self) -> str:
        """ "Gloucestershire — January 2005": what a person types to confirm a deletion."""
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
        archived=inspection.archived_on is not None,
    )


def list_inspections(*, include_archived: bool = True) -> list[InspectionSummary]:
    """The stored inspections, newest publication first, the archived ones last.

    Args:
        include_archived: False leaves out the archived inspections.
    """
    counts: dict[int, int] = defaultdict(int)
    per_inspection = Recommendation.select(
        Recommendation.inspection, fn.COUNT(Recommendation.id).alias("count")
    ).group_by(Recommendation.inspection)
    for row in as_dicts(per_inspection):
        counts[row["inspection"]] = row["count"]
    query = Inspection.select().order_by(
        Inspection.published_year.desc(), Inspection.published_month.desc(), Inspection.area
    )
    rows = [_summary(i, counts[i.id]) for i in query]
    rows.sort(key=lambda row: row.archived)  # stable: the order above within each group
    return [row for row in rows if include_archived or not row.archived]


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


def frameworks_of(*, inspection_id: int, kind: FrameworkKind | None = None) -> list[Framework]:
    """The frameworks an inspection has results for, in the shipped order.

    Args:
        kind: only the frameworks of this kind (scored or rated); None for every kind.
    """
    ids = {
        row.framework_id
        for row in CriterionResult.select(CriterionResult.framework_id)
        .where(CriterionResult.inspection == inspection_id)
        .distinct()
    }
    known = shipped_frameworks()
    ordered = [f for fid, f in known.items() if fid in ids and kind in (None, f.kind)]
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
    for framework in frameworks_of(inspection_id=inspection_id, kind=FrameworkKind.SCORED):
        own = results.get(framework.id, {})
        printed = dict(published.get(framework.id, {}))
        overall = printed.pop("overall", None)
        summaries.append(FrameworkSummary(framework, own, score(framework, own), printed, overall))
    return summaries


def scores_document(*, inspection_id: int) -> dict[str, Any]:
    """The computed scores of one inspection as plain data (the shape of ``scores --json``).

    A scored framework gives its criteria and section and overall percentages; a rated one
    its ratings, total, maximum and overall rating
    (:func:`esi_desktop.rated_results.rated_document`).
    """
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
    # imported here: rated_results reads the stored results through this module
    from esi_desktop.rated_results import rated_document, rated_rounds

    for rated in rated_rounds(inspection_id=inspection_id):
        frameworks[rated.framework.id] = rated_document(rated)
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


def publication_text(inspection: Inspection) -> str:
    """ "14 January 2005", or "January 2005 (day not known: assumed 1st)"."""
    published = publication_date(inspection)
    if inspection.published_day:
        return long_date(published)
    return f"{month_year(published)} (day not known: {ASSUMED_FIRST})"


#: How the window and the documents say that the publication day is not known.
ASSUMED_FIRST = "assumed 1st"


#: How a response deadline not set yet reads (no deadline is fixed, none agreed yet).
NOT_SET = "not set yet"
#: Where the response deadline comes from when the framework fixes none and none is agreed.
BOARD_SETS_DATE = "no deadline is fixed: the Board sets an agreed date"


@dataclass(frozen=True)
class InspectionClock(StatutoryClock):
    """The statutory clock of one inspection, saying where its response deadline comes from.

    ``response_due`` is the deadline in force: the one agreed with the Inspectorate when there
    is one, else the statutory one (``statutory_response_due``). Where the framework fixes no
    deadline (``response_due_fixed`` false: a youth justice inspection) it is the date the
    Board agreed, and None until the Board has agreed one.

    Attributes:
        statutory_response_due: the deadline counted from publication; None when the
            framework fixes none.
        response_basis: where ``response_due`` comes from, in words ("3 months after
            publication", "agreed with the Inspectorate: <reason>", "agreed by the Board:
            <reason>", or :data:`BOARD_SETS_DATE`).
        published_day_known: False when only the month was printed (the 1st is assumed).
        published_text: the publication date as the window and documents show it.
        response_due_fixed: False when the framework fixes no response deadline and the Board
            sets an agreed date.
    """

    statutory_response_due: date | None = None
    response_basis: str = ""
    published_day_known: bool = True
    published_text: str = ""
    response_due_fixed: bool = True

    @property
    def agreed(self) -> bool:
        """True when a statutory response deadline was replaced by one agreed with the
        Inspectorate (a date the Board set where none is fixed is :attr:`set_by_board`)."""
        return self.statutory_response_due not in (None, self.response_due)

    @property
    def set_by_board(self) -> bool:
        """True when no deadline is fixed and the Board has agreed its date."""
        return not self.response_due_fixed and self.response_due is not None

    @property
    def needs_agreed_date(self) -> bool:
        """True while no deadline is fixed and the Board has not yet agreed one."""
        return self.response_due is None

    @property
    def response_due_text(self) -> str:
        """ "3 March 2005", or "not set yet"."""
        return NOT_SET if self.response_due is None else long_date(self.response_due)


def inspection_clock(inspection: Inspection) -> InspectionClock:
    """An inspection's deadlines: publication, response due, implementation due.

    The one derivation of the statutory clock. The report's own "Next steps" give the periods
    (three and twelve months in ESI reports); those are the defaults when the report did not
    say. The publication day when it is known (else the 1st); a response deadline agreed with
    the Inspectorate, when there is one, overrides the statutory one. Where the framework
    fixes no response deadline (``response_due_fixed`` false), the response is due on the
    date the Board agreed, and none is set until it has.
    """
    published = publication_date(inspection)
    fixed = inspection.response_due_fixed is not False  # NULL in no row, but never read as False
    months = inspection.response_due_months or RESPONSE_MONTHS
    statutory = statutory_clock(
        published.year,
        published.month,
        published.day,
        response_months=months,
        implementation_months=inspection.implementation_months or IMPLEMENTATION_MONTHS,
    )
    agreed: date | None = inspection.agreed_response_due
    reason = inspection.agreed_response_reason.strip()
    if fixed:
        basis = f"{plural(months, 'month')} after publication"
        if agreed is not None:
            basis = f"agreed with the Inspectorate: {reason}"
        due: date | None = agreed or statutory.response_due
    else:
        due = agreed
        basis = BOARD_SETS_DATE
        if agreed is not None:
            basis = "agreed by the Board" + (f": {reason}" if reason else "")
    return InspectionClock(
        published=statutory.published,
        response_due=due,
        implementation_due=statutory.implementation_due,
        statutory_response_due=statutory.response_due if fixed else None,
        response_basis=basis,
        published_day_known=bool(inspection.published_day),
        published_text=publication_text(inspection),
        response_due_fixed=fixed,
    )


def statutory_clock_of(*, inspection_id: int) -> InspectionClock:
    """The statutory clock (:func:`inspection_clock`) of the inspection with this id.

    Raises:
        NotFoundError: there is no such inspection.
    """
    return inspection_clock(get_inspection(inspection_id=inspection_id))
