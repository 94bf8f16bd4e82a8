"""The action plan of the response document: under each recommendation, one table of its
actions, each with its milestones beneath it, on landscape pages.

Laid out by :class:`esi_desktop.export.response.ResponseRenderer`, which gives each table its
heading's title.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.styles import StyleSheet1
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table

from esi_desktop.export.flowables import Heading, gap_box
from esi_desktop.export.fonts import BOLD
from esi_desktop.export.parts import action_status
from esi_desktop.export.scripts import Paragraph
from esi_desktop.export.style import CELL_PADDING, MUTED, ROW_FILL, RULE
from esi_desktop.export.tables import cell, data_table
from esi_desktop.export.text import date_text, text
from esi_desktop.plan import ActionView, PlanView, RecommendationView
from esi_desktop.plan.submission import ItemKey
from esi_desktop.rules import ResponseCategory
from esi_desktop.wording import ACTION, MILESTONE

MILESTONE_INDENT = 10  # points: milestones sit under their action


def recommendation_plan(
    styles: StyleSheet1,
    plan: PlanView,
    labels: dict[ItemKey, str],
    recommendation: RecommendationView,
    width: float,
    *,
    title: Callable[[RecommendationView], str],
    addressee: str = "",
    standards: bool = False,
) -> list[Flowable]:
    """One recommendation's part of the action plan: its heading, text, response and table.

    Args:
        title: the recommendation's heading ("Recommendation 7 · Approved premises").
        addressee: who the recommendation is addressed to ("Management Board"); "" to leave
            it out.
        standards: the inspection is rated: its actions' last column names standards.
    """
    s = styles
    category = recommendation.category or "Not yet agreed"
    flowables: list[Flowable] = [
        Heading(
            text(title(recommendation)),
            s["H2"],
            outline=f"Recommendation {recommendation.reference}",
            key=f"plan-{recommendation.id}",
            level=1,
        ),
        Paragraph(text(recommendation.text), s["Muted"]),
    ]
    if addressee:
        flowables.append(Paragraph(f"<b>Addressed to:</b> {text(addressee)}", s["BodySmall"]))
    flowables.append(Paragraph(f"<b>Response:</b> {text(category)}", s["BodySmall"]))
    actions = [plan.actions[i] for i in recommendation.action_ids]
    if not actions:
        if recommendation.category == ResponseCategory.NOT_AGREED:
            flowables.append(
                Paragraph(
                    "No actions: the Board has not agreed this recommendation.", s["BodySmall"]
                )
            )
        else:
            flowables.append(
                gap_box(
                    s,
                    "No actions recorded yet",
                    "This recommendation has no action in the plan yet.",
                    width,
                )
            )
        return flowables
    flowables.append(
        action_table(styles, plan, labels, recommendation, actions, width, standards=standards)
    )
    return flowables


def action_table(
    styles: StyleSheet1,
    plan: PlanView,
    labels: dict[ItemKey, str],
    recommendation: RecommendationView,
    actions: list[ActionView],
    width: float,
    *,
    standards: bool = False,
) -> Table:
    """The actions of one recommendation, each with its milestones beneath it.

    Args:
        standards: the inspection is rated: the last column is headed "Standards".
    """
    s = styles
    fixed = [13 * mm, 38 * mm, 31 * mm, 40 * mm, 30 * mm, 24 * mm]
    widths = [fixed[0], width - sum(fixed), *fixed[1:]]
    rows: list[list[Any]] = [
        [
            "No.",
            "Action and its milestones",
            "Owner",
            "Target / due date",
            "Status",
            "Completed on",
            "Standards" if standards else "Criteria",
        ]
    ]
    extra: list[tuple[Any, ...]] = []
    others = {r.id: r.reference for r in plan.recommendations}
    for action in actions:
        row = len(rows)
        also = [others[i] for i in action.recommendation_ids if i != recommendation.id]
        action_text = text(action.text)
        if also:
            action_text += (
                f"<br/><font color='#505A5F'>Also serves recommendation"
                f"{'s' if len(also) > 1 else ''} {text(', '.join(also))}</font>"
            )
        done = [m.completed_on for m in action.milestones if m.completed_on is not None]
        complete = action.complete
        codes = ", ".join(code for _f, code in action.criteria) or "—"
        rows.append(
            [
                labels[(ACTION, action.id)],
                Paragraph(action_text, s["Cell"]),
                cell(action.owner, s["Cell"], widths[2]),
                date_text(action.target_date),
                Paragraph(text(action_status(action)), s["Cell"]),
                date_text(max(done)) if complete and done else "",
                Paragraph(text(codes), s["Cell"]) if len(codes) > 12 else codes,
            ]
        )
        extra += [
            ("BACKGROUND", (0, row), (-1, row), ROW_FILL),
            ("FONT", (0, row), (0, row), BOLD, 8.5, 11),
            ("FONT", (3, row), (3, row), BOLD, 8.5, 11),
        ]
        for milestone in action.milestones:
            rows.append(
                [
                    labels[(MILESTONE, milestone.id)],
                    cell(milestone.title, s["Cell"], widths[1] - MILESTONE_INDENT),
                    "",
                    date_text(milestone.due_date),
                    milestone.status,
                    date_text(milestone.completed_on),
                    "",
                ]
            )
        if action.milestones:
            steps = ((0, row + 1), (0, len(rows) - 1))
            extra.append(("TEXTCOLOR", steps[0], steps[1], MUTED))
            extra.append(
                (
                    "LEFTPADDING",
                    (1, row + 1),
                    (1, len(rows) - 1),
                    CELL_PADDING + MILESTONE_INDENT,
                )
            )
    extra.append(("LINEBELOW", (0, -1), (-1, -1), 0.8, RULE))
    return data_table(rows, widths, extra=extra)
