"""From physical lines to logical lines: page furniture dropped, wrapped lines joined.

:func:`drop_page_furniture` removes running headers, footers and page numbers;
:func:`join_lines` joins the lines a paragraph, list item or table cell was wrapped onto
(across page breaks, and putting words broken at a line end back together), giving the
:class:`Block` list the section readers work on.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from esi_desktop.report.lexer import (
    STARTS,
    Info,
    Kind,
    Phys,
    Vocab,
    classify,
    clean,
    demark,
    fold,
    is_result,
)

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Endings a typesetter leaves on the next line when it splits a word, and prefixes written
# with a hyphen in British English: see Hyphenation.
_SUFFIXES = frozenset(
    "able ably ible ibly ment ments ness tion tions sion sions ation ations ing ings ed er ers "
    "ly ity ities ous ive ives ance ances ence ences ful less ship ships ise ised ises ize "
    "ized al ally ant ants ent ents ary ory ist ists ism ure ures est ional".split()
)
_PREFIXES = frozenset(
    "inter intra re co non pre post self ex anti multi sub over under cross well short long "
    "high low full part mid semi counter extra pro cost time".split()
)
_PAGE_WORD = re.compile(r"page [0-9]{1,4}(?: of [0-9]{1,4})?", re.I)
_BARE_PAGE = re.compile(r"(?:page )?[0-9]{1,3}(?: of [0-9]{1,3})?|- ?[0-9]{1,3} ?-", re.I)


@dataclass(frozen=True, slots=True)
class Block:
    """A logical line: one or more physical lines joined."""

    info: Info
    loc: str
    lineno: int
    raw: str
    # Where a page break was bridged by guess, and the line after it: "page 49", "A basic ...".
    # Empty when every join was certain. Readers that use the block say so in a warning.
    guess: tuple[str, str] = ("", "")

    @property
    def kind(self) -> Kind:
        return self.info.kind

    @property
    def text(self) -> str:
        return self.info.text


def drop_page_furniture(pages: list[list[Phys]], vocab: Vocab) -> list[Phys]:
    """Remove running headers/footers and page numbers; return the remaining lines in order.

    A line counts as furniture when it sits among the first or last two lines of a page and
    either is a page number or (ignoring digits) repeats at the edge of many pages.
    """

    def edges(page: list[Phys]) -> set[int]:
        filled = [i for i, line in enumerate(page) if line.raw]
        return set(filled[:2] + filled[-2:])

    def key(line: Phys) -> str:
        return "".join("#" if ch.isdigit() else ch for ch in fold(demark(line.raw)))

    page_edges = [edges(page) for page in pages]
    counts: Counter[str] = Counter()
    for page, edge in zip(pages, page_edges, strict=True):
        counts.update({key(page[i]) for i in edge})
    threshold = max(2, (len(pages) + 1) // 2)
    keep_kinds = {
        Kind.BULLET,
        Kind.NUMBERED,
        Kind.LABEL,
        Kind.CRITERION,
        Kind.RESULT,
        Kind.SECTION,
        Kind.ANCHOR,
        Kind.REPORT_ON,
    }
    out: list[Phys] = []
    for page, edge in zip(pages, page_edges, strict=True):
        for i, line in enumerate(page):
            text = clean(line.raw)
            if text and _PAGE_WORD.fullmatch(text):
                continue
            if i in edge:
                if _BARE_PAGE.fullmatch(text):
                    continue
                if len(pages) > 1 and counts[key(line)] >= threshold:
                    info = classify(line.raw, vocab)
                    if info is None or info.kind not in keep_kinds:
                        continue
            out.append(line)
    return out


class Hyphenation:
    """Joins a word broken at a line end, keeping its hyphen only in a compound.

    A typesetter breaks a compound at its own hyphen ("whole-" / "service", "Sub-" / "Group")
    and any other long word by adding one ("accommo-" / "dation"); the text shows both the
    same way. The words around decide, in this order:

    1. the part after the break starts with a capital or a digit ("Sub-Group", "pre-2005"),
       unless both parts are in capitals (a heading "ACCOMMO-" / "DATION"): a compound;
    2. the report prints the hyphenated word elsewhere on one line ("whole-service"): a
       compound;
    3. the report prints the joined word elsewhere ("accommodation"), or it with an "s" more
       or less: a split word;
    4. the part after the break is a suffix ("account-" / "able", "manage-" / "ment"): a
       split word;
    5. the part before is a prefix English writes with a hyphen ("inter-agency",
       "re-convicted", "over-complicate"): a compound;
    6. both parts are words the report uses on their own ("whole", "service"): a compound;
    7. otherwise ("accommo" is no word of the report): a split word, the hyphen dropped.

    The report's words are gathered once, and only when some line ends in a broken word.
    """

    def __init__(self, lines: list[Phys]) -> None:
        self._lines = lines
        self._words: set[str] | None = None
        self._compounds: set[str] = set()

    def _vocabulary(self) -> set[str]:
        if self._words is None:
            text = _without_broken_words("\n".join(line.raw for line in self._lines).casefold())
            words: set[str] = set()
            for token in set(_WORD.findall(text)):
                words.add(token)
                if "-" in token:
                    self._compounds.add(token)
                    words.update(token.split("-"))
                if "'" in token or "’" in token:
                    words.update(re.split(r"['’-]", token))
            self._words = words
        return self._words

    def keeps_hyphen(self, left: str, right: str) -> bool:
        """Whether "left-" at a line end and "right" on the next line form a compound."""
        if right[:1].isdigit() or (
            right[:1].isupper() and not (left.isupper() and right.isupper())
        ):
            return True
        words = self._vocabulary()
        a, b = left.casefold(), right.casefold()
        if f"{a}-{b}" in self._compounds:
            return True
        joined = a + b
        if joined in words or f"{joined}s" in words or (b.endswith("s") and joined[:-1] in words):
            return False
        if b in _SUFFIXES:
            return False
        if a in _PREFIXES:
            return True
        return a in words and b in words

    def join(self, parts: list[str]) -> str:
        """The physical lines of one logical line, joined with a space or across a hyphen."""
        pieces = [parts[0]]
        for part in parts[1:]:
            last = pieces[-1]
            if _ends_in_broken_word(last) and part[:1].isalnum():
                # the letters either side of the break, found without a pattern so that a
                # very long line costs its length once
                start = len(last) - 1
                while start > 0 and last[start - 1].isalpha():
                    start -= 1
                end = 0
                while end < len(part) and part[end].isalpha():
                    end += 1
                left, right = last[start:-1], part[:end]
                if left and right and not self.keeps_hyphen(left, right):
                    pieces[-1] = last[:-1]
            else:
                pieces.append(" ")
            pieces.append(part)
        return "".join(pieces)


def _ends_in_broken_word(raw: str) -> bool:
    """A line that ends inside a word broken at its hyphen ("whole-", "accommo-"): a letter,
    then the hyphen. A dash after a space ("policy -") or a rule ("-----") is not one."""
    return len(raw) >= 2 and raw[-1] == "-" and raw[-2].isalpha()


def _without_broken_words(text: str) -> str:
    """The text with each word broken across a line end ("accommo-" / "dation") removed: its
    pieces are not words of the report. Found by the hyphen and line end, not by a pattern
    tried at every letter, so that this stays one quick pass over the text."""
    pieces: list[str] = []
    pos = 0
    while True:
        k = text.find("-\n", pos)
        if k < 0:
            break
        if k > pos and text[k - 1].isalpha():
            a = k - 1
            while a > pos and (text[a - 1].isalpha() or text[a - 1] in "-'’"):
                a -= 1
            b = k + 2
            while b < len(text) and text[b].isalpha():
                b += 1
            pieces.append(text[pos:a])
            pos = b
        else:
            pieces.append(text[pos : k + 2])
            pos = k + 2
    pieces.append(text[pos:])
    return " ".join(pieces)


def _breaks_a_word(before: Phys | None, line: Phys, info: Info) -> bool:
    """The line carries on a word broken at the end of the line before."""
    return (
        before is not None
        and _ends_in_broken_word(before.raw)
        and line.raw[:1].isalnum()
        and info.kind in (Kind.TEXT, Kind.CAPS, Kind.HEADING, Kind.RESULT, Kind.DATE)
    )


def join_lines(lines: list[Phys], vocab: Vocab) -> list[Block]:
    """Join wrapped physical lines into logical lines.

    A line continues the previous one unless the previous one was blank or ended a block
    (heading, label, table row...), or this one starts a block (bullet, heading, result...),
    or the previous one ended a sentence and this one looks like a heading or a table row.
    A line always continues a word broken at the end of the one before (see
    :class:`Hyphenation`). Across a PDF's page break, a sentence that ended on a line too
    short to be full ends its paragraph; one that ended on a full line is taken to run on,
    and the block records that guess (:attr:`Block.guess`) for the readers to warn about.
    """
    blocks: list[Block] = []
    parts: list[str] = []
    first: Phys | None = None
    prev: Info | None = None
    # Wrapped lines fill most of the width; a heading is much shorter than that.
    lengths = sorted(len(line.raw) for line in lines if line.raw)
    width = lengths[len(lengths) * 3 // 4] if lengths else 0
    short = min(60, width * 3 // 5)
    guessed = False  # the current block began only because its first line looked a heading
    hyphenation = Hyphenation(lines)
    before: Phys | None = None  # the physical line before, when not blank
    bridged: tuple[str, str] = ("", "")  # a page break this block crosses by guess
    sealed = False  # the line before is the wrapped end of a table row's last cell

    def flush() -> None:
        nonlocal bridged
        if first is not None and parts:
            raw = hyphenation.join(parts) if len(parts) > 1 else parts[0]
            info = classify(raw, vocab)
            if (
                guessed
                and len(parts) > 1
                and info is not None
                and info.kind is Kind.TEXT
                and len(info.cells) < 2
                and blocks
                and blocks[-1].kind in (Kind.TEXT, Kind.BULLET, Kind.NUMBERED)
            ):
                # A heading is one line: this "heading" ran on, so it was a wrapped sentence
                # of the paragraph above after all.
                above = blocks.pop()
                raw = f"{above.raw} {raw}"
                merged = classify(raw, vocab)
                if merged is not None:
                    guess = above.guess if above.guess[0] else bridged
                    blocks.append(Block(merged, above.loc, above.lineno, raw, guess))
            elif info is not None:
                blocks.append(Block(info, first.loc, first.lineno, raw, bridged))
        parts.clear()
        bridged = ("", "")

    for line in lines:
        info = classify(line.raw, vocab) if line.raw else None
        if info is None:
            # Blank lines and separators end a paragraph.
            flush()
            first, prev, before, sealed = None, None, None, False
            continue
        plain_continuation = prev is not None and info.kind not in STARTS and not prev.terminal
        looks_heading = (
            plain_continuation
            and prev is not None
            and prev.ends_sentence
            and info.heading_like(short)
            and len(info.cells) < 2
        )
        continues = (
            prev is not None
            and (
                (
                    plain_continuation
                    and not (
                        prev.ends_sentence and (info.heading_like(short) or len(info.cells) >= 2)
                    )
                )
                # A criterion title wrapped in its cell: "D3: ... using available" / "data ...".
                or (prev.open_title and info.kind is Kind.TEXT and info.text[:1].islower())
                # A result cell wrapped inside its column: "...demonstrated.  PARTLY" / "MET".
                or (
                    len(prev.cells) >= 2
                    and is_result(f"{prev.cells[-1]} {info.text}", vocab)
                    and not is_result(prev.cells[-1], vocab)
                )
            )
        )
        if _breaks_a_word(before, line, info):
            continues = True
        elif (
            continues
            and before is not None
            and prev is not None
            and line.loc != before.loc
            and line.loc.startswith("page ")
        ):
            continues = _bridges_page_break(before, line, prev, width)
            if continues and prev.ends_sentence and not line.raw[:1].islower():
                bridged = (line.loc, info.text)
        if sealed:
            continues = False
        # The last cell of a table row wrapped onto a short line of its own ("12.3" / "days",
        # "England & Wales average" / "2003/2004"): nothing carries it on, so that the next
        # row does not begin with it. The table's reader puts it back in its row.
        sealed = (
            not continues
            and prev is not None
            and len(prev.cells) >= 3
            and len(info.cells) == 1
            and info.kind is Kind.TEXT
            and len(info.text) <= 30
            and not info.ends_sentence
        )
        if not continues:
            flush()
            first, guessed = line, looks_heading
        parts.append(line.raw)
        prev, before = info, line
    flush()
    return blocks


def _bridges_page_break(before: Phys, line: Phys, prev: Info, width: int) -> bool:
    """Whether a paragraph runs on from the foot of one page (``before``) to the next.

    A PDF's text has no blank line between paragraphs, so the page break alone cannot tell.
    When the last line does not end a sentence, or the next starts in lower case, the
    paragraph runs on. When it ends a sentence, the length of that line decides: if the
    first word of the next page would have fitted on it, the paragraph ended there; if not,
    the line was full, and the paragraph is taken to run on (a guess the caller records).
    """
    if not prev.ends_sentence or line.raw[:1].islower():
        return True
    word = line.raw.split(" ", 1)[0]
    return len(before.raw) + 1 + len(word) > width * 0.9
