"""The evidence bundle's cover and index, laid out in the house style with reportlab.

The index lists recommendation → action → milestone → each piece of evidence with its name,
type, size, full SHA-256 and where it is: the page it starts on, "attached as a file", or
(in a ZIP bundle) its path in the archive. The renderer notes the page each entry lands on
(:attr:`BundleIndexRenderer.marks`), so the PDF's outline can point at the index for what has
no page of its own; "Page X of Y" counts the whole bundle's pages when told them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, Table

from esi_desktop.backups import describe_size
from esi_desktop.export.bundle_content import (
    BundleContent,
    BundleItem,
    EvidencePiece,
    type_words,
)
from esi_desktop.export.flowables import spacer
from esi_desktop.export.page import PORTRAIT, DocumentRenderer, Metadata
from esi_desktop.export.scripts import Paragraph
from esi_desktop.export.style import MUTED, RULE
from esi_desktop.export.tables import facts_table, house_style
from esi_desktop.export.text import date_text, text
from esi_desktop.wording import RECOMMENDATION, long_date, plural, shorten

DOCUMENT_TITLE = "Evidence for the follow-up inspection"
INDEX_TITLE = "Index of evidence"
#: The SHA-256 is printed in a fixed-width face (a standard PDF font: hex digits only).
MONOSPACE = "Courier"
#: Each level of the index is set in by this much.
INDENT = 6 * mm


@dataclass(frozen=True)
class Placement:
    """Where the bundle puts a piece of evidence.

    Attributes:
        where: "page 12", "attached as a file", or its path in a ZIP archive.
        note: why it is not where its kind would put it, as a sentence ("" if it is).
    """

    where: str
    note: str = ""


@dataclass(frozen=True)
class Counts:
    """How the evidence was placed, for the cover."""

    merged: int = 0
    images: int = 0
    attached: int = 0


def walk(items: tuple[BundleItem, ...], depth: int = 0) -> Iterator[tuple[int, BundleItem, str]]:
    """Every item in index order with its depth and the key its index entry is marked by."""

    def visit(item: BundleItem, level: int, path: str) -> Iterator[tuple[int, BundleItem, str]]:
        yield level, item, path
        for number, child in enumerate(item.children):
            yield from visit(child, level + 1, f"{path}.{number}")

    for number, item in enumerate(items):
        yield from visit(item, depth, f"item-{number}")


def piece_key(piece: EvidencePiece) -> str:
    """The key an evidence entry of the index is marked by."""
    return f"evidence-{piece.id}"


class _PageMark(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """Takes no room; notes the page it is drawn on. Kept with the entry that follows."""

    keepWithNext = 1

    def __init__(self, key: str, marks: dict[str, int]) -> None:
        super().__init__()
        self.key = key
        self.marks = marks
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.marks.setdefault(self.key, self.canv.getPageNumber())


class BundleIndexRenderer(DocumentRenderer):
    """Lays out the bundle's cover and index, portrait A4.

    Attributes:
        marks: after :meth:`render`, the page (from 1) each item's and piece's entry is on,
            by key (:func:`walk`, :func:`piece_key`), and "cover" and "index".
    """

    document_title = DOCUMENT_TITLE

    def __init__(
        self,
        content: BundleContent,
        placements: dict[int, Placement],
        *,
        counts: Counts,
        archive: bool = False,
        total_pages: int | None = None,
        on_page: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(on_page=on_page)
        self.content = content
        self.placements = placements
        self.counts = counts
        self.archive = archive
        self.total_pages = total_pages
        self.marks: dict[str, int] = {}
        s = self.styles
        self.sha_style = ParagraphStyle(
            "Sha", parent=s["Cell"], fontName=MONOSPACE, fontSize=7, leading=9, textColor=MUTED
        )
        self.name_style = ParagraphStyle("PieceName", parent=s["CellBold"], fontSize=9, leading=12)
        self.where_style = ParagraphStyle("Where", parent=s["CellBold"], fontSize=9, leading=12)
        # fifteen recommendations, most with long words: a heading a size under H2's
        self.recommendation_style = ParagraphStyle(
            "RecommendationHeading", parent=s["H2"], fontSize=11.5, leading=15, spaceBefore=10
        )
        self.note_style = ParagraphStyle("Note", parent=s["Cell"], fontName="LiberationSans-Italic")

    def metadata(self) -> Metadata:
        c = self.content
        return Metadata(
            title=f"{DOCUMENT_TITLE}: {c.board}",
            author=c.board,
            subject=(
                f"The evidence behind the {c.board}'s action plan responding to HM Inspectorate "
                f"of Probation's report “{c.report_title}” ({c.published_label})"
            ),
            keywords=("HM Inspectorate of Probation", "action plan", "evidence", c.area),
        )

    def running_header(self) -> tuple[str, str]:
        return self.content.board, DOCUMENT_TITLE

    def footer_note(self) -> str:
        return f"Prepared {date_text(self.content.prepared_on)}"

    def _draw_footer(self, canvas: Canvas, number: int, total: int) -> None:
        # the index's pages are numbered among the whole bundle's
        super()._draw_footer(canvas, number, self.total_pages or total)

    def story(self) -> list[Flowable]:
        return [
            _PageMark("cover", self.marks),
            *self.cover(),
            NextPageTemplate(PORTRAIT),
            PageBreak(),
            _PageMark("index", self.marks),
            *self.index(),
        ]

    # the cover --------------------------------------------------------------------------------

    def cover(self) -> list[Flowable]:
        """Area, report, the date prepared and what the bundle holds."""
        c, s = self.content, self.styles
        pieces = c.pieces()
        recommendations = [i for i in c.items if i.kind == RECOMMENDATION]
        without = c.recommendations_without_evidence
        evidence = f"{plural(len(pieces), 'piece')} ({describe_size(c.total_size)})"
        if self.archive:
            evidence += ", the original files in the folders beside this index"
        else:
            parts = [
                f"{plural(self.counts.merged, 'PDF document')} merged in",
                f"{plural(self.counts.images, 'image')} placed on pages",
                f"{plural(self.counts.attached, 'file')} attached to this PDF",
            ]
            evidence += f": {', '.join(parts)}"
        covered = len(recommendations) - without
        facts = [
            (c.area_label, text(c.area)),
            ("Inspection report", f"<i>{text(c.report_title)}</i>"),
            ("Published", text(c.published_label)),
            ("Prepared", text(long_date(c.prepared_on))),
            ("Evidence", text(evidence)),
            (
                "Recommendations",
                text(
                    f"{covered} of {len(recommendations)} with evidence"
                    + (f"; {without} with none yet" if without else "")
                ),
            ),
        ]
        if self.archive:
            how = (
                "The index lists each piece of evidence under the recommendation, action and "
                "milestone it supports, with its SHA-256 fingerprint and its place in the "
                "archive: one folder per recommendation (R3), with a folder inside for each "
                "action (AP3) and milestone (AP3.2)."
            )
        else:
            how = (
                "The index lists each piece of evidence under the recommendation, action and "
                "milestone it supports, with its SHA-256 fingerprint and the page it starts "
                "on; the bookmarks follow the index. Files that cannot be shown as pages are "
                "attached to this PDF: open them from your PDF viewer's attachments (paper "
                "clip) panel."
            )
        return [
            Paragraph(text(c.board.upper()), s["Kicker"]),
            Paragraph(text(DOCUMENT_TITLE), s["Title"]),
            Paragraph(
                "The evidence behind the Board’s action plan responding to HM Inspectorate of "
                f"Probation’s {text(c.published_label)} report on {text(c.area)}.",
                s["Subtitle"],
            ),
            facts_table(s, facts, [42 * mm, self.frame_width - 42 * mm]),
            spacer(8),
            Paragraph("How to read this bundle", s["H3"]),
            Paragraph(text(how), s["BodySmall"]),
            Paragraph(
                text(
                    "A SHA-256 fingerprint identifies a file's exact contents: the same "
                    "fingerprint computed from a copy proves the copy unchanged."
                ),
                s["Muted"],
            ),
        ]

    # the index --------------------------------------------------------------------------------

    def index(self) -> list[Flowable]:
        """Each item with evidence, and each recommendation without, in plan order."""
        s = self.styles
        flowables: list[Flowable] = [Paragraph(INDEX_TITLE, s["H1"])]
        for depth, item, key in walk(self.content.items):
            flowables.append(_PageMark(key, self.marks))
            flowables.append(self._heading(item, depth))
            for action, under in item.shared:
                said = (
                    f"{action} also serves this recommendation: its evidence is listed under "
                    f"Recommendation {under}."
                )
                flowables.append(Paragraph(text(said), self._indented(s["Muted"], depth + 1)))
            if item.kind == RECOMMENDATION and not item.has_evidence:
                flowables.append(
                    Paragraph("No evidence attached yet.", self._indented(s["Muted"], depth + 1))
                )
            for piece in item.evidence:
                flowables.append(_PageMark(piece_key(piece), self.marks))
                flowables.append(self._entry(piece, depth + 1))
        return flowables

    def _indented(self, style: ParagraphStyle, depth: int) -> ParagraphStyle:
        return ParagraphStyle(
            f"{style.name}{depth}", parent=style, leftIndent=depth * INDENT, keepWithNext=1
        )

    def _heading(self, item: BundleItem, depth: int) -> Paragraph:
        s = self.styles
        style = self.recommendation_style if depth == 0 else s["H3"]
        words = shorten(item.heading, 120)
        return Paragraph(text(words), self._indented(style, depth))

    def _entry(self, piece: EvidencePiece, depth: int) -> Table:
        """A piece of evidence: name, type, size, who attached it, its SHA-256, and where."""
        placement = self.placements.get(piece.id, Placement(""))
        attached = f"attached by {piece.attached_by}, " if piece.attached_by else "attached "
        details: list[Any] = [
            Paragraph(text(piece.name), self.name_style),
            Paragraph(
                text(
                    f"{type_words(piece)} · {describe_size(piece.size)} · {attached}"
                    f"{long_date(piece.attached_at.date())}"
                ),
                self.styles["CellMuted"],
            ),
            Paragraph(f"SHA-256 {piece.sha256}", self.sha_style),
        ]
        if placement.note:
            details.append(Paragraph(text(placement.note), self.note_style))
        # a path in the archive wraps; the long hash is cut where the line ends
        where_width = 55 * mm if self.archive else 30 * mm
        width = self.frame_width - depth * INDENT - where_width
        table = Table(
            [["", details, Paragraph(text(placement.where), self.where_style)]],
            colWidths=[depth * INDENT, width, where_width],
            hAlign="LEFT",
        )
        table.setStyle(
            house_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                    ("LINEBELOW", (1, 0), (-1, 0), 0.4, RULE),
                ]
            )
        )
        return table
