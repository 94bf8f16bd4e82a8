"""Text in other scripts in the PDFs: a fallback font per run, joined Arabic letters, and
right-to-left runs put in visual order line by line.

reportlab draws a string in one font and in the order given: a letter the font lacks prints
as an empty box, Arabic letters print unjoined, and right-to-left text prints reversed.
:class:`Paragraph` (use it instead of reportlab's) mends all three after parsing its markup,
so every style, ``<b>`` and ``<i>`` keeps working; what no font here has is left in place
(the text layer keeps it, so it can still be copied) and named before export by
:func:`esi_desktop.export.fonts.unprintable`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from arabic_reshaper import ArabicReshaper
from bidi import get_display
from reportlab.platypus import Paragraph as _ReportlabParagraph

from esi_desktop.export.fonts import (
    FALLBACK,
    REGULAR,
    fallback_of,
    glyphs_of,
    is_invisible,
)

#: The bidirectional classes of right-to-left letters (Hebrew, Arabic, Syriac, Thaana, …).
RIGHT_TO_LEFT = frozenset({"R", "AL"})
#: Classes that take the direction and font of the letters around them.
_NEUTRAL = frozenset({"WS", "ON", "CS", "ES", "ET", "EN", "AN", "NSM", "BN", "S", "B"})
#: Joins Arabic letters into their connected forms, keeping the vowel marks (harakat).
_RESHAPER = ArabicReshaper(configuration={"delete_harakat": False})
#: The same without ligatures, for text whose ligature glyphs the fonts lack.
_RESHAPER_UNLIGATED = ArabicReshaper(
    configuration={"delete_harakat": False, "support_ligatures": False}
)
#: Arabic letters and marks, with the spaces between them (a ligature may span a space).
_ARABIC_RUN = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]+(?: +[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]+)*"
)


def is_right_to_left(character: str) -> bool:
    """True for a right-to-left letter."""
    return unicodedata.bidirectional(character) in RIGHT_TO_LEFT


def needs_mending(text: str, font_name: str) -> bool:
    """True when ``text`` set in ``font_name`` needs :class:`Paragraph` (a fallback font, or
    right-to-left order); plain Latin text does not."""
    if text.isascii():
        return False
    glyphs = glyphs_of(font_name)
    return any(ord(c) not in glyphs or is_right_to_left(c) for c in text if not c.isascii())


def font_runs(text: str, font_name: str) -> list[tuple[str, str]]:
    """``text`` cut into (run, face) pairs: each letter in ``font_name`` if it has a glyph for
    it, else in its fallback; spaces, digits and punctuation stay in the run they are in, so
    a right-to-left phrase is one run. A letter neither has stays in ``font_name``."""
    fallback = fallback_of(font_name)
    if fallback is None or text.isascii():
        return [(text, font_name)]
    primary, secondary = glyphs_of(font_name), glyphs_of(fallback)
    runs: list[tuple[str, str]] = []
    current, glyphs = font_name, primary
    start = 0
    for index, character in enumerate(text):
        code = ord(character)
        if code in glyphs and (
            glyphs is primary or unicodedata.bidirectional(character) in _NEUTRAL
        ):
            continue
        if code in primary:
            wanted = font_name
        elif code in secondary:
            wanted = fallback
        else:
            wanted = current  # nothing has it: a box, named before export
        if wanted != current:
            if index > start:
                runs.append((text[start:index], current))
            current, start = wanted, index
            glyphs = primary if wanted == font_name else secondary
    runs.append((text[start:], current))
    return runs


def _dropped_invisibles(text: str) -> str:
    # an emoji's variation selector or joiner draws nothing, but without a glyph it is a box
    return "".join(c for c in text if not (is_invisible(c) and c not in "\t\n\r"))


def joined(text: str) -> str:
    """Arabic letters in ``text`` in their connected forms; a ligature the fonts lack (such
    as the single glyph for "Allah") is left as joined letters, and a form they lack as the
    plain letter."""
    return _ARABIC_RUN.sub(lambda match: _joined_run(match.group()), text)


def _joined_run(run: str) -> str:
    regular, fallback = glyphs_of(REGULAR), glyphs_of(FALLBACK)

    def printable(character: str) -> bool:
        return ord(character) in regular or ord(character) in fallback

    shaped = str(_RESHAPER.reshape(run))
    if all(printable(c) for c in shaped):
        return shaped
    shaped = str(_RESHAPER_UNLIGATED.reshape(run))
    return "".join(c if printable(c) else unicodedata.normalize("NFKC", c) for c in shaped)


def paragraph_direction(text: str) -> str:
    """ "R" when the first letter of ``text`` is right-to-left, else "L" (Unicode's rule)."""
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in RIGHT_TO_LEFT:
            return "R"
        if direction == "L":
            return "L"
    return "L"


class Paragraph(_ReportlabParagraph):  # type: ignore[misc]  # reportlab is untyped
    """reportlab's Paragraph, with letters its font lacks set in the fallback font, Arabic
    letters joined, and right-to-left runs drawn in visual order line by line.

    Text the house font has, in left-to-right scripts, takes none of this.
    """

    frags: list[Any]  # reportlab's parsed fragments: text in one font, size and colour each
    _direction: str | None = None  # "L" or "R" once a fragment holds right-to-left text

    def _setup(self, text: str, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        super()._setup(text, style, bulletText, frags, cleaner)
        if frags is not None:  # a part of a split paragraph: already mended (see split)
            return
        mended: list[Any] = []
        logical: list[str] = []
        changed = False
        for frag in self.frags:
            value = getattr(frag, "text", "")
            if not (value and hasattr(frag, "fontName") and needs_mending(value, frag.fontName)):
                mended.append(frag)
                logical.append(value)
                continue
            changed = True
            value = _dropped_invisibles(value)
            logical.append(value)
            value = joined(value)
            for run, face in font_runs(value, frag.fontName):
                mended.append(frag.clone(text=run, fontName=face))
        if not changed:
            return
        self.frags = mended
        whole = "".join(logical)
        if any(is_right_to_left(c) for c in whole):
            self._direction = paragraph_direction(whole)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts: list[Any] = super().split(availWidth, availHeight)
        for part in parts:
            if isinstance(part, Paragraph) and part._direction is None:
                part._direction = self._direction
        return parts

    def drawPara(self, debug: int = 0) -> Any:
        """Draw each line with its right-to-left runs in visual order; the lines themselves
        were broken in logical order, so a long right-to-left phrase reads on from line to
        line."""
        if self._direction is None:
            return super().drawPara(debug)
        blPara = self.blPara
        logical = blPara.lines
        blPara.lines = [_visual_line(line, blPara.kind, self._direction) for line in logical]
        try:
            return super().drawPara(debug)
        finally:
            blPara.lines = logical


def _visual(text: str, direction: str) -> str:
    if not any(is_right_to_left(c) for c in text):
        return text
    return str(get_display(text, base_dir=direction))


def _visual_line(line: Any, kind: int, direction: str) -> Any:
    if kind == 0:  # (extra space, words) in one font
        extra, words = line[0], line[1]
        reordered = _visual(" ".join(words), direction).split(" ")
        if len(reordered) != len(words):  # bidi keeps every space; this is a safeguard
            return line
        return (extra, reordered, *line[2:])
    words = [
        w.clone(text=_visual(w.text, direction)) if getattr(w, "text", "") else w
        for w in line.words
    ]
    if direction == "R":
        words.reverse()
    return line.clone(words=words)
