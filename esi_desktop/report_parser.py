"""Read an HM Inspectorate of Probation ESI area report into plain data.

The Inspectorate published each Effective Supervision Inspection (ESI) report as a PDF. The
Board secretary may give us that PDF or a text export of it; both are turned into the same
list of physical lines, then into logical lines (wrapped lines joined), and the parts the
product needs are read from those: the area and publication month, the recommendations,
the scoring summary sheet, the criterion findings, the thematic element, next steps and the
national performance targets table.

The parser is pure (no database, no Qt) and knows the frameworks only through
:mod:`esi_desktop.frameworks`: criterion codes, titles, result kinds, rating scales and the
heading that introduces a thematic element all come from the framework files.

Every regular expression here is anchored or free of nested quantifiers, and every loop
visits each line a bounded number of times, so parsing time grows linearly with the input.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import logging
import os
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

from esi_desktop.errors import ReportParseError
from esi_desktop.frameworks import (
    Criterion,
    Framework,
    ResultKind,
    builtin_frameworks,
    normalise_rating,
)
from esi_desktop.text import unstorable

__all__ = [
    "CriterionFindings",
    "NationalTarget",
    "NextSteps",
    "ParsedFramework",
    "ParsedRecommendation",
    "ParsedReport",
    "decode_report_bytes",
    "parse_report_file",
    "parse_report_pdf",
    "parse_report_text",
]


# --------------------------------------------------------------------------------------
# Public results


@dataclass(frozen=True)
class ParsedRecommendation:
    """One recommendation as printed in the report.

    Attributes:
        ref: "1".."n" for the main list, "T1".."Tn" for a thematic list, in printed order.
        framework_id: the main framework's id, or the thematic framework's id for T refs.
        text: the recommendation's words, without list markers, numbering or italics.
    """

    ref: str
    framework_id: str
    text: str


@dataclass(frozen=True)
class CriterionFindings:
    """The inspectors' findings for one criterion.

    Attributes:
        framework_id: the framework the criterion belongs to.
        code: the criterion's code, such as "A2".
        description: what the criterion expects, as printed under "Description:".
        strengths: the "Strengths" bullets.
        improvements: the "Areas for improvement" bullets.
    """

    framework_id: str
    code: str
    description: str
    strengths: tuple[str, ...]
    improvements: tuple[str, ...]


@dataclass(frozen=True)
class ParsedFramework:
    """The published results of one framework in the report.

    Attributes:
        framework_id: the framework's id.
        criteria: criterion code to result: a whole percentage (0-100) or a rating exactly
            as spelled on the framework's scale.
        published_sections: the section figures printed in the report, by section code.
        published_overall: the printed overall score, or None when the report has none.
    """

    framework_id: str
    criteria: dict[str, int | str]
    published_sections: dict[str, int]
    published_overall: int | None


@dataclass(frozen=True)
class NationalTarget:
    """One row of the national performance targets table, cells as printed."""

    measure: str
    target: str
    area: str
    national_average: str


@dataclass(frozen=True)
class NextSteps:
    """What the report says happens after publication.

    Attributes:
        response_due_months: months after publication within which the Board must respond.
        implementation_months: months within which recommendations are normally implemented.
        follow_up_expected: when a follow-up inspection is expected ("Autumn 2005"), or None.
    """

    response_due_months: int | None
    implementation_months: int | None
    follow_up_expected: str | None


@dataclass(frozen=True)
class ParsedReport:
    """Everything the product reads from one ESI area report.

    Attributes:
        area: the probation area, without "Probation Area" ("Gloucestershire").
        published_year: the year of the foreword's date line.
        published_month: the month (1-12) of the foreword's date line.
        title: the report's title from its cover.
        frameworks: the results of each framework found in the report, by framework id.
        recommendations: main recommendations then thematic ones, in printed order.
        findings: criterion findings in printed order, main framework first.
        next_steps: response deadline, implementation period and follow-up timing.
        national_targets: the national performance targets table, row by row.
        warnings: non-fatal oddities, each a sentence naming where it was found.
    """

    area: str
    published_year: int
    published_month: int
    title: str
    frameworks: dict[str, ParsedFramework]
    recommendations: tuple[ParsedRecommendation, ...]
    findings: tuple[CriterionFindings, ...]
    next_steps: NextSteps
    national_targets: tuple[NationalTarget, ...]
    warnings: tuple[str, ...]

    @property
    def published(self) -> str:
        """The publication month as "YYYY-MM"."""
        return f"{self.published_year:04d}-{self.published_month:02d}"


# --------------------------------------------------------------------------------------
# Entry points


def decode_report_bytes(data: bytes) -> str:
    """Decode a text report: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252.

    Raises:
        ReportParseError: the data is binary (NUL bytes, or mostly control characters).
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Notepad's "Unicode" export; its NUL bytes are legitimate, so decode before the check.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _binary_error(1) from None
        _refuse_binary_text(text)
        return text
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        # some tools save "Unicode" text with no byte-order mark: every other byte is NUL
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            raise _binary_error(1) from None
        _refuse_binary_text(text)
        return text
    nul = data.find(b"\x00")
    if nul >= 0:
        raise _binary_error(data.count(b"\n", 0, nul) + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Reports saved by older Windows tools are Windows-1252; the five bytes that code page
        # leaves undefined become U+FFFD and count as non-text below.
        text = data.decode("cp1252", errors="replace")
    _refuse_binary_text(text)
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" for text saved as UTF-16 without a byte-order mark.

    Text in a Latin script saved that way has a NUL in (nearly) every second byte — the odd
    ones for little-endian, the even ones for big-endian — and almost none in the others,
    which binary data does not.
    """
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 8 or len(data) % 2:
        return None
    even = sample[0 : pairs * 2 : 2].count(0)
    odd = sample[1 : pairs * 2 : 2].count(0)
    if odd >= 0.9 * pairs and even <= 0.02 * pairs:
        return "utf-16-le"
    if even >= 0.9 * pairs and odd <= 0.02 * pairs:
        return "utf-16-be"
    return None


def parse_report_text(text: str, *, source: str = "the report") -> ParsedReport:
    """Parse the text of an ESI report (a text export of the published PDF).

    Args:
        text: the whole report; LF or CRLF line ends, tabs or space runs between table cells.
        source: how messages name the input, e.g. 'the file "report.txt"'.

    Raises:
        ReportParseError: the text is empty, is not an ESI report, or lacks a part the
            product needs (the message names the part, where the text ends and what to do).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages: list[list[_Phys]] = [[]]
    for lineno, line in enumerate(text.split("\n"), start=1):
        # A form feed in a text export marks a page break; use it to spot page furniture.
        pieces = line.split("\f")
        for n, piece in enumerate(pieces):
            if n:
                pages.append([])
            pages[-1].append(_Phys(_normalise(piece), lineno, f"line {lineno}"))
    total = max((line.lineno for page in pages for line in page if line.raw), default=0)
    return _parse(pages, _Source(source, "line", total))


def parse_report_pdf(
    data: bytes,
    *,
    progress: Callable[[int, int], None] | None = None,
    source: str = "the report",
) -> ParsedReport:
    """Parse a published ESI report PDF, extracting its text page by page.

    Args:
        data: the PDF file's bytes.
        progress: called as ``progress(pages_done, page_count)`` after each page.
        source: how messages name the input.

    Raises:
        ReportParseError: the PDF cannot be read, is password-protected, has no text layer
            (a scanned report), or its text is not a complete ESI report.
    """
    # Imported here so that importing this module stays cheap for the rest of the app.
    from pypdf import PdfReader

    # pypdf tells of a damaged file through logging and warnings, which would reach the
    # person before (or instead of) our one sentence; it is quiet while we read
    with _quiet_pypdf():
        return _parse_pdf(PdfReader, data, progress=progress, source=source)


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _parse_pdf(
    reader_class: Any,
    data: bytes,
    *,
    progress: Callable[[int, int], None] | None,
    source: str,
) -> ParsedReport:
    """The body of :func:`parse_report_pdf`, with pypdf quiet."""
    try:
        reader = reader_class(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReportParseError(
                f"{_cap(source)} is a password-protected PDF. Save an unprotected copy of the "
                "report and choose that file.",
                "page 1",
            )
        page_count = len(reader.pages)
    except ReportParseError:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on damaged files
        raise ReportParseError(
            f"{_cap(source)} could not be read as a PDF ({exc}). Check that the file is the "
            "inspection report and is not damaged, or choose the report's text export.",
            "page 1",
        ) from None
    if page_count == 0:
        raise ReportParseError(
            f"{_cap(source)} is a PDF with no pages. Choose the report's text or PDF file.",
            "page 1",
        )
    pages: list[list[_Phys]] = []
    unreadable: list[int] = []
    lineno = 0
    for number in range(1, page_count + 1):
        try:
            page_text = reader.pages[number - 1].extract_text() or ""
        except Exception:  # one damaged page should not lose the rest of the report
            page_text = ""
            unreadable.append(number)
        lines: list[_Phys] = []
        for line in page_text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            lineno += 1
            lines.append(_Phys(_normalise(line), lineno, f"page {number}"))
        pages.append(lines)
        if progress is not None:
            progress(number, page_count)
    if not any(line.raw for page in pages for line in page):
        last = f"pages 1-{page_count}" if page_count > 1 else "page 1"
        raise ReportParseError(
            f"No page of {source} has any text ({last} read): it looks like a scanned image. "
            "Choose the report's text export or a PDF with selectable text.",
            "page 1",
        )
    extra = [f"Page {n}: the text of this page could not be read." for n in unreadable]
    return _parse(pages, _Source(source, "page", page_count), extra)


#: The largest report read. The sample report is 84 kB of text; a published report as text
#: is well under 1 MB, and as a PDF a few MB (under 100 MB even with scanned pages). Reading
#: text takes about fifteen times its size in memory, so 20 MB of text stays near 300 MB.
MAX_TEXT_REPORT_BYTES = 20 * 1000 * 1000
MAX_PDF_REPORT_BYTES = 100 * 1000 * 1000


def _refuse_too_big(path: Path, size: int, limit: int, is_pdf: bool) -> None:
    if size > limit:
        what = "as a PDF" if is_pdf else "as text"
        raise ReportParseError(
            f'The file "{path.name}" is {size / 1e6:.0f} MB, and an inspection report {what} '
            f"is well under {limit // 1000000} MB; check that it is the report, then choose "
            "it again.",
            "",
        )


def parse_report_file(
    path: Path, *, progress: Callable[[int, int], None] | None = None
) -> ParsedReport:
    """Parse a report file: a PDF (by ".pdf" name or "%PDF" content), else text.

    Raises:
        ReportParseError: the file cannot be read, is too big to be a report (more than
            :data:`MAX_TEXT_REPORT_BYTES` of text, :data:`MAX_PDF_REPORT_BYTES` of PDF) or is
            not a complete ESI report.
    """
    try:
        with path.open("rb") as stream:
            head = stream.read(1024)
            is_pdf = head.lstrip().startswith(b"%PDF") or path.suffix.casefold() == ".pdf"
            limit = MAX_PDF_REPORT_BYTES if is_pdf else MAX_TEXT_REPORT_BYTES
            # refused before it is read: a file this size is not a report, and reading it
            # would take many times its size in memory
            _refuse_too_big(path, os.fstat(stream.fileno()).st_size, limit, is_pdf)
            data = head + stream.read(limit + 1 - len(head))
            _refuse_too_big(path, len(data), limit, is_pdf)  # a file still growing
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ReportParseError(
            f'The file "{path.name}" could not be opened ({reason}). Check that it exists '
            "and that you may read it, then choose it again.",
            "",
        ) from None
    source = f'the file "{path.name}"'
    if is_pdf:
        return parse_report_pdf(data, progress=progress, source=source)
    text = decode_report_bytes(data)
    result = parse_report_text(text, source=source)
    if progress is not None:
        progress(1, 1)
    return result


# --------------------------------------------------------------------------------------
# Decoding helpers


def _binary_error(lineno: int) -> ReportParseError:
    return ReportParseError(
        "This file is not a text or PDF report: it contains binary data "
        f"(from line {lineno}). Choose the report's text or PDF file.",
        f"line {lineno}",
    )


def _is_control(ch: str) -> bool:
    return (ch < " " and ch not in "\t\n\r\f") or ch == "\x7f" or ch == "\ufffd"


def _refuse_binary_text(text: str) -> None:
    # A sample is enough to tell a binary file from text and keeps the check cheap.
    sample = text[:65536]
    bad = sum(1 for ch in sample if _is_control(ch))
    if sample and bad * 10 > len(sample):
        first = next(i for i, ch in enumerate(sample) if _is_control(ch))
        raise _binary_error(sample.count("\n", 0, first) + 1)


# --------------------------------------------------------------------------------------
# Lines

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


def _normalise(line: str) -> str:
    return line.translate(_TRANSLATE).strip()


@dataclass(frozen=True, slots=True)
class _Phys:
    """A physical line: its text (trimmed, markup intact), its number and where it is."""

    raw: str
    lineno: int
    loc: str


@dataclass(frozen=True, slots=True)
class _Source:
    name: str
    unit: str  # "line" or "page"
    total: int


class _Kind(Enum):
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
_STARTS = frozenset(_Kind) - {_Kind.TEXT}
_TERMINAL = frozenset(_Kind) - {_Kind.TEXT, _Kind.BULLET, _Kind.NUMBERED}

_TAG = re.compile(r"</?(?:i|b|p|u|em|strong|br|span|div|sup|sub)(?:\s[^<>]{0,80})?\s*/?>", re.I)
_CELL_SPLIT = re.compile(r"\t| {2,}")
_PERCENT = re.compile(r"([0-9]{1,3}) ?%")
_PERCENT_TAIL = re.compile(r"(?:^|\s)([0-9]{1,3}) ?%$")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_ALT = "|".join(_MONTHS)
_DATE = re.compile(
    rf"(?:[0-9]{{1,2}}(?:st|nd|rd|th)? )?({_MONTH_ALT}),? ([0-9]{{4}})|([0-9]{{4}})", re.I
)
_NUMBERED = re.compile(r"\(?([0-9]{1,2})[.)] +(?=\S)")
_LABEL = re.compile(r"(description|strengths?|areas? for improvement) ?(?::(.*))?", re.I)
_REPORT_ON = re.compile(r"report on\b ?(:?)(.*)", re.I)
_SECTION = re.compile(r"(?i:section) ([A-Z])(?![A-Za-z0-9])")
_CRITERION = re.compile(r"([A-Z][0-9]{1,2})[:.]?(?=\s|$)")
_SECTION_FIGURE = re.compile(r"(?:score for )?section ([a-z])(?: score)?")
_FOLLOW_UP_WHEN = re.compile(
    rf"\b(spring|summer|autumn|winter|{_MONTH_ALT}) (?:of )?([0-9]{{4}})\b", re.I
)
_WITHIN_MONTHS = re.compile(r"\bwithin ([a-z0-9-]{1,15}) months?\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_PAGE_WORD = re.compile(r"page [0-9]{1,4}(?: of [0-9]{1,4})?", re.I)
_BARE_PAGE = re.compile(r"(?:page )?[0-9]{1,3}(?: of [0-9]{1,3})?|- ?[0-9]{1,3} ?-", re.I)

_SOLID_BULLETS = frozenset("•▣▪■●◦○‣⁃□◆◇►▶\uf0b7\uf0a7\uf0d8\uf0fc\uf076\uf0a8")
_SEPARATOR_CHARS = frozenset("-–—_=~ ")
_COLUMN_WORDS = frozenset(
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
_NUMBER_WORDS = {
    word: n
    for n, word in enumerate(
        (
            *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
            *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
            *("seventeen", "eighteen", "nineteen", "twenty"),
        )
    )
}
_NUMBER_WORDS.update({"twenty-four": 24, "thirty-six": 36})


@dataclass(frozen=True)
class _Vocab:
    """What the frameworks say the report's words can be."""

    scale: tuple[str, ...]  # every rating on any scale, longest first
    importance: frozenset[str]
    headings: frozenset[str]


def _vocab(frameworks: Sequence[Framework]) -> _Vocab:
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
            headings.add(_fold(fw.report_heading))
    scale = tuple(sorted(ratings.values(), key=len, reverse=True))
    return _Vocab(scale, frozenset(importance), frozenset(headings))


# a run of spaces, or one space of another kind: what collapsing changes
_UNEVEN_SPACE = re.compile(r"\s\s+|[^\S ]")


def _collapse(text: str) -> str:
    # not " ".join(text.split()): on a long paragraph the list of its words takes ten times
    # the paragraph's memory; this replaces only the spaces that need it
    return _UNEVEN_SPACE.sub(" ", text).strip()


def _fold(text: str) -> str:
    return _collapse(text).casefold()


def _norm_title(text: str) -> str:
    """Letters and digits only, lower case, single spaces: for comparing titles."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text.casefold()).split())


def _demark(text: str) -> str:
    """Remove italics/bold markers (``*``, ``**``, ``<i>``...) left by the text export."""
    return _TAG.sub("", text).replace("*", "")


def _clean(text: str) -> str:
    return _collapse(_demark(text))


def _cells(text: str) -> tuple[str, ...]:
    return tuple(c for c in (_collapse(p) for p in _CELL_SPLIT.split(text)) if c)


def _percent(text: str) -> int | None:
    match = _PERCENT.fullmatch(text.strip())
    return int(match.group(1)) if match else None


def _is_result(text: str, vocab: _Vocab) -> bool:
    return _percent(text) is not None or normalise_rating(text, vocab.scale) is not None


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


def _result_suffix(text: str, vocab: _Vocab) -> tuple[str, str] | None:
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
class _Info:
    """What one line (physical or logical) is."""

    kind: _Kind
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
            self.kind is _Kind.TEXT
            and len(text) <= short
            and text[:1].isupper()
            and not text.endswith((".", ",", ";"))
            and len(text.split()) <= 8
        )


def _classify(raw: str, vocab: _Vocab) -> _Info | None:
    """Classify one trimmed line; None for a line with nothing to read (separator, blank)."""
    untagged = _TAG.sub("", raw)
    plain = untagged.replace("*", "")
    text = _collapse(plain)
    if not text or set(text) <= _SEPARATOR_CHARS:
        return None
    cells = _cells(plain)
    if _is_result(text, vocab):
        return _Info(_Kind.RESULT, text, cells, result=text)
    if _DATE.fullmatch(text):
        return _Info(_Kind.DATE, text, cells)
    body = _bullet_body(untagged.strip())
    if body is not None:
        item = _clean(body)
        if not item:
            return None
        # "- 1. a costed ..." : a bullet that also carries the printed number.
        numbered = _NUMBERED.match(item)
        if numbered:
            rest, number = item[numbered.end() :], int(numbered.group(1))
            return _Info(_Kind.BULLET, text, cells, body=rest, number=number)
        return _Info(_Kind.BULLET, text, cells, body=item)
    numbered = _NUMBERED.match(text)
    if numbered:
        rest, number = text[numbered.end() :], int(numbered.group(1))
        return _Info(_Kind.NUMBERED, text, cells, body=rest, number=number)
    label = _LABEL.fullmatch(text)
    if label:
        word = label.group(1).casefold()
        name = "description" if word == "description" else "strengths"
        if word.startswith("area"):
            name = "improvements"
        return _Info(_Kind.LABEL, text, cells, body=(label.group(2) or "").strip(), label=name)
    report_on = _REPORT_ON.fullmatch(text)
    if report_on and (report_on.group(1) or "probation area" in text.casefold()):
        return _Info(_Kind.REPORT_ON, text, cells, body=report_on.group(2).strip())
    section = _SECTION.match(text)
    if section:
        return _Info(_Kind.SECTION, text, cells, code=section.group(1).upper())
    criterion = _criterion_info(plain.strip(), text, cells, vocab)
    if criterion is not None:
        return criterion
    folded = text.casefold()
    if "should ensure that" in folded and text.endswith(":") and len(text) <= 200:
        return _Info(_Kind.ANCHOR, text, cells)
    if folded.rstrip(": ") in vocab.headings:
        return _Info(_Kind.HEADING, text, cells)
    if not any(ch.islower() for ch in text) and sum(ch.isalpha() for ch in text) >= 4:
        return _Info(_Kind.CAPS, text, cells)
    return _Info(_Kind.TEXT, text, cells)


def _criterion_info(plain: str, text: str, cells: tuple[str, ...], vocab: _Vocab) -> _Info | None:
    """A criterion line ("A4<tab>Partnership...<tab>Satisfactorily met", "B1: ...:  Score"),
    with its code, title and any result printed on it; None when the line is not one."""
    match = _CRITERION.match(plain)
    if not match:
        return None
    rest = plain[match.end() :].lstrip(" \t:.")
    if not rest[:1].isalpha():
        return None
    parts = _cells(rest)
    result: str | None = None
    importance = False
    open_title = len(parts) == 1
    if len(parts) >= 2:
        last = parts[-1]
        if _is_result(last, vocab):
            result, parts = last, parts[:-1]
        elif last.casefold() in _COLUMN_WORDS:
            parts = parts[:-1]
        elif last.casefold() in vocab.importance:
            importance, parts = True, parts[:-1]
        title = " ".join(parts)
    else:
        title = parts[0] if parts else ""
        split = _result_suffix(title, vocab)
        if split is not None:
            title, result = split
            open_title = False
        else:
            head, _, tail = title.rpartition(": ")
            if head and tail.casefold() in _COLUMN_WORDS:
                title, open_title = head, False
    title = title.strip().rstrip(":").strip()
    if not title or len(title) > 120:
        # A long "title" is prose that happens to start with something like "A1".
        return None
    code = match.group(1)
    return _Info(
        _Kind.CRITERION,
        text,
        cells,
        code=code,
        title=title,
        result=result,
        importance=importance,
        open_title=open_title,
    )


@dataclass(frozen=True, slots=True)
class _Block:
    """A logical line: one or more physical lines joined."""

    info: _Info
    loc: str
    lineno: int
    raw: str

    @property
    def kind(self) -> _Kind:
        return self.info.kind

    @property
    def text(self) -> str:
        return self.info.text


def _drop_page_furniture(pages: list[list[_Phys]], vocab: _Vocab) -> list[_Phys]:
    """Remove running headers/footers and page numbers; return the remaining lines in order.

    A line counts as furniture when it sits among the first or last two lines of a page and
    either is a page number or (ignoring digits) repeats at the edge of many pages.
    """

    def edges(page: list[_Phys]) -> set[int]:
        filled = [i for i, line in enumerate(page) if line.raw]
        return set(filled[:2] + filled[-2:])

    def key(line: _Phys) -> str:
        return "".join("#" if ch.isdigit() else ch for ch in _fold(_demark(line.raw)))

    page_edges = [edges(page) for page in pages]
    counts: Counter[str] = Counter()
    for page, edge in zip(pages, page_edges, strict=True):
        counts.update({key(page[i]) for i in edge})
    threshold = max(2, (len(pages) + 1) // 2)
    keep_kinds = {
        _Kind.BULLET,
        _Kind.NUMBERED,
        _Kind.LABEL,
        _Kind.CRITERION,
        _Kind.RESULT,
        _Kind.SECTION,
        _Kind.ANCHOR,
        _Kind.REPORT_ON,
    }
    out: list[_Phys] = []
    for page, edge in zip(pages, page_edges, strict=True):
        for i, line in enumerate(page):
            text = _clean(line.raw)
            if text and _PAGE_WORD.fullmatch(text):
                continue
            if i in edge:
                if _BARE_PAGE.fullmatch(text):
                    continue
                if len(pages) > 1 and counts[key(line)] >= threshold:
                    info = _classify(line.raw, vocab)
                    if info is None or info.kind not in keep_kinds:
                        continue
            out.append(line)
    return out


def _join(lines: list[_Phys], vocab: _Vocab) -> list[_Block]:
    """Join wrapped physical lines into logical lines.

    A line continues the previous one unless the previous one was blank or ended a block
    (heading, label, table row...), or this one starts a block (bullet, heading, result...),
    or the previous one ended a sentence and this one looks like a heading or a table row.
    """
    blocks: list[_Block] = []
    parts: list[str] = []
    first: _Phys | None = None
    prev: _Info | None = None
    # Wrapped lines fill most of the width; a heading is much shorter than that.
    lengths = sorted(len(line.raw) for line in lines if line.raw)
    width = lengths[len(lengths) * 3 // 4] if lengths else 0
    short = min(60, width * 3 // 5)
    guessed = False  # the current block began only because its first line looked a heading

    def flush() -> None:
        if first is not None and parts:
            raw = " ".join(parts)
            info = _classify(raw, vocab)
            if (
                guessed
                and len(parts) > 1
                and info is not None
                and info.kind is _Kind.TEXT
                and len(info.cells) < 2
                and blocks
                and blocks[-1].kind in (_Kind.TEXT, _Kind.BULLET, _Kind.NUMBERED)
            ):
                # A heading is one line: this "heading" ran on, so it was a wrapped sentence
                # of the paragraph above after all.
                before = blocks.pop()
                raw = f"{before.raw} {raw}"
                merged = _classify(raw, vocab)
                if merged is not None:
                    blocks.append(_Block(merged, before.loc, before.lineno, raw))
            elif info is not None:
                blocks.append(_Block(info, first.loc, first.lineno, raw))
        parts.clear()

    for line in lines:
        info = _classify(line.raw, vocab) if line.raw else None
        if info is None:
            # Blank lines and separators end a paragraph.
            flush()
            first, prev = None, None
            continue
        plain_continuation = prev is not None and info.kind not in _STARTS and not prev.terminal
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
                or (prev.open_title and info.kind is _Kind.TEXT and info.text[:1].islower())
                # A result cell wrapped inside its column: "...demonstrated.  PARTLY" / "MET".
                or (
                    len(prev.cells) >= 2
                    and _is_result(f"{prev.cells[-1]} {info.text}", vocab)
                    and not _is_result(prev.cells[-1], vocab)
                )
            )
        )
        if not continues:
            flush()
            first, guessed = line, looks_heading
        parts.append(line.raw)
        prev = info
    flush()
    return blocks


# --------------------------------------------------------------------------------------
# The report's parts


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _at(loc: str) -> str:
    return f"on {loc}" if loc.startswith("page") else f"at {loc}"


def _snippet(text: str) -> str:
    text = _collapse(text)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class _Findings:
    code: str
    loc: str
    description: list[str] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    lists_started: bool = False
    labelled: bool = False  # its "Description:" label has been read
    result: int | str | None = None
    result_loc: str = ""
    ignored: bool = False


class _Parser:
    """Reads the report's parts from its logical lines, collecting warnings on the way."""

    def __init__(
        self, blocks: list[_Block], source: _Source, vocab: _Vocab, warnings: list[str]
    ) -> None:
        self.blocks = blocks
        self.source = source
        self.vocab = vocab
        self.warnings = warnings
        last = blocks[-1]
        self.last_loc = last.loc
        self.last_text = _snippet(last.text)

    # ---------------------------------------------------------------- errors and warnings

    def warn(self, loc: str, message: str) -> None:
        self.warnings.append(f"{_cap(loc)}: {message}" if loc else message)

    def cut_off(self, missing: str, *, hint: str = "") -> ReportParseError:
        where = f'the text ends {_at(self.last_loc)} ("{self.last_text}")'
        return ReportParseError(
            f"{_cap(self.source.name)} seems to be cut off or incomplete: it has no {missing}; "
            f"{where}.{hint} Choose the complete report's text or PDF file.",
            self.last_loc,
        )

    def result_error(self, block: _Block, crit: Criterion, fw: Framework, value: str) -> NoReturn:
        if crit.kind is ResultKind.PERCENT:
            wanted = "a percentage from 0% to 100%"
        else:
            wanted = "a rating (" + ", ".join(fw.rating_scale) + ")"
        raise ReportParseError(
            f"{_cap(block.loc)} of {self.source.name} gives {crit.code} ({crit.title}) the "
            f'result "{value}", but the {fw.short_title} framework expects {wanted}. '
            "Check that this is an ESI report of this framework and that the file is not "
            "damaged.",
            block.loc,
        )

    def typed_result(
        self, block: _Block, crit: Criterion, fw: Framework, value: str, *, strict: bool
    ) -> int | str | None:
        """The result converted for the criterion; on a mismatch raise (strict) or warn."""
        percent = _percent(value)
        rating = normalise_rating(value, fw.rating_scale)
        ok_percent = percent is not None and percent <= 100
        if crit.kind is ResultKind.PERCENT and ok_percent:
            return percent
        if crit.kind is ResultKind.RATING and rating is not None:
            return rating
        if percent is None and rating is None:
            return None
        if strict:
            self.result_error(block, crit, fw, value)
        self.warn(
            block.loc,
            f'the result "{value}" given for {crit.code} is not the kind of result that '
            f"criterion has in the {fw.short_title} framework; it was ignored.",
        )
        return None

    # ---------------------------------------------------------------- searching

    def find(self, predicate: Callable[[_Block], bool], start: int = 0, end: int = -1) -> int:
        stop = len(self.blocks) if end < 0 else end
        for i in range(start, stop):
            if predicate(self.blocks[i]):
                return i
        return -1

    def continues_item(self, index: int) -> bool:
        """True when a paragraph inside a list carries on the list item above it.

        A page break in the original splits a bullet; the rest comes out as a paragraph that
        starts in lower case, or as a short line that is followed by one that does.
        """
        block = self.blocks[index]
        if block.kind is not _Kind.TEXT:
            return False
        if block.text[:1].islower():
            return True
        following = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
        return (
            following is not None
            and following.kind is _Kind.TEXT
            and following.text[:1].islower()
            and not block.text.endswith((".", ":"))
        )

    def region_end(self, start: int, stop_kinds: frozenset[_Kind]) -> int:
        for i in range(start + 1, len(self.blocks)):
            if self.blocks[i].kind in stop_kinds:
                return i
        return len(self.blocks)

    # ---------------------------------------------------------------- parts

    def area_and_title(self, sheet: int) -> tuple[str, str]:
        limit = sheet if sheet >= 0 else len(self.blocks)
        at = self.find(lambda b: b.kind is _Kind.REPORT_ON, 0, limit)
        area_line = ""
        if at >= 0:
            area_line = self.blocks[at].info.body
            if not area_line and at + 1 < len(self.blocks):
                area_line = self.blocks[at + 1].text
        else:
            at = self.find(lambda b: "probation area" in b.text.casefold(), 0, limit)
            if at >= 0:
                area_line = _area_before(self.blocks[at].text)
                if area_line:
                    self.warn(
                        self.blocks[at].loc,
                        'no "Report on:" line was found on the cover, so the area was taken '
                        f'from "{_snippet(self.blocks[at].text)}".',
                    )
        cut = area_line.casefold().find("probation area")
        if cut >= 0:
            area_line = area_line[: cut + len("probation area")]
            area = area_line[:cut].strip(" ,:;-")
        else:
            area = area_line.strip(" ,:;-")
        if area.casefold().startswith("the "):
            area = area[4:].strip()
        if not area:
            raise self.cut_off(
                '"Report on:" line naming the probation area on its cover',
                hint=" The cover of an ESI report names the area it inspected.",
            )
        # The title is the cover text just above "Report on:".
        title_parts: list[str] = []
        i = at - 1
        while i >= 0 and len(title_parts) < 3:
            block = self.blocks[i]
            if block.kind not in (_Kind.TEXT, _Kind.CAPS, _Kind.HEADING):
                break
            title_parts.insert(0, block.text)
            i -= 1
        prefix = " ".join(title_parts) or "Effective Supervision Inspection"
        return area, f"{prefix}: Report on {area_line}"

    def foreword(self) -> tuple[int, int]:
        start = self.find(lambda b: b.text.casefold().rstrip(": ") == "foreword")
        end = len(self.blocks)
        if start >= 0:
            end = self.region_end(start, frozenset({_Kind.CAPS, _Kind.HEADING, _Kind.SECTION}))
        return start, end

    def publication_date(self, sheet: int) -> tuple[int, int]:
        """(year, month) of the date line that closes the foreword."""
        start, end = self.foreword()
        found: tuple[int, int] | None = None
        if start >= 0:
            for i in range(start + 1, end):
                # The last date in the foreword is its closing date line.
                found = _month_year(self.blocks[i].text) or found
        if found is None:
            limit = sheet if sheet >= 0 else len(self.blocks)
            at = self.find(lambda b: _month_year(b.text) is not None, 0, limit)
            found = _month_year(self.blocks[at].text) if at >= 0 else None
            if found is not None:
                self.warn(
                    self.blocks[at].loc,
                    "the foreword has no closing date line, so the publication month was "
                    f'taken from "{self.blocks[at].text}".',
                )
        if found is None:
            raise self.cut_off(
                'publication date (the date line that closes the foreword, such as "January 2005")'
            )
        return found

    def recommendations(
        self, anchor: int, framework_id: str, prefix: str
    ) -> list[ParsedRecommendation]:
        items: list[tuple[str, int | None, str]] = []
        for i in range(anchor + 1, len(self.blocks)):
            block = self.blocks[i]
            info = block.info
            if info.kind in (_Kind.BULLET, _Kind.NUMBERED):
                expected = len(items) + 1
                if (
                    info.kind is _Kind.NUMBERED
                    and items
                    and items[-1][1] is not None
                    and info.number != expected
                ):
                    # A wrapped line that happens to start "12. " belongs to the item above.
                    text, number, loc = items[-1]
                    items[-1] = (f"{text} {block.text}", number, loc)
                    continue
                items.append((info.body, info.number, block.loc))
            elif items and self.continues_item(i):
                # A paragraph split by a page break carries on the item above.
                text, number, loc = items[-1]
                items[-1] = (f"{text} {block.text}", number, loc)
            else:
                break
        if not items:
            head = self.blocks[anchor]
            raise ReportParseError(
                f'The recommendations list that starts {_at(head.loc)} ("{_snippet(head.text)}") '
                f"has no recommendations under it in {self.source.name}. The report may be cut "
                "off; choose the complete report's text or PDF file.",
                head.loc,
            )
        out: list[ParsedRecommendation] = []
        for n, (text, number, loc) in enumerate(items, start=1):
            if number is not None and number != n:
                self.warn(
                    loc,
                    f"the recommendation numbered {number} is number {n} in the list; it was "
                    f"given the reference {prefix}{n}.",
                )
            out.append(ParsedRecommendation(f"{prefix}{n}", framework_id, _collapse(text)))
        return out

    def scoring_sheet(
        self, start: int, fw: Framework
    ) -> tuple[dict[str, int | str], dict[str, int], int | None, int]:
        results: dict[str, tuple[int | str, str]] = {}
        sections: dict[str, int] = {}
        overall: int | None = None
        stop = frozenset(
            {
                _Kind.CAPS,
                _Kind.LABEL,
                _Kind.BULLET,
                _Kind.NUMBERED,
                _Kind.HEADING,
                _Kind.ANCHOR,
                _Kind.REPORT_ON,
            }
        )
        i = start + 1
        last_read = start
        while i < len(self.blocks):
            block = self.blocks[i]
            info = block.info
            label, value = _split_result(info, self.vocab)
            percent = _percent(value) if value else None
            if label.casefold().startswith("overall") and percent is not None:
                if fw.has_overall:
                    overall = self.checked_figure(block, percent, "overall score")
                last_read = i
                i += 1
                continue
            if info.kind in stop:
                break
            last_read = i
            if info.kind is _Kind.CRITERION and not info.importance:
                value = info.result
                if value is None and i + 1 < len(self.blocks):
                    following = self.blocks[i + 1]
                    if following.kind is _Kind.RESULT:
                        value = following.info.result
                        i += 1
                        last_read = i
                self.sheet_criterion(block, fw, value, results)
            elif percent is not None:
                code = _section_code(label, fw)
                if code is not None:
                    figure = self.checked_figure(block, percent, f"section {code} score")
                    if figure is not None:
                        sections.setdefault(code, figure)
            i += 1
        missing = [c.code for c in fw.criteria if c.code not in results]
        if missing:
            head = self.blocks[start]
            last = self.blocks[last_read]
            raise ReportParseError(
                f"The scoring summary sheet in {self.source.name} is incomplete: no result was "
                f"found for {_list_codes(missing)} (the sheet starts {_at(head.loc)} and was "
                f'read to {last.loc}, "{_snippet(last.text)}"). The report may be cut off; '
                "choose the complete report's text or PDF file.",
                last.loc,
            )
        for section in fw.scored_sections:
            if section.code not in sections:
                self.warn(
                    self.blocks[start].loc,
                    f"the scoring summary sheet has no printed score for section "
                    f"{section.code} ({section.title}).",
                )
        if fw.has_overall and overall is None:
            self.warn(self.blocks[start].loc, "the scoring summary sheet has no overall score.")
        criteria = {c.code: results[c.code][0] for c in fw.criteria}
        return criteria, sections, overall, last_read

    def checked_figure(self, block: _Block, figure: int, what: str) -> int | None:
        if figure > 100:
            self.warn(block.loc, f"the {what} {figure}% is over 100% and was ignored.")
            return None
        return figure

    def sheet_criterion(
        self,
        block: _Block,
        fw: Framework,
        value: str | None,
        results: dict[str, tuple[int | str, str]],
    ) -> None:
        info = block.info
        if not fw.has_criterion(info.code):
            self.warn(
                block.loc,
                f"{info.code} is not a criterion of the {fw.short_title} framework; the line "
                "was ignored.",
            )
            return
        crit = fw.criterion(info.code)
        self.check_title(block, crit)
        if value is None:
            return
        typed = self.typed_result(block, crit, fw, value, strict=True)
        if typed is None:
            return
        if crit.code in results:
            earlier, where = results[crit.code]
            if earlier != typed:
                self.warn(
                    block.loc,
                    f"the scoring summary sheet gives {crit.code} a second time as {typed}; "
                    f"the first result ({earlier}, {where}) is used.",
                )
            return
        results[crit.code] = (typed, block.loc)

    def check_title(self, block: _Block, crit: Criterion) -> None:
        if _norm_title(block.info.title) != _norm_title(crit.title):
            self.warn(
                block.loc,
                f'{crit.code} is titled "{block.info.title}" in the report but '
                f'"{crit.title}" in the framework; check that the report matches the framework.',
            )

    def findings(
        self, start: int, end: int, fw: Framework
    ) -> tuple[list[CriterionFindings], dict[str, tuple[int | str, str]]]:
        """Read the criterion blocks between ``start`` and ``end``.

        Criteria whose heading line was lost in the export are recognised by their
        "Description:" block: each one that follows a complete block belongs to the next
        criterion in framework order.
        """
        codes = [c.code for c in fw.criteria]
        position = {code: n for n, code in enumerate(codes)}
        found: dict[str, _Findings] = {}
        order: list[_Findings] = []
        current: _Findings | None = None
        next_index = 0
        mode = ""

        def open_block(code: str, loc: str) -> _Findings:
            block = _Findings(code, loc)
            if code in found:
                self.warn(
                    loc,
                    f"the findings for {code} appear a second time; the first ones "
                    f"({found[code].loc}) are used.",
                )
                block.ignored = True
            else:
                found[code] = block
                order.append(block)
            return block

        for i in range(start, end):
            block = self.blocks[i]
            info = block.info
            kind = info.kind
            if kind is _Kind.SECTION:
                members = [c for c in fw.criteria if c.section == info.code]
                if members and info.text.casefold() != f"section {info.code.casefold()}":
                    next_index = max(next_index, position[members[0].code])
                    current, mode = None, ""
                continue
            if kind is _Kind.CRITERION:
                if info.importance or not fw.has_criterion(info.code):
                    mode = ""
                    continue
                crit = fw.criterion(info.code)
                self.check_title(block, crit)
                current = open_block(crit.code, block.loc)
                next_index = position[crit.code] + 1
                mode = "head"
                if info.result is not None:
                    self.body_result(current, block, crit, fw, info.result)
                continue
            if kind is _Kind.LABEL:
                if info.label == "description":
                    if current is None or current.labelled or current.lists_started:
                        if next_index >= len(codes):
                            self.warn(
                                block.loc,
                                "a Description block follows the last criterion of the "
                                f"{fw.short_title} framework and was ignored.",
                            )
                            current, mode = None, ""
                            continue
                        current = open_block(codes[next_index], block.loc)
                        next_index += 1
                    else:
                        # Text between a heading and its "Description:" label is not the
                        # description (a stray page header, say).
                        current.description.clear()
                    current.labelled = True
                    mode = "description"
                    if info.body:
                        current.description.append(info.body)
                elif current is not None:
                    current.lists_started = True
                    mode = info.label
                    if info.body:
                        self.items(current, mode).append(info.body)
                continue
            if current is None:
                continue
            if kind is _Kind.RESULT:
                if not current.lists_started and info.result is not None:
                    crit = fw.criterion(current.code)
                    self.body_result(current, block, crit, fw, info.result)
                continue
            if mode in ("strengths", "improvements"):
                items = self.items(current, mode)
                if kind in (_Kind.BULLET, _Kind.NUMBERED):
                    items.append(info.body)
                elif items and self.continues_item(i):
                    # A bullet split by a page break: the paragraph carries on the item above.
                    items[-1] = f"{items[-1]} {block.text}"
                else:
                    mode = ""
                continue
            if mode in ("head", "description"):
                if kind in (_Kind.CAPS, _Kind.HEADING, _Kind.DATE, _Kind.ANCHOR):
                    mode = ""
                    continue
                text, value = _split_description(info, self.vocab)
                if value is not None:
                    crit = fw.criterion(current.code)
                    self.body_result(current, block, crit, fw, value)
                if text and not (mode == "head" and text.casefold() in _COLUMN_WORDS):
                    current.description.append(
                        info.body if kind in (_Kind.BULLET, _Kind.NUMBERED) else text
                    )
        out = [
            CriterionFindings(
                fw.id,
                f.code,
                _collapse(" ".join(f.description)),
                tuple(_collapse(s) for s in f.strengths),
                tuple(_collapse(s) for s in f.improvements),
            )
            for f in order
        ]
        out.sort(key=lambda f: position[f.code])
        results = {f.code: (f.result, f.result_loc) for f in order if f.result is not None}
        return out, results

    @staticmethod
    def items(block: _Findings, mode: str) -> list[str]:
        return block.strengths if mode == "strengths" else block.improvements

    def body_result(
        self, current: _Findings, block: _Block, crit: Criterion, fw: Framework, value: str
    ) -> None:
        if current.ignored:
            return
        typed = self.typed_result(block, crit, fw, value, strict=False)
        if typed is None:
            return
        if current.result is None:
            current.result, current.result_loc = typed, block.loc
        elif current.result != typed:
            self.warn(
                block.loc,
                f"{crit.code} is given the result {typed} here but {current.result} at "
                f"{current.result_loc}; the first one is used.",
            )

    def section_figures(self, start: int, end: int, fw: Framework) -> dict[str, int]:
        figures: dict[str, int] = {}
        for i in range(start, end):
            block = self.blocks[i]
            if block.kind not in (_Kind.TEXT, _Kind.SECTION, _Kind.HEADING, _Kind.CAPS):
                continue
            label, value = _split_result(block.info, self.vocab)
            percent = _percent(value) if value else None
            if percent is None:
                continue
            code = _section_code(label, fw)
            if code is None:
                continue
            figure = self.checked_figure(block, percent, f"section {code} figure")
            if figure is None:
                continue
            if code in figures and figures[code] != figure:
                self.warn(
                    block.loc,
                    f"the {fw.short_title} figure for section {code} is printed again as "
                    f"{figure}%; the first one ({figures[code]}%) is used.",
                )
                continue
            figures[code] = figure
        return figures

    def next_steps(self, foreword: tuple[int, int]) -> NextSteps:
        response: int | None = None
        implementation: int | None = None
        start = self.find(lambda b: b.text.casefold().rstrip(": ") == "next steps")
        texts: list[str] = []
        if start >= 0:
            end = self.region_end(start, frozenset({_Kind.CAPS, _Kind.SECTION, _Kind.HEADING}))
            texts = [self.blocks[i].info.body or self.blocks[i].text for i in range(start, end)]
            for sentence in _sentences(" ".join(texts)):
                folded = sentence.casefold()
                match = _WITHIN_MONTHS.search(sentence)
                if match is None:
                    continue
                months = _number(match.group(1))
                if implementation is None and "implemented" in folded:
                    implementation = months
                elif response is None and ("respon" in folded or "action plan" in folded):
                    response = months
            if response is None:
                self.warn(
                    self.blocks[start].loc,
                    "the next steps do not say within how many months the Board must respond.",
                )
        else:
            self.warn("", 'The report has no "Next steps" section; enter the deadlines by hand.')
        follow_up: str | None = None
        f_start, f_end = foreword
        sources = []
        if f_start >= 0:
            sources.append(" ".join(self.blocks[i].text for i in range(f_start + 1, f_end)))
        sources.append(" ".join(texts))
        for text in sources:
            for sentence in _sentences(text):
                folded = sentence.casefold()
                if not any(
                    w in folded for w in ("follow-up", "follow up", "take place", "re-inspect")
                ):
                    continue
                match = _FOLLOW_UP_WHEN.search(sentence)
                if match:
                    follow_up = f"{match.group(1).capitalize()} {match.group(2)}"
                    break
            if follow_up:
                break
        return NextSteps(response, implementation, follow_up)

    def national_targets(self) -> tuple[NationalTarget, ...]:
        def is_header(block: _Block) -> bool:
            cells = [c.casefold() for c in block.info.cells]
            return "target" in cells and any("average" in c for c in cells)

        head = self.find(is_header)
        if head < 0:
            self.warn("", "No national performance targets table was found in the report.")
            return ()
        blocks = self.blocks
        stop = frozenset(_Kind) - {_Kind.TEXT, _Kind.RESULT, _Kind.DATE}

        def usable(j: int) -> bool:
            return j < len(blocks) and blocks[j].kind not in stop

        def row_at(j: int) -> tuple[tuple[str, ...], int]:
            """The cells of the row starting at block j, and the index of its last block."""
            start, raw = j, blocks[j].raw
            cells = _cells(_demark(raw))
            # A row wrapped after a cell boundary comes out as several logical lines; a
            # following line that is a whole row on its own is not part of this one.
            while len(cells) < 4 and j - start < 3 and usable(j + 1):
                following = blocks[j + 1]
                if len(following.info.cells) >= 4:
                    break
                raw = f"{raw} {following.raw}"
                cells = _cells(_demark(raw))
                j += 1
            return cells, j

        i = head + 1
        # A header wrapped inside its last cell ("England & Wales average" / "2003/2004").
        while (
            usable(i)
            and len(blocks[i].info.cells) == 1
            and len(blocks[i].text) <= 30
            and "%" not in blocks[i].text
            and usable(i + 1)
            and len(row_at(i + 1)[0]) >= 4
        ):
            i += 1
        rows: list[NationalTarget] = []
        while usable(i):
            cells, last = row_at(i)
            if len(cells) < 4:
                if rows and len(cells) == 1:
                    # The last cell of the row above, wrapped onto a line of its own.
                    row = rows[-1]
                    average = f"{row.national_average} {cells[0]}"
                    rows[-1] = NationalTarget(row.measure, row.target, row.area, average)
                    i = last + 1
                    continue
                break
            rows.append(NationalTarget(" ".join(cells[:-3]), cells[-3], cells[-2], cells[-1]))
            i = last + 1
        if not rows:
            self.warn(
                self.blocks[head].loc,
                "the national performance targets table has a heading but no rows.",
            )
        return tuple(rows)


def _area_before(text: str) -> str:
    """The capitalised words just before "Probation Area" in a sentence."""
    cut = text.casefold().find("probation area")
    words = text[:cut].split()
    kept: list[str] = []
    for word in reversed(words[-4:]):
        if not word[:1].isupper() or word in ("The", "A", "An"):
            break
        kept.insert(0, word)
    return " ".join(kept) + " Probation Area" if kept else ""


def _month_year(text: str) -> tuple[int, int] | None:
    match = _DATE.fullmatch(text)
    if not match or not match.group(1):
        return None
    year = int(match.group(2))
    if not 1900 <= year <= 2999:
        return None
    return year, _MONTHS.index(match.group(1).casefold()) + 1


def _sentences(text: str) -> list[str]:
    return _SENTENCE_END.split(text)


def _number(word: str) -> int | None:
    word = word.casefold()
    if word.isdigit() and len(word) <= 3:
        return int(word)
    return _NUMBER_WORDS.get(word)


def _list_codes(codes: list[str]) -> str:
    return ", ".join(codes[:-1]) + " and " + codes[-1] if len(codes) > 1 else codes[0]


def _split_result(info: _Info, vocab: _Vocab) -> tuple[str, str | None]:
    """(label, result) of a table-like line: the last cell when it is a result."""
    cells = info.cells
    if len(cells) >= 2 and _is_result(cells[-1], vocab):
        return " ".join(cells[:-1]), cells[-1]
    split = _result_suffix(info.text, vocab)
    if split is not None:
        return split
    return info.text, None


def _split_description(info: _Info, vocab: _Vocab) -> tuple[str, str | None]:
    """A description line and the result printed after it in the thematic tables."""
    cells = info.cells
    if len(cells) >= 2 and _is_result(cells[-1], vocab):
        return " ".join(cells[:-1]), cells[-1]
    split = _result_suffix(info.text, vocab)
    # Without a cell break, only a result after the end of a sentence is taken as one.
    if split is not None and split[0].rstrip("\"'’”)").endswith((".", "!", "?")):
        return split
    return info.text, None


def _section_code(label: str, fw: Framework) -> str | None:
    folded = _norm_title(label)
    match = _SECTION_FIGURE.fullmatch(folded)
    if match:
        code = match.group(1).upper()
        return code if any(s.code == code for s in fw.sections) else None
    for section in fw.sections:
        if folded == _norm_title(section.title):
            return section.code
    return None


# --------------------------------------------------------------------------------------
# Putting it together


def _text_is(folded: str) -> Callable[[_Block], bool]:
    return lambda block: _fold(block.text) == folded


def _first_cell_is(folded: str) -> Callable[[_Block], bool]:
    return lambda block: bool(block.info.cells) and _fold(block.info.cells[0]) == folded


def _body_section(code: str) -> Callable[[_Block], bool]:
    """A "SECTION X <title>" heading; a bare "SECTION X" is a line of the contents."""
    bare = f"section {code.casefold()}"
    return lambda b: b.kind is _Kind.SECTION and b.info.code == code and _fold(b.text) != bare


def _pick_main(mains: list[Framework], blocks: list[_Block], sheet: int) -> Framework:
    """The main framework whose criteria best match the codes on the scoring sheet."""
    if len(mains) == 1:
        return mains[0]
    codes = {b.info.code for b in blocks[sheet + 1 : sheet + 80] if b.kind is _Kind.CRITERION}

    def fit(fw: Framework) -> tuple[int, int]:
        own = {c.code for c in fw.criteria}
        return len(own & codes), -len(own ^ codes)

    return max(mains, key=fit)


def _refuse_unstorable(pages: list[list[_Phys]], source: _Source) -> None:
    """Refuse a report holding a character no database can keep (a NUL, a broken character)."""
    for page in pages:
        for line in page:
            found = unstorable(line.raw)
            if found is not None:
                position, what = found
                raise ReportParseError(
                    f"{_cap(source.name)} contains {what} on {line.loc} (character "
                    f"{position}), which cannot be stored. Save the report again from the "
                    "Inspectorate's PDF, or remove the character, and import again.",
                    line.loc,
                )


def _parse(
    pages: list[list[_Phys]], source: _Source, extra_warnings: Sequence[str] = ()
) -> ParsedReport:
    _refuse_unstorable(pages, source)
    all_frameworks = list(builtin_frameworks().values())
    vocab = _vocab(all_frameworks)
    lines = _drop_page_furniture(pages, vocab)
    blocks = _join(lines, vocab)
    if not blocks:
        raise ReportParseError(
            f"{_cap(source.name)} is empty: it has no text to read. Choose the report's text "
            "or PDF file.",
            f"{source.unit} 1",
        )
    warnings: list[str] = list(extra_warnings)
    parser = _Parser(blocks, source, vocab, warnings)

    sheet = parser.find(lambda b: b.text.casefold().rstrip(": ") == "scoring summary sheet")
    if sheet < 0:
        text = " ".join(b.text for b in blocks).casefold()
        if "effective supervision inspection" not in text and "scoring summary sheet" not in text:
            read = f"{source.total} {source.unit}{'s' if source.total != 1 else ''}"
            raise ReportParseError(
                f'This does not look like an ESI inspection report: no "SCORING SUMMARY SHEET" '
                f"was found in {source.name} (read {read}). Choose the report's text or PDF "
                "file.",
                blocks[-1].loc,
            )

    mains = [fw for fw in all_frameworks if not fw.report_heading]
    thematics = [fw for fw in all_frameworks if fw.report_heading]
    if not mains:
        raise ReportParseError(
            "No main scoring framework is installed, so the report cannot be read. Reinstall "
            "ESI Desktop.",
            "",
        )

    area, title = parser.area_and_title(sheet)
    year, month = parser.publication_date(sheet)

    # Thematic parts start at their heading after the scoring sheet.
    regions: list[tuple[int, Framework]] = []
    if sheet >= 0:
        for fw in thematics:
            heading = _fold(fw.report_heading or "")
            at = parser.find(_text_is(heading), sheet + 1)
            if at >= 0:
                regions.append((at, fw))
    regions.sort(key=lambda r: r[0])
    region_starts = [r[0] for r in regions]
    anchor = parser.find(
        lambda b: b.kind is _Kind.ANCHOR, 0, region_starts[0] if region_starts else -1
    )
    if anchor < 0:
        raise parser.cut_off(
            'recommendations list ("The Probation Board should ensure that:" followed by the '
            "recommendations)"
        )
    main_recs = parser.recommendations(anchor, "", "")

    if sheet < 0:
        raise parser.cut_off('"SCORING SUMMARY SHEET"')
    main = _pick_main(mains, blocks, sheet)
    criteria, sections, overall, sheet_end = parser.scoring_sheet(sheet, main)
    frameworks: dict[str, ParsedFramework] = {
        main.id: ParsedFramework(main.id, criteria, sections, overall)
    }
    recommendations = [ParsedRecommendation(r.ref, main.id, r.text) for r in main_recs]

    # The main framework's findings run from its first section heading to the thematic part.
    body_end = region_starts[0] if region_starts else len(blocks)
    first_section = main.sections[0].code
    body_start = parser.find(_body_section(first_section), sheet_end + 1, body_end)
    if body_start < 0:
        body_start = sheet_end + 1
    findings, body_results = parser.findings(body_start, body_end, main)
    if not findings:
        raise parser.cut_off(
            f'findings for the criteria (from "SECTION {first_section}" after the scoring summary '
            "sheet)"
        )
    _report_missing_findings(parser, main, findings)
    for code, (value, loc) in body_results.items():
        published = criteria.get(code)
        if published is not None and published != value:
            parser.warn(
                loc,
                f"the findings give {code} the result {value} but the scoring summary sheet "
                f"gives {published}; the scoring summary sheet is used.",
            )

    # A thematic part the contents list but the text lacks means the text was cut short.
    for fw in thematics:
        if any(r[1] is fw for r in regions):
            continue
        heading = _fold(fw.report_heading or "")
        listed = parser.find(_first_cell_is(heading))
        if listed >= 0:
            raise parser.cut_off(
                f'"{fw.report_heading}" part, although its contents list one ({blocks[listed].loc})'
            )

    thematic_count = 0
    for n, (start, fw) in enumerate(regions):
        end = regions[n + 1][0] if n + 1 < len(regions) else len(blocks)
        fw_start = parser.find(_body_section(fw.sections[0].code), start + 1, end)
        fw_findings, fw_results = parser.findings(fw_start if fw_start >= 0 else start + 1, end, fw)
        missing = [c.code for c in fw.criteria if c.code not in fw_results]
        if missing:
            raise parser.cut_off(
                f"result for {_list_codes(missing)} in the {fw.short_title} element (which "
                f"starts {_at(blocks[start].loc)})"
            )
        _report_missing_findings(parser, fw, fw_findings)
        findings.extend(fw_findings)
        head_end = fw_start if fw_start >= 0 else end
        figures = parser.section_figures(start + 1, head_end, fw)
        for section in fw.scored_sections:
            if section.code not in figures:
                parser.warn(
                    blocks[start].loc,
                    f"the {fw.short_title} element prints no figure for section "
                    f"{section.code} ({section.title}).",
                )
        frameworks[fw.id] = ParsedFramework(
            fw.id,
            {c.code: fw_results[c.code][0] for c in fw.criteria},
            figures,
            None,
        )
        t_anchor = parser.find(lambda b: b.kind is _Kind.ANCHOR, start + 1, head_end)
        if t_anchor >= 0:
            for rec in parser.recommendations(t_anchor, fw.id, "T"):
                thematic_count += 1
                recommendations.append(ParsedRecommendation(f"T{thematic_count}", fw.id, rec.text))
        else:
            parser.warn(
                blocks[start].loc,
                f"the {fw.short_title} element has no recommendations list.",
            )

    next_steps = parser.next_steps(parser.foreword())
    targets = parser.national_targets()
    return ParsedReport(
        area=area,
        published_year=year,
        published_month=month,
        title=title,
        frameworks=frameworks,
        recommendations=tuple(recommendations),
        findings=tuple(findings),
        next_steps=next_steps,
        national_targets=targets,
        warnings=tuple(warnings),
    )


def _report_missing_findings(
    parser: _Parser, fw: Framework, findings: Sequence[CriterionFindings]
) -> None:
    seen = {f.code for f in findings}
    missing = [c.code for c in fw.criteria if c.code not in seen]
    if missing:
        parser.warn(
            "",
            f"No findings were found for {_list_codes(missing)} of the {fw.short_title} framework.",
        )
