"""The Qt binding keeps Python's reference counts straight (PySide6 6.12.0 did not)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    fired = Signal()


def test_void_calls_and_emits_do_not_lose_references(qtbot: QtBot) -> None:
    # On Python 3.11 None/True/False are ordinary objects: a binding that returns them without
    # a new reference frees them after enough calls and the interpreter aborts. pyproject.toml
    # keeps PySide6 below 6.12 for this; this test fails if an upgrade brings the bug back.
    widget = QWidget()
    qtbot.addWidget(widget)
    emitter = _Emitter()
    emitter.fired.connect(lambda: None)
    before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(2000):
        widget.setEnabled(True)
        emitter.fired.emit()
    assert sys.getrefcount(True) >= before_true - 10
    assert sys.getrefcount(None) >= before_none - 10
