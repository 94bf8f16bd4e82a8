"""A rated inspection made without a parsed report: the body, the ratings, the recommendations.

Today's reports rate standards and address recommendations to named people and bodies; they
are not read by the ESI report reader. The secretary types the inspected body, the framework,
the publication date and each standard's rating, and pastes the recommendations
(:func:`esi_desktop.report.pasted.split_recommendations` splits them; the preview corrects the
split). :func:`create_rated_inspection` stores it all in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import peewee

from db.models import CriterionResult, Inspection, OverallRating, Recommendation, database_proxy
from esi_desktop import audit, backups
from esi_desktop.errors import EsiError, ValidationError
from esi_desktop.frameworks import get_rated_framework
from esi_desktop.inspections import BASELINE
from esi_desktop.rated_frameworks import NOT_RATED, OverallRule
from esi_desktop.rating import RatedResult, rate

#: The longest inspected body's name kept (a pasted paragraph is not a name).
LONGEST_BODY = 200


@dataclass(frozen=True)
class NewRecommendation:
    """A recommendation as the preview left it.

    Attributes:
        text: its words.
        addressee: the person or body it is addressed to ("Management Board").
        stem: the heading printed above it ("The Management Board should:"), or "".
    """

    text: str
    addressee: str
    stem: str = ""


@dataclass(frozen=True)
class NewRatedInspection:
    """What was stored: the inspection's id and what its ratings add up to."""

    inspection_id: int
    result: RatedResult
    recommendations: int


def report_title_for(body: str) -> str:
    """The title a rated inspection is given when none is typed."""
    return f"Inspection of {body}"


def create_rated_inspection(
    *,
    framework_id: str,
    body: str,
    published: date,
    ratings: Mapping[str, str],
    recommendations: Sequence[NewRecommendation],
    overall: str | None = None,
    report_title: str = "",
    agreed_response_due: date | None = None,
    agreed_response_reason: str = "",
) -> NewRatedInspection:
    """Store a rated inspection, its ratings and its recommendations, all or nothing.

    Args:
        framework_id: a shipped rated framework ("hmip-youth-2021").
        body: the inspected body ("Reading Youth Justice Service").
        published: the report's publication date.
        ratings: each standard's rating by code (name or short form; "not rated" where the
            framework allows it).
        recommendations: in report order; numbered 1, 2, … as stored.
        overall: the overall rating as published (needed when the framework's rule is not
            public; checked against the bands otherwise).
        report_title: the report's title; "Inspection of <body>" when empty.
        agreed_response_due: the date the Board agreed to send its response, when the
            framework fixes none (it may be set later on the inspection record).
        agreed_response_reason: why that date (who agreed it).

    Raises:
        ValidationError: a field is missing or wrong (one sentence naming it); nothing stored.
        FrameworkError: the framework is unknown or scored.
        BackupError: the database could not be backed up first; nothing stored.
        EsiError: the database refused the change; nothing stored.
    """
    framework = get_rated_framework(framework_id)
    body = " ".join(body.split())
    if not body:
        raise ValidationError(
            "Type the name of the inspected body (for example, Reading Youth Justice Service).",
            field="body",
        )
    if len(body) > LONGEST_BODY:
        raise ValidationError(
            f"The inspected body's name is {len(body)} characters long; shorten it to "
            f"{LONGEST_BODY} or fewer.",
            field="body",
        )
    result = rate(framework, ratings, overall=overall)
    cleaned = [
        NewRecommendation(r.text.strip(), " ".join(r.addressee.split()), r.stem.strip())
        for r in recommendations
    ]
    for number, item in enumerate(cleaned, start=1):
        if not item.text:
            raise ValidationError(
                f"Recommendation {number} has no text: type it or remove it.",
                field="recommendations",
            )
    if not cleaned:
        raise ValidationError(
            "Paste the report's recommendations: an inspection needs at least one.",
            field="recommendations",
        )
    due_months = framework.rated.response_due_months if framework.rated else None
    if agreed_response_due is not None and agreed_response_due < published:
        raise ValidationError(
            f"The agreed response date ({agreed_response_due:%d/%m/%Y}) is before the report "
            f"was published ({published:%d/%m/%Y}); correct one of them.",
            field="agreed_response_due",
        )
    backups.before_import()
    try:
        with database_proxy.atomic():
            before = audit.report_state(None)
            inspection = Inspection.create(
                area=body,
                programme=framework.short_title,
                report_title=report_title.strip() or report_title_for(body),
                published_year=published.year,
                published_month=published.month,
                published_day=published.day,
                response_due_months=due_months,
                response_due_fixed=due_months is not None,
                agreed_response_due=agreed_response_due,
                agreed_response_reason=agreed_response_reason.strip(),
            )
            CriterionResult.insert_many(
                [
                    {
                        "inspection": inspection,
                        "framework_id": framework.id,
                        "code": standard.code,
                        "round": BASELINE,
                        "rating": NOT_RATED if standard.rating is None else standard.rating.name,
                    }
                    for standard in result.standards
                ]
            ).execute()
            if result.overall_rule is OverallRule.AS_PUBLISHED and result.band is not None:
                OverallRating.create(
                    inspection=inspection,
                    framework_id=framework.id,
                    round=BASELINE,
                    rating=result.band,
                )
            Recommendation.insert_many(
                [
                    {
                        "inspection": inspection,
                        "reference": str(number),
                        "text": item.text,
                        "stem": item.stem,
                        "addressee": item.addressee,
                        "framework_id": framework.id,
                        "position": number - 1,
                    }
                    for number, item in enumerate(cleaned, start=1)
                ]
            ).execute()
            audit.record(audit.import_entries(int(inspection.id), before))
    except peewee.DatabaseError as exc:
        raise EsiError(
            f"The database refused the new inspection ({exc}); nothing was stored. "
            "Check that the database is reachable and not read-only, then try again."
        ) from exc
    return NewRatedInspection(int(inspection.id), result, len(cleaned))
