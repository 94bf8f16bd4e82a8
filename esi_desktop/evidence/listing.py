"""Reading the evidence back: an item's, a whole inspection's in the plan's order, counts.

Evidence of a deleted item stays in its table (undoing the deletion finds it) but is never
listed: every list joins the evidence to its item. An inspection's list is read in a few
queries whatever the size of the plan.
"""

from __future__ import annotations

from typing import Any

import peewee

from db.models import (
    Action,
    ActionRecommendation,
    Evidence,
    Milestone,
    Recommendation,
    as_tuples,
)
from esi_desktop.evidence.describe import reference_text
from esi_desktop.evidence.store import EvidenceView
from esi_desktop.wording import ACTION, MILESTONE, RECOMMENDATION

#: The columns of a view, in the order :func:`_view` reads them (``content`` left out).
_COLUMNS = (
    Evidence.id,
    Evidence.inspection,
    Evidence.item_kind,
    Evidence.item_id,
    Evidence.name,
    Evidence.media_type,
    Evidence.size,
    Evidence.sha256,
    Evidence.attached_by,
    Evidence.attached_at,
    Evidence.position,
)


def _view(row: tuple[Any, ...], reference: str) -> EvidenceView:
    (evidence_id, inspection_id, kind, item_id, name, media_type, size, sha256, by, at) = row[:10]
    return EvidenceView(
        id=int(evidence_id),
        inspection_id=int(inspection_id),
        item_kind=str(kind),
        item_id=int(item_id),
        item_reference=reference,
        name=str(name),
        media_type=str(media_type),
        size=int(size),
        sha256=str(sha256),
        attached_by=str(by),
        attached_at=Evidence.attached_at.python_value(at),
    )


def _of_kind(kind: str, model: type[Any], *extra: Any) -> Any:
    """The evidence of every existing item of one kind, with ``extra`` columns of the item."""
    return (
        Evidence.select(*_COLUMNS, *extra)
        .join(model, on=(Evidence.item_id == model.id))
        .where(Evidence.item_kind == kind)
    )


def _milestones(query: Any) -> Any:
    return query.join(Action, on=(Milestone.action == Action.id))


def evidence_of(*, item_kind: str, item_id: int) -> list[EvidenceView]:
    """An item's evidence in the order it was attached; none for an item since deleted."""
    in_order = (Evidence.position, Evidence.id)
    if item_kind == RECOMMENDATION:
        query = _of_kind(RECOMMENDATION, Recommendation, Recommendation.reference)
        rows = as_tuples(query.where(Recommendation.id == item_id).order_by(*in_order))
        return [_view(row, str(row[-1])) for row in rows]
    if item_kind == ACTION:
        query = _of_kind(ACTION, Action, Action.number)
        rows = as_tuples(query.where(Action.id == item_id).order_by(*in_order))
        return [_view(row, reference_text(ACTION, row[-1])) for row in rows]
    if item_kind == MILESTONE:
        query = _milestones(_of_kind(MILESTONE, Milestone, Milestone.number, Action.number))
        rows = as_tuples(query.where(Milestone.id == item_id).order_by(*in_order))
        return [_view(row, reference_text(MILESTONE, row[-2], row[-1])) for row in rows]
    return []


def inspection_evidence(*, inspection_id: int) -> list[EvidenceView]:
    """Every piece of evidence of the inspection's existing items, in the plan's order.

    Recommendations in their order, each with its own evidence, then for each action serving
    it (in plan order) the action's evidence and its milestones' (in milestone order); an
    action serving several recommendations comes once, under the first; actions serving
    none come last.
    """
    in_inspection = Evidence.inspection == inspection_id
    recommendations = {
        int(row_id): (int(position), int(row_id))
        for row_id, position in as_tuples(
            Recommendation.select(Recommendation.id, Recommendation.position).where(
                Recommendation.inspection == inspection_id
            )
        )
    }
    # the first recommendation in plan order that each action serves
    served: dict[int, tuple[int, int]] = {}
    for action_id, recommendation_id in as_tuples(
        ActionRecommendation.select(
            ActionRecommendation.action, ActionRecommendation.recommendation
        )
        .join(Action)
        .where(Action.inspection == inspection_id)
    ):
        place = recommendations.get(int(recommendation_id))
        if place is not None and (action_id not in served or place < served[action_id]):
            served[int(action_id)] = place
    unserved = (1, 0, 0)

    def under(action_id: int) -> tuple[int, int, int]:
        place = served.get(action_id)
        return unserved if place is None else (0, *place)

    keyed: list[tuple[tuple[Any, ...], EvidenceView]] = []
    for row in as_tuples(
        _of_kind(RECOMMENDATION, Recommendation, Recommendation.reference).where(in_inspection)
    ):
        place = recommendations[int(row[3])]
        keyed.append(((0, *place, 0, 0, 0, 0, 0, 0, row[10], row[0]), _view(row, str(row[-1]))))
    for row in as_tuples(
        _of_kind(ACTION, Action, Action.number, Action.position).where(in_inspection)
    ):
        action_id, number, position = int(row[3]), row[-2], row[-1]
        key = (*under(action_id), 1, position, action_id, 0, 0, 0, row[10], row[0])
        keyed.append((key, _view(row, reference_text(ACTION, number))))
    for row in as_tuples(
        _milestones(
            _of_kind(
                MILESTONE,
                Milestone,
                Milestone.number,
                Milestone.position,
                Action.id,
                Action.number,
                Action.position,
            )
        ).where(in_inspection)
    ):
        number, position, action_id, action_number, action_position = row[-5:]
        key = (
            *under(int(action_id)),
            1,
            action_position,
            action_id,
            1,
            position,
            row[3],
            row[10],
            row[0],
        )
        keyed.append((key, _view(row, reference_text(MILESTONE, number, action_number))))
    keyed.sort(key=lambda pair: pair[0])
    return [view for _, view in keyed]


def evidence_counts(*, inspection_id: int) -> dict[tuple[str, int], int]:
    """How many pieces of evidence each existing item of the inspection has, by (kind, id).

    One query per kind of item, each joining the evidence to its items by primary key, so
    the time follows the evidence, not the plan's 37,500 milestones. An item without
    evidence is left out, and so is a deleted item (its evidence waits for an undo).
    """
    counts: dict[tuple[str, int], int] = {}
    for kind, model in ((RECOMMENDATION, Recommendation), (ACTION, Action), (MILESTONE, Milestone)):
        query = (
            Evidence.select(Evidence.item_id, peewee.fn.COUNT(Evidence.id))
            .join(model, on=(Evidence.item_id == model.id))
            .where((Evidence.item_kind == kind) & (Evidence.inspection == inspection_id))
            .group_by(Evidence.item_id)
        )
        counts.update({(kind, int(item_id)): int(count) for item_id, count in as_tuples(query)})
    return counts
