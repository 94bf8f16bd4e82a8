"""The undoable edits of evidence files: attaching files to an item, removing one.

:class:`ui.edits.Edits` has them (it is an :class:`EvidenceEdits`); each performs the use case
at once (a refusal raises with nothing pushed) and pushes a command whose undo and redo each
call the application's use cases, as every other edit of the workspace. The evidence store is
loaded at the first edit of evidence: opening the window does not pay for it (issue 13).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from esi_desktop.settings import EVIDENCE_MAX_MB
from ui.settings import Settings
from ui.workspace import Touches, Workspace

if TYPE_CHECKING:
    from esi_desktop.evidence import EvidenceView
    from esi_desktop.versioned import Snapshot


class EvidenceEdits:
    """The undoable edits of evidence files (a part of :class:`ui.edits.Edits`)."""

    workspace: Workspace

    def attach_evidence(self, item_kind: str, item_id: int, paths: Sequence[Path]) -> list[int]:
        """Attach files as evidence to a recommendation, action or milestone, all or none.

        The largest file allowed is the preference (Edit ▸ Preferences). Undo removes them;
        redo puts them back with their ids. Returns their ids.
        """
        from esi_desktop import evidence
        from ui.evidence.words import attach_text, item_label

        files = [Path(path) for path in paths]
        max_bytes = Settings().value(EVIDENCE_MAX_MB) * 1024 * 1024
        label = item_label(self.workspace.plan(), item_kind, item_id)

        def attach() -> list[int]:
            views = evidence.attach_files(
                item_kind=item_kind, item_id=item_id, paths=files, max_bytes=max_bytes
            )
            return [view.id for view in views]

        # undo and redo each change every file in one transaction: a failure part way (a
        # file removed meanwhile by someone else) changes nothing, rather than dropping some
        # files with no undo left to bring them back
        def remove(ids: list[int]) -> Snapshot:
            return evidence.remove_all(evidence_ids=ids)

        def restore(snapshot: Snapshot) -> list[int]:
            return evidence.restore_removed(snapshot=snapshot)

        ids: list[int] = self.workspace.run(
            attach_text([f.name for f in files], label), do=attach, undo=remove, redo=restore,
            touches=Touches(),  # no row of the plan: the views read the counts again
        )  # fmt: skip
        return ids

    def remove_evidence(self, evidence_id: int, shown: EvidenceView | None = None) -> None:
        """Remove a piece of evidence; undo puts it back (with its id), redo removes it again.

        ``shown``: the evidence as the person saw it, which names it in Edit ▸ Undo.
        """
        from esi_desktop import evidence
        from esi_desktop.evidence.describe import item_words
        from ui.evidence.words import remove_text

        text = (
            remove_text(shown.name, item_words(shown.item_kind, shown.item_reference))
            if shown is not None
            else "Remove evidence"
        )
        self.workspace.run(
            text,
            do=lambda: evidence.remove(evidence_id=evidence_id),
            undo=lambda snapshot: evidence.restore_removed(snapshot=snapshot),
            redo=lambda _restored: evidence.remove(evidence_id=evidence_id),
            touches=Touches(),  # no row of the plan: the views read the counts again
        )
