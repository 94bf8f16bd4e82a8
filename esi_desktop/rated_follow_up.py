"""A rated inspection's follow-up: ratings entered per standard, compared grade by grade.

For the window (helper U) and the documents, the shapes are::

    rated_value(framework: Framework, code: str, value: object) -> str
        # "RI", "requires improvement" → "Requires improvement"; "not rated" only where allowed
    rated_comparison(*, inspection_id: int, round: int = 1, against: int | None = None)
        -> list[RatedComparison]   # one per rated framework; against: BASELINE unless given
    RatedComparison(framework, round, against, standards: tuple[StandardChange, ...],
                    before: RatedRound, after: RatedRound)
        .score_change -> int | None; .overall_change -> int | None;
        .overall_change_words -> str ("up one grade", "no change", "—"); .has_results -> bool
    StandardChange(code, title, domain, counted, before: str | None, after: str | None,
                   change: int | None)  .change_words -> str ("up one grade", "—", ...)
    set_overall_rating(*, inspection_id: int, framework_id: str, round: int,
                       rating: str | None, expected_version: int | None,
                       overwrite: bool = False) -> Change
    overall_rating_version(*, inspection_id: int, framework_id: str, round: int) -> int | None

A follow-up rating is stored as a criterion result, like the inspection's own, by
:func:`esi_desktop.follow_up.set_follow_up_result` (which asks :func:`rated_value` to check
it); the sums are :func:`esi_desktop.rating.rate`'s, read by
:func:`esi_desktop.rated_results.rated_rounds`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import peewee

from db.models import OverallRating, database_proxy, utc_now
from esi_desktop import audit
from esi_desktop.errors import ValidationError
from esi_desktop.follow_up import check_round
from esi_desktop.frameworks import Framework, get_framework
from esi_desktop.inspections import BASELINE, frameworks_of, get_inspection
from esi_desktop.rated_frameworks import NOT_RATED, OverallRule, is_not_rated
from esi_desktop.rated_results import RatedRound, rated_rounds
from esi_desktop.rating import grade_change, grade_change_words, rated_rules
from esi_desktop.scoring import CriterionDelta, FrameworkDeltas, Result, score
from esi_desktop.versioned import Change, ConflictError, quoted, stale_edit

#: How a change that cannot be worded reads (a side missing, or not rated).
NO_CHANGE_KNOWN = "—"


def rated_value(framework: Framework, code: str, value: object) -> str:
    """A standard's rating as typed, checked and written in full ("RI" → "Requires
    improvement"; "not rated" → "Not rated" where the standard may be not rated).

    Raises:
        ValidationError: one sentence naming the standard and the choices.
    """
    rules = rated_rules(framework)
    criterion = framework.criterion(code)
    may_be_not_rated = code in rules.may_be_not_rated
    name = f"standard {code} ({criterion.title})"
    text = " ".join(value.split()) if isinstance(value, str) else ""
    if text and is_not_rated(text):
        if may_be_not_rated:
            return NOT_RATED
        raise ValidationError(
            f"{name[0].upper()}{name[1:]} must be rated: choose {rules.choices()}.", code
        )
    rating = rules.rating(text) if text else None
    if rating is None:
        raise ValidationError(
            f"{value!r} is not a rating for {name}: choose "
            f"{rules.choices(not_rated=may_be_not_rated)}.",
            code,
        )
    return rating.name


def _is_grade(value: Result | None) -> bool:
    return isinstance(value, str) and not is_not_rated(value)


def _change(framework: Framework, before: Result | None, after: Result | None) -> int | None:
    if not (_is_grade(before) and _is_grade(after)):
        return None  # a side missing or not rated: no grade to move from or to
    return grade_change(framework, str(before), str(after))


def compare_rated(
    framework: Framework, before: Mapping[str, Result], after: Mapping[str, Result]
) -> FrameworkDeltas:
    """Two rounds of a rated framework as :class:`~esi_desktop.scoring.FrameworkDeltas` (the
    comparison grid's shape): each standard's change in grades, None where either side is
    missing or not rated; no percentage scores.
    """
    criteria: dict[str, CriterionDelta] = {}
    for criterion in framework.criteria:
        first, second = before.get(criterion.code), after.get(criterion.code)
        missing = tuple(
            name for name, value in (("baseline", first), ("follow-up", second)) if value is None
        )
        change = _change(framework, first, second)
        criteria[criterion.code] = CriterionDelta(criterion.code, first, second, change, missing)
    return FrameworkDeltas(
        framework.id, criteria, {}, None, score(framework, {}), score(framework, {})
    )


@dataclass(frozen=True)
class StandardChange:
    """One standard's rating in two rounds and the change of grade between them.

    Attributes:
        before: the rating in the earlier round ("Not rated" included); None if not entered.
        after: the same in the later round.
        change: grades up (positive) or down (negative); None when either side is missing
            or not rated.
    """

    code: str
    title: str
    domain: str
    counted: bool
    before: str | None
    after: str | None
    change: int | None

    @property
    def change_words(self) -> str:
        """ "up one grade", "down two grades", "no change", or "—"."""
        return NO_CHANGE_KNOWN if self.change is None else grade_change_words(self.change)


@dataclass(frozen=True)
class RatedComparison:
    """One rated framework in two rounds: per standard, and the total and overall rating.

    Attributes:
        round: the later round (1: the first follow-up).
        against: the earlier round (0: the inspection).
        standards: every standard of the framework, in order.
        before: the earlier round's ratings and result.
        after: the later round's (``after.result`` None, and ``after.problem`` saying why,
            while its ratings are incomplete).
    """

    framework: Framework
    round: int
    against: int
    standards: tuple[StandardChange, ...]
    before: RatedRound
    after: RatedRound

    @property
    def has_results(self) -> bool:
        """True when any standard is rated in the later round."""
        return bool(self.after.ratings)

    @property
    def score_change(self) -> int | None:
        """The total's change in points; None while either round is incomplete."""
        if self.before.result is None or self.after.result is None:
            return None
        return self.after.result.score - self.before.result.score

    @property
    def overall_change(self) -> int | None:
        """Grades the overall rating moved; None while either is not known."""
        first = self.before.result.band if self.before.result else None
        second = self.after.result.band if self.after.result else None
        if first is None or second is None:
            return None
        return grade_change(self.framework, first, second)

    @property
    def overall_change_words(self) -> str:
        """ "up one grade", "no change", or "—" while not known."""
        change = self.overall_change
        return NO_CHANGE_KNOWN if change is None else grade_change_words(change)


def rated_comparison(
    *, inspection_id: int, round: int = 1, against: int | None = None
) -> list[RatedComparison]:
    """Each rated framework of the inspection in ``round`` against an earlier round.

    Args:
        round: the later round (1 unless told otherwise).
        against: the earlier round; the inspection's own ratings (round 0) unless given.

    Raises:
        NotFoundError: there is no such inspection.
        ValidationError: ``against`` is not earlier than ``round``.
    """
    earlier = BASELINE if against is None else against
    if not 0 <= earlier < round:
        raise ValidationError(
            f"Round {round} can only be compared with an earlier round, not round {earlier}.",
            "round",
        )
    befores = {r.framework.id: r for r in rated_rounds(inspection_id=inspection_id, round=earlier)}
    comparisons = []
    for after in rated_rounds(inspection_id=inspection_id, round=round):
        framework = after.framework
        before = befores[framework.id]
        rules = rated_rules(framework)
        standards = tuple(
            StandardChange(
                code=c.code,
                title=c.title,
                domain=c.section,
                counted=c.code not in rules.apart,
                before=before.ratings.get(c.code),
                after=after.ratings.get(c.code),
                change=_change(framework, before.ratings.get(c.code), after.ratings.get(c.code)),
            )
            for c in framework.criteria
        )
        comparisons.append(RatedComparison(framework, round, earlier, standards, before, after))
    return comparisons


# ----- the overall rating as published ------------------------------------------------------


def _overall_where(inspection_id: int, framework_id: str, round: int) -> peewee.Expression:
    return (
        (OverallRating.inspection == inspection_id)
        & (OverallRating.framework_id == framework_id)
        & (OverallRating.round == round)
    )


def overall_rating_version(*, inspection_id: int, framework_id: str, round: int) -> int | None:
    """The version of the overall rating entered for a round, None while none is: what the
    next :func:`set_overall_rating` expects."""
    row = OverallRating.get_or_none(_overall_where(inspection_id, framework_id, round))
    return None if row is None else int(row.version)


def overall_field(framework_id: str) -> str:
    """The audit field of an overall rating entered as published (``overall:<framework>``)."""
    # imported here: the Dashboard reads this module and never loads the audit trail
    from esi_desktop.audit.labels import overall_field

    return overall_field(framework_id)


def _audit_item(inspection_id: int, round: int) -> audit.ItemRef:
    if round == BASELINE:
        return audit.item_of(get_inspection(inspection_id=inspection_id))
    return audit.follow_up_item(inspection_id, round)


def _overall_conflict(
    inspection_id: int, framework_id: str, round: int, now: str | None
) -> ConflictError:
    item = _audit_item(inspection_id, round)
    field = item.prefix + overall_field(framework_id)
    last = audit.last_change(item_kind=item.kind, item_id=inspection_id, fields=[field])
    label = audit.field_label(item.kind, field)
    state = "it is now cleared" if now is None else f"it is now {quoted(now)}"
    changed_at = last.changed_at if last is not None else None
    return stale_edit(label[0].lower() + label[1:], last, changed_at, state, {"rating": now})


def set_overall_rating(
    *,
    inspection_id: int,
    framework_id: str,
    round: int,
    rating: str | None,
    expected_version: int | None,
    overwrite: bool = False,
) -> Change:
    """Enter (or clear, with None) a round's overall rating as the report publishes it.

    Only for a framework whose overall rule is not public (``overall = "as published"``);
    one with bands computes it from the total.

    Args:
        rating: by name or short form ("RI"), any case.
        expected_version: the version the person saw (:func:`overall_rating_version`); None
            when they saw none.
        overwrite: save over someone else's change (the person chose to).

    Returns:
        The change: ``previous["rating"]`` the rating it replaced (None: there was none), and
        the new version (0 once cleared).

    Raises:
        ValidationError: the framework computes its overall rating, the inspection has no
            results for it, or the rating is not on its scale; nothing is written.
        ConflictError: someone else entered, changed or cleared it meanwhile.
        NotFoundError: there is no such inspection.
    """
    framework = get_framework(framework_id)
    rules = rated_rules(framework)
    if rules.overall is not OverallRule.AS_PUBLISHED:
        raise ValidationError(
            f"The {framework.short_title} framework computes its overall rating from the "
            "total by its bands; it is not entered. Correct the standards' ratings instead.",
            "overall",
        )
    clean: str | None = None
    if rating is not None and rating.strip():
        found = rules.rating(rating)
        if found is None:
            raise ValidationError(
                f"{rating!r} is not an overall rating of the {framework.short_title} "
                f"framework: choose {rules.choices()}.",
                "overall",
            )
        clean = found.name
    with database_proxy.atomic():
        get_inspection(inspection_id=inspection_id)
        check_round(inspection_id=inspection_id, round=round, baseline=True)
        if framework_id not in {f.id for f in frameworks_of(inspection_id=inspection_id)}:
            raise ValidationError(
                f"This inspection has no {framework.short_title} ratings; enter the overall "
                "rating of the framework it was rated on.",
                "overall",
            )
        where = _overall_where(inspection_id, framework_id, round)
        row = OverallRating.get_or_none(where)
        previous = None if row is None else str(row.rating)
        seen = None if row is None else int(row.version)
        if not overwrite and seen != expected_version:
            raise _overall_conflict(inspection_id, framework_id, round, previous)
        if previous == clean:
            return Change(inspection_id, {}, seen or 0)
        version = 0
        if row is None:
            # goes on from the count of recorded changes: a cleared and re-entered rating
            # never takes a version someone may still hold
            item = _audit_item(inspection_id, round)
            version = 1 + audit.change_count(item, overall_field(framework_id))
            OverallRating.create(
                inspection=inspection_id,
                framework_id=framework_id,
                round=round,
                rating=clean,
                version=version,
            )
        else:
            unchanged = (OverallRating.id == row.id) & (OverallRating.version == row.version)
            if clean is None:
                written = OverallRating.delete().where(unchanged).execute()
            else:
                version = int(row.version) + 1
                written = (
                    OverallRating.update(rating=clean, version=version, updated_at=utc_now())
                    .where(unchanged)
                    .execute()
                )
            if written != 1:
                raise _overall_conflict(inspection_id, framework_id, round, previous)
        item = _audit_item(inspection_id, round)
        field = overall_field(framework_id)
        audit.record(audit.changes(item, {field: previous}, {field: clean}))
    return Change(inspection_id, {"rating": previous}, version)
