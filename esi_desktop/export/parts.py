"""Parts both documents share: numbering the plan, keeping internal notes out, score tables."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from reportlab.lib.styles import StyleSheet1
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from esi_desktop.errors import EsiError
from esi_desktop.export.fonts import BOLD
from esi_desktop.export.scripts import Paragraph
from esi_desktop.export.style import ROW_FILL
from esi_desktop.export.tables import cell, data_table
from esi_desktop.export.text import text
from esi_desktop.frameworks import Framework, get_framework
from esi_desktop.inspections import FrameworkSummary, describe_result
from esi_desktop.plan import ActionView, PlanView
from esi_desktop.rules import MilestoneStatus
from esi_desktop.scoring import FrameworkDeltas, Result, round_half_up
from esi_desktop.submission import ItemKey
from esi_desktop.wording import ACTION, MILESTONE

MINUS = "−"


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
    """ "A3" for the third action of the plan, "A3.2" for its second milestone."""
    labels: dict[ItemKey, str] = {}
    for number, action in enumerate(plan.actions.values(), start=1):
        labels[(ACTION, action.id)] = f"A{number}"
        for step, milestone in enumerate(action.milestones, start=1):
            labels[(MILESTONE, milestone.id)] = f"A{number}.{step}"
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


def has_follow_up_results(comparison: Sequence[FrameworkDeltas]) -> bool:
    """True when any criterion has a follow-up result."""
    return any(d.follow_up is not None for c in comparison for d in c.criteria.values())


def _change(framework: Framework, before: Result | None, after: Result | None) -> str:
    if before is None or after is None:
        return "—"
    if isinstance(before, int) and isinstance(after, int):
        points = after - before
    elif isinstance(before, str) and isinstance(after, str):
        steps = framework.rating_rank(before) - framework.rating_rank(after)
        if steps == 0:
            return "no change"
        word = "up" if steps > 0 else "down"
        return f"{word} {abs(steps)} step{'s' if abs(steps) != 1 else ''}"
    else:
        return "—"
    return "no change" if points == 0 else f"{'+' if points > 0 else MINUS}{abs(points)} points"


def _figure(value: Fraction | None) -> str:
    return "—" if value is None else f"{round_half_up(value)}%"


def _points(before: Fraction | None, after: Fraction | None) -> str:
    if before is None or after is None:
        return "—"
    points = round_half_up(after) - round_half_up(before)
    return "no change" if points == 0 else f"{'+' if points > 0 else MINUS}{abs(points)} points"


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
        delta = deltas.get(framework.id)
        flowables.append(Paragraph(text(framework.title), styles["H2"]))
        if follow_up:
            header = ["", "Criterion", "Baseline", "Follow-up", "Change"]
            widths = [12 * mm, width - 12 * mm - 3 * 27 * mm, 27 * mm, 27 * mm, 27 * mm]
        else:
            header = ["", "Criterion", "Weight", "Result"]
            widths = [12 * mm, width - 12 * mm - 2 * 30 * mm, 30 * mm, 30 * mm]
        rows: list[list[Any]] = [header]
        extra: list[tuple[Any, ...]] = []
        columns = len(header)
        for section in framework.sections:
            row = len(rows)
            rows.append(
                [section.code, Paragraph(text(section.title), styles["CellBold"])]
                + [""] * (columns - 2)
            )
            extra += [
                ("BACKGROUND", (0, row), (-1, row), ROW_FILL),
                ("FONT", (0, row), (0, row), BOLD, 8.5, 11),
                ("SPAN", (1, row), (-1, row)),
            ]
            for criterion in section.criteria:
                before = summary.results.get(criterion.code)
                cells: list[Any] = [
                    criterion.code,
                    cell(criterion.title, styles["Cell"], widths[1]),
                ]
                if follow_up:
                    after = delta.criteria[criterion.code].follow_up if delta else None
                    cells += [
                        describe_result(before),
                        describe_result(after),
                        _change(framework, before, after),
                    ]
                else:
                    weight = (
                        (criterion.importance or "").capitalize()
                        if criterion.is_scored
                        else ("Rating, not scored")
                    )
                    cells += [weight, describe_result(before)]
                rows.append(cells)
            if section.is_scored:
                row = len(rows)
                label = f"Score for section {section.code}"
                score = summary.scores.sections[section.code]
                if follow_up and delta is not None:
                    change = delta.sections[section.code]
                    cells = [
                        "",
                        label,
                        _figure(change.baseline),
                        _figure(change.follow_up),
                        _points(change.baseline, change.follow_up),
                    ]
                else:
                    cells = ["", label, "", describe_result(score.percent)]
                rows.append(cells)
                extra.append(("FONT", (1, row), (-1, row), BOLD, 8.5, 11))
        if framework.has_overall:
            row = len(rows)
            if follow_up and delta is not None and delta.overall is not None:
                overall = delta.overall
                cells = [
                    "",
                    framework.overall_title,
                    _figure(overall.baseline),
                    _figure(overall.follow_up),
                    _points(overall.baseline, overall.follow_up),
                ]
            else:
                cells = ["", framework.overall_title, "", describe_result(summary.scores.overall)]
            rows.append(cells)
            extra += [
                ("FONT", (1, row), (-1, row), BOLD, 9, 12),
                ("LINEABOVE", (0, row), (-1, row), 0.8, "#0B0C0C"),
            ]
        flowables.append(data_table(rows, widths, extra=extra))
    return flowables
