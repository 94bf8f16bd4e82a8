"""The typeface of every exported document: Liberation Sans, shipped in ``resources/fonts``,
with DejaVu Sans beside it for the letters Liberation lacks (Arabic, more symbols, some emoji).

The files are registered from the program's own folder, never from the system's, so £, –, ’
and accented names look the same on every machine; reportlab embeds the glyphs used. Chinese,
Japanese and Korean are in neither font (a font that has them is 10–20 MB): what no font here
can print is found by :func:`unprintable` and named before export.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Container

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
#: The fallback faces, for characters Liberation Sans has no glyph for. DejaVu's oblique face
#: has no Arabic, so italic text falls back to the upright faces.
FALLBACK = "DejaVuSans"
FALLBACK_BOLD = "DejaVuSans-Bold"

_FILES = {
    REGULAR: "LiberationSans-Regular.ttf",
    BOLD: "LiberationSans-Bold.ttf",
    ITALIC: "LiberationSans-Italic.ttf",
    BOLD_ITALIC: "LiberationSans-BoldItalic.ttf",
    FALLBACK: "DejaVuSans.ttf",
    FALLBACK_BOLD: "DejaVuSans-Bold.ttf",
}

#: Each house face's fallback face.
_FALLBACKS = {
    REGULAR: FALLBACK,
    ITALIC: FALLBACK,
    BOLD: FALLBACK_BOLD,
    BOLD_ITALIC: FALLBACK_BOLD,
}

_lock = threading.Lock()
_registered = False
#: The characters each registered face has a glyph for (code points).
_glyphs: dict[str, Container[int]] = {}


def register_fonts() -> str:
    """Register the family once (thread-safe) and return the regular face's name.

    Raises:
        EsiError: a font file is missing or damaged.
    """
    global _registered
    if _registered:  # asked for every character checked: skip the lock once done
        return REGULAR
    with _lock:
        if _registered:
            return REGULAR
        for name, file_name in _FILES.items():
            path = FONTS_DIR / file_name
            try:
                font = TTFont(name, str(path))
            except (OSError, TTFError) as exc:
                raise EsiError(
                    f"The font file {path} is missing or damaged ({exc}). Reinstall ESI Desktop."
                ) from None
            pdfmetrics.registerFont(font)
            _glyphs[name] = font.face.charToGlyph
        # <b> and <i> in paragraphs pick the right face
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, ITALIC)
        addMapping(REGULAR, 1, 1, BOLD_ITALIC)
        addMapping(FALLBACK, 0, 0, FALLBACK)
        addMapping(FALLBACK, 1, 0, FALLBACK_BOLD)
        addMapping(FALLBACK, 0, 1, FALLBACK)
        addMapping(FALLBACK, 1, 1, FALLBACK_BOLD)
        _registered = True
    return REGULAR


def glyphs_of(font_name: str) -> Container[int]:
    """The code points the registered face ``font_name`` can draw (none for another face)."""
    register_fonts()
    return _glyphs.get(font_name, ())


def fallback_of(font_name: str) -> str | None:
    """The face that prints what ``font_name`` cannot, or None for a face with no fallback."""
    return _FALLBACKS.get(font_name)


def is_invisible(character: str) -> bool:
    """A format character or variation selector: it steers other characters and draws
    nothing, so no font needs a glyph for it (a zero-width joiner, the emoji selector)."""
    code = ord(character)
    return (
        unicodedata.category(character) in ("Cc", "Cf")
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` that no font here can print, each once, in order of
    appearance (they would print as empty boxes)."""
    if text.isascii():
        return []
    register_fonts()
    regular, fallback = _glyphs[REGULAR], _glyphs[FALLBACK]
    found: dict[str, None] = {}
    for character in text:
        code = ord(character)
        if code < 0x80 or code in regular or code in fallback or is_invisible(character):
            continue
        found[character] = None
    return list(found)
