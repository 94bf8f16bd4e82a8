"""File ▸ Export ▸ Evidence bundle for the inspectors…, driven as a person does: the menu
entry, the save dialog, progress and Cancel, and what the status bar says."""

from __future__ import annotations

import errno
import io
import threading
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from db.models import Recommendation
from esi_desktop import evidence
from tests.conftest import Messages
from tests.test_bundle import pdf_of, png
from ui.export.bundle import FILTERS

TODAY = date(2005, 6, 1)


def attach_some() -> None:
    """Three pieces on recommendations 1 and 2: two PDFs and an image."""
    one = Recommendation.get(Recommendation.reference == "1").id
    two = Recommendation.get(Recommendation.reference == "2").id
    evidence.attach(
        item_kind="recommendation", item_id=one, name="Minutes.pdf", data=pdf_of("Zebra")
    )
    evidence.attach(item_kind="recommendation", item_id=one, name="Photo.png", data=png())
    evidence.attach(
        item_kind="recommendation", item_id=two, name="Audit.pdf", data=pdf_of("Yak", 2)
    )


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path, chosen: str = "") -> list[str]:
    """The save dialog answers ``path`` (with the file type ``chosen``); what it offered is
    recorded: the suggested name, then the file types."""
    offered: list[str] = []

    def answer(_parent: QWidget, _title: str, start: str, filters: str) -> tuple[str, str]:
        offered.extend([Path(start).name, filters])
        return str(path), chosen or filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return offered


def press_export(window: Any) -> None:
    """File ▸ Export ▸ Evidence bundle for the inspectors…, chosen from the menu."""
    window.export_bundle_action.trigger()


def test_the_menu_entry_makes_a_pdf_and_says_where(
    open_window: Callable[..., Any], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = open_window(TODAY)
    action = window.export_bundle_action
    assert action.text() == "Evidence &bundle for the inspectors…"
    assert action.shortcut().toString() == "Ctrl+Shift+J"
    assert action in window.export_menu.actions()
    attach_some()
    out = tmp_path / "for the inspectors.pdf"
    offered = save_as(monkeypatch, out)
    press_export(window)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Saved"), timeout=20000)
    assert offered == [
        "Gloucestershire evidence for the inspectors.pdf",
        f"{FILTERS['.pdf']};;{FILTERS['.zip']}",
    ]
    reader = PdfReader(out)
    assert window.statusBar().currentMessage() == (
        f"Saved the evidence bundle to {out}: 3 pieces, {len(reader.pages)} pages."
    )
    texts = [page.extract_text() for page in reader.pages]
    assert any(text.startswith("Zebra page 1") for text in texts)


def test_choosing_zip_without_an_ending_writes_a_zip(
    open_window: Callable[..., Any], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = open_window(TODAY)
    attach_some()
    save_as(monkeypatch, tmp_path / "bundle", FILTERS[".zip"])
    press_export(window)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Saved"), timeout=20000)
    with zipfile.ZipFile(tmp_path / "bundle.zip") as archive:
        assert archive.namelist() == [
            "Evidence index.pdf", "R1/Minutes.pdf", "R1/Photo.png", "R2/Audit.pdf"
        ]  # fmt: skip
        assert PdfReader(io.BytesIO(archive.read("R2/Audit.pdf"))).pages[1].extract_text()


def test_cancel_writes_nothing(
    open_window: Callable[..., Any], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = open_window(TODAY)
    attach_some()
    folder = tmp_path / "out"
    folder.mkdir()
    save_as(monkeypatch, folder / "bundle.pdf")
    go_on = threading.Event()
    reading = evidence.content_of

    def slow(*, evidence_id: int) -> bytes:
        go_on.wait(10)  # the person is slower than the work: hold it until Cancel is pressed
        return reading(evidence_id=evidence_id)

    monkeypatch.setattr(evidence, "content_of", slow)
    press_export(window)
    qtbot.waitUntil(lambda: window.findChild(QProgressDialog) is not None, timeout=5000)
    dialog = window.findChild(QProgressDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    assert dialog.windowTitle() == "Evidence bundle for the inspectors"
    cancel = dialog.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    go_on.set()
    qtbot.waitUntil(
        lambda: (
            window.statusBar().currentMessage()
            == "The evidence bundle was cancelled; nothing was saved."
        ),
        timeout=10000,
    )
    assert list(folder.iterdir()) == []


def test_no_evidence_is_one_clear_message_and_no_save_dialog(
    open_window: Callable[..., Any],
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    messages: Messages,
    tmp_path: Path,
) -> None:
    window = open_window(TODAY)
    offered = save_as(monkeypatch, tmp_path / "bundle.pdf")
    press_export(window)
    qtbot.waitUntil(lambda: bool(messages), timeout=5000)
    assert messages == [
        (
            "Cannot make the evidence bundle",
            "No evidence is attached to the Gloucestershire plan yet, so there is no bundle to "
            "make: attach files to its recommendations, actions or milestones first.",
        )
    ]
    assert offered == [] and not (tmp_path / "bundle.pdf").exists()


def test_a_failure_midway_is_one_sentence_leaves_nothing_and_closes_the_workers_connection(
    open_window: Callable[..., Any],
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    messages: Messages,
    tmp_path: Path,
) -> None:
    from esi_desktop import database

    window = open_window(TODAY)
    attach_some()
    folder = tmp_path / "out"
    folder.mkdir()
    save_as(monkeypatch, folder / "bundle.zip")
    reading = evidence.content_of
    read: list[int] = []

    def full_disk_on_the_second(*, evidence_id: int) -> bytes:
        read.append(evidence_id)
        if len(read) == 2:  # the archive is half written when the disk fills
            raise OSError(errno.ENOSPC, "No space left on device")
        return reading(evidence_id=evidence_id)

    closed_on: list[bool] = []
    closing = database.close_thread_connection

    def close() -> None:
        closed_on.append(threading.current_thread() is threading.main_thread())
        closing()

    monkeypatch.setattr(evidence, "content_of", full_disk_on_the_second)
    monkeypatch.setattr(database, "close_thread_connection", close)
    press_export(window)
    qtbot.waitUntil(lambda: bool(messages), timeout=20000)
    assert messages == [
        (
            "Cannot make the evidence bundle",
            f"Cannot save {folder / 'bundle.zip'}: the disk is full. Free some space and save "
            "again.",
        )
    ]
    assert list(folder.iterdir()) == []  # no half-written archive, no temporary file
    assert closed_on == [False]  # the worker's own connection, not the window's
