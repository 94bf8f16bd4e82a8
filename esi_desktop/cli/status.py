"""``main.py status``: the dashboard read model (:mod:`esi_desktop.dashboard`) in words and as
plain data.

The data (``--json``) is a stable shape, documented in :func:`status_document` and README.md.
"""

from __future__ import annotations

from typing import Any

from esi_desktop.dashboard import Dashboard, DueItem
from esi_desktop.dashboard_clock import Deadline
from esi_desktop.inspections import NOT_SET
from esi_desktop.rated_follow_up import RatedComparison
from esi_desktop.rated_results import RatedRound
from esi_desktop.wording import MILESTONE, kind_name, long_date, plural


def _deadline_document(deadline: Deadline | None) -> dict[str, Any]:
    if deadline is None:
        return {"date": None, "days_left": None}  # not set yet: the Board agrees its date
    return {"date": deadline.due.isoformat(), "days_left": deadline.days}


def _round_document(rated: RatedRound) -> dict[str, Any] | None:
    result = rated.result
    if result is None:
        return None
    return {"score": result.score, "max": result.max, "band": result.band}


def _rated_document(comparison: RatedComparison) -> dict[str, Any]:
    return {
        "id": comparison.framework.id,
        "title": comparison.framework.title,
        "baseline": _round_document(comparison.before),
        "follow_up": _round_document(comparison.after),
        "overall_change": comparison.overall_change,
        "standards": [
            {
                "code": standard.code,
                "title": standard.title,
                "domain": standard.domain,
                "counted": standard.counted,
                "baseline": standard.before,
                "follow_up": standard.after,
                "change": standard.change,
            }
            for standard in comparison.standards
        ],
    }


def _item_document(item: DueItem) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "id": item.id,
        "reference": item.reference,
        "action_id": item.action_id,
        "text": item.text,
        "action": item.action_text,
        "owner": item.owner,
        "due": item.due.isoformat(),
        "days_overdue": item.days_overdue,
        "status": item.status,
    }


def status_document(board: Dashboard) -> dict[str, Any]:
    """The dashboard as plain data: the shape of ``main.py status --json``.

    Dates are ISO (``"2005-04-01"``); ``days_left`` is negative once a deadline has passed;
    a response deadline not set yet (none fixed, none agreed by the Board) has ``date`` and
    ``days_left`` ``null``, and ``clock.to_do`` says to set it; RAG counts are keyed by ``"Red"``,
    ``"Amber"``, ``"Green"``, ``"Blue"``; a score missing on either side is ``null``, as is its
    change. A rated inspection's ratings are under ``scores.rated``: per framework the total,
    maximum and overall rating of the inspection (``baseline``) and of the follow-up (``null``
    until complete), and per standard both ratings and the change in grades (up positive).
    """
    clock = board.clock
    follow_up = clock.follow_up
    rag = board.rag
    return {
        "inspection": {
            "id": board.inspection.id,
            "area": board.inspection.area,
            "published": board.inspection.published,
            "title": board.inspection.report_title,
        },
        "today": board.today.isoformat(),
        "clock": {
            "published": clock.published.isoformat(),
            "response_due": _deadline_document(clock.response_due),
            "response_basis": clock.response_basis,
            "to_do": list(board.to_do),
            "implementation_due": _deadline_document(clock.implementation_due),
            "follow_up": {
                "planned_date": (
                    None if follow_up.planned_date is None else follow_up.planned_date.isoformat()
                ),
                "status": follow_up.status,
                "expected": follow_up.expected or None,
                "round": follow_up.round,  # the latest round (1 until another is added)
                "kind": follow_up.kind,
            },
        },
        "board_meetings": [meeting.isoformat() for meeting in board.meetings],
        "approval_meeting": (
            None if board.approval_meeting is None else board.approval_meeting.isoformat()
        ),
        "rag": {
            "actions": {level.value: count for level, count in rag.actions.items()},
            "recommendations": {level.value: count for level, count in rag.recommendations.items()},
            "recommendation_count": rag.recommendation_count,
            "without_action": rag.without_action,
            "without_response": rag.without_response,
            "draft_responses": [
                {"reference": reference, "needs": needs} for reference, needs in rag.drafts
            ],
        },
        "overdue": [_item_document(item) for item in board.overdue],
        "due_soon_days": board.due_soon_days,
        "due_soon": [_item_document(item) for item in board.due_soon],
        "scores": {
            "has_follow_up_results": board.has_follow_up_results,
            "frameworks": [
                {
                    "id": table.framework_id,
                    "title": table.title,
                    "rows": [
                        {
                            "kind": row.kind.value,
                            "code": row.code,
                            "title": row.title,
                            "baseline": row.baseline,
                            "follow_up": row.follow_up,
                            "change": row.change,
                        }
                        for row in table.rows
                    ],
                }
                for table in board.scores
            ],
            "rated": [_rated_document(comparison) for comparison in board.rated],
        },
    }


def _deadline_text(deadline: Deadline | None, basis: str = "") -> str:
    if deadline is None:
        return f"{NOT_SET} ({basis})" if basis else NOT_SET
    return f"{long_date(deadline.due)} ({deadline.left_text})"


def _due_line(item: DueItem) -> str:
    """ "Milestone AP3.2 “Sample 40 cases” (action AP3 “Audit”), owner SPO, due 25 March 2005:
    …"."""
    reference = f" {item.reference}" if item.reference else ""
    what = f"{kind_name(item.kind)}{reference} “{item.text}”"
    if item.kind == MILESTONE:
        what += f" (action {item.action_reference} “{item.action_text}”)".replace("  ", " ")
    owner = f", owner {item.owner}" if item.owner else ""
    return f"  {what}{owner}, due {long_date(item.due)}: {item.flag}; {item.status}"


def status_text(board: Dashboard) -> str:
    """The dashboard in words, as ``main.py status`` prints it (ending in a new line)."""
    clock = board.clock
    summary = board.inspection
    follow_up = clock.follow_up.text
    if clock.follow_up.left_text:
        follow_up += f" ({clock.follow_up.left_text})"
    meetings = ", ".join(
        long_date(m) + (" (the plan must be approved here)" if m == board.approval_meeting else "")
        for m in board.meetings
    )
    lines = [
        f"{summary.label} (inspection {summary.id}), as of {long_date(board.today)}",
        "",
        "Statutory clock",
    ]
    for caption, value in (
        ("Published", clock.published_text),
        (
            "Response and action plan due",
            _deadline_text(clock.response_due, clock.response_basis),
        ),
        ("Implementation due", _deadline_text(clock.implementation_due)),
        ("Follow-up inspection", follow_up),
        ("Board meetings", meetings or "none entered"),
    ):
        lines.append(f"  {caption:<30}{value}")
    lines += [
        f"  {board.approval_text}",
        "",
        *(f"To do: {reminder}" for reminder in board.to_do),
        f"Actions by RAG: {board.rag.actions_text()}",
        board.rag.recommendations_text(),
        "",
        f"Overdue: {len(board.overdue)}",
        *(_due_line(item) for item in board.overdue),
        f"Due in the next {plural(board.due_soon_days, 'day')}: {len(board.due_soon)}",
        *(_due_line(item) for item in board.due_soon),
        "",
        "Scores: baseline and follow-up",
    ]
    if not board.has_follow_up_results:
        lines.append("  No follow-up results yet.")
    for table in board.scores:
        width = max((len(row.summary_label) for row in table.rows), default=0) + 2
        lines.append(f"  {table.title}")
        lines.append(f"    {'':<{width}}{'Baseline':>9}{'Follow-up':>11}{'Change':>10}")
        lines += [
            f"    {row.summary_label:<{width}}{row.baseline_text:>9}"
            f"{row.follow_up_text:>11}{row.change_text:>10}"
            for row in table.rows
        ]
    for comparison in board.rated:
        lines += _rated_lines(comparison)
    return "\n".join(lines) + "\n"


def _rated_lines(comparison: RatedComparison) -> list[str]:
    """A rated framework: each standard's rating at the inspection and the follow-up, the
    change in grades, then the totals and overall ratings."""
    width = max(len(f"{s.code} {s.title}") for s in comparison.standards) + 2
    # wide enough for the longest rating of either round, so no rating runs into the next
    rating = 2 + max(
        len("Inspection"),
        *(len(s.before or "") for s in comparison.standards),
        *(len(s.after or "") for s in comparison.standards),
    )
    lines = [
        f"  {comparison.framework.title}",
        f"    {'':<{width}}{'Inspection':<{rating}}{'Follow-up':<{rating}}Change",
    ]
    for standard in comparison.standards:
        label = f"{standard.code} {standard.title}"
        apart = "" if standard.counted else " (rated apart, not counted)"
        lines.append(
            f"    {label:<{width}}{standard.before or '—':<{rating}}"
            f"{standard.after or '—':<{rating}}{standard.change_words}{apart}"
        )
    for caption, rated in (("Inspection", comparison.before), ("Follow-up", comparison.after)):
        result = rated.result
        if result is not None:
            text = f"{result.score_text}, {result.overall_text}"
        elif rated.ratings:
            text = f"not complete: {rated.problem}"
        else:
            text = "no ratings yet"
        lines.append(f"    {caption + ' total and overall rating':<{width}}{text}")
    if comparison.overall_change is not None:
        lines.append(f"    {'Overall rating':<{width}}{comparison.overall_change_words}")
    return lines
