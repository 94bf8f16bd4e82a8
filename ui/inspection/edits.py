"""The inspection record's undoable edits, as :class:`ui.edits.Edits` makes its neighbours'."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from esi_desktop import follow_up, inspection_record
from esi_desktop.versioned import Change, Snapshot, restore
from ui.edits import versioned_edit
from ui.workspace import Workspace


def save_record(
    workspace: Workspace, inspection_id: int, values: Mapping[str, Any], version: int | None,
    text: str = "Edit the inspection record",
) -> Change:  # fmt: skip
    """Save fields of the inspection record; undo puts the previous values back.

    Raises:
        EsiError: the edit was refused (its sentence says why); nothing was written.
    """

    def apply(wanted: Mapping[str, Any], expected: int | None, overwrite: bool) -> Change:
        return inspection_record.update_inspection_record(
            inspection_id=inspection_id,
            values=dict(wanted),
            expected_version=expected,
            overwrite=overwrite,
        )

    change: Change = versioned_edit(
        workspace, text, ("inspection", inspection_id), apply, dict(values), version
    )
    return change


def add_round(workspace: Workspace, inspection_id: int, kind: str) -> follow_up.FollowUpView:
    """Add the next follow-up round; undo removes it again (it has no results yet)."""

    def undo(added: follow_up.FollowUpView) -> Snapshot:
        return follow_up.remove_round(inspection_id=inspection_id, round=added.round)

    def redo(removed: Snapshot) -> follow_up.FollowUpView:
        if removed.rows:
            restore(snapshot=removed)
            return follow_up.get_follow_up(
                inspection_id=inspection_id, round=int(removed.rows[0][1]["round"])
            )
        return follow_up.add_round(inspection_id=inspection_id, kind=kind)

    added: follow_up.FollowUpView = workspace.run(
        f"Add follow-up round ({kind.lower()})",
        do=lambda: follow_up.add_round(inspection_id=inspection_id, kind=kind),
        undo=undo,
        redo=redo,
    )
    return added
