"""The program's icon: every size Windows asks for, on every window, the taskbar and the tray.

``packaging/make_icon.py`` draws it at each size into ``resources/icons``; the frozen build
puts it on both executables (packaging/esi_desktop.spec) and the installer (installer.iss).
"""

from __future__ import annotations

import importlib.util
import struct
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from esi_desktop.resources import APP_ICON

ROOT = Path(__file__).resolve().parent.parent
WINDOWS_SIZES = [16, 20, 24, 32, 40, 48, 64, 128, 256]


def _make_icon() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_icon", ROOT / "packaging/make_icon.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_icon_file_holds_every_size_as_a_png(qtbot: QtBot) -> None:
    data = APP_ICON.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, len(WINDOWS_SIZES))
    sizes = []
    for n in range(count):
        width, height, _c, _r, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * n
        )
        assert (width, planes, bits) == (height, 1, 32)
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"  # a PNG image
        assert offset + length <= len(data)
        sizes.append(width or 256)
    assert sizes == WINDOWS_SIZES
    drawn_sizes = _make_icon().SIZES
    assert list(drawn_sizes) == WINDOWS_SIZES


def test_each_size_is_drawn_not_blank(qtbot: QtBot) -> None:
    from ui.app import app_icon

    icon = app_icon()
    assert sorted(size.width() for size in icon.availableSizes()) == WINDOWS_SIZES
    for side in (16, 32, 256):
        image = icon.pixmap(QSize(side, side)).toImage()
        assert image.width() == side
        unit = side // 16
        assert image.pixelColor(0, 0).alpha() < 255  # rounded: the corner shows what is behind
        assert image.pixelColor(4 * unit, 13 * unit) == QColor("white")  # the sheet of the plan
        board = image.pixelColor(side // 2, unit // 2)
        assert board.blue() > board.red() and board.alpha() == 255  # the navy board around it


def test_the_application_and_its_windows_have_the_icon(
    qtbot: QtBot, open_window: Callable[..., Any]
) -> None:
    from PySide6.QtWidgets import QApplication

    from ui.app import make_application

    app = make_application()
    assert isinstance(app, QApplication)
    assert sorted(s.width() for s in app.windowIcon().availableSizes()) == WINDOWS_SIZES
    window = open_window(date(2005, 6, 1))
    assert sorted(s.width() for s in window.windowIcon().availableSizes()) == WINDOWS_SIZES
