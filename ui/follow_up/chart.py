"""A chart of baseline against follow-up results, one pair of horizontal bars per criterion.

Why a painted widget and not QtCharts: the chart is simple (paired bars on a fixed 0–100
axis), and painting it ourselves needs no extra Qt module in the installer, draws crisply at
any display scaling (everything is laid out in logical pixels from the font's metrics and
antialiased), renders the same offscreen in tests, and lets a missing follow-up show as a gap
with the words "no result yet" rather than as a bar of zero, which a QBarSet cannot express
(it has no "missing" value). The widget's height follows its rows, so it sits in a scroll
area when there are many criteria. Each bar has its own tooltip, and the accessible description
reads the figures aloud, since a screen reader cannot see painted bars.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QLineF, QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ui import palette
from ui.palette import legible

#: The colours of the two rounds (also the legend's).
BASELINE_COLOUR = QColor(palette.BASELINE_BAR)
FOLLOW_UP_COLOUR = QColor(palette.FOLLOW_UP_BAR)
AXIS_TICKS = (0, 25, 50, 75, 100)
MISSING_TEXT = "no result yet"


@dataclass(frozen=True)
class ChartCriterion:
    """One percentage criterion on the chart."""

    group: str  # the framework's short title, a heading above its criteria
    code: str
    title: str
    baseline: int | None
    follow_up: int | None


@dataclass(frozen=True)
class ChartBar:
    """Where a bar (or the gap left for a missing result) is drawn, with its tooltip."""

    criterion: ChartCriterion
    round_name: str  # "Baseline" or "Follow-up"
    value: int | None
    rect: QRectF
    tooltip: str


def _describe(value: int | None) -> str:
    return "no result yet" if value is None else f"{value}%"


class ScoreChart(QWidget):
    """Paired horizontal bars: the report's result over the follow-up result, per criterion."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._criteria: tuple[ChartCriterion, ...] = ()
        self.setAccessibleName("Chart of baseline against follow-up results")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setMouseTracking(True)
        self.setAutoFillBackground(True)

    # ----- data ----------------------------------------------------------------------------

    def set_criteria(self, criteria: Sequence[ChartCriterion]) -> None:
        """Show these criteria, in order, grouped under their group headings."""
        self._criteria = tuple(criteria)
        self.setAccessibleDescription(self.description())
        self.updateGeometry()
        self.update()

    def criteria(self) -> tuple[ChartCriterion, ...]:
        """The criteria on show."""
        return self._criteria

    def description(self) -> str:
        """The chart in words, for screen readers: "B1 Assessment of risk of harm: 46% then 70%"."""
        if not self._criteria:
            return "No percentage results to chart."
        parts = [
            f"{c.code} {c.title}: {_describe(c.baseline)} then {_describe(c.follow_up)}"
            for c in self._criteria
        ]
        return "Baseline then follow-up. " + "; ".join(parts) + "."

    # ----- geometry ------------------------------------------------------------------------

    def _metrics(self) -> tuple[QFontMetricsF, float, float, float]:
        """Font metrics, bar thickness, row height and legend height, all from the font.

        A bar is as thick as the small font's line so its value label fits beside it.
        """
        metrics = QFontMetricsF(self.font())
        line = metrics.height()
        bar = max(8.0, round(QFontMetricsF(self._small_font()).height()))
        row = max(line * 1.3, 2 * bar + line * 0.5)
        # two lines: the colour swatches, then what a missing result looks like
        legend = line * 1.6 + QFontMetricsF(self._small_font()).height() * 1.3
        return metrics, bar, row, legend

    def _small_font(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.85))
        return small

    def _groups(self) -> list[tuple[str, list[ChartCriterion]]]:
        groups: list[tuple[str, list[ChartCriterion]]] = []
        for criterion in self._criteria:
            if not groups or groups[-1][0] != criterion.group:
                groups.append((criterion.group, []))
            groups[-1][1].append(criterion)
        return groups

    def sizeHint(self) -> QSize:
        metrics, _bar, row, legend = self._metrics()
        groups = self._groups()
        height = legend + len(groups) * row * 1.1 + len(self._criteria) * row + metrics.height() * 2
        return QSize(round(metrics.averageCharWidth() * 60), round(height))

    def minimumSizeHint(self) -> QSize:
        hint = self.sizeHint()
        metrics = QFontMetricsF(self.font())
        return QSize(round(metrics.averageCharWidth() * 30), hint.height())

    def _label_width(self, metrics: QFontMetricsF) -> float:
        widest = max((metrics.horizontalAdvance(c.code) for c in self._criteria), default=0.0)
        return widest + metrics.averageCharWidth() * 1.5

    def _plot_span(self, metrics: QFontMetricsF) -> tuple[float, float]:
        """The x of 0% and the width of 100%."""
        left = 8 + self._label_width(metrics)
        right_margin = metrics.horizontalAdvance("100%") + 12
        return left, max(40.0, self.width() - left - right_margin)

    def bars(self) -> list[ChartBar]:
        """Every bar at the widget's current size, baseline then follow-up per criterion."""
        metrics, bar, row, legend = self._metrics()
        left, span = self._plot_span(metrics)
        italic = self._small_font()
        italic.setItalic(True)
        gap = QFontMetricsF(italic).horizontalAdvance(MISSING_TEXT) + 4
        bars: list[ChartBar] = []
        y = legend
        for _group, members in self._groups():
            y += row * 1.1  # the group heading
            for criterion in members:
                top = y + (row - 2 * bar) / 2
                for offset, round_name, value in (
                    (0.0, "Baseline", criterion.baseline),
                    (bar, "Follow-up", criterion.follow_up),
                ):
                    width = span * value / 100 if value is not None else gap
                    rect = QRectF(left, top + offset, max(width, 1.0), bar)
                    tooltip = (
                        f"{criterion.code} {criterion.title}\n{round_name}: {_describe(value)}"
                    )
                    if round_name == "Follow-up" and value is not None and criterion.baseline:
                        change = value - criterion.baseline
                        tooltip += f" ({change:+d} points)".replace("-", "−")
                    bars.append(ChartBar(criterion, round_name, value, rect, tooltip))
                y += row
        return bars

    def bar_at(self, pos: QPoint) -> ChartBar | None:
        """The bar under a point (its whole row's height counts, so thin bars are easy to hit)."""
        for candidate in self.bars():
            rect = candidate.rect
            hit = QRectF(rect.left() - 4, rect.top(), max(rect.width(), 24) + 8, rect.height())
            if hit.contains(pos.toPointF()):
                return candidate
        return None

    # ----- events --------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            found = self.bar_at(event.pos())
            if found is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), found.tooltip, self)
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_colour = palette.color(palette.ColorRole.WindowText)
        faint = palette.color(palette.ColorRole.Mid)
        # the bars stand out 3:1 from the background, whatever the theme (issue 18)
        back = palette.color(palette.ColorRole.Window)
        bar_colours = {
            True: legible(BASELINE_COLOUR.name(), back, "graphic"),
            False: legible(FOLLOW_UP_COLOUR.name(), back, "graphic"),
        }
        metrics, bar, row, legend = self._metrics()
        left, span = self._plot_span(metrics)

        if not self._criteria:
            painter.setPen(text_colour)
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, "No percentage results to chart."
            )
            return

        self._paint_legend(painter, metrics, bar, legend, text_colour)
        bars = self.bars()
        top = legend
        bottom = bars[-1].rect.bottom() + (row - 2 * bar) / 2

        # grid lines and the 0–100 axis under the last row
        painter.setPen(QPen(faint, 1, Qt.PenStyle.DotLine))
        for tick in AXIS_TICKS:
            x = round(left + span * tick / 100) + 0.5
            painter.drawLine(QLineF(x, top, x, bottom))
        painter.setPen(QPen(text_colour, 1))
        axis_y = round(bottom) + 0.5
        painter.drawLine(QLineF(left, axis_y, left + span, axis_y))
        for tick in AXIS_TICKS:
            x = left + span * tick / 100
            painter.drawLine(QLineF(x, axis_y, x, axis_y + 4))
            label = f"{tick}%"
            width = metrics.horizontalAdvance(label)
            painter.drawText(
                QRectF(x - width / 2 - 2, axis_y + 4, width + 4, metrics.height()),
                Qt.AlignmentFlag.AlignCenter,
                label,
            )

        # group headings
        bold = QFont(self.font())
        bold.setBold(True)
        y = legend
        for group, members in self._groups():
            painter.setFont(bold)
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(8, y, self.width() - 16, row * 1.1),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                group,
            )
            y += row * 1.1 + row * len(members)
        painter.setFont(self.font())

        small = self._small_font()
        small_metrics = QFontMetricsF(small)
        italic = QFont(small)
        italic.setItalic(True)
        faint_text = palette.color(palette.ColorRole.PlaceholderText)
        for item in bars:
            rect = item.rect
            if item.round_name == "Baseline":
                painter.setPen(text_colour)
                painter.setFont(self.font())
                label_rect = QRectF(8, rect.top() - bar / 2, left - 12, 2 * bar + bar / 2)
                painter.drawText(
                    label_rect,
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    item.criterion.code,
                )
            painter.setFont(small)
            if item.value is None:
                # a gap, never a bar of zero: the result is missing, not 0%
                painter.setFont(italic)
                painter.setPen(faint_text)
                painter.drawText(
                    QRectF(rect.left() + 2, rect.top(), rect.width() + 40, rect.height()),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    MISSING_TEXT,
                )
                continue
            colour = bar_colours[item.round_name == "Baseline"]
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRect(rect)
            painter.setPen(text_colour)
            value_text = f"{item.value}%"
            painter.drawText(
                QRectF(
                    rect.right() + 3,
                    rect.top() - 2,
                    small_metrics.horizontalAdvance(value_text) + 4,
                    rect.height() + 4,
                ),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                value_text,
            )
        painter.end()

    def _paint_legend(
        self, painter: QPainter, metrics: QFontMetricsF, bar: float, legend: float, text: QColor
    ) -> None:
        x = 8.0
        y = metrics.height() * 0.3
        for name, colour in (
            ("Baseline (report)", BASELINE_COLOUR),
            ("Follow-up", FOLLOW_UP_COLOUR),
        ):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            swatch = QRectF(x, y + (metrics.height() - bar) / 2, bar * 2, bar)
            painter.drawRect(swatch)
            x += swatch.width() + 6
            painter.setPen(text)
            width = metrics.horizontalAdvance(name)
            painter.drawText(
                QRectF(x, y, width + 2, metrics.height()), Qt.AlignmentFlag.AlignVCenter, name
            )
            x += width + metrics.averageCharWidth() * 3
        italic = self._small_font()
        italic.setItalic(True)
        painter.setFont(italic)
        painter.setPen(self.palette().color(self.palette().ColorRole.PlaceholderText))
        name = f"{MISSING_TEXT}: the result is missing, not 0%"
        italic_metrics = QFontMetricsF(italic)
        painter.drawText(
            QRectF(8, y + metrics.height() * 1.2, self.width() - 16, italic_metrics.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            italic_metrics.elidedText(name, Qt.TextElideMode.ElideRight, self.width() - 16),
        )
        painter.setFont(self.font())
