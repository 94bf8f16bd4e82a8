"""The progress chart of a Board progress paper: one bar per recommendation (0–100%),
split into parts that each fit on a page with their heading, and its figures as a table.

reportlab cannot give a drawing alternative text, so the table after the chart says in words
what the chart shows, for a screen reader and for anyone who cannot tell the bars apart.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.platypus import Table

from esi_desktop.export.fonts import REGULAR
from esi_desktop.export.style import ACCENT, AXIS, BODY_CELL, INK, MUTED, RULE
from esi_desktop.export.tables import cell, data_table
from esi_desktop.wording import shorten

#: The header of the chart's figures as a table.
CHART_TABLE_HEADER = ("Recommendation", "What it asks", "Milestones complete")
#: The sentence before that table.
CHART_TABLE_INTRO = "The chart’s figures as a table:"

#: The most bars in one chart: it then stands, with the section's heading, on one page.
CHART_BARS_PER_PART = 40


def chart_parts(count: int) -> list[slice]:
    """Split ``count`` bars into as few charts as fit on a page each, of even sizes."""
    if count <= CHART_BARS_PER_PART:
        return [slice(0, count)]
    charts = -(-count // CHART_BARS_PER_PART)
    size = -(-count // charts)
    return [slice(start, min(start + size, count)) for start in range(0, count, size)]


def progress_chart(labels: Sequence[str], values: Sequence[float], width: float) -> Drawing:
    """A horizontal bar chart of progress (0–100%) per recommendation, first at the top."""
    bar = 13.0
    height = max(len(labels), 1) * bar + 34
    drawing = Drawing(width, height)
    # the renderer starts each drawing in this font; reportlab's default is Helvetica
    drawing.initialFontName = REGULAR
    drawing.initialFontSize = 8
    if not labels:
        drawing.add(
            String(
                0, height / 2, "No recommendations.", fontName=REGULAR, fontSize=9, fillColor=MUTED
            )
        )
        return drawing
    chart = HorizontalBarChart()
    chart.x = 28
    chart.y = 20
    chart.width = width - 64
    chart.height = height - 30
    chart.data = [list(values)]
    chart.bars[0].fillColor = ACCENT
    chart.bars.strokeColor = None
    chart.barSpacing = 0
    chart.groupSpacing = 4
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.fillColor = INK
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = AXIS  # the baseline: 3:1 against white at least
    chart.categoryAxis.tickLeft = 0
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 25
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.strokeColor = AXIS
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.barLabelFormat = "%d%%"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 7.5
    chart.barLabels.fillColor = INK
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def progress_table(
    labels: Sequence[str], texts: Sequence[str], values: Sequence[float], width: float
) -> Table:
    """The chart's figures as a table: each recommendation, its words and its percentage."""
    widths = [28 * 2.835, width - 28 * 2.835 - 34 * 2.835, 34 * 2.835]  # millimetres in points
    rows: list[list[object]] = [list(CHART_TABLE_HEADER)]
    for label, words, value in zip(labels, texts, values, strict=True):
        rows.append([label, cell(shorten(words, 90), BODY_CELL, widths[1]), f"{value:.0f}%"])
    return data_table(rows, widths, numeric=(2,))
