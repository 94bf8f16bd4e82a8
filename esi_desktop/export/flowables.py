"""The house's own flowables: shaded panels (a quote from the report, a marked gap), headings
that put themselves in the PDF outline, and vertical space in millimetres."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from esi_desktop.export.scripts import Paragraph
from esi_desktop.export.style import ACCENT, GAP_EDGE, GAP_FILL, QUOTE_FILL
from esi_desktop.export.text import text


class Box(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """Flowables on a shaded panel with a rule down its left side (cheaper than a Table).

    A panel taller than the space left is not boxed but flows as its contents.
    """

    def __init__(
        self,
        contents: list[Flowable],
        width: float,
        *,
        fill: colors.Color,
        rule: colors.Color,
        rule_width: float,
        border: colors.Color | None = None,
        padding: tuple[float, float, float, float] = (6, 8, 8, 10),  # top, right, bottom, left
    ) -> None:
        super().__init__()
        self.contents = contents
        self.width = width
        self.fill, self.rule, self.rule_width, self.border = fill, rule, rule_width, border
        self.padding = padding
        self._heights: list[float] = []

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        top, right, bottom, left = self.padding
        inner = self.width - left - right
        self._heights = [f.wrap(inner, available_height)[1] for f in self.contents]
        spaces = sum(f.getSpaceAfter() for f in self.contents[:-1])
        self.height = top + sum(self._heights) + spaces + bottom
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        if self.height <= available_height:
            return [self]
        return list(self.contents)

    def draw(self) -> None:
        canvas = self.canv
        top, _right, _bottom, left = self.padding
        canvas.saveState()
        canvas.setFillColor(self.fill)
        if self.border is not None:
            canvas.setStrokeColor(self.border)
            canvas.setLineWidth(0.6)
        canvas.rect(0, 0, self.width, self.height, stroke=int(self.border is not None), fill=1)
        canvas.setStrokeColor(self.rule)
        canvas.setLineWidth(self.rule_width)
        x = self.rule_width / 2
        canvas.line(x, 0, x, self.height)
        canvas.restoreState()
        y = self.height - top
        for flowable, height in zip(self.contents, self._heights, strict=True):
            y -= height
            flowable.drawOn(canvas, left, y)
            y -= flowable.getSpaceAfter()


def gap_box(styles: StyleSheet1, heading: str, note: str, width: float) -> Flowable:
    """A clearly marked gap: something the document should say and does not yet."""
    contents: list[Flowable] = [Paragraph(text(heading), styles["Gap"])]
    if note:
        contents.append(Paragraph(text(note), styles["GapNote"]))
    return Box(
        contents,
        width,
        fill=GAP_FILL,
        rule=GAP_EDGE,
        rule_width=3,
        border=GAP_EDGE,
        padding=(6, 8, 7, 10),
    )


def quote_box(flowables: list[Flowable], width: float) -> Flowable:
    """Words quoted from the report: a shaded block with a rule on its left."""
    return Box(flowables, width, fill=QUOTE_FILL, rule=ACCENT, rule_width=2.5)


# ----- bookmarks ----------------------------------------------------------------------------


class Heading(Paragraph):
    """A heading that puts itself in the PDF outline (the viewer's bookmarks panel).

    The document template (:mod:`esi_desktop.export.page`) adds an outline entry for any
    flowable with an ``outline`` of (title, key, level), on the page it lands on.

    A heading keeps with what follows it, whatever its style: it never sits alone at the foot
    of a page (the document template moves it to the next page with its text).
    """

    def __init__(
        self, markup: str, style: ParagraphStyle, *, outline: str, key: str, level: int = 0
    ) -> None:
        super().__init__(markup, _keeping_with_next(style))
        self.outline = (outline, key, level)


def _keeping_with_next(style: ParagraphStyle) -> ParagraphStyle:
    """The style itself if it keeps with the next flowable, else one like it that does."""
    if getattr(style, "keepWithNext", 0):
        return style
    return ParagraphStyle(f"{style.name}KeptWithNext", parent=style, keepWithNext=1)


def spacer(height_mm: float) -> Spacer:
    """Vertical space in millimetres."""
    return Spacer(1, height_mm * mm)
