"""A PDF preview goes when it is closed: it is not kept, with its PDF, until the program ends.

Kept as a child of the window, each closed preview held its PDF's bytes, its QPdfDocument and
its QPdfView for the rest of the run; and after a garbage collection the next main window made
in the process crashed in Qt (QScreen::virtualSiblings, a double deletion), as the test below
did before the preview was deleted on closing.
"""

from __future__ import annotations

import gc
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent
from pytestqt.qtbot import QtBot

from tests.test_export import when_modal
from ui.export import dialogs as export_dialogs
from ui.export.dialogs import PdfExport, PdfPreviewDialog


def _one_page(report: Callable[[int], None]) -> bytes:
    from reportlab.pdfgen import canvas

    report(1)
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(100, 700, "Response and action plan")
    page.showPage()
    page.save()
    return out.getvalue()


def test_a_closed_preview_is_deleted_and_the_next_window_builds(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(date(2005, 3, 1))
    closed: list[PdfPreviewDialog] = []

    def close(dialog: PdfPreviewDialog) -> None:
        closed.append(dialog)
        dialog.close_button.click()

    when_modal(close, PdfPreviewDialog)
    export = PdfExport(window, title="Test", render=_one_page, suggested_path=Path("x.pdf"))
    export.start()
    qtbot.waitUntil(lambda: bool(closed), timeout=30000)
    qtbot.waitUntil(lambda: not export_dialogs._RUNNING, timeout=20000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.findChildren(PdfPreviewDialog) == []
    gc.collect()
    again = open_window(date(2005, 3, 1), sample=False)  # crashed here before
    assert again.isVisible()
