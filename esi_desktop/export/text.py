"""Text as the documents print it: plain text made safe for a Paragraph, paragraphs, dates,
and how a document names its inspection.

The words themselves (dates, months, counts) come from :mod:`esi_desktop.wording`.
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from esi_desktop.export.scripts import Paragraph
from esi_desktop.wording import long_date, month_year


def text(value: str) -> str:
    """Plain text made safe for a Paragraph (escaped; line breaks kept)."""
    return escape(value.strip()).replace("\n", "<br/>")


def paragraphs(value: str, style: ParagraphStyle) -> list[Flowable]:
    """Plain text with blank-line paragraphs, each as a Paragraph."""
    blocks = [b for b in value.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return [Paragraph(text(b), style) for b in blocks]


def date_text(day: date | None) -> str:
    """A date as documents write it, or an empty string."""
    return long_date(day) if day is not None else ""


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
        return month_year(self.published)


#: The board that answers a rated inspection (a youth justice service's management board).
RATED_BOARD = "Management Board"


def board_name(area: str, *, rated: bool = False) -> str:
    """ "Gloucestershire Probation Board" from the area's name; for a rated inspection
    (``rated``), "Reading Youth Justice Service Management Board" from the body's name."""
    if rated:
        return f"{area.strip()} {RATED_BOARD}"
    for suffix in (" Probation Area", " Probation Board", " Probation"):
        if area.endswith(suffix):
            area = area[: -len(suffix)]
    return f"{area} Probation Board"
