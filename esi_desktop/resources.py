"""Where the files the program ships (frameworks, samples, fonts, the user guide, the icon)
are found."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources`` folder: beside the packages when run from source, or in the bundle.

    A frozen build (PyInstaller, see packaging/) unpacks nothing: its data files are in the
    bundle's folder, ``sys._MEIPASS`` (``_internal`` beside the executable of a one-folder
    build), where packaging/esi_desktop.spec puts ``resources``.
    """
    if getattr(sys, "frozen", False):
        bundle = getattr(sys, "_MEIPASS", None)
        return Path(bundle if bundle else Path(sys.executable).resolve().parent) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


RESOURCES_DIR = resources_dir()
FRAMEWORKS_DIR = RESOURCES_DIR / "frameworks"
SAMPLES_DIR = RESOURCES_DIR / "samples"
SAMPLE_REPORT = SAMPLES_DIR / "esi-gloucestershire-2005.txt"
GUIDE_DIR = RESOURCES_DIR / "guide"
#: The program's icon, 16 to 256 pixels (packaging/make_icon.py draws it).
APP_ICON = RESOURCES_DIR / "icons" / "esi-desktop.ico"
