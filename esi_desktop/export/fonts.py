"""The typeface of every exported document: Liberation Sans, shipped in ``resources/fonts``.

The files are registered from the program's own folder, never from the system's, so £, –, ’
and accented names look the same on every machine; reportlab embeds the glyphs used.
"""

from __future__ import annotations

import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from esi_desktop.errors import EsiError
from esi_desktop.resources import RESOURCES_DIR

FONTS_DIR = RESOURCES_DIR / "fonts"

#: reportlab's names for the four faces.
REGULAR = "LiberationSans"
BOLD = "LiberationSans-Bold"
ITALIC = "LiberationSans-Italic"
BOLD_ITALIC = "LiberationSans-BoldItalic"

_FILES = {
    REGULAR: "LiberationSans-Regular.ttf",
    BOLD: "LiberationSans-Bold.ttf",
    ITALIC: "LiberationSans-Italic.ttf",
    BOLD_ITALIC: "LiberationSans-BoldItalic.ttf",
}

_lock = threading.Lock()
_registered = False


def register_fonts() -> str:
    """Register the family once (thread-safe) and return the regular face's name.

    Raises:
        EsiError: a font file is missing or damaged.
    """
    global _registered
    with _lock:
        if _registered:
            return REGULAR
        for name, file_name in _FILES.items():
            path = FONTS_DIR / file_name
            try:
                pdfmetrics.registerFont(TTFont(name, str(path)))
            except (OSError, TTFError) as exc:
                raise EsiError(
                    f"The font file {path} is missing or damaged ({exc}). Reinstall ESI Desktop."
                ) from None
        # <b> and <i> in paragraphs pick the right face
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, ITALIC)
        addMapping(REGULAR, 1, 1, BOLD_ITALIC)
        _registered = True
    return REGULAR
