"""Every fixed colour pair the documents draw meets WCAG 2.2 AA (issue 18 §3): 4.5:1 for text,
3:1 for large text and for graphics a reader needs (the chart's bars and baseline); and the
progress paper gives its chart's figures as a table."""

from __future__ import annotations

from datetime import date

import peewee
import pytest
from reportlab.lib import colors

from esi_desktop.contrast import MINIMUM, ColourPair, contrast_ratio, failures, relative_luminance
from esi_desktop.export import docx_parts, page, progress_chart, style, xlsx_plan
from esi_desktop.export.progress_chart import CHART_TABLE_HEADER, CHART_TABLE_INTRO
from esi_desktop.rules import Rag
from tests.test_export import TODAY, fill_plan, pdf_text


def test_the_wcag_formulas() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio((255, 255, 255), "#fff") == pytest.approx(1.0)
    assert relative_luminance("#000") == 0 and relative_luminance("0xFFFFFF") == pytest.approx(1)
    # published figures: #767676 is the lightest grey with 4.5:1 on white
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#FFFFFF") < 4.5
    assert contrast_ratio("#1D70B8", "#FFFFFF") == contrast_ratio("#FFFFFF", "#1D70B8")
    assert MINIMUM == {"text": 4.5, "large": 3.0, "graphic": 3.0}
    with pytest.raises(ValueError):
        contrast_ratio("#12345", "#FFFFFF")
    below = ColourPair("Light grey line", "#B1B4B6", "#FFFFFF", "graphic")
    assert not below.passes and failures([below]) == [
        "Light grey line: 2.08:1, needs 3:1 (graphic)."
    ]


def _hex(colour: colors.Color) -> str:
    return "#" + colour.hexval()[2:].upper()


def word_pairs() -> list[ColourPair]:
    """The colours the Word document sets (docx_parts), on the fills it puts them on."""
    d = docx_parts
    white = "#FFFFFF"
    pairs = [
        ColourPair("Word: body text", str(d.INK), white, "text"),
        ColourPair("Word: muted text", str(d.MUTED), white, "text"),
        ColourPair("Word: headings, kicker", str(d.ACCENT), white, "text"),
        ColourPair("Word: DRAFT line", str(d.DRAFT_RED), white, "text"),
        ColourPair("Word: header cell", str(d.INK), d.HEAD_FILL, "text"),
        ColourPair("Word: shaded row", str(d.INK), d.ROW_FILL, "text"),
        ColourPair("Word: muted reference in a row", str(d.MUTED), d.ROW_FILL, "text"),
        ColourPair("Word: quotation", str(d.INK), d.QUOTE_FILL, "text"),
        ColourPair("Word: gap panel", str(d.INK), d.GAP_FILL, "text"),
        ColourPair("Word: quotation's rule", d.QUOTE_EDGE, d.QUOTE_FILL, "graphic"),
        ColourPair("Word: gap panel's rule", d.GAP_EDGE, d.GAP_FILL, "graphic"),
    ]
    return [
        ColourPair(
            p.name, "#" + str(p.foreground).lstrip("#"), "#" + str(p.background).lstrip("#"), p.kind
        )
        for p in pairs
    ]


def excel_pairs() -> list[ColourPair]:
    """The colours the Excel action plan sets (xlsx_plan)."""
    x = xlsx_plan
    white = "#FFFFFF"
    head_fill = "#" + x.HEAD_FILL.fgColor.rgb[-6:]
    pairs = [
        ColourPair("Excel: header cell", "#" + x.HEAD_FONT.color.rgb[-6:], head_fill, "text"),
        ColourPair("Excel: title", "#" + x.TITLE_FONT.color.rgb[-6:], white, "large"),
        ColourPair("Excel: section", "#" + x.SECTION_FONT.color.rgb[-6:], white, "text"),
        ColourPair("Excel: note", "#" + x.MUTED_FONT.color.rgb[-6:], white, "text"),
    ]
    for rag, (fill, ink) in x.RAG_FILLS.items():
        pairs.append(ColourPair(f"Excel: {rag.name} RAG cell", f"#{ink}", f"#{fill}", "text"))
    return pairs


def all_pairs() -> list[ColourPair]:
    return [*style.COLOUR_PAIRS, *word_pairs(), *excel_pairs()]


def test_every_document_colour_pair_meets_its_minimum() -> None:
    pairs = all_pairs()
    assert failures(pairs) == []
    # counted in the report: the PDFs', the Word document's and the Excel plan's pairs
    assert (len(style.COLOUR_PAIRS), len(word_pairs()), len(excel_pairs())) == (26, 11, 8)
    kinds = {p.kind for p in pairs}
    assert kinds == {"text", "large", "graphic"}


def test_the_registry_covers_every_colour_the_pdfs_draw() -> None:
    """A colour added to the house style without a checked pair fails here."""
    listed = {str(p.foreground) for p in (*style.COLOUR_PAIRS, *style.DECORATIVE)}
    listed |= {str(p.background) for p in (*style.COLOUR_PAIRS, *style.DECORATIVE)}
    declared = {_hex(value) for value in vars(style).values() if isinstance(value, colors.Color)}
    declared |= {_hex(c) for pair in style.RAG_COLOURS.values() for c in pair}
    assert declared - listed == set()
    # the page's DRAFT mark is the style's checked red, and the RAG words are not colour alone
    assert _hex(page.DRAFT_COLOUR) == _hex(style.DRAFT_COLOUR)
    assert set(style.RAG_WORDS) == set(Rag)
    # the Word and Excel documents use the PDFs' RAG colours
    for rag, (fill, ink) in style.RAG_COLOURS.items():
        assert (f"#{xlsx_plan.RAG_FILLS[rag][0]}", f"#{xlsx_plan.RAG_FILLS[rag][1]}") == (
            _hex(fill),
            _hex(ink),
        )


def test_the_chart_draws_its_bars_and_baseline_in_checked_colours() -> None:
    drawing = progress_chart.progress_chart(["1", "2"], [40, 100], 400)
    chart = drawing.contents[0]
    white = "#FFFFFF"
    for colour in (chart.categoryAxis.strokeColor, chart.valueAxis.strokeColor):
        assert contrast_ratio(_hex(colour), white) >= MINIMUM["graphic"]
    assert contrast_ratio(_hex(chart.bars[0].fillColor), white) >= MINIMUM["graphic"]
    for colour in (chart.categoryAxis.labels.fillColor, chart.barLabels.fillColor):
        assert contrast_ratio(_hex(colour), white) >= MINIMUM["text"]


def test_the_progress_paper_gives_the_chart_figures_as_a_table(
    sample_db: peewee.Database,
) -> None:
    from esi_desktop import plan
    from esi_desktop.export import render_progress

    filled = fill_plan()
    view = plan.load_plan(inspection_id=filled.inspection_id, today=TODAY)
    words = pdf_text(
        render_progress(
            inspection_id=filled.inspection_id, meeting_date=date(2005, 7, 21), today=TODAY
        )
    )
    chart_at = words.index("2. Progress by recommendation")
    table_at = words.index(CHART_TABLE_INTRO)
    end = words.index("3. Completed since the previous meeting")
    assert chart_at < table_at < end
    table = words[table_at:end]
    assert " ".join(CHART_TABLE_HEADER) in table
    for recommendation in view.recommendations:
        percent = f"{round(recommendation.progress * 100)}%"
        assert f" {recommendation.reference} " in table, recommendation.reference
        assert f"{percent} " in table or table.endswith(percent), percent
    started = [r for r in view.recommendations if r.progress > 0]
    assert started, "the sample plan has progress to show"
