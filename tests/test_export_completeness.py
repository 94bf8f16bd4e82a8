"""An unfinished response never goes out looking final.

Whatever the response and action plan lacks is listed — on the PDF's cover, as warnings on the
command line, in one dialog before the window exports — and the PDF is then marked DRAFT on
every page and in its metadata; only a complete one carries no mark and has the sign-off.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import peewee
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QProgressDialog
from pytestqt.qtbot import QtBot

from db.models import Action, Recommendation
from esi_desktop import plan
from esi_desktop.cli import main
from esi_desktop.export import render_progress, render_response
from esi_desktop.export.completeness import Gap, missing_items
from esi_desktop.inspections import list_inspections
from ui.export.dialogs import PdfPreviewDialog
from ui.export.missing_items import MissingItemsDialog

TODAY = date(2005, 6, 1)
APPROVAL = "We confirm that this response and action plan were approved by the Board."
REFERENCES = [*(str(n) for n in range(1, 11)), "T1", "T2", "T3", "T4", "T5"]
NO_RESPONSE = [f"Recommendation {ref} has no response yet." for ref in REFERENCES]
DRAFT_OF_7 = "Recommendation 7’s response is a draft — needs: why the rest is not agreed."

Messages = list[tuple[str, str]]


def flat(value: str) -> str:
    return " ".join(value.split())


def page_texts(data: bytes) -> list[str]:
    return [flat(page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages]


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


def inspection() -> int:
    return list_inspections()[0].id


def complete_plan() -> int:
    """Every recommendation answered in full; each agreed one has an action with owner and date."""
    inspection_id = inspection()
    for reference in REFERENCES:
        recommendation_id = rec_id(reference)
        if reference == "T5":
            plan.save_response(
                recommendation_id=recommendation_id,
                category="Not agreed",
                narrative="",
                part_agreed="",
                reason="The approved premises review is led nationally by the NPD.",
            )
            continue
        if reference == "7":
            plan.save_response(
                recommendation_id=recommendation_id,
                category="Partly agreed",
                narrative="",
                part_agreed="Community orders supervised by the area",
                reason="Licence plans are drawn up with the prison; their timing is not ours.",
            )
        else:
            plan.save_response(
                recommendation_id=recommendation_id,
                category="Agreed",
                narrative=f"The Board will carry out recommendation {reference} by March 2006.",
                part_agreed="",
                reason="",
                lead_owner="ACO Operations",
            )
        plan.add_action(
            inspection_id=inspection_id,
            recommendation_ids=[recommendation_id],
            text=f"Carry out recommendation {reference}",
            owner="ACO Operations",
            target_date=date(2005, 12, 31),
        )
    return inspection_id


def save_draft_of_7() -> None:
    """A Partly agreed response that does not yet say why the rest is not agreed."""
    plan.save_response(
        recommendation_id=rec_id("7"),
        category="Partly agreed",
        narrative="Unfinished wording about supervision plans",
        part_agreed="Unfinished wording about community orders",
        reason="",
        allow_draft=True,
        overwrite=True,
    )


# ----- what is missing ----------------------------------------------------------------------


def test_missing_items_name_each_gap_in_recommendation_order(sample_db: peewee.Database) -> None:
    inspection_id = inspection()

    def missing() -> list[str]:
        view = plan.load_plan(inspection_id=inspection_id, today=TODAY)
        return [item.message for item in missing_items(view)]

    assert missing() == NO_RESPONSE
    complete_plan()
    assert missing() == []

    blank = {"narrative": "", "part_agreed": "", "reason": ""}
    plan.save_response(recommendation_id=rec_id("3"), category=None, overwrite=True, **blank)
    before = plan.load_plan(inspection_id=inspection_id, today=TODAY)
    own_action = {r: before.recommendation(rec_id(r)).action_ids[0] for r in ("4", "6")}
    plan.delete_action(action_id=own_action["4"])
    # the use cases refuse an action without an owner; older or imported data may have one
    Action.update(owner="").where(Action.id == own_action["6"]).execute()
    both = plan.add_action(
        inspection_id=inspection_id,
        recommendation_ids=[rec_id("1"), rec_id("2")],
        text="Serve both",
        owner="x",
        target_date=TODAY,
    )
    Action.update(owner=" ").where(Action.id == both).execute()
    save_draft_of_7()

    view = plan.load_plan(inspection_id=inspection_id, today=TODAY)
    missing = missing_items(view)
    assert [m.message for m in missing] == [
        "Action “Serve both” (recommendations 1 and 2) has no owner.",  # once, under the first
        "Recommendation 3 has no response yet.",
        "Recommendation 4 is agreed but has no actions yet.",
        "Action “Carry out recommendation 6” (recommendation 6) has no owner.",
        DRAFT_OF_7,
    ]
    assert [(m.reference, m.gap) for m in missing] == [
        ("1", Gap.NO_OWNER),
        ("3", Gap.NO_RESPONSE),
        ("4", Gap.NO_ACTIONS),
        ("6", Gap.NO_OWNER),
        ("7", Gap.DRAFT_RESPONSE),
    ]
    assert missing[0].action_id == both and str(missing[1]) == missing[1].message

    # the database insists on a target date; a plan that lacks one still says so
    undated = dataclasses.replace(view.actions[both], owner="ACO", target_date=None)
    dateless = dataclasses.replace(view, actions={**view.actions, both: undated})
    assert missing_items(dateless)[0].message == (
        "Action “Serve both” (recommendations 1 and 2) has no target date."
    )


# ----- the PDF -------------------------------------------------------------------------------


def test_the_unanswered_sample_is_a_draft_on_every_page_and_lists_what_is_missing(
    sample_db: peewee.Database,
) -> None:
    data = render_response(inspection_id=inspection(), today=TODAY)
    pages = page_texts(data)
    assert len(pages) >= 8
    for number, words in enumerate(pages, start=1):
        assert "DRAFT" in words, f"page {number} is not marked"
    cover = pages[0]
    assert "This is a draft: not yet complete" in cover
    assert "once these 15 things are done" in cover
    for sentence in NO_RESPONSE:
        assert sentence in cover
    everything = " ".join(pages)
    assert APPROVAL not in everything and "Chair of the Board" not in everything
    meta = PdfReader(io.BytesIO(data)).metadata
    assert meta is not None
    assert meta.title == (
        "DRAFT — Response to the inspection report and action plan: Gloucestershire Probation Board"
    )
    assert meta.subject.startswith("DRAFT, not yet complete: ")
    assert "draft" in meta["/Keywords"]


def test_a_complete_plan_carries_no_mark_and_is_signed_off(sample_db: peewee.Database) -> None:
    inspection_id = complete_plan()
    assert missing_items(plan.load_plan(inspection_id=inspection_id, today=TODAY)) == []
    data = render_response(inspection_id=inspection_id, today=TODAY)
    pages = page_texts(data)
    assert not [n for n, words in enumerate(pages, start=1) if "DRAFT" in words]
    everything = " ".join(pages)
    assert APPROVAL in everything
    assert "Chair of the Board" in everything and "Chief Officer" in everything
    assert "This is a draft" not in everything and "Response not yet agreed" not in everything
    meta = PdfReader(io.BytesIO(data)).metadata
    assert meta is not None
    assert meta.title == (
        "Response to the inspection report and action plan: Gloucestershire Probation Board"
    )
    said = f"{meta.title} {meta.subject} {meta['/Keywords']}".lower()
    assert "draft" not in said


def test_a_draft_response_is_listed_and_never_printed_as_the_response(
    sample_db: peewee.Database,
) -> None:
    save_draft_of_7()
    view = plan.load_plan(inspection_id=inspection(), today=TODAY)
    assert view.recommendation(rec_id("7")).response is None  # kept as a draft only
    pages = page_texts(render_response(inspection_id=inspection(), today=TODAY))
    everything = " ".join(pages)
    assert DRAFT_OF_7 in pages[0]
    assert "Recommendation 7 has no response yet." not in pages[0]
    assert "Unfinished wording" not in everything
    assert "Partly agreed" not in everything
    assert everything.count("Response not yet agreed") == 15  # recommendation 7's among them
    assert "15: 15 not yet agreed" in everything


def test_the_progress_paper_is_never_marked(sample_db: peewee.Database) -> None:
    data = render_progress(inspection_id=inspection(), meeting_date=date(2005, 7, 21), today=TODAY)
    assert not any("DRAFT" in words for words in page_texts(data))
    meta = PdfReader(io.BytesIO(data)).metadata
    assert meta is not None and meta.title.startswith("Board progress paper")


# ----- the command line ---------------------------------------------------------------------


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_cli_warns_of_each_missing_item_and_still_writes_the_draft(
    sample_db: peewee.Database, db_url: str, tmp_path: Path
) -> None:
    save_draft_of_7()
    out = tmp_path / "response.pdf"
    status, printed, err = run("export", "response", "--out", str(out), "--db", db_url)
    assert status == 0
    expected = [DRAFT_OF_7 if "Recommendation 7 " in s else s for s in NO_RESPONSE]
    assert err.splitlines() == [f"warning: {sentence}" for sentence in expected]
    assert "Wrote the response and action plan for Gloucestershire" in printed
    assert "marked DRAFT: 15 things are missing." in printed
    assert all("DRAFT" in words for words in page_texts(out.read_bytes()))


def test_cli_prints_no_warning_for_a_complete_plan(
    sample_db: peewee.Database, db_url: str, tmp_path: Path
) -> None:
    complete_plan()
    out = tmp_path / "response.pdf"
    status, printed, err = run("export", "response", "--out", str(out), "--db", db_url)
    assert (status, err) == (0, "")
    assert "DRAFT" not in printed
    assert not any("DRAFT" in words for words in page_texts(out.read_bytes()))


# ----- the window ---------------------------------------------------------------------------


@pytest.fixture
def parent(qtbot: QtBot) -> Iterator[QMainWindow]:
    from ui.app import make_application

    make_application()
    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(900, 700)
    window.show()
    yield window
    window.close()


def workspace_of(inspection_id: int) -> Any:
    from ui.workspace import Workspace

    workspace = Workspace(today=lambda: TODAY)
    workspace.set_inspection(inspection_id)
    return workspace


def on_each_dialog(action: Callable[[QDialog], bool]) -> None:
    """Hand each new modal dialog to ``action`` as it appears, until it returns False.

    Dialogs already there (an earlier test's, not yet collected) are never handed over: the
    first one handed is one this test opened, whenever garbage collection runs. Nor is the
    progress dialog a slow rendering shows (on a busy machine): it asks nothing, and handing
    it over would stop the polling before the preview, whose modal loop then never ends.
    """
    handled: list[QDialog] = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog)]

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QProgressDialog):
            dialog = None
        if isinstance(dialog, QDialog) and not any(dialog is d for d in handled):
            handled.append(dialog)
            if not action(dialog):
                return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def save_to(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    from ui.export import dialogs as export_dialog

    asked: list[str] = []

    def ask(*args: Any, **kwargs: Any) -> tuple[str, str]:
        asked.append(str(args[2]))  # the suggested path
        return str(target), "PDF documents (*.pdf)"

    monkeypatch.setattr(export_dialog.QFileDialog, "getSaveFileName", ask)
    return asked


def test_the_window_lists_what_is_missing_once_and_escape_exports_nothing(
    parent: QMainWindow,
    sample_db: peewee.Database,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: Messages,
) -> None:
    from ui.export import dialogs as export_dialog

    save_draft_of_7()
    target = tmp_path / "response.pdf"
    asked = save_to(monkeypatch, target)

    seen: dict[str, Any] = {}

    def read_and_cancel(dialog: QDialog) -> bool:
        seen["dialog"] = type(dialog).__name__
        if isinstance(dialog, MissingItemsDialog):
            seen["title"] = dialog.windowTitle()
            seen["listed"] = dialog.messages()
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        else:
            dialog.reject()
        return False

    on_each_dialog(read_and_cancel)
    export_dialog.export_response_dialog(parent, workspace_of(inspection()))
    assert seen["dialog"] == "MissingItemsDialog"
    assert seen["title"] == "The response is not complete"
    assert seen["listed"][6] == DRAFT_OF_7 and len(seen["listed"]) == 15
    assert seen["listed"][0] == "Recommendation 1 has no response yet."
    assert not export_dialog._RUNNING and asked == []  # nothing laid out, nothing to save
    assert not target.exists() and messages == []


def test_export_as_draft_previews_and_saves_the_marked_document(
    parent: QMainWindow,
    sample_db: peewee.Database,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    messages: Messages,
) -> None:
    from ui.export import dialogs as export_dialog

    target = tmp_path / "response.pdf"
    asked = save_to(monkeypatch, target)
    seen: list[str] = []

    def go_on(dialog: QDialog) -> bool:
        seen.append(type(dialog).__name__)
        if isinstance(dialog, MissingItemsDialog):
            assert dialog.export_button.text() == "Export as draft"
            qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
            return True
        assert isinstance(dialog, PdfPreviewDialog)
        seen.append(dialog.windowTitle())
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        dialog.close_button.click()
        return False

    on_each_dialog(go_on)
    export_dialog.export_response_dialog(parent, workspace_of(inspection()))
    qtbot.waitUntil(lambda: not export_dialog._RUNNING, timeout=20000)
    assert seen == [
        "MissingItemsDialog",
        "PdfPreviewDialog",
        "Response and action plan (draft) — preview",
    ]
    assert Path(asked[0]).name == "Gloucestershire response and action plan (draft).pdf"
    pages = page_texts(target.read_bytes())
    assert all("DRAFT" in words for words in pages)
    assert "Recommendation T5 has no response yet." in pages[0]
    assert messages == []


def test_a_complete_plan_goes_straight_to_the_preview(
    parent: QMainWindow,
    sample_db: peewee.Database,
    qtbot: QtBot,
    messages: Messages,
) -> None:
    from ui.export import dialogs as export_dialog

    inspection_id = complete_plan()
    seen: list[str] = []

    def look(dialog: QDialog) -> bool:
        seen.append(type(dialog).__name__)
        if isinstance(dialog, PdfPreviewDialog):
            seen.append(dialog.windowTitle())
            dialog.reject()
            return False
        dialog.reject()
        return False

    on_each_dialog(look)
    export_dialog.export_response_dialog(parent, workspace_of(inspection_id))
    qtbot.waitUntil(lambda: not export_dialog._RUNNING, timeout=20000)
    assert seen == ["PdfPreviewDialog", "Response and action plan — preview"]
    assert messages == []
