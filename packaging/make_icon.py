"""Draw the program's icon: ``resources/icons/esi-desktop.ico`` (16 to 256 pixels) and
``resources/icons/esi-desktop.png`` (256 pixels).

A plan on a board: a navy rounded square holding a white sheet with three lines, the first
ticked. Each size is drawn at that size (not scaled down from the largest), so the lines stay
sharp at 16 pixels. The ``.ico`` holds one PNG image per size, as Windows Vista and later
read them (the ICO header, one directory entry per image, then the images).

Run: ``uv run python packaging/make_icon.py``; the files are committed, so a build does not
need to run it.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
NAVY = QColor("#1f4e79")
INK = QColor("#1f4e79")
TICK = QColor("#2e7d32")


def draw(size: int) -> QImage:
    """The icon drawn at ``size`` × ``size`` pixels, on a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    unit = size / 16
    # the board: a navy rounded square
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(NAVY)
    painter.drawRoundedRect(QRectF(0, 0, size, size), 3 * unit, 3 * unit)
    # the sheet
    painter.setBrush(QColor("white"))
    sheet = QRectF(3 * unit, 2 * unit, 10 * unit, 12 * unit)
    painter.drawRoundedRect(sheet, unit, unit)
    # three lines of the plan, the first ticked
    line = QPen(INK, max(1.0, 1.2 * unit))
    line.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(line)
    for row, start in enumerate((8.0, 6.0, 6.0)):
        y = (5 + 3.3 * row) * unit
        painter.drawLine(QPointF(start * unit, y), QPointF(11.4 * unit, y))
    tick = QPen(TICK, max(1.2, 1.5 * unit))
    tick.setCapStyle(Qt.PenCapStyle.RoundCap)
    tick.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(tick)
    mark = QPainterPath(QPointF(4.3 * unit, 5.0 * unit))
    mark.lineTo(QPointF(5.4 * unit, 6.1 * unit))
    mark.lineTo(QPointF(7.1 * unit, 3.7 * unit))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(mark)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: list[tuple[int, bytes]]) -> bytes:
    """An ICO file of PNG images: (size, PNG bytes) each."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, blob in images:
        side = 0 if size >= 256 else size  # 0 stands for 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    return header + entries + blobs


def main() -> None:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICONS.mkdir(parents=True, exist_ok=True)
    images = [(size, png_bytes(draw(size))) for size in SIZES]
    (ICONS / "esi-desktop.ico").write_bytes(ico_bytes(images))
    (ICONS / "esi-desktop.png").write_bytes(images[-1][1])
    print(f"wrote {ICONS / 'esi-desktop.ico'} ({', '.join(str(s) for s in SIZES)} px)")
    del app


if __name__ == "__main__":
    main()
