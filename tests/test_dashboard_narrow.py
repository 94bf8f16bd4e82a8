"""The Dashboard in a narrow window (1920 × 1080 at 200%) and a wide one (1366 × 768 at 100%).

Narrow, the statutory clock goes above the Board meetings, so nothing is past a sideways
scroll; wide, they stay side by side. Whatever the width, a wrapped line is never cut.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QGroupBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from ui.dashboard.view import DashboardView

TODAY = date(2005, 3, 10)


def _dashboard(open_window: Callable[..., Any], qtbot: QtBot) -> tuple[Any, DashboardView]:
    window = open_window(TODAY)
    window.show_view("dashboard")
    view = window.dashboard
    assert isinstance(view, DashboardView)
    qtbot.waitUntil(lambda: view.heading.text() == "Gloucestershire — January 2005")
    return window, view


def _on_screen(view: DashboardView, widget: QWidget) -> QRect:
    """Where ``widget`` is in the part of the Dashboard a person sees (its scroll area)."""
    viewport = view.scroll_area.viewport()
    return QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())


def _in_sight(view: DashboardView, widget: QWidget) -> bool:
    return view.scroll_area.viewport().rect().contains(_on_screen(view, widget))


def _box(view: DashboardView, title: str) -> QGroupBox:
    """The box of the Dashboard with ``title`` above it."""
    (box,) = [box for box in view.findChildren(QGroupBox) if box.title() == title]
    return box


def _clock_above_meetings(view: DashboardView) -> bool:
    clock = _on_screen(view, _box(view, "Statutory clock"))
    return _on_screen(view, _box(view, "Board meetings")).top() >= clock.bottom()


def _clock_beside_meetings(view: DashboardView) -> bool:
    clock = _on_screen(view, _box(view, "Statutory clock"))
    meetings = _on_screen(view, _box(view, "Board meetings"))
    return meetings.left() > clock.right() and meetings.top() == clock.top()


def _settle() -> None:
    """Let the window lay itself out again, as it has before a person sees it."""
    for _ in range(5):
        QApplication.processEvents()


def _captions(view: DashboardView, text: str) -> list[QLabel]:
    return [
        label
        for label in _box(view, "Statutory clock").findChildren(QLabel)
        if label.text() == text
    ]


def _cut_lines(view: DashboardView) -> list[str]:
    """The wrapped texts of the Dashboard given less height than their lines need."""
    return [
        label.text()
        for label in view.findChildren(QLabel)
        if label.isVisible()
        and label.wordWrap()
        and label.text()
        and label.height() < label.heightForWidth(label.width())
    ]


def test_a_narrow_window_puts_the_clock_above_the_meetings_with_remove_in_sight(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window, view = _dashboard(open_window, qtbot)
    # the room the window has on 1920 × 1080 at 200% (960 × 540)
    window.resize(922, 462)
    qtbot.waitUntil(lambda: _clock_above_meetings(view))
    # the layout settles in posted events: on a busy machine the bar may still be there
    qtbot.waitUntil(lambda: not view.scroll_area.horizontalScrollBar().isVisible())
    assert (
        _on_screen(view, _box(view, "Board meetings")).width()
        == _on_screen(view, _box(view, "Statutory clock")).width()
    )
    # the clock has the whole width: each caption beside its date, not above it
    follow_up = _on_screen(view, view.follow_up_label)
    captions = _captions(view, "Follow-up inspection")
    assert len(captions) == 1
    assert abs(_on_screen(view, captions[0]).top() - follow_up.top()) < follow_up.height()
    assert _on_screen(view, captions[0]).right() < follow_up.left()
    assert view.follow_up_label.text() == "Expected Autumn 2005 (from the report)"
    assert _cut_lines(view) == []

    # add a meeting and remove it again without scrolling anywhere
    assert _in_sight(view, view.add_meeting_button)
    view.meeting_date_edit.select_all()
    qtbot.keyClicks(view.meeting_date_edit, "24/03/2005")
    qtbot.mouseClick(view.add_meeting_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.remove_meeting_button.isEnabled())
    model = view.meetings_list.model()
    assert model.rowCount() == 1
    qtbot.waitUntil(lambda: _in_sight(view, view.remove_meeting_button))
    assert view.scroll_area.verticalScrollBar().value() == 0
    assert view.scroll_area.horizontalScrollBar().value() == 0
    qtbot.mouseClick(view.remove_meeting_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 0


def test_a_wide_window_keeps_the_clock_beside_the_meetings(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window, view = _dashboard(open_window, qtbot)
    window.resize(922, 462)
    qtbot.waitUntil(lambda: _clock_above_meetings(view))
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: _clock_beside_meetings(view))
    clock = _on_screen(view, _box(view, "Statutory clock"))
    meetings = _on_screen(view, _box(view, "Board meetings"))
    assert clock.width() > meetings.width()  # three parts to two, as before
    assert not view.scroll_area.horizontalScrollBar().isVisible()
    assert _in_sight(view, view.remove_meeting_button)
    # beside the meetings the clock is narrow: each date goes under its caption
    captions = _captions(view, "Follow-up inspection")
    assert _on_screen(view, view.follow_up_label).top() > _on_screen(view, captions[0]).bottom()
    assert _cut_lines(view) == []


def test_a_wrapped_line_of_the_clock_is_never_cut_at_any_width(
    open_window: Callable[..., Any], qtbot: QtBot
) -> None:
    window, view = _dashboard(open_window, qtbot)
    cut: dict[int, list[str]] = {}
    for width in range(900, 1120, 6):
        window.resize(width, 700)
        _settle()
        if lines := _cut_lines(view):
            cut[width] = lines
    assert cut == {}
