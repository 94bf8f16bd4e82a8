"""Text a person or a report hands us: refuse, in a sentence, what no database can keep.

PostgreSQL refuses a NUL character (a raw ``ValueError`` from the driver) and neither backend
can encode a lone surrogate (``UnicodeEncodeError``), which a paste from a broken program or a
damaged PDF can carry. Every use case that writes text checks it here first, so the refusal is
the same sentence on SQLite and PostgreSQL, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from esi_desktop.errors import ValidationError


def unstorable(text: str) -> tuple[int, str] | None:
    """The first character that cannot be stored, as (1-based position, description)."""
    for position, character in enumerate(text, start=1):
        code = ord(character)
        if code == 0:
            return position, "a NUL character (U+0000)"
        if 0xD800 <= code <= 0xDFFF:
            return position, f"half of a broken character (U+{code:04X})"
    return None


def check_text(text: str, label: str, field: str = "") -> str:
    """``text`` unchanged, or a refusal naming the field, the character and where it is.

    Raises:
        ValidationError: the text holds a character no database can keep.
    """
    found = unstorable(text)
    if found is None:
        return text
    position, what = found
    raise ValidationError(
        f"{label} contains {what} at character {position}, which cannot be stored; delete it "
        "(it may have come with pasted text) and try again.",
        field,
    )


def check_values(values: Mapping[str, Any], what: str) -> None:
    """Check every text among a row's new values (``what``: "the action", "the response")."""
    for name, value in values.items():
        if isinstance(value, str):
            label = f"The {name.replace('_', ' ')} of {what}"
            check_text(value, label, name)
