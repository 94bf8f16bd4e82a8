"""Issue 18 §3: colours worked out for the theme follow a change of theme while the program runs.

A Board secretary who switches Windows to a black high-contrast theme with the program open
must still read every error sentence: the colours written into style sheets when each widget
was built (for a light theme) are worked out again when the application's palette changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from esi_desktop.contrast import contrast_ratio
from ui.date_field import DateField
from ui.view_stack import NAMES

TODAY = date(2005, 6, 1)
_COLOUR = re.compile(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})")
_BACKGROUND = re.compile(r"background(?:-color)?:\s*(#[0-9a-fA-F]{6})")


def _black_palette() -> QPalette:
    palette = QPalette()
    for role in (
        QPalette.ColorRole.Window,
        QPalette.ColorRole.Base,
        QPalette.ColorRole.Button,
        QPalette.ColorRole.ToolTipBase,
    ):
        palette.setColor(role, QColor("#000000"))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.ToolTipText,
    ):
        palette.setColor(role, QColor("#ffffff"))
    return palette


@pytest.fixture
def restored_palette() -> Iterator[QApplication]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = QGuiApplication.palette()
    yield app
    app.setPalette(before)


def _style_sheet_colours(top: QWidget) -> list[tuple[str, str, str]]:
    """(widget, text colour, background) of every style sheet under ``top`` fixing a text
    colour: the background its style sheet sets with it, else the theme's window colour."""
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window).name()
    found = []
    for widget in [top, *top.findChildren(QWidget)]:
        sheet = widget.styleSheet()
        backgrounds = _BACKGROUND.findall(sheet)
        for colour in _COLOUR.findall(sheet):
            name = widget.accessibleName() or type(widget).__name__
            found.append((name, colour, backgrounds[0] if backgrounds else window))
    return found


def test_error_colours_follow_a_black_theme_set_while_the_window_is_open(
    open_window: Callable[..., Any], qtbot: QtBot, restored_palette: QApplication
) -> None:
    window = open_window(TODAY)
    for name in NAMES:  # every view built, as after a while of work
        window.show_view(name)
        qtbot.waitUntil(window.views.currentWidget().isVisible)
    # a date refused as typed: its words under the field turn to the error colour
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_view("dashboard")
    field = window.views.currentWidget().meeting_date_edit
    assert isinstance(field, DateField) and field.isEnabled()
    field.line_edit.setFocus()
    field.line_edit.selectAll()
    qtbot.keyClicks(field.line_edit, "31/02/2005")
    assert field.error()
    light = _style_sheet_colours(window)
    assert any(colour.lower() == "#a94442" for _name, colour, _back in light), light

    restored_palette.setPalette(_black_palette())
    QApplication.processEvents()

    checked = _style_sheet_colours(window)
    print(f"\n{len(checked)} style-sheet text colours checked on black")
    assert any(back == "#000000" for _name, _colour, back in checked)
    assert [
        (name, colour, back, round(contrast_ratio(colour, back), 2))
        for name, colour, back in checked
        if contrast_ratio(colour, back) < 4.5
    ] == []


@pytest.mark.qt_log_ignore("does not support raise")
def test_the_frame_of_a_refused_result_is_seen_on_a_black_theme(
    open_window: Callable[..., Any], qtbot: QtBot, restored_palette: QApplication
) -> None:
    from tests.test_follow_up_view import result_index, type_result
    from ui.follow_up.results import ResultColumn

    restored_palette.setPalette(_black_palette())
    window = open_window(TODAY)
    window.show_view("follow-up")
    view = window.views.currentWidget()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    cell = result_index(view, "B1", ResultColumn.FOLLOW_UP)
    editor = type_result(qtbot, view.results_view, cell, "170")  # refused: out of range

    frame = re.search(r"border:[^;#]*(#[0-9a-fA-F]{6})", editor.styleSheet())
    assert frame is not None, editor.styleSheet()
    back = editor.palette().color(QPalette.ColorRole.Base).name()
    assert back == "#000000"
    assert contrast_ratio(frame.group(1), back) >= 3  # a graphic: WCAG 1.4.11
