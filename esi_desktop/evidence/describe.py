"""How evidence is named in sentences: sizes, short hashes and the item it is evidence for.

The audit trail describes an evidence row with :func:`describe_evidence`, so this module
reads single items only; the lists read every reference at once (:mod:`.listing`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from db.models import Action, Milestone, Recommendation, as_tuples
from esi_desktop.wording import (
    ACTION,
    MILESTONE,
    RECOMMENDATION,
    action_reference,
    milestone_reference,
)

#: The item kinds evidence can be attached to.
ITEM_KINDS = (RECOMMENDATION, ACTION, MILESTONE)


def size_text(size: int) -> str:
    """A file size as a person reads it: "512 bytes", "96 KB", "1.2 MB"."""
    if size < 1024:
        return "1 byte" if size == 1 else f"{size} bytes"
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def short_hash(sha256: str) -> str:
    """The first 12 hex digits of a SHA-256, enough to tell files apart by eye."""
    return sha256[:12]


def reference_text(kind: str, number: int | None, parent_number: int | None = None) -> str:
    """ "AP3", "AP3.2" from the numbers; empty for an item made before numbering."""
    if kind == ACTION and number is not None:
        return action_reference(number)
    if kind == MILESTONE and number is not None and parent_number is not None:
        return milestone_reference(parent_number, number)
    return ""


def item_reference(kind: str, item_id: int) -> str | None:
    """The reference of one item ("3", "AP3", "AP3.2"); None when the item does not exist."""
    if kind == RECOMMENDATION:
        found = Recommendation.select(Recommendation.reference).where(Recommendation.id == item_id)
        rows = as_tuples(found)
        return str(rows[0][0]) if rows else None
    if kind == ACTION:
        rows = as_tuples(Action.select(Action.number).where(Action.id == item_id))
        return reference_text(ACTION, rows[0][0]) if rows else None
    if kind == MILESTONE:
        rows = as_tuples(
            Milestone.select(Milestone.number, Action.number)
            .join(Action)
            .where(Milestone.id == item_id)
        )
        return reference_text(MILESTONE, rows[0][0], rows[0][1]) if rows else None
    return None


def item_words(kind: str, reference: str) -> str:
    """The item in a sentence: "recommendation 3", "AP3", "AP3.2" (or "an action")."""
    if kind == RECOMMENDATION:
        return f"recommendation {reference}".rstrip()
    if reference:
        return reference
    return "an action" if kind == ACTION else "a milestone"


def describe_evidence(values: Mapping[str, Any]) -> str:
    """An evidence row as the audit trail describes it on creation or deletion:
    "Evidence “Minutes 12 May.pdf” (120 KB, SHA-256 ab12cd34ef56…) for AP3.2"."""
    kind = str(values.get("item_kind", ""))
    item_id = values.get("item_id")
    reference = item_reference(kind, int(item_id)) if item_id is not None else None
    target = item_words(kind, reference) if reference is not None else f"a deleted {kind}"
    size = int(values.get("size") or 0)
    digest = short_hash(str(values.get("sha256", "")))
    return (
        f"Evidence “{values.get('name', '')}” ({size_text(size)}, SHA-256 {digest}…) for {target}"
    )
