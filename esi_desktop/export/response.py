"""The Board's "Response to the inspection report and action plan", for the Inspectorate.

:func:`~esi_desktop.export.response_content.response_content` reads what the document needs
from the database (on the caller's thread); :class:`ResponseRenderer` lays it out with no
database and no GUI, the action plan's tables from :mod:`esi_desktop.export.action_plan`.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Table,
)

from esi_desktop.errors import EsiError
from esi_desktop.export.action_plan import recommendation_plan
from esi_desktop.export.flowables import Box, Heading, gap_box, quote_box, spacer
from esi_desktop.export.page import LANDSCAPE, PORTRAIT, DocumentRenderer, Metadata
from esi_desktop.export.parts import criterion_title, item_labels, scoring_tables
from esi_desktop.export.rated_content import addressed_to
from esi_desktop.export.rated_tables import RATINGS_INTRO, ratings_tables
from esi_desktop.export.response_content import ResponseContent, response_content
from esi_desktop.export.scripts import Paragraph
from esi_desktop.export.style import GAP_EDGE, GAP_FILL, INK
from esi_desktop.export.tables import data_table, facts_table, house_style
from esi_desktop.export.text import date_text, paragraphs, text
from esi_desktop.frameworks import get_framework
from esi_desktop.plan import PlanView, RecommendationView
from esi_desktop.rules import ResponseCategory
from esi_desktop.wording import ACTION, plural, shorten

DOCUMENT_TITLE = "Response to the inspection report and action plan"
NOT_AGREED_YET = "Response not yet agreed"


def _category_counts(plan: PlanView) -> str:
    counts = Counter(r.category or "" for r in plan.recommendations)
    parts = [f"{counts[c.value]} {c.value.lower()}" for c in ResponseCategory if counts[c.value]]
    if counts[""]:
        parts.append(f"{counts['']} not yet agreed")
    return ", ".join(parts) if parts else "none yet"


class ResponseRenderer(DocumentRenderer):
    """Lays out the response and action plan: cover, summary, scores, responses, action plan."""

    document_title = DOCUMENT_TITLE

    def __init__(
        self, content: ResponseContent, *, on_page: Callable[[int], None] | None = None
    ) -> None:
        super().__init__(on_page=on_page)
        self.content = content
        self.labels = item_labels(content.plan)
        self.missing = content.missing

    @property
    def is_draft(self) -> bool:
        """Anything missing makes the document a draft, marked so on every page."""
        return bool(self.missing)

    def metadata(self) -> Metadata:
        c = self.content
        return Metadata(
            title=f"{DOCUMENT_TITLE}: {c.board}",
            author=c.board,
            subject=(
                f"The {c.board}'s response to HM Inspectorate of Probation's report "
                f"“{c.report_title}” ({c.published_label}), with its action plan"
            ),
            keywords=("HM Inspectorate of Probation", "action plan", "response", c.area),
        )

    def running_header(self) -> tuple[str, str]:
        return self.content.board, DOCUMENT_TITLE

    def footer_note(self) -> str:
        return f"Prepared {date_text(self.content.prepared_on)}"

    def story(self) -> list[Flowable]:
        return [
            *self.cover(),
            NextPageTemplate(PORTRAIT),
            PageBreak(),
            *self.summary(),
            PageBreak(),
            *(self.ratings() if self.content.is_rated else self.scores()),
            PageBreak(),
            *self.responses(),
            NextPageTemplate(LANDSCAPE),
            PageBreak(),
            *self.action_plan(),
        ]

    # the cover --------------------------------------------------------------------------------

    def cover(self) -> list[Flowable]:
        """Area, report, publication, the date sent and the sign-off lines."""
        c, s = self.content, self.styles
        plan = c.plan
        milestones = sum(len(a.milestones) for a in plan.actions.values())
        sent = date_text(c.sent_on) if c.sent_on else "______________________________  (date)"
        facts = [
            ("Inspected body" if c.is_rated else "Probation area", text(c.area)),
            ("Inspection report", f"<i>{text(c.report_title)}</i>"),
            ("Published", text(c.clock.published_text or c.published_label)),
            ("Response due", self._response_due()),
            (
                "Recommendations",
                text(f"{len(plan.recommendations)}: {_category_counts(plan)}"),
            ),
            (
                "Actions",
                text(
                    f"{plural(len(plan.actions), 'action')} with {plural(milestones, 'milestone')}"
                ),
            ),
            ("Action plan submitted:", f"<b>{text(sent)}</b>"),
        ]
        flowables: list[Flowable] = [
            Heading(text(c.board.upper()), s["Kicker"], outline="Cover", key="cover"),
            Paragraph(text(DOCUMENT_TITLE), s["Title"]),
            Paragraph(
                "The Board’s response to HM Inspectorate of Probation’s "
                f"{text(c.published_label)} report on {text(c.area)}, with the action plan "
                "that carries out each recommendation.",
                s["Subtitle"],
            ),
            facts_table(s, facts, [48 * mm, self.frame_width - 48 * mm]),
            spacer(14),
        ]
        if self.missing:  # a draft is never signed off
            return flowables + self._draft_notice()
        flowables += [
            Paragraph("Approved on behalf of the Board", s["H2"]),
            Paragraph(
                "We confirm that this response and action plan were approved by the Board.",
                s["BodySmall"],
            ),
            spacer(4),
            self._sign_off(),
        ]
        return flowables

    def _response_due(self) -> str:
        """The deadline in force and where it comes from, with what a reader must know of the
        statutory one (replaced by an agreed deadline, or counted from an assumed 1st)."""
        c = self.content
        markup = text(c.response_due_text)
        if c.response_due_note:
            markup += f'<br/><font size="8.5">{text(c.response_due_note)}</font>'
        return markup

    def _draft_notice(self) -> list[Flowable]:
        """Why the document is a draft: everything missing, so a reader knows what is to come."""
        s = self.styles
        count = len(self.missing)
        these = "this is" if count == 1 else f"these {count} things are"
        contents: list[Flowable] = [
            Paragraph(
                f"The Board can approve and send this response and action plan once {these} done:",
                s["GapNote"],
            ),
            *(Paragraph(text(item.message), s["GapItem"], bulletText="•") for item in self.missing),
        ]
        return [
            # a long list goes on over the page on an ordinary page, not a second cover
            NextPageTemplate(PORTRAIT),
            Heading(
                "This is a draft: not yet complete",
                s["H2"],
                outline="This is a draft: what is missing",
                key="draft",
            ),
            Box(
                contents,
                self.frame_width,
                fill=GAP_FILL,
                rule=GAP_EDGE,
                rule_width=3,
                border=GAP_EDGE,
                padding=(6, 8, 7, 10),
            ),
        ]

    def _sign_off(self) -> Table:
        s = self.styles
        half = (self.frame_width - 12 * mm) / 2

        def block(role: str) -> list[list[Any]]:
            return [
                [Paragraph(f"<b>{text(role)}</b>", s["Body"])],
                [Paragraph("Signature", s["Sign"])],
                [Paragraph("Name", s["Sign"])],
                [Paragraph("Date", s["Sign"])],
            ]

        left, right = block("Chair of the Board"), block("Chief Officer")
        rows = [[a[0], "", b[0]] for a, b in zip(left, right, strict=True)]
        table = Table(
            rows, colWidths=[half, 12 * mm, half], rowHeights=[18, 34, 34, 34], hAlign="LEFT"
        )
        table.setStyle(
            house_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("LINEBELOW", (0, 1), (0, -1), 0.6, INK),
                    ("LINEBELOW", (2, 1), (2, -1), 0.6, INK),
                    ("BOTTOMPADDING", (0, 1), (-1, -1), 3),
                ]
            )
        )
        return table

    # summary and scores -----------------------------------------------------------------------

    def summary(self) -> list[Flowable]:
        """One line per recommendation: its response and its actions."""
        c, s = self.content, self.styles
        plan = c.plan
        flowables: list[Flowable] = [
            Heading(
                "Summary of the response", s["H1"], outline="Summary of the response", key="summary"
            ),
            Paragraph(
                f"The report makes {len(plan.recommendations)} recommendations"
                # escaped, not text(): its strip would eat the space of " to the Board"
                f"{escape(c.to_whom)}. "
                f"The Board’s responses: {text(_category_counts(plan))}. Each response is set "
                "out in full in the next section, and the actions in the action plan that "
                "follows it.",
                s["Body"],
            ),
        ]
        width = self.frame_width
        widths = [12 * mm, width - 12 * mm - 27 * mm - 16 * mm - 31 * mm, 27 * mm, 16 * mm, 31 * mm]
        rows: list[list[Any]] = [["Ref", "Recommendation", "Response", "Actions", "Last target"]]
        for recommendation in plan.recommendations:
            actions = [plan.actions[i] for i in recommendation.action_ids]
            last = max((a.target_date for a in actions), default=None)
            response = recommendation.category or "Not yet agreed"
            words = text(shorten(recommendation.text, 110))
            if c.is_rated:
                words += (
                    f"<br/><font color='#505A5F' size=7.5>"
                    f"{text(addressed_to(c.addressee(recommendation.id)))}</font>"
                )
            rows.append(
                [
                    recommendation.reference,
                    Paragraph(words, s["Cell"]),
                    Paragraph(
                        text(response),
                        s["Cell"] if recommendation.category else s["CellBold"],
                    ),
                    str(len(actions)) if actions else "—",
                    date_text(last) or "—",
                ]
            )
        flowables.append(data_table(rows, widths))
        return flowables

    def scores(self) -> list[Flowable]:
        """The scoring summary, with follow-up columns once there are results."""
        c, s = self.content, self.styles
        intro = (
            "The criteria as the Inspectorate scored them. A critical criterion weighs twice "
            "an important one; ratings in words are not scored."
        )
        if c.comparison is not None:
            intro += " The follow-up inspection’s results are shown beside the baseline."
        return [
            Heading("Scoring summary", s["H1"], outline="Scoring summary", key="scores"),
            Paragraph(intro, s["BodySmall"]),
            *scoring_tables(s, c.scoring, c.comparison, self.frame_width),
        ]

    def ratings(self) -> list[Flowable]:
        """A rated inspection's ratings table, in place of the scoring summary."""
        c, s = self.content, self.styles
        intro = RATINGS_INTRO
        if any(t.follow_up is not None for t in c.rated):
            intro += " The follow-up’s ratings are shown beside the inspection’s."
        return [
            Heading("Ratings", s["H1"], outline="Ratings", key="scores"),
            Paragraph(text(intro), s["BodySmall"]),
            *ratings_tables(s, c.rated, self.frame_width),
        ]

    # the responses ----------------------------------------------------------------------------

    def _recommendation_title(self, recommendation: RecommendationView) -> str:
        title = f"Recommendation {recommendation.reference}"
        if (
            self.content.scoring
            and recommendation.framework_id != self.content.scoring[0].framework.id
        ):
            with contextlib.suppress(EsiError):  # an unknown framework keeps the plain title
                title += f" · {get_framework(recommendation.framework_id).short_title}"
        return title

    def responses(self) -> list[Flowable]:
        """Each recommendation's exact text, criteria and the Board's response."""
        c, s = self.content, self.styles
        flowables: list[Flowable] = [
            Heading(
                "The Board’s response to each recommendation",
                s["H1"],
                outline="Responses to the recommendations",
                key="responses",
            ),
            Paragraph(
                "Each recommendation is quoted as printed in the report, with the words that "
                "introduce it there and who it is addressed to, followed by the "
                f"{c.criteria_word.lower()} it aims to improve and the "
                "Board’s response.",
                s["BodySmall"],
            ),
        ]
        for recommendation in c.plan.recommendations:
            # a recommendation and its response stay on one page where they fit
            flowables.append(KeepTogether(self._response(recommendation)))
        return flowables

    def _quoted(self, recommendation: RecommendationView) -> list[Flowable]:
        """The recommendation as the report prints it: its stem ("The Probation Board should
        ensure that:"), then its words set in beneath it, as in the report's list.

        The report prints a stem once above its list; here each recommendation is read on its
        own (a page of its own, often), so each quotes its stem and reads as a whole sentence.
        """
        s = self.styles
        if not recommendation.stem.strip():
            return [Paragraph(text(recommendation.text), s["Quote"])]
        quote = s["Quote"]
        stem = ParagraphStyle("QuoteStem", parent=quote, spaceAfter=3)
        item = ParagraphStyle("QuoteItem", parent=quote, leftIndent=12)
        return [
            Paragraph(text(recommendation.stem), stem),
            Paragraph(text(recommendation.text), item),
        ]

    def _response(self, recommendation: RecommendationView) -> list[Flowable]:
        s = self.styles
        width = self.frame_width
        title = self._recommendation_title(recommendation)
        flowables: list[Flowable] = [
            Heading(
                text(title),
                s["H2"],
                outline=f"Recommendation {recommendation.reference}",
                key=f"response-{recommendation.id}",
                level=1,
            ),
            quote_box(self._quoted(recommendation), width),
            spacer(3),
            Paragraph(
                f"<b>Addressed to:</b> {text(self.content.addressee(recommendation.id))}",
                s["BodySmall"],
            ),
            Paragraph(f"{self.content.criteria_word} it aims to improve", s["Label"]),
        ]
        if recommendation.criteria:
            flowables.append(
                Paragraph(
                    "<br/>".join(
                        text(criterion_title(f, code)) for f, code in recommendation.criteria
                    ),
                    s["BodySmall"],
                )
            )
        else:
            flowables.append(Paragraph("None chosen yet.", s["Muted"]))
        flowables.append(Paragraph("The Board’s response", s["Label"]))
        response = recommendation.response
        if response is None or not response.category:
            flowables.append(
                gap_box(
                    s,
                    NOT_AGREED_YET,
                    "The Board has not yet agreed its response to this recommendation.",
                    width,
                )
            )
            flowables.append(spacer(2))
        else:
            flowables.append(Paragraph(f"<b>{text(response.category)}</b>", s["Body"]))
            if response.category == ResponseCategory.PARTLY_AGREED:
                flowables.append(
                    Paragraph(f"<b>The part agreed:</b> {text(response.part_agreed)}", s["Body"])
                )
                flowables.append(
                    Paragraph(
                        f"<b>Why the rest is not agreed:</b> {text(response.reason)}", s["Body"]
                    )
                )
            elif response.category == ResponseCategory.NOT_AGREED:
                flowables.append(Paragraph(f"<b>Reason:</b> {text(response.reason)}", s["Body"]))
            flowables += paragraphs(response.narrative, s["Body"])
            if response.lead_owner:
                flowables.append(
                    Paragraph(f"<b>Lead officer:</b> {text(response.lead_owner)}", s["Body"])
                )
        actions = [self.content.plan.actions[i] for i in recommendation.action_ids]
        if actions:
            listed = ", ".join(
                f"{self.labels[(ACTION, a.id)]} (target {date_text(a.target_date)})"
                for a in actions
            )
            flowables.append(
                Paragraph(f"<b>Actions:</b> {text(listed)}; see the action plan.", s["BodySmall"])
            )
        else:
            flowables.append(Paragraph("No actions recorded yet.", s["Muted"]))
        flowables.append(spacer(3))
        return flowables

    # the action plan --------------------------------------------------------------------------

    def action_plan(self) -> list[Flowable]:
        """The action plan on landscape pages: one table per recommendation."""
        c, s = self.content, self.styles
        plan = c.plan
        width = self.landscape_frame_width
        flowables: list[Flowable] = [
            Heading("Action plan", s["H1"], outline="Action plan", key="action-plan"),
            Paragraph(
                "Each action is specific, measurable, achievable, realistic and time-bound, "
                "with one owner and a target date; its milestones are the dated steps within "
                f"it. Status as at {text(date_text(c.prepared_on))}.",
                s["BodySmall"],
            ),
        ]
        if not plan.actions:
            flowables.append(
                gap_box(
                    s,
                    "No actions recorded yet",
                    "The action plan has no actions yet. Each agreed or partly agreed "
                    "recommendation needs at least one action, with an owner and a target date.",
                    width,
                )
            )
            return flowables
        for recommendation in plan.recommendations:
            block = recommendation_plan(
                s,
                plan,
                self.labels,
                recommendation,
                width,
                title=self._recommendation_title,
                addressee=c.addressee(recommendation.id),
                standards=c.is_rated,
            )
            if recommendation.action_ids:
                # a long table may split, but not straight after its heading
                flowables.append(CondPageBreak(45 * mm))
                flowables += block
            else:
                flowables.append(KeepTogether(block))
        return flowables


def render_response(
    *, inspection_id: int, today: date, on_page: Callable[[int], None] | None = None
) -> bytes:
    """The response and action plan of an inspection as a PDF.

    Raises:
        NotFoundError: there is no such inspection.
    """
    content = response_content(inspection_id=inspection_id, today=today)
    return ResponseRenderer(content, on_page=on_page).render()
