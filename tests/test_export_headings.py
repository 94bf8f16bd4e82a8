"""In the PDFs a heading never sits alone at the foot of a page: what follows it comes with it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import Any

import peewee
import pytest
from pypdf import PdfReader
from reportlab.platypus import Flowable, NextPageTemplate

from db.models import Recommendation
from esi_desktop import plan
from esi_desktop.export import render_response
from esi_desktop.export.flowables import Heading
from esi_desktop.export.page import PORTRAIT, DocumentRenderer, Metadata
from esi_desktop.export.scripts import Paragraph
from esi_desktop.inspections import list_inspections

TODAY = date(2005, 6, 1)


def flat(value: str) -> str:
    return " ".join(value.split())


def _flatten(items: list[Any]) -> Iterator[Any]:
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def headings_alone(data: bytes, follows: dict[str, str]) -> list[str]:
    """The headings (by outline title) whose following words are not on the heading's page."""
    reader = PdfReader(io.BytesIO(data))
    pages = [flat(page.extract_text() or "") for page in reader.pages]
    alone = []
    for item in _flatten(reader.outline):
        words = follows.get(item.title)
        if words is None:
            continue
        if words not in pages[reader.get_destination_page_number(item)]:
            alone.append(item.title)
    return alone


def test_a_recommendation_heading_stays_with_its_quote(sample_db: peewee.Database) -> None:
    inspection_id = list_inspections()[0].id
    recommendations = list(Recommendation.select().order_by(Recommendation.id))
    # the words that follow each recommendation's heading: the start of its quoted text
    follows = {
        f"Recommendation {r.reference}": " ".join(flat(r.text).split()[:4]) for r in recommendations
    }
    sentence = "The Board will see this done and report on it at every meeting until it is. "
    checked = 0
    # responses of growing length push the next heading down the page, past every foot
    for paragraphs in range(0, 48, 3):
        narrative = "\n\n".join(sentence * 3 for _ in range(paragraphs)) or "Agreed."
        for r in recommendations[:3]:
            plan.save_response(
                recommendation_id=r.id,
                category="Agreed",
                narrative=narrative,
                part_agreed="",
                reason="",
                lead_owner="Chief Officer",
                overwrite=True,
            )
        data = render_response(inspection_id=inspection_id, today=TODAY)
        assert headings_alone(data, follows) == [], f"with {paragraphs} paragraphs"
        checked += 1
    assert checked == 16


class _Filler(DocumentRenderer):
    """A document of ``lines`` filler paragraphs, then a heading and the paragraph it heads."""

    document_title = "Headings"

    def __init__(self, lines: int, style: str) -> None:
        super().__init__()
        self.lines = lines
        self.style = style

    def metadata(self) -> Metadata:
        return Metadata(title="Headings", author="ESI Desktop", subject="a test")

    def story(self) -> list[Flowable]:
        s = self.styles
        filler = [Paragraph(f"Filler line {n}.", s["Body"]) for n in range(self.lines)]
        return [
            NextPageTemplate(PORTRAIT),
            *filler,
            Heading("HEADING-MARK", s[self.style], outline="The heading", key="heading"),
            Paragraph("FOLLOWING-MARK and the words under the heading.", s["Body"]),
        ]


@pytest.mark.parametrize("style", ["H1", "H2", "Kicker", "Body"])
def test_a_heading_at_the_foot_of_a_page_moves_to_the_next_with_its_text(style: str) -> None:
    for lines in range(30, 75):
        reader = PdfReader(io.BytesIO(_Filler(lines, style).render()))
        pages = [page.extract_text() or "" for page in reader.pages]
        heading = next(n for n, page in enumerate(pages) if "HEADING-MARK" in page)
        assert "FOLLOWING-MARK" in pages[heading], f"{style} alone after {lines} lines"
    assert len(pages) >= 2
