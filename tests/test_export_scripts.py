"""Other scripts in the PDFs: Arabic and Hebrew print joined and right to left, letters Liberation
Sans lacks print in the fallback font, and what no font here has is named before export.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import peewee
import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from reportlab.platypus import SimpleDocTemplate

from db.models import Recommendation
from esi_desktop import plan
from esi_desktop.cli import main
from esi_desktop.export import render_response, response_content
from esi_desktop.export.fonts import FALLBACK, FALLBACK_BOLD, REGULAR, glyphs_of, unprintable
from esi_desktop.export.scripts import Paragraph, font_runs, joined
from esi_desktop.export.style import stylesheet
from esi_desktop.export.tables import data_table
from esi_desktop.inspections import list_inspections
from ui.export.missing_items import MissingItemsDialog

TODAY = date(2005, 6, 1)
ARABIC = "مرحبا بالعالم"
HEBREW = "שלום עולם"
CHINESE = "中文"
OWNER = "سارة أحمد"
NARRATIVE = (
    f"The Board thanks its volunteers: {ARABIC}, {HEBREW}, {CHINESE}, 😀 and Zoë Brontë "
    "(£48,000 in 2005–06)."
)


def rec_id(reference: str) -> int:
    return int(Recommendation.get(Recommendation.reference == reference).id)


@pytest.fixture
def many_scripts(sample_db: peewee.Database) -> int:
    """The sample inspection, recommendation 1 answered in five scripts and an emoji."""
    plan.save_response(
        recommendation_id=rec_id("1"),
        category="Agreed",
        narrative=NARRATIVE,
        part_agreed="",
        reason="",
        lead_owner=f"<b>{ARABIC}</b> & co",  # markup characters are text, not markup
    )
    inspection_id = list_inspections()[0].id
    plan.add_action(  # the owner fits its cell on one line: a table would draw it plainly
        inspection_id=inspection_id,
        recommendation_ids=[rec_id("1")],
        text="Thank the volunteers",
        owner=OWNER,
        target_date=date(2005, 9, 30),
    )
    return inspection_id


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _to_unicode(cmap: str) -> Iterator[str]:
    """The characters a ToUnicode map gives (the BMP is enough here)."""
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for target in re.findall(r"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]{4})>", block):
            yield chr(int(target, 16))
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, start in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]{4})>", block
        ):
            for offset in range(int(high, 16) - int(low, 16) + 1):
                yield chr(int(start, 16) + offset)


def faces_of_characters(data: bytes) -> dict[str, set[str]]:
    """Each character of the PDF's text, with the embedded faces that draw it."""
    faces: dict[str, set[str]] = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            if "/ToUnicode" not in font:
                continue
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            for character in _to_unicode(cmap):
                faces.setdefault(character, set()).add(name)
    return faces


# ----- what is promised prints ------------------------------------------------------------


def test_every_letter_a_bundled_font_has_is_drawn_in_a_face_that_has_it(many_scripts: int) -> None:
    faces = faces_of_characters(render_response(inspection_id=many_scripts, today=TODAY))
    checked = [c for c in faces if not c.isascii() and not unprintable(c)]
    assert any("\ufe70" <= c <= "\ufeff" for c in checked)  # Arabic, joined
    assert "ש" in checked and "ë" in checked and "£" in checked
    boxes = {c: sorted(f) for c in checked for f in faces[c] if ord(c) not in glyphs_of(f)}
    assert boxes == {}
    assert {f for c in checked if "\ufe70" <= c <= "\ufeff" for f in faces[c]} <= {
        FALLBACK,
        FALLBACK_BOLD,
    }
    assert faces["ë"] == {REGULAR}  # Latin stays in the house font


def test_right_to_left_text_reads_in_order_and_arabic_is_joined(many_scripts: int) -> None:
    text = pdf_text(render_response(inspection_id=many_scripts, today=TODAY))
    # pypdf turns right-to-left runs back into reading order: reversed ones would read backwards
    assert HEBREW in text
    joined = unicodedata.normalize("NFKC", text)  # joined forms back to plain letters
    assert ARABIC in joined
    assert "Zoë Brontë" in text and "<b>" in text  # the lead officer's markup stayed text
    assert OWNER in joined  # in the action plan's table


def test_a_plain_table_cell_in_another_script_becomes_a_paragraph() -> None:
    stylesheet()  # registers the fonts
    table = data_table([["Ref", "Owner"], ["7", OWNER]], [50, 100])
    assert table._cellvalues[1][0] == "7"
    assert isinstance(table._cellvalues[1][1], Paragraph)


def test_a_right_to_left_paragraph_over_several_lines_reads_on_from_line_to_line() -> None:
    words = "אחד שתיים שלוש ארבע חמש שש שבע שמונה"
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=(160, 400), leftMargin=20, rightMargin=20)
    document.build([Paragraph(words, stylesheet()["Body"])])
    lines = PdfReader(buffer).pages[0].extract_text().splitlines()
    assert len(lines) > 1
    assert " ".join(" ".join(lines).split()) == words  # the first words on the first line


def test_runs_take_the_fallback_face_of_their_weight_and_keep_spaces_in_the_run() -> None:
    from esi_desktop.export.fonts import BOLD

    assert font_runs(f"Hello {ARABIC}, world", BOLD) == [
        ("Hello ", BOLD),
        (f"{ARABIC}, ", FALLBACK_BOLD),
        ("world", BOLD),
    ]
    assert font_runs("plain Latin £ – ’ é", REGULAR) == [("plain Latin £ – ’ é", REGULAR)]


def test_arabic_ligatures_the_fonts_lack_stay_as_letters_and_vowel_marks_stay() -> None:
    shaped = joined("بِسْمِ اللَّهِ")  # reshaping alone would make "Allah" one glyph, a box
    assert shaped and all(
        ord(c) in glyphs_of(REGULAR) or ord(c) in glyphs_of(FALLBACK) for c in shaped
    )
    assert shaped.count("\u0650") == 3  # the kasras are kept
    assert "\ufedf\ufee0" in shaped  # the lams of "Allah" are joined (initial, medial)


# ----- what cannot print is named before export -------------------------------------------


def test_characters_no_font_has_are_named_with_where_they_are(many_scripts: int) -> None:
    content = response_content(inspection_id=many_scripts, today=TODAY)
    assert [item.message for item in content.unprintable] == [
        "Recommendation 1’s response has 2 characters the PDF cannot print (中 U+4E2D, "
        "文 U+6587); they would show as empty boxes, so replace them or write them out in "
        "words before the document goes out."
    ]
    assert not any("cannot print" in item.message for item in content.missing)


def test_an_emoji_joiner_and_selector_are_not_named_but_the_unknown_emoji_is() -> None:
    assert unprintable("👍🏽 ❤️ a\u200db 😀") == ["👍", "🏽"]
    assert unprintable(f"{ARABIC} {HEBREW} Ωμέγα Жук ✓ €") == []


def test_cli_warns_of_unprintable_characters_before_the_summary(
    many_scripts: int, db_url: str, tmp_path: Path
) -> None:
    out, err = io.StringIO(), io.StringIO()
    argv = ["export", "response", "--out", str(tmp_path / "r.pdf"), "--db", db_url]
    status = main(argv, out=out, err=err)
    assert status == 0
    warnings = err.getvalue().splitlines()
    assert (
        "warning: Recommendation 1’s response has 2 characters the PDF cannot print "
        "(中 U+4E2D, 文 U+6587); they would show as empty boxes, so replace them or write them "
        "out in words before the document goes out."
    ) in warnings
    assert all(line.startswith("warning: ") for line in warnings)
    # unprintable characters do not make a draft: only the missing items are counted
    missing = len(response_content(inspection_id=many_scripts, today=TODAY).missing)
    assert f"marked DRAFT: {missing} things are missing." in out.getvalue()


def test_latin_text_gives_no_such_warning(sample_db: peewee.Database) -> None:
    plan.save_response(
        recommendation_id=rec_id("1"),
        category="Agreed",
        narrative="A costed plan – £48,000 in 2005–06 – for Zoë Brontë’s team; naïve “quotes”.",
        part_agreed="",
        reason="",
        lead_owner="Head of Learning and Development",
    )
    content = response_content(inspection_id=list_inspections()[0].id, today=TODAY)
    assert content.unprintable == []


def test_the_window_lists_unprintable_characters_with_what_is_missing(
    many_scripts: int, qtbot: QtBot
) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    from ui.app import make_application
    from ui.export import dialogs as export_dialog
    from ui.workspace import Workspace

    make_application()
    parent = QMainWindow()
    qtbot.addWidget(parent)
    workspace = Workspace(today=lambda: TODAY)
    workspace.set_inspection(many_scripts)
    seen: dict[str, Any] = {}

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, MissingItemsDialog):
            QTimer.singleShot(20, look)
            return
        seen["title"] = dialog.windowTitle()
        seen["messages"] = dialog.messages()
        dialog.cancel_button.click()

    QTimer.singleShot(20, look)
    export_dialog.export_response_dialog(parent, workspace)
    messages = seen["messages"]
    assert "Recommendation 2 has no response yet." in messages
    assert messages[-1].startswith("Recommendation 1’s response has 2 characters the PDF cannot")
    assert not export_dialog._RUNNING  # cancelled: nothing laid out


def test_with_nothing_missing_the_dialog_offers_to_export_anyway(qtbot: QtBot) -> None:
    dialog = MissingItemsDialog([], unprintable=["The report’s title has 1 character …"])
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Some characters will not print"
    assert dialog.export_button.text() == "Export anyway"
    assert dialog.messages() == ["The report’s title has 1 character …"]
