"""What every view of the workspace shares: the inspection on show, the undo stack, "today".

Views never write to the database themselves: they call :meth:`Workspace.run`, which performs
a use case, pushes an undo command for it and tells every view to reload. A use case that
refuses (a validation error, a conflict) pushes nothing and raises, so the view can show the
sentence at the field.

An edit that says which rows it touches (:class:`Touches`) does not read the whole plan
again: the workspace reads those rows again (:func:`esi_desktop.plan.refresh_plan`), emits
:attr:`Workspace.patched` with what it read, so the Action plan updates just those rows,
then :attr:`Workspace.changed`. Undo and redo take the same path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from esi_desktop import database, plan
from esi_desktop.errors import EsiError
from esi_desktop.plan import ConflictError, PlanView

#: How a conflict is settled: keep the other person's change (and reload), or overwrite it.
RELOAD, OVERWRITE = "reload", "overwrite"


class ConflictReloaded(EsiError):
    """The user chose to see the other person's change; their own edit was not made."""


@dataclass(frozen=True)
class Touches:
    """The rows of the plan an edit adds, changes or deletes (by id), for a partial re-read.

    A milestone's action and an action's recommendations are read with them, so naming the
    milestone is enough for a milestone's edit. An edit of nothing in the plan (a Board
    meeting, a follow-up result) touches nothing: ``Touches()``.
    """

    actions: frozenset[int] = frozenset()
    milestones: frozenset[int] = frozenset()
    recommendations: frozenset[int] = frozenset()

    @classmethod
    def of(
        cls,
        actions: tuple[int, ...] | list[int] = (),
        milestones: tuple[int, ...] | list[int] = (),
        recommendations: tuple[int, ...] | list[int] = (),
    ) -> Touches:
        """Touches from plain sequences of ids."""
        return cls(frozenset(actions), frozenset(milestones), frozenset(recommendations))


#: What an edit touches: known before it runs, or worked out from what it returned (the id of
#: a row it added); None: it cannot tell, and the whole plan is read again.
TouchesOf = Touches | Callable[[Any], Touches] | None


class Workspace(QObject):
    """The shared state of the workspace views.

    Signals:
        patched: part of the plan was read again after an edit, undo or redo (a
            :class:`~esi_desktop.plan.PlanChange` naming it); :meth:`plan` is the plan with
            it. Emitted just before :attr:`changed`, so a view that updates those rows can
            skip the reload that follows (:meth:`plan` is then the plan it shows).
        changed: the plan changed (after an edit, undo or redo); views reload.
        inspection_changed: another inspection is on show.
        failed: an undo or redo could not be carried out; the sentence says why.
        navigate: a view asks to show another one, with an item to select
            (page name, kind "recommendation" / "action" / "milestone", id).
    """

    patched = Signal(object)
    changed = Signal()
    inspection_changed = Signal(int)
    failed = Signal(str)
    navigate = Signal(str, str, int)

    def __init__(self, today: Callable[[], date] = date.today) -> None:
        super().__init__()
        self.undo_stack = QUndoStack(self)
        self.inspection_id: int | None = None
        self._today = today
        self._plan: PlanView | None = None
        #: The plan the latest :attr:`patched` change was read into: a view showing another
        #: one (it missed a change) reloads instead of patching.
        self.patched_from: PlanView | None = None
        #: Asked what to do when an edit meets someone else's change; None: just refuse.
        self.resolve_conflict: Callable[[ConflictError], str] | None = None
        #: The version each row is at after this window's own latest write to it, by a key
        #: naming the row (("action", 12), ("response", 3) ...); None: this window removed it
        #: (or found none). Undo and redo expect these, so a run of one's own edits to one row
        #: undoes in full, while a change from another connection in between still conflicts.
        self.known_versions: dict[tuple[object, ...], int | None] = {}

    def today(self) -> date:
        """Today's date (tests pin it)."""
        return self._today()

    def set_inspection(self, inspection_id: int | None) -> None:
        """Show another inspection; its edits start a fresh undo history."""
        if inspection_id == self.inspection_id:
            return
        self.inspection_id = inspection_id
        self.undo_stack.clear()
        self.known_versions.clear()
        self._plan = None
        if inspection_id is not None:
            self.inspection_changed.emit(inspection_id)
        self.changed.emit()

    def plan(self) -> PlanView | None:
        """The plan on show, read once per change and shared by the views."""
        if self.inspection_id is None:
            return None
        if self._plan is None:
            self._plan = plan.load_plan(inspection_id=self.inspection_id, today=self.today())
        return self._plan

    def invalidate(self) -> None:
        """Forget the cached plan and tell the views to reload."""
        self._plan = None
        self.changed.emit()

    def refresh(self, touches: Touches | None, *, reload_on_error: bool = True) -> None:
        """Read again the rows an edit touched and tell the views (the whole plan if None).

        Emits :attr:`patched` with what was read again, then :attr:`changed`. When the rows
        cannot be read (a lost connection), the views reload and say why; with
        ``reload_on_error`` False nothing happens then (the next edit will say why).
        """
        if touches is None or self._plan is None or self.inspection_id is None:
            self.invalidate()
            return
        before = self._plan
        try:
            self._plan, change = plan.refresh_plan(
                before,
                action_ids=touches.actions,
                milestone_ids=touches.milestones,
                recommendation_ids=touches.recommendations,
                today=self.today(),
            )
        except EsiError:
            if reload_on_error:
                self.invalidate()  # the views read again and say why
            return
        self.patched_from = before
        self.patched.emit(change)
        self.changed.emit()

    def push(self, command: EditCommand) -> None:
        """Do an edit now and put it on the undo stack.

        An edit that fills in a row the previous command has just added (typing the title of
        a new milestone) joins that command: undoing it removes the row as it now is, and
        redoing brings it back as typed, so one Ctrl+Z undoes "add a milestone".

        Raises:
            EsiError: the edit was refused; nothing was written or pushed.
        """
        # a shared server that has stalled refuses the edit within seconds, not after the
        # statement timeout with the window frozen meanwhile
        database.check_server_before_saving()
        try:
            command.do_first()
        except ConflictError as conflict:
            if self.resolve_conflict is None:
                raise
            if self.resolve_conflict(conflict) != OVERWRITE or not command.can_force:
                self.invalidate()
                raise ConflictReloaded(
                    "The view now shows the other change; make yours again if it is still needed."
                ) from conflict
            command.force_first()
        top = self.undo_stack.command(self.undo_stack.index() - 1)
        joins = (
            isinstance(top, EditCommand)
            and command.fills_in is not None
            and self.undo_stack.index() == self.undo_stack.count()
            and top.created == command.fills_in
            and not top.filled_in
        )
        if joins and isinstance(top, EditCommand):
            top.filled_in = True  # only the first fill-in joins; later edits are their own
            top.also_touches(command.touches())
        else:
            self.undo_stack.push(command)
        self.refresh(command.touches())

    def run(
        self, text: str, do: Callable[[], Any], undo: Callable[[Any], Any],
        redo: Callable[[Any], Any] | None = None, *, creates: str | None = None,
        fills_in: tuple[str, int] | None = None, force: Callable[[], Any] | None = None,
        touches: TouchesOf = None,
    ) -> Any:  # fmt: skip
        """Do ``do()`` now and make it undoable.

        Args:
            text: what the edit is, for Edit ▸ Undo "…".
            do: performs the edit and returns what undoing needs.
            undo: called with that value to undo; returns what redoing needs.
            redo: called with what ``undo`` returned to redo; defaults to ``do`` again.
            creates: the kind of row ``do`` adds (its result is the new id), so that
                :meth:`push` can join the edit that fills the new row in.
            fills_in: the (kind, id) of a row this edit fills in.
            force: does the edit without the version check, when the user chooses to
                overwrite someone else's change.
            touches: the rows of the plan the edit touches (or a function of what ``do``
                returns giving them), so that only those are read again; None reads the
                whole plan again.

        Returns:
            What ``do`` returned.

        Raises:
            EsiError: the edit was refused; nothing was written or pushed.
        """
        command = EditCommand(
            self, text, do, undo, redo, creates=creates, fills_in=fills_in, force=force,
            touches=touches,
        )  # fmt: skip
        self.push(command)
        return command.result


class EditCommand(QUndoCommand):
    """One edit: ``redo`` and ``undo`` each call one use case (Orange canvas style)."""

    def __init__(
        self,
        workspace: Workspace,
        text: str,
        do: Callable[[], Any],
        undo: Callable[[Any], Any],
        redo: Callable[[Any], Any] | None,
        *,
        creates: str | None = None,
        fills_in: tuple[str, int] | None = None,
        force: Callable[[], Any] | None = None,
        touches: TouchesOf = None,
    ) -> None:
        super().__init__(text)
        self._touches = touches
        self._also: list[Touches | None] = []
        self._force = force
        self._creates = creates
        self.fills_in = fills_in
        self.filled_in = False
        self._workspace = workspace
        self._do = do
        self._undo = undo
        self._redo = redo
        self._done = False
        self.result: Any = None
        self._undo_result: Any = None

    @property
    def created(self) -> tuple[str, int] | None:
        """The (kind, id) of the row this command added, if it adds one."""
        if self._creates is None or not isinstance(self.result, int):
            return None
        return (self._creates, self.result)

    def touches(self) -> Touches | None:
        """The rows this edit touches (None: it cannot tell)."""
        touches = self._touches
        if callable(touches):
            touches = touches(self.result)
        for also in self._also:
            if touches is None or also is None:
                return None
            touches = Touches(
                touches.actions | also.actions,
                touches.milestones | also.milestones,
                touches.recommendations | also.recommendations,
            )
        return touches

    def also_touches(self, touches: Touches | None) -> None:
        """An edit joined to this one touches these rows too (undo and redo read them)."""
        self._also.append(touches)

    @property
    def can_force(self) -> bool:
        """True when the edit can be made over someone else's change."""
        return self._force is not None

    def force_first(self) -> None:
        """Make the edit over someone else's change (the user chose to overwrite it)."""
        assert self._force is not None
        self._do = self._force
        self.do_first()

    def do_first(self) -> None:
        """Perform the edit before the command is pushed (so a refusal pushes nothing)."""
        self.result = self._do()
        self._done = True

    def redo(self) -> None:
        if self._done:  # push() calls redo(); the edit was already done in do_first()
            self._done = False
            return
        self._guard(lambda: self._do_redo())

    def _do_redo(self) -> None:
        if self._redo is None:
            self.result = self._do()
        else:
            self.result = self._redo(self._undo_result)

    def undo(self) -> None:
        self._guard(lambda: setattr(self, "_undo_result", self._undo(self.result)))

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            database.check_server_before_saving()
            action()
        except EsiError as exc:
            self.setObsolete(True)
            self._workspace.failed.emit(str(exc))
            self._workspace.invalidate()
            return
        self._workspace.refresh(self.touches())
