"""Issue 18 §1–§4: the accessibility walk over every view and dialog, and the fixed colours.

The window is opened on the sample as a person would; each view, then each dialog, is visited
and checked as a keyboard or screen-reader user meets it: every control that takes the focus
is named with its visible label, Tab leaves every table and tree and reaches every button,
every label is heard with what it shows. The counts are printed (``pytest -s`` shows them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from esi_desktop.contrast import ColourPair, contrast_ratio, failures
from ui.accessibility import KEEPS_TAB, announcer
from ui.palette import (
    DARK_BACKGROUNDS,
    LIGHT_BACKGROUNDS,
    fixed_pairs,
    legible,
    theme_pairs,
)
from ui.view_stack import NAMES

TODAY = date(2005, 6, 1)
#: Tab presses allowed to leave a table or tree (one: it must not keep the key at all).
LEAVE_WITHIN = 1


def _plain(text: str) -> str:
    """A label's words as heard: no mnemonic ampersand, no trailing colon or ellipsis."""
    text = re.sub(r"<[^>]+>", "", text).replace("&&", "\0").replace("&", "").replace("\0", "&")
    return " ".join(text.split()).rstrip(":…").strip()  # a line break is heard as a space


def _key(widget: QWidget) -> int:
    """The widget's own address: Python's id() of a wrapper is reused once it is collected."""
    return int(shiboken6.getCppPointer(widget)[0])


def _shown(widget: QWidget, top: QWidget) -> bool:
    return widget.isVisibleTo(top) and widget.isEnabled()


def _takes_tab(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.focusProxy() is None


def _inside_view(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


class Walk:
    """What the walk checked and what it found."""

    def __init__(self) -> None:
        self.controls = 0
        self.labels = 0
        self.traps: list[str] = []
        self.problems: list[str] = []
        self._seen: set[int] = set()  # the views list and menus are met on every view

    def check_names(self, top: QWidget, where: str) -> None:
        """Every focusable control is named with its visible label; every label is heard."""
        if not isinstance(top, QMainWindow):  # a closed dialog's widgets are gone: none seen
            self._seen = set()
        buddies = {
            _key(label.buddy()): _plain(label.text())
            for label in top.findChildren(QLabel)
            if label.buddy() is not None and label.isVisibleTo(top)
        }
        for widget in top.findChildren(QWidget):
            if not _shown(widget, top) or not _takes_tab(widget) or _inside_view(widget):
                continue
            if _key(widget) in self._seen:
                continue
            self._seen.add(_key(widget))
            self.controls += 1
            name = widget.accessibleName()
            label = buddies.get(_key(widget), "")
            if isinstance(widget, QAbstractButton) and _plain(widget.text()):
                label = label or _plain(widget.text())
            described = f"{where}: {type(widget).__name__} {name or label!r}"
            if label and name and label.casefold() not in name.casefold():
                self.problems.append(f"{described} is spoken as {name!r}, not its label {label!r}")
            elif not label and not name and not isinstance(widget, QTabBar):
                self.problems.append(f"{described} has no spoken name")
            elif isinstance(widget, QTabBar) and not name:
                self.problems.append(f"{described}: a tab bar with no spoken name")
        for label in top.findChildren(QLabel):
            text = _plain(label.text())
            if not label.isVisibleTo(top) or not text or _key(label) in self._seen:
                continue
            self._seen.add(_key(label))
            self.labels += 1
            name = label.accessibleName()
            if name and text.casefold() not in name.casefold():
                self.problems.append(f"{where}: label {text!r} is heard as {name!r} only")

    def check_tab_leaves(self, qtbot: QtBot, top: QWidget, where: str) -> None:
        """Tab (Ctrl+Tab where Tab indents) leaves each table and tree at once."""
        for view in top.findChildren(QAbstractItemView):
            if not _shown(view, top) or not _takes_tab(view):
                continue
            view.setFocus(Qt.FocusReason.TabFocusReason)
            qtbot.waitUntil(lambda v=view: QApplication.focusWidget() is v, timeout=2000)
            model = view.model()
            if model is not None and model.rowCount() and not view.currentIndex().isValid():
                view.setCurrentIndex(model.index(0, 0, QModelIndex()))
            modifier = (
                Qt.KeyboardModifier.ControlModifier
                if view.property(KEEPS_TAB)
                else Qt.KeyboardModifier.NoModifier
            )
            for _press in range(LEAVE_WITHIN):
                focus = QApplication.focusWidget()
                assert focus is not None
                qtbot.keyClick(focus, Qt.Key.Key_Tab, modifier)
            focus = QApplication.focusWidget()
            if focus is view or (focus is not None and view.isAncestorOf(focus)):
                self.traps.append(f"{where}: Tab stays in {view.accessibleName() or view}")

    def check_buttons_reached(self, qtbot: QtBot, top: QWidget, where: str) -> None:
        """Tab from the first control reaches every button of a dialog."""
        buttons = [b for b in top.findChildren(QPushButton) if _shown(b, top) and _takes_tab(b)]
        stops = [w for w in top.findChildren(QWidget) if _shown(w, top) and _takes_tab(w)]
        top.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is top, timeout=2000)
        if QApplication.focusWidget() is None:
            stops[0].setFocus(Qt.FocusReason.TabFocusReason)
        reached: set[int] = set()
        for _press in range(len(stops) * 2 + 5):
            focus = QApplication.focusWidget()
            assert focus is not None, f"{where}: nothing has the focus"
            reached.add(_key(focus))
            modifier = (
                Qt.KeyboardModifier.ControlModifier
                if focus.property(KEEPS_TAB)
                else Qt.KeyboardModifier.NoModifier
            )
            qtbot.keyClick(focus, Qt.Key.Key_Tab, modifier)
        for button in buttons:
            if _key(button) not in reached:
                self.traps.append(f"{where}: Tab never reaches the button {button.text()!r}")


def _dialogs(window: Any) -> dict[str, Callable[[], QWidget]]:
    """The dialogs of the menus, made as the menus make them (tests/screen_fit_worker.py)."""
    from tests import screen_fit_worker

    made = screen_fit_worker.windows("sqlite://")
    # the worker opens its own window for the dialogs that need the plan: lend it this one
    state = made["main window, dashboard"].__closure__  # type: ignore[attr-defined]
    assert state is not None
    for cell in state:
        if isinstance(cell.cell_contents, dict):
            cell.cell_contents["window"] = window
            cell.cell_contents["inspection"] = window.workspace.inspection_id
    return {name: make for name, make in made.items() if not name.startswith("main window")}


def test_the_accessibility_walk_over_every_view_and_dialog(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    walk = Walk()
    for name in NAMES:
        window.show_view(name)
        view = window.views.currentWidget()
        qtbot.waitUntil(view.isVisible)
        if name == "recommendations":
            view.table.selectRow(0)
        walk.check_names(window, f"view {name}")
        walk.check_tab_leaves(qtbot, view, f"view {name}")
    dialogs = _dialogs(window)
    for name, make in dialogs.items():
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        walk.check_names(dialog, name)
        walk.check_tab_leaves(qtbot, dialog, name)
        walk.check_buttons_reached(qtbot, dialog, name)
        dialog.close()
    print(
        f"\nAccessibility walk: {len(NAMES)} views and {len(dialogs)} dialogs, "
        f"{walk.controls} controls checked, {walk.labels} labels heard, "
        f"{len(walk.traps)} traps found"
    )
    assert walk.traps == []
    assert walk.problems == []


def test_tab_leaves_the_recommendations_table_for_the_response_and_enter_goes_there(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY)
    window.activateWindow()
    window.show_view("recommendations")
    view = window.views.currentWidget()
    view.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.table)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    qtbot.keyClick(view.table, Qt.Key.Key_Tab)
    focus = QApplication.focusWidget()
    assert focus is not view.table
    assert focus is view.editor.category or view.editor.isAncestorOf(focus)

    view.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.table)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is view.editor.category


def test_ctrl_tab_leaves_the_plan_tree_where_tab_indents_and_the_tree_says_so(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY)
    window.activateWindow()
    window.show_view("plan")
    tree = window.views.currentWidget().tree
    assert "Ctrl+Tab" in tree.toolTip()
    assert "Ctrl+Tab" in tree.accessibleDescription()
    tree.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tree)
    tree.setCurrentIndex(tree.model().index(0, 0))
    qtbot.keyClick(tree, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is not tree


def test_outcomes_in_the_status_bar_are_announced(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window = open_window(TODAY)
    heard: list[str] = []
    announcer.announced.connect(heard.append)
    try:
        window.statusBar().showMessage("Saved: Edit response")
        window.statusBar().showMessage("Ready")
    finally:
        announcer.announced.disconnect(heard.append)
    assert heard == ["Saved: Edit response"]


def test_every_fixed_colour_pair_meets_its_ratio_in_light_and_black_themes() -> None:
    pairs: list[ColourPair] = fixed_pairs()
    for background in LIGHT_BACKGROUNDS + DARK_BACKGROUNDS:
        pairs += theme_pairs(background)
    print(f"\nColour pairs checked: {len(pairs)}")
    assert failures(pairs) == []
    # the house colours themselves are kept where they already read (a light theme)
    assert legible("#a94442", "#ffffff").name() == "#a94442"
    assert contrast_ratio(legible("#a94442", "#000000").name(), "#000000") >= 4.5


def _black_palette() -> QPalette:
    palette = QPalette()
    black, white = QColor("#000000"), QColor("#ffffff")
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button):
        palette.setColor(role, black)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(role, white)
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#101010"))
    return palette


def _columns(model: Any) -> int:
    try:
        return int(model.columnCount(QModelIndex()))
    except TypeError:  # a list model keeps columnCount private: one column
        return 1


def _cell_ratios(model: Any, palette: QPalette) -> list[tuple[str, float]]:
    found = []
    for row in range(model.rowCount(QModelIndex())):
        for column in range(_columns(model)):
            index = model.index(row, column)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            if not text or not isinstance(text, str):
                continue
            back = index.data(Qt.ItemDataRole.BackgroundRole)
            fore = index.data(Qt.ItemDataRole.ForegroundRole)
            bg = back.color() if back is not None else palette.color(QPalette.ColorRole.Base)
            fg = fore.color() if fore is not None else palette.color(QPalette.ColorRole.Text)
            found.append(
                (f"row {row} column {column} {text!r}", contrast_ratio(fg.name(), bg.name()))
            )
    return found


@pytest.mark.parametrize("theme", ["default", "black high contrast"])
def test_no_table_cell_is_unreadable_in_the_default_or_a_black_theme(
    open_window: Callable[..., Any], qtbot: QtBot, theme: str
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = QGuiApplication.palette()
    palette = _black_palette() if theme != "default" else QPalette(before)
    if theme != "default":
        app.setPalette(palette)
    try:
        window = open_window(TODAY)
        checked: list[tuple[str, float]] = []
        for name in NAMES:
            window.show_view(name)
            view = window.views.currentWidget()
            for table in view.findChildren(QAbstractItemView):
                model = table.model()
                if isinstance(table, QHeaderView) or not table.isVisibleTo(window):
                    continue
                if model is not None and _columns(model):
                    checked += [
                        (f"{name}, {table.accessibleName()}: {c}", r)
                        for c, r in _cell_ratios(model, palette)
                    ]
        print(f"\n{theme}: {len(checked)} table cells checked")
        assert checked
        assert [(cell, round(ratio, 2)) for cell, ratio in checked if ratio < 4.5] == []
    finally:
        app.setPalette(before)


#: (text scale, widest, highest): a 1366 × 768 laptop at 125% (1,093 px, less the taskbar);
#: a 1080p screen with text at 200% (1,920 × 1,040 less the taskbar).
FITS = ((1.0, 1093, 700), (2.0, 1920, 1040))


def test_the_window_fits_a_laptop_at_125_percent_and_1080p_with_text_at_200_percent(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font = app.font()
    try:
        for scale, widest, highest in FITS:
            bigger = type(font)(font)
            bigger.setPointSizeF(font.pointSizeF() * scale)
            app.setFont(bigger)
            window = open_window(TODAY, sample=scale == 1.0)
            for name in NAMES:
                window.show_view(name)
                qtbot.waitUntil(window.views.currentWidget().isVisible)
                QApplication.processEvents()
            minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
            print(f"\ntext at {scale:.0%}: minimum {minimum.width()} × {minimum.height()}")
            assert minimum.width() <= widest, f"text at {scale:.0%}"
            assert minimum.height() <= highest, f"text at {scale:.0%}"
            window.close()
    finally:
        app.setFont(font)
