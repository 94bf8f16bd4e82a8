"""The house style of exported documents: page geometry, one stylesheet, page templates,
a numbered canvas for "Page X of Y", bookmarks, and the base class of every renderer.

After pretix's invoice renderer: geometry lives in attributes, styles come from one function,
fonts are registered from files, and :meth:`DocumentRenderer.render` returns the PDF's bytes,
so rendering needs no GUI and no database.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from esi_desktop import __version__
from esi_desktop.export.fonts import BOLD, ITALIC, REGULAR, register_fonts
from esi_desktop.export.scripts import Paragraph, needs_mending
from esi_desktop.inspections import MONTHS
from esi_desktop.rules import Rag
from esi_desktop.submission import long_date

# ----- colours: near-black text, one dark accent, greys; RAG colours only for RAG --------------

INK = colors.HexColor("#0B0C0C")
MUTED = colors.HexColor("#505A5F")
ACCENT = colors.HexColor("#1D3A5F")
RULE = colors.HexColor("#B1B4B6")
HEAD_FILL = colors.HexColor("#E8EBEE")
ROW_FILL = colors.HexColor("#F4F5F6")
QUOTE_FILL = colors.HexColor("#F3F5F8")
GAP_FILL = colors.HexColor("#FFF4D1")
GAP_EDGE = colors.HexColor("#8A6D00")
#: The DRAFT mark of an incomplete document: a red that reads as "not final", see-through.
DRAFT_COLOUR = colors.HexColor("#C8102E")
DRAFT_ALPHA = 0.13
DRAFT_MARK = "DRAFT"
DRAFT_FOOTER = "DRAFT — not yet complete"

RAG_COLOURS: dict[Rag, tuple[colors.Color, colors.Color]] = {
    Rag.RED: (colors.HexColor("#C8102E"), colors.white),
    Rag.AMBER: (colors.HexColor("#FFBF47"), INK),
    Rag.GREEN: (colors.HexColor("#00703C"), colors.white),
    Rag.BLUE: (colors.HexColor("#1D70B8"), colors.white),
}
#: How a RAG is worded in a document (Blue means complete).
RAG_WORDS = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green", Rag.BLUE: "Complete"}

COVER, PORTRAIT, LANDSCAPE = "cover", "portrait", "landscape"

#: The left and right padding of table cells.
CELL_PADDING = 4

#: The style of header cells (the fonts are registered before anything is laid out).
HEAD_CELL = ParagraphStyle("HeadCell", fontName=BOLD, fontSize=8.5, leading=11, textColor=INK)
HEAD_CELL_RIGHT = ParagraphStyle("HeadCellRight", parent=HEAD_CELL, alignment=TA_RIGHT)
#: The style of plain body cells that need a fallback font or right-to-left order.
BODY_CELL = ParagraphStyle("BodyCell", fontName=REGULAR, fontSize=8.5, leading=11, textColor=INK)
BODY_CELL_RIGHT = ParagraphStyle("BodyCellRight", parent=BODY_CELL, alignment=TA_RIGHT)


def text(value: str) -> str:
    """Plain text made safe for a Paragraph (escaped; line breaks kept)."""
    return escape(value.strip()).replace("\n", "<br/>")


def paragraphs(value: str, style: ParagraphStyle) -> list[Flowable]:
    """Plain text with blank-line paragraphs, each as a Paragraph."""
    blocks = [b for b in value.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return [Paragraph(text(b), style) for b in blocks]


def cell(value: str, style: ParagraphStyle, width: float) -> str | Paragraph:
    """A table cell in ``style``: plain text when it fits on one line of a column ``width``
    wide (far cheaper to lay out), else a Paragraph that wraps.

    Plain text takes the table's font, so use this for cells in the table's own font; text
    that needs a fallback font or right-to-left order is always a Paragraph.
    """
    flat = " ".join(value.split())
    if needs_mending(flat, style.fontName):
        return Paragraph(text(value), style)
    if stringWidth(flat, style.fontName, style.fontSize) <= width - 2 * CELL_PADDING - 1:
        return flat
    return Paragraph(text(value), style)


def shorten(value: str, limit: int) -> str:
    """``value`` cut at a word boundary to about ``limit`` characters, with an ellipsis."""
    flat = " ".join(value.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return cut + "…"


class InspectionNames:
    """How a document names its inspection; mixed into each document's content."""

    area: str
    published: date

    @property
    def board(self) -> str:
        """ "Gloucestershire Probation Board"."""
        return board_name(self.area)

    @property
    def published_label(self) -> str:
        """ "January 2005"."""
        return f"{MONTHS[self.published.month - 1]} {self.published.year}"


def board_name(area: str) -> str:
    """ "Gloucestershire Probation Board" from the area's name."""
    for suffix in (" Probation Area", " Probation Board", " Probation"):
        if area.endswith(suffix):
            area = area[: -len(suffix)]
    return f"{area} Probation Board"


def stylesheet() -> StyleSheet1:
    """Every paragraph style of the exported documents."""
    font = register_fonts()
    sheet = StyleSheet1()

    def add(name: str, **values: Any) -> None:
        parent = values.pop("parent", None)
        base = {
            "fontName": font,
            "bulletFontName": font,
            "fontSize": 10,
            "leading": 14,
            "textColor": INK,
        }
        if parent is not None:
            sheet.add(ParagraphStyle(name, parent=sheet[parent], **values))
        else:
            sheet.add(ParagraphStyle(name, **(base | values)))

    add("Body", spaceAfter=6)
    add("BodySmall", parent="Body", fontSize=9, leading=12.5, spaceAfter=4)
    add("Muted", parent="BodySmall", textColor=MUTED)
    add("Kicker", fontName=BOLD, fontSize=10, leading=13, textColor=ACCENT, spaceAfter=10)
    add("Title", fontName=BOLD, fontSize=26, leading=31, spaceAfter=14)
    add("Subtitle", fontSize=13, leading=18, textColor=MUTED, spaceAfter=18)
    add(
        "H1",
        fontName=BOLD,
        fontSize=17,
        leading=21,
        textColor=ACCENT,
        spaceBefore=16,
        spaceAfter=10,
        keepWithNext=1,
    )
    add("H2", fontName=BOLD, fontSize=13, leading=17, spaceBefore=12, spaceAfter=6, keepWithNext=1)
    add("H3", fontName=BOLD, fontSize=10.5, leading=14, spaceBefore=8, spaceAfter=3, keepWithNext=1)
    add(
        "Label",
        fontName=BOLD,
        fontSize=9,
        leading=12,
        textColor=MUTED,
        spaceBefore=6,
        spaceAfter=2,
        keepWithNext=1,
    )
    add("Quote", fontSize=10.5, leading=15)
    add("Cell", fontSize=8.5, leading=11)
    add("CellBold", parent="Cell", fontName=BOLD)
    add("CellMuted", parent="Cell", textColor=MUTED)
    add("CellIndent", parent="Cell", leftIndent=10)
    add("CellHead", parent="Cell", fontName=BOLD)
    add("CellRight", parent="Cell", alignment=TA_RIGHT)
    add("Gap", fontName=BOLD, fontSize=10, leading=13)
    add("GapNote", parent="BodySmall", spaceAfter=0)
    add("GapItem", parent="GapNote", leftIndent=11, bulletIndent=1, spaceBefore=2)
    add("Sign", fontSize=9, leading=12, textColor=MUTED)
    add("Footnote", fontName=ITALIC, fontSize=8.5, leading=11, textColor=MUTED)
    return sheet


# ----- tables -------------------------------------------------------------------------------


def house_style(commands: Iterable[tuple[Any, ...]]) -> TableStyle:
    """A table style whose cells use the house font (reportlab would fall back to Helvetica)."""
    return TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 8.5, 11), *commands])


def grid_style(*, header_rows: int = 1, extra: Iterable[tuple[Any, ...]] = ()) -> TableStyle:
    """The house table: ruled rows, a shaded bold header, text aligned to the top."""
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 8.5, 11),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header_rows:
        commands += [
            ("FONT", (0, 0), (-1, header_rows - 1), BOLD, 8.5, 11),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, INK),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "BOTTOM"),
        ]
    commands.extend(extra)
    return TableStyle(commands)


def data_table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header_rows: int = 1,
    extra: Iterable[tuple[Any, ...]] = (),
    numeric: Iterable[int] = (),
) -> Table:
    """A table that splits across pages, repeating its header rows (whose words wrap).

    Args:
        numeric: the columns of figures, aligned right with their headings.
    """
    right = set(numeric)
    body = [list(row) for row in rows]
    for row in body[:header_rows]:
        row[:] = [
            Paragraph(text(c), HEAD_CELL_RIGHT if i in right else HEAD_CELL)
            if isinstance(c, str) and c
            else c
            for i, c in enumerate(row)
        ]
    for row in body[header_rows:]:  # a table draws plain text in one font, left to right
        row[:] = [
            Paragraph(text(c), BODY_CELL_RIGHT if i in right else BODY_CELL)
            if isinstance(c, str) and needs_mending(c, REGULAR)
            else c
            for i, c in enumerate(row)
        ]
    commands = [("ALIGN", (i, header_rows), (i, -1), "RIGHT") for i in sorted(right)]
    table = Table(body, colWidths=list(widths), repeatRows=header_rows, hAlign="LEFT", splitInRow=1)
    table.setStyle(grid_style(header_rows=header_rows, extra=[*commands, *extra]))
    return table


def rag_cell_commands(column: int, row: int, rag: Rag | None) -> list[tuple[Any, ...]]:
    """Colour one cell for a RAG (the cell also holds the word)."""
    if rag is None:
        return []
    fill, ink = RAG_COLOURS[rag]
    return [
        ("BACKGROUND", (column, row), (column, row), fill),
        ("TEXTCOLOR", (column, row), (column, row), ink),
        ("FONT", (column, row), (column, row), BOLD, 8.5, 11),
    ]


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


def facts_table(
    styles: StyleSheet1, rows: Sequence[tuple[str, str]], widths: Sequence[float]
) -> Table:
    """Label and value pairs, lightly ruled (a cover's or a paper's key facts)."""
    body = [
        [Paragraph(text(label), styles["CellHead"]), Paragraph(value, styles["Body"])]
        for label, value in rows
    ]
    table = Table(body, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(
        house_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


# ----- bookmarks ----------------------------------------------------------------------------


class Heading(Paragraph):
    """A heading that puts itself in the PDF outline (the viewer's bookmarks panel)."""

    def __init__(
        self, markup: str, style: ParagraphStyle, *, outline: str, key: str, level: int = 0
    ) -> None:
        super().__init__(markup, style)
        self.outline = (outline, key, level)


class OutlineEntry(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """An invisible outline entry where a heading would be too much."""

    def __init__(self, title: str, key: str, level: int = 0) -> None:
        super().__init__()
        self.outline = (title, key, level)
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


# ----- the canvas and the document template -------------------------------------------------


class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """Holds every page back until the end, so each footer can say "Page X of Y".

    reportlab names a page when it is written; since pages are written only in :meth:`save`,
    the page counter is advanced as pages are held back, so that bookmarks point at the page
    they were made on.
    """

    def __init__(
        self, *args: Any, footer: Callable[[Canvas, int, int], None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []
        self._footer = footer

    def showPage(self) -> None:
        if self._onPage:
            self._onPage(self._pageNumber)
        self._held_pages.append(dict(self.__dict__))
        self._doc.pageCounter += 1
        self._doc.inObject = None
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        self._doc.pageCounter = 1
        for state in self._held_pages:
            self.__dict__.update(state)
            self._onPage = None  # progress was reported as the page was laid out
            self._footer(self, self._pageNumber, total)
            Canvas.showPage(self)
        Canvas.save(self)


class _DocTemplate(BaseDocTemplate):  # type: ignore[misc]  # reportlab is untyped
    """Adds each heading's outline entry on the page it lands on."""

    def beforeDocument(self) -> None:
        self.canv.showOutline()

    def afterFlowable(self, flowable: Flowable) -> None:
        outline = getattr(flowable, "outline", None)
        if outline is None:
            return
        title, key, level = outline
        frame = getattr(self, "frame", None)
        top = None if frame is None else frame._y + flowable.height + 6
        self.canv.bookmarkPage(key, fit="XYZ", top=top, left=0, zoom=0)
        self.canv.addOutlineEntry(title, key, level=level)


@dataclass(frozen=True)
class Metadata:
    """What a PDF says about itself (File ▸ Properties in a viewer)."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...] = ()

    def as_draft(self) -> Metadata:
        """The same, saying it is a draft where a viewer shows it (title bar, Properties)."""
        return Metadata(
            title=f"{DRAFT_MARK} — {self.title}",
            author=self.author,
            subject=f"{DRAFT_MARK}, not yet complete: {self.subject}",
            keywords=(*self.keywords, "draft"),
        )


class DocumentRenderer:
    """The base of every exported document: A4, portrait with landscape pages where wanted.

    Subclasses set :attr:`document_title` and implement :meth:`story` and :meth:`metadata`;
    :meth:`render` returns the PDF.

    Attributes:
        on_page: called with the number of each page as it is laid out (progress).
    """

    page_size = A4
    margin_left: float = 25 * mm
    margin_right: float = 22 * mm
    margin_top: float = 28 * mm
    margin_bottom: float = 24 * mm
    landscape_margin_x: float = 18 * mm
    landscape_margin_top: float = 26 * mm
    landscape_margin_bottom: float = 20 * mm
    header_offset: float = 13 * mm  # from the top edge to the running header's baseline
    footer_offset: float = 12 * mm  # from the bottom edge to the footer's baseline
    document_title = ""
    language = "en-GB"

    def __init__(self, *, on_page: Callable[[int], None] | None = None) -> None:
        self.on_page = on_page
        self.styles = stylesheet()
        self.page_count = 0

    # geometry -------------------------------------------------------------------------------

    @property
    def landscape_size(self) -> tuple[float, float]:
        """The page size of landscape pages."""
        size: tuple[float, float] = landscape(self.page_size)
        return size

    @property
    def frame_width(self) -> float:
        """The text width of a portrait page."""
        return float(self.page_size[0]) - self.margin_left - self.margin_right

    @property
    def landscape_frame_width(self) -> float:
        """The text width of a landscape page."""
        return self.landscape_size[0] - 2 * self.landscape_margin_x

    # what subclasses provide ----------------------------------------------------------------

    def story(self) -> list[Flowable]:
        """The document's flowables, first page first."""
        raise NotImplementedError

    def metadata(self) -> Metadata:
        """Title, author and subject of the PDF."""
        raise NotImplementedError

    def running_header(self) -> tuple[str, str]:
        """The left and right texts of the header on every page but the cover."""
        return "", self.document_title

    def footer_note(self) -> str:
        """The left text of the footer."""
        return ""

    @property
    def is_draft(self) -> bool:
        """True for a document not yet complete: DRAFT on every page and in its metadata."""
        return False

    # page templates -------------------------------------------------------------------------

    def _templates(self) -> list[PageTemplate]:
        height = self.page_size[1]
        portrait_frame = Frame(
            self.margin_left,
            self.margin_bottom,
            self.frame_width,
            height - self.margin_top - self.margin_bottom,
            id="portrait",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        cover_frame = Frame(
            self.margin_left,
            self.margin_bottom,
            self.frame_width,
            height - self.margin_bottom - 32 * mm,
            id="cover",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        high = self.landscape_size[1]
        landscape_frame = Frame(
            self.landscape_margin_x,
            self.landscape_margin_bottom,
            self.landscape_frame_width,
            high - self.landscape_margin_top - self.landscape_margin_bottom,
            id="landscape",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        return [
            PageTemplate(
                COVER, [cover_frame], onPage=self._draw_cover_page, pagesize=self.page_size
            ),
            PageTemplate(
                PORTRAIT, [portrait_frame], onPage=self._draw_page, pagesize=self.page_size
            ),
            PageTemplate(
                LANDSCAPE, [landscape_frame], onPage=self._draw_page, pagesize=self.landscape_size
            ),
        ]

    def _margins_of(self, canvas: Canvas) -> tuple[float, float]:
        width, height = canvas._pagesize
        if width > height:
            return self.landscape_margin_x, self.landscape_margin_x
        return self.margin_left, self.margin_right

    def _draw_cover_page(self, canvas: Canvas, _doc: Any) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.rect(0, height - 9 * mm, width, 9 * mm, stroke=0, fill=1)
        canvas.restoreState()

    def _draw_page(self, canvas: Canvas, _doc: Any) -> None:
        width, height = canvas._pagesize
        left_margin, right_margin = self._margins_of(canvas)
        left, right = self.running_header()
        y = height - self.header_offset
        canvas.saveState()
        canvas.setFont(BOLD, 8)
        canvas.setFillColor(ACCENT)
        canvas.drawString(left_margin, y, left)
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(width - right_margin, y, right)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left_margin, y - 2.5 * mm, width - right_margin, y - 2.5 * mm)
        canvas.restoreState()

    def _draw_footer(self, canvas: Canvas, number: int, total: int) -> None:
        width, _height = canvas._pagesize
        left_margin, right_margin = self._margins_of(canvas)
        y = self.footer_offset
        canvas.saveState()
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(width - right_margin, y, f"Page {number} of {total}")
        note = self.footer_note()
        if note:
            canvas.drawString(left_margin, y, note)
        canvas.restoreState()
        if self.is_draft:
            self._draw_draft_mark(canvas, y)

    def _draw_draft_mark(self, canvas: Canvas, footer_y: float) -> None:
        """DRAFT across the page, see-through so the text stays readable, and in the footer.

        Drawn with the footer, over the page's content, so no shaded box can hide it.
        """
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFillColor(DRAFT_COLOUR)
        canvas.setFont(BOLD, 8)
        canvas.drawCentredString(width / 2, footer_y, DRAFT_FOOTER)
        canvas.setFillAlpha(DRAFT_ALPHA)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(math.degrees(math.atan2(height, width)))
        size = min(width, height) * 0.3
        canvas.setFont(BOLD, size)
        canvas.drawCentredString(0, -size * 0.35, DRAFT_MARK)
        canvas.restoreState()

    # rendering ------------------------------------------------------------------------------

    def render(self) -> bytes:
        """Lay the document out and return the PDF."""
        buffer = io.BytesIO()
        meta = self.metadata()
        if self.is_draft:
            meta = meta.as_draft()
        document = _DocTemplate(
            buffer,
            pagesize=self.page_size,
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            keywords=list(meta.keywords),
            creator=f"ESI Desktop {__version__}",
            lang=self.language,
            displayDocTitle=True,
            initialFontName=REGULAR,
            pageCompression=1,
            leftMargin=self.margin_left,
            rightMargin=self.margin_right,
            topMargin=self.margin_top,
            bottomMargin=self.margin_bottom,
        )
        document.addPageTemplates(self._templates())
        pages = 0

        def page_done(number: int) -> None:
            nonlocal pages
            pages = number
            if self.on_page is not None:
                self.on_page(number)

        document.setPageCallBack(page_done)

        def make_canvas(*args: Any, **kwargs: Any) -> NumberedCanvas:
            return NumberedCanvas(*args, footer=self._draw_footer, **kwargs)

        # binary streams, not ASCII85: smaller files, and a third less time embedding fonts
        ascii85, rl_config.useA85 = rl_config.useA85, 0
        try:
            document.build(self.story(), canvasmaker=make_canvas)
        finally:
            rl_config.useA85 = ascii85
        self.page_count = pages
        return buffer.getvalue()


def spacer(height_mm: float) -> Spacer:
    """Vertical space in millimetres."""
    return Spacer(1, height_mm * mm)


def date_text(day: date | None) -> str:
    """A date as documents write it, or an empty string."""
    return long_date(day) if day is not None else ""
