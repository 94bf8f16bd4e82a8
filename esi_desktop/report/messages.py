"""Small wording helpers for the parser's errors and warnings.

They say where something is ("on page 3", "at line 120"), quote a line briefly and list
criterion codes, so every stage words its messages the same way.
"""

from __future__ import annotations

from esi_desktop.report.lexer import collapse


def cap(text: str) -> str:
    """``text`` with its first letter in capitals: a message that starts with a name."""
    return text[:1].upper() + text[1:]


def at_loc(loc: str) -> str:
    """ "on page 3" or "at line 120"."""
    return f"on {loc}" if loc.startswith("page") else f"at {loc}"


def snippet(text: str) -> str:
    """A line quoted in a message: on one line, at most 60 characters."""
    text = collapse(text)
    return text if len(text) <= 60 else text[:57] + "..."


def list_codes(codes: list[str]) -> str:
    """ "A1, A2 and B3"."""
    return ", ".join(codes[:-1]) + " and " + codes[-1] if len(codes) > 1 else codes[0]
