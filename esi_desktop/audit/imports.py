"""What an import changed: the stored report before and after, compared field by field.

An import records the inspection, each recommendation and each baseline result it created,
changed or removed, and one entry for each of the findings, published scores and national
targets when they changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from db.models import (
    CriterionResult,
    Finding,
    Inspection,
    NationalTarget,
    PublishedScore,
    Recommendation,
    as_dicts,
    as_tuples,
)
from esi_desktop.audit.entries import Entry, ItemRef, changes, created, deleted
from esi_desktop.audit.labels import CREATE, DELETE, UPDATE, format_value, result_field
from esi_desktop.audit.rows import describe_recommendation
from esi_desktop.wording import INSPECTION, RECOMMENDATION, plural


@dataclass(frozen=True)
class ReportState:
    """What an import writes for one inspection, to compare before and after it."""

    inspection: dict[str, Any]
    recommendations: dict[str, dict[str, Any]]  # by reference
    baseline: dict[tuple[str, str], Any]  # (framework, code) -> percent or rating
    findings: list[tuple[Any, ...]]
    published_scores: list[tuple[Any, ...]]
    national_targets: list[tuple[Any, ...]]


_INSPECTION_FIELDS = ("area", "programme", "report_title", "published_year", "published_month",
                      "published_day", "response_due_months", "implementation_months",
                      "follow_up_expected")  # fmt: skip
_RECOMMENDATION_FIELDS = ("stem", "text", "framework_id", "position")


def report_state(inspection_id: int | None, *, report_text: bool = True) -> ReportState:
    """What the database holds of an imported report (empty for None: a new report).

    Args:
        inspection_id: the stored inspection, or None.
        report_text: read the findings, published scores and national targets too.
    """
    if inspection_id is None:
        return ReportState({}, {}, {}, [], [], [])
    inspection = Inspection.get_by_id(inspection_id)
    recommendations = {
        row["reference"]: row
        for row in as_dicts(
            Recommendation.select(
                Recommendation.id,
                Recommendation.reference,
                Recommendation.stem,
                Recommendation.text,
                Recommendation.framework_id,
                Recommendation.position,
            ).where(Recommendation.inspection == inspection_id)
        )
    }
    baseline = {
        (framework_id, code): percent if percent is not None else rating
        for framework_id, code, percent, rating in as_tuples(
            CriterionResult.select(
                CriterionResult.framework_id,
                CriterionResult.code,
                CriterionResult.percent,
                CriterionResult.rating,
            ).where((CriterionResult.inspection == inspection_id) & (CriterionResult.round == 0))
        )
    }
    fields = {name: getattr(inspection, name) for name in _INSPECTION_FIELDS}
    if not report_text:
        return ReportState(fields, recommendations, baseline, [], [], [])
    findings = as_tuples(
        Finding.select(Finding.framework_id, Finding.code, Finding.kind, Finding.position,
                       Finding.text)
        .where(Finding.inspection == inspection_id)
        .order_by(Finding.framework_id, Finding.code, Finding.position)
    )  # fmt: skip
    scores = as_tuples(
        PublishedScore.select(
            PublishedScore.framework_id, PublishedScore.section, PublishedScore.percent
        )
        .where(PublishedScore.inspection == inspection_id)
        .order_by(PublishedScore.framework_id, PublishedScore.section)
    )
    targets = as_tuples(
        NationalTarget.select(NationalTarget.position, NationalTarget.measure,
                              NationalTarget.target, NationalTarget.area_result,
                              NationalTarget.national_average)
        .where(NationalTarget.inspection == inspection_id)
        .order_by(NationalTarget.position)
    )  # fmt: skip
    return ReportState(fields, recommendations, baseline, findings, scores, targets)


def import_entries(inspection_id: int, before: ReportState) -> list[Entry]:
    """What an import changed, from what was stored before it (:func:`report_state`).

    Returns:
        Entries for the inspection, each recommendation and baseline result created, changed
        or removed, and one for each of the findings, published scores and national targets
        when a refresh changed them.
    """
    after = report_state(inspection_id, report_text=bool(before.inspection))
    item = ItemRef(INSPECTION, inspection_id, inspection_id)
    found: list[Entry] = []
    if not before.inspection:
        values = after.inspection
        found.append(
            created(item, f"{values['area']}: {values['report_title']} (published "
                          f"{values['published_year']}-{values['published_month']:02d})")
        )  # fmt: skip
    else:
        found += changes(item, before.inspection, after.inspection)
    for reference, row in after.recommendations.items():
        old = before.recommendations.get(reference)
        ref = ItemRef(RECOMMENDATION, int(row["id"]), inspection_id)
        if old is None:
            found.append(created(ref, describe_recommendation(row)))
        else:
            found += changes(
                ref,
                {name: old[name] for name in _RECOMMENDATION_FIELDS},
                {name: row[name] for name in _RECOMMENDATION_FIELDS},
            )
    for reference, old in before.recommendations.items():
        if reference not in after.recommendations:
            ref = ItemRef(RECOMMENDATION, int(old["id"]), inspection_id)
            found.append(deleted(ref, describe_recommendation(old)))
    for key in sorted({*before.baseline, *after.baseline}):
        previous, value = before.baseline.get(key), after.baseline.get(key)
        if format_value(previous) != format_value(value):
            action = CREATE if previous is None else DELETE if value is None else UPDATE
            found.append(
                Entry(INSPECTION, inspection_id, inspection_id, result_field(*key, 0),
                      format_value(previous), format_value(value), action)
            )  # fmt: skip
    if before.inspection:
        for name, word in (
            ("findings", "finding"),
            ("published_scores", "published score"),
            ("national_targets", "national target"),
        ):
            old_rows, new_rows = getattr(before, name), getattr(after, name)
            if old_rows != new_rows:
                old_text = plural(len(old_rows), word)
                new_text = plural(len(new_rows), word)
                if old_text == new_text:
                    new_text += " (reworded)"
                found.append(
                    Entry(INSPECTION, inspection_id, inspection_id, name, old_text, new_text,
                          UPDATE)
                )  # fmt: skip
    return found
