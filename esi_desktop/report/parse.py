"""Read an HM Inspectorate of Probation ESI area report into plain data: the entry points.

The Inspectorate published each Effective Supervision Inspection (ESI) report as a PDF. The
Board secretary may give us that PDF or a text export of it; both are turned into the same
list of physical lines (:mod:`~esi_desktop.report.decoding`), then into logical lines, wrapped
lines joined (:mod:`~esi_desktop.report.lexer`, :mod:`~esi_desktop.report.joining`), and the
parts the product needs are read from those by the section readers: the area and publication
month, the recommendations, the scoring summary sheet, the criterion findings, the thematic
element, next steps and the national performance targets table. This module is the top-level
flow that puts those stages together.

The parser is pure (no database, no Qt) and knows the frameworks only through
:mod:`esi_desktop.frameworks`: criterion codes, titles, result kinds, rating scales and the
heading that introduces a thematic element all come from the framework files.

Every regular expression here is anchored or free of nested quantifiers, and every loop
visits each line a bounded number of times, so parsing time grows linearly with the input.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from esi_desktop.errors import ReportParseError
from esi_desktop.frameworks import Framework, builtin_frameworks
from esi_desktop.report.back_matter import BackMatterReader
from esi_desktop.report.decoding import (
    decode_report_bytes,
    pdf_pages,
    read_report_file,
    text_pages,
)
from esi_desktop.report.findings import FindingsReader
from esi_desktop.report.front_matter import FrontMatterReader
from esi_desktop.report.joining import Block, drop_page_furniture, join_lines
from esi_desktop.report.lexer import Kind, Phys, Source, build_vocab, fold
from esi_desktop.report.messages import at_loc, cap, list_codes
from esi_desktop.report.recommendations import RecommendationsReader
from esi_desktop.report.results import (
    CriterionFindings,
    ParsedFramework,
    ParsedRecommendation,
    ParsedReport,
)
from esi_desktop.report.scores import ScoresReader
from esi_desktop.text import unstorable
from esi_desktop.wording import plural

__all__ = ["parse_report_file", "parse_report_pdf", "parse_report_text"]


def parse_report_text(text: str, *, source: str = "the report") -> ParsedReport:
    """Parse the text of an ESI report (a text export of the published PDF).

    Args:
        text: the whole report; LF or CRLF line ends, tabs or space runs between table cells.
        source: how messages name the input, e.g. 'the file "report.txt"'.

    Raises:
        ReportParseError: the text is empty, is not an ESI report, or lacks a part the
            product needs (the message names the part, where the text ends and what to do).
    """
    pages = text_pages(text)
    total = max((line.lineno for page in pages for line in page if line.raw), default=0)
    return _parse(pages, Source(source, "line", total))


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
    pages, extra = pdf_pages(data, progress=progress, source=source)
    return _parse(pages, Source(source, "page", len(pages)), extra)


def parse_report_file(
    path: Path, *, progress: Callable[[int, int], None] | None = None
) -> ParsedReport:
    """Parse a report file: a PDF (by ".pdf" name or "%PDF" content), else text.

    Raises:
        ReportParseError: the file cannot be read, is too big to be a report (more than
            :data:`~esi_desktop.report.decoding.MAX_TEXT_REPORT_BYTES` of text,
            :data:`~esi_desktop.report.decoding.MAX_PDF_REPORT_BYTES` of PDF) or is not a
            complete ESI report.
    """
    data, is_pdf = read_report_file(path)
    source = f'the file "{path.name}"'
    if is_pdf:
        return parse_report_pdf(data, progress=progress, source=source)
    text = decode_report_bytes(data)
    result = parse_report_text(text, source=source)
    if progress is not None:
        progress(1, 1)
    return result


class _Parser(
    FrontMatterReader, RecommendationsReader, ScoresReader, FindingsReader, BackMatterReader
):
    """Reads the report's parts from its logical lines, collecting warnings on the way."""


def _text_is(folded: str) -> Callable[[Block], bool]:
    return lambda block: fold(block.text) == folded


def _first_cell_is(folded: str) -> Callable[[Block], bool]:
    return lambda block: bool(block.info.cells) and fold(block.info.cells[0]) == folded


def _body_section(code: str) -> Callable[[Block], bool]:
    """A "SECTION X <title>" heading; a bare "SECTION X" is a line of the contents."""
    bare = f"section {code.casefold()}"
    return lambda b: b.kind is Kind.SECTION and b.info.code == code and fold(b.text) != bare


def _pick_main(mains: list[Framework], blocks: list[Block], sheet: int) -> Framework:
    """The main framework whose criteria best match the codes on the scoring sheet."""
    if len(mains) == 1:
        return mains[0]
    codes = {b.info.code for b in blocks[sheet + 1 : sheet + 80] if b.kind is Kind.CRITERION}

    def fit(fw: Framework) -> tuple[int, int]:
        own = {c.code for c in fw.criteria}
        return len(own & codes), -len(own ^ codes)

    return max(mains, key=fit)


def _refuse_unstorable(pages: list[list[Phys]], source: Source) -> None:
    """Refuse a report holding a character no database can keep (a NUL, a broken character)."""
    for page in pages:
        for line in page:
            found = unstorable(line.raw)
            if found is not None:
                position, what = found
                raise ReportParseError(
                    f"{cap(source.name)} contains {what} on {line.loc} (character "
                    f"{position}), which cannot be stored. Save the report again from the "
                    "Inspectorate's PDF, or remove the character, and import again.",
                    line.loc,
                )


def _parse(
    pages: list[list[Phys]], source: Source, extra_warnings: Sequence[str] = ()
) -> ParsedReport:
    _refuse_unstorable(pages, source)
    all_frameworks = list(builtin_frameworks().values())
    vocab = build_vocab(all_frameworks)
    lines = drop_page_furniture(pages, vocab)
    blocks = join_lines(lines, vocab)
    if not blocks:
        raise ReportParseError(
            f"{cap(source.name)} is empty: it has no text to read. Choose the report's text "
            "or PDF file.",
            f"{source.unit} 1",
        )
    warnings: list[str] = list(extra_warnings)
    parser = _Parser(blocks, source, vocab, warnings)

    sheet = parser.find(lambda b: b.text.casefold().rstrip(": ") == "scoring summary sheet")
    if sheet < 0:
        text = " ".join(b.text for b in blocks).casefold()
        if "effective supervision inspection" not in text and "scoring summary sheet" not in text:
            read = plural(source.total, source.unit)
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
            heading = fold(fw.report_heading or "")
            at = parser.find(_text_is(heading), sheet + 1)
            if at >= 0:
                regions.append((at, fw))
    regions.sort(key=lambda r: r[0])
    region_starts = [r[0] for r in regions]
    anchor = parser.find(
        lambda b: b.kind is Kind.ANCHOR, 0, region_starts[0] if region_starts else -1
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
    recommendations = [ParsedRecommendation(r.ref, main.id, r.text, r.stem) for r in main_recs]

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
        heading = fold(fw.report_heading or "")
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
                f"result for {list_codes(missing)} in the {fw.short_title} element (which "
                f"starts {at_loc(blocks[start].loc)})"
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
        t_anchor = parser.find(lambda b: b.kind is Kind.ANCHOR, start + 1, head_end)
        if t_anchor >= 0:
            for rec in parser.recommendations(t_anchor, fw.id, "T"):
                thematic_count += 1
                recommendations.append(
                    ParsedRecommendation(f"T{thematic_count}", fw.id, rec.text, rec.stem)
                )
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
            f"No findings were found for {list_codes(missing)} of the {fw.short_title} framework.",
        )
