"""Use cases for the follow-up inspections: their dates and status, results and comparisons.

An inspection has follow-up rounds 1, 2 ... (a follow-up, then perhaps a re-inspection), each
with its own date, status and results; each is compared with the baseline and, from the
second on, with the round before it (:func:`round_comparison`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import peewee

from db.models import (
    CriterionResult,
    FollowUpInspection,
    OverallRating,
    database_proxy,
    utc_now,
)
from esi_desktop import audit
from esi_desktop.errors import ValidationError
from esi_desktop.frameworks import Framework, get_framework
from esi_desktop.inspections import (
    BASELINE,
    frameworks_of,
    get_inspection,
    publication_date,
    stored_results,
)
from esi_desktop.rules import FollowUpStatus
from esi_desktop.scoring import FrameworkDeltas, Result, check_result, compare, describe_result
from esi_desktop.versioned import (
    Change,
    ConflictError,
    Snapshot,
    quoted,
    save_row,
    snapshot_of,
    stale_edit,
)
from esi_desktop.wording import long_date

FIRST_FOLLOW_UP = 1
FOLLOW_UP_KIND = "Follow-up"
RE_INSPECTION = "Re-inspection"
#: The kinds of follow-up round, as the Inspectorate names them.
ROUND_KINDS = (FOLLOW_UP_KIND, RE_INSPECTION)


@dataclass(frozen=True)
class FollowUpView:
    """The follow-up inspection as recorded (round 1 unless told otherwise)."""

    round: int
    planned_date: date | None
    status: str
    version: int | None  # None until something is recorded
    kind: str = FOLLOW_UP_KIND

    @property
    def label(self) -> str:
        """ "Round 2: Re-inspection, 4 September 2006" (or "…, not yet scheduled")."""
        when = long_date(self.planned_date) if self.planned_date else self.status.lower()
        return f"Round {self.round}: {self.kind}, {when}"


def _unrecorded(round: int) -> FollowUpView:
    """A round nothing was recorded for: not yet scheduled."""
    return FollowUpView(round, None, FollowUpStatus.NOT_SCHEDULED.value, None)


def _view(row: FollowUpInspection) -> FollowUpView:
    return FollowUpView(row.round, row.planned_date, row.status, row.version, row.kind)


def get_follow_up(*, inspection_id: int, round: int = FIRST_FOLLOW_UP) -> FollowUpView:
    """The follow-up inspection's date and status ("Not yet scheduled" until recorded)."""
    get_inspection(inspection_id=inspection_id)
    row = FollowUpInspection.get_or_none(
        (FollowUpInspection.inspection == inspection_id) & (FollowUpInspection.round == round)
    )
    if row is None:
        return _unrecorded(round)
    return _view(row)


def list_rounds(*, inspection_id: int) -> list[FollowUpView]:
    """Every follow-up round in order; round 1 is always there (not yet scheduled until
    recorded)."""
    get_inspection(inspection_id=inspection_id)
    rows = [
        _view(row)
        for row in FollowUpInspection.select()
        .where(FollowUpInspection.inspection == inspection_id)
        .order_by(FollowUpInspection.round)
    ]
    if not rows or rows[0].round != FIRST_FOLLOW_UP:  # round 1, nothing recorded yet
        rows.insert(0, _unrecorded(FIRST_FOLLOW_UP))
    return rows


def latest_round(*, inspection_id: int) -> FollowUpView:
    """The last follow-up round (round 1 when no other was added)."""
    return list_rounds(inspection_id=inspection_id)[-1]


def check_round(*, inspection_id: int, round: int, baseline: bool = False) -> None:
    """Refuse a follow-up round the inspection does not have: round 1 it always has, a later
    one once added (:func:`add_round`); ``baseline`` allows round 0, the report itself.

    Raises:
        ValidationError: there is no such round; nothing is written.
    """
    if round == FIRST_FOLLOW_UP or (baseline and round == BASELINE):
        return
    rounds = FollowUpInspection.select().where(FollowUpInspection.inspection == inspection_id)
    if round < FIRST_FOLLOW_UP or not rounds.where(FollowUpInspection.round == round).exists():
        raise ValidationError(
            f"This inspection has no follow-up round {round}; add the round first "
            "(Add round, in Scoring summary & follow-up), then record its results.",
            "round",
        )


def _check_kind(kind: str) -> None:
    if kind not in ROUND_KINDS:
        raise ValidationError(
            f"{kind!r} is not a kind of follow-up round; choose {' or '.join(ROUND_KINDS)}.",
            "kind",
        )


def add_round(*, inspection_id: int, kind: str) -> FollowUpView:
    """Add the next follow-up round (a follow-up or a re-inspection), not yet scheduled:
    the one after the last recorded, and at least round 2 (round 1 is always there).

    Raises:
        ValidationError: an unknown kind; nothing is written.
        NotFoundError: there is no such inspection.
    """
    _check_kind(kind)
    with database_proxy.atomic():
        get_inspection(inspection_id=inspection_id)
        last = (
            FollowUpInspection.select(peewee.fn.MAX(FollowUpInspection.round))
            .where(FollowUpInspection.inspection == inspection_id)
            .scalar()
        )
        number = max(int(last or 0), FIRST_FOLLOW_UP) + 1
        row = FollowUpInspection.create(
            inspection=inspection_id,
            round=number,
            kind=kind,
            status=FollowUpStatus.NOT_SCHEDULED.value,
        )
        audit.record([audit.created(audit.follow_up_item(inspection_id, number), _view(row).label)])
    return _view(row)


def remove_round(*, inspection_id: int, round: int) -> Snapshot:
    """Remove the last follow-up round, which has no results (undo of :func:`add_round`).

    Returns:
        What was removed, for :func:`esi_desktop.versioned.restore` to put back.

    Raises:
        ValidationError: the round is not the last, or has results; nothing is removed.
    """
    with database_proxy.atomic():
        rounds = list_rounds(inspection_id=inspection_id)
        if round != rounds[-1].round:
            raise ValidationError(
                f"Only the last round (round {rounds[-1].round}) can be removed; round {round} "
                "has a later round after it.",
                "round",
            )
        # an overall rating entered as published is a result of the round too: removing the
        # round would leave it behind, and a round added later would inherit it
        published = OverallRating.select().where(
            (OverallRating.inspection == inspection_id) & (OverallRating.round == round)
        )
        if result_versions(inspection_id=inspection_id, round=round) or published.exists():
            raise ValidationError(
                f"Round {round} has results; clear them first if the round was added by mistake.",
                "round",
            )
        row = FollowUpInspection.get_or_none(
            (FollowUpInspection.inspection == inspection_id) & (FollowUpInspection.round == round)
        )
        if row is None:
            return Snapshot(())
        snapshot = snapshot_of([row])
        audit.record([audit.deleted(audit.follow_up_item(inspection_id, round), _view(row).label)])
        FollowUpInspection.delete().where(FollowUpInspection.id == row.id).execute()
    return snapshot


def set_follow_up(
    *,
    inspection_id: int,
    planned_date: date | None,
    status: str,
    expected_version: int | None = None,
    overwrite: bool = False,
    round: int = FIRST_FOLLOW_UP,
    today: date | None = None,
) -> Change:
    """Record the follow-up's planned date and status.

    Args:
        expected_version: the version the person saw; None when nothing was recorded yet
            (a record someone else made meanwhile is then a conflict).
        overwrite: save over someone else's change (the person chose to).
        round: which follow-up round (1 unless told otherwise).
        today: the day it is (a Reported follow-up cannot be later); default the computer's.

    Raises:
        ValidationError: an unknown status, a date before publication, Scheduled without
            a date, Reported with a date still to come, or a round not added; nothing is written.
        ConflictError: someone else recorded or changed the follow-up meanwhile.
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
    today = today or date.today()
    if status == FollowUpStatus.REPORTED and planned_date is not None and planned_date > today:
        raise ValidationError(
            f"A follow-up marked Reported cannot have a date still to come "
            f"({planned_date:%d/%m/%Y}); give the date it took place, or choose Scheduled or "
            "Fieldwork until it has reported.",
            "status",
        )
    with database_proxy.atomic():  # the round checked and saved in one transaction
        check_round(inspection_id=inspection_id, round=round)
        return save_row(
            FollowUpInspection,
            (FollowUpInspection.inspection == inspection_id) & (FollowUpInspection.round == round),
            {"planned_date": planned_date, "status": status},
            create={"inspection": inspection_id, "round": round},
            blank={"planned_date": None, "status": FollowUpStatus.NOT_SCHEDULED.value},
            expected_version=expected_version,
            overwrite=overwrite,
            what="follow-up",
            audit_item=audit.follow_up_item(inspection_id, round),
        )


def parse_result_text(framework_id: str, code: str, text: str) -> Result | None:
    """A result typed in a grid cell: "46", "46%", "partly met"; empty clears it.

    Raises:
        ValidationError: the text is not a valid result for that criterion.
    """
    framework = get_framework(framework_id)
    cleaned = text.strip()
    if not cleaned:
        return None
    if framework.is_rated:
        from esi_desktop.rated_follow_up import rated_value  # an ESI start-up need not load it

        return rated_value(framework, code, cleaned)
    value: Any = cleaned
    number = cleaned.removesuffix("%").strip()
    if number.lstrip("-").isdigit():
        value = int(number)
    try:
        return check_result(framework, code, value)
    except ValueError as exc:
        raise ValidationError(str(exc), code) from None


@dataclass(frozen=True)
class ResultChange:
    """What recording a follow-up result did: enough to undo it.

    Attributes:
        previous: the value it replaced (None: there was none).
        version: the result's version now; None when it was cleared (no result stored).
    """

    previous: Result | None
    version: int | None


def result_versions(
    *, inspection_id: int, round: int = FIRST_FOLLOW_UP
) -> dict[tuple[str, str], int]:
    """The version of every stored result of a round, by (framework id, code): what the next
    save of each result expects (a criterion missing here has no result yet)."""
    return {
        (row.framework_id, row.code): row.version
        for row in CriterionResult.select(
            CriterionResult.framework_id, CriterionResult.code, CriterionResult.version
        ).where((CriterionResult.inspection == inspection_id) & (CriterionResult.round == round))
    }


def _value(row: CriterionResult | None) -> Result | None:
    if row is None:
        return None
    return row.percent if row.percent is not None else str(row.rating)


def _result_conflict(
    inspection_id: int, framework_id: str, code: str, round: int, now: Result | None
) -> ConflictError:
    """The refusal of a stale result: who changed it, when, and what it is now."""
    field = audit.result_field(framework_id, code, round)
    last = audit.last_change(item_kind=audit.FOLLOW_UP, item_id=inspection_id, fields=[field])
    label = audit.field_label(audit.FOLLOW_UP, field)
    state = "it is now cleared" if now is None else f"it is now {quoted(describe_result(now))}"
    changed_at = last.changed_at if last is not None else None
    return stale_edit(f"follow-up {label}", last, changed_at, state, {"value": now})


def set_follow_up_result(
    *,
    inspection_id: int,
    framework_id: str,
    code: str,
    value: Result | None,
    expected_version: int | None = None,
    overwrite: bool = False,
    round: int = FIRST_FOLLOW_UP,
) -> ResultChange:
    """Record (or clear, with None) a criterion's follow-up result.

    Args:
        expected_version: the version of the result the person saw (see
            :func:`result_versions`); None when they saw no result, so that a result someone
            else recorded meanwhile is a conflict, as a changed one is.
        overwrite: save over someone else's change (the person chose to).

    Returns:
        The previous value and the new version, to undo.

    Raises:
        ValidationError: an invalid value, or a round not added; nothing is written.
        ConflictError: someone else recorded, changed or cleared the result meanwhile.
    """
    framework = get_framework(framework_id)
    if round == BASELINE:
        raise ValidationError("Baseline results come from the report; import it to change them.")
    clean: Result | None = None
    if value is not None and framework.is_rated:
        from esi_desktop.rated_follow_up import rated_value

        clean = rated_value(framework, code, value)  # "RI" → "Requires improvement"
    elif value is not None:
        try:
            clean = check_result(framework, code, value)
        except ValueError as exc:
            raise ValidationError(str(exc), code) from None
    where = (
        (CriterionResult.inspection == inspection_id)
        & (CriterionResult.framework_id == framework_id)
        & (CriterionResult.code == code)
        & (CriterionResult.round == round)
    )
    columns = {
        "percent": clean if isinstance(clean, int) else None,
        "rating": clean if isinstance(clean, str) else None,
    }
    try:
        with database_proxy.atomic():
            get_inspection(inspection_id=inspection_id)
            check_round(inspection_id=inspection_id, round=round)
            if framework_id not in {f.id for f in frameworks_of(inspection_id=inspection_id)}:
                raise ValidationError(
                    f"This inspection has no {framework.short_title} results; a follow-up "
                    "can only re-score the frameworks of the report.",
                    code,
                )
            row = CriterionResult.get_or_none(where)
            previous = _value(row)
            seen = None if row is None else row.version
            if not overwrite and seen != expected_version:
                raise _result_conflict(inspection_id, framework_id, code, round, previous)
            version: int | None = None
            if row is not None:
                # the row as read, and only as read (another writer since then: a conflict)
                unchanged = (CriterionResult.id == row.id) & (
                    CriterionResult.version == row.version
                )
                if clean is None:
                    written = CriterionResult.delete().where(unchanged).execute()
                else:
                    version = row.version + 1
                    values = {**columns, "version": version, "updated_at": utc_now()}
                    written = CriterionResult.update(values).where(unchanged).execute()
                if written != 1:
                    raise _result_conflict(inspection_id, framework_id, code, round, previous)
            item = audit.follow_up_item(inspection_id)
            field = audit.result_field(framework_id, code, round)
            if row is None and clean is not None:
                # a result cleared and recorded again must not take a version it had before
                # (whoever still saw that version would overwrite the new result unawares):
                # it goes on from the count of its recorded changes, which only grows
                version = 1 + audit.change_count(item, field)
                CriterionResult.create(
                    inspection=inspection_id,
                    framework_id=framework_id,
                    code=code,
                    round=round,
                    version=version,
                    **columns,
                )
            audit.record(audit.changes(item, {field: previous}, {field: clean}))
    except peewee.IntegrityError:
        # two first saves met: the other one's insert committed first
        now = _value(CriterionResult.get_or_none(where))
        if overwrite:
            return set_follow_up_result(
                inspection_id=inspection_id,
                framework_id=framework_id,
                code=code,
                value=value,
                overwrite=True,
                round=round,
            )
        raise _result_conflict(inspection_id, framework_id, code, round, now) from None
    return ResultChange(previous, version)


@dataclass(frozen=True)
class RoundComparison:
    """One follow-up round compared with the baseline and with the round before it.

    Attributes:
        round: the round compared.
        previous_round: the round before it; None for the first (its previous is the
            baseline).
        against_baseline: baseline against this round, per framework.
        against_previous: the previous round against this one, per framework; empty for
            the first round.
    """

    round: int
    previous_round: int | None
    against_baseline: list[FrameworkDeltas]
    against_previous: list[FrameworkDeltas]


def round_comparison(*, inspection_id: int, round: int = FIRST_FOLLOW_UP) -> RoundComparison:
    """A round against the baseline and, from the second round on, against the one before."""
    against_baseline = follow_up_comparison(inspection_id=inspection_id, round=round)
    if round <= FIRST_FOLLOW_UP:
        return RoundComparison(round, None, against_baseline, [])
    before = stored_results(inspection_id=inspection_id, round=round - 1)
    now = stored_results(inspection_id=inspection_id, round=round)
    against_previous = [
        _compare(framework, before.get(framework.id, {}), now.get(framework.id, {}))
        for framework in frameworks_of(inspection_id=inspection_id)
    ]
    return RoundComparison(round, round - 1, against_baseline, against_previous)


def follow_up_comparison(
    *, inspection_id: int, round: int = FIRST_FOLLOW_UP
) -> list[FrameworkDeltas]:
    """Baseline against follow-up for every framework the inspection has, scored or rated.

    A rated framework's totals and overall ratings:
    :func:`esi_desktop.rated_follow_up.rated_comparison`.
    """
    baseline = stored_results(inspection_id=inspection_id, round=BASELINE)
    follow_up = stored_results(inspection_id=inspection_id, round=round)
    return [
        _compare(framework, baseline.get(framework.id, {}), follow_up.get(framework.id, {}))
        for framework in frameworks_of(inspection_id=inspection_id)
    ]


def _compare(
    framework: Framework, before: dict[str, Result], after: dict[str, Result]
) -> FrameworkDeltas:
    """Two rounds of one framework: scored ones by the scoring engine, rated ones grade by
    grade (a standard "Not rated" has no grade to compare)."""
    if framework.is_rated:
        from esi_desktop.rated_follow_up import compare_rated

        return compare_rated(framework, before, after)
    return compare(framework, before, after)
