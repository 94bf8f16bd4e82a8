"""Import speed: the reference report's text and PDF imports, and a report of 195
recommendations stored, each over a floor measured in the same run.

- text: parsing the report as a ratio over reading the file and splitting it into lines (no
  goal is set for it: shown for trend);
- store, 195 recommendations: the reference report with its 15 recommendations printed 13
  times (new references), previewed and stored in a new, empty SQLite database (the automatic
  backup before an import included), over storing the same rows (inspection,
  recommendations, criterion results, findings) with plain ``executemany`` in one
  transaction; goal: under 0.25 s (issue 13), which needs each framework's text stemmed once;
- PDF: parsing a PDF of the report (drawn line by line, long lines wrapped, running header
  and page footer: the same maker the tests use) as a ratio over pypdf's text extraction of
  every page alone (goal ≤ 1.5×); and the same for a PDF drawn narrower (72 characters a
  line) with words broken at line ends, which the parser joins again (hyphenation).

Baseline and subject alternate, pair after pair, in one process; each ratio's min and median
over the pairs is printed with its goal. A floor too quick to time alone (reading the file:
well under a millisecond) is timed over as many calls as make it last 20 ms, and divided.
Run: ``uv run python bench/import.py [--pairs N] [--quick]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from esi_desktop import database  # noqa: E402
from esi_desktop.report import importer as report_import  # noqa: E402
from esi_desktop.report.parse import parse_report_file, parse_report_pdf  # noqa: E402
from esi_desktop.report.results import ParsedReport  # noqa: E402
from esi_desktop.resources import SAMPLE_REPORT  # noqa: E402
from tests.report_fixtures import make_pdf  # noqa: E402

STORE_GOAL_SECONDS = 0.25
COPIES = 13  # 15 recommendations x 13 = 195


def repetitions(floor: Callable[[], object], at_least: float = 0.02) -> int:
    """How many calls of the floor last ``at_least`` seconds (1 for a floor long enough)."""
    count = 1
    while True:
        start = time.perf_counter()
        for _ in range(count):
            floor()
        if time.perf_counter() - start >= at_least or count >= 100_000:
            return count
        count *= 2


def timed(work: Callable[[], object], repeat: int = 1) -> float:
    """Seconds a call of ``work`` takes, averaged over ``repeat`` calls."""
    start = time.perf_counter()
    for _ in range(repeat):
        work()
    return (time.perf_counter() - start) / repeat


def pairs(
    floor: Callable[[], object], subject: Callable[[], object], count: int, repeat: int = 1
) -> tuple[list[float], list[float]]:
    """(floor times, subject times) per call, measured alternately, floor first; the floor
    over ``repeat`` calls a time."""
    floor(), subject()  # warm up: imports, caches
    floors, subjects = [], []
    for _ in range(count):
        floors.append(timed(floor, repeat))
        subjects.append(timed(subject))
    return floors, subjects


def line(name: str, floors: list[float], subjects: list[float], goal: str) -> str:
    ratios = [s / f for f, s in zip(floors, subjects, strict=True)]
    return (
        f"{name:<31}: {statistics.median(subjects) * 1000:8.2f} ms over "
        f"{statistics.median(floors) * 1000:8.2f} ms; ratio min {min(ratios):6.2f}x "
        f"median {statistics.median(ratios):6.2f}x  ({goal})"
    )


def many_recommendations(parsed: ParsedReport, copies: int) -> ParsedReport:
    """The report with its recommendations printed ``copies`` times, with new references."""
    recommendations = tuple(
        dataclasses.replace(r, ref=r.ref if copy == 0 else f"{r.ref}.{copy}")
        for copy in range(copies)
        for r in parsed.recommendations
    )
    return dataclasses.replace(parsed, recommendations=recommendations)


def bare_store(parsed: ParsedReport) -> None:
    """The floor of storing: the same rows, plain executemany, one transaction."""
    from db.models import database_proxy

    stamp = "2005-01-01 00:00:00"
    with database_proxy.atomic():
        cursor = database_proxy.execute_sql(
            "INSERT INTO inspection (area, programme, report_title, published_year, "
            "published_month, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
            (
                parsed.area,
                "ESI",
                parsed.title,
                parsed.published_year,
                parsed.published_month,
                stamp,
                stamp,
            ),
        )
        inspection = cursor.lastrowid
        connection: Any = database_proxy.connection()
        connection.executemany(
            "INSERT INTO recommendation (inspection_id, reference, text, stem, framework_id, "
            "position, rag_override_reason, internal_note, created_at, updated_at, version) "
            "VALUES (?, ?, ?, ?, ?, ?, '', '', ?, ?, 1)",
            [
                (inspection, r.ref, r.text, r.stem, r.framework_id, n, stamp, stamp)
                for n, r in enumerate(parsed.recommendations)
            ],
        )
        connection.executemany(
            "INSERT INTO criterion_result (inspection_id, framework_id, code, round, percent, "
            "rating, created_at, updated_at, version) VALUES (?, ?, ?, 0, ?, ?, ?, ?, 1)",
            [
                (
                    inspection,
                    framework_id,
                    code,
                    value if isinstance(value, int) else None,
                    value if isinstance(value, str) else None,
                    stamp,
                    stamp,
                )
                for framework_id, framework in parsed.frameworks.items()
                for code, value in framework.criteria.items()
            ],
        )
        connection.executemany(
            "INSERT INTO finding (inspection_id, framework_id, code, kind, position, text, "
            "created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
            [
                (inspection, f.framework_id, f.code, kind, n, text, stamp, stamp)
                for f in parsed.findings
                for n, (kind, text) in enumerate(
                    [("description", f.description)]
                    + [("strength", t) for t in f.strengths]
                    + [("improvement", t) for t in f.improvements]
                )
            ],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=7, help="pairs per measure (at least 5)")
    parser.add_argument("--quick", action="store_true", help="2 pairs: a smoke test")
    args = parser.parse_args()
    count = 2 if args.quick else max(5, args.pairs)

    def read_and_split() -> list[str]:
        return SAMPLE_REPORT.read_text(encoding="utf-8").splitlines()

    repeat = repetitions(read_and_split)
    text_floor, text_parse = pairs(
        read_and_split, lambda: parse_report_file(SAMPLE_REPORT), count, repeat
    )

    parsed = parse_report_file(SAMPLE_REPORT)
    many = many_recommendations(parsed, COPIES)
    with tempfile.TemporaryDirectory(prefix="esi-bench-") as folder:
        files: Iterator[int] = iter(range(1_000_000))

        def in_new_database(work: Callable[[], object]) -> Callable[[], float]:
            """Time ``work`` alone in a new, empty database (creating it is not timed)."""

            def run() -> float:
                database.connect(f"sqlite:///{Path(folder) / f'run{next(files)}.sqlite3'}")
                try:
                    return timed(work)
                finally:
                    database.disconnect()

            return run

        def store() -> None:
            report_import.import_report(preview=report_import.preview_parsed(many))

        store_run, floor_run = in_new_database(store), in_new_database(lambda: bare_store(many))
        store_run(), floor_run()  # warm up
        store_floor, store_times = [], []
        for _ in range(count):
            store_floor.append(floor_run())
            store_times.append(store_run())

    pdf = make_pdf(SAMPLE_REPORT.read_text(encoding="utf-8"))
    from pypdf import PdfReader

    def extract(data: bytes) -> Callable[[], list[str]]:
        return lambda: [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]

    pdf_floor, pdf_parse = pairs(extract(pdf), lambda: parse_report_pdf(pdf), count)
    hyphenated = make_pdf(SAMPLE_REPORT.read_text(encoding="utf-8"), width=72, hyphenate=True)
    hyphen_floor, hyphen_parse = pairs(
        extract(hyphenated), lambda: parse_report_pdf(hyphenated), count
    )

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"reference report: {SAMPLE_REPORT.stat().st_size:,} bytes; its PDF: {pages} pages; "
        f"{count} alternating pairs (floor, subject) per measure"
    )
    print(
        line(
            "parse the text / read + split",
            text_floor,
            text_parse,
            f"no goal; the floor timed over {repeat} calls",
        )
    )
    verdict = "met" if statistics.median(store_times) < STORE_GOAL_SECONDS else "NOT met"
    print(
        line(
            f"store {len(many.recommendations)} recs / bare inserts",
            store_floor,
            store_times,
            f"goal: under {STORE_GOAL_SECONDS * 1000:.0f} ms -> {verdict}",
        )
    )
    print(line("PDF import / pypdf extraction", pdf_floor, pdf_parse, "goal <= 1.5x"))
    print(line("hyphenated PDF / extraction", hyphen_floor, hyphen_parse, "goal <= 1.5x"))


if __name__ == "__main__":
    main()
