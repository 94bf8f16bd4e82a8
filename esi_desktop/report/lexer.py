"""The line lexer: what each line of a report is, read on its own.

Physical lines (:class:`Phys`) are normalised (odd spaces, ligatures, control characters)
and classified (:func:`classify`) into an :class:`Info`: a bullet, a numbered item, a
criterion line with its code and result, a heading, a table row... The words a result can
be come from the frameworks (:class:`Vocab`). Also here: the small text helpers every
stage uses (:func:`collapse`, :func:`fold`, :func:`split_cells`, :func:`parse_percent`...).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from esi_desktop.frameworks import Framework, normalise_rating
from esi_desktop.wording import MONTHS

# Spaces that PDF and word-processor exports use instead of a plain space.
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_TRANSLATE: dict[int, str | None] = {ord(ch): " " for ch in _SPACES + "\u202f\u205f\u3000"}
_TRANSLATE.update({ord(ch): None for ch in "\u200b\u200c\u200d\u2060\ufeff\u00ad"})
_TRANSLATE.update(
    {
        ord("\ufb00"): "ff",
        ord("\ufb01"): "fi",
        ord("\ufb02"): "fl",
        ord("\ufb03"): "ffi",
        ord("\ufb04"): "ffl",
    }
)
# Other control characters (pypdf turns some bullets into DEL) become spaces; tabs stay.
_TRANSLATE.update({c: " " for c in range(32) if c != 9})
_TRANSLATE[0x7F] = " "


def normalise_line(line: str) -> str:
    line = line.rstrip()
    if line.endswith("\u00ad"):
        # a soft hyphen where the line breaks is a hyphen the typesetter added: shown as one,
        # so that the joining puts the word back together (soft hyphens elsewhere go)
        line = line[:-1] + "-"
    return line.translate(_TRANSLATE).strip()


@dataclass(frozen=True, slots=True)
class Phys:
    """A physical line: its text (trimmed, markup intact), its number and where it is."""

    raw: str
    lineno: int
    loc: str


@dataclass(frozen=True, slots=True)
class Source:
    """The input as messages name it, and its length in lines (text) or pages (PDF)."""

    name: str
    unit: str  # "line" or "page"
    total: int


class Kind(Enum):
    SEPARATOR = "separator"
    RESULT = "result"
    DATE = "date"
    BULLET = "bullet"
    NUMBERED = "numbered"
    LABEL = "label"
    REPORT_ON = "report on"
    SECTION = "section"
    CRITERION = "criterion"
    ANCHOR = "anchor"
    HEADING = "heading"
    CAPS = "caps"
    TEXT = "text"


# Kinds that always begin a new logical line, and kinds after which a new one begins.
STARTS = frozenset(Kind) - {Kind.TEXT}
_TERMINAL = frozenset(Kind) - {Kind.TEXT, Kind.BULLET, Kind.NUMBERED}

_TAG = re.compile(r"</?(?:i|b|p|u|em|strong|br|span|div|sup|sub)(?:\s[^<>]{0,80})?\s*/?>", re.I)
_CELL_SPLIT = re.compile(r"\t| {2,}")
_PERCENT = re.compile(r"([0-9]{1,3}) ?%")
_PERCENT_TAIL = re.compile(r"(?:^|\s)([0-9]{1,3}) ?%$")
_MONTHS = tuple(month.casefold() for month in MONTHS)
MONTH_ALT = "|".join(_MONTHS)
_DATE = re.compile(
    rf"(?:[0-9]{{1,2}}(?:st|nd|rd|th)? )?({MONTH_ALT}),? ([0-9]{{4}})|([0-9]{{4}})", re.I
)
_NUMBERED = re.compile(r"\(?([0-9]{1,2})[.)] +(?=\S)")
_LABEL = re.compile(r"(description|strengths?|areas? for improvement) ?(?::(.*))?", re.I)
_REPORT_ON = re.compile(r"report on\b ?(:?)(.*)", re.I)
_SECTION = re.compile(r"(?i:section) ([A-Z])(?![A-Za-z0-9])")
_CRITERION = re.compile(r"([A-Z][0-9]{1,2})[:.]?(?=\s|$)")

_SOLID_BULLETS = frozenset("•▣▪■●◦○‣⁃□◆◇►▶\uf0b7\uf0a7\uf0d8\uf0fc\uf076\uf0a8")
_SEPARATOR_CHARS = frozenset("-–—_=~ ")
COLUMN_WORDS = frozenset(
    {"score", "assessment", "result", "rating", "judgement", "judgment", "finding"}
)
# Headings every ESI report uses that are not written in capitals.
_KNOWN_HEADINGS = frozenset(
    {
        "foreword",
        "acknowledgements",
        "contents",
        "glossary",
        "summary and recommendations",
        "key findings",
        "recommendations",
        "next steps",
        "introduction",
        "quality ratings",
        "overall assessment",
        "good practice example",
    }
)


@dataclass(frozen=True)
class Vocab:
    """What the frameworks say the report's words can be."""

    scale: tuple[str, ...]  # every rating on any scale, longest first
    importance: frozenset[str]
    headings: frozenset[str]


def build_vocab(frameworks: Sequence[Framework]) -> Vocab:
    ratings: dict[str, str] = {}
    importance: set[str] = set()
    headings = set(_KNOWN_HEADINGS)
    for fw in frameworks:
        for rating in fw.rating_scale:
            ratings.setdefault(rating.casefold(), rating)
        for crit in fw.criteria:
            if crit.importance:
                importance.add(crit.importance.casefold())
        if fw.report_heading:
            headings.add(fold(fw.report_heading))
    scale = tuple(sorted(ratings.values(), key=len, reverse=True))
    return Vocab(scale, frozenset(importance), frozenset(headings))


# a run of spaces, or one space of another kind: what collapsing changes
_UNEVEN_SPACE = re.compile(r"\s\s+|[^\S ]")


def collapse(text: str) -> str:
    # not " ".join(text.split()): on a long paragraph the list of its words takes ten times
    # the paragraph's memory; this replaces only the spaces that need it
    return _UNEVEN_SPACE.sub(" ", text).strip()


def fold(text: str) -> str:
    return collapse(text).casefold()


def norm_title(text: str) -> str:
    """Letters and digits only, lower case, single spaces: for comparing titles."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text.casefold()).split())


def demark(text: str) -> str:
    """Remove italics/bold markers (``*``, ``**``, ``<i>``...) left by the text export."""
    return _TAG.sub("", text).replace("*", "")


def clean(text: str) -> str:
    return collapse(demark(text))


def split_cells(text: str) -> tuple[str, ...]:
    return tuple(c for c in (collapse(p) for p in _CELL_SPLIT.split(text)) if c)


def parse_percent(text: str) -> int | None:
    match = _PERCENT.fullmatch(text.strip())
    return int(match.group(1)) if match else None


def is_result(text: str, vocab: Vocab) -> bool:
    return parse_percent(text) is not None or normalise_rating(text, vocab.scale) is not None


def _bullet_body(text: str) -> str | None:
    """The text after leading list markers ("-", "•", "▣", "- ▣"...), or None if none."""
    i, n, found = 0, len(text), False
    while i < n:
        ch = text[i]
        if ch in _SOLID_BULLETS:
            i += 1
        elif ch in "-*" and i + 1 < n and text[i + 1] in " \t":
            i += 2
        else:
            break
        found = True
        while i < n and text[i] in " \t":
            i += 1
    return text[i:] if found else None


def result_suffix(text: str, vocab: Vocab) -> tuple[str, str] | None:
    """Split "title 46%" or "title Partly met" into (title, result), else None."""
    match = _PERCENT_TAIL.search(text)
    if match:
        return text[: match.start()].strip(), text[match.start() :].strip()
    folded = text.casefold()
    for rating in vocab.scale:
        tail = " " + rating.casefold()
        if folded.endswith(tail):
            return text[: len(text) - len(tail)].strip(), text[len(text) - len(rating) :]
    return None


@dataclass(frozen=True, slots=True)
class Info:
    """What one line (physical or logical) is."""

    kind: Kind
    text: str  # markup removed, single spaces
    cells: tuple[str, ...]
    body: str = ""  # list item text, label's inline text or report-on text
    number: int | None = None
    code: str = ""
    title: str = ""
    result: str | None = None
    importance: bool = False
    open_title: bool = False  # a criterion line with nothing after its title
    label: str = ""

    @property
    def ends_sentence(self) -> bool:
        return self.text.rstrip("\"'’”)] ").endswith((".", "!", "?", ":"))

    @property
    def terminal(self) -> bool:
        """True when nothing may continue this line (a heading, a table row...)."""
        if self.kind in _TERMINAL or self.text.endswith(":"):
            return True
        cells = self.cells
        return len(cells) >= 3 or (len(cells) == 2 and len(cells[1]) <= 40)

    def heading_like(self, short: int) -> bool:
        """A short capitalised line without a full stop: a heading when it follows one.

        Args:
            short: the most characters a heading line has; well under the width of a
                wrapped line, so that a wrapped sentence is not taken for a heading.
        """
        text = self.text
        return (
            self.kind is Kind.TEXT
            and len(text) <= short
            and text[:1].isupper()
            and not text.endswith((".", ",", ";"))
            and len(text.split()) <= 8
        )


def classify(raw: str, vocab: Vocab) -> Info | None:
    """Classify one trimmed line; None for a line with nothing to read (separator, blank)."""
    untagged = _TAG.sub("", raw)
    plain = untagged.replace("*", "")
    text = collapse(plain)
    if not text or set(text) <= _SEPARATOR_CHARS:
        return None
    cells = split_cells(plain)
    if is_result(text, vocab):
        return Info(Kind.RESULT, text, cells, result=text)
    if _DATE.fullmatch(text):
        return Info(Kind.DATE, text, cells)
    body = _bullet_body(untagged.strip())
    if body is not None:
        item = clean(body)
        if not item:
            return None
        # "- 1. a costed ..." : a bullet that also carries the printed number.
        numbered = _NUMBERED.match(item)
        if numbered:
            rest, number = item[numbered.end() :], int(numbered.group(1))
            return Info(Kind.BULLET, text, cells, body=rest, number=number)
        return Info(Kind.BULLET, text, cells, body=item)
    numbered = _NUMBERED.match(text)
    if numbered:
        rest, number = text[numbered.end() :], int(numbered.group(1))
        return Info(Kind.NUMBERED, text, cells, body=rest, number=number)
    label = _LABEL.fullmatch(text)
    if label:
        word = label.group(1).casefold()
        name = "description" if word == "description" else "strengths"
        if word.startswith("area"):
            name = "improvements"
        return Info(Kind.LABEL, text, cells, body=(label.group(2) or "").strip(), label=name)
    report_on = _REPORT_ON.fullmatch(text)
    if report_on and (report_on.group(1) or "probation area" in text.casefold()):
        return Info(Kind.REPORT_ON, text, cells, body=report_on.group(2).strip())
    section = _SECTION.match(text)
    if section:
        return Info(Kind.SECTION, text, cells, code=section.group(1).upper())
    criterion = _criterion_info(plain.strip(), text, cells, vocab)
    if criterion is not None:
        return criterion
    folded = text.casefold()
    if "should ensure that" in folded and text.endswith(":") and len(text) <= 200:
        return Info(Kind.ANCHOR, text, cells)
    if folded.rstrip(": ") in vocab.headings:
        return Info(Kind.HEADING, text, cells)
    # a line in capitals that ends as a sentence or a list goes on ("(OASys, LSI-R, ACE).") is
    # the end of a wrapped sentence, not a heading
    if (
        not any(ch.islower() for ch in text)
        and sum(ch.isalpha() for ch in text) >= 4
        and not text.endswith((".", ",", ";", ")"))
    ):
        return Info(Kind.CAPS, text, cells)
    return Info(Kind.TEXT, text, cells)


def _criterion_info(plain: str, text: str, cells: tuple[str, ...], vocab: Vocab) -> Info | None:
    """A criterion line ("A4<tab>Partnership...<tab>Satisfactorily met", "B1: ...:  Score"),
    with its code, title and any result printed on it; None when the line is not one."""
    match = _CRITERION.match(plain)
    if not match:
        return None
    rest = plain[match.end() :].lstrip(" \t:.")
    if not rest[:1].isalpha():
        return None
    parts = split_cells(rest)
    result: str | None = None
    importance = False
    open_title = len(parts) == 1
    if len(parts) >= 2:
        last = parts[-1]
        if is_result(last, vocab):
            result, parts = last, parts[:-1]
        elif last.casefold() in COLUMN_WORDS:
            parts = parts[:-1]
        elif last.casefold() in vocab.importance:
            importance, parts = True, parts[:-1]
        title = " ".join(parts)
    else:
        title = parts[0] if parts else ""
        split = result_suffix(title, vocab)
        if split is not None:
            title, result = split
            open_title = False
        else:
            head, _, tail = title.rpartition(": ")
            if head and tail.casefold() in COLUMN_WORDS:
                title, open_title = head, False
    title = title.strip().rstrip(":").strip()
    if not title or len(title) > 120:
        # A long "title" is prose that happens to start with something like "A1".
        return None
    code = match.group(1)
    return Info(
        Kind.CRITERION,
        text,
        cells,
        code=code,
        title=title,
        result=result,
        importance=importance,
        open_title=open_title,
    )


def year_month(text: str) -> tuple[int, int] | None:
    """(year, month) of a date line such as "January 2005", else None."""
    match = _DATE.fullmatch(text)
    if not match or not match.group(1):
        return None
    year = int(match.group(2))
    if not 1900 <= year <= 2999:
        return None
    return year, _MONTHS.index(match.group(1).casefold()) + 1
