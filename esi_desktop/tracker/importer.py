"""Importing a Board's tracker workbook into an inspection's plan: the preview (what would be
created and changed, and every row left out) and the import itself.

The import stores everything in one transaction, after an automatic backup of a SQLite
database, through the plan's own use cases (:func:`~esi_desktop.plan.add_action` and the
rest), so every item is validated and recorded in the history like one typed in the window,
with the file, sheet and row in the history's description. Each item created keeps the key of
its row (``import_key``); importing the same sheet again finds those items and changes only
what the sheet changed — owner, dates, status, evidence, wording under a reference of the
sheet's own — and creates nothing twice. A row giving this program's own reference ("AP3",
"AP3.2", as in the Plan workbook it exports) updates that item (see
:mod:`~esi_desktop.tracker.stored`). Nothing is ever deleted by an import, and an item's
internal note is never touched. A blank Status or Evidence cell leaves the item's as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import peewee

from db.models import (
    Action,
    Milestone,
    Recommendation,
    as_tuples,
    database_proxy,
)
from esi_desktop import backups
from esi_desktop.errors import EsiError
from esi_desktop.inspections import get_inspection, publication_date
from esi_desktop.plan import (
    add_action,
    add_milestone,
    link_action,
    update_action,
    update_milestone,
)
from esi_desktop.rules import MilestoneStatus
from esi_desktop.tracker.rows import (
    TrackerAction,
    TrackerMilestone,
    TrackerPlan,
    plan_of,
    where,
)
from esi_desktop.tracker.sheet import SheetTable, read_tracker
from esi_desktop.tracker.stored import (
    Matcher,
    StoredAction,
    action_changes,
    milestone_changes,
    recommendations_of,
    stored_plan,
)
from esi_desktop.wording import action_reference, milestone_reference

NEW = "new"
CHANGED = "changed"
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ItemPreview:
    """One action or milestone of the sheet and what importing would do to it."""

    kind: str  # "action" or "milestone"
    key: str
    sheet: str
    row: int
    #: The stored item's reference ("AP3", "AP3.2"); None for an item not yet stored.
    reference: str | None
    #: NEW, CHANGED or UNCHANGED.
    outcome: str
    #: The fields that would change, as (field, old, new), for CHANGED.
    changes: tuple[tuple[str, Any, Any], ...]
    values: Mapping[str, Any]
    #: A milestone's action's key ("" for an action).
    action_key: str = ""


@dataclass(frozen=True)
class TrackerPreview:
    """What importing a workbook into an inspection would do."""

    inspection_id: int
    path: Path
    #: The sheets read: their header row and columns (for the window's mapping step).
    sheets: tuple[SheetTable, ...]
    plan: TrackerPlan
    actions: tuple[ItemPreview, ...]
    milestones: tuple[ItemPreview, ...]
    warnings: tuple[str, ...]
    today: date
    #: Sentences worth reading before importing that are not warnings ("Comments will be
    #: printed as evidence in Board papers …").
    notes: tuple[str, ...] = ()

    def counts(self) -> dict[str, dict[str, int]]:
        """How many actions and milestones would be created, changed or left unchanged:
        ``{"actions": {"new": 3, "changed": 1, "unchanged": 0}, "milestones": {…}}``."""
        counts = {
            kind: dict.fromkeys((NEW, CHANGED, UNCHANGED), 0) for kind in ("actions", "milestones")
        }
        for item in (*self.actions, *self.milestones):
            counts[f"{item.kind}s"][item.outcome] += 1
        return counts


@dataclass(frozen=True)
class TrackerOutcome:
    """What an import did."""

    created_actions: tuple[str, ...]  # references, "AP12"
    created_milestones: tuple[str, ...]  # "AP12.1"
    changed_actions: tuple[str, ...]
    changed_milestones: tuple[str, ...]
    backup: Path | None
    #: Every item's reference after the import, by (kind, its action's key or "", key).
    references: Mapping[tuple[str, str, str], str] = field(default_factory=dict)


def preview_tracker(
    *,
    inspection_id: int,
    path: Path,
    today: date,
    columns: Mapping[str, Mapping[str, int]] | None = None,
    header_rows: Mapping[str, int] | None = None,
    sheets: list[str] | None = None,
) -> TrackerPreview:
    """Read a tracker workbook and say what importing it into the inspection would do.

    Args:
        columns: per sheet name, field → column number (1 is A; 0: not read) replacing what
            the headings say — the window's column-mapping step (fields: :data:`FIELDS`).
        header_rows: per sheet name, the header row when it is not the one found.
        sheets: only these sheets (None: every visible sheet).

    Raises:
        TrackerRefused: the workbook cannot be read, or lacks a column the plan needs; one
            sentence names the file, the sheet and the column. Nothing is stored.
        NotFoundError: there is no such inspection.
    """
    inspection = get_inspection(inspection_id=inspection_id)
    workbook = read_tracker(path, columns=columns, header_rows=header_rows, sheets=sheets)
    known = recommendations_of(inspection_id)
    plan = plan_of(
        workbook, recommendations=known, published=publication_date(inspection), today=today
    )
    matcher = Matcher(stored_plan(inspection_id), plan.actions)
    actions: list[ItemPreview] = []
    milestones: list[ItemPreview] = []
    for action in plan.actions:
        stored, by_reference = matcher.action(action)
        actions.append(_action_preview(action, stored, by_reference))
        for milestone in action.milestones:
            found, named = (
                (None, False) if stored is None else matcher.milestone(milestone, action, stored)
            )
            milestones.append(_milestone_preview(milestone, action, stored, found, named))
    return TrackerPreview(
        inspection_id,
        path,
        workbook.tables,
        plan,
        tuple(actions),
        tuple(milestones),
        (*plan.warnings, *matcher.warnings),
        today,
        workbook.notes,
    )


def import_tracker(*, preview: TrackerPreview) -> TrackerOutcome:
    """Store a previewed tracker in one transaction, after a backup of a SQLite database.

    Items are found again by their import key inside the transaction, so what someone changed
    since the preview is compared afresh; a row the plan's rules refuse stops the whole
    import with a sentence naming its sheet and row.

    Raises:
        BackupError: the database could not be backed up first; nothing was imported.
        EsiError: a row breaks a rule of the plan, or the database refused; nothing was
            imported.
    """
    made = backups.before_import()
    try:
        with database_proxy.atomic():
            outcome = _Store(preview).run()
    except peewee.DatabaseError as exc:
        raise EsiError(
            f"The database refused the import of {preview.path.name} ({exc}); nothing was "
            "imported. Check that the database is reachable and not read-only, then try again."
        ) from exc
    return TrackerOutcome(
        tuple(outcome.created_actions),
        tuple(outcome.created_milestones),
        tuple(outcome.changed_actions),
        tuple(outcome.changed_milestones),
        made.path if made else None,
        outcome.references,
    )


def _action_values(action: TrackerAction) -> dict[str, Any]:
    return {
        "recommendations": action.recommendations,
        "text": action.text,
        "owner": action.owner,
        "target_date": action.target_date,
    }


def _milestone_values(milestone: TrackerMilestone) -> dict[str, Any]:
    return {
        "title": milestone.title,
        "due_date": milestone.due_date,
        "status": None if milestone.status is None else str(milestone.status),
        "completed_on": milestone.completed_on,
        "evidence": milestone.evidence,
    }


def _action_preview(
    action: TrackerAction, stored: StoredAction | None, by_reference: bool
) -> ItemPreview:
    values = _action_values(action)
    if stored is None:
        return ItemPreview("action", action.key, action.sheet, action.row, None, NEW, (), values)
    changes = tuple(action_changes(action, stored, by_reference=by_reference))
    reference = action_reference(stored.number) if stored.number else None
    return ItemPreview(
        "action",
        action.key,
        action.sheet,
        action.row,
        reference,
        CHANGED if changes else UNCHANGED,
        changes,
        values,
    )


def _milestone_preview(
    milestone: TrackerMilestone,
    action: TrackerAction,
    stored_action: StoredAction | None,
    stored: Milestone | None,
    by_reference: bool,
) -> ItemPreview:
    values = _milestone_values(milestone)
    if stored is None or stored_action is None:
        return ItemPreview(
            "milestone",
            milestone.key,
            milestone.sheet,
            milestone.row,
            None,
            NEW,
            (),
            values,
            action.key,
        )
    changes = tuple(milestone_changes(milestone, stored, by_reference=by_reference))
    reference = (
        milestone_reference(stored_action.number, stored.number)
        if stored_action.number and stored.number
        else None
    )
    return ItemPreview(
        "milestone",
        milestone.key,
        milestone.sheet,
        milestone.row,
        reference,
        CHANGED if changes else UNCHANGED,
        changes,
        values,
        action.key,
    )


# ----- storing --------------------------------------------------------------------------------


class _Store:
    """Creates and updates the items of a preview; runs inside the import's transaction."""

    def __init__(self, preview: TrackerPreview) -> None:
        self.preview = preview
        self.today = preview.today
        self.created_actions: list[str] = []
        self.created_milestones: list[str] = []
        self.changed_actions: list[str] = []
        self.changed_milestones: list[str] = []
        self.references: dict[tuple[str, str, str], str] = {}

    def run(self) -> _Store:
        inspection_id = self.preview.inspection_id
        ids = {
            reference: int(rid)
            for rid, reference in as_tuples(
                Recommendation.select(Recommendation.id, Recommendation.reference).where(
                    Recommendation.inspection == inspection_id
                )
            )
        }
        matcher = Matcher(stored_plan(inspection_id), self.preview.plan.actions)
        for action in self.preview.plan.actions:
            try:
                self._action(action, ids, matcher)
            except EsiError as refused:
                raise EsiError(
                    f"{where(action.sheet, action.row)}: {refused} Nothing was imported from "
                    f"{self.preview.path.name}."
                ) from refused
        return self

    def _note(self, sheet: str, row: int) -> str:
        return f"imported from {self.preview.path.name}, sheet {sheet!r}, row {row}"

    def _action(
        self,
        action: TrackerAction,
        ids: Mapping[str, int],
        matcher: Matcher,
    ) -> None:
        stored, by_reference = matcher.action(action)
        assert action.target_date is not None  # plan_of keeps only dated actions
        if stored is None:
            action_id = add_action(
                inspection_id=self.preview.inspection_id,
                recommendation_ids=[ids[r] for r in action.recommendations],
                text=action.text,
                owner=action.owner,
                target_date=action.target_date,
                note=self._note(action.sheet, action.row),
            )
            Action.update(import_key=action.key).where(Action.id == action_id).execute()
            number = Action.get_by_id(action_id).number
            reference = action_reference(number) if number else action.text
            self.created_actions.append(reference)
        else:
            action_id = stored.id
            number = stored.number
            reference = action_reference(number) if number else action.text
            changes = action_changes(action, stored, by_reference=by_reference)
            fields = {name: new for name, _, new in changes if name != "recommendations"}
            if fields:
                update_action(action_id=action_id, changes=fields)
            for name, old, new in changes:
                if name == "recommendations":
                    for added in new[len(old) :]:
                        link_action(action_id=action_id, recommendation_id=ids[added])
            if changes:
                self.changed_actions.append(reference)
        self.references[("action", "", action.key)] = reference
        for milestone in action.milestones:
            found, named = (
                (None, False) if stored is None else matcher.milestone(milestone, action, stored)
            )
            made = self._milestone(milestone, action_id, number, found, named)
            self.references[("milestone", action.key, milestone.key)] = made

    def _milestone(
        self,
        milestone: TrackerMilestone,
        action_id: int,
        action_number: int | None,
        stored: Milestone | None,
        by_reference: bool = False,
    ) -> str:
        """Create or update one milestone; its reference."""
        if stored is None:
            milestone_id = add_milestone(
                action_id=action_id,
                title=milestone.title,
                due_date=milestone.due_date,
                today=self.today,
                status=str(milestone.status or MilestoneStatus.NOT_STARTED),
                note=self._note(milestone.sheet, milestone.row),
            )
            Milestone.update(import_key=milestone.key).where(Milestone.id == milestone_id).execute()
            stored = Milestone.get_by_id(milestone_id)
            extra: dict[str, Any] = {}
            if milestone.evidence:
                extra["evidence"] = milestone.evidence
            if milestone.completed_on is not None and stored.status == MilestoneStatus.COMPLETE:
                extra["completed_on"] = milestone.completed_on
            if extra:
                update_milestone(milestone_id=milestone_id, changes=extra, today=self.today)
            reference = _milestone_reference(action_number, stored)
            self.created_milestones.append(reference)
        else:
            reference = _milestone_reference(action_number, stored)
            changes = milestone_changes(milestone, stored, by_reference=by_reference)
            if changes:
                update_milestone(
                    milestone_id=stored.id,
                    changes={name: new for name, _, new in changes},
                    today=self.today,
                )
                self.changed_milestones.append(reference)
        return reference


def _milestone_reference(action_number: int | None, milestone: Milestone) -> str:
    if action_number and milestone.number:
        return milestone_reference(action_number, milestone.number)
    return str(milestone.title)
