"""The import preview shows what the importer had to guess, and the recommendations' stems."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from esi_desktop.report.importer import preview_parsed
from esi_desktop.report.parse import parse_report_pdf
from tests.report_fixtures import REFERENCE_TEXT, make_pdf
from ui.importing.preview_dialog import ImportPreviewDialog


def test_the_preview_shows_a_page_break_guess_and_the_stems(qtbot: QtBot, tmp_path: Path) -> None:
    # 80 characters a line, 30 lines a page: a bullet ends a sentence at the foot of page 48
    # and carries on at the top of page 49, which the importer can only guess
    parsed = parse_report_pdf(make_pdf(REFERENCE_TEXT, width=80, lines_per_page=30))
    dialog = ImportPreviewDialog(preview_parsed(parsed, look_up_existing=False))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.warnings.isVisible()
    shown = dialog.warnings.toPlainText()
    assert "Page 49: the text at the top of the page" in shown
    assert "across the page break; check it against the report." in shown
    assert dialog.stems.isVisible()
    assert '"The Probation Board should ensure that:" (1 to 10)' in dialog.stems.text()
    assert '"The Probation Board should ensure that the area:" (T1 to T5)' in dialog.stems.text()
    dialog.grab().save(str(tmp_path / "import-preview-guesses.png"))
