"""The window's fixed colours in one table, each pair checked for contrast, and legible inks.

A fixed colour is either painted with its partner (a background with the text colour on it: a
RAG cell, a marked row) or drawn on the theme's own background (an error sentence, a change
figure). A fixed pair is the same in every theme, so it is chosen to meet WCAG 2.2 AA once. A
colour on the theme's background is passed through :func:`legible`, which keeps it when it
reads on that background and otherwise moves it towards the theme's text colour until it
does: the house colour on a light theme, a readable one on a black high-contrast theme.
"""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from esi_desktop.contrast import MINIMUM, ColourPair, Kind, contrast_ratio
from esi_desktop.rules import Rag
from ui.models import RAG_COLOURS

#: Text on any coloured background below (RAG cells and tiles, marked rows): near-black.
TEXT_ON_COLOUR = "#111111"
#: A sentence saying what is wrong (a refused save, a date that cannot be read).
ERROR = "#a94442"
#: A result that improved, or declined, and a cell with nothing in it yet ("—").
IMPROVED = "#146c30"
DECLINED = "#a3001d"
FAINT = "#5a606b"
#: The background of a framework's heading row in the results, of its score rows, and of the
#: cells a person fills in.
SECTION_BACKGROUND = "#dfe7f1"
SCORE_BACKGROUND = "#f1f3f6"
EDITABLE_BACKGROUND = "#fffbea"
#: The Board meeting that approves the plan, on the dashboard's calendar.
APPROVAL_BACKGROUND = "#fbe3b9"
#: The chart's bars: the report's baseline and the follow-up (3:1 on white and on black).
BASELINE_BAR = "#6f7f92"
FOLLOW_UP_BAR = "#1f5fa8"

#: The backgrounds the checks stand for: the default light theme and a black high-contrast
#: one (Windows "Night sky" / "High Contrast Black").
LIGHT_BACKGROUNDS = ("#ffffff", "#f0f0f0")
DARK_BACKGROUNDS = ("#000000",)

#: Colours drawn on the theme's own background, with what they need: each is put through
#: :func:`legible` before it is drawn.
ON_THEME: dict[str, tuple[str, Kind]] = {
    "Error sentence": (ERROR, "text"),
    "Improved result": (IMPROVED, "text"),
    "Declined result": (DECLINED, "text"),
    "Empty result": (FAINT, "text"),
    "Baseline bar of the chart": (BASELINE_BAR, "graphic"),
    "Follow-up bar of the chart": (FOLLOW_UP_BAR, "graphic"),
}


def fixed_pairs() -> list[ColourPair]:
    """Every pair the window paints together, whatever the theme."""
    pairs = [
        ColourPair(f"{rag.value} RAG cell", TEXT_ON_COLOUR, colour, "text")
        for rag, colour in RAG_COLOURS.items()
    ]
    for name, background in (
        ("Framework heading row", SECTION_BACKGROUND),
        ("Score row", SCORE_BACKGROUND),
        ("Cell to fill in", EDITABLE_BACKGROUND),
        ("Plan approval meeting", APPROVAL_BACKGROUND),
    ):
        pairs.append(ColourPair(name, TEXT_ON_COLOUR, background, "text"))
        if background != APPROVAL_BACKGROUND:  # results are shown on these rows
            for ink_name, ink in (("improved", IMPROVED), ("declined", DECLINED), ("empty", FAINT)):
                pairs.append(ColourPair(f"{name}, {ink_name} figure", ink, background, "text"))
    return pairs


def theme_pairs(background: str) -> list[ColourPair]:
    """Every colour drawn on the theme's background, as :func:`legible` makes it there."""
    return [
        ColourPair(
            f"{name} on {background}", legible(colour, background, kind).name(), background, kind
        )
        for name, (colour, kind) in ON_THEME.items()
    ]


def legible(colour: str, background: QColor | str, kind: Kind = "text") -> QColor:
    """``colour`` as drawn on ``background``: itself when it reads there, else nearer the text.

    It is mixed, a tenth at a time, with white on a dark background or black on a light one
    until it meets the minimum for ``kind``; so a red stays reddish on black.
    """
    back = QColor(background).name()
    wanted = MINIMUM[kind]
    if contrast_ratio(colour, back) >= wanted:
        return QColor(colour)
    target = QColor("#ffffff") if QColor(back).lightnessF() < 0.5 else QColor("#000000")
    start = QColor(colour)
    mixed = start
    for step in range(1, 11):
        part = step / 10
        mixed = QColor.fromRgbF(
            start.redF() + (target.redF() - start.redF()) * part,
            start.greenF() + (target.greenF() - start.greenF()) * part,
            start.blueF() + (target.blueF() - start.blueF()) * part,
        )
        if contrast_ratio(mixed.name(), back) >= wanted:
            break
    return mixed


def theme_background(role: QPalette.ColorRole = QPalette.ColorRole.Base) -> QColor:
    """The application's background of ``role`` (Base: tables and fields; Window: dialogs)."""
    return QGuiApplication.palette().color(role)


def ink(colour: str, role: QPalette.ColorRole = QPalette.ColorRole.Base) -> QBrush:
    """A brush of ``colour`` made legible on the theme's background of ``role``."""
    return QBrush(legible(colour, theme_background(role)))


def on_colour() -> QBrush:
    """The brush for text on a fixed coloured background."""
    return QBrush(QColor(TEXT_ON_COLOUR))


def error_style(bold: bool = False) -> str:
    """A style sheet for an error sentence, legible on the theme's window background.

    A style sheet is fixed text: use :func:`show_errors_in` for a widget that stays on show,
    so that its colour follows a change of theme while the program runs.
    """
    colour = legible(ERROR, theme_background(QPalette.ColorRole.Window)).name()
    return f"color: {colour};" + (" font-weight: bold;" if bold else "")


#: The dynamic property :func:`show_errors_in` sets: "bold" or "plain".
ERROR_INK = "errorInk"


def show_errors_in(widget: QWidget, *, bold: bool = False) -> None:
    """Give ``widget`` the error sentence's colour, worked out again when the theme changes."""
    widget.setProperty(ERROR_INK, "bold" if bold else "plain")
    widget.setStyleSheet(error_style(bold))


def follow_theme() -> None:
    """Work out again every error colour on show, for the application's palette as it is now.

    Called when the palette changes (a high-contrast theme switched on or off while the
    program runs): a colour legible on white may be unreadable on black. A widget with a style
    sheet (a bold group box, say) keeps, with everything inside it, the palette it was
    polished with: each is polished again, outermost first, as each takes its parent's.
    """
    app_style = QApplication.style()
    for widget in sorted(QApplication.allWidgets(), key=_depth):
        ink_kind = widget.property(ERROR_INK)
        if ink_kind:
            widget.setStyleSheet(error_style(ink_kind == "bold"))
        style = widget.style()
        if style is not app_style:  # styled by a style sheet, its own or an ancestor's
            style.unpolish(widget)
            style.polish(widget)


def _depth(widget: QWidget) -> int:
    depth = 0
    parent = widget.parentWidget()
    while parent is not None:
        depth, parent = depth + 1, parent.parentWidget()
    return depth


def rag_brush(rag: Rag) -> QBrush:
    """The background of a RAG cell (its text is :func:`on_colour`; its word is its text)."""
    return QBrush(QColor(RAG_COLOURS[rag]))


__all__ = [
    "APPROVAL_BACKGROUND",
    "BASELINE_BAR",
    "DECLINED",
    "EDITABLE_BACKGROUND",
    "ERROR",
    "ERROR_INK",
    "FAINT",
    "FOLLOW_UP_BAR",
    "IMPROVED",
    "SCORE_BACKGROUND",
    "SECTION_BACKGROUND",
    "TEXT_ON_COLOUR",
    "error_style",
    "fixed_pairs",
    "follow_theme",
    "ink",
    "legible",
    "on_colour",
    "rag_brush",
    "show_errors_in",
    "theme_pairs",
]
