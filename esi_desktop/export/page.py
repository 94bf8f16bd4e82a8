"""The page furniture of exported documents and the base class of every renderer: page
geometry, the cover, portrait and landscape page templates, running header, a numbered canvas
for "Page X of Y", bookmarks, the DRAFT mark, and the PDF's metadata.

After pretix's invoice renderer: geometry lives in attributes, styles come from one function
(:func:`esi_desktop.export.style.stylesheet`), fonts are registered from files, and
:meth:`DocumentRenderer.render` returns the PDF's bytes, so rendering needs no GUI and no
database.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from esi_desktop import __version__
from esi_desktop.export.fonts import BOLD, REGULAR
from esi_desktop.export.style import ACCENT, DRAFT_COLOUR, MUTED, RULE, stylesheet

#: The DRAFT mark of an incomplete document is DRAFT_COLOUR (a red that reads as "not
#: final", the one the contrast check measures), see-through.
DRAFT_ALPHA = 0.13
DRAFT_MARK = "DRAFT"
DRAFT_FOOTER = "DRAFT — not yet complete"

#: The page templates: a cover, portrait pages and landscape pages.
COVER, PORTRAIT, LANDSCAPE = "cover", "portrait", "landscape"


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
