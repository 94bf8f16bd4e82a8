"""The progress paper's account of the plan against the plan as sent: what changed since it
was sent (section 5) and the extension requests with the Board's decisions (section 6).

Laid out with no database and no GUI, from
:class:`~esi_desktop.export.progress_content.ProgressContent`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.styles import StyleSheet1
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from esi_desktop.export.flowables import Heading, spacer
from esi_desktop.export.fonts import BOLD
from esi_desktop.export.progress_content import ProgressContent
from esi_desktop.export.scripts import Paragraph
from esi_desktop.export.style import RULE
from esi_desktop.export.tables import data_table
from esi_desktop.export.text import date_text, text
from esi_desktop.plan.as_sent import RESPONSE, WITHDRAWN
from esi_desktop.wording import kind_name, long_date, plural

#: Lays out a plan item's cell: its reference, words, kind, recommendations and owner.
ItemCell = Callable[..., Paragraph]


def undecided(content: ProgressContent) -> int:
    """How many extension requests wait for the Board's decision."""
    return sum(1 for r in content.requests if r.decision is None)


def changes_section(content: ProgressContent, styles: StyleSheet1, width: float) -> list[Flowable]:
    """Section 5: every change since the plan was sent, withdrawn items included."""
    c, s = content, styles
    flowables: list[Flowable] = [
        Heading(
            "5. Changes since the plan was sent",
            s["H1"],
            outline="5. Changes since the plan was sent",
            key="changes",
        ),
    ]
    if c.sent_on is None:
        flowables.append(
            Paragraph(
                "The plan has not been marked as sent to the Inspectorate, so there is no "
                "plan as sent to compare with.",
                s["Body"],
            )
        )
        return flowables
    if c.changes is None:
        flowables.append(
            Paragraph(
                text(
                    f"The plan was marked as sent on {long_date(c.sent_on)} by an earlier "
                    "version, which kept only its dates: changes of wording cannot be listed. "
                    "Mark the plan as sent again when a revised plan goes to the Inspectorate."
                ),
                s["Body"],
            )
        )
        return flowables
    flowables.append(
        Paragraph(
            text(
                f"Against the plan sent to the Inspectorate on {long_date(c.sent_on)}: items "
                "added, withdrawn, reworded or given a new owner, responses changed, dates "
                "brought forward and items completed after their date moved later. Dates of "
                "items still to be done moved later are extension requests (section 6)."
            ),
            s["Muted"],
        )
    )
    if not c.changes:
        flowables.append(Paragraph("Nothing has changed since the plan was sent.", s["Body"]))
        return flowables
    fixed = [24 * mm, 28 * mm]
    rest = (width - sum(fixed)) / 2
    rows: list[list[Any]] = [["Item", "Change", "In the plan sent", "Now"]]
    for change in c.changes:
        if change.kind == RESPONSE:
            item = f"Recommendation <b>{text(change.reference)}</b>"
        else:
            item = f"<b>{text(change.reference)}</b><br/>{text(kind_name(change.kind))}"
        what = text(change.change)
        rows.append(
            [
                Paragraph(item, s["Cell"]),
                Paragraph(f"<b>{what}</b>" if change.change == WITHDRAWN else what, s["Cell"]),
                Paragraph(text(change.before or "—"), s["Cell"]),
                Paragraph(text(change.after or "—"), s["Cell"]),
            ]
        )
    flowables.append(data_table(rows, [*fixed, rest, rest]))
    return flowables


def extensions_section(
    content: ProgressContent, styles: StyleSheet1, width: float, item_cell: ItemCell
) -> list[Flowable]:
    """Section 6: dates slipped since the plan was sent, with the Board's decisions."""
    c, s = content, styles
    flowables: list[Flowable] = [
        Heading(
            "6. Extension requests",
            s["H1"],
            outline="6. Extension requests",
            key="extensions",
        ),
    ]
    if c.sent_on is None:
        flowables.append(
            Paragraph(
                "The plan has not been marked as sent to the Inspectorate, so there is no "
                "plan as sent to measure changes of date against.",
                s["Body"],
            )
        )
        return flowables
    waiting = undecided(c)
    flowables.append(
        Paragraph(
            text(
                f"Target and due dates now later than in the plan sent to the Inspectorate "
                f"on {long_date(c.sent_on)}. "
                + (
                    f"The Board is asked to approve or refuse {plural(waiting, 'request')} "
                    "with no decision yet."
                    if waiting
                    else "Every request has the Board’s decision."
                    if c.requests
                    else ""
                )
            ),
            s["Muted"],
        )
    )
    if not c.requests:
        flowables.append(
            Paragraph(
                "No extension request is open: no date of an item still to be done is later "
                "than in the plan sent.",
                s["Body"],
            )
        )
    else:
        fixed = [26 * mm, 29 * mm, 17 * mm, 36 * mm]
        widths = [width - sum(fixed), *fixed]
        rows: list[list[Any]] = [
            ["Item", "Date in the plan sent", "Proposed date", "Later by", "Board decision"]
        ]
        for request in c.requests:
            slip = request.slip
            decided = request.decision.words if request.decision is not None else ""
            rows.append(
                [
                    item_cell(slip.item, owner=True),
                    date_text(slip.submitted),
                    date_text(slip.item.due),
                    plural(slip.days, "day"),
                    Paragraph(text(decided), s["Cell"]),
                ]
            )
        extra = [
            ("FONT", (2, 1), (2, -1), BOLD, 8.5, 11),
            ("LINEBEFORE", (4, 0), (4, -1), 0.4, RULE),
        ]
        flowables.append(data_table(rows, widths, extra=extra, numeric=(3,)))
    if c.decisions:
        flowables += _decisions_table(c, s, width)
    return flowables


def _decisions_table(c: ProgressContent, s: StyleSheet1, width: float) -> list[Flowable]:
    """Every decision the Board has made on an extension request, for the record."""
    texts: dict[str, str] = {}
    for action in c.plan.actions.values():
        texts[action.reference] = action.text
        for milestone in action.milestones:
            texts[milestone.reference] = milestone.title
    fixed = [30 * mm, 20 * mm, 30 * mm, 26 * mm]
    rows: list[list[Any]] = [["Item", "Date asked for", "Decision", "Board meeting", "Minute"]]
    for decision in c.decisions:
        words = texts.get(decision.reference, "(no longer in the plan)")
        rows.append(
            [
                Paragraph(f"<b>{text(decision.reference)}</b>  {text(words)}", s["Cell"]),
                date_text(decision.requested),
                Paragraph(text(decision.decision), s["Cell"]),
                date_text(decision.meeting_date),
                Paragraph(text(decision.minute_reference or "—"), s["Cell"]),
            ]
        )
    return [
        spacer(4),
        Paragraph("The Board’s decisions on extension requests", s["H3"]),
        data_table(rows, [width - sum(fixed), *fixed]),
    ]
