"""The "Board progress paper" for a Board meeting: RAG summary, progress chart, items completed,
overdue items, changes since the plan was sent, extension requests with the Board's decisions
(:mod:`esi_desktop.export.progress_changes`), and the follow-up inspection.

:func:`~esi_desktop.export.progress_content.progress_content` reads the database (on the
caller's thread); :class:`ProgressRenderer` lays the paper out with no database and no GUI,
its chart from :mod:`esi_desktop.export.progress_chart`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, NextPageTemplate

from esi_desktop.dashboard import DueItem
from esi_desktop.export.flowables import Heading, spacer
from esi_desktop.export.fonts import BOLD
from esi_desktop.export.page import PORTRAIT, DocumentRenderer, Metadata
from esi_desktop.export.parts import item_labels, scoring_tables
from esi_desktop.export.progress_changes import changes_section, extensions_section, undecided
from esi_desktop.export.progress_chart import (
    CHART_TABLE_INTRO,
    chart_parts,
    progress_chart,
    progress_table,
)
from esi_desktop.export.progress_content import ProgressContent, progress_content
from esi_desktop.export.rated_content import addressed_to
from esi_desktop.export.rated_tables import RATINGS_INTRO, ratings_tables
from esi_desktop.export.scripts import Paragraph
from esi_desktop.export.style import INK, RAG_WORDS
from esi_desktop.export.tables import data_table, facts_table, rag_cell_commands
from esi_desktop.export.text import date_text, text
from esi_desktop.plan.items import PlanItem
from esi_desktop.rules import FollowUpStatus, Rag
from esi_desktop.scoring import percent_text, round_half_up
from esi_desktop.wording import ACTION, kind_name, long_date, plural, shorten

DOCUMENT_TITLE = "Board progress paper"
#: Why the Board is asked to agree its response date (a framework that fixes none).
NONE_SET = "(none is set yet)"


class ProgressRenderer(DocumentRenderer):
    """Lays out a Board progress paper, portrait A4."""

    document_title = DOCUMENT_TITLE

    def __init__(
        self, content: ProgressContent, *, on_page: Callable[[int], None] | None = None
    ) -> None:
        super().__init__(on_page=on_page)
        self.content = content
        self.labels = item_labels(content.plan)
        self.references = {r.id: r.reference for r in content.plan.recommendations}

    def metadata(self) -> Metadata:
        c = self.content
        return Metadata(
            title=f"{DOCUMENT_TITLE}: {c.board}, Board meeting of {long_date(c.meeting_date)}",
            author=c.board,
            subject=(
                "Progress on the action plan responding to HM Inspectorate of Probation’s "
                f"report “{c.report_title}” ({c.published_label})"
            ),
            keywords=("HM Inspectorate of Probation", "action plan", "Board paper", c.area),
        )

    def running_header(self) -> tuple[str, str]:
        c = self.content
        return c.board, f"{DOCUMENT_TITLE} · Board meeting of {long_date(c.meeting_date)}"

    def footer_note(self) -> str:
        return f"Position as at {long_date(self.content.as_at)}"

    def story(self) -> list[Flowable]:
        return [
            NextPageTemplate(PORTRAIT),
            *self.opening(),
            *self.summary(),
            *self.chart_section(),
            *self.completed_section(),
            *self.overdue_section(),
            *changes_section(self.content, self.styles, self.frame_width),
            *extensions_section(self.content, self.styles, self.frame_width, self._item_cell),
            *self.follow_up_section(),
        ]

    # the opening ------------------------------------------------------------------------------

    def opening(self) -> list[Flowable]:
        """Title, key facts and what the Board is asked to do."""
        c, s = self.content, self.styles
        follow_up = c.follow_up.status
        if c.follow_up.planned_date is not None:
            follow_up += f", {long_date(c.follow_up.planned_date)}"
        facts = [
            ("Board meeting", text(long_date(c.meeting_date))),
            ("Position as at", text(long_date(c.as_at))),
            ("Period covered", text(f"Since {c.period.description}")),
            (
                "Plan sent to the Inspectorate",
                text(long_date(c.sent_on)) if c.sent_on else "Not yet marked as sent",
            ),
            ("Follow-up inspection", text(follow_up)),
        ]
        asks = ["note the progress on the action plan (sections 1 to 3)"]
        if c.plan.clock.response_due is None and c.sent_on is None:  # no deadline is fixed
            asks.insert(0, f"agree the date it sends its response to the Inspectorate {NONE_SET}")
        if c.overdue:
            asks.append(f"note the {plural(len(c.overdue), 'overdue item')} (section 4)")
        if c.changes:
            asks.append(
                f"note the {plural(len(c.changes), 'change')} to the plan since it was sent "
                "(section 5)"
            )
        if undecided(c):
            asks.append(f"decide the {plural(undecided(c), 'extension request')} (section 6)")
        return [
            Heading(
                text(f"{c.board.upper()} · BOARD MEETING OF {long_date(c.meeting_date).upper()}"),
                s["Kicker"],
                outline="Summary",
                key="opening",
            ),
            Paragraph(DOCUMENT_TITLE, s["Title"]),
            Paragraph(
                "Progress on the action plan responding to HM Inspectorate of Probation’s "
                f"{text(c.published_label)} report on {text(c.area)}.",
                s["Subtitle"],
            ),
            facts_table(s, facts, [52 * mm, self.frame_width - 52 * mm]),
            spacer(6),
            Paragraph("The Board is asked to", s["H3"]),
            *[Paragraph(text(ask), s["Body"], bulletText="•") for ask in asks],
            spacer(4),
        ]

    # 1. the RAG summary -----------------------------------------------------------------------

    def summary(self) -> list[Flowable]:
        """Counts by RAG, then one line per recommendation."""
        c, s = self.content, self.styles
        plan = c.plan
        flowables: list[Flowable] = [
            Heading(
                "1. Where the plan stands", s["H1"], outline="1. Where the plan stands", key="rag"
            ),
            Paragraph(
                "Red: a milestone is overdue, or the action is under half done and past its "
                "target date. Amber: a milestone is due within 14 days, or the owner reports "
                "the action at risk. Green: on track. Complete: every milestone done.",
                s["Muted"],
            ),
        ]
        recommendation_rags = Counter(r.rag for r in plan.recommendations)
        action_rags = Counter(a.rag for a in plan.actions.values())
        complete = action_rags[Rag.BLUE]
        live = len(plan.actions) - complete
        flowables.append(
            Paragraph(
                f"{plural(live, 'action')} {'is' if live == 1 else 'are'} live and "
                f"{complete} {'is' if complete == 1 else 'are'} complete, across "
                f"{plural(len(plan.recommendations), 'recommendation')}.",
                s["Body"],
            )
        )
        rows: list[list[Any]] = [["Status", "Recommendations", "Actions"]]
        extra: list[tuple[Any, ...]] = []
        for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE):
            row = len(rows)
            rows.append([RAG_WORDS[rag], str(recommendation_rags[rag]), str(action_rags[rag])])
            extra += rag_cell_commands(0, row, rag)
        rows.append(["No actions yet", str(recommendation_rags[None]), "—"])
        rows.append(["Total", str(len(plan.recommendations)), str(len(plan.actions))])
        extra += [
            ("FONT", (0, -1), (-1, -1), BOLD, 8.5, 11),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
        ]
        flowables.append(data_table(rows, [40 * mm, 32 * mm, 32 * mm], extra=extra, numeric=(1, 2)))
        flowables.append(spacer(5))

        width = self.frame_width
        widths = [
            11 * mm,
            width - 11 * mm - 27 * mm - 17 * mm - 24 * mm - 30 * mm,
            27 * mm,
            17 * mm,
            24 * mm,
            30 * mm,
        ]
        rows = [["Ref", "Recommendation", "Response", "Progress", "RAG", "Self-assessment"]]
        extra = []
        overrides: list[str] = []
        for recommendation in plan.recommendations:
            row = len(rows)
            shown = recommendation.rag
            word = RAG_WORDS[shown] if shown else "No actions"
            if recommendation.rag_override is not None:
                word += " *"
                overrides.append(
                    f"Recommendation {recommendation.reference}: set to "
                    f"{RAG_WORDS[recommendation.rag_override]} by hand — "
                    f"{recommendation.rag_override_reason}"
                )
            words = text(shorten(recommendation.text, 90))
            if c.is_rated:
                words += (
                    f"<br/><font color='#505A5F' size=7.5>"
                    f"{text(addressed_to(c.addressee(recommendation.id)))}</font>"
                )
            rows.append(
                [
                    recommendation.reference,
                    Paragraph(words, s["Cell"]),
                    recommendation.category or "Not yet agreed",
                    percent_text(recommendation.progress) if recommendation.action_ids else "—",
                    word,
                    Paragraph(text(recommendation.self_assessment or "—"), s["Cell"]),
                ]
            )
            extra += rag_cell_commands(4, row, shown)
        for action in plan.actions.values():
            if action.rag_override is not None:
                overrides.append(
                    f"Action {self.labels[(ACTION, action.id)]}: set to "
                    f"{RAG_WORDS[action.rag_override]} by hand — {action.rag_override_reason}"
                )
        flowables.append(data_table(rows, widths, extra=extra, numeric=(3,)))
        if overrides:
            flowables.append(spacer(2))
            flowables.append(Paragraph("* RAG set by hand, with the reason given:", s["Footnote"]))
            flowables += [Paragraph(text(o), s["Footnote"]) for o in overrides]
        return flowables

    # 2. the chart -----------------------------------------------------------------------------

    def chart_section(self) -> list[Flowable]:
        """A bar chart of progress per recommendation, in parts that each fit on a page."""
        s = self.styles
        recommendations = self.content.plan.recommendations
        labels = [r.reference for r in recommendations]
        values = [round_half_up(r.progress * 100) for r in recommendations]
        parts = chart_parts(len(labels))
        flowables: list[Flowable] = [
            KeepTogether(
                [
                    Heading(
                        "2. Progress by recommendation",
                        s["H1"],
                        outline="2. Progress by recommendation",
                        key="chart",
                    ),
                    Paragraph(
                        "The share of each recommendation’s milestones that are complete "
                        "(the mean over its actions).",
                        s["Muted"],
                    ),
                    progress_chart(labels[parts[0]], values[parts[0]], self.frame_width),
                ]
            )
        ]
        for part in parts[1:]:
            flowables.append(
                KeepTogether(
                    [
                        Paragraph(
                            f"Progress by recommendation, continued: {labels[part.start]} to "
                            f"{labels[part.stop - 1]}.",
                            s["Muted"],
                        ),
                        progress_chart(labels[part], values[part], self.frame_width),
                    ]
                )
            )
        if labels:  # the chart's figures in words: a drawing in a PDF has no alternative text
            texts = [r.text for r in recommendations]
            flowables.append(Paragraph(CHART_TABLE_INTRO, s["Muted"]))
            flowables.append(progress_table(labels, texts, values, self.frame_width))
        return flowables

    # 3-5. the lists ---------------------------------------------------------------------------

    def _item_cell(self, item: PlanItem | DueItem, *, owner: bool = False) -> Paragraph:
        label = self.labels.get((item.kind, item.id), "")
        kind = kind_name(item.kind)
        references = ", ".join(self.references.get(i, "?") for i in item.recommendation_ids)
        where = f"{kind} · recommendation{'s' if len(item.recommendation_ids) > 1 else ''} "
        where += references
        if owner:
            where += f" · owner: {item.owner}"
        return Paragraph(
            f"<b>{text(label)}</b>  {text(item.text)}<br/>"
            f"<font color='#505A5F' size=7.5>{text(where)}</font>",
            self.styles["Cell"],
        )

    def completed_section(self) -> list[Flowable]:
        """Items completed since the previous meeting."""
        c, s = self.content, self.styles
        flowables: list[Flowable] = [
            Heading(
                "3. Completed since the previous meeting",
                s["H1"],
                outline="3. Completed since the previous meeting",
                key="completed",
            ),
            Paragraph(
                text(f"Completed after {c.period.description}, up to {long_date(c.as_at)}."),
                s["Muted"],
            ),
        ]
        if not c.completed:
            flowables.append(Paragraph("Nothing was completed in this period.", s["Body"]))
            return flowables
        width = self.frame_width
        widths = [width - 30 * mm - 32 * mm - 45 * mm, 30 * mm, 32 * mm, 45 * mm]
        rows: list[list[Any]] = [["Item", "Completed on", "Owner", "Evidence"]]
        for done in c.completed:
            rows.append(
                [
                    self._item_cell(done.item),
                    date_text(done.completed_on),
                    Paragraph(text(done.item.owner), s["Cell"]),
                    Paragraph(text(done.evidence or "—"), s["Cell"]),
                ]
            )
        flowables.append(data_table(rows, widths))
        return flowables

    def overdue_section(self) -> list[Flowable]:
        """Items past their date and not complete."""
        c, s = self.content, self.styles
        flowables: list[Flowable] = [
            Heading("4. Overdue items", s["H1"], outline="4. Overdue items", key="overdue"),
            Paragraph(
                text(f"Past their date and not complete on {long_date(c.as_at)}."), s["Muted"]
            ),
        ]
        if not c.overdue:
            flowables.append(Paragraph("Nothing is overdue.", s["Body"]))
            return flowables
        width = self.frame_width
        widths = [width - 32 * mm - 30 * mm - 20 * mm - 30 * mm, 32 * mm, 30 * mm, 20 * mm, 30 * mm]
        rows: list[list[Any]] = [["Item", "Owner", "Due", "Overdue by", "Status"]]
        for late in c.overdue:
            rows.append(
                [
                    self._item_cell(late),
                    Paragraph(text(late.owner), s["Cell"]),
                    date_text(late.due),
                    plural(late.days_overdue, "day"),
                    Paragraph(text(late.status), s["Cell"]),
                ]
            )
        flowables.append(data_table(rows, widths, numeric=(3,)))
        return flowables

    # 7. the follow-up -------------------------------------------------------------------------

    def follow_up_section(self) -> list[Flowable]:
        """The follow-up inspection's status and, once there are results, the comparison."""
        c, s = self.content, self.styles
        follow_up = c.follow_up
        flowables: list[Flowable] = [
            Heading(
                "7. The follow-up inspection",
                s["H1"],
                outline="7. The follow-up inspection",
                key="follow-up",
            ),
        ]
        if follow_up.status == FollowUpStatus.NOT_SCHEDULED:
            sentence = "The follow-up inspection is not yet scheduled."
            if c.follow_up_expected:
                sentence += f" The report expects it in {c.follow_up_expected.lower()}."
        else:
            when = long_date(follow_up.planned_date) if follow_up.planned_date else ""
            sentence = {
                FollowUpStatus.SCHEDULED: f"The follow-up inspection is scheduled for {when}.",
                FollowUpStatus.FIELDWORK: f"The follow-up inspection’s fieldwork is under way "
                f"(planned for {when}).",
                FollowUpStatus.REPORTED: f"The follow-up inspection ({when}) has reported.",
            }.get(FollowUpStatus(follow_up.status), f"Status: {follow_up.status}.")
        flowables.append(Paragraph(text(sentence), s["Body"]))
        if c.is_rated:
            return flowables + self._ratings()
        if c.comparison is not None:
            flowables.append(
                Paragraph(
                    "The follow-up results against the baseline, with section and overall "
                    "scores recomputed as the Inspectorate computes them.",
                    s["Muted"],
                )
            )
            flowables += scoring_tables(s, c.scoring, c.comparison, self.frame_width)
        else:
            flowables.append(
                Paragraph("There are no follow-up results to compare yet.", s["Muted"])
            )
        return flowables

    def _ratings(self) -> list[Flowable]:
        """A rated inspection's ratings, with the latest follow-up's beside them once a
        follow-up round has ratings."""
        c, s = self.content, self.styles
        later = any(t.follow_up is not None for t in c.rated)
        note = (
            "The follow-up’s ratings beside the inspection’s, with the change of grade and "
            "the overall rating recomputed from the follow-up’s total."
            if later
            else "There are no follow-up ratings to compare yet; the inspection’s ratings "
            "are shown for reference."
        )
        # the notes stay with the table they explain
        return [
            KeepTogether(
                [
                    Paragraph(text(note), s["Muted"]),
                    Paragraph(text(RATINGS_INTRO), s["Muted"]),
                    *ratings_tables(s, c.rated, self.frame_width),
                ]
            )
        ]


def render_progress(
    *,
    inspection_id: int,
    meeting_date: date,
    today: date,
    on_page: Callable[[int], None] | None = None,
) -> bytes:
    """A Board progress paper for the meeting on ``meeting_date`` as a PDF.

    Raises:
        NotFoundError: there is no such inspection.
        ValidationError: the meeting date is before publication.
    """
    content = progress_content(inspection_id=inspection_id, meeting_date=meeting_date, today=today)
    return ProgressRenderer(content, on_page=on_page).render()
