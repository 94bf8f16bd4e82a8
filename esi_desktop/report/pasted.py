"""Splitting recommendations pasted as text into items, each with the body it is addressed to.

A rated inspection's recommendations come from a copy of the report (a PDF viewer, Word, a web
page) pasted into a box. Items start with their numbering or bullet on a new line; a heading
such as "The Management Board should:" addresses the items under it. The words are kept as
pasted: only spacing is tidied, page furniture is dropped, and anything left out or doubtful is
said in a warning the preview shows, never silently.

Decisions a reader of the output should know:

- Blank lines end nothing: a paragraph after a blank line continues the item above (a PDF page
  break leaves blank lines inside a sentence); a warning asks to check it when the item above
  had finished its sentence.
- Only the marker style of the first item under a heading starts items there; other markers
  (bullets under "1. Improve X by:") stay inside the item, each on its own line ("\\n• a").
- A line ending with a letter and a hyphen joins the next without a space, keeping the hyphen
  ("co-" / "ordinated" gives "co-ordinated"); a soft hyphen there joins without one.
- Curly quotes are kept as pasted (they are the report's own characters); spacing characters
  (non-breaking and thin spaces, tabs) become one plain space.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from esi_desktop.errors import ValidationError

NOTHING_FOUND = (
    "No recommendations were found in the pasted text: each should start with a number (1.) "
    "or a bullet (•) on a new line."
)

# Spacing characters a copy from a PDF or a word processor uses instead of a plain space.
_SPACING = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_TRANSLATE: dict[int, str | None] = {ord(ch): " " for ch in _SPACING + "\u202f\u205f\u3000"}
# Invisible characters carry no text; the soft hyphen is handled at a line end before this.
_TRANSLATE.update({ord(ch): None for ch in "\u200b\u200c\u200d\u2060\ufeff\u00ad"})
# Other control characters (a NUL from a broken program) are noise between words.
_TRANSLATE.update({c: " " for c in range(32) if c != 9})
_TRANSLATE[0x7F] = " "

# Bullet glyphs, with the Symbol/Wingdings private-use characters Word pastes shown as the
# glyph a reader saw (a PDF font has nothing to draw for U+F0B7).
_BULLETS: dict[str, str] = {ch: ch for ch in "•●▪■◦○‣⁃◆◇►▶➢✓"}
_BULLETS.update({"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf0fc": "✓", "\uf076": "◆"})
_BULLETS.update({"\uf0a8": "□"})
_BULLET_CLASS = "".join(re.escape(ch) for ch in _BULLETS)

_ORDINAL = r"[0-9]{1,3}|[A-Za-z]|[ivx]{1,6}|[IVX]{1,6}"
_MARKER = re.compile(
    rf"\((?P<paren>{_ORDINAL})\)[ \t]+"
    rf"|(?P<dotted>{_ORDINAL})(?P<punct>[.)])(?:[ \t]+|$)"
    r"|(?P<bare>[0-9]{1,3})(?P<gap>\t[ \t]*| +(?=[A-Z]))"
    rf"|(?P<glyph>[{_BULLET_CLASS}])[ \t]*"
    r"|(?P<ascii>[-–*o])[ \t]+"
)
_ROMAN = re.compile(r"x{0,3}(?:ix|iv|v?i{0,3})")
# A lone number of four digits is a year ("… by March" / "2025"), not a page of a report.
_PAGE = re.compile(
    r"page [0-9]{1,4}(?: of [0-9]{1,4})?|[0-9]{1,3}(?: of [0-9]{1,3})?|[-–] ?[0-9]{1,3} ?[-–]",
    re.I,
)
# A title only with a capital first (_is_title): "recommendations" in lower case is text.
_TITLE = re.compile(r"(?:our |key |summary of )?recommendations:?", re.I)
# Case matters: "The Management Board should:" is a heading, a wrapped "the board should:" not.
_HEADING = re.compile(
    r"(?:We recommend that (?:the )?|The )?(?P<who>[A-Z0-9][^:]{0,119}?),? should\b[^:.;]{0,60}:"
)
_ENDS_SENTENCE = re.compile(r"[.!?][\"'’”)\]]*$")


@dataclass(frozen=True, slots=True)
class PastedRecommendation:
    """One recommendation found in the paste.

    Attributes:
        number: as printed ("1", "a", "iv"); for a bullet, its place in the paste ("3").
        text: the words as pasted, wrapped lines joined; sub-items on their own lines.
        addressee: the person or body from the heading above ("Management Board"), or the
            default when no heading comes before it.
        stem: the heading line as printed ("The Management Board should:"), or "".
        line: the line of the paste where the item starts (1 is the first).
    """

    number: str
    text: str
    addressee: str
    stem: str
    line: int


@dataclass(frozen=True, slots=True)
class PastedSplit:
    """The items found in a paste and what the secretary should check in the preview."""

    items: tuple[PastedRecommendation, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Marker:
    """A line's leading list marker: its style (what counts as the same list) and label."""

    kind: str  # "number", "letter", "roman", "letter/roman" (undecided) or "bullet"
    form: str  # ".", ")", "()", "bare" for ordinals; the glyph for a bullet
    label: str  # as printed, without punctuation: "1", "a", "iv", "•"
    body: str


@dataclass(slots=True)
class _Draft:
    number: str
    # each line as its pieces, joined once at the end: never copied again per wrapped line
    lines: list[list[str]]
    addressee: str
    stem: str
    line: int


@dataclass(slots=True)
class _Heading:
    addressee: str
    stem: str
    line: int
    items: int = 0


@dataclass(slots=True)
class _State:
    """Where the split has got to: the list it is in and what was left out."""

    default: str
    heading: _Heading | None = None
    top: tuple[str, str] | None = None  # the style that starts items under this heading
    last_ordinal: int | None = None  # the ordinal of the last top-level item, any heading
    last_kind: str = ""
    items: list[_Draft] = field(default_factory=list)
    open: bool = False  # whether a wrapped line continues the last item
    blank: bool = False  # whether a blank line came since the last text
    left_out: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, sentence)

    def warn(self, lineno: int, sentence: str) -> None:
        self.warnings.append((lineno, sentence))


def split_recommendations(text: str, *, default_addressee: str = "") -> PastedSplit:
    """The recommendations in ``text``, each with its addressee and the heading above it.

    Args:
        text: the paste, as the box holds it (any line endings).
        default_addressee: the addressee of items that come before any heading.

    Returns:
        The items in paste order and the warnings to show with the preview.

    Raises:
        ValidationError: no line of the paste starts a recommendation.
    """
    lines = [_tidy(raw) for raw in text.splitlines()]
    bodies = [_collapse(line) for line in lines]  # once: each is looked at several times
    noise = [_PAGE.fullmatch(body) is not None for body in bodies]
    repeated = _running_headers(bodies, noise)
    near_page = _near_page_numbers(lines, noise)
    state = _State(default_addressee)
    headers: dict[str, list[int]] = {}  # each running header and the lines it was left out at
    index = 0
    while index < len(lines):
        line, lineno = lines[index], index + 1
        index += 1
        body = bodies[index - 1]
        if not body:
            state.blank = True
            continue
        if noise[lineno - 1] or _is_title(body):
            continue
        if body in repeated:
            headers.setdefault(body, []).append(lineno)
            continue
        wrapped = _wrapped_heading(body, bodies, index)
        if wrapped is not None:
            # a heading too long for one line: "… working with partners," / "should:"
            line, index = wrapped, index + 1
        _take(state, line, lineno, lineno - 1 in near_page)
    _flush_left_out(state)
    _check_heading_used(state)
    for body, at in headers.items():
        state.warn(
            at[0],
            f"{_lines(at)}: '{_snippet(body)}' is repeated like a page header; it was left out "
            "each time.",
        )
    if not state.items:
        raise ValidationError(NOTHING_FOUND, "recommendations")
    texts = ["\n".join("".join(x).rstrip("\u00ad") for x in d.lines) for d in state.items]
    items = tuple(
        PastedRecommendation(d.number, text, d.addressee, d.stem, d.line)
        for d, text in zip(state.items, texts, strict=True)
    )
    warnings = tuple(sentence for _, sentence in sorted(state.warnings, key=lambda w: w[0]))
    return PastedSplit(items, warnings)


def _wrapped_heading(body: str, bodies: list[str], following: int) -> str | None:
    """``body`` joined with the next line when together they are a heading and apart not."""
    if following >= len(bodies) or _HEADING.fullmatch(body) or _MARKER.match(body):
        return None
    after = bodies[following]
    if not after[:1].islower() or _MARKER.match(after):
        return None
    joined = f"{body} {after}"
    return joined if _HEADING.fullmatch(joined) else None


def _take(state: _State, line: str, lineno: int, near_page: bool) -> None:
    """Use one non-blank, non-noise line: a heading, an item, a sub-item or a wrapped line."""
    body = _collapse(line)
    marker = _marker(line, state)
    if marker is None:
        heading = _heading(body, lineno)
        if heading is not None:
            _flush_left_out(state)
            _check_heading_used(state)
            state.heading, state.top, state.open = heading, None, False
        elif state.open:
            _continue(state, body, lineno, near_page)
        else:
            state.left_out.append((lineno, body))
        state.blank = False
        return
    if state.top is None or (marker.kind, marker.form) == state.top:
        _start_item(state, marker, lineno)
    else:
        # a marker of another style inside an item: a sub-item, kept on its own line
        shown = _BULLETS.get(marker.form, "•") if marker.kind == "bullet" else _printed(marker)
        state.items[-1].lines.append([f"{shown} {marker.body}".rstrip()])
    state.blank = False


def _start_item(state: _State, marker: _Marker, lineno: int) -> None:
    _flush_left_out(state)
    first_here = state.top is None
    kind = marker.kind
    if kind == "letter/roman":
        # nothing before it decides: "i." opens a roman list, "v." a lettered one
        kind = "roman" if marker.label.casefold() == "i" else "letter"
    if state.top is None:
        state.top = (kind, marker.form)
    if kind == "bullet":
        number = str(len(state.items) + 1)
    else:
        number = marker.label
        ordinal = _ordinal(kind, marker.label)
        expected = None if state.last_ordinal is None else state.last_ordinal + 1
        restarted = first_here and ordinal == 1
        if (
            expected is not None
            and kind == state.last_kind
            and ordinal != expected
            and not restarted
        ):
            state.warn(
                lineno,
                f"Line {lineno}: recommendation {number} comes after recommendation "
                f"{state.items[-1].number}; check that nothing is missing from the paste.",
            )
        state.last_ordinal = ordinal
    state.last_kind = kind
    heading = state.heading
    addressee = heading.addressee if heading else state.default
    stem = heading.stem if heading else ""
    if heading:
        heading.items += 1
    state.items.append(_Draft(number, [[marker.body]], addressee, stem, lineno))
    state.open = True


def _continue(state: _State, body: str, lineno: int, near_page: bool) -> None:
    """Join a wrapped line (or a later paragraph) to the last line of the item above."""
    draft = state.items[-1]
    pieces = draft.lines[-1]
    last = pieces[-1]  # one pasted line at most: the checks below never re-read the whole item
    if state.blank and _ENDS_SENTENCE.search(last):
        state.warn(
            lineno,
            f"Line {lineno}: '{_snippet(body)}' follows a blank line after the end of "
            f"recommendation {draft.number} and was added to it; check that it belongs there.",
        )
    elif near_page and body[:1].isupper() and not _ENDS_SENTENCE.search(body):
        state.warn(
            lineno,
            f"Line {lineno}: '{_snippet(body)}' is next to a page number and may be a page "
            f"header; it was kept in recommendation {draft.number}: delete it there if it is "
            "not part of the recommendation.",
        )
    pieces[-1:] = _join(last, body)


def _join(left: str, right: str) -> tuple[str, ...]:
    """The last piece of a line and the next, with what goes between them ("" or a space)."""
    if not left:
        return (right,)
    if left.endswith("\u00ad"):
        return left[:-1], right
    if len(left) >= 2 and left[-1] == "-" and left[-2].isalpha():
        return left, right
    return left, f" {right}"


def _marker(line: str, state: _State) -> _Marker | None:
    """The list marker ``line`` starts with, read in the context of the list so far."""
    match = _MARKER.match(line)
    if match is None:
        return None
    body = _collapse(line[match.end() :])
    if match["glyph"] is not None:
        return _Marker("bullet", _BULLETS[match["glyph"]], match["glyph"], body)
    if match["ascii"] is not None:
        glyph = match["ascii"]
        if glyph in "-–" and body[:1].islower() and _dash_is_punctuation(state, glyph):
            # a spaced dash at the start of a wrapped line ("the plan – which") is punctuation
            return None
        return _Marker("bullet", glyph, glyph, body)
    if match["bare"] is not None:
        number = int(match["bare"])
        tabbed = "\t" in match["gap"]
        if not tabbed and not _expected_bare(state, number):
            return None  # "12 Months" wrapped to a new line is not item 12
        return _Marker("number", "bare", match["bare"], body)
    label = match["paren"] if match["paren"] is not None else match["dotted"]
    form = "()" if match["paren"] is not None else match["punct"]
    return _Marker(_kind(label, form, state), form, label, body)


def _kind(label: str, form: str, state: _State) -> str:
    if label.isdigit():
        return "number"
    if not _ROMAN.fullmatch(label.casefold()):
        return "letter"
    if len(label) > 1:
        return "roman"
    top = state.top
    if top is not None and top[1] == form and top[0] in ("letter", "roman"):
        if top[0] == "letter" and state.last_ordinal is not None:
            # "(i)" after "(h)" is the ninth letter, else the roman list goes on
            expected = state.last_ordinal + 1
            return "letter" if _ordinal("letter", label) == expected else "roman"
        return top[0]
    return "letter/roman"


def _dash_is_punctuation(state: _State, glyph: str) -> bool:
    """Whether a dash starting a lower-case line carries on the sentence of the item above.

    Not when dashes are this list's markers, when the item already has sub-items, or when
    the line above ends a clause (":" opens a list, ";" and "." end an entry).
    """
    if not state.open or state.top == ("bullet", glyph):
        return False
    lines = state.items[-1].lines
    return len(lines) == 1 and not lines[-1][-1].endswith((":", ";", "."))


def _expected_bare(state: _State, number: int) -> bool:
    """Whether a number followed by a space (no tab) is the next item's, not a word."""
    if state.top is not None and state.top != ("number", "bare"):
        return False
    if not state.items:
        return True
    following = state.last_ordinal is not None and number == state.last_ordinal + 1
    return following or (state.top is None and number == 1)


def _ordinal(kind: str, label: str) -> int:
    if kind == "number":
        return int(label)
    if kind == "roman":
        values = {"i": 1, "v": 5, "x": 10}
        total = 0
        digits = [values[ch] for ch in label.casefold()]
        for position, value in enumerate(digits):
            following = digits[position + 1] if position + 1 < len(digits) else 0
            total += -value if value < following else value
        return total
    return ord(label.casefold()) - ord("a") + 1


def _printed(marker: _Marker) -> str:
    if marker.form == "()":
        return f"({marker.label})"
    if marker.form == "bare":
        return marker.label
    return f"{marker.label}{marker.form}"


def _heading(body: str, lineno: int) -> _Heading | None:
    """The addressee heading ``body`` is ("The Management Board should:"), if it is one."""
    match = _HEADING.fullmatch(body)
    if match is None or len(match["who"].split()) > 12:
        return None
    return _Heading(match["who"], body, lineno)


def _flush_left_out(state: _State) -> None:
    """Warn about the text that came where no item was open, one warning a paragraph."""
    groups: list[list[tuple[int, str]]] = []
    for lineno, body in state.left_out:
        if groups and groups[-1][-1][0] + 1 == lineno:
            groups[-1].append((lineno, body))
        else:
            groups.append([(lineno, body)])
    for group in groups:
        first, last = group[0][0], group[-1][0]
        where = f"Line {first}" if first == last else f"Lines {first}–{last}"
        words = " ".join(body for _, body in group)
        state.warn(first, f"{where}: '{_snippet(words)}' is not a recommendation; it was left out.")
    state.left_out.clear()


def _check_heading_used(state: _State) -> None:
    heading = state.heading
    if heading is not None and heading.items == 0:
        state.warn(
            heading.line,
            f"Line {heading.line}: the heading '{_snippet(heading.stem)}' has no "
            "recommendations under it.",
        )


def _tidy(raw: str) -> str:
    """One pasted line with its spacing made plain; tabs stay until markers are read."""
    line = raw.rstrip()
    soft = line.endswith("\u00ad")
    line = line.translate(_TRANSLATE).strip()
    # the soft hyphen at a line end marks a word the typesetter broke: joined without it
    return line + "\u00ad" if soft else line


def _collapse(text: str) -> str:
    """Single plain spaces, keeping the soft hyphen at the end that asks for a joined word."""
    soft = text.endswith("\u00ad")
    return " ".join(text.rstrip("\u00ad").split()) + ("\u00ad" if soft else "")


def _is_title(body: str) -> bool:
    """Whether ``body`` is the list's title ("Recommendations"), skipped as a heading."""
    return body[:1].isupper() and _TITLE.fullmatch(body) is not None


def _lines(numbers: list[int]) -> str:
    """ "Line 6", "Lines 6 and 10", "Lines 6, 10 and 14"."""
    if len(numbers) == 1:
        return f"Line {numbers[0]}"
    return "Lines " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def _running_headers(bodies: list[str], noise: list[bool]) -> set[str]:
    """Lines of two words or more that come back unchanged: a page's header or footer."""
    counts = Counter(
        body for body, is_noise in zip(bodies, noise, strict=True) if not is_noise and body
    )
    return {
        body
        for body, count in counts.items()
        if count > 1
        and len(body.split()) > 1
        and not body[:1].islower()  # a line wrapped mid-sentence, not a header
        and not _is_title(body)
        and _MARKER.match(body) is None
        and _HEADING.fullmatch(body) is None
    }


def _near_page_numbers(lines: list[str], noise: list[bool]) -> set[int]:
    """The lines next to a page number (blank lines between ignored): where headers sit."""
    near: set[int] = set()
    for index, is_noise in enumerate(noise):
        if not is_noise:
            continue
        for step in (-1, 1):
            other = index + step
            while 0 <= other < len(lines) and not lines[other].strip():
                other += step
            if 0 <= other < len(lines) and not noise[other]:
                near.add(other)
    return near


def _snippet(text: str, limit: int = 60) -> str:
    text = text.rstrip("\u00ad")
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    # end on a whole word, so the snippet does not read as a different word
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"
