"""A report read from its PDF is the report read from its text: every part, at any layout.

The reference report is drawn as a PDF at several line widths and page lengths, with words
broken at line ends as a typesetter breaks them, and the WHOLE parsed structure is compared
with the text import's. What the parser could only guess is a warning naming the page.
"""

from __future__ import annotations

import dataclasses

import pytest

from esi_desktop.report.parse import parse_report_pdf, parse_report_text
from esi_desktop.report.results import ParsedReport
from tests.report_fixtures import REFERENCE_TEXT, make_pdf, pdf_lines

MAIN_STEM = "The Probation Board should ensure that:"
THEMATIC_STEM = "The Probation Board should ensure that the area:"

# (line width in characters, lines per page): narrow and wide columns, short and long pages,
# so that page breaks fall inside bullets, table rows and headings at different places.
LAYOUTS = [(60, 30), (60, 50), (72, 37), (72, 61), (80, 30), (95, 50), (110, 45)]


@pytest.fixture(scope="module")
def reference() -> ParsedReport:
    return parse_report_text(REFERENCE_TEXT)


def _without_warnings(report: ParsedReport) -> ParsedReport:
    return dataclasses.replace(report, warnings=())


def _is_page_break_guess(warning: str) -> bool:
    return warning.startswith("Page ") and "page break" in warning


@pytest.mark.parametrize(("width", "lines_per_page"), LAYOUTS, ids=lambda v: str(v))
def test_pdf_at_any_layout_reads_the_whole_report_as_the_text(
    width: int, lines_per_page: int, reference: ParsedReport
) -> None:
    pdf = make_pdf(REFERENCE_TEXT, width=width, lines_per_page=lines_per_page, hyphenate=True)
    report = parse_report_pdf(pdf)
    # every recommendation (with its stem), criterion result, finding bullet, national
    # target row, next step, the area, title and month
    assert _without_warnings(report) == _without_warnings(reference)
    # the only warnings are the joins across a page break the parser had to guess
    assert [w for w in report.warnings if not _is_page_break_guess(w)] == []


def test_the_symptoms_of_the_issue_are_gone(reference: ParsedReport) -> None:
    # width 60, 50 lines a page: A5's bullet runs from page 18 to 19, the national targets'
    # header wraps its last cell, and "whole-service" and "Sub-Group" break at their hyphen
    lines = pdf_lines(REFERENCE_TEXT, 60, hyphenate=True)
    assert any(line.endswith("whole-") for line in lines)
    report = parse_report_pdf(make_pdf(REFERENCE_TEXT, width=60, hyphenate=True))
    core = {f.code: f for f in report.findings if f.framework_id == "esi-core"}
    assert core["A5"].improvements == reference.findings[4].improvements
    text = " ".join(s for f in report.findings for s in (*f.strengths, *f.improvements))
    assert "whole-service data" in text and "Public Confidence Sub-Group" in text
    assert "whole- service" not in text and "Sub- Group" not in text
    assert len(report.national_targets) == 14
    assert report.national_targets[-1].measure.startswith("Two year reconviction rate")
    assert report.national_targets[0].measure == (
        "Proportion of magistrates' courts PSRs prepared in 15 working days"
    )


@pytest.mark.parametrize("width", [60, 72, 95])
def test_hyphenated_text_export_reads_as_the_text(width: int, reference: ParsedReport) -> None:
    # copying the text out of a PDF viewer: lines wrapped, words broken at line ends
    text = "\n".join(pdf_lines(REFERENCE_TEXT, width, hyphenate=True))
    report = parse_report_text(text)
    assert report.recommendations == reference.recommendations
    assert report.findings == reference.findings
    assert report.frameworks == reference.frameworks


@pytest.mark.parametrize(
    ("first", "second", "joined"),
    [
        ("did not produce actual whole-", "service figures.", "actual whole-service figures"),
        ("chaired the Confidence Sub-", "Group meeting.", "the Confidence Sub-Group meeting"),
        ("provision of accommo-", "dation for offenders.", "provision of accommodation for"),
        ("the manage-", "ment of risk of harm.", "the management of risk"),
        ("a well-", "established team.", "a well-established team"),
        # a soft hyphen, as some PDFs mark a discretionary break
        ("provision of accommo\u00ad", "dation for offenders.", "provision of accommodation for"),
    ],
)
def test_a_line_end_hyphen_is_kept_in_a_compound_and_dropped_in_a_split_word(
    first: str, second: str, joined: str
) -> None:
    # "accommodation", "management", "well" and "established" are words of the report;
    # "accommo", "dation" and "ment" are not
    marker = "- The CO had prioritised work with the Local Criminal Justice Board"
    line = next(line for line in REFERENCE_TEXT.split("\n") if line.startswith(marker))
    text = REFERENCE_TEXT.replace(line, f"{line}\n- {first}\n{second}", 1)
    report = parse_report_text(text)
    bullets = [s for f in report.findings for s in (*f.strengths, *f.improvements)]
    assert any(joined in bullet for bullet in bullets), [b for b in bullets if first[:8] in b]


def test_a_bullet_joined_across_a_page_break_by_guess_is_warned() -> None:
    # at width 80, 30 lines a page, a B1 bullet of the thematic part ends a sentence at the
    # foot of page 48 and carries on at the top of page 49: joined, and said so
    report = parse_report_pdf(make_pdf(REFERENCE_TEXT, width=80, lines_per_page=30))
    guesses = [w for w in report.warnings if _is_page_break_guess(w)]
    assert any(w.startswith("Page 49:") and "A basic housing assessment" in w for w in guesses)


def test_recommendations_keep_their_stem(reference: ParsedReport) -> None:
    stems = {r.ref: r.stem for r in reference.recommendations}
    assert stems["1"] == stems["10"] == MAIN_STEM
    assert stems["T1"] == stems["T5"] == THEMATIC_STEM


def test_a_criterion_code_not_in_the_framework_is_warned_where_found() -> None:
    text = REFERENCE_TEXT.replace(
        "C2 Delivering appropriate supervision", "C9 Delivering appropriate supervision", 1
    )
    report = parse_report_text(text)
    assert any(
        w.startswith("Line ") and "C9 is not a criterion of the" in w for w in report.warnings
    ), report.warnings


@pytest.mark.parametrize(
    "row", ["Accredited programme completions", "Enforcement", "Two year reconviction rate"]
)
def test_a_table_row_split_by_a_page_break_is_one_row(row: str, reference: ParsedReport) -> None:
    # blank lines before the table put the page break just after the row's first line, so
    # the running header and the page number fall inside the row
    width, lines_per_page = 80, 40
    lines = pdf_lines(REFERENCE_TEXT, width)
    first = next(i for i, line in enumerate(lines) if line.startswith(row))
    assert not lines[first].endswith("%")  # the row is wrapped: its figures are below
    padding = (lines_per_page - 1 - first) % lines_per_page
    text_lines = REFERENCE_TEXT.split("\n")
    header = next(i for i, line in enumerate(text_lines) if line.startswith("\tTarget\t"))
    padded = "\n".join(text_lines[:header] + [""] * padding + text_lines[header:])
    report = parse_report_pdf(make_pdf(padded, width=width, lines_per_page=lines_per_page))
    assert report.national_targets == reference.national_targets
    assert report.warnings == ()
