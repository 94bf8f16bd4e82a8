"""Every edit the workspace offers, as an undoable call on :class:`ui.workspace.Workspace`.

Each method performs the use case at once (raising the project's error if it is refused,
with nothing pushed) and pushes a command whose undo and redo each call one use case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from esi_desktop import follow_up, plan
from esi_desktop.errors import EsiError
from esi_desktop.frameworks import get_framework
from esi_desktop.plan import Change, Snapshot
from esi_desktop.plan.responses import set_recommendation_addressee
from esi_desktop.scoring import Result
from ui.evidence.edits import EvidenceEdits
from ui.workspace import Touches, Workspace


def _restore(snapshot: Snapshot) -> Snapshot:
    """Put deleted rows back; returns the snapshot for the next redo."""
    plan.restore(snapshot=snapshot)
    return snapshot


def restore_row(snapshot: Snapshot) -> int:
    """Put a deleted row back; returns its id (kept across undo and redo)."""
    plan.restore(snapshot=snapshot)
    return snapshot.first_id


def versioned_edit(
    workspace: Workspace,
    text: str,
    key: tuple[object, ...],
    apply: Callable[[Any, int | None, bool], Any],
    wanted: Any,
    version: int | None,
    fills_in: tuple[str, int] | None = None,
    touches: Touches | None = None,
) -> Any:
    """An edit of one row under optimistic locking: undo puts the previous values back.

    Args:
        key: names the row (("action", 12)), for the versions this window wrote.
        apply: ``apply(values, expected_version, overwrite)`` runs the use case and returns
            what it changed: a result with ``previous`` (the values it replaced) and
            ``version`` (the row's version now, None when the row is gone).
        wanted: the values this edit writes.
        version: the version the person saw (None: they saw no row).
        touches: the rows of the plan the edit touches (None: read the whole plan again).

    Undo and redo expect the version this window's own latest write left, not the one
    the edit first saw: after two edits to one row, undoing the second must not make the
    first look like someone else's change. A change another connection made in between
    moves the version on and is refused, naming who changed what.
    """
    known = workspace.known_versions

    def run(values: Any, expected: int | None, overwrite: bool = False) -> Any:
        change = apply(values, expected, overwrite)
        known[key] = change.version
        return change

    def latest(fallback: int | None) -> int | None:
        return known.get(key, fallback)

    return workspace.run(
        text,
        do=lambda: run(wanted, version),
        undo=lambda done: run(done.previous, latest(done.version)),
        redo=lambda undone: run(wanted, latest(undone.version)),
        force=lambda: run(wanted, None, True),
        fills_in=fills_in,
        touches=touches,
    )


class Edits(EvidenceEdits):
    """The undoable edits of one workspace (those of evidence files in :mod:`ui.evidence.edits`)."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def _versioned(
        self,
        text: str,
        key: tuple[object, ...],
        apply: Callable[[Any, int | None, bool], Any],
        wanted: Any,
        version: int | None,
        fills_in: tuple[str, int] | None = None,
        touches: Touches | None = None,
    ) -> Any:
        """An edit of one row under optimistic locking (:func:`versioned_edit`)."""
        return versioned_edit(self.workspace, text, key, apply, wanted, version, fills_in, touches)

    # ----- responses and recommendations --------------------------------------------------

    def save_response(
        self, recommendation_id: int, values: Mapping[str, Any], version: int | None
    ) -> Change:
        """Record the Board's response (category, narrative, part agreed, reason, lead owner).

        An incomplete response is kept as a draft (never printed as the Board's response),
        so nothing typed is lost; ``version`` is the stored response's, None if there was none.
        """

        def save(fields: Mapping[str, Any], expected: int | None, overwrite: bool) -> Change:
            return plan.save_response(
                recommendation_id=recommendation_id,
                expected_version=expected,
                overwrite=overwrite,
                allow_draft=True,
                **fields,
            )

        change: Change = self._versioned(
            "Edit response", ("response", recommendation_id), save, values, version,
            touches=Touches.of(recommendations=[recommendation_id]),
        )  # fmt: skip
        return change

    def set_recommendation_fields(
        self, recommendation_id: int, changes: Mapping[str, Any], version: int | None, text: str
    ) -> None:
        """Self-assessment, RAG override or note of a recommendation."""

        def apply(fields: Mapping[str, Any], expected: int | None, overwrite: bool) -> Change:
            return plan.set_recommendation_fields(
                recommendation_id=recommendation_id,
                changes=fields,
                expected_version=None if overwrite else expected,
            )

        self._versioned(
            text, ("recommendation", recommendation_id), apply, changes, version,
            touches=Touches.of(recommendations=[recommendation_id]),
        )  # fmt: skip

    def set_recommendation_addressee(
        self, recommendation_id: int, addressee: str, version: int | None
    ) -> None:
        """Correct who a recommendation is addressed to (``version``: the one shown)."""

        def apply(values: Mapping[str, Any], expected: int | None, overwrite: bool) -> Change:
            return set_recommendation_addressee(
                recommendation_id=recommendation_id,
                addressee=values["addressee"],
                expected_version=None if overwrite else expected,
            )

        self._versioned(
            "Change who it is addressed to", ("recommendation", recommendation_id), apply,
            {"addressee": addressee}, version,
            touches=Touches.of(recommendations=[recommendation_id]),
        )  # fmt: skip

    def set_recommendation_criteria(
        self,
        recommendation_id: int,
        criteria: Iterable[tuple[str, str]],
        version: int | None = None,
    ) -> None:
        """Choose the criteria a recommendation targets (``version``: the one shown)."""

        def apply(values: Mapping[str, Any], expected: int | None, overwrite: bool) -> Change:
            return plan.set_recommendation_criteria(
                recommendation_id=recommendation_id,
                criteria=values["criteria"],
                expected_version=None if overwrite else expected,
            )

        self._versioned(
            "Change targeted criteria",
            ("recommendation", recommendation_id),
            apply,
            {"criteria": list(criteria)},
            version,
            touches=Touches.of(recommendations=[recommendation_id]),
        )

    # ----- actions -------------------------------------------------------------------------

    def add_action(
        self,
        recommendation_ids: Iterable[int],
        text: str,
        owner: str,
        target_date: date,
        position: int | None = None,
    ) -> int:
        """Add an action (at the end, or at ``position``); returns its id (kept on undo/redo)."""
        inspection_id = self._inspection()
        ids = list(recommendation_ids)
        new_id: int = self.workspace.run(
            "Add action",
            do=lambda: plan.add_action(
                inspection_id=inspection_id,
                recommendation_ids=ids,
                text=text,
                owner=owner,
                target_date=target_date,
                position=position,
            ),
            undo=lambda action_id: plan.delete_action(action_id=action_id),
            redo=restore_row,
            creates="action",
            touches=lambda action_id: Touches.of(actions=[action_id], recommendations=ids),
        )
        return new_id

    def update_action(
        self, action_id: int, changes: Mapping[str, Any], version: int | None, text: str
    ) -> None:
        """Change fields of an action."""

        def apply(fields: Mapping[str, Any], expected: int | None, overwrite: bool) -> Change:
            return plan.update_action(
                action_id=action_id,
                changes=fields,
                expected_version=None if overwrite else expected,
            )

        fills_in = ("action", action_id) if set(changes) == {"text"} else None
        self._versioned(
            text, ("action", action_id), apply, changes, version, fills_in,
            Touches.of(actions=[action_id]),
        )  # fmt: skip

    def set_action_criteria(
        self, action_id: int, criteria: Iterable[tuple[str, str]], version: int | None = None
    ) -> None:
        """Choose the criteria an action aims to improve (``version``: the one shown)."""

        def apply(values: Mapping[str, Any], expected: int | None, overwrite: bool) -> Change:
            return plan.set_action_criteria(
                action_id=action_id,
                criteria=values["criteria"],
                expected_version=None if overwrite else expected,
            )

        self._versioned(
            "Change the action's criteria",
            ("action", action_id),
            apply,
            {"criteria": list(criteria)},
            version,
            touches=Touches.of(actions=[action_id]),
        )

    def delete_action(self, action_id: int) -> None:
        """Delete an action with its milestones; undo brings them all back."""
        self.workspace.run(
            "Delete action",
            do=lambda: plan.delete_action(action_id=action_id),
            undo=_restore,
            redo=lambda snapshot: plan.delete_action(action_id=snapshot.first_id),
            touches=Touches.of(actions=[action_id]),
        )

    def link_action(self, action_id: int, recommendation_id: int) -> None:
        """Let an action serve one more recommendation."""

        def link() -> bool:
            return plan.link_action(action_id=action_id, recommendation_id=recommendation_id)

        def unlink() -> bool:
            return plan.unlink_action(action_id=action_id, recommendation_id=recommendation_id)

        # undo removes the link only if this edit made it, and redo mirrors that
        self.workspace.run(
            "Link action to recommendation",
            do=link,
            undo=lambda created: unlink() if created else False,
            redo=lambda removed: link() if removed else False,
            touches=Touches.of(actions=[action_id], recommendations=[recommendation_id]),
        )

    def unlink_action(self, action_id: int, recommendation_id: int) -> None:
        """Stop an action serving a recommendation."""

        def link() -> bool:
            return plan.link_action(action_id=action_id, recommendation_id=recommendation_id)

        def unlink() -> bool:
            return plan.unlink_action(action_id=action_id, recommendation_id=recommendation_id)

        self.workspace.run(
            "Unlink action from recommendation",
            do=unlink,
            undo=lambda removed: link() if removed else False,
            redo=lambda created: unlink() if created else False,
            touches=Touches.of(actions=[action_id], recommendations=[recommendation_id]),
        )

    # ----- milestones ----------------------------------------------------------------------

    def add_milestone(self, action_id: int, title: str, due_date: date) -> int:
        """Add a milestone; returns its id (kept through undo and redo)."""
        today = self.workspace.today()
        new_id: int = self.workspace.run(
            "Add milestone",
            do=lambda: plan.add_milestone(
                action_id=action_id, title=title, due_date=due_date, today=today
            ),
            undo=lambda milestone_id: plan.delete_milestone(milestone_id=milestone_id),
            redo=restore_row,
            creates="milestone",
            touches=lambda milestone_id: Touches.of(actions=[action_id], milestones=[milestone_id]),
        )
        return new_id

    def update_milestone(
        self, milestone_id: int, changes: Mapping[str, Any], version: int | None, text: str
    ) -> None:
        """Change fields of a milestone (completing it records today unless a date is given)."""
        today = self.workspace.today()

        def apply(fields: Mapping[str, Any], expected: int | None, overwrite: bool) -> Change:
            return plan.update_milestone(
                milestone_id=milestone_id,
                changes=fields,
                today=today,
                expected_version=None if overwrite else expected,
            )

        fills_in = ("milestone", milestone_id) if set(changes) == {"title"} else None
        self._versioned(
            text, ("milestone", milestone_id), apply, changes, version, fills_in,
            Touches.of(milestones=[milestone_id]),
        )  # fmt: skip

    def delete_milestone(self, milestone_id: int) -> None:
        """Delete a milestone; undo brings it back."""
        self.workspace.run(
            "Delete milestone",
            do=lambda: plan.delete_milestone(milestone_id=milestone_id),
            undo=_restore,
            redo=lambda snapshot: plan.delete_milestone(milestone_id=snapshot.first_id),
            touches=Touches.of(milestones=[milestone_id]),
        )

    # ----- indent and outdent --------------------------------------------------------------

    def _convert(
        self, text: str, convert: Any, delete_new: Any, touches: Callable[[int], Touches]
    ) -> int:
        """Shared undo logic of indent/outdent: a row replaced by a row of another kind.

        ``touches`` gives the rows touched from the new row's id.
        """

        def undo(done: tuple[int, Snapshot]) -> tuple[Snapshot, Snapshot]:
            new_id, old = done
            new = delete_new(new_id)
            plan.restore(snapshot=old)
            return new, old

        def redo(undone: tuple[Snapshot, Snapshot]) -> tuple[int, Snapshot]:
            new, old = undone
            plan.delete_rows(snapshot=old)
            plan.restore(snapshot=new)
            return new.first_id, old

        result: tuple[int, Snapshot] = self.workspace.run(
            text, do=convert, undo=undo, redo=redo, touches=lambda done: touches(done[0])
        )
        return result[0]

    def indent_action(self, action_id: int, parent_action_id: int) -> int:
        """Make an action (without milestones) a milestone of the action above it."""
        today = self.workspace.today()
        return self._convert(
            "Indent action",
            lambda: plan.action_to_milestone(
                action_id=action_id, parent_action_id=parent_action_id, today=today
            ),
            lambda milestone_id: plan.delete_milestone(milestone_id=milestone_id),
            # the new milestone is the parent's: reading the parent reads it
            lambda _milestone_id: Touches.of(actions=[action_id, parent_action_id]),
        )

    def outdent_milestone(self, milestone_id: int) -> int:
        """Make a milestone an action of its own."""
        return self._convert(
            "Outdent milestone",
            lambda: plan.milestone_to_action(milestone_id=milestone_id),
            lambda action_id: plan.delete_action(action_id=action_id),
            lambda action_id: Touches.of(actions=[action_id], milestones=[milestone_id]),
        )

    # ----- Board meetings and the follow-up ------------------------------------------------

    def add_board_meeting(self, meeting_date: date) -> None:
        """Record a Board meeting date."""
        inspection_id = self._inspection()
        self.workspace.run(
            "Add Board meeting",
            do=lambda: plan.add_board_meeting(
                inspection_id=inspection_id, meeting_date=meeting_date
            ),
            undo=lambda _: plan.delete_board_meeting(
                inspection_id=inspection_id, meeting_date=meeting_date
            ),
            redo=lambda snapshot: plan.restore(snapshot=snapshot),
            touches=Touches(),  # the plan does not list the meetings
        )

    def delete_board_meeting(self, meeting_date: date) -> None:
        """Remove a Board meeting date."""
        inspection_id = self._inspection()
        self.workspace.run(
            "Remove Board meeting",
            do=lambda: plan.delete_board_meeting(
                inspection_id=inspection_id, meeting_date=meeting_date
            ),
            undo=lambda snapshot: plan.restore(snapshot=snapshot),
            redo=lambda _: plan.delete_board_meeting(
                inspection_id=inspection_id, meeting_date=meeting_date
            ),
            touches=Touches(),  # the plan does not list the meetings
        )

    def set_follow_up(self, planned_date: date | None, status: str, version: int | None) -> None:
        """Record the follow-up inspection's planned date and status."""
        inspection_id = self._inspection()

        def apply(values: Mapping[str, Any], expected: int | None, overwrite: bool) -> Change:
            return follow_up.set_follow_up(
                inspection_id=inspection_id,
                planned_date=values["planned_date"],
                status=values["status"],
                expected_version=expected,
                overwrite=overwrite,
            )

        wanted = {"planned_date": planned_date, "status": status}
        self._versioned(
            "Edit follow-up inspection", ("follow_up", inspection_id), apply, wanted, version,
            touches=Touches(),  # not in the plan
        )  # fmt: skip

    def set_follow_up_result(
        self, framework_id: str, code: str, value: Result | None, version: int | None = None
    ) -> None:
        """Record or clear a criterion's follow-up result.

        ``version``: the version of the result shown (see ``follow_up.result_versions``);
        None when none was shown.
        """
        inspection_id = self._inspection()

        def apply(
            result: Result | None, expected: int | None, overwrite: bool
        ) -> follow_up.ResultChange:
            return follow_up.set_follow_up_result(
                inspection_id=inspection_id,
                framework_id=framework_id,
                code=code,
                value=result,
                expected_version=expected,
                overwrite=overwrite,
            )

        framework = get_framework(framework_id)
        self._versioned(
            f"Follow-up result for {code} ({framework.short_title})",
            ("result", inspection_id, framework_id, code),
            apply,
            value,
            version,
            touches=Touches(),  # not in the plan
        )

    def _inspection(self) -> int:
        if self.workspace.inspection_id is None:
            raise EsiError("Open an inspection first: this database has none on show.")
        return self.workspace.inspection_id
