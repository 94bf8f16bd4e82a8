"""Use cases for importing an inspection report: preview, cross-check and store.

Storing is one transaction. A report already stored (same area and publication month) is
refreshed in place only when the caller says so: its text, results, findings and figures are
replaced, while every Board response, action and milestone is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee

from db.models import (
    ActionRecommendation,
    BoardResponse,
    CriterionResult,
    Finding,
    Inspection,
    NationalTarget,
    PublishedScore,
    Recommendation,
    RecommendationCriterion,
    as_tuples,
    database_proxy,
)
from esi_desktop import audit, backups
from esi_desktop.errors import EsiError, ReportParseError
from esi_desktop.frameworks import get_framework
from esi_desktop.inspections import BASELINE
from esi_desktop.report.parse import parse_report_file
from esi_desktop.report.results import ParsedRecommendation, ParsedReport
from esi_desktop.resources import SAMPLE_REPORT
from esi_desktop.scoring import score
from esi_desktop.suggest import suggest_for_all
from esi_desktop.wording import ESI_ADDRESSEE

PROGRAMME = "Effective Supervision Inspection"
#: Rows per INSERT statement: well under the oldest SQLite's 999 values a statement.
_ROWS_PER_INSERT = 50


class DuplicateInspectionError(EsiError):
    """The report is already stored; the caller must choose to refresh it."""

    def __init__(self, message: str, inspection_id: int) -> None:
        super().__init__(message)
        self.inspection_id = inspection_id


def cross_check(parsed: ParsedReport) -> list[str]:
    """Compare the published section and overall figures with the scoring engine's.

    Returns:
        One warning per figure that differs or cannot be computed, naming the figure.
    """
    warnings: list[str] = []
    for framework_id, parsed_framework in parsed.frameworks.items():
        framework = get_framework(framework_id)
        computed = score(framework, parsed_framework.criteria)
        label = "" if framework.report_heading is None else f" ({framework.short_title})"
        for code, printed in parsed_framework.published_sections.items():
            section = computed.sections.get(code)
            if section is None:
                warnings.append(
                    f"Score for section {code}{label}: the report prints {printed}%, "
                    "but the framework has no scored section with that code."
                )
            elif section.percent is None:
                missing = ", ".join(section.missing)
                warnings.append(
                    f"Score for section {code}{label}: the report says {printed}%, "
                    f"but its criteria cannot be scored (no result for {missing})."
                )
            elif section.percent != printed:
                warnings.append(
                    f"Score for section {code}{label}: the report says {printed}%, "
                    f"its criteria give {section.percent}%."
                )
        printed_overall = parsed_framework.published_overall
        if printed_overall is not None and computed.overall != printed_overall:
            given = (
                "cannot be computed" if computed.overall is None else f"give {computed.overall}%"
            )
            warnings.append(
                f"Overall score{label}: the report says {printed_overall}%, its criteria {given}."
            )
    return warnings


@dataclass(frozen=True)
class ImportPreview:
    """What an import would store, shown to the user before confirming."""

    parsed: ParsedReport
    warnings: tuple[str, ...]
    existing_inspection_id: int | None

    def counts(self) -> dict[str, int]:
        """Numbers a person checks at a glance."""
        return {
            "recommendations": len(self.parsed.recommendations),
            "criteria": sum(len(f.criteria) for f in self.parsed.frameworks.values()),
            "findings": sum(
                1 + len(f.strengths) + len(f.improvements) for f in self.parsed.findings
            ),
            "national targets": len(self.parsed.national_targets),
        }


def find_existing(parsed: ParsedReport) -> int | None:
    """The id of a stored inspection with the same area and publication month, if any."""
    row = Inspection.get_or_none(
        (Inspection.area == parsed.area)
        & (Inspection.published_year == parsed.published_year)
        & (Inspection.published_month == parsed.published_month)
    )
    return None if row is None else int(row.id)


def preview_report(
    *,
    path: Path,
    progress: Callable[[int, int], None] | None = None,
    look_up_existing: bool = True,
) -> ImportPreview:
    """Read a report file and say what importing it would do; stores nothing.

    Args:
        path: the report, text or PDF.
        progress: called with (pages read, pages) while a PDF is read.
        look_up_existing: ask the open database whether the report is already stored
            (false when no database is open, as in a dry run).

    Raises:
        ReportParseError: the file is not a readable ESI report.
    """
    parsed = parse_report_file(path, progress=progress)
    return preview_parsed(parsed, look_up_existing=look_up_existing)


def check_criterion_codes(parsed: ParsedReport) -> None:
    """Refuse a report whose criterion codes are not all codes of their frameworks.

    Raises:
        ReportParseError: naming the first code that is not, where it was found and what to do.
    """
    for framework_id, parsed_framework in parsed.frameworks.items():
        framework = get_framework(framework_id)
        where = (
            "a result of the scoring summary sheet"
            if framework.report_heading is None
            else f'a result of the "{framework.report_heading}" part'
        )
        for code in parsed_framework.criteria:
            if not framework.has_criterion(code):
                raise _not_a_criterion(code, where, framework.short_title)
    for finding in parsed.findings:
        framework = get_framework(finding.framework_id)
        if not framework.has_criterion(finding.code):
            where = "findings read from the report"
            raise _not_a_criterion(finding.code, where, framework.short_title)


def _not_a_criterion(code: str, where: str, framework: str) -> ReportParseError:
    return ReportParseError(
        f"{code} ({where}) is not a criterion of the {framework} framework, so the report "
        "cannot be stored. Check that the file is an ESI report of this framework and that "
        "the code is printed correctly in it."
    )


def preview_parsed(parsed: ParsedReport, *, look_up_existing: bool = True) -> ImportPreview:
    """The preview of an already parsed report.

    Raises:
        ReportParseError: a criterion code is not one of its framework's.
    """
    check_criterion_codes(parsed)
    warnings = (*parsed.warnings, *cross_check(parsed))
    existing = find_existing(parsed) if look_up_existing else None
    return ImportPreview(parsed, warnings, existing)


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did."""

    inspection_id: int
    refreshed: bool
    warnings: tuple[str, ...]
    kept_recommendations: tuple[str, ...] = ()


def import_report(*, preview: ImportPreview, refresh: bool = False) -> ImportOutcome:
    """Store a previewed report in one transaction.

    Args:
        preview: from :func:`preview_report`.
        refresh: when the report is already stored, refresh it in place (keeping the Board's
            responses, actions and milestones). Without it a duplicate is refused.

    Raises:
        DuplicateInspectionError: the report is already stored and ``refresh`` is false.
        BackupError: the database could not be backed up first; nothing was stored.
        ReportParseError: a criterion code is not one of its framework's; nothing was stored.
    """
    check_criterion_codes(preview.parsed)
    backups.before_import()
    try:
        return _store(preview, refresh)
    except peewee.DatabaseError as exc:
        raise EsiError(
            f"The database refused the import ({exc}); nothing was stored. "
            "Check that the database is reachable and not read-only, then try again."
        ) from exc


def _store(preview: ImportPreview, refresh: bool) -> ImportOutcome:
    parsed = preview.parsed
    with database_proxy.atomic():
        existing = find_existing(parsed)
        if existing is not None and not refresh:
            raise DuplicateInspectionError(
                f"The {parsed.area} report of {parsed.published} is already in this database. "
                "Choose to refresh it (responses and actions are kept) or cancel.",
                existing,
            )
        before = audit.report_state(existing)
        if existing is None:
            inspection = Inspection.create(**_inspection_fields(parsed))
            kept: tuple[str, ...] = ()
        else:
            inspection = Inspection.get_by_id(existing)
            for name, value in _inspection_fields(parsed).items():
                setattr(inspection, name, value)
            inspection.version += 1
            inspection.save()
            for model in (CriterionResult, Finding, PublishedScore, NationalTarget):
                condition = model.inspection == inspection
                if model is CriterionResult:
                    condition &= CriterionResult.round == BASELINE
                model.delete().where(condition).execute()
            kept = _refresh_recommendations(inspection, parsed)
        _store_children(inspection, parsed, with_recommendations=existing is None)
        audit.record(audit.import_entries(inspection.id, before))
    return ImportOutcome(int(inspection.id), existing is not None, preview.warnings, kept)


def _inspection_fields(parsed: ParsedReport) -> dict[str, Any]:
    return {
        "area": parsed.area,
        "programme": PROGRAMME,
        "report_title": parsed.title,
        "published_year": parsed.published_year,
        "published_month": parsed.published_month,
        "response_due_months": parsed.next_steps.response_due_months,
        "implementation_months": parsed.next_steps.implementation_months,
        "follow_up_expected": parsed.next_steps.follow_up_expected,
    }


def _store_children(
    inspection: Inspection, parsed: ParsedReport, *, with_recommendations: bool
) -> None:
    results = []
    scores = []
    for framework_id, parsed_framework in parsed.frameworks.items():
        for code, value in parsed_framework.criteria.items():
            results.append(
                {
                    "inspection": inspection,
                    "framework_id": framework_id,
                    "code": code,
                    "round": BASELINE,
                    "percent": value if isinstance(value, int) else None,
                    "rating": value if isinstance(value, str) else None,
                }
            )
        for section, percent in parsed_framework.published_sections.items():
            scores.append(
                {
                    "inspection": inspection,
                    "framework_id": framework_id,
                    "section": section,
                    "percent": percent,
                }
            )
        if parsed_framework.published_overall is not None:
            scores.append(
                {
                    "inspection": inspection,
                    "framework_id": framework_id,
                    "section": "overall",
                    "percent": parsed_framework.published_overall,
                }
            )
    findings = []
    for criterion in parsed.findings:
        texts = [("description", criterion.description)] if criterion.description else []
        texts += [("strength", text) for text in criterion.strengths]
        texts += [("improvement", text) for text in criterion.improvements]
        for position, (kind, text) in enumerate(texts):
            findings.append(
                {
                    "inspection": inspection,
                    "framework_id": criterion.framework_id,
                    "code": criterion.code,
                    "kind": kind,
                    "position": position,
                    "text": text,
                }
            )
    targets = [
        {
            "inspection": inspection,
            "position": position,
            "measure": row.measure,
            "target": row.target,
            "area_result": row.area,
            "national_average": row.national_average,
        }
        for position, row in enumerate(parsed.national_targets)
    ]
    for model, rows in (
        (CriterionResult, results),
        (PublishedScore, scores),
        (Finding, findings),
        (NationalTarget, targets),
    ):
        for start in range(0, len(rows), 100):
            model.insert_many(rows[start : start + 100]).execute()
    if with_recommendations:
        _create_recommendations(
            inspection, list(enumerate(parsed.recommendations)), suggested_criteria(parsed)
        )


def suggested_criteria(parsed: ParsedReport) -> dict[str, list[str]]:
    """The criteria each recommendation seems to target, from the report's findings."""
    suggestions: dict[str, list[str]] = {}
    for framework_id in parsed.frameworks:
        framework = get_framework(framework_id)
        titles = {c.code: c.title for c in framework.criteria}
        findings = {
            f.code: [f.description, *f.improvements]
            for f in parsed.findings
            if f.framework_id == framework_id
        }
        own = [(r.ref, r.text) for r in parsed.recommendations if r.framework_id == framework_id]
        suggestions.update(suggest_for_all(own, titles, findings))
    return suggestions


def _create_recommendations(
    inspection: Inspection,
    numbered: list[tuple[int, ParsedRecommendation]],
    suggestions: dict[str, list[str]],
    *,
    stored_ids: Collection[int] = (),
) -> None:
    """Store recommendations of the report (position, recommendation), with the criteria each
    seems to target, a few statements for them all rather than several each.

    Args:
        stored_ids: the ids of the inspection's recommendations stored before, told apart
            from the new rows when their ids are read back.
    """
    if not numbered:
        return
    rows = [
        {
            "inspection": inspection,
            "reference": recommendation.ref,
            "text": recommendation.text,
            "stem": recommendation.stem,
            "addressee": ESI_ADDRESSEE,
            "framework_id": recommendation.framework_id,
            "position": position,
        }
        for position, recommendation in numbered
    ]
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        Recommendation.insert_many(rows[start : start + _ROWS_PER_INSERT]).execute()
    # the new rows' ids, by the (position, reference) they were stored with
    created = {
        (position, reference): row_id
        for row_id, position, reference in as_tuples(
            Recommendation.select(
                Recommendation.id, Recommendation.position, Recommendation.reference
            ).where(Recommendation.inspection == inspection)
        )
        if row_id not in stored_ids
    }
    criteria = [
        {
            "recommendation": created[(position, recommendation.ref)],
            "framework_id": recommendation.framework_id,
            "code": code,
        }
        for position, recommendation in numbered
        for code in suggestions.get(recommendation.ref, [])
    ]
    for start in range(0, len(criteria), _ROWS_PER_INSERT):
        RecommendationCriterion.insert_many(criteria[start : start + _ROWS_PER_INSERT]).execute()


def _refresh_recommendations(inspection: Inspection, parsed: ParsedReport) -> tuple[str, ...]:
    """Update recommendation texts in place, keeping their ids (and so their responses).

    Returns:
        References no longer in the report that were kept because the Board has worked on
        them (a response or an action); the others are removed.
    """
    stored = {
        r.reference: r
        for r in Recommendation.select().where(Recommendation.inspection == inspection)
    }
    stored_ids = {int(row.id) for row in stored.values()}
    new: list[tuple[int, ParsedRecommendation]] = []
    for position, recommendation in enumerate(parsed.recommendations):
        row = stored.pop(recommendation.ref, None)
        if row is None:
            new.append((position, recommendation))
        elif (row.text, row.stem, row.framework_id, row.position) != (
            recommendation.text,
            recommendation.stem,
            recommendation.framework_id,
            position,
        ):
            row.text = recommendation.text
            row.stem = recommendation.stem
            row.framework_id = recommendation.framework_id
            row.position = position
            row.version += 1
            row.save()
    if new:
        _create_recommendations(inspection, new, suggested_criteria(parsed), stored_ids=stored_ids)
    kept = []
    for reference, row in stored.items():
        has_response = BoardResponse.select().where(BoardResponse.recommendation == row).exists()
        has_action = (
            ActionRecommendation.select().where(ActionRecommendation.recommendation == row).exists()
        )
        if has_response or has_action:
            kept.append(reference)
        else:
            row.delete_instance(recursive=True)
    return tuple(kept)


def preview_document(preview: ImportPreview) -> dict[str, Any]:
    """A dry run's result as plain data (the shape of ``import --dry-run --json``)."""
    parsed = preview.parsed
    return {
        "area": parsed.area,
        "published": parsed.published,
        "title": parsed.title,
        "frameworks": {
            framework_id: {
                "criteria": dict(f.criteria),
                "sections": dict(f.published_sections),
                "overall": f.published_overall,
            }
            for framework_id, f in parsed.frameworks.items()
        },
        "recommendations": [
            {"ref": r.ref, "framework": r.framework_id, "stem": r.stem, "text": r.text}
            for r in parsed.recommendations
        ],
        "next_steps": {
            "response_due_months": parsed.next_steps.response_due_months,
            "implementation_months": parsed.next_steps.implementation_months,
            "follow_up_expected": parsed.next_steps.follow_up_expected,
        },
        "national_targets": [
            {
                "measure": t.measure,
                "target": t.target,
                "area": t.area,
                "national_average": t.national_average,
            }
            for t in parsed.national_targets
        ],
        "counts": preview.counts(),
        "already_stored": preview.existing_inspection_id,
        "warnings": list(preview.warnings),
    }


def load_sample() -> ImportOutcome:
    """Load the sample inspection (the reference report) through the importer.

    Loading it again refreshes it; the Board's work on it is kept.
    """
    preview = preview_report(path=SAMPLE_REPORT)
    return import_report(preview=preview, refresh=True)
