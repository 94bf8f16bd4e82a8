"""The paper clip shown beside a count of evidence files, drawn rather than taken from a font.

An emoji paper clip needs a colour-emoji font, which many Linux desktops (and the offscreen
test platform) lack: there it would show as an empty box. Drawn, it reads the same everywhere
and at any scaling.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap


def paper_clip_path(side: float) -> QPainterPath:
    """A paper clip's wire in a square of ``side``: three nested loops, upright."""

    def at(x: float, y: float) -> tuple[float, float]:
        return x * side, y * side

    def box(left: float, top: float, width: float) -> QRectF:
        return QRectF(left * side, top * side, width * side, width * side)

    path = QPainterPath()
    path.moveTo(*at(0.30, 0.36))
    path.lineTo(*at(0.30, 0.72))
    path.arcTo(box(0.30, 0.52, 0.40), 180, 180)  # round the bottom, outer loop
    path.lineTo(*at(0.70, 0.24))
    path.arcTo(box(0.42, 0.10, 0.28), 0, 180)  # round the top
    path.lineTo(*at(0.42, 0.70))
    path.arcTo(box(0.42, 0.62, 0.16), 180, 180)  # round the bottom, inner loop
    path.lineTo(*at(0.58, 0.36))
    return path


def paper_clip_icon(side: int, ink: QColor, ratio: float = 1.0) -> QIcon:
    """A paper clip ``side`` pixels square, in ``ink``, sharp at a device pixel ``ratio``."""
    pixmap = QPixmap(round(side * ratio), round(side * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(ink, max(1.2, side / 11))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.translate(side / 2, side / 2)
    painter.rotate(35)  # tilted, as a paper clip lies on a page
    painter.translate(-side / 2, -side / 2)
    painter.drawPath(paper_clip_path(side))
    painter.end()
    return QIcon(pixmap)
