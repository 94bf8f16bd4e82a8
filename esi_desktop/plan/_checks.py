"""Checks shared by the plan's use cases (text, dates, RAG overrides, criteria)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from db.models import (
    Action,
    BaseModel,
    Inspection,
    Recommendation,
    as_tuples,
)
from esi_desktop import audit
from esi_desktop.errors import FrameworkError, ValidationError
from esi_desktop.frameworks import Framework, get_framework
from esi_desktop.inspections import frameworks_of
from esi_desktop.rules import (
    MilestoneStatus,
    Rag,
)
from esi_desktop.wording import month_year


def checked_text(value: object, field_name: str, label: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{label} cannot be empty; type {label.lower()}.", field_name)
    return " ".join(value.split()) if "\n" not in value else value.strip()


def checked_date(value: object, field_name: str, label: str, published: date) -> date:
    if not isinstance(value, date):
        raise ValidationError(f"{label} must be a date such as 30/09/2005.", field_name)
    if value < published:
        raise ValidationError(
            f"{label} {value:%d/%m/%Y} is before the report was published "
            f"({month_year(published)}); choose a later date.",
            field_name,
        )
    return value


def check_override(row: Any, clean: dict[str, Any]) -> None:
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


def replace_criteria(
    owner: BaseModel, link: Any, owner_field: Any, criteria: Iterable[tuple[str, str]]
) -> list[tuple[str, str]]:
    """Replace the criteria an item targets (inside the caller's transaction).

    Returns:
        The previous criteria, to undo.
    """
    wanted = sorted(set(criteria))
    check_criteria(int(owner.inspection_id), wanted)  # type: ignore[attr-defined]
    previous = sorted(
        (row.framework_id, row.code) for row in link.select().where(owner_field == owner.id)
    )
    link.delete().where(owner_field == owner.id).execute()
    name = owner_field.name
    for framework_id, code in wanted:
        link.create(**{name: owner.id, "framework_id": framework_id, "code": code})
    audit.record(audit.criteria_changes(audit.item_of(owner), previous, wanted))
    return previous


def _inspection_frameworks(inspection_id: int) -> list[Framework]:
    """The frameworks an inspection's criteria come from: those it has results for, and those
    its recommendations name."""
    found = {f.id: f for f in frameworks_of(inspection_id=inspection_id)}
    named = Recommendation.select(Recommendation.framework_id).where(
        Recommendation.inspection == inspection_id
    )
    for (framework_id,) in as_tuples(named.distinct()):
        if framework_id not in found:
            try:
                found[framework_id] = get_framework(framework_id)
            except FrameworkError:
                continue
    return list(found.values())


def check_criteria(inspection_id: int, criteria: Iterable[tuple[str, str]]) -> None:
    """Refuse a criterion code that none of the inspection's frameworks has ("Z9").

    Raises:
        ValidationError: the sentence names the code and the codes of the frameworks.
    """
    frameworks = {f.id: f for f in _inspection_frameworks(inspection_id)}
    for framework_id, code in criteria:
        framework = frameworks.get(framework_id)
        if framework is not None and framework.has_criterion(code):
            continue
        known = "; ".join(
            f"{f.short_title}: {', '.join(c.code for c in f.criteria)}" for f in frameworks.values()
        )
        if framework is None:
            raise ValidationError(
                f"The framework {framework_id!r} is not one of this inspection's frameworks "
                f"({', '.join(frameworks) or 'none'}); choose criteria from {known or 'them'}.",
                "criteria",
            )
        raise ValidationError(
            f"{code!r} is not a criterion of this inspection's frameworks; choose one of {known}.",
            "criteria",
        )


def inspection_of_action(action: Action) -> Inspection:
    return Inspection.get_by_id(action.inspection_id)


def check_action_fields(changes: dict[str, Any], published: date) -> None:
    if "text" in changes:
        changes["text"] = checked_text(changes["text"], "text", "The action")
    if "owner" in changes:
        # an action may wait for its owner (its recommendation has no lead owner yet): the
        # documents list it as missing until one is named
        owner = changes["owner"]
        if not isinstance(owner, str):
            raise ValidationError("The owner must be a name such as ACO Operations.", "owner")
        changes["owner"] = " ".join(owner.split())
    if "target_date" in changes:
        changes["target_date"] = checked_date(
            changes["target_date"], "target_date", "The target date", published
        )
    if "at_risk" in changes:
        changes["at_risk"] = bool(changes["at_risk"])


def check_milestone_fields(
    changes: dict[str, Any], current_status: str, published: date, today: date
) -> None:
    if "title" in changes:
        changes["title"] = checked_text(changes["title"], "title", "The milestone")
    if "due_date" in changes:
        changes["due_date"] = checked_date(
            changes["due_date"], "due_date", "The due date", published
        )
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
        checked_date(completed, "completed_on", "The completion date", published)
        if completed > today:
            raise ValidationError(
                f"The completion date {completed:%d/%m/%Y} is in the future; a milestone is "
                "completed on or before today.",
                "completed_on",
            )
