"""Keyboard and screen-reader rules applied to every widget of the program, in one place.

:func:`install` puts one event filter on the application. When Qt polishes a widget (once,
just before it is first shown) the filter applies the rules that fit it:

- an item view (table, tree, list) gives Tab back to the window: Tab and Shift+Tab move to the
  next and previous control, arrow keys move within the view. A view that keeps Tab for itself
  (the action plan's outline, where Tab indents) says so with :data:`KEEPS_TAB` and must let
  Ctrl+Tab leave; :func:`keeps_tab` marks it.
- a scroll area whose contents can take the focus takes none itself (the focus goes straight to
  the contents, which it scrolls into view); one whose contents cannot (a chart) keeps the
  focus, so the keyboard can scroll it, and shows it with a frame.
- a tab bar, and a cell editor inside a view, get a spoken name when they have none.
- a label is heard by its text, whatever name it was given (:func:`hear_label_text`).
- a status bar announces each message to screen readers (:func:`announce`).

A filter on the application is used rather than a call in each view's constructor because it
also reaches the views built by dialogs, by Qt itself and by code written later: a table that
forgets the call is exactly the trap this removes. The filter is called, in Python, for every
event of every object (some 8,000 while the window opens on the sample, 46 for each page of a
large plan scrolled), so it returns at once unless the event is Polish: the events Qt sends
while painting, typing, moving the mouse or resizing come as subclasses of QEvent, which one
check of the Python class turns away without asking Qt the event's type (the dearest step,
about 3 µs: PySide6 makes an enum of it). That leaves the cost of any Python filter (~1.5 µs)
on those, and ~5 µs on the plain events, instead of ~6–8 µs on every event.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QScrollArea,
    QStatusBar,
    QTabBar,
    QTabWidget,
    QWidget,
)

#: The dynamic property a view sets (True) to keep Tab for itself, as an outline does.
KEEPS_TAB = "keepsTabKey"
#: Set on a status bar once its messages are announced, so they are not announced twice.
_ANNOUNCING = "announcesMessages"
#: Set on a field given the focus for a refusal: the refusal's sentence (see point_at_fault).
_POINTED_FOR = "focusedForRefusal"
#: Messages that are the resting state, not an outcome: not announced.
_QUIET = {"", "Ready"}

#: Focus shown on a scroll area that takes the focus itself (its contents cannot).
SCROLL_FOCUS_STYLE = (
    "QScrollArea { border: 2px solid transparent; }"
    " QScrollArea:focus { border: 2px solid palette(highlight); }"
)


class Announcer(QObject):
    """Says outcomes to screen readers; :attr:`announced` lets tests (and logs) hear them too.

    Signals:
        announced: the sentence just announced.
    """

    announced = Signal(str)

    def say(self, source: QObject, text: str, *, assertive: bool = False) -> None:
        """Announce ``text`` as coming from ``source`` (a widget of the window)."""
        text = text.strip()
        if not text:
            return
        # here, not at the top: PySide makes QAccessible's 190 enum members when the class
        # is first named, and start-up announces nothing (issue 13)
        from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

        event = QAccessibleAnnouncementEvent(source, text)
        if assertive:
            event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
        QAccessible.updateAccessibility(event)
        self.announced.emit(text)


#: The program's one announcer.
announcer = Announcer()


def announce(source: QObject, text: str, *, assertive: bool = False) -> None:
    """Tell a screen reader ``text`` now ("Saved: …", "Undone: …", a refusal).

    Qt's announcement event (Qt 6.8) is read by NVDA and JAWS through UI Automation without
    moving the focus. A refusal is ``assertive``: it interrupts what is being read.
    """
    announcer.say(source, text, assertive=assertive)


def point_at_fault(
    source: QWidget, error: Exception, fields: Mapping[str, QWidget]
) -> QWidget | None:
    """Say a refused save to a screen reader and put the focus in the field at fault.

    Args:
        source: the widget the refusal is shown in (its error sentence).
        error: the refusal; a ValidationError names the field at fault (``field``).
        fields: the form's fields by the names the use case gives them.

    The same refusal of the same field takes the focus back there once only: a field saved
    when the person leaves it would otherwise never let them leave (a keyboard trap).

    Returns:
        The field given the focus, or None when the refusal names none on show and enabled.
    """
    announce(source, f"Not saved: {error}", assertive=True)
    field = fields.get(getattr(error, "field", "") or "")
    if field is None or not field.isVisible() or not field.isEnabled():
        return None
    if field.property(_POINTED_FOR) == str(error):
        return None
    field.setProperty(_POINTED_FOR, str(error))
    field.setFocus(Qt.FocusReason.OtherFocusReason)
    return field


def keeps_tab(view: QAbstractItemView) -> None:
    """Mark ``view`` as one that keeps Tab (it must let Ctrl+Tab and Ctrl+Shift+Tab leave)."""
    view.setProperty(KEEPS_TAB, True)


def let_tab_leave(view: QAbstractItemView) -> None:
    """Tab and Shift+Tab leave ``view`` for the next control; arrows move within it."""
    if not view.property(KEEPS_TAB):
        view.setTabKeyNavigation(False)


def _tune_scroll_area(area: QScrollArea) -> None:
    contents = area.widget()
    reachable = contents is not None and any(
        child.focusPolicy() & Qt.FocusPolicy.TabFocus
        for child in contents.findChildren(QWidget)
        if not child.isWindow()
    )
    if reachable:
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return
    if area.focusPolicy() & Qt.FocusPolicy.TabFocus:
        if not area.styleSheet():
            area.setStyleSheet(SCROLL_FOCUS_STYLE)
        if not area.accessibleName():
            area.setAccessibleName("Scrollable area")


def _name_tab_bar(bar: QTabBar) -> None:
    if bar.accessibleName():
        return
    owner = bar.parentWidget()
    if isinstance(owner, QTabWidget) and owner.accessibleName():
        bar.setAccessibleName(f"{owner.accessibleName()}: tabs")
    else:
        bar.setAccessibleName("Tabs")


def _name_cell_editor(editor: QWidget) -> None:
    """An editor opened in a view's cell is named after the cell's column and its view."""
    if editor.accessibleName():
        return
    viewport = editor.parentWidget()
    view = viewport.parentWidget() if viewport is not None else None
    if not isinstance(view, QAbstractItemView) or viewport is not view.viewport():
        return
    index = view.currentIndex()
    model = view.model()
    header = ""
    if index.isValid() and model is not None:
        header = str(model.headerData(index.column(), Qt.Orientation.Horizontal) or "")
    view_name = view.accessibleName() or "table"
    editor.setAccessibleName(f"Edit {header} in {view_name}" if header else f"Edit {view_name}")


def hear_label_text(label: QLabel) -> None:
    """A label is heard by its text: a name that would replace it becomes its description.

    A label showing a value ("1 April 2005", a refusal's sentence) named "Response due" would
    be announced by the name alone and the value never heard; as the description, the name
    still says what the value is.
    """
    name = label.accessibleName()
    if not name or (label.text() and label.text() in name):
        return
    if not label.accessibleDescription():
        label.setAccessibleDescription(name)
    label.setAccessibleName("")


def announce_messages(bar: QStatusBar) -> None:
    """Announce every message ``bar`` shows (the one place the window reports outcomes)."""
    if bar.property(_ANNOUNCING):
        return
    bar.setProperty(_ANNOUNCING, True)

    def say(text: str) -> None:
        if text not in _QUIET:
            announce(bar, text)

    bar.messageChanged.connect(say)


def apply_to(widget: QObject) -> None:
    """Apply the rules that fit ``widget`` (see the module's docstring)."""
    if isinstance(widget, QAbstractItemView):
        let_tab_leave(widget)
    elif isinstance(widget, QScrollArea):
        _tune_scroll_area(widget)
    elif isinstance(widget, QTabBar):
        _name_tab_bar(widget)
    elif isinstance(widget, QStatusBar):
        announce_messages(widget)
    elif isinstance(widget, QLabel):
        hear_label_text(widget)
    if isinstance(widget, QWidget) and not isinstance(widget, QLabel):
        _name_cell_editor(widget)


#: Polish comes as a plain QEvent; a subclass (paint, mouse, key, timer, resize…) never is one.
_PLAIN_EVENT = QEvent
_POLISH = QEvent.Type.Polish
_PALETTE_CHANGED = QEvent.Type.ApplicationPaletteChange


class _Polisher(QObject):
    """The application's filter: applies the rules to each widget as it is polished."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # every event of the program passes here: the Python class first (no call into Qt),
        # then the type, a singleton enum, by identity
        if type(event) is _PLAIN_EVENT:
            kind = event.type()
            if kind is _POLISH:
                apply_to(watched)
            elif kind is _PALETTE_CHANGED and isinstance(watched, QApplication):
                from ui import palette  # here: start-up need not load the colour tables

                palette.follow_theme()  # the colours worked out for the old theme
        return False


_polisher: _Polisher | None = None
#: The applications :func:`install` was asked for while postponed (:func:`postpone`).
_postponed: list[QApplication] | None = None


def install(app: QApplication) -> None:
    """Apply the rules to every widget the program shows from now on (once per application)."""
    global _polisher
    if _postponed is not None:
        if app not in _postponed:
            _postponed.append(app)
        return
    if _polisher is None:
        _polisher = _Polisher()
    app.removeEventFilter(_polisher)  # installing twice would filter twice
    app.installEventFilter(_polisher)


def postpone() -> None:
    """Until :func:`resume`, :func:`install` only remembers the application.

    For start-up (:func:`ui.app.run`): a filter on the application is called for every event
    of every object, and each object Qt made on its own that it hands to Python makes PySide
    build that object's class and its enums: about a tenth of the start-up's work (issue 13).
    Nothing can be typed into the window before it is painted, so the rules wait until then;
    a dialog shown before it (a database that cannot be opened) calls :func:`resume` first.
    """
    global _postponed
    if _postponed is None:
        _postponed = []


def resume() -> None:
    """Install what :func:`postpone` held back, and apply the rules to every widget made
    meanwhile (each rule can be applied again: one polished later gets them twice)."""
    global _postponed
    waiting, _postponed = _postponed, None
    for app in waiting or ():
        install(app)
        for widget in app.allWidgets():
            apply_to(widget)


__all__ = [
    "KEEPS_TAB",
    "Announcer",
    "announce",
    "announce_messages",
    "announcer",
    "apply_to",
    "hear_label_text",
    "install",
    "keeps_tab",
    "let_tab_leave",
    "point_at_fault",
    "postpone",
    "resume",
]
