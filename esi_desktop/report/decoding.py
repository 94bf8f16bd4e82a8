"""Reading the input: a report's bytes, text or PDF, into pages of physical lines.

:func:`decode_report_bytes` decodes a text report and refuses binary data;
:func:`text_pages` and :func:`pdf_pages` split a text or a PDF into pages of
:class:`~esi_desktop.report.lexer.Phys` lines; :func:`read_report_file` reads a file, refusing
one too big to be a report. The entry points that parse are in :mod:`esi_desktop.report.parse`.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import logging
import os
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from esi_desktop.errors import ReportParseError
from esi_desktop.report.lexer import Phys, normalise_line
from esi_desktop.report.messages import cap


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


def text_pages(text: str) -> list[list[Phys]]:
    """The physical lines of a text report, split into pages at its form feeds."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages: list[list[Phys]] = [[]]
    for lineno, line in enumerate(text.split("\n"), start=1):
        # A form feed in a text export marks a page break; use it to spot page furniture.
        pieces = line.split("\f")
        for n, piece in enumerate(pieces):
            if n:
                pages.append([])
            pages[-1].append(Phys(normalise_line(piece), lineno, f"line {lineno}"))
    return pages


def pdf_pages(
    data: bytes,
    *,
    progress: Callable[[int, int], None] | None,
    source: str,
) -> tuple[list[list[Phys]], list[str]]:
    """The physical lines of a PDF report, page by page, and a warning per unreadable page.

    Raises:
        ReportParseError: the PDF cannot be read, is password-protected or has no text layer
            (a scanned report).
    """
    # Imported here so that importing this module stays cheap for the rest of the app.
    from pypdf import PdfReader

    # pypdf tells of a damaged file through logging and warnings, which would reach the
    # person before (or instead of) our one sentence; it is quiet while we read
    with _quiet_pypdf():
        return _pdf_pages(PdfReader, data, progress=progress, source=source)


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


def _pdf_pages(
    reader_class: Any,
    data: bytes,
    *,
    progress: Callable[[int, int], None] | None,
    source: str,
) -> tuple[list[list[Phys]], list[str]]:
    """The body of :func:`pdf_pages`, with pypdf quiet."""
    try:
        reader = reader_class(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReportParseError(
                f"{cap(source)} is a password-protected PDF. Save an unprotected copy of the "
                "report and choose that file.",
                "page 1",
            )
        page_count = len(reader.pages)
    except ReportParseError:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on damaged files
        raise ReportParseError(
            f"{cap(source)} could not be read as a PDF ({exc}). Check that the file is the "
            "inspection report and is not damaged, or choose the report's text export.",
            "page 1",
        ) from None
    if page_count == 0:
        raise ReportParseError(
            f"{cap(source)} is a PDF with no pages. Choose the report's text or PDF file.",
            "page 1",
        )
    pages: list[list[Phys]] = []
    unreadable: list[int] = []
    lineno = 0
    for number in range(1, page_count + 1):
        try:
            page_text = reader.pages[number - 1].extract_text() or ""
        except Exception:  # one damaged page should not lose the rest of the report
            page_text = ""
            unreadable.append(number)
        lines: list[Phys] = []
        for line in page_text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            lineno += 1
            lines.append(Phys(normalise_line(line), lineno, f"page {number}"))
        # The empty line that ends a page's text is no paragraph break: a paragraph may run
        # on to the next page (the joining decides by the words either side of the break).
        while lines and not lines[-1].raw:
            lines.pop()
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
    return pages, extra


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


def read_report_file(path: Path) -> tuple[bytes, bool]:
    """A report file's bytes, and whether it is a PDF (by ".pdf" name or "%PDF" content).

    Raises:
        ReportParseError: the file cannot be read or is too big to be a report (more than
            :data:`MAX_TEXT_REPORT_BYTES` of text, :data:`MAX_PDF_REPORT_BYTES` of PDF).
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
    return data, is_pdf


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
