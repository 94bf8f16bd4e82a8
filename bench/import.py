"""Import speed: the reference report's text and PDF imports, each over its floor.

- text: parsing the report (and, separately, parsing + storing it in a new SQLite file) as a
  ratio over reading the file and splitting it into lines;
- PDF: parsing a PDF of the report (drawn line by line, long lines wrapped, running header
  and page footer — the same maker the tests use) as a ratio over pypdf's text extraction of
  every page alone (goal ≤ 1.5×); and the same for a PDF drawn narrower (72 characters a
  line) with words broken at line ends, which the parser joins again (hyphenation).

Every figure is the median of several runs, baseline and subject alternating in one process.
Run: ``uv run python bench/import.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from esi_desktop import database  # noqa: E402
from esi_desktop.report import importer as report_import  # noqa: E402
from esi_desktop.report.parse import parse_report_file, parse_report_pdf  # noqa: E402
from esi_desktop.resources import SAMPLE_REPORT  # noqa: E402
from tests.report_fixtures import make_pdf  # noqa: E402


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    def read_and_split() -> list[str]:
        return SAMPLE_REPORT.read_text(encoding="utf-8").splitlines()

    floor = median_seconds(read_and_split, args.runs)
    parse = median_seconds(lambda: parse_report_file(SAMPLE_REPORT), args.runs)

    with tempfile.TemporaryDirectory(prefix="esi-bench-") as folder:
        counter = iter(range(10_000))

        def parse_and_store() -> None:
            url = f"sqlite:///{Path(folder) / f'run{next(counter)}.sqlite3'}"
            database.connect(url)
            try:
                preview = report_import.preview_report(path=SAMPLE_REPORT)
                report_import.import_report(preview=preview)
            finally:
                database.disconnect()

        def open_empty() -> None:
            url = f"sqlite:///{Path(folder) / f'run{next(counter)}.sqlite3'}"
            database.connect(url)
            database.disconnect()

        store = median_seconds(parse_and_store, max(3, args.runs // 3))
        open_only = median_seconds(open_empty, max(3, args.runs // 3))

    pdf = make_pdf(SAMPLE_REPORT.read_text(encoding="utf-8"))
    from pypdf import PdfReader

    def extract_only() -> list[str]:
        return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]

    pdf_floor = median_seconds(extract_only, max(3, args.runs // 3))
    pdf_parse = median_seconds(lambda: parse_report_pdf(pdf), max(3, args.runs // 3))

    hyphenated = make_pdf(SAMPLE_REPORT.read_text(encoding="utf-8"), width=72, hyphenate=True)

    def extract_hyphenated() -> list[str]:
        return [page.extract_text() for page in PdfReader(io.BytesIO(hyphenated)).pages]

    hyphen_floor = median_seconds(extract_hyphenated, max(3, args.runs // 3))
    hyphen_parse = median_seconds(lambda: parse_report_pdf(hyphenated), max(3, args.runs // 3))

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"reference report: {SAMPLE_REPORT.stat().st_size:,} bytes; its PDF: {pages} pages")
    print(f"read + split lines (floor)     : {floor * 1000:8.2f} ms")
    print(f"parse the text                 : {parse * 1000:8.2f} ms  ratio {parse / floor:7.1f}x")
    print(
        f"parse + store in a new SQLite  : {store * 1000:8.2f} ms  "
        f"(of which creating the empty database {open_only * 1000:.2f} ms)"
    )
    print(f"pypdf text extraction (floor)  : {pdf_floor * 1000:8.2f} ms")
    print(
        f"PDF import (extract + parse)   : {pdf_parse * 1000:8.2f} ms  "
        f"ratio {pdf_parse / pdf_floor:5.2f}x  (goal <= 1.5x)"
    )
    print(f"hyphenated PDF extraction      : {hyphen_floor * 1000:8.2f} ms")
    print(
        f"hyphenated PDF import          : {hyphen_parse * 1000:8.2f} ms  "
        f"ratio {hyphen_parse / hyphen_floor:5.2f}x  (goal <= 1.5x)"
    )


if __name__ == "__main__":
    main()
