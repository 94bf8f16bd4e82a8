"""Parts both documents share: numbering the plan, keeping internal notes out, score tables.

The score tables print the baseline alone, or once there are follow-up results the comparison
as :mod:`esi_desktop.comparison` lays it out (the same rows as the follow-up grid), in the
PDFs' own words ("+24 points", "up 2 steps", "no change").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from reportlab.lib.styles import StyleSheet1
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from esi_desktop.comparison import RowKind, comparison_rows, has_follow_up_results
from esi_desktop.errors import EsiError
from esi_desktop.export.fonts import BOLD
from esi_desktop.export.scripts import Paragraph
from esi_desktop.export.style import ROW_FILL
from esi_desktop.export.tables import cell, data_table
from esi_desktop.export.text import text
from esi_desktop.frameworks import get_framework
from esi_desktop.inspections import FrameworkSummary
from esi_desktop.plan import ActionView, PlanView
from esi_desktop.plan.submission import ItemKey
from esi_desktop.rules import MilestoneStatus
from esi_desktop.scoring import FrameworkDeltas, compare, describe_result
from esi_desktop.wording import ACTION, MILESTONE


def public_plan(plan: PlanView) -> PlanView:
    """The plan without its internal notes: what may leave the building."""
    return dataclasses.replace(
        plan,
        recommendations=tuple(
            dataclasses.replace(r, internal_note="") for r in plan.recommendations
        ),
        actions={i: dataclasses.replace(a, internal_note="") for i, a in plan.actions.items()},
    )


def item_labels(plan: PlanView) -> dict[ItemKey, str]:
    """ "AP3" for the action numbered 3, "AP3.2" for its milestone numbered 2.

    The stored references, given once and never renumbered: deleting an action does not
    change what the others are called in the next paper.
    """
    labels: dict[ItemKey, str] = {}
    for action in plan.actions.values():
        labels[(ACTION, action.id)] = action.reference
        for milestone in action.milestones:
            labels[(MILESTONE, milestone.id)] = milestone.reference
    return labels


def action_status(action: ActionView) -> str:
    """An action's status in words, from its milestones."""
    if not action.milestones:
        return "No milestones yet"
    statuses = [m.status for m in action.milestones]
    done = statuses.count(MilestoneStatus.COMPLETE)
    if done == len(statuses):
        return "Complete"
    if done == 0 and all(s == MilestoneStatus.NOT_STARTED for s in statuses):
        return "Not started"
    return f"In progress ({done} of {len(statuses)} milestones complete)"


def criterion_title(framework_id: str, code: str) -> str:
    """ "B1 Assessment of risk of harm", or the bare code if the framework does not know it."""
    try:
        framework = get_framework(framework_id)
    except EsiError:  # an unknown framework must not stop a document
        return code
    if framework.has_criterion(code):
        return f"{code} {framework.criterion(code).title}"
    return code


def _section_row(styles: StyleSheet1, code: str, title: str, columns: int) -> list[Any]:
    """A section's heading row: its code, and its title across the other columns."""
    return [code, Paragraph(text(title), styles["CellBold"])] + [""] * (columns - 2)


def _section_style(row: int) -> list[tuple[Any, ...]]:
    return [
        ("BACKGROUND", (0, row), (-1, row), ROW_FILL),
        ("FONT", (0, row), (0, row), BOLD, 8.5, 11),
        ("SPAN", (1, row), (-1, row)),
    ]


def _overall_style(row: int) -> list[tuple[Any, ...]]:
    return [
        ("FONT", (1, row), (-1, row), BOLD, 9, 12),
        ("LINEABOVE", (0, row), (-1, row), 0.8, "#0B0C0C"),
    ]


def _baseline_table(styles: StyleSheet1, summary: FrameworkSummary, width: float) -> list[Flowable]:
    """One framework's baseline: each criterion's weight and result, the computed scores."""
    framework = summary.framework
    widths = [12 * mm, width - 12 * mm - 2 * 30 * mm, 30 * mm, 30 * mm]
    rows: list[list[Any]] = [["", "Criterion", "Weight", "Result"]]
    extra: list[tuple[Any, ...]] = []
    for section in framework.sections:
        extra += _section_style(len(rows))
        rows.append(_section_row(styles, section.code, section.title, len(widths)))
        for criterion in section.criteria:
            weight = (
                (criterion.importance or "").capitalize()
                if criterion.is_scored
                else ("Rating, not scored")
            )
            rows.append(
                [
                    criterion.code,
                    cell(criterion.title, styles["Cell"], widths[1]),
                    weight,
                    describe_result(summary.results.get(criterion.code)),
                ]
            )
        if section.is_scored:
            extra.append(("FONT", (1, len(rows)), (-1, len(rows)), BOLD, 8.5, 11))
            score = summary.scores.sections[section.code]
            rows.append(
                ["", f"Score for section {section.code}", "", describe_result(score.percent)]
            )
    if framework.has_overall:
        extra += _overall_style(len(rows))
        rows.append(["", framework.overall_title, "", describe_result(summary.scores.overall)])
    return [
        Paragraph(text(framework.title), styles["H2"]),
        data_table(rows, widths, extra=extra),
    ]


def _comparison_table(styles: StyleSheet1, deltas: FrameworkDeltas, width: float) -> list[Flowable]:
    """One framework's baseline against follow-up, row by row as
    :func:`~esi_desktop.comparison.comparison_rows` lays it out, in the PDFs' words."""
    widths = [12 * mm, width - 12 * mm - 3 * 27 * mm, 27 * mm, 27 * mm, 27 * mm]
    rows: list[list[Any]] = [["", "Criterion", "Baseline", "Follow-up", "Change"]]
    extra: list[tuple[Any, ...]] = []
    flowables: list[Flowable] = []
    for row in comparison_rows(deltas):
        at = len(rows)
        if row.kind is RowKind.FRAMEWORK:
            flowables.append(Paragraph(text(row.title), styles["H2"]))
        elif row.kind is RowKind.SECTION:
            rows.append(_section_row(styles, row.code, row.title, len(widths)))
            extra += _section_style(at)
        elif row.kind is RowKind.CRITERION:
            rows.append(
                [
                    row.code,
                    cell(row.title, styles["Cell"], widths[1]),
                    row.baseline_text,
                    row.follow_up_text,
                    row.change_in_words,
                ]
            )
        elif row.kind is RowKind.SCORE:
            rows.append(["", row.label, row.baseline_text, row.follow_up_text, row.change_in_words])
            extra.append(("FONT", (1, at), (-1, at), BOLD, 8.5, 11))
        else:  # the overall score
            rows.append(["", row.title, row.baseline_text, row.follow_up_text, row.change_in_words])
            extra += _overall_style(at)
    flowables.append(data_table(rows, widths, extra=extra))
    return flowables


def scoring_tables(
    styles: StyleSheet1,
    summaries: Sequence[FrameworkSummary],
    comparison: Sequence[FrameworkDeltas] | None,
    width: float,
) -> list[Flowable]:
    """The scoring summary of each framework: baseline, and follow-up once there are results.

    Args:
        comparison: baseline against follow-up; columns for it appear only when it holds
            follow-up results.
    """
    deltas = {c.framework_id: c for c in comparison or ()}
    follow_up = comparison is not None and has_follow_up_results(comparison)
    flowables: list[Flowable] = []
    for summary in summaries:
        framework = summary.framework
        if follow_up:
            # a framework without follow-up figures compares its baseline with nothing
            delta = deltas.get(framework.id) or compare(framework, summary.results, {})
            flowables += _comparison_table(styles, delta, width)
        else:
            flowables += _baseline_table(styles, summary, width)
    return flowables
