"""File ▸ Export in Word, Excel, Outlook calendar and e-mail, driven as a person does."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import docx
import icalendar
import openpyxl  # type: ignore[import-untyped]
import peewee
import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from tests.test_export import TODAY, fill_plan, when_modal
from ui.export import office
from ui.export.questions import MeetingDateDialog


@pytest.fixture
def window(qtbot: QtBot, sample_db: peewee.Database) -> Iterator[tuple[QMainWindow, Any]]:
    """A window on the realistic plan of the PDF tests (responses, actions, internal notes)."""
    from ui.app import make_application
    from ui.workspace import Workspace

    make_application()
    main_window = QMainWindow()
    qtbot.addWidget(main_window)
    main_window.show()
    workspace = Workspace(today=lambda: TODAY)
    workspace.set_inspection(fill_plan().inspection_id)
    yield main_window, workspace
    main_window.close()


@pytest.fixture
def save_to(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """The save dialog answers with a file in the test's folder, named as the person typed it
    (without its ending); the names the program suggested are recorded."""
    suggested: list[str] = []

    def answer(_parent: QWidget, _title: str, start: str, _filter: str) -> tuple[str, str]:
        suggested.append(Path(start).name)
        return str(tmp_path / "saved"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    from ui.export import dialogs

    monkeypatch.setattr(dialogs, "confirm_draft_export", lambda *args: True)  # "Export as draft"
    return suggested


def test_the_response_as_a_word_document(
    window: tuple[QMainWindow, Any], qtbot: QtBot, tmp_path: Path, save_to: list[str]
) -> None:
    parent, workspace = window
    office.export_word_dialog(parent, workspace)
    saved = tmp_path / "saved.docx"  # the ending is added when it was left off
    qtbot.waitUntil(saved.exists, timeout=30000)
    assert save_to == ["Gloucestershire response and action plan (draft).docx"]
    document = docx.Document(str(saved))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings and any("Recommendation" in h or "response" in h.lower() for h in headings)
    qtbot.waitUntil(lambda: "Saved the Word document" in parent.statusBar().currentMessage())


def test_the_plan_as_an_excel_workbook_for_the_meeting_chosen(
    window: tuple[QMainWindow, Any], qtbot: QtBot, tmp_path: Path, save_to: list[str]
) -> None:
    parent, workspace = window

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, MeetingDateDialog)
        dialog.date_edit.setDate(date(2005, 7, 21))
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    when_modal(choose, MeetingDateDialog)
    office.export_workbook_dialog(parent, workspace)
    saved = tmp_path / "saved.xlsx"
    qtbot.waitUntil(saved.exists, timeout=30000)
    assert save_to == ["Gloucestershire action plan 2005-07-21.xlsx"]
    workbook = openpyxl.load_workbook(saved)
    assert workbook.sheetnames[:2] == ["Plan", "Progress"]
    assert workbook["Plan"].freeze_panes == "A2"


def test_the_calendar_takes_the_reminder_from_the_preferences(
    window: tuple[QMainWindow, Any], qtbot: QtBot, tmp_path: Path, save_to: list[str]
) -> None:
    from esi_desktop.settings import CALENDAR_REMINDER_DAYS
    from ui.settings import Settings

    parent, workspace = window
    Settings().set_value(CALENDAR_REMINDER_DAYS, 3)
    office.export_calendar_dialog(parent, workspace)
    saved = tmp_path / "saved.ics"
    qtbot.waitUntil(saved.exists, timeout=30000)
    calendar = icalendar.Calendar.from_ical(saved.read_bytes())
    assert calendar.walk("VEVENT")
    assert {str(a["TRIGGER"].to_ical(), "ascii") for a in calendar.walk("VALARM")} == {"-P3D"}


def test_send_by_email_checks_the_address_then_opens_the_draft(
    window: tuple[QMainWindow, Any],
    qtbot: QtBot,
    tmp_path: Path,
    save_to: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parent, workspace = window
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    seen: list[str] = []

    def address(dialog: QWidget) -> None:
        assert isinstance(dialog, office.EmailDialog)
        qtbot.keyClicks(dialog.to, "inspectorate@")
        qtbot.keyClick(dialog.to, Qt.Key.Key_Return)  # refused: said in the dialog
        seen.append(dialog.problem.text())
        # the dialog's focus is back on the address (hasFocus also needs the window to be the
        # active one, which another test's window may still be on a busy run)
        assert dialog.isVisible() and dialog.focusWidget() is dialog.to
        qtbot.keyClicks(dialog.to, "example.gov.uk")
        qtbot.keyClick(dialog.to, Qt.Key.Key_Return)

    when_modal(address, office.EmailDialog)
    office.email_dialog(parent, workspace)
    assert "is not an e-mail address" in seen[0]
    saved = tmp_path / "saved.eml"
    qtbot.waitUntil(lambda: bool(opened), timeout=30000)
    assert opened == [QUrl.fromLocalFile(str(saved))]
    message = BytesParser(policy=policy.default).parsebytes(saved.read_bytes())
    assert message["X-Unsent"] == "1" and message["To"] == "inspectorate@example.gov.uk"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content().startswith(b"%PDF-")
