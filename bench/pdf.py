"""PDF export: the sample's response document and a plan of 1,000 milestones, over a floor.

The floor is a bare reportlab script with the same content and the same embedded fonts: it
reads the same rows from the same database (SQL, no application code) and lays out a summary
table of the recommendations, the scoring summary's criteria, each recommendation quoted with
its criteria and response, and the action plan on landscape pages as one table per
recommendation (its actions, each followed by its milestones), in Liberation Sans from
``resources/fonts``, embedded as the export embeds it. What the floor leaves out is the
product's own work: cover and sign-off, boxes and running headers, "Page X of Y" footers
(every page held back until the end), bookmarks, draft notices, keeping a response on one page.

Baseline and subject alternate in one process; for each case the ratio of each pair is taken
and its min and median printed with the goal (≤ 2×). Run:
``uv run python bench/pdf.py [--runs N] [--quick]``.
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


#: the floor's rows, by plain SQL on the same database
FLOOR_SQL = {
    "inspection": "SELECT area, report_title FROM inspection",
    "recommendations": (
        "SELECT r.id, r.reference, r.stem, r.text, COALESCE(b.category, ''), "
        "COALESCE(b.narrative, '') FROM recommendation r "
        "LEFT JOIN board_response b ON b.recommendation_id = r.id ORDER BY r.position"
    ),
    "criteria": "SELECT recommendation_id, code FROM recommendation_criterion ORDER BY id",
    "scores": (
        "SELECT framework_id, code, COALESCE(CAST(percent AS TEXT), rating) "
        "FROM criterion_result WHERE round = 0 ORDER BY framework_id, code"
    ),
    "actions": (
        "SELECT ar.recommendation_id, a.id, a.position, a.text, a.owner, a.target_date "
        "FROM action a JOIN action_recommendation ar ON ar.action_id = a.id "
        "ORDER BY a.position"
    ),
    "milestones": (
        "SELECT action_id, position, title, due_date, status, COALESCE(completed_on, '') "
        "FROM milestone ORDER BY action_id, position"
    ),
}

_FLOOR_FONTS = {
    "FloorSans": "LiberationSans-Regular.ttf",
    "FloorSans-Bold": "LiberationSans-Bold.ttf",
    "FloorSans-Italic": "LiberationSans-Italic.ttf",
    "FloorSans-BoldItalic": "LiberationSans-BoldItalic.ttf",
}


def _floor_fonts() -> None:
    """Liberation Sans, registered once under the floor's own names (as the export does)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from esi_desktop.resources import RESOURCES_DIR

    if "FloorSans" in pdfmetrics.getRegisteredFontNames():
        return
    for name, file_name in _FLOOR_FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(RESOURCES_DIR / "fonts" / file_name)))
    addMapping("FloorSans", 0, 0, "FloorSans")
    addMapping("FloorSans", 1, 0, "FloorSans-Bold")
    addMapping("FloorSans", 0, 1, "FloorSans-Italic")
    addMapping("FloorSans", 1, 1, "FloorSans-BoldItalic")


def floor() -> bytes:
    """The bare script: the same rows, one table per recommendation, the same fonts."""
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Table,
        TableStyle,
    )

    from db.models import database_proxy

    _floor_fonts()
    rows = {name: database_proxy.execute_sql(sql).fetchall() for name, sql in FLOOR_SQL.items()}
    # the export's sizes, margins and table font: only the look's extras are left out
    body = ParagraphStyle("FloorBody", fontName="FloorSans", fontSize=10, leading=14, spaceAfter=6)
    cell = ParagraphStyle("FloorCell", fontName="FloorSans", fontSize=8.5, leading=11)
    head = ParagraphStyle(
        "FloorHead", fontName="FloorSans-Bold", fontSize=13, leading=17, spaceBefore=12
    )
    plain = TableStyle([("FONT", (0, 0), (-1, -1), "FloorSans", 8.5)])
    criteria: dict[int, list[str]] = {}
    for recommendation_id, code in rows["criteria"]:
        criteria.setdefault(recommendation_id, []).append(code)
    actions: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows["actions"]:
        actions.setdefault(row[0], []).append(row)
    milestones: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows["milestones"]:
        milestones.setdefault(row[0], []).append(row)

    def para(value: object, style: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escape(str(value)), style)

    portrait_width = A4[0] - 47 * mm
    area, title = rows["inspection"][0]
    story: list[Any] = [
        para(f"{area}: response to the inspection report and action plan", head),
        Paragraph(f"<i>{escape(title)}</i>", body),  # the italic face, as on the cover
        PageBreak(),
        para("Summary of the response", head),
    ]
    summary = [["Ref", "Recommendation", "Response", "Actions"]] + [
        [ref, para(text[:110]), para(category or "Not yet agreed"), str(len(actions.get(i, [])))]
        for i, ref, _stem, text, category, _narrative in rows["recommendations"]
    ]
    widths = [34, portrait_width - 34 - 80 - 40, 80, 40]
    story.append(Table(summary, colWidths=widths, repeatRows=1, style=plain))
    story += [PageBreak(), para("Scoring summary", head)]
    scores = [["Framework", "Criterion", "Result"]] + [list(r) for r in rows["scores"]]
    story += [Table(scores, colWidths=[120, 60, 160], repeatRows=1, style=plain), PageBreak()]
    story.append(para("The Board's response to each recommendation", head))
    for i, ref, stem, text, category, narrative in rows["recommendations"]:
        story += [
            para(f"Recommendation {ref}", head),
            para(stem, body),
            para(text, body),
            para(", ".join(criteria.get(i, [])) or "None chosen yet.", body),
            para(category or "The Board has not yet agreed its response.", body),
            para(narrative, body),
        ]
    story += [NextPageTemplate("landscape"), PageBreak(), para("Action plan", head)]
    size = landscape(A4)
    wide = size[0] - 2 * 18 * mm
    widths = [44, wide - 44 - 3 * 90, 90, 90, 90]
    for i, ref, _stem, _text, _category, _narrative in rows["recommendations"]:
        table = [["Ref", "Action / milestone", "Owner", "Target", "Status"]]
        for _rec, action_id, position, text, owner, target in actions.get(i, []):
            table.append([f"A{position}", para(text), para(owner), str(target), ""])
            for _action, step, title, due, status, _done in milestones.get(action_id, []):
                table.append([f"A{position}.{step}", para(title), "", str(due), status])
        story += [
            para(f"Recommendation {ref}", head),
            Table(table, widths, repeatRows=1, style=plain),
        ]

    buffer = io.BytesIO()
    document = BaseDocTemplate(buffer, pagesize=A4, initialFontName="FloorSans", pageCompression=1)
    document.addPageTemplates(
        [
            PageTemplate(
                "portrait",
                [Frame(25 * mm, 24 * mm, portrait_width, A4[1] - 52 * mm)],
                pagesize=A4,
            ),
            PageTemplate(
                "landscape",
                [Frame(18 * mm, 20 * mm, wide, size[1] - 46 * mm)],
                pagesize=size,
            ),
        ]
    )
    ascii85, rl_config.useA85 = rl_config.useA85, 0  # as the export writes its streams
    try:
        document.build(story)
    finally:
        rl_config.useA85 = ascii85
    return buffer.getvalue()


def timed(work: Callable[[], bytes]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="pairs per case (at least 5)")
    parser.add_argument("--quick", action="store_true", help="2 pairs: a smoke test")
    args = parser.parse_args()
    pairs = 2 if args.quick else max(5, args.runs)

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

                export_pdf = export()  # also warms up
                pages = len(PdfReader(io.BytesIO(export_pdf)).pages)
                export_fonts = _embedded_fonts(export_pdf)
                floor_pdf = floor()
                floor_pages = len(PdfReader(io.BytesIO(floor_pdf)).pages)
                fonts = _embedded_fonts(floor_pdf)
                ours, base = [], []
                for _ in range(pairs):
                    base.append(timed(floor))
                    ours.append(timed(export))
                results.append((case, ours, pages, base, floor_pages, fonts, export_fonts))
            finally:
                database.disconnect()
    names = {
        "sample": "sample response (as imported)",
        "plan": f"plan of {ACTIONS * MILESTONES_PER_ACTION:,} milestones",
    }
    print(f"{pairs} alternating pairs (floor, export) per case; goal: export <= 2x its floor")
    for case, ours, pages, base, floor_pages, fonts, export_fonts in results:
        ratios = [o / b for o, b in zip(ours, base, strict=True)]
        print(
            f"{names[case]:<30}: export {statistics.median(ours) * 1000:7.1f} ms ({pages} pages), "
            f"floor {statistics.median(base) * 1000:7.1f} ms ({floor_pages} pages); "
            f"ratio min {min(ratios):.2f}x median {statistics.median(ratios):.2f}x (goal <= 2x)"
        )
        print(
            f"{'':<30}  fonts embedded: export {', '.join(export_fonts)}; floor {', '.join(fonts)}"
        )


def _embedded_fonts(pdf: bytes) -> list[str]:
    """The font names a PDF embeds (subset prefixes dropped), to show the floor's are ours."""
    from pypdf import PdfReader

    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            base = str(font.get_object().get("/BaseFont", ""))
            names.add(base.split("+")[-1].lstrip("/"))
    return sorted(names)


if __name__ == "__main__":
    main()
