"""Applying an owner's progress return to the plan: one transaction, after a backup, every
change recorded in the history as made by "<owner> (progress return)".

Milestones are changed with :func:`esi_desktop.plan.update_milestone`, naming the version the
return was sent with: its rules apply as in the window (a refusal is a warning naming the row
and the cell, and the rest of the return is still applied), and a row changed since the
preview is a conflict, not applied. Comments, and answers on an action without milestones,
are appended to the action's internal note with :func:`esi_desktop.plan.update_action`, dated
and signed by the owner; nothing else of an action is touched.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee

from db.models import Action, Milestone, database_proxy
from esi_desktop import backups
from esi_desktop.audit import acting_as
from esi_desktop.errors import EsiError, NotFoundError, ValidationError
from esi_desktop.plan import ConflictError, update_action, update_milestone
from esi_desktop.returns.reading import (
    APPLY,
    CONFLICT,
    NOTE,
    ReturnPreview,
    RowAnswer,
    changed_by_sentence,
    describe_answers,
    refusal,
)
from esi_desktop.wording import ACTION


@dataclass(frozen=True)
class AppliedRow:
    """What applying one row did.

    Attributes:
        changes: the milestone's fields changed, as (field, before, after).
        note: the words added to the action's internal note ("" if none).
    """

    reference: str
    row: int
    changes: tuple[tuple[str, Any, Any], ...]
    note: str = ""


@dataclass(frozen=True)
class ReturnOutcome:
    """What applying a return did."""

    path: Path
    owner: str
    applied: tuple[AppliedRow, ...]
    #: The rows not applied because their item changed since the return was sent.
    conflicts: tuple[RowAnswer, ...]
    warnings: tuple[str, ...]
    #: The backup made first (None for a PostgreSQL database).
    backup: Path | None


def note_line(preview: ReturnPreview, row: RowAnswer) -> str:
    """ "14/05/2005 — ACO Operations (progress return sent 01/05/2005), on AP1.2: …"."""
    said = []
    if row.kind == ACTION and row.answered:
        said.append(describe_answers(row.answered))
    if row.comment:
        said.append(row.comment)
    return (
        f"{preview.today:%d/%m/%Y} — {preview.owner} (progress return sent "
        f"{preview.sent_on:%d/%m/%Y}), on {row.reference}: {'; '.join(said)}"
    )


class _Apply:
    def __init__(self, preview: ReturnPreview) -> None:
        self.preview = preview
        self.applied: dict[int, AppliedRow] = {}  # by row number
        self.conflicts: list[RowAnswer] = list(preview.conflicts)
        self.warnings: list[str] = list(preview.warnings)
        self.notes: dict[int, list[tuple[RowAnswer, str]]] = defaultdict(list)

    def conflict(self, row: RowAnswer) -> None:
        message = (
            f"Row {row.row} ({row.reference}): {row.reference} was changed in the plan"
            f"{changed_by_sentence(row.kind, row.item_id)} while the return was being "
            "imported, so the owner's answers were not applied; read it again."
        )
        self.warnings.append(message)
        self.conflicts.append(dataclasses.replace(row, outcome=CONFLICT, message=message))

    def milestone(self, row: RowAnswer) -> None:
        where = f"Row {row.row} ({row.reference})"
        try:
            change = update_milestone(
                milestone_id=row.item_id,
                changes=row.changes,
                today=self.preview.today,
                expected_version=row.sent_version,
            )
        except ConflictError:
            self.conflict(row)
            return
        except NotFoundError:
            self.warnings.append(
                f"{where}: {row.reference} was deleted from the plan while the return was being "
                "imported; the owner's answers on it were not applied."
            )
            return
        except ValidationError as refused:
            self.warnings.append(refusal(where, row.row, refused))
            return
        now = Milestone.get_by_id(row.item_id)
        fields = [n for n in ("status", "completed_on", "evidence") if n in change.previous]
        changes = tuple((name, change.previous[name], getattr(now, name)) for name in fields)
        self.applied[row.row] = AppliedRow(row.reference, row.row, changes)
        if row.comment and row.action_id is not None:
            self.notes[row.action_id].append((row, note_line(self.preview, row)))

    def note(self, row: RowAnswer) -> None:
        model = Action if row.kind == ACTION else Milestone
        now = model.get_or_none(model.id == row.item_id)
        if now is None or row.action_id is None:
            self.warnings.append(
                f"Row {row.row} ({row.reference}): {row.reference} was deleted from the plan "
                "while the return was being imported; the owner's answers were not applied."
            )
            return
        if now.version != row.sent_version:
            self.conflict(row)
            return
        self.notes[row.action_id].append((row, note_line(self.preview, row)))

    def write_notes(self) -> None:
        for action_id, lines in self.notes.items():
            action = Action.get_or_none(Action.id == action_id)
            if action is None:
                continue
            added = "\n".join(line for _row, line in lines)
            current = str(action.internal_note or "").rstrip()
            note = f"{current}\n\n{added}" if current else added
            try:
                update_action(action_id=action_id, changes={"internal_note": note})
            except (ValidationError, ConflictError) as refused:
                references = ", ".join(row.reference for row, _line in lines)
                self.warnings.append(
                    f"The comments on {references} could not be added to the action's "
                    f"internal note: {refused}"
                )
                continue
            for row, line in lines:
                done = self.applied.get(row.row)
                changes = done.changes if done is not None else ()
                self.applied[row.row] = AppliedRow(row.reference, row.row, changes, line)

    def run(self) -> None:
        for row in self.preview.rows:
            if row.outcome == APPLY:
                self.milestone(row)
            elif row.outcome == NOTE:
                self.note(row)
        self.write_notes()


def apply_return(*, preview: ReturnPreview) -> ReturnOutcome:
    """Store an owner's answers, in one transaction, after a backup of a SQLite database.

    Every change is recorded in the history as made by ``preview.actor`` ("ACO Operations
    (progress return)"). A row that changed since the return was sent, or since the preview,
    is a conflict and is not applied; a row the plan's rules refuse is a warning naming the
    row and the cell; the other rows are applied.

    Raises:
        BackupError: the database could not be backed up first; nothing was applied.
        EsiError: the database refused; nothing was applied.
    """
    made = backups.before_import()
    work = _Apply(preview)
    try:
        with acting_as(preview.actor), database_proxy.atomic():
            work.run()
    except peewee.DatabaseError as exc:
        raise EsiError(
            f"The database refused the return {preview.path.name} ({exc}); nothing was "
            "applied. Check that the database is reachable and not read-only, then try again."
        ) from exc
    return ReturnOutcome(
        path=preview.path,
        owner=preview.owner,
        applied=tuple(work.applied[number] for number in sorted(work.applied)),
        conflicts=tuple(work.conflicts),
        warnings=tuple(dict.fromkeys(work.warnings)),
        backup=made.path if made else None,
    )
