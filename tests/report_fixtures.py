"""Helpers for the report parser tests: the reference report, variants of it, and PDFs.

Variants are made by transforming the reference text, so each test document differs from
the real report in a known way (another area, other figures, fewer recommendations, no
thematic element) and the parser cannot be tuned to one document.
"""

from __future__ import annotations

import io
import re

from esi_desktop.resources import SAMPLE_REPORT

REFERENCE_TEXT = SAMPLE_REPORT.read_text(encoding="utf-8")
REFERENCE_LINES = REFERENCE_TEXT.split("\n")

THEMATIC_HEADING = "THEMATIC ELEMENT: OFFENDER ACCOMMODATION"

# Characters the standard Helvetica font of a PDF cannot draw, and what a PDF would show.
_PDF_TRANSLITERATE = str.maketrans({"▣": "-", "•": "-", "\u00a0": " "})
_MARKUP = re.compile(r"</?(?:i|p)>")


def line_index(text_lines: list[str], prefix: str, start: int = 0) -> int:
    """Index of the first line at or after ``start`` that begins with ``prefix``."""
    for i in range(start, len(text_lines)):
        if text_lines[i].startswith(prefix):
            return i
    raise AssertionError(f"no line starts with {prefix!r}")


def rename_area(text: str, new: str, *, month_year: str = "March 2006") -> str:
    """The reference report as if written about another area and published another month."""
    old = "Gloucestershire"
    text = text.replace(
        "Report on:\nGloucestershire Probation Area", f"Report on: {new} Probation Area"
    )
    text = text.replace(old, new)
    text = text.replace("\n2005\n", f"\n{month_year.split()[1]}\n", 1)
    return text.replace("\nJanuary 2005\n", f"\n{month_year}\n", 1)


def replace_line(text: str, old: str, new: str) -> str:
    """Replace one whole line, which must occur exactly once."""
    lines = text.split("\n")
    hits = [i for i, line in enumerate(lines) if line == old]
    assert len(hits) == 1, f"{old!r} occurs {len(hits)} times"
    lines[hits[0]] = new
    return "\n".join(lines)


def set_last_cell(text: str, prefix: str, value: str) -> str:
    """Change the last tab-separated cell of the one line that starts with ``prefix``."""
    lines = text.split("\n")
    hits = [i for i, line in enumerate(lines) if line.startswith(prefix) and "\t" in line]
    assert len(hits) == 1, f"{prefix!r} starts {len(hits)} table lines"
    lines[hits[0]] = lines[hits[0]].rsplit("\t", 1)[0] + "\t" + value
    return "\n".join(lines)


def keep_recommendations(text: str, main: int, thematic: int) -> str:
    """Drop all but the first ``main`` main and ``thematic`` thematic recommendations."""
    lines = text.split("\n")
    out: list[str] = []
    main_seen = 0
    thematic_seen = 0
    in_main = in_thematic = False
    for line in lines:
        if line == "The Probation Board should ensure that:":
            in_main, in_thematic = True, False
        elif line == "The Probation Board should ensure that the area:":
            in_main, in_thematic = False, True
        elif line and not line.startswith("- "):
            in_main = in_thematic = False
        if in_main and line.startswith("- "):
            main_seen += 1
            if main_seen > main:
                continue
        if in_thematic and line.startswith("- "):
            thematic_seen += 1
            if thematic_seen > thematic:
                continue
        out.append(line)
    return "\n".join(out)


def many_recommendations(text: str, count: int) -> str:
    """The reference report with ``count`` main recommendations (at least ten), numbered on."""
    lines = text.split("\n")
    last = line_index(lines, "- 10. ")
    extra = [
        f"- {n}. the Board receives a quarterly report on recommendation {n}, so that progress "
        "against each of its milestones is known*"
        for n in range(11, count + 1)
    ]
    return "\n".join(lines[: last + 1] + extra + lines[last + 1 :])


def drop_thematic(text: str) -> str:
    """The report without its thematic element (and without its line in the contents)."""
    lines = text.split("\n")
    start = line_index(lines, THEMATIC_HEADING, line_index(lines, "SCORING SUMMARY SHEET"))
    end = line_index(lines, "THE ROLE OF HMI PROBATION", start)
    kept = lines[:start] + lines[end:]
    return "\n".join(line for line in kept if not line.startswith(THEMATIC_HEADING + "\t"))


def truncate_at(text: str, prefix: str, start_after: str | None = None) -> str:
    """The report cut off just before the first line starting with ``prefix``."""
    lines = text.split("\n")
    start = line_index(lines, start_after) if start_after else 0
    return "\n".join(lines[: line_index(lines, prefix, start)])


def _wrap(line: str, width: int, *, hyphenate: bool = False) -> list[str]:
    """Wrap at single spaces only: a run of spaces separates table cells and never wraps.

    With ``hyphenate``, as a typesetter does: a compound ("whole-service") may break after
    its hyphen, and a long word that does not fit is split with a hyphen ("accommo-" /
    "dation") when at least four letters of it fit on the line.
    """
    out: list[str] = []
    while len(line) > width:
        breaks = [
            i
            for i in range(1, len(line) - 1)
            if line[i] == " " and line[i - 1] != " " and line[i + 1] != " "
        ]
        before = [i for i in breaks if i <= width]
        cut = before[-1] if before else (breaks[0] if breaks else None)
        if hyphenate and cut is not None and cut <= width:
            split = _hyphen_split(line, cut, width)
            if split is not None:
                head, rest = split
                out.append(head)
                line = rest
                continue
        if cut is None:
            break
        out.append(line[:cut])
        line = line[cut + 1 :]
    out.append(line)
    return out


def _hyphen_split(line: str, cut: int, width: int) -> tuple[str, str] | None:
    """Break the word after the space at ``cut`` inside itself, if a typesetter would."""
    start = cut + 1
    end = start
    while end < len(line) and line[end] != " ":
        end += 1
    word = line[start:end]
    room = width - start  # characters of the word that fit, hyphen included
    if room < 5 or len(word) <= room:
        return None
    hyphen = word.rfind("-", 0, room)
    if 2 <= hyphen < len(word) - 2 and word[: hyphen + 1].replace("-", "").isalpha():
        return line[: start + hyphen + 1], line[start + hyphen + 1 :]
    if not word.isalpha() or len(word) < 9:
        return None
    keep = min(room - 1, len(word) - 4)
    if keep < 4:
        return None
    return line[: start + keep] + "-", line[start + keep :]


def pdf_lines(text: str, width: int = 95, *, hyphenate: bool = False) -> list[str]:
    """The text as a PDF would show it: no markup, tabs as spaces, long lines wrapped
    (with ``hyphenate``, words broken at line ends as a typesetter breaks them)."""
    out: list[str] = []
    for line in text.split("\n"):
        line = _MARKUP.sub("", line).replace("*", "").translate(_PDF_TRANSLITERATE)
        line = line.replace("\t", "    ").rstrip()
        out.extend(_wrap(line, width, hyphenate=hyphenate) if line else [""])
    return out


def make_pdf(
    text: str,
    *,
    width: int = 95,
    lines_per_page: int = 50,
    header: str = "Effective Supervision Inspection - Report on the probation area",
    hyphenate: bool = False,
) -> bytes:
    """Draw the report line by line, with a running header and a "Page N" footer.

    With ``hyphenate``, long lines break inside words as a typesetter breaks them.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    lines = pdf_lines(text, width, hyphenate=hyphenate)
    pages = [lines[i : i + lines_per_page] for i in range(0, len(lines), lines_per_page)]
    for number, page in enumerate(pages, start=1):
        pdf.setFont("Helvetica", 7)
        pdf.drawString(40, 810, header)
        y = 790
        for line in page:
            if line:
                pdf.drawString(40, y, line)
            y -= 14
        pdf.drawString(280, 25, f"Page {number}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def blank_pdf(pages: int = 2) -> bytes:
    """A PDF whose pages have no text at all, like a scanned report."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for _ in range(pages):
        pdf.rect(50, 50, 400, 600, fill=1)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
