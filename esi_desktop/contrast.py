"""WCAG 2.x colour contrast: relative luminance, contrast ratio and the minimum each use needs.

Pure arithmetic, no Qt and no reportlab, so that the window's colours (ui) and the documents'
colours (esi_desktop.export) are checked by the same formulas. A colour is ``"#RRGGBB"``,
``"#RGB"``, ``"0xRRGGBB"`` (reportlab's ``hexval()``) or an ``(r, g, b)`` tuple of 0-255.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

#: A colour as a hex string or an (r, g, b) tuple of 0-255.
Colour = str | tuple[int, int, int]

#: What a colour pair is used for, which sets the contrast it needs.
Kind = Literal["text", "large", "graphic"]

#: WCAG 2.2 AA minimum contrast ratios: 1.4.3 (text, large text) and 1.4.11 (graphics).
MINIMUM: dict[str, float] = {"text": 4.5, "large": 3.0, "graphic": 3.0}


def rgb(colour: Colour) -> tuple[int, int, int]:
    """The (r, g, b) of a colour, each 0-255.

    Args:
        colour: ``"#RRGGBB"``, ``"#RGB"``, ``"0xRRGGBB"`` or an (r, g, b) tuple.

    Raises:
        ValueError: When the colour is not one of those forms (a programming error).
    """
    if isinstance(colour, tuple):
        if len(colour) != 3 or not all(0 <= part <= 255 for part in colour):
            raise ValueError(f"Colour {colour!r} is not an (r, g, b) tuple of 0-255.")
        return (int(colour[0]), int(colour[1]), int(colour[2]))
    text = colour.strip().lower()
    if text.startswith("#"):
        text = text[1:]
    elif text.startswith("0x"):
        text = text[2:]
    if len(text) == 3:
        text = "".join(digit * 2 for digit in text)
    if len(text) != 6 or any(digit not in "0123456789abcdef" for digit in text):
        raise ValueError(f"Colour {colour!r} is not #RRGGBB, #RGB or 0xRRGGBB.")
    return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))


def _linear(channel: int) -> float:
    """One sRGB channel (0-255) made linear, as WCAG 2.x defines it."""
    value = channel / 255
    # WCAG 2.x keeps the 0.03928 threshold of the sRGB draft; the difference is immaterial.
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: Colour) -> float:
    """The WCAG 2.x relative luminance of a colour: 0 for black, 1 for white."""
    red, green, blue = rgb(colour)
    return 0.2126 * _linear(red) + 0.7152 * _linear(green) + 0.0722 * _linear(blue)


def contrast_ratio(fg: Colour, bg: Colour) -> float:
    """The WCAG 2.x contrast ratio of two colours, from 1.0 (same) to 21.0 (black on white).

    The order does not matter: the lighter colour is always the numerator.
    """
    first, second = relative_luminance(fg), relative_luminance(bg)
    lighter, darker = max(first, second), min(first, second)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class ColourPair:
    """A fixed foreground/background pair and what it is used for.

    Attributes:
        name: Where the pair is used, in words ("Heading 1 on the page").
        foreground: The text or graphic colour.
        background: The colour it sits on.
        kind: ``"text"`` (4.5:1), ``"large"`` text (3:1) or a ``"graphic"`` (3:1).
    """

    name: str
    foreground: Colour
    background: Colour
    kind: Kind

    @property
    def ratio(self) -> float:
        """The pair's contrast ratio."""
        return contrast_ratio(self.foreground, self.background)

    @property
    def minimum(self) -> float:
        """The ratio the pair's kind needs."""
        return MINIMUM[self.kind]

    @property
    def passes(self) -> bool:
        """Whether the pair meets its minimum."""
        return self.ratio >= self.minimum


def failures(pairs: Iterable[ColourPair]) -> list[str]:
    """One sentence for each pair below its minimum (none when all pass)."""
    return [
        f"{pair.name}: {pair.ratio:.2f}:1, needs {pair.minimum:g}:1 ({pair.kind})."
        for pair in pairs
        if not pair.passes
    ]
