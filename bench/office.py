"""Word and Excel export of a plan of 1,000 milestones, against the PDF export of the same plan.

The plan is built as ``bench/pdf.py`` builds it (100 actions of 10 milestones, in bulk, on the
sample inspection). Each export runs whole, from reading the database to the file's bytes:
the response as PDF (:func:`~esi_desktop.export.render_response`), as Word
(:func:`~esi_desktop.export.docx_response.response_docx`) and the plan workbook
(:func:`~esi_desktop.export.xlsx_plan.plan_xlsx`), alternating, several runs each; the medians
and their ratios to the PDF are printed. No goal is set; the figures are reported.
Run: ``uv run python bench/office.py [--runs N]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

from bench.pdf import ACTIONS, MILESTONES_PER_ACTION, TODAY, generate_plan  # noqa: E402


def timed(work: Callable[[], bytes]) -> tuple[float, int]:
    start = time.perf_counter()
    size = len(work())
    return time.perf_counter() - start, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from esi_desktop import database
    from esi_desktop.export import render_response
    from esi_desktop.export.docx_response import response_docx
    from esi_desktop.export.xlsx_plan import plan_xlsx
    from esi_desktop.report.importer import load_sample

    with tempfile.TemporaryDirectory(prefix="esi-bench-office-") as folder:
        database.connect(f"sqlite:///{Path(folder) / 'plan.sqlite3'}")
        try:
            inspection_id = load_sample().inspection_id
            generate_plan(inspection_id)
            exports: dict[str, Callable[[], bytes]] = {
                "PDF  response": lambda: render_response(inspection_id=inspection_id, today=TODAY),
                "Word response": lambda: response_docx(inspection_id=inspection_id, today=TODAY),
                "Excel plan   ": lambda: plan_xlsx(inspection_id=inspection_id, today=TODAY),
            }
            for work in exports.values():  # warm up: imports, fonts
                work()
            times: dict[str, list[float]] = {name: [] for name in exports}
            sizes: dict[str, int] = {}
            for run in range(args.runs):
                order = list(exports) if run % 2 == 0 else list(reversed(exports))
                for name in order:
                    seconds, sizes[name] = timed(exports[name])
                    times[name].append(seconds)
        finally:
            database.disconnect()
    pdf = statistics.median(times["PDF  response"])
    print(
        f"plan of {ACTIONS * MILESTONES_PER_ACTION:,} milestones, {args.runs} alternating runs, "
        "medians (no goal set; reported):"
    )
    for name, values in times.items():
        median = statistics.median(values)
        print(
            f"  {name}: {median * 1000:8.1f} ms  ({sizes[name] / 1024:7.1f} KiB)  "
            f"ratio to the PDF {median / pdf:.2f}x"
        )


if __name__ == "__main__":
    main()
