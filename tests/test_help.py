"""F1 opens the user guide shipped with the program: a page per view, the clock, every key."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from esi_desktop.resources import GUIDE_DIR
from ui.help import PAGES, GuideDialog
from ui.main_window import VIEWS

TODAY = date(2005, 3, 10)


def open_guide(window: Any, qtbot: QtBot) -> GuideDialog:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: isinstance(getattr(window, "user_guide", None), GuideDialog))
    guide: GuideDialog = window.user_guide
    qtbot.waitExposed(guide)
    return guide


def choose_page(guide: GuideDialog, qtbot: QtBot, title: str) -> str:
    titles = [guide.contents.item(row).text() for row in range(guide.contents.count())]
    item = guide.contents.item(titles.index(title))
    rect = guide.contents.visualItemRect(item)
    qtbot.mouseClick(guide.contents.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return guide.browser.toPlainText()


def test_f1_opens_a_page_for_each_view_and_the_clock(open_window: Any, qtbot: QtBot) -> None:
    window = open_window(TODAY)
    guide = open_guide(window, qtbot)
    assert "ESI Desktop — user guide" in guide.browser.toPlainText()
    for _name, title, _key in VIEWS:
        text = choose_page(guide, qtbot, title.replace("&&", "&"))
        assert text.startswith(title.replace("&&", "&")), text[:80]
    clock = choose_page(guide, qtbot, "The statutory clock")
    assert "three months after publication" in clock
    assert "twelve months of publication" in clock
    # a link in a page leads to another page, offline
    guide.show_page("dashboard.html")
    assert guide.contents.currentItem().text() == "Dashboard"
    # every page is in the contents list and linked from the contents page
    contents = (GUIDE_DIR / "index.html").read_text(encoding="utf-8")
    for file, title in PAGES[1:]:
        assert f'href="{file}"' in contents, file
        guide.show_page(file)
        assert guide.contents.currentItem().text() == title
    assert all((GUIDE_DIR / file).is_file() for file, _title in PAGES)


def test_the_guide_lists_every_shortcut_of_the_window(open_window: Any, qtbot: QtBot) -> None:
    window = open_window(TODAY)
    guide = open_guide(window, qtbot)
    listed = choose_page(guide, qtbot, "Keyboard shortcuts")
    keys = set()
    for action in window.findChildren(QAction):
        for shortcut in action.shortcuts():
            if not shortcut.isEmpty():
                keys.add(shortcut.toString(QKeySequence.SequenceFormat.NativeText))
    # the views' own commands are there too, not only the menus'
    assert {"F1", "Ctrl+1", "Ctrl+Shift+A", "Ctrl+L", "Ctrl+Z"} <= keys
    missing = sorted(k for k in keys if k not in listed)
    assert missing == [], f"the guide does not list {missing}"
    assert "Action plan" in listed and "Add milestone" in listed


def test_the_guide_fits_and_closes(open_window: Any, qtbot: QtBot) -> None:
    window = open_window(TODAY)
    guide = open_guide(window, qtbot)
    screen = guide.screen().availableGeometry()
    assert guide.frameGeometry().height() <= screen.height()
    qtbot.mouseClick(guide.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not guide.isVisible())
    assert QApplication.activeModalWidget() is None


def test_the_inspection_record_page_names_the_menus_and_keys_that_work(
    open_window: Any, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox, QGroupBox, QLabel

    from ui.inspection import InspectionEditor

    window = open_window(TODAY)
    # the words the editor shows, read from the editor opened by its keys
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_I,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    editor = window.findChild(InspectionEditor)
    assert isinstance(editor, InspectionEditor) and editor.isVisible()
    shown = [
        *(w.text() for w in editor.findChildren(QLabel) if w.buddy() is not None),
        *(
            w.text()
            for w in editor.findChildren(QAbstractButton)
            if not isinstance(w.parent(), QDialogButtonBox)  # Save and Cancel
        ),
        *(w.title() for w in editor.findChildren(QGroupBox)),
    ]
    fields = {" ".join(t.replace("&", "").rstrip(":").split()) for t in shown} - {"to"}
    assert {"Published", "Day of publication known", "Add round", "Follow-up rounds"} <= fields
    editor.reject()

    guide = open_guide(window, qtbot)
    page = " ".join(choose_page(guide, qtbot, "The inspection record").split())
    assert page.startswith("The inspection record")
    missing = sorted(f for f in fields if f not in page)
    assert missing == [], f"the page does not name {missing}"
    assert "assumed 1st" in page
    assert "A backup of the whole database is made before anything is deleted" in page
    # each command of the Inspection menu, by its words and its keys as the window has them
    menu = next(
        top.menu()
        for top in window.menuBar().actions()
        if top.text().replace("&", "") == "Inspection"
    )
    commands = [a for a in menu.actions() if not a.isSeparator()]
    assert len(commands) == 4
    for action in commands:
        words = action.text().replace("&", "")
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert f"Inspection ▸ {words}" in page, words
        assert keys and keys in page, (words, keys)
    # the statutory clock's page leads to it
    guide.show_page("clock.html")
    assert "the inspection record" in guide.browser.toPlainText()
