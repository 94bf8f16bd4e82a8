"""PDF export: the sample's response document and a plan of 1,000 milestones, over a floor.

The floor is a bare reportlab script that reads the same rows from the same database and lays
them out in one plain ``Table`` (long texts wrapped in plain Paragraphs, the default Helvetica),
measured in the same run. Each case is timed several times, alternating, and the ratio of
medians is printed (goal ≤ 2×). Run: ``uv run python bench/pdf.py [--runs N]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import io  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from typing import Any  # noqa: E402
from xml.sax.saxutils import escape  # noqa: E402

TODAY = date(2005, 6, 1)
ACTIONS = 100
MILESTONES_PER_ACTION = 10


def generate_plan(inspection_id: int) -> None:
    """Responses to every recommendation, 100 actions and 1,000 milestones, in bulk."""
    from db.models import (
        Action,
        ActionCriterion,
        ActionRecommendation,
        BoardResponse,
        Milestone,
        Recommendation,
        database_proxy,
        utc_now,
    )

    now = utc_now()
    stamps = {"created_at": now, "updated_at": now, "version": 1}
    recommendations = [
        r.id
        for r in Recommendation.select()
        .where(Recommendation.inspection == inspection_id)
        .order_by(Recommendation.position)
    ]
    with database_proxy.atomic():
        BoardResponse.insert_many(
            [
                {
                    "recommendation": r,
                    "category": "Agreed",
                    "narrative": "The Board agrees. The senior management team will carry "
                    "this out through the actions below and report progress to each Board "
                    "meeting until the follow-up inspection.",
                    **stamps,
                }
                for r in recommendations
            ]
        ).execute()
        for number in range(ACTIONS):
            action = Action.create(
                inspection=inspection_id,
                text=f"Action {number + 1}: audit and improve practice in every team, with "
                "monthly sampling of cases and a report to the senior management team",
                owner=f"Assistant Chief Officer {number % 4 + 1}",
                target_date=date(2005, 6, 30) + timedelta(days=3 * number),
                position=number + 1,
            )
            ActionRecommendation.create(
                action=action, recommendation=recommendations[number % len(recommendations)]
            )
            ActionCriterion.create(action=action, framework_id="esi-core", code="B1")
            Milestone.insert_many(
                [
                    {
                        "action": action.id,
                        "title": f"Milestone {step + 1} of action {number + 1}: sample of "
                        "cases audited and findings discussed with the teams",
                        "due_date": date(2005, 3, 1) + timedelta(days=7 * step + number),
                        "status": "Complete" if step < 3 else "Not started",
                        "completed_on": date(2005, 3, 1) + timedelta(days=7 * step)
                        if step < 3
                        else None,
                        "position": step + 1,
                        **stamps,
                    }
                    for step in range(MILESTONES_PER_ACTION)
                ]
            ).execute()


FLOOR_SQL = {
    # the sample as imported: its recommendations and its scoring summary's criteria
    "sample": [
        "SELECT reference, text, '' FROM recommendation ORDER BY position",
        "SELECT code, framework_id, COALESCE(CAST(percent AS TEXT), rating) "
        "FROM criterion_result ORDER BY framework_id, code",
    ],
    # the action plan's rows: each action, then its milestones
    "plan": [
        "SELECT 'A' || a.position, a.text, a.owner, a.target_date, '', '' FROM action a "
        "UNION ALL SELECT 'A' || a.position || '.' || m.position, m.title, '', m.due_date, "
        "m.status, COALESCE(m.completed_on, '') FROM milestone m JOIN action a "
        "ON a.id = m.action_id ORDER BY 1",
    ],
}


def floor(case: str) -> bytes:
    """The bare script: read the rows, one plain Table, default styles."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from db.models import database_proxy

    rows: list[list[Any]] = []
    for sql in FLOOR_SQL[case]:
        rows += [list(r) for r in database_proxy.execute_sql(sql).fetchall()]
    normal = getSampleStyleSheet()["BodyText"]
    cells = [
        [str(r[0]), Paragraph(escape(str(r[1])), normal), *(str(v) for v in r[2:])] for r in rows
    ]
    width = len(cells[0])
    buffer = io.BytesIO()
    size = landscape(A4) if width > 3 else A4
    document = SimpleDocTemplate(buffer, pagesize=size)
    text_width = size[0] - 144 - 90 * (width - 2)
    table = Table(cells, colWidths=[40, text_width] + [90] * (width - 2), repeatRows=1)
    document.build([table])
    return buffer.getvalue()


def timed(work: Callable[[], bytes]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from pypdf import PdfReader

    from esi_desktop import database
    from esi_desktop.export import render_response
    from esi_desktop.report.importer import load_sample

    with tempfile.TemporaryDirectory(prefix="esi-bench-pdf-") as folder:
        results = []
        for case in ("sample", "plan"):
            database.connect(f"sqlite:///{Path(folder) / (case + '.sqlite3')}")
            try:
                inspection_id = load_sample().inspection_id
                if case == "plan":
                    generate_plan(inspection_id)

                def export(inspection_id: int = inspection_id) -> bytes:
                    return render_response(inspection_id=inspection_id, today=TODAY)

                def bare(case: str = case) -> bytes:
                    return floor(case)

                pages = len(PdfReader(io.BytesIO(export())).pages)  # also warms up
                floor_pages = len(PdfReader(io.BytesIO(bare())).pages)
                ours, base = [], []
                for _ in range(args.runs):
                    base.append(timed(bare))
                    ours.append(timed(export))
                results.append(
                    (case, statistics.median(ours), pages, statistics.median(base), floor_pages)
                )
            finally:
                database.disconnect()
    names = {
        "sample": "sample response (as imported)",
        "plan": f"plan of {ACTIONS * MILESTONES_PER_ACTION:,} milestones",
    }
    for case, ours_time, pages, base_time, floor_pages in results:
        print(
            f"{names[case]:<30}: export {ours_time * 1000:7.1f} ms ({pages} pages), "
            f"floor {base_time * 1000:7.1f} ms ({floor_pages} pages), "
            f"ratio {ours_time / base_time:.2f}x  (goal <= 2x); per page "
            f"{ours_time * 1000 / pages:.1f} ms against {base_time * 1000 / floor_pages:.1f} ms"
        )


if __name__ == "__main__":
    main()
