"""The Board's response to a recommendation, and the recommendation's own fields."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from db.models import (
    BoardResponse,
    Recommendation,
    RecommendationCriterion,
    database_proxy,
)
from esi_desktop.errors import ValidationError
from esi_desktop.plan._checks import (
    check_override,
    replace_criteria,
)
from esi_desktop.rules import (
    ResponseCategory,
    SelfAssessment,
    response_problems,
)
from esi_desktop.versioned import (
    Change,
    get_row,
    save_row,
    update_row,
)


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
    get_row(Recommendation, recommendation_id, "recommendation")
    return save_row(
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
        row = get_row(Recommendation, recommendation_id, "recommendation")
        check_override(row, clean)
        previous, version = update_row(row, clean, expected_version, "recommendation")
        return Change(row.id, previous, version)


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
        recommendation = get_row(Recommendation, recommendation_id, "recommendation")
        _, version = update_row(recommendation, {}, expected_version, "recommendation")
        previous = replace_criteria(
            recommendation,
            RecommendationCriterion,
            RecommendationCriterion.recommendation,
            criteria,
        )
        return Change(recommendation.id, {"criteria": previous}, version)


#: The longest addressee kept ("The Regional Probation Director and the PDU head" fits).
LONGEST_ADDRESSEE = 120


def set_recommendation_addressee(
    *, recommendation_id: int, addressee: str, expected_version: int | None
) -> Change:
    """Change who a recommendation is addressed to ("YJS Service Manager"), with its history.

    Args:
        addressee: the person or body; spacing is tidied ("  Management   Board" →
            "Management Board").
        expected_version: the recommendation's version the person saw.

    Returns:
        The change (the previous addressee and the new version), to undo.

    Raises:
        ValidationError: the addressee is empty or longer than :data:`LONGEST_ADDRESSEE`
            characters; nothing is written.
        ConflictError: someone else changed the recommendation meanwhile.
        NotFoundError: the recommendation was deleted.
    """
    clean = " ".join(addressee.split())
    if not clean:
        raise ValidationError(
            "A recommendation is addressed to someone: type the person or body the report "
            "names (such as Probation Board or YJS Service Manager).",
            "addressee",
        )
    if len(clean) > LONGEST_ADDRESSEE:
        raise ValidationError(
            f"The addressee is {len(clean)} characters long; shorten it to "
            f"{LONGEST_ADDRESSEE} or fewer (the person or body, not a sentence).",
            "addressee",
        )
    with database_proxy.atomic():
        row = get_row(Recommendation, recommendation_id, "recommendation")
        if row.addressee == clean:
            # nothing to write (someone made the same change meanwhile): undoing it puts back
            # the same words, never an empty change an undo could not apply
            return Change(row.id, {"addressee": clean}, row.version)
        previous, version = update_row(
            row, {"addressee": clean}, expected_version, "recommendation"
        )
        return Change(row.id, previous, version)
