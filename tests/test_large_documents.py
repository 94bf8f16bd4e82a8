"""Size: documents for plans of hundreds of recommendations, and limits on a report's size."""

from __future__ import annotations

import io
import itertools
import tracemalloc
from datetime import date
from pathlib import Path

import peewee
import pytest
from pypdf import PdfReader

from db.models import Recommendation
from esi_desktop import plan
from esi_desktop.cli import main
from esi_desktop.errors import ReportParseError
from esi_desktop.export import render_progress, render_response
from esi_desktop.export.progress_chart import CHART_BARS_PER_PART, chart_parts
from esi_desktop.report import importer as report_import
from esi_desktop.report.decoding import MAX_PDF_REPORT_BYTES, MAX_TEXT_REPORT_BYTES
from esi_desktop.report.parse import parse_report_file
from tests.report_fixtures import REFERENCE_TEXT, line_index, many_recommendations

TODAY = date(2005, 8, 1)


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(
        " ".join((p.extract_text() or "").split()) for p in reader.pages
    )


def test_both_documents_render_for_500_recommendations(db: peewee.Database, tmp_path: Path) -> None:
    # before: the progress paper's chart grew taller than a page from about 50
    # recommendations, and reportlab raised LayoutError; the import had accepted the report
    report = tmp_path / "large.txt"
    report.write_text(many_recommendations(REFERENCE_TEXT, 500), encoding="utf-8")
    preview = report_import.preview_report(path=report)
    outcome = report_import.import_report(preview=preview)
    ids = [r.id for r in Recommendation.select().order_by(Recommendation.id)]
    assert len(ids) == 505  # and five of the thematic element
    # a cross-cutting action: each of its 51 recommendations lists the 50 others it serves
    everything = plan.add_action(
        inspection_id=outcome.inspection_id,
        recommendation_ids=ids[::10],
        text="Report progress on every recommendation to each Board meeting",
        owner="ACO Performance",
        target_date=date(2005, 12, 31),
    )
    done = plan.add_milestone(
        action_id=everything, title="First report", due_date=date(2005, 6, 30), today=TODAY
    )
    plan.update_milestone(
        milestone_id=done,
        changes={"status": "Complete", "completed_on": date(2005, 6, 28)},
        today=TODAY,
    )
    plan.add_milestone(
        action_id=everything, title="Second report", due_date=date(2005, 7, 15), today=TODAY
    )
    for number, recommendation_id in enumerate(ids[::50]):
        plan.add_action(
            inspection_id=outcome.inspection_id,
            recommendation_ids=[recommendation_id],
            text=f"Action {number}",
            owner="ACO Operations",
            target_date=date(2005, 10, 31),
        )

    pages, text = pdf_text(
        render_progress(inspection_id=outcome.inspection_id, meeting_date=TODAY, today=TODAY)
    )
    # the chart in 13 parts of 39 bars, one a page; the thematic recommendations come last
    assert "Progress by recommendation, continued: 469 to T5." in text
    assert text.count("Progress by recommendation, continued") == 12
    assert "Second report" in text  # the overdue milestone, after the chart
    assert pages > 13

    pages, text = pdf_text(render_response(inspection_id=outcome.inspection_id, today=TODAY))
    assert "the Board receives a quarterly report on recommendation 500" in text
    assert pages > 20


def test_the_chart_is_split_into_parts_that_each_fit_on_a_page() -> None:
    assert chart_parts(0) == [slice(0, 0)]
    assert chart_parts(CHART_BARS_PER_PART) == [slice(0, CHART_BARS_PER_PART)]
    assert chart_parts(41) == [slice(0, 21), slice(21, 41)]
    parts = chart_parts(505)
    assert len(parts) == 13 and parts[0].start == 0 and parts[-1].stop == 505
    assert all(p.stop - p.start <= CHART_BARS_PER_PART for p in parts)
    assert all(a.stop == b.start for a, b in itertools.pairwise(parts))


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        (
            "export.txt",
            52 * 1000 * 1000,
            'The file "export.txt" is 52 MB, and an inspection report as text is well under '
            "20 MB; check that it is the report, then choose it again.",
        ),
        (
            "scan.pdf",
            MAX_PDF_REPORT_BYTES + 1,
            'The file "scan.pdf" is 100 MB, and an inspection report as a PDF is well under '
            "100 MB; check that it is the report, then choose it again.",
        ),
    ],
)
def test_a_file_too_big_to_be_a_report_is_refused_before_it_is_read(
    tmp_path: Path, name: str, size: int, message: str
) -> None:
    # before: a 50 MB text file was read whole and took 1.08 GB of memory
    path = tmp_path / name
    with path.open("wb") as stream:  # sparse: no disk space used
        stream.write(b"%PDF-1.4\n" if name.endswith(".pdf") else b"ESI report\n")
        stream.truncate(size)
    tracemalloc.start()
    try:
        with pytest.raises(ReportParseError) as caught:
            parse_report_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value) == message
    assert peak < 1_000_000


def test_the_command_line_refuses_a_file_too_big_in_one_sentence(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as stream:
        stream.truncate(MAX_TEXT_REPORT_BYTES + 1)
    out, err = io.StringIO(), io.StringIO()
    assert main(["import", str(path), "--dry-run"], out=out, err=err) == 2
    assert err.getvalue().count("\n") == 1 and "is well under 20 MB" in err.getvalue()


def test_reading_a_long_report_takes_memory_in_proportion_to_its_size(tmp_path: Path) -> None:
    # before: a paragraph of 3 MB took about 19 times its size while being read (the list of
    # its words, made to collapse its spaces)
    lines = REFERENCE_TEXT.split("\n")
    at = line_index(lines, "Next steps")
    paragraph = ["Narrative about the area's work with offenders in the community. " * 20] * 2400
    report = tmp_path / "long.txt"
    report.write_text("\n".join(lines[:at] + paragraph + lines[at:]), encoding="utf-8")
    size = report.stat().st_size
    assert size > 3_000_000
    tracemalloc.start()
    try:
        parsed = parse_report_file(report)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert parsed.area == "Gloucestershire"
    assert peak < 8 * size, f"{peak / size:.1f} times the file's size"
