"""Use cases for the follow-up inspection: its date and status, its results, the comparison."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import peewee

from db.models import CriterionResult, FollowUpInspection, database_proxy
from esi_desktop import audit
from esi_desktop.errors import EsiError, ValidationError
from esi_desktop.frameworks import get_framework
from esi_desktop.inspections import BASELINE, frameworks_of, get_inspection, stored_results
from esi_desktop.plan import Change, _update, publication_date
from esi_desktop.rules import FollowUpStatus
from esi_desktop.scoring import FrameworkDeltas, Result, check_result, compare

FIRST_FOLLOW_UP = 1


@dataclass(frozen=True)
class FollowUpView:
    """The follow-up inspection as recorded (round 1 unless told otherwise)."""

    round: int
    planned_date: date | None
    status: str
    version: int | None  # None until something is recorded


def get_follow_up(*, inspection_id: int, round: int = FIRST_FOLLOW_UP) -> FollowUpView:
    """The follow-up inspection's date and status ("Not yet scheduled" until recorded)."""
    get_inspection(inspection_id=inspection_id)
    row = FollowUpInspection.get_or_none(
        (FollowUpInspection.inspection == inspection_id) & (FollowUpInspection.round == round)
    )
    if row is None:
        return FollowUpView(round, None, FollowUpStatus.NOT_SCHEDULED.value, None)
    return FollowUpView(round, row.planned_date, row.status, row.version)


def set_follow_up(
    *,
    inspection_id: int,
    planned_date: date | None,
    status: str,
    expected_version: int | None = None,
    round: int = FIRST_FOLLOW_UP,
) -> Change:
    """Record the follow-up's planned date and status.

    Raises:
        ValidationError: an unknown status, a date before publication, or Scheduled without
            a date; nothing is written.
    """
    if status not in {s.value for s in FollowUpStatus}:
        raise ValidationError(
            f"{status!r} is not a follow-up status (Not yet scheduled, Scheduled, Fieldwork, "
            "Reported).",
            "status",
        )
    inspection = get_inspection(inspection_id=inspection_id)
    if planned_date is not None and planned_date < publication_date(inspection):
        raise ValidationError(
            f"The follow-up date {planned_date:%d/%m/%Y} is before the report was published; "
            "choose a later date.",
            "planned_date",
        )
    if status != FollowUpStatus.NOT_SCHEDULED and planned_date is None:
        raise ValidationError(
            f"A follow-up that is {status} needs its planned date.", "planned_date"
        )
    with database_proxy.atomic():
        row = FollowUpInspection.get_or_none(
            (FollowUpInspection.inspection == inspection_id) & (FollowUpInspection.round == round)
        )
        if row is None:
            row = FollowUpInspection.create(
                inspection=inspection_id, round=round, planned_date=planned_date, status=status
            )
            blank = {"planned_date": None, "status": FollowUpStatus.NOT_SCHEDULED.value}
            audit.record(
                audit.changes(
                    audit.follow_up_item(inspection_id, round),
                    blank,
                    {"planned_date": planned_date, "status": status},
                    action=audit.CREATE,
                )
            )
            return Change(row.id, blank, row.version)
        previous, version = _update(
            row, {"planned_date": planned_date, "status": status}, expected_version, "follow-up"
        )
        return Change(row.id, previous, version)


def parse_result_text(framework_id: str, code: str, text: str) -> Result | None:
    """A result typed in a grid cell: "46", "46%", "partly met"; empty clears it.

    Raises:
        ValidationError: the text is not a valid result for that criterion.
    """
    framework = get_framework(framework_id)
    cleaned = text.strip()
    if not cleaned:
        return None
    value: Any = cleaned
    number = cleaned.removesuffix("%").strip()
    if number.lstrip("-").isdigit():
        value = int(number)
    try:
        return check_result(framework, code, value)
    except ValueError as exc:
        raise ValidationError(str(exc), code) from None


def set_follow_up_result(
    *,
    inspection_id: int,
    framework_id: str,
    code: str,
    value: Result | None,
    round: int = FIRST_FOLLOW_UP,
) -> Result | None:
    """Record (or clear, with None) a criterion's follow-up result.

    Returns:
        The previous value, to undo.

    Raises:
        ValidationError: the value is not valid for the criterion; nothing is written.
    """
    framework = get_framework(framework_id)
    if round == BASELINE:
        raise ValidationError("Baseline results come from the report; import it to change them.")
    clean: Result | None = None
    if value is not None:
        try:
            clean = check_result(framework, code, value)
        except ValueError as exc:
            raise ValidationError(str(exc), code) from None
    try:
        with database_proxy.atomic():
            get_inspection(inspection_id=inspection_id)
            if framework_id not in {f.id for f in frameworks_of(inspection_id=inspection_id)}:
                raise ValidationError(
                    f"This inspection has no {framework.short_title} results; a follow-up "
                    "can only re-score the frameworks of the report.",
                    code,
                )
            where = (
                (CriterionResult.inspection == inspection_id)
                & (CriterionResult.framework_id == framework_id)
                & (CriterionResult.code == code)
                & (CriterionResult.round == round)
            )
            row = CriterionResult.get_or_none(where)
            previous: Result | None = None
            if row is not None:
                previous = row.percent if row.percent is not None else row.rating
                row.delete_instance()
            if clean is not None:
                CriterionResult.create(
                    inspection=inspection_id,
                    framework_id=framework_id,
                    code=code,
                    round=round,
                    percent=clean if isinstance(clean, int) else None,
                    rating=clean if isinstance(clean, str) else None,
                )
            item = audit.follow_up_item(inspection_id)
            field = audit.result_field(framework_id, code, round)
            audit.record(audit.changes(item, {field: previous}, {field: clean}))
    except peewee.IntegrityError as exc:  # pragma: no cover - guarded by check_result
        raise EsiError(f"The result for {code} could not be stored ({exc}).") from None
    return previous


def follow_up_comparison(
    *, inspection_id: int, round: int = FIRST_FOLLOW_UP
) -> list[FrameworkDeltas]:
    """Baseline against follow-up for every framework the inspection has."""
    baseline = stored_results(inspection_id=inspection_id, round=BASELINE)
    follow_up = stored_results(inspection_id=inspection_id, round=round)
    return [
        compare(framework, baseline.get(framework.id, {}), follow_up.get(framework.id, {}))
        for framework in frameworks_of(inspection_id=inspection_id)
    ]
