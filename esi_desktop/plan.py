"""Use cases for the Board's response and action plan: reading it whole, and every edit.

Each function is one thing a user does, takes keyword arguments, runs in one transaction and
raises the project's own exceptions. Edits return what is needed to undo them (the previous
values, or a snapshot of deleted rows that :func:`restore` puts back with the same ids), so
the window's undo stack never needs to know about the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Any

import peewee

from db.models import (
    ALL_MODELS,
    Action,
    ActionCriterion,
    ActionRecommendation,
    BaseModel,
    BoardMeeting,
    BoardResponse,
    Inspection,
    Milestone,
    Recommendation,
    RecommendationCriterion,
    as_dicts,
    as_tuples,
    database_proxy,
    utc_now,
)
from esi_desktop import audit
from esi_desktop.errors import EsiError, NotFoundError, ValidationError
from esi_desktop.inspections import get_inspection
from esi_desktop.rules import (
    MilestoneState,
    MilestoneStatus,
    Rag,
    ResponseCategory,
    ResponseProblem,
    SelfAssessment,
    action_progress,
    action_rag,
    draft_label,
    draft_problems,
    is_due_soon,
    is_overdue,
    recommendation_progress,
    recommendation_rag,
    response_problems,
)
from esi_desktop.text import check_values


class ConflictError(EsiError):
    """Someone else changed the row since it was read (optimistic locking).

    Attributes:
        current: the row's values as they are now in the database.
        changed_by: who made the latest change (from the audit trail), or None if unknown.
        changed_at: when (UTC), from the audit trail or else the row's last update; None if
            unknown.
    """

    def __init__(
        self,
        message: str,
        current: Mapping[str, Any],
        *,
        changed_by: str | None = None,
        changed_at: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.current = dict(current)
        self.changed_by = changed_by
        self.changed_at = changed_at


# ----- reading the plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneView:
    """A milestone as the window shows it."""

    id: int
    action_id: int
    title: str
    due_date: date
    status: str
    completed_on: date | None
    evidence: str
    position: int
    version: int
    overdue: bool
    due_soon: bool


@dataclass(frozen=True)
class ActionView:
    """An action with its milestones and derived progress and RAG."""

    id: int
    text: str
    owner: str
    target_date: date
    position: int
    version: int
    recommendation_ids: tuple[int, ...]
    criteria: tuple[tuple[str, str], ...]
    milestones: tuple[MilestoneView, ...]
    progress: Fraction
    derived_rag: Rag
    rag_override: Rag | None
    rag_override_reason: str
    at_risk: bool
    at_risk_reason: str
    internal_note: str

    @property
    def rag(self) -> Rag:
        """The RAG shown: the override where there is one."""
        return self.rag_override or self.derived_rag


@dataclass(frozen=True)
class ResponseView:
    """A response to a recommendation as stored: the Board's response, or a draft of it.

    Attributes:
        problems: what keeps it a draft (empty for the Board's response).
    """

    category: str | None
    narrative: str
    part_agreed: str
    reason: str
    lead_owner: str
    version: int
    problems: tuple[ResponseProblem, ...] = ()

    @property
    def is_draft(self) -> bool:
        """True while it is incomplete: kept, shown as a draft, never printed as the response."""
        return bool(self.problems)

    @property
    def draft_label(self) -> str:
        """ "Draft — needs: why the rest is not agreed" (empty for a complete response)."""
        return draft_label(self.problems) if self.problems else ""


@dataclass(frozen=True)
class RecommendationView:
    """A recommendation with its response, actions and derived progress and RAG."""

    id: int
    reference: str
    text: str
    framework_id: str
    position: int
    version: int
    criteria: tuple[tuple[str, str], ...]
    #: The Board's (complete) response; None while there is none or only a draft.
    response: ResponseView | None
    action_ids: tuple[int, ...]
    progress: Fraction
    derived_rag: Rag | None
    rag_override: Rag | None
    rag_override_reason: str
    self_assessment: str | None
    internal_note: str
    #: What a secretary has typed but not completed; never the Board's response.
    draft: ResponseView | None = None
    #: The version of the stored response row (complete, draft or emptied), None if none:
    #: what the next save of the response expects.
    response_version: int | None = None

    @property
    def rag(self) -> Rag | None:
        """The RAG shown: the override where there is one."""
        return self.rag_override or self.derived_rag

    @property
    def stored_response(self) -> ResponseView | None:
        """The stored response, complete or draft: what the response editor shows."""
        return self.response or self.draft

    @property
    def category(self) -> str | None:
        """The response category, if the Board has responded."""
        return self.response.category if self.response else None


@dataclass(frozen=True)
class PlanView:
    """An inspection's whole response and action plan."""

    inspection_id: int
    published: date
    today: date
    recommendations: tuple[RecommendationView, ...]
    actions: dict[int, ActionView] = field(default_factory=dict)

    def recommendation(self, recommendation_id: int) -> RecommendationView:
        """The recommendation with this id."""
        for recommendation in self.recommendations:
            if recommendation.id == recommendation_id:
                return recommendation
        raise NotFoundError(f"Recommendation {recommendation_id} is not in this plan.")

    @property
    def owners(self) -> list[str]:
        """Every owner named in the plan, for completion while typing."""
        names = {a.owner for a in self.actions.values() if a.owner}
        names |= {r.stored_response.lead_owner for r in self.recommendations if r.stored_response}
        return sorted(n for n in names if n)


def publication_date(inspection: Inspection) -> date:
    """The publication date (the first of the month when only the month is known)."""
    return date(
        inspection.published_year, inspection.published_month, inspection.published_day or 1
    )


def _rag(value: str | None) -> Rag | None:
    return Rag(value) if value else None


def _response_view(row: Mapping[str, Any] | None) -> ResponseView | None:
    """A stored response row as the views see it; None for no row or an empty one."""
    if row is None:
        return None
    fields = (row["category"], row["narrative"], row["part_agreed"], row["reason"])
    problems = tuple(draft_problems(*fields, row["lead_owner"]))
    if not row["category"] and not problems:
        return None  # nothing typed (a response undone back to empty)
    return ResponseView(
        category=row["category"],
        narrative=row["narrative"],
        part_agreed=row["part_agreed"],
        reason=row["reason"],
        lead_owner=row["lead_owner"],
        version=row["version"],
        problems=problems,
    )


def load_plan(*, inspection_id: int, today: date) -> PlanView:
    """Read an inspection's whole plan in a handful of queries.

    Raises:
        NotFoundError: there is no such inspection.
    """
    inspection = get_inspection(inspection_id=inspection_id)
    recommendation_rows = as_dicts(
        Recommendation.select()
        .where(Recommendation.inspection == inspection_id)
        .order_by(Recommendation.position)
    )
    responses = {
        r["recommendation"]: r
        for r in as_dicts(
            BoardResponse.select()
            .join(Recommendation)
            .where(Recommendation.inspection == inspection_id)
        )
    }
    recommendation_criteria: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for recommendation_id, framework_id, code in as_tuples(
        RecommendationCriterion.select(
            RecommendationCriterion.recommendation,
            RecommendationCriterion.framework_id,
            RecommendationCriterion.code,
        )
        .join(Recommendation)
        .where(Recommendation.inspection == inspection_id)
        .order_by(RecommendationCriterion.framework_id, RecommendationCriterion.code)
    ):
        recommendation_criteria[recommendation_id].append((framework_id, code))

    action_rows = as_dicts(
        Action.select()
        .where(Action.inspection == inspection_id)
        .order_by(Action.position, Action.id)
    )
    links: dict[int, list[int]] = defaultdict(list)
    for action_id, recommendation_id in as_tuples(
        ActionRecommendation.select(
            ActionRecommendation.action, ActionRecommendation.recommendation
        )
        .join(Action)
        .where(Action.inspection == inspection_id)
        .order_by(ActionRecommendation.id)
    ):
        links[action_id].append(recommendation_id)
    action_criteria: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for action_id, framework_id, code in as_tuples(
        ActionCriterion.select(
            ActionCriterion.action, ActionCriterion.framework_id, ActionCriterion.code
        )
        .join(Action)
        .where(Action.inspection == inspection_id)
        .order_by(ActionCriterion.framework_id, ActionCriterion.code)
    ):
        action_criteria[action_id].append((framework_id, code))
    milestones: dict[int, list[MilestoneView]] = defaultdict(list)
    for milestone_row in as_tuples(
        Milestone.select(
            Milestone.id,
            Milestone.action,
            Milestone.title,
            Milestone.due_date,
            Milestone.status,
            Milestone.completed_on,
            Milestone.evidence,
            Milestone.position,
            Milestone.version,
        )
        .join(Action)
        .where(Action.inspection == inspection_id)
        .order_by(Milestone.position, Milestone.id)
    ):
        milestone_id, action_id, title, due, status, completed, evidence, position, version = (
            milestone_row
        )
        state = MilestoneState(due, status)
        milestones[action_id].append(
            MilestoneView(
                id=milestone_id,
                action_id=action_id,
                title=title,
                due_date=due,
                status=status,
                completed_on=completed,
                evidence=evidence,
                position=position,
                version=version,
                overdue=is_overdue(state, today),
                due_soon=is_due_soon(state, today),
            )
        )

    actions: dict[int, ActionView] = {}
    by_recommendation: dict[int, list[int]] = defaultdict(list)
    for row in action_rows:
        own = tuple(milestones.get(row["id"], ()))
        states = [MilestoneState(m.due_date, m.status) for m in own]
        view = ActionView(
            id=row["id"],
            text=row["text"],
            owner=row["owner"],
            target_date=row["target_date"],
            position=row["position"],
            version=row["version"],
            recommendation_ids=tuple(links.get(row["id"], ())),
            criteria=tuple(action_criteria.get(row["id"], ())),
            milestones=own,
            progress=action_progress(states),
            derived_rag=action_rag(states, row["target_date"], today, at_risk=bool(row["at_risk"])),
            rag_override=_rag(row["rag_override"]),
            rag_override_reason=row["rag_override_reason"],
            at_risk=bool(row["at_risk"]),
            at_risk_reason=row["at_risk_reason"],
            internal_note=row["internal_note"],
        )
        actions[view.id] = view
        for recommendation_id in view.recommendation_ids:
            by_recommendation[recommendation_id].append(view.id)

    recommendations = []
    for row in recommendation_rows:
        action_ids = tuple(by_recommendation.get(row["id"], ()))
        own_actions = [actions[i] for i in action_ids]
        response_row = responses.get(row["id"])
        stored = _response_view(response_row)
        response = stored if stored is not None and not stored.is_draft else None
        draft = stored if stored is not None and stored.is_draft else None
        recommendations.append(
            RecommendationView(
                id=row["id"],
                reference=row["reference"],
                text=row["text"],
                framework_id=row["framework_id"],
                position=row["position"],
                version=row["version"],
                criteria=tuple(recommendation_criteria.get(row["id"], ())),
                response=response,
                action_ids=action_ids,
                progress=recommendation_progress([a.progress for a in own_actions]),
                derived_rag=recommendation_rag([a.rag for a in own_actions]),
                rag_override=_rag(row["rag_override"]),
                rag_override_reason=row["rag_override_reason"],
                self_assessment=row["self_assessment"],
                internal_note=row["internal_note"],
                draft=draft,
                response_version=response_row["version"] if response_row else None,
            )
        )
    return PlanView(
        inspection_id=inspection_id,
        published=publication_date(inspection),
        today=today,
        recommendations=tuple(recommendations),
        actions=actions,
    )


# ----- snapshots for undoing deletions ------------------------------------------------------

_MODELS = {m._meta.table_name: m for m in ALL_MODELS}


@dataclass(frozen=True)
class Snapshot:
    """Rows removed by a deletion, in the order they must be put back."""

    rows: tuple[tuple[str, dict[str, Any]], ...]

    @property
    def first_id(self) -> int:
        """The id of the deleted row itself (the rows after it are its children)."""
        return int(self.rows[0][1]["id"])


def _snapshot(instances: Iterable[BaseModel]) -> Snapshot:
    return Snapshot(tuple((type(i)._meta.table_name, dict(i.__data__)) for i in instances))


def restore(*, snapshot: Snapshot) -> None:
    """Put deleted rows back with their ids (undo of a deletion), in one transaction."""
    with database_proxy.atomic():
        for table, row in snapshot.rows:
            _MODELS[table].insert(row).execute()
        audit.record(audit.row_entries(snapshot.rows, audit.CREATE))


# ----- validation helpers -------------------------------------------------------------------


def _text(value: object, field_name: str, label: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{label} cannot be empty; type {label.lower()}.", field_name)
    return " ".join(value.split()) if "\n" not in value else value.strip()


def _date(value: object, field_name: str, label: str, published: date) -> date:
    if not isinstance(value, date):
        raise ValidationError(f"{label} must be a date such as 30/09/2005.", field_name)
    if value < published:
        raise ValidationError(
            f"{label} {value:%d/%m/%Y} is before the report was published "
            f"({published:%B %Y}); choose a later date.",
            field_name,
        )
    return value


def _get(model: type[BaseModel], row_id: int, what: str) -> Any:
    row = model.get_or_none(model.id == row_id)
    if row is None:
        raise NotFoundError(f"The {what} was deleted in the meantime; the view is refreshed.")
    return row


def _update(
    instance: BaseModel, changes: Mapping[str, Any], expected_version: int | None, what: str
) -> tuple[dict[str, Any], int]:
    """Write ``changes`` to a row if nobody changed it since ``expected_version``.

    Returns:
        The previous values of the changed fields and the row's new version.
    """
    model = type(instance)
    check_values(changes, f"the {what}")
    previous = {name: getattr(instance, name) for name in changes}
    version = instance.version if expected_version is None else expected_version
    values: dict[Any, Any] = {getattr(model, name): value for name, value in changes.items()}
    values[model.version] = version + 1
    values[model.updated_at] = utc_now()
    updated = (
        model.update(values).where((model.id == instance.id) & (model.version == version)).execute()
    )
    if updated != 1:
        current = model.get_or_none(model.id == instance.id)
        if current is None:
            raise NotFoundError(f"The {what} was deleted in the meantime; the view is refreshed.")
        raise _conflict(current, changes, what)
    audit.record(audit.changes(audit.item_of(instance), previous, changes))
    return previous, version + 1


def _conflict(
    current: BaseModel, changes: Mapping[str, Any], what: str, *, created: bool = False
) -> ConflictError:
    """The refusal of a stale edit, naming who changed the row, when, and their values.

    ``created``: the person saw no row and someone else has since created it (a first save
    that met another first save).
    """
    item = audit.item_of(current)
    # an edit of the row's own columns asks who last changed those; a choice kept beside the
    # row (its criteria) asks who last changed the item at all
    fields = audit.row_fields(current) if changes else None
    last = audit.last_change(item_kind=item.kind, item_id=item.id, fields=fields)
    theirs = {name: getattr(current, name) for name in changes}
    changed_at: datetime = last.changed_at if last is not None else current.updated_at
    when = f"{audit.local_time(changed_at):%H:%M on %d/%m/%Y}"
    # of the fields this edit touches, those where their value differs from the one typed
    differing = [
        name
        for name, value in theirs.items()
        if audit.format_value(value) != audit.format_value(changes[name])
    ]
    values = ", ".join(
        f"the {_lower(audit.field_label(item.kind, item.prefix + name))} is now "
        f"{_quoted(theirs[name])}"
        for name in differing or theirs
    )
    if created:
        who = f"Saved by {last.changed_by}" if last is not None else "Saved"
        headline = f"The {what} was saved by someone else after you opened it. {who} at {when}"
    elif last is not None:
        headline = (
            f"The {what} was changed by someone else. "
            f"Changed by {last.changed_by} at {when} since you opened it"
        )
    else:
        headline = f"The {what} was changed by someone else at {when} since you opened it"
    said = f"{headline}; {values}" if values else headline
    return ConflictError(
        f"{said}. Reload to see their change, or make yours again.",
        theirs,
        changed_by=last.changed_by if last is not None else None,
        changed_at=changed_at,
    )


def _save_one(
    model: type[BaseModel],
    where: Any,
    values: Mapping[str, Any],
    *,
    create: Mapping[str, Any],
    blank: Mapping[str, Any],
    expected_version: int | None,
    overwrite: bool,
    what: str,
    audit_item: audit.ItemRef | None = None,
) -> Change:
    """Create or update the one row ``where`` selects, under optimistic locking, atomically.

    Creating is checked like updating: ``expected_version`` None says the person saw no row,
    so a row someone else created meanwhile is a conflict — also when two first saves meet
    on a server, where the second insert fails on the unique key (reported as a conflict,
    never as a raw database error). ``overwrite`` (the person chose to overwrite the other
    change) skips the check.

    Returns:
        The change, whose ``previous`` is ``blank`` when the row was created.

    Raises:
        ConflictError: someone else created or changed the row since the person read it.
        ValidationError: a text holds a character no database can keep; nothing is written.
    """
    check_values(values, f"the {what}")
    attempts = 3
    for attempt in range(attempts):
        last = attempt == attempts - 1
        try:
            with database_proxy.atomic():
                row = model.get_or_none(where)
                if row is None:
                    row = model.create(**create, **values)
                    item = audit_item or audit.item_of(row)
                    audit.record(audit.changes(item, blank, values, action=audit.CREATE))
                    return Change(row.id, dict(blank), row.version)
                if expected_version is None and not overwrite:
                    raise _conflict(row, values, what, created=True)
                previous, version = _update(
                    row, values, None if overwrite else expected_version, what
                )
                return Change(row.id, previous, version)
        except peewee.IntegrityError:
            # another connection inserted the same row between our read and our insert
            current = model.get_or_none(where)
            if current is None:
                raise EsiError(
                    f"The {what} could not be saved because the database refused it; "
                    "reload and try again."
                ) from None
            if overwrite and not last:
                continue  # the row exists now: overwrite it as the person chose
            raise _conflict(current, values, what, created=True) from None
        except ConflictError:
            # overwriting met yet another change between its read and its write: read again
            if overwrite and not last:
                continue
            raise
    raise AssertionError("unreachable")  # pragma: no cover


def _lower(label: str) -> str:
    """A label in the middle of a sentence ("target date", but "RAG override")."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _quoted(value: object, limit: int = 120) -> str:
    text = " ".join(audit.format_value(value).split())
    if not text:
        return "empty"
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


@dataclass(frozen=True)
class Change:
    """What an edit did: enough to undo it."""

    id: int
    previous: dict[str, Any]
    version: int


# ----- responses ----------------------------------------------------------------------------


def save_response(
    *,
    recommendation_id: int,
    category: str | None,
    narrative: str,
    part_agreed: str,
    reason: str,
    lead_owner: str = "",
    expected_version: int | None = None,
    overwrite: bool = False,
    allow_draft: bool = False,
) -> Change:
    """Record the Board's response to a recommendation (creating it on first save).

    Args:
        expected_version: the version of the response the person saw; None when they saw
            none (a response saved meanwhile by someone else is then a conflict).
        overwrite: save over someone else's change (the person chose to).
        allow_draft: keep an incomplete response as a draft instead of refusing it; a
            draft is shown as such and never printed as the Board's response.

    Raises:
        ValidationError: the response breaks a rule (the field names which) and drafts are
            not allowed; nothing is written.
        ConflictError: someone else saved or changed the response meanwhile.
    """
    problems = response_problems(category, narrative, part_agreed, reason)
    if category and category not in {c.value for c in ResponseCategory}:
        allow_draft = False  # a draft keeps what was typed, never an impossible category
    if problems and not allow_draft:
        raise ValidationError(" ".join(p.message for p in problems), problems[0].field)
    values = {
        "category": category or None,
        "narrative": narrative.strip(),
        "part_agreed": part_agreed.strip(),
        "reason": reason.strip(),
        "lead_owner": " ".join(lead_owner.split()),
    }
    blank = {"category": None, "narrative": "", "part_agreed": "", "reason": "", "lead_owner": ""}
    _get(Recommendation, recommendation_id, "recommendation")
    return _save_one(
        BoardResponse,
        BoardResponse.recommendation == recommendation_id,
        values,
        create={"recommendation": recommendation_id},
        blank=blank,
        expected_version=expected_version,
        overwrite=overwrite,
        what="response",
    )


def set_recommendation_fields(
    *, recommendation_id: int, changes: Mapping[str, Any], expected_version: int | None = None
) -> Change:
    """Change a recommendation's self-assessment, RAG override or internal note.

    Raises:
        ValidationError: a value breaks a rule; nothing is written.
    """
    allowed = {"self_assessment", "rag_override", "rag_override_reason", "internal_note"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"A recommendation has no editable field {sorted(unknown)[0]!r}.")
    clean = dict(changes)
    if "self_assessment" in clean and clean["self_assessment"] not in (
        None,
        *(s.value for s in SelfAssessment),
    ):
        raise ValidationError(
            f"{clean['self_assessment']!r} is not on the progress scale "
            "(No meaningful, Insufficient, Reasonable, Good progress).",
            "self_assessment",
        )
    with database_proxy.atomic():
        row = _get(Recommendation, recommendation_id, "recommendation")
        _check_override(row, clean)
        previous, version = _update(row, clean, expected_version, "recommendation")
        return Change(row.id, previous, version)


def _check_override(row: Any, clean: dict[str, Any]) -> None:
    if "rag_override" not in clean and "rag_override_reason" not in clean:
        return
    override = clean.get("rag_override", row.rag_override)
    reason = str(clean.get("rag_override_reason", row.rag_override_reason) or "").strip()
    if override not in (None, *(r.value for r in Rag)):
        raise ValidationError(f"{override!r} is not a RAG status.", "rag_override")
    if override is not None and not reason:
        raise ValidationError(
            f"A RAG override needs a written reason; type why the status should be {override}.",
            "rag_override_reason",
        )
    if override is None and "rag_override" in clean:
        clean["rag_override_reason"] = ""
    elif "rag_override_reason" in clean:
        clean["rag_override_reason"] = reason


def _replace_criteria(
    owner: BaseModel, link: Any, owner_field: Any, criteria: Iterable[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Replace the criteria an item targets (inside the caller's transaction).

    Returns:
        The previous criteria, to undo.
    """
    wanted = sorted(set(criteria))
    previous = sorted(
        (row.framework_id, row.code) for row in link.select().where(owner_field == owner.id)
    )
    link.delete().where(owner_field == owner.id).execute()
    name = owner_field.name
    for framework_id, code in wanted:
        link.create(**{name: owner.id, "framework_id": framework_id, "code": code})
    audit.record(audit.criteria_changes(audit.item_of(owner), previous, wanted))
    return previous


def set_recommendation_criteria(
    *,
    recommendation_id: int,
    criteria: Iterable[tuple[str, str]],
    expected_version: int | None = None,
) -> Change:
    """Choose the criteria a recommendation targets.

    The choice is part of the recommendation's versioned record: a choice made by someone
    else since ``expected_version`` is a conflict, never silently replaced.

    Returns:
        The change; ``previous["criteria"]`` is the previous choice, to undo.

    Raises:
        ConflictError: someone else changed the recommendation meanwhile.
    """
    with database_proxy.atomic():
        recommendation = _get(Recommendation, recommendation_id, "recommendation")
        _, version = _update(recommendation, {}, expected_version, "recommendation")
        previous = _replace_criteria(
            recommendation,
            RecommendationCriterion,
            RecommendationCriterion.recommendation,
            criteria,
        )
        return Change(recommendation.id, {"criteria": previous}, version)


# ----- actions ------------------------------------------------------------------------------


def _inspection_of_action(action: Action) -> Inspection:
    return Inspection.get_by_id(action.inspection_id)


def _check_action_fields(changes: dict[str, Any], published: date) -> None:
    if "text" in changes:
        changes["text"] = _text(changes["text"], "text", "The action")
    if "owner" in changes:
        changes["owner"] = _text(changes["owner"], "owner", "The owner")
    if "target_date" in changes:
        changes["target_date"] = _date(changes["target_date"], "target_date", "The target date",
                                       published)  # fmt: skip
    if "at_risk" in changes:
        changes["at_risk"] = bool(changes["at_risk"])


def add_action(
    *,
    inspection_id: int,
    recommendation_ids: Iterable[int],
    text: str,
    owner: str,
    target_date: date,
    position: int | None = None,
) -> int:
    """Add a SMART action serving one or more recommendations.

    Returns:
        The new action's id.

    Raises:
        ValidationError: an empty text or owner, or a target date before publication.
    """
    inspection = get_inspection(inspection_id=inspection_id)
    values: dict[str, Any] = {"text": text, "owner": owner, "target_date": target_date}
    _check_action_fields(values, publication_date(inspection))
    check_values(values, "the action")
    with database_proxy.atomic():
        if position is None:
            last = (
                Action.select(peewee.fn.MAX(Action.position))
                .where(Action.inspection == inspection_id)
                .scalar()
            )
            position = (last or 0) + 1
        action = Action.create(inspection=inspection_id, position=position, **values)
        served = list(dict.fromkeys(recommendation_ids))
        for recommendation_id in served:
            recommendation = _get(Recommendation, recommendation_id, "recommendation")
            if recommendation.inspection_id != inspection_id:
                raise ValidationError("An action can only serve this inspection's recommendations.")
            ActionRecommendation.create(action=action, recommendation=recommendation_id)
        links = [("action_recommendation", {"action": action.id, "recommendation": r})
                 for r in served]  # fmt: skip
        audit.record(audit.row_entries([("action", action.__data__), *links], audit.CREATE))
    return int(action.id)


def update_action(
    *, action_id: int, changes: Mapping[str, Any], expected_version: int | None = None
) -> Change:
    """Change an action's text, owner, target date, risk flag, RAG override or note.

    Raises:
        ValidationError: a value breaks a rule; nothing is written.
        ConflictError: someone else changed the action meanwhile.
    """
    allowed = {"text", "owner", "target_date", "at_risk", "at_risk_reason", "rag_override",
               "rag_override_reason", "internal_note", "position"}  # fmt: skip
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"An action has no editable field {sorted(unknown)[0]!r}.")
    with database_proxy.atomic():
        action = _get(Action, action_id, "action")
        clean = dict(changes)
        _check_action_fields(clean, publication_date(_inspection_of_action(action)))
        at_risk = clean.get("at_risk", action.at_risk)
        reason = str(clean.get("at_risk_reason", action.at_risk_reason) or "").strip()
        if at_risk and not reason:
            raise ValidationError(
                "Marking an action at risk needs a reason; type what puts it at risk.",
                "at_risk_reason",
            )
        _check_override(action, clean)
        previous, version = _update(action, clean, expected_version, "action")
        return Change(action.id, previous, version)


def link_action(*, action_id: int, recommendation_id: int) -> bool:
    """Let an action serve one more recommendation.

    Returns:
        False when it already did (nothing to undo).
    """
    with database_proxy.atomic():
        action = _get(Action, action_id, "action")
        recommendation = _get(Recommendation, recommendation_id, "recommendation")
        if recommendation.inspection_id != action.inspection_id:
            raise ValidationError("An action can only serve its own inspection's recommendations.")
        exists = ActionRecommendation.get_or_none(
            (ActionRecommendation.action == action_id)
            & (ActionRecommendation.recommendation == recommendation_id)
        )
        if exists is not None:
            return False
        before = _served(action_id)
        ActionRecommendation.create(action=action_id, recommendation=recommendation_id)
        _record_served(action, before)
        return True


def _served(action_id: int) -> list[int]:
    return [
        link.recommendation_id
        for link in ActionRecommendation.select().where(ActionRecommendation.action == action_id)
    ]


def _record_served(action: Action, before: list[int]) -> None:
    audit.record(
        audit.changes(
            audit.item_of(action),
            {audit.RECOMMENDATIONS: audit.references(before)},
            {audit.RECOMMENDATIONS: audit.references(_served(action.id))},
        )
    )


def unlink_action(*, action_id: int, recommendation_id: int) -> bool:
    """Stop an action serving a recommendation; the last link cannot go (delete instead).

    Returns:
        False when the action did not serve it (nothing to undo).

    Raises:
        ValidationError: it is the action's only recommendation.
    """
    with database_proxy.atomic():
        links = ActionRecommendation.select().where(ActionRecommendation.action == action_id)
        if not any(link.recommendation_id == recommendation_id for link in links):
            return False
        if links.count() <= 1:
            raise ValidationError(
                "Every action must serve at least one recommendation; delete the action instead."
            )
        before = _served(action_id)
        ActionRecommendation.delete().where(
            (ActionRecommendation.action == action_id)
            & (ActionRecommendation.recommendation == recommendation_id)
        ).execute()
        _record_served(_get(Action, action_id, "action"), before)
        return True


def set_action_criteria(
    *, action_id: int, criteria: Iterable[tuple[str, str]], expected_version: int | None = None
) -> Change:
    """Choose the criteria an action aims to improve (versioned with the action).

    Returns:
        The change; ``previous["criteria"]`` is the previous choice, to undo.

    Raises:
        ConflictError: someone else changed the action meanwhile.
    """
    with database_proxy.atomic():
        action = _get(Action, action_id, "action")
        _, version = _update(action, {}, expected_version, "action")
        previous = _replace_criteria(action, ActionCriterion, ActionCriterion.action, criteria)
        return Change(action.id, {"criteria": previous}, version)


def delete_action(*, action_id: int) -> Snapshot:
    """Delete an action with its milestones and links.

    Returns:
        A snapshot that :func:`restore` puts back exactly.
    """
    with database_proxy.atomic():
        action = _get(Action, action_id, "action")
        rows: list[BaseModel] = [action]
        rows += list(ActionRecommendation.select().where(ActionRecommendation.action == action_id))
        rows += list(ActionCriterion.select().where(ActionCriterion.action == action_id))
        rows += list(Milestone.select().where(Milestone.action == action_id))
        snapshot = _snapshot(rows)
        action.delete_instance()  # the schema cascades to links and milestones
        audit.record(audit.row_entries(snapshot.rows, audit.DELETE))
    return snapshot


# ----- milestones ---------------------------------------------------------------------------


def _check_milestone_fields(
    changes: dict[str, Any], current_status: str, published: date, today: date
) -> None:
    if "title" in changes:
        changes["title"] = _text(changes["title"], "title", "The milestone")
    if "due_date" in changes:
        changes["due_date"] = _date(changes["due_date"], "due_date", "The due date", published)
    if "evidence" in changes:
        changes["evidence"] = str(changes["evidence"] or "").strip()
    status = changes.get("status", current_status)
    if status not in {s.value for s in MilestoneStatus}:
        raise ValidationError(
            f"{status!r} is not a milestone status (Not started, In progress, Complete).", "status"
        )
    if "status" in changes:
        if status == MilestoneStatus.COMPLETE:
            changes.setdefault("completed_on", today)
        else:
            changes["completed_on"] = None
    completed = changes.get("completed_on")
    if completed is not None and status != MilestoneStatus.COMPLETE:
        raise ValidationError(
            "A completion date is only recorded for a complete milestone; set its status to "
            "Complete.",
            "completed_on",
        )
    if completed is not None:
        _date(completed, "completed_on", "The completion date", published)
        if completed > today:
            raise ValidationError(
                f"The completion date {completed:%d/%m/%Y} is in the future; a milestone is "
                "completed on or before today.",
                "completed_on",
            )


def add_milestone(
    *, action_id: int, title: str, due_date: date, today: date, status: str = "Not started"
) -> int:
    """Add a dated step to an action.

    Returns:
        The new milestone's id.

    Raises:
        ValidationError: an empty title or a due date before publication.
    """
    with database_proxy.atomic():
        action = _get(Action, action_id, "action")
        values: dict[str, Any] = {"title": title, "due_date": due_date, "status": status}
        _check_milestone_fields(
            values, status, publication_date(_inspection_of_action(action)), today
        )
        check_values(values, "the milestone")
        last = (
            Milestone.select(peewee.fn.MAX(Milestone.position))
            .where(Milestone.action == action_id)
            .scalar()
        )
        milestone = Milestone.create(action=action_id, position=(last or 0) + 1, **values)
        audit.record(audit.row_entries([("milestone", milestone.__data__)], audit.CREATE))
    return int(milestone.id)


def update_milestone(
    *,
    milestone_id: int,
    changes: Mapping[str, Any],
    today: date,
    expected_version: int | None = None,
) -> Change:
    """Change a milestone's title, due date, status, completion date or evidence.

    Completing a milestone records today as its completion date unless one is given;
    re-opening it clears the date.

    Raises:
        ValidationError: a value breaks a rule; nothing is written.
        ConflictError: someone else changed the milestone meanwhile.
    """
    allowed = {"title", "due_date", "status", "completed_on", "evidence", "position"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"A milestone has no editable field {sorted(unknown)[0]!r}.")
    with database_proxy.atomic():
        milestone = _get(Milestone, milestone_id, "milestone")
        action = Action.get_by_id(milestone.action_id)
        clean = dict(changes)
        _check_milestone_fields(
            clean, milestone.status, publication_date(_inspection_of_action(action)), today
        )
        previous, version = _update(milestone, clean, expected_version, "milestone")
        return Change(milestone.id, previous, version)


def delete_milestone(*, milestone_id: int) -> Snapshot:
    """Delete a milestone.

    Returns:
        A snapshot that :func:`restore` puts back exactly.
    """
    with database_proxy.atomic():
        milestone = _get(Milestone, milestone_id, "milestone")
        snapshot = _snapshot([milestone])
        audit.record(audit.row_entries(snapshot.rows, audit.DELETE))
        milestone.delete_instance()
    return snapshot


def milestone_to_action(*, milestone_id: int) -> tuple[int, Snapshot]:
    """Outdent: a milestone becomes an action of its own, serving the same recommendations.

    The new action takes the milestone's title as its text, the parent action's owner and
    the milestone's due date as its target date.

    Returns:
        The new action's id and a snapshot of the removed milestone (for undo).
    """
    with database_proxy.atomic():
        milestone = _get(Milestone, milestone_id, "milestone")
        parent = Action.get_by_id(milestone.action_id)
        recommendation_ids = [
            link.recommendation_id
            for link in ActionRecommendation.select().where(ActionRecommendation.action == parent)
        ]
        snapshot = _snapshot([milestone])
        audit.record(audit.row_entries(snapshot.rows, audit.DELETE))
        milestone.delete_instance()
        new_id = add_action(
            inspection_id=parent.inspection_id,
            recommendation_ids=recommendation_ids,
            text=milestone.title,
            owner=parent.owner,
            target_date=milestone.due_date,
            position=parent.position,
        )
    return new_id, snapshot


def action_to_milestone(
    *, action_id: int, parent_action_id: int, today: date
) -> tuple[int, Snapshot]:
    """Indent: an action without milestones becomes a milestone of the action above it.

    Returns:
        The new milestone's id and a snapshot of the removed action (for undo).

    Raises:
        ValidationError: the action has milestones of its own.
    """
    if action_id == parent_action_id:
        raise ValidationError("An action cannot become a milestone of itself.")
    with database_proxy.atomic():
        action = _get(Action, action_id, "action")
        parent = _get(Action, parent_action_id, "action")
        if parent.inspection_id != action.inspection_id:
            raise ValidationError("An action can only become a milestone of the same plan.")
        if Milestone.select().where(Milestone.action == action_id).exists():
            raise ValidationError(
                "Only an action without milestones can become a milestone; move or delete its "
                "milestones first."
            )
        snapshot = delete_action(action_id=action_id)
        milestone_id = add_milestone(
            action_id=parent_action_id, title=action.text, due_date=action.target_date, today=today
        )
    return milestone_id, snapshot


def delete_rows(*, snapshot: Snapshot) -> None:
    """Remove rows a snapshot describes (redo of an undone restore), in one transaction."""
    with database_proxy.atomic():
        audit.record(audit.row_entries(snapshot.rows, audit.DELETE))
        for table, row in reversed(snapshot.rows):
            model = _MODELS[table]
            model.delete().where(model.id == row["id"]).execute()


# ----- Board meetings -----------------------------------------------------------------------


def board_meetings(*, inspection_id: int) -> list[date]:
    """The Board meeting dates entered for an inspection, in order."""
    return [
        row.meeting_date
        for row in BoardMeeting.select()
        .where(BoardMeeting.inspection == inspection_id)
        .order_by(BoardMeeting.meeting_date)
    ]


def add_board_meeting(*, inspection_id: int, meeting_date: date, note: str = "") -> int:
    """Record a Board meeting date.

    Raises:
        ValidationError: the date is already there or is not a date.
    """
    if not isinstance(meeting_date, date):
        raise ValidationError("A Board meeting needs a date such as 14/03/2005.", "meeting_date")
    check_values({"note": note}, "the Board meeting")
    with database_proxy.atomic():
        get_inspection(inspection_id=inspection_id)
        exists = BoardMeeting.get_or_none(
            (BoardMeeting.inspection == inspection_id) & (BoardMeeting.meeting_date == meeting_date)
        )
        if exists is not None:
            raise ValidationError(
                f"A Board meeting on {meeting_date:%d/%m/%Y} is already in the list.",
                "meeting_date",
            )
        meeting = BoardMeeting.create(
            inspection=inspection_id, meeting_date=meeting_date, note=note
        )
        audit.record(audit.row_entries([("board_meeting", meeting.__data__)], audit.CREATE))
    return int(meeting.id)


def delete_board_meeting(*, inspection_id: int, meeting_date: date) -> Snapshot:
    """Remove a Board meeting date.

    Returns:
        A snapshot that :func:`restore` puts back.
    """
    with database_proxy.atomic():
        rows = list(
            BoardMeeting.select().where(
                (BoardMeeting.inspection == inspection_id)
                & (BoardMeeting.meeting_date == meeting_date)
            )
        )
        if not rows:
            raise NotFoundError(f"There is no Board meeting on {meeting_date:%d/%m/%Y} to remove.")
        snapshot = _snapshot(rows)
        audit.record(audit.row_entries(snapshot.rows, audit.DELETE))
        for row in rows:
            row.delete_instance()
    return snapshot
