"""File ▸ Export ▸ Evidence bundle for the inspectors…: one PDF, or a ZIP of the original files.

What the bundle holds (names, sizes, hashes) is read on the GUI thread, which is quick; the
evidence's bytes, up to hundreds of megabytes, are read in the worker thread on a connection
of its own (peewee keeps one per thread; the window's is never touched there), closed when it
is done, while the progress dialog counts the pieces and offers Cancel. A cancel, or a
failure, writes nothing. An in-memory database has no second connection: there the bytes are
read first, here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from esi_desktop import database
from esi_desktop.errors import EsiError
from esi_desktop.files import PDF, ZIP, OtherKindOfFile, OutputKind, check_output_path
from esi_desktop.wording import plural
from ui.export.dialogs import inspection_or_say_so, safe_name
from ui.runner import BackgroundTask, Report, run_in_background
from ui.saving import documents_folder
from ui.workspace import Workspace

TITLE = "Evidence bundle for the inspectors"
#: The save dialog's choices, by ending.
FILTERS = {
    PDF.suffix: "One PDF for the inspectors (*.pdf)",
    ZIP.suffix: "ZIP archive of the original files, with an index (*.zip)",
}


def ask_bundle_path(parent: QWidget, suggested: str) -> tuple[Path, OutputKind] | None:
    """Where to save the bundle and as what: the ending typed, else the choice of file type."""
    start = str(documents_folder() / safe_name(suggested))
    name, chosen = QFileDialog.getSaveFileName(
        parent, f"Save the {TITLE.lower()}", start, ";;".join(FILTERS.values())
    )
    if not name:
        return None
    path = Path(name)
    kinds = {PDF.suffix: PDF, ZIP.suffix: ZIP}
    kind = kinds.get(path.suffix.lower())
    if kind is None:
        kind = ZIP if chosen == FILTERS[ZIP.suffix] else PDF
        path = path.with_name(path.name + kind.suffix)
    return path, kind


def export_bundle_dialog(parent: QWidget, workspace: Workspace) -> BackgroundTask[object] | None:
    """File ▸ Export ▸ Evidence bundle for the inspectors…

    Returns:
        The work under way (tests wait for it), or None when nothing was started.
    """
    from esi_desktop.export.bundle_content import bundle_content

    inspection_id = inspection_or_say_so(parent, workspace)
    if inspection_id is None:
        return None
    try:
        content = bundle_content(inspection_id=inspection_id, today=workspace.today())
    except EsiError as exc:
        QMessageBox.warning(parent, "Cannot make the evidence bundle", str(exc))
        return None
    asked = ask_bundle_path(parent, f"{content.area} evidence for the inspectors.pdf")
    if asked is None:
        return None
    path, kind = asked
    force = _may_write(parent, path, kind)
    if force is None:
        return None
    return _start(parent, content, path, kind, force)


def _may_write(parent: QWidget, path: Path, kind: OutputKind) -> bool | None:
    """Whether to force the write (asked before a file of another kind is replaced), or None
    when it must not be written (the person was told, or chose not to replace it)."""
    try:
        check_output_path(path, kind=kind)
        return False
    except OtherKindOfFile as exc:
        answer = QMessageBox.question(
            parent,
            "Replace a file of another kind?",
            f"{exc.path} is {exc.found}, not {kind.name}. Replace it with {kind.name}? What it "
            "holds now will be lost.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return True if answer == QMessageBox.StandardButton.Yes else None
    except EsiError as exc:
        QMessageBox.warning(parent, "Cannot save the evidence bundle", str(exc))
        return None


def _start(
    parent: QWidget, content: object, path: Path, kind: OutputKind, force: bool
) -> BackgroundTask[object]:
    from esi_desktop.evidence import content_of
    from esi_desktop.export.bundle import BundleWritten, write_bundle
    from esi_desktop.export.bundle_content import BundleContent

    assert isinstance(content, BundleContent)
    pieces = [piece for _, piece in content.pieces()]
    own_connection = _own_connection_possible()
    read: Callable[[int], bytes]
    if own_connection:
        read = lambda evidence_id: content_of(evidence_id=evidence_id)  # noqa: E731
    else:  # in memory: the worker would find another, empty database
        held = {piece.id: content_of(evidence_id=piece.id) for piece in pieces}
        read = held.__getitem__

    def work(report: Report) -> object:
        last = [-1.0]

        def every_quarter_second(done: int, total: int) -> None:
            # a flood of reports just before the end reaches the progress dialog as it closes;
            # four a second show the progress and answer Cancel as well
            now = time.monotonic()
            if last[0] < 0 or now - last[0] >= 0.25:
                last[0] = now
                report(done, total)

        every_quarter_second(0, len(pieces) + 1)  # Cancel pressed before the work stops it here
        try:
            return write_bundle(
                content, path, kind=kind, read=read, report=every_quarter_second, force=force
            )
        finally:
            if own_connection:
                # peewee opened this thread a connection of its own: close it, and only it
                database.close_thread_connection()

    def saved(result: object) -> None:
        assert isinstance(result, BundleWritten)
        said = f"Saved the evidence bundle to {result.path}: {plural(result.pieces, 'piece')}"
        if kind is PDF:
            said += f", {plural(result.pages, 'page')}"
        if result.notes:
            said += (
                f"; {plural(len(result.notes), 'file')} could not be shown as pages and "
                f"{'is' if len(result.notes) == 1 else 'are'} attached (the index says why)"
            )
        _status(parent, f"{said}.")

    def failed(error: EsiError) -> None:
        QMessageBox.warning(parent, "Cannot make the evidence bundle", str(error))

    def cancelled() -> None:
        _status(parent, "The evidence bundle was cancelled; nothing was saved.")

    def describe(done: int, total: int) -> str:
        if done >= total - 1:
            return "Putting the bundle together…"
        return f"Adding evidence: piece {done + 1} of {total - 1}…"

    return run_in_background(
        parent,
        work,
        on_success=saved,
        on_failure=failed,
        on_cancel=cancelled,
        label="Making the evidence bundle…",
        describe=describe,
        title=TITLE,
        cancellable=True,
        unexpected=(
            "The evidence bundle could not be made because of an unexpected error; the "
            "details were written to the log file. Nothing was saved."
        ),
    )


def _status(parent: QWidget, text: str) -> None:
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, 15000)


def _own_connection_possible() -> bool:
    """Whether a worker thread can open a connection of its own: not to memory."""
    opened = database.opened()
    return opened is not None and (opened.path is not None or "memory" not in opened.url)
