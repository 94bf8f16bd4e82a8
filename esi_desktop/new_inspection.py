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
from pathlib import Path

import peewee

from db.models import CriterionResult, Inspection, OverallRating, Recommendation, database_proxy
from esi_desktop import audit, backups
from esi_desktop.errors import EsiError, ReportParseError, ValidationError
from esi_desktop.frameworks import Framework, get_rated_framework
from esi_desktop.inspections import BASELINE
from esi_desktop.rated_frameworks import NOT_RATED, OverallRule
from esi_desktop.rating import RatedResult, rate
from esi_desktop.report.decoding import decode_report_bytes
from esi_desktop.wording import long_date

#: The longest inspected body's name kept (a pasted paragraph is not a name).
LONGEST_BODY = 200
#: The largest recommendations file read: a report's recommendations are a few pages of text.
LARGEST_PASTE_FILE = 1_000_000


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


def read_recommendations_file(path: Path) -> str:
    """The text of a file of recommendations, as if pasted.

    UTF-8 with or without a byte-order mark, UTF-16 (Notepad's "Unicode"), else Windows-1252
    (Notepad's "ANSI" on an English Windows), as a text report is read.

    Raises:
        ValidationError: the file cannot be read, is too big to be a list of recommendations,
            or is not text (field ``recommendations``).
    """
    try:
        with path.open("rb") as stream:
            data = stream.read(LARGEST_PASTE_FILE + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ValidationError(
            f"The recommendations file {path} could not be read ({reason}); check the path "
            "and that you may read it.",
            field="recommendations",
        ) from None
    if len(data) > LARGEST_PASTE_FILE:
        raise ValidationError(
            f"The recommendations file {path} is over {LARGEST_PASTE_FILE // 1_000_000} MB, "
            "far more than a report's recommendations; save only the recommendations as "
            "text and give that file.",
            field="recommendations",
        )
    try:
        return decode_report_bytes(data)
    except ReportParseError:
        raise ValidationError(
            f"The recommendations file {path} is not text (it holds binary data); copy the "
            "recommendations into Notepad, save them as a .txt file and give that file.",
            field="recommendations",
        ) from None


@dataclass(frozen=True)
class _Checked:
    """A new rated inspection that passed every check, tidied, ready to store."""

    framework: Framework
    body: str
    result: RatedResult
    recommendations: tuple[NewRecommendation, ...]
    agreed_response_reason: str


def check_rated_inspection(
    *,
    framework_id: str,
    body: str,
    published: date,
    ratings: Mapping[str, str],
    recommendations: Sequence[NewRecommendation],
    overall: str | None = None,
    agreed_response_due: date | None = None,
    agreed_response_reason: str = "",
) -> RatedResult:
    """Check a new rated inspection without the database: what its ratings add up to.

    The checks :func:`create_rated_inspection` makes before it stores anything, except the
    one needing the database (the same inspection already stored); the command line runs
    them before it opens (and perhaps creates) the database.

    Raises:
        ValidationError: a field is missing or wrong (one sentence naming it).
        FrameworkError: the framework is unknown or scored.
    """
    return _check(
        framework_id=framework_id,
        body=body,
        published=published,
        ratings=ratings,
        recommendations=recommendations,
        overall=overall,
        agreed_response_due=agreed_response_due,
        agreed_response_reason=agreed_response_reason,
    ).result


def _check(
    *,
    framework_id: str,
    body: str,
    published: date,
    ratings: Mapping[str, str],
    recommendations: Sequence[NewRecommendation],
    overall: str | None,
    agreed_response_due: date | None,
    agreed_response_reason: str,
) -> _Checked:
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
    if result.band is None:
        raise ValidationError(
            f"Give the overall rating as the report gives it: the {framework.short_title} "
            "framework publishes no rule to compute it from the standards' ratings.",
            field="overall",
        )
    cleaned = tuple(
        NewRecommendation(r.text.strip(), " ".join(r.addressee.split()), r.stem.strip())
        for r in recommendations
    )
    for number, item in enumerate(cleaned, start=1):
        if not item.text:
            raise ValidationError(
                f"Recommendation {number} has no text: type it or remove it.",
                field="recommendations",
            )
        if not item.addressee:
            # every response and export names who a recommendation is addressed to
            raise ValidationError(
                f"Recommendation {number} is addressed to no one: give the person or body "
                "the report addresses it to (the heading above it, such as \u201cThe "
                "Management Board should:\u201d).",
                field="recommendations",
            )
    if not cleaned:
        raise ValidationError(
            "Paste the report's recommendations: an inspection needs at least one.",
            field="recommendations",
        )
    reason = " ".join(agreed_response_reason.split())
    # the rules of the inspection record (inspection_record._check_record), so that the record
    # made here can be saved again unchanged in Inspection ▸ Edit inspection…
    if agreed_response_due is not None and agreed_response_due <= published:
        raise ValidationError(
            f"The agreed response date ({agreed_response_due:%d/%m/%Y}) is not after the "
            f"report was published ({published:%d/%m/%Y}); correct one of them.",
            field="agreed_response_due",
        )
    if agreed_response_due is not None and not reason:
        raise ValidationError(
            "An agreed response date needs its reason (who agreed it, and when): type it, or "
            "clear the agreed date.",
            field="agreed_response_reason",
        )
    if agreed_response_due is None and reason:
        raise ValidationError(
            "A reason is given but no agreed response date: give the date, or clear the reason.",
            field="agreed_response_due",
        )
    return _Checked(framework, body, result, cleaned, reason)


def _refuse_duplicate(body: str, published: date) -> None:
    """Refuse a second inspection of the same body published on the same day."""
    wanted = body.casefold()
    same_day = Inspection.select(Inspection.id, Inspection.area, Inspection.archived_on).where(
        (Inspection.published_year == published.year)
        & (Inspection.published_month == published.month)
        & (Inspection.published_day == published.day)
    )
    for inspection in same_day:
        if " ".join(inspection.area.split()).casefold() == wanted:
            where = (
                " (it is archived: Inspection ▸ Show archived inspections lists it)"
                if inspection.archived_on is not None
                else ""
            )
            raise ValidationError(
                f"The inspection of {inspection.area} published on {long_date(published)} is "
                f"already stored as inspection {inspection.id}{where}; open it instead of "
                "creating it again, or correct the body's name or the publication date.",
                field="body",
            )


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
            framework fixes none (it may be set later on the inspection record); after the
            publication date.
        agreed_response_reason: why that date (who agreed it); needed with the date.

    Raises:
        ValidationError: a field is missing or wrong (one sentence naming it in ``field``:
            "body", a standard's code, "rating", "overall", "recommendations",
            "agreed_response_due" or "agreed_response_reason"), or the same body's inspection
            published on the same day is already stored ("body"); nothing stored.
        FrameworkError: the framework is unknown or scored.
        BackupError: the database could not be backed up first; nothing stored.
        EsiError: the database refused the change; nothing stored.
    """
    checked = _check(
        framework_id=framework_id,
        body=body,
        published=published,
        ratings=ratings,
        recommendations=recommendations,
        overall=overall,
        agreed_response_due=agreed_response_due,
        agreed_response_reason=agreed_response_reason,
    )
    framework, result, cleaned = checked.framework, checked.result, checked.recommendations
    body = checked.body
    due_months = framework.rated.response_due_months if framework.rated else None
    try:
        _refuse_duplicate(body, published)  # before the backup: a refusal makes nothing
        backups.before_import()
        with database_proxy.atomic():
            before = audit.report_state(None)
            inspection = Inspection.create(
                area=body,
                programme=framework.short_title,
                report_title=" ".join(report_title.split()) or report_title_for(body),
                published_year=published.year,
                published_month=published.month,
                published_day=published.day,
                response_due_months=due_months,
                response_due_fixed=due_months is not None,
                agreed_response_due=agreed_response_due,
                agreed_response_reason=checked.agreed_response_reason,
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
            if result.overall_rule is OverallRule.AS_PUBLISHED:
                OverallRating.create(
                    inspection=inspection,
                    framework_id=framework.id,
                    round=BASELINE,
                    rating=result.band or "",  # _check refused it missing
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
