"""Frozen start-up: where Qt finds its plugins, without loading Qt (replaces pyi_rth_pyside6).

PyInstaller's own PySide6 run-time hook imports PySide6.QtCore at every start, only to check
for an embedded qt.conf that PyPI's PySide6 wheels always provide, so every command (which never
uses Qt) paid for loading Qt's libraries (~0.15 s). This sets the same environment and nothing
more; the window imports Qt itself, as from source. See packaging/esi_desktop.spec.
"""

import os
import sys


def _qt_paths() -> None:
    bundle = sys._MEIPASS  # type: ignore[attr-defined]  # set by PyInstaller's bootloader
    windows = sys.platform.startswith("win")
    qt = os.path.join(bundle, "PySide6") if windows else os.path.join(bundle, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt, "qml")
    if windows:  # as PyInstaller's hook: QtNetwork finds OpenSSL DLLs collected at the top
        os.environ["PATH"] = os.pathsep.join([bundle, *filter(None, [os.environ.get("PATH", "")])])


_qt_paths()
del _qt_paths
