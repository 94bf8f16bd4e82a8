"""The evidence bundle's pages beyond its index: an image on a page, "Page X of Y" stamped on
every merged page, the outline that mirrors the index, and the PDF's metadata (pypdf)."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from reportlab import rl_config
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from esi_desktop import __version__
from esi_desktop.export.bundle_content import BundleContent, BundleItem, EvidencePiece
from esi_desktop.export.bundle_index import INDEX_TITLE, walk
from esi_desktop.export.fonts import BOLD, REGULAR, register_fonts
from esi_desktop.export.page import Metadata
from esi_desktop.export.style import ACCENT, MUTED, RULE

#: The margins around an image on its page, and the caption's place above it.
_SIDE = 18 * mm
_TOP = 26 * mm
_BOTTOM = 22 * mm
_CAPTION = 13 * mm  # from the top edge to the caption's baseline, as the running header
#: Where "Page X of Y" goes: as far from the right and bottom edges as on the index's pages.
_FOOTER_RIGHT = 22 * mm
_FOOTER_BASE = 12 * mm

#: Why an image is attached instead of placed on a page.
UNREADABLE_IMAGE = "It could not be read as an image, so it is attached as a file."


def too_large_image() -> str:
    """Why an image over Pillow's pixel limit is attached instead of placed on a page."""
    from PIL import Image

    millions = f"{(Image.MAX_IMAGE_PIXELS or 0) / 1_000_000:.3g}"
    return (
        f"It has more than {millions} million pixels, too many to place on a page, so it is "
        "attached as a file."
    )


def image_page(data: bytes, *, caption: str) -> PdfReader | str:
    """A one-page PDF with the image scaled to fit (portrait or landscape as it is shaped,
    turned upright as its camera recorded) under its caption; or, as a sentence, why the image
    is not placed (it cannot be read, is over Pillow's pixel limit, or has several pages)."""
    register_fonts()
    image = _readable_image(data)
    if isinstance(image, str):
        return image
    width, height = image.getSize()
    if width <= 0 or height <= 0:
        return UNREADABLE_IMAGE
    size = landscape(A4) if width > height else A4
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, pageCompression=1)
    page_width, page_height = size
    canvas.setFont(BOLD, 9)
    canvas.setFillColor(ACCENT)
    canvas.drawString(_SIDE, page_height - _CAPTION, _fit(caption, page_width - 2 * _SIDE))
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    line = page_height - _CAPTION - 2.5 * mm
    canvas.line(_SIDE, line, page_width - _SIDE, line)
    room_width = page_width - 2 * _SIDE
    room_height = page_height - _TOP - _BOTTOM
    # a small image is enlarged at most to twice its size on a 96 dpi screen
    scale = min(room_width / width, room_height / height, 2 * 72 / 96)
    shown_width, shown_height = width * scale, height * scale
    x = (page_width - shown_width) / 2
    y = _BOTTOM + (room_height - shown_height) / 2
    # binary streams, not ASCII85: a photograph is encoded five times faster, a quarter smaller
    ascii85, rl_config.useA85 = rl_config.useA85, 0
    try:
        canvas.drawImage(image, x, y, shown_width, shown_height, mask="auto")
        canvas.showPage()
        canvas.save()
    except Exception:  # read its size, yet failed to decode (a truncated file)
        return UNREADABLE_IMAGE
    finally:
        rl_config.useA85 = ascii85
    return PdfReader(io.BytesIO(buffer.getvalue()))


def _readable_image(data: bytes) -> ImageReader | str:
    """The image for reportlab, upright; or why it is not placed, as a sentence."""
    from PIL import Image, ImageOps

    try:
        # over the limit Pillow only warns (an error over twice it): a hostile or enormous
        # image would be decoded whole, hundreds of megabytes, so the warning refuses it here
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            frames = int(getattr(probe, "n_frames", 1))
            if frames > 1:  # one page would show a multi-page scan's first page only
                if probe.format == "TIFF":
                    return (
                        f"It has {frames} pages, and only a PDF's pages are shown, so it is "
                        "attached as a file."
                    )
                return f"It is an animation of {frames} frames, so it is attached as a file."
            if _orientation(probe) != 1:  # a phone's photo, stored sideways
                return ImageReader(ImageOps.exif_transpose(probe))
            return ImageReader(io.BytesIO(data))  # a JPEG goes in as it is, not re-encoded
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return too_large_image()
    except Exception:  # Pillow raises many kinds for a damaged or unknown image
        return UNREADABLE_IMAGE


def _orientation(image: Any) -> int:
    """The EXIF orientation (1: upright as stored); 1 when the EXIF cannot be read."""
    try:
        return int(image.getexif().get(0x0112, 1))
    except Exception:  # damaged EXIF: the picture is placed as stored
        return 1


def _fit(words: str, width: float) -> str:
    """``words`` cut with "…" to fit ``width`` in the caption's font."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(words, BOLD, 9) <= width:
        return words
    while words and stringWidth(words + "…", BOLD, 9) > width:
        words = words[:-1]
    return words + "…"


def stamp_page_numbers(writer: PdfWriter, *, first: int, total: int) -> None:
    """Stamp "Page X of Y" at the foot of every page from ``first`` (from 0) on, on a white
    patch so it reads over the evidence, at the same place as on the index's pages."""
    if first >= total:
        return
    register_fonts()
    boxes = []
    for number in range(first, total):
        page = writer.pages[number]
        if page.rotation % 360:
            page.transfer_rotation_to_content()  # the foot is where a reader sees it
        box = page.cropbox
        boxes.append((float(box.left), float(box.bottom), float(box.width), float(box.height)))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=1)
    for number, (_left, _bottom, width, height) in enumerate(boxes, start=first + 1):
        canvas.setPageSize((width, height))
        words = f"Page {number} of {total}"
        right = width - min(_FOOTER_RIGHT, width * 0.1)
        base = min(_FOOTER_BASE, height * 0.05)
        from reportlab.pdfbase.pdfmetrics import stringWidth

        text_width = stringWidth(words, REGULAR, 8)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.setFillAlpha(0.85)
        canvas.rect(right - text_width - 3, base - 3, text_width + 6, 8 + 5, stroke=0, fill=1)
        canvas.setFillAlpha(1)
        canvas.setFont(REGULAR, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(right, base, words)
        canvas.showPage()
    canvas.save()
    overlay = PdfReader(io.BytesIO(buffer.getvalue()))
    for offset, (left, bottom, _width, _height) in enumerate(boxes):
        page = writer.pages[first + offset]
        _own_resources(page)
        stamp = overlay.pages[offset]
        if left or bottom:
            page.merge_transformed_page(stamp, Transformation().translate(left, bottom))
        else:
            page.merge_page(stamp)


def _own_resources(page: PageObject) -> None:
    """Give the page resource dictionaries of its own before its stamp is merged in.

    Many programs share one font dictionary among all their pages: merging each page's stamp
    into it would add a font per page to every page, and take time growing as the square of
    the pages. Shallow copies suffice: the merge adds names, and changes nothing below them.
    """
    resources = page.get("/Resources")
    if resources is None:
        return
    own = DictionaryObject()
    for key, value in resources.get_object().items():
        found = value.get_object()
        own[NameObject(key)] = (
            DictionaryObject(found) if isinstance(found, DictionaryObject) else value
        )
    page[NameObject("/Resources")] = own


def add_outline(
    writer: PdfWriter,
    content: BundleContent,
    *,
    marks: dict[str, int],
    page_of: Callable[[EvidencePiece], tuple[int, bool]],
    not_shown: str = " (attached as a file)",
) -> None:
    """Bookmarks that mirror the index: the cover, the index, then recommendation → action →
    milestone → each piece (its first page, or its line in the index when it is attached).

    An item's bookmark opens its first piece shown as pages, or its line in the index.

    Args:
        marks: the page (from 1) each entry of the index is on (the renderer's marks).
        page_of: a piece's page (from 0) and whether it is shown as pages (False: it is
            attached, and the page is its line in the index).
        not_shown: added to the bookmark of a piece not shown as pages.
    """
    writer.add_outline_item(title="Cover", page_number=marks["cover"] - 1)
    writer.add_outline_item(title=INDEX_TITLE, page_number=marks["index"] - 1)
    parents: dict[int, Any] = {}
    for depth, item, key in walk(content.items):
        first = _first_page(item, page_of)
        entry = writer.add_outline_item(
            title=item.outline_title,
            page_number=first if first is not None else marks[key] - 1,
            parent=parents.get(depth - 1) if depth else None,
            is_open=depth == 0,
        )
        parents[depth] = entry
        for piece in item.evidence:
            page, shown = page_of(piece)
            title = piece.name if shown else f"{piece.name}{not_shown}"
            writer.add_outline_item(title=title, page_number=page, parent=entry)


def _first_page(
    item: BundleItem, page_of: Callable[[EvidencePiece], tuple[int, bool]]
) -> int | None:
    """The first page of the item's first piece shown as pages, or None (all attached)."""
    for piece in item.evidence:
        page, shown = page_of(piece)
        if shown:
            return page
    for child in item.children:
        found = _first_page(child, page_of)
        if found is not None:
            return found
    return None


def set_metadata(writer: PdfWriter, meta: Metadata) -> None:
    """Title, author, subject, language (en-GB), the title in the viewer's title bar, and the
    bookmarks panel open, as the other documents have."""
    writer.add_metadata(
        {
            "/Title": meta.title,
            "/Author": meta.author,
            "/Subject": meta.subject,
            "/Keywords": ", ".join(meta.keywords),
            "/Creator": f"ESI Desktop {__version__}",
            "/Producer": "ESI Desktop (reportlab, pypdf)",
        }
    )
    writer._root_object[NameObject("/Lang")] = TextStringObject("en-GB")
    writer.create_viewer_preferences().display_doctitle = True
    writer.page_mode = "/UseOutlines"
